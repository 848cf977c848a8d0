"""Who sees which surge requests, responders and assignments: a role × record matrix."""

from __future__ import annotations

import pytest

from odp.models import Role
from srrt.models import Assignment, Responder, SurgeRequest, SurgeStatus
from tests.factories import MemberFactory, grant
from tests.srrt.factories import ResponderFactory, SurgeRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(home_office, passport_office, dwp, requester, coordinator, responder, head_of_profession, odp_admin):
    """Requests from the Home Office (a draft and a submitted one), its Passport Office and DWP; the
    responder assigned to the DWP one."""
    dwp_requester = MemberFactory(organisation=dwp, user__username="dwp-requester")
    grant(dwp_requester, Role.DEPARTMENT_REQUESTER, dwp)
    records = {
        "ho_draft": SurgeRequestFactory(requester=requester, status=SurgeStatus.DRAFT),
        "ho_submitted": SurgeRequestFactory(requester=requester),
        "hmpo": SurgeRequestFactory(requester=requester, organisation=passport_office),
        "dwp": SurgeRequestFactory(requester=dwp_requester, status=SurgeStatus.ACTIVE),
    }
    Assignment.objects.create(
        request=records["dwp"],
        responder=responder,
        role="Agent",
        start_date=records["dwp"].start_date,
        end_date=records["dwp"].end_date,
        assigned_by=coordinator,
    )
    members = {
        "requester": requester,
        "dwp_requester": dwp_requester,
        "coordinator": coordinator,
        "admin": odp_admin,
        "hop": head_of_profession,
        "responder": responder.member,
        "staff": MemberFactory(organisation=home_office, user__username="plain-staff"),
    }
    return members, records


ALL = {"ho_draft", "ho_submitted", "hmpo", "dwp"}
MATRIX = {
    "requester": {"ho_draft", "ho_submitted", "hmpo"},  # their organisation and its child bodies
    "dwp_requester": {"dwp"},
    "coordinator": ALL,
    "admin": ALL,
    "hop": {"ho_submitted", "hmpo"},  # their organisations, once submitted
    "responder": {"dwp"},  # the request they are assigned to
    "staff": set(),
}


@pytest.mark.parametrize(("who", "expected"), MATRIX.items())
def test_request_scoping(world, who, expected):
    members, records = world
    names = {pk: name for name, pk in ((n, r.pk) for n, r in records.items())}
    seen = {names[pk] for pk in SurgeRequest.objects.visible_to(members[who]).values_list("pk", flat=True)}
    assert seen == expected
    assert SurgeRequest.objects.visible_to(members[who]).count() == len(expected)  # no duplicate rows


def test_nobody_and_inactive_see_nothing(world):
    members, _ = world
    assert not SurgeRequest.objects.visible_to(None).exists()
    members["coordinator"].is_active = False
    assert not SurgeRequest.objects.visible_to(members["coordinator"]).exists()


@pytest.mark.parametrize(
    ("who", "sees_roster", "own_only"),
    [("coordinator", True, False), ("admin", True, False), ("responder", False, True), ("requester", False, False)],
)
def test_roster_scoping(world, who, sees_roster, own_only):
    members, _ = world
    ResponderFactory()
    visible = Responder.objects.visible_to(members[who])
    if sees_roster:
        assert visible.count() == Responder.objects.count() == 2
    elif own_only:
        assert [r.member_id for r in visible] == [members[who].pk]
    else:
        assert not visible.exists()


@pytest.mark.parametrize(
    ("who", "count"), [("coordinator", 1), ("responder", 1), ("dwp_requester", 1), ("requester", 0)]
)
def test_assignment_scoping(world, who, count):
    members, _ = world
    assert Assignment.objects.visible_to(members[who]).count() == count
