"""Who may see what: organisation and member scoping, written once in odp.access."""

from __future__ import annotations

import pytest

from odp import access
from odp.models import Member, Organisation, OrganisationKind, Role, RoleAssignment
from tests.factories import MemberFactory, OrganisationFactory, grant


@pytest.fixture
def border_force(home_office) -> Organisation:
    return OrganisationFactory(
        name="Border Force", slug="border-force", kind=OrganisationKind.EXECUTIVE_AGENCY, parent=home_office
    )


def test_head_of_profession_sees_their_organisation_and_its_children_not_others(
    head_of_profession, home_office, passport_office, border_force, dwp
):
    visible = set(Organisation.objects.visible_to(head_of_profession))
    assert visible == {home_office, passport_office, border_force}
    assert dwp not in visible


def test_scope_follows_grandchildren(head_of_profession, passport_office):
    office = OrganisationFactory(
        name="Passport Office Durham", kind=OrganisationKind.ARMS_LENGTH_BODY, parent=passport_office
    )
    assert office.pk in access.head_of_profession_organisation_ids(head_of_profession)


def test_head_of_profession_of_a_child_body_does_not_see_the_parent(passport_office, home_office):
    hop = MemberFactory(organisation=passport_office)
    grant(hop, Role.HEAD_OF_PROFESSION, passport_office)
    assert set(Organisation.objects.visible_to(hop)) == {passport_office}


def test_staff_see_their_own_organisation_and_only_themselves(staff_member, passport_office, home_office, dwp):
    colleague = MemberFactory(organisation=passport_office)
    assert set(Organisation.objects.visible_to(staff_member)) == {passport_office}
    assert set(Member.objects.visible_to(staff_member)) == {staff_member}
    assert colleague not in Member.objects.visible_to(staff_member)


def test_line_manager_sees_their_reports(passport_office):
    manager = MemberFactory(organisation=passport_office)
    report = MemberFactory(organisation=passport_office, line_manager=manager)
    other = MemberFactory(organisation=passport_office)
    assert access.roles_of(manager) >= {Role.STAFF, Role.LINE_MANAGER}
    assert Role.LINE_MANAGER not in access.roles_of(report)
    assert set(Member.objects.visible_to(manager)) == {manager, report}
    assert other not in Member.objects.visible_to(manager)


def test_roles_and_scopes_come_from_one_statement(passport_office, home_office, django_assert_num_queries):
    manager = MemberFactory(organisation=passport_office)
    MemberFactory(organisation=passport_office, line_manager=manager)
    grant(manager, Role.HEAD_OF_PROFESSION, home_office)
    grant(manager, Role.SRRT_COORDINATOR)
    manager = Member.objects.get(pk=manager.pk)  # nothing cached
    with django_assert_num_queries(1):
        assert access.roles_of(manager) == {
            Role.STAFF,
            Role.LINE_MANAGER,
            Role.HEAD_OF_PROFESSION,
            Role.SRRT_COORDINATOR,
        }
        assert access._assignments(manager) and access.can(manager, "srrt.triage")
    assert access.head_of_profession_organisation_ids(manager) >= {home_office.pk, passport_office.pk}


def test_only_active_reports_make_a_line_manager(passport_office):
    manager = MemberFactory(organisation=passport_office)
    report = MemberFactory(organisation=passport_office, line_manager=manager, is_active=False)
    assert Role.LINE_MANAGER not in access.roles_of(manager)
    report.is_active = True
    report.save()
    access.forget(manager)
    assert Role.LINE_MANAGER in access.roles_of(manager)


def test_head_of_profession_sees_members_in_scope_only(head_of_profession, staff_member, dwp):
    outsider = MemberFactory(organisation=dwp)
    visible = set(Member.objects.visible_to(head_of_profession))
    assert staff_member in visible  # HM Passport Office sits under the Home Office
    assert head_of_profession in visible
    assert outsider not in visible


def test_admins_see_everything(odp_admin, staff_member, head_of_profession, dwp, home_office):
    assert set(Organisation.objects.visible_to(odp_admin)) == set(Organisation.objects.all())
    assert set(Member.objects.visible_to(odp_admin)) == set(Member.objects.all())


def test_anonymous_sees_nothing(staff_member):
    assert not Organisation.objects.visible_to(None).exists()
    assert not Member.objects.visible_to(None).exists()


def test_requester_scope_is_separate_from_head_of_profession(dwp, home_office):
    requester = MemberFactory(organisation=dwp)
    grant(requester, Role.DEPARTMENT_REQUESTER, dwp)
    assert access.requester_organisation_ids(requester) == {dwp.pk}
    assert access.head_of_profession_organisation_ids(requester) == frozenset()
    assert access.can(requester, "srrt.request")
    assert not access.can(requester, "srrt.triage")


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        (None, "audit.view", False),
        (Role.ODP_ADMIN, "audit.view", True),
        (Role.SRRT_COORDINATOR, "srrt.triage", True),
        (Role.SRRT_RESPONDER, "srrt.triage", False),
        (Role.ODP_ADMIN, "no.such.action", False),
    ],
)
def test_policies_are_data(dwp, role, action, allowed):
    member = MemberFactory(organisation=dwp)
    if role:
        grant(member, role)
    assert access.can(member, action) is allowed


def test_inactive_members_hold_no_roles(odp_admin):
    odp_admin.is_active = False
    odp_admin.save()
    access.forget(odp_admin)
    assert access.roles_of(odp_admin) == frozenset()
    assert not Organisation.objects.visible_to(odp_admin).exists()


def test_organisation_scoped_roles_need_an_organisation(dwp):
    from django.db import IntegrityError, transaction

    member = MemberFactory(organisation=dwp)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(member=member, role=Role.HEAD_OF_PROFESSION, organisation=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(member=member, role=Role.ODP_ADMIN, organisation=dwp)
