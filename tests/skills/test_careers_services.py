"""Offering opportunities and the rules on bad input, the visibility matrix across organisation kinds, automatic
closing, saving, and the weekly email's idempotence."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from odp import demo as odp_demo
from odp.models import AuditEvent, Notification, OrganisationKind, OutboxMessage, Role
from skills import demo as skills_demo
from skills.careers import services
from skills.models import (
    Opportunity,
    OpportunityAlert,
    OpportunityAudience,
    OpportunityDigest,
    OpportunityStatus,
    SavedOpportunity,
    VersionStatus,
)
from tests.factories import MemberFactory, OrganisationFactory, grant
from tests.skills.careers_factories import OpportunityFactory, career_version

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def version():
    return career_version()


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Manchester City Council", kind=OrganisationKind.LOCAL_AUTHORITY)


@pytest.fixture
def partner(db):
    return OrganisationFactory(name="Northgate Contact Services", kind=OrganisationKind.PRIVATE_PARTNER)


@pytest.fixture
def council_hop(council):
    member = MemberFactory(organisation=council)
    grant(member, Role.HEAD_OF_PROFESSION, council)
    return member


def _events(opportunity, action) -> int:
    return AuditEvent.objects.filter(
        object_type="skills.opportunity", object_id=str(opportunity.pk), action=action
    ).count()


def _offer(by, organisation, version, **overrides):
    fields = {
        "by": by,
        "organisation": organisation,
        "title": "Senior caseworker secondment",
        "kind": "secondment",
        "grade": "HEO",
        "closing_on": TODAY() + datetime.timedelta(days=10),
        "role_profile": version.next_level,
        "audience": OpportunityAudience.ACROSS_THE_DIVIDE,
        "location": "Manchester",
        "apply_url": "https://jobs.example.org/1",
    }
    return services.opportunity_create(**(fields | overrides))


# Offering and bad input --------------------------------------------------------------------------------


def test_a_local_authority_head_of_profession_offers_an_opportunity_with_an_audit_event(version, council, council_hop):
    offered = _offer(council_hop, council, version)
    assert offered.status == OpportunityStatus.OPEN and offered.created_by == council_hop
    assert (
        AuditEvent.objects.filter(
            object_type="skills.opportunity", object_id=str(offered.pk), action=AuditEvent.Action.CREATE
        ).count()
        == 1
    )


def test_a_head_of_profession_offers_for_a_child_body(version, head_of_profession, passport_office):
    assert _offer(head_of_profession, passport_office, version).organisation == passport_office


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"closing_on": "yesterday"}, "closing_on", "Closing date must be today or in the future"),
        ({"apply_url": "", "apply_contact": ""}, "apply_url", "Enter a link to apply or a contact"),
        ({"location": "", "is_remote": False}, "location", "Enter a location"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_saved(version, council, council_hop, overrides, field, message):
    if overrides.get("closing_on") == "yesterday":
        overrides["closing_on"] = TODAY() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        _offer(council_hop, council, version, **overrides)
    assert message in error.value.message_dict[field][0]
    assert not Opportunity.objects.exists()


def test_a_profile_from_a_retired_version_is_refused(version, council, council_hop):
    version.status = VersionStatus.RETIRED
    version.save(update_fields=["status"])
    with pytest.raises(ValidationError) as error:
        _offer(council_hop, council, version)
    assert "this one is from a retired version" in error.value.message_dict["role_profile"][0]
    assert not Opportunity.objects.exists()


def test_offering_on_behalf_of_another_organisation_is_refused(version, council, council_hop, dwp, partner):
    for other in (dwp, partner):
        with pytest.raises(ValidationError) as error:
            _offer(council_hop, other, version)
        assert "organisation you lead" in error.value.message_dict["organisation"][0]
    assert not Opportunity.objects.exists()


def test_an_odp_admin_offers_for_their_own_organisation_only(version, odp_admin, dwp, council):
    assert _offer(odp_admin, dwp, version).organisation == dwp
    with pytest.raises(ValidationError):
        _offer(odp_admin, council, version)
    assert Opportunity.objects.count() == 1


def test_staff_cannot_offer(version, staff_member, passport_office):
    with pytest.raises(PermissionDenied):
        _offer(staff_member, passport_office, version)
    assert not Opportunity.objects.exists()


# Visibility matrix ------------------------------------------------------------------------------------


@pytest.fixture
def matrix(version, home_office, passport_office, dwp, council, partner):
    """One opportunity per (offering organisation, audience); a member at each kind of organisation."""
    offers = {
        (org_key, audience): OpportunityFactory(organisation=org, audience=audience, role_profile=version.current)
        for org_key, org in {"home_office": home_office, "dwp": dwp, "council": council, "partner": partner}.items()
        for audience in OpportunityAudience.values
    }
    people = {
        "home_office": MemberFactory(organisation=home_office),
        "passport_office": MemberFactory(organisation=passport_office),  # a body within the Home Office
        "dwp": MemberFactory(organisation=dwp),
        "council": MemberFactory(organisation=council),
        "other_council": MemberFactory(
            organisation=OrganisationFactory(name="Kent County Council", kind=OrganisationKind.LOCAL_AUTHORITY)
        ),
        "partner": MemberFactory(organisation=partner),
    }
    return offers, people


A, C, OWN = (
    OpportunityAudience.ACROSS_THE_DIVIDE,
    OpportunityAudience.CENTRAL_GOVERNMENT,
    OpportunityAudience.ORGANISATION,
)
SHARED = {(org, A) for org in ("home_office", "dwp", "council", "partner")}
CENTRAL = {(org, C) for org in ("home_office", "dwp", "council", "partner")}
EXPECTED = {
    "home_office": SHARED | CENTRAL | {("home_office", OWN)},
    "passport_office": SHARED | CENTRAL | {("home_office", OWN)},
    "dwp": SHARED | CENTRAL | {("dwp", OWN)},
    "council": SHARED | {("council", C), ("council", OWN)},
    "other_council": SHARED,
    "partner": SHARED | {("partner", C), ("partner", OWN)},
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_visibility_across_organisation_kinds(matrix, who):
    offers, people = matrix
    seen = set(Opportunity.objects.visible_to(people[who]).values_list("pk", flat=True))
    assert {key for key, o in offers.items() if o.pk in seen} == EXPECTED[who]


def test_heads_of_profession_see_everything_their_organisations_offer_and_admins_see_all(
    matrix, head_of_profession, odp_admin
):
    offers, _ = matrix
    seen = set(Opportunity.objects.visible_to(head_of_profession).values_list("pk", flat=True))
    assert offers[("home_office", OWN)].pk in seen and offers[("dwp", OWN)].pk not in seen
    assert Opportunity.objects.visible_to(odp_admin).count() == len(offers)


def test_inactive_members_see_nothing(matrix):
    _, people = matrix
    people["dwp"].is_active = False
    assert not Opportunity.objects.visible_to(people["dwp"]).exists()
    assert not Opportunity.objects.visible_to(None).exists()


# Closing ----------------------------------------------------------------------------------------------


def test_past_closing_dates_count_as_closed_at_once_and_the_daily_job_closes_them_once(version):
    past = OpportunityFactory(role_profile=version.current, closing_on=TODAY() - datetime.timedelta(days=1))
    today = OpportunityFactory(role_profile=version.current, closing_on=TODAY())
    assert list(Opportunity.objects.open()) == [today]
    assert list(Opportunity.objects.closed()) == [past]

    from skills.careers.jobs import close_expired_opportunities

    assert close_expired_opportunities.apply().get() == 1
    past.refresh_from_db()
    assert past.status == OpportunityStatus.CLOSED and past.closed_at is not None
    assert (
        AuditEvent.objects.filter(
            object_type="skills.opportunity", object_id=str(past.pk), action=AuditEvent.Action.TRANSITION
        ).count()
        == 1
    )
    assert services.close_expired() == 0  # a re-run does nothing
    today.refresh_from_db()
    assert today.status == OpportunityStatus.OPEN


def test_beat_runs_the_closing_and_digest_jobs(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"skills.close_expired_opportunities", "skills.weekly_opportunity_digests"} <= tasks


def test_the_offering_organisation_can_close_early_and_others_cannot(version, council, council_hop, head_of_profession):
    offered = _offer(council_hop, council, version)
    with pytest.raises(PermissionDenied):
        services.opportunity_close(opportunity=offered, by=head_of_profession)
    services.opportunity_close(opportunity=offered, by=council_hop)
    offered.refresh_from_db()
    assert offered.status == OpportunityStatus.CLOSED
    with pytest.raises(ValidationError):
        services.opportunity_close(opportunity=offered, by=council_hop)


# Saving -----------------------------------------------------------------------------------------------


def test_saving_is_idempotent_and_needs_an_open_visible_opportunity(version, staff_member, council):
    shared = OpportunityFactory(organisation=council, role_profile=version.current)
    services.opportunity_save(opportunity=shared, by=staff_member)
    services.opportunity_save(opportunity=shared, by=staff_member)
    assert SavedOpportunity.objects.filter(member=staff_member).count() == 1

    hidden = OpportunityFactory(organisation=council, audience=OWN, role_profile=version.current)
    with pytest.raises(PermissionDenied):
        services.opportunity_save(opportunity=hidden, by=staff_member)
    expired = OpportunityFactory(role_profile=version.current, closing_on=TODAY() - datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.opportunity_save(opportunity=expired, by=staff_member)
    assert services.opportunity_unsave(opportunity=shared, by=staff_member) is True
    assert not SavedOpportunity.objects.exists()


# Weekly email -----------------------------------------------------------------------------------------


def test_the_weekly_email_lists_new_matching_opportunities_once_a_week(version, staff_member, council, dwp):
    alert = services.alert_set(member=staff_member, active=True)  # own job family: customer service
    OpportunityAlert.objects.filter(pk=alert.pk).update(since=timezone.now() - datetime.timedelta(days=1))
    OpportunityFactory(title="Council contact lead", organisation=council, role_profile=version.next_level)
    OpportunityFactory(title="Casework role", organisation=council, role_profile=version.casework)  # other family
    OpportunityFactory(title="DWP only", organisation=dwp, audience=OWN, role_profile=version.current)  # not visible

    from skills.careers.jobs import weekly_opportunity_digests

    assert weekly_opportunity_digests.apply().get() == 1
    note = Notification.objects.get(recipient=staff_member)
    assert note.subject == "1 new opportunity for you"
    assert "Council contact lead" in note.body and "Casework role" not in note.body and "DWP only" not in note.body
    assert OutboxMessage.objects.filter(task_name="odp.deliver_notification").count() == 1

    # A re-run in the same week sends nothing, even with something new.
    OpportunityFactory(title="Another one", organisation=council, role_profile=version.current)
    assert services.send_weekly_digests() == 0
    assert Notification.objects.filter(recipient=staff_member).count() == 1
    # Next week it sends only what is new since the last email.
    assert services.send_weekly_digests(today=TODAY() + datetime.timedelta(days=7)) == 1
    latest = Notification.objects.filter(recipient=staff_member).order_by("-pk").first()
    assert "Another one" in latest.body and "Council contact lead" not in latest.body
    assert OpportunityDigest.objects.filter(member=staff_member).count() == 2


def test_no_email_when_nothing_is_new_or_the_alert_is_off(version, staff_member, council):
    services.alert_set(member=staff_member, active=True)
    assert services.send_weekly_digests() == 0
    services.alert_set(member=staff_member, active=False)
    OpportunityFactory(organisation=council, role_profile=version.current)
    assert services.send_weekly_digests() == 0
    assert not Notification.objects.exists()


def test_alerts_refuse_unknown_job_families(staff_member):
    with pytest.raises(ValidationError):
        services.alert_set(member=staff_member, active=True, job_families=["astronaut"])
    assert not OpportunityAlert.objects.exists()


def test_demo_seeds_opportunities_across_the_divide(settings):
    """seed_demo's people and skills part, where the opportunities are (not its ideas, surge requests or reports,
    which took half the time)."""
    settings.ODP_EMBEDDED = True
    odp_demo.seed()
    skills_demo.seed()
    rows = Opportunity.objects.select_related("organisation")
    kinds = {o.organisation.kind for o in rows}
    assert rows.count() >= 24
    assert {OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.PRIVATE_PARTNER} <= kinds
    assert rows.filter(organisation__kind=OrganisationKind.LOCAL_AUTHORITY, audience=A).exists()
    assert rows.closed().count() >= 4
    assert {o.audience for o in rows} == set(OpportunityAudience.values)
    skills_demo.seed()
    assert Opportunity.objects.count() == rows.count()
