"""Staffing an approved request: the ranked shortlist with why each ranks (skills matched, region, recent
deployment days), assigning with role and dates, refusing unavailable or uncleared responders with a clear
error and nothing saved, taking a responder off; and the responder's own deployments page."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from odp.models import Region, Role
from skills import services as skills_services
from srrt.models import Assignment, Clearance, SurgeStatus, UnavailablePeriod
from tests.factories import MemberFactory, grant
from tests.skills.factories import published_version
from tests.srrt.factories import ResponderFactory, SurgeRequestFactory

pytestmark = pytest.mark.django_db


def _client(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


@pytest.fixture
def approved(requester):
    return SurgeRequestFactory(
        requester=requester, status=SurgeStatus.APPROVED, clearance_required=Clearance.SC, region=Region.LONDON
    )


def _assign(approved, who, overrides: dict[str, str] | None = None) -> dict[str, str]:
    data = {"responder": str(who.pk), "role": "Decision maker", "note": ""}
    data |= _date("start_date", approved.start_date) | _date("end_date", approved.end_date)
    data.update(overrides or {})
    return data


def test_shortlist_ranks_and_says_why(coordinator, approved):
    skill = published_version().skills.first()
    approved.skills_needed.set([skill])
    skilled = ResponderFactory(member__user__last_name="Skilled", home_region=Region.NORTH_WEST)
    skills_services.assessment_record_self(member=skilled.member, skill=skill, level=3)
    local = ResponderFactory(member__user__last_name="Local", home_region=Region.LONDON)
    ResponderFactory(member__user__last_name="Uncleared", clearance_level=Clearance.BPSS)
    ResponderFactory(
        member__user__last_name="Lapsed", clearance_expires_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    page = _client(coordinator).get(f"/srrt/requests/{approved.pk}/staffing/").content.decode()
    shortlist = page.split("Eligible responders, best match first")[1].split("</table>")[0]
    assert shortlist.index(str(skilled)) < shortlist.index(str(local))
    assert "1 of 1" in shortlist and "levels total 3" in shortlist and "Same region" in shortlist
    assert "Uncleared" not in shortlist and "Lapsed" not in shortlist


def test_assign_a_responder_and_they_see_it(coordinator, approved, responder):
    client = _client(coordinator)
    response = client.post(f"/srrt/requests/{approved.pk}/staffing/", _assign(approved, responder), follow=True)
    assert "assigned as Decision maker" in response.content.decode()
    assignment = Assignment.objects.get()
    assert (assignment.responder, assignment.start_date) == (responder, approved.start_date)
    assert responder.member.notifications.filter(subject__contains=approved.reference).exists()
    mine = _client(responder.member).get("/srrt/deployments/").content.decode()
    assert approved.title in mine and "Decision maker" in mine
    # The responder may now open the request page; the assignment shows there too.
    detail = _client(responder.member).get(f"/srrt/requests/{approved.pk}/")
    assert detail.status_code == 200 and "Decision maker" in detail.content.decode()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: ResponderFactory(clearance_level=Clearance.BPSS), "does not hold the clearance required"),
        (
            lambda: ResponderFactory(clearance_expires_on=timezone.localdate() + datetime.timedelta(days=2)),
            "clearance expires on",
        ),
        ("unavailable", "is unavailable for some of these dates"),
    ],
)
def test_unavailable_or_uncleared_responders_are_refused(coordinator, approved, make, message):
    if make == "unavailable":
        responder = ResponderFactory()
        UnavailablePeriod.objects.create(
            responder=responder, start_date=approved.start_date, end_date=approved.start_date, reason="Leave"
        )
    else:
        responder = make()
    client = _client(coordinator)
    response = client.post(f"/srrt/requests/{approved.pk}/staffing/", _assign(approved, responder))
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page and message in page
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"role": ""}, "Enter the responder’s role"),
        ({"responder": ""}, "Choose a responder"),
        ({"end_date_day": "1", "end_date_month": "1", "end_date_year": "2000"}, "The last day must be the same as"),
        ({"start_date_year": ""}, "First day must include a year"),
    ],
)
def test_bad_assignments_save_nothing(coordinator, approved, responder, overrides, message):
    response = _client(coordinator).post(
        f"/srrt/requests/{approved.pk}/staffing/", _assign(approved, responder, overrides)
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_request_not_yet_approved_cannot_be_staffed(coordinator, requester, responder):
    submitted = SurgeRequestFactory(requester=requester)
    client = _client(coordinator)
    page = client.get(f"/srrt/requests/{submitted.pk}/staffing/").content.decode()
    assert "Responders can be assigned once a request is approved" in page and "Assign responder</button>" not in page
    response = client.post(f"/srrt/requests/{submitted.pk}/staffing/", _assign(submitted, responder))
    assert response.status_code == 400 and "once a request is approved" in response.content.decode()
    assert not Assignment.objects.exists()


def test_take_a_responder_off(coordinator, approved, responder):
    client = _client(coordinator)
    client.post(f"/srrt/requests/{approved.pk}/staffing/", _assign(approved, responder))
    assignment = Assignment.objects.get()
    url = f"/srrt/requests/{approved.pk}/assignments/{assignment.pk}/remove/"
    response = client.post(url, {"note": ""})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    assert Assignment.objects.exists()
    client.post(url, {"note": "Needed on another deployment."})
    assert not Assignment.objects.exists()


def test_staffing_is_for_coordinators_only(requester, approved, responder, odp_admin):
    for other in (requester, responder.member, odp_admin):
        client = _client(other)
        assert client.get(f"/srrt/requests/{approved.pk}/staffing/").status_code == 404
        assert client.post(f"/srrt/requests/{approved.pk}/staffing/", _assign(approved, responder)).status_code == 404
    assert not Assignment.objects.exists()


def test_deployments_highlight_those_ending_soon(coordinator, requester, responder, settings):
    today = timezone.localdate()
    live = SurgeRequestFactory(requester=requester, status=SurgeStatus.ACTIVE, title="Live deployment")
    later = SurgeRequestFactory(requester=requester, status=SurgeStatus.APPROVED, title="Later deployment")
    Assignment.objects.create(
        request=live,
        responder=responder,
        role="Agent",
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=3),
        assigned_by=coordinator,
    )
    Assignment.objects.create(
        request=later,
        responder=responder,
        role="Team leader",
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=60),
        assigned_by=coordinator,
    )
    page = _client(responder.member).get("/srrt/deployments/").content.decode()
    assert page.count("Ends within a week") == 1
    row = page.split("Live deployment")[1].split("</tr>")[0]
    assert "Ends within a week" in row
    # Coordinators see it among assignments ending within a week on the triage page.
    settings.SRRT_ENDING_SOON_DAYS = 40
    page = _client(responder.member).get("/srrt/deployments/").content.decode()
    assert page.count("Ends within 40 days") == 1 and "Ends within a week" not in page
    settings.SRRT_ENDING_SOON_DAYS = 7
    ending = _client(coordinator).get("/srrt/triage/").content.decode().split("Assignments ending within 7 days")[1]
    assert f"{live.reference}</a>: {responder}" in ending and f"{later.reference}</a>" not in ending


def test_deployments_empty_and_for_responders_only(responder, requester, coordinator):
    page = _client(responder.member).get("/srrt/deployments/").content.decode()
    assert "You have no deployments" in page and "Security Check (SC)" in page
    assert _client(requester).get("/srrt/deployments/").status_code == 404
    assert _client(coordinator).get("/srrt/deployments/").status_code == 404
    not_rostered = MemberFactory()
    grant(not_rostered, Role.SRRT_RESPONDER)
    assert "not on the responder roster" in _client(not_rostered).get("/srrt/deployments/").content.decode()


def test_responders_keep_their_own_unavailable_dates(responder, coordinator):
    client = _client(responder.member)
    start = timezone.localdate() + datetime.timedelta(days=20)
    bad = _date("start_date", start) | _date("end_date", start - datetime.timedelta(days=2))
    response = client.post("/srrt/deployments/", bad)
    assert response.status_code == 400
    assert "The last day must be the same as or after the first day" in response.content.decode()
    assert not UnavailablePeriod.objects.exists()
    good = _date("start_date", start) | _date("end_date", start + datetime.timedelta(days=2)) | {"reason": "Course"}
    response = client.post("/srrt/deployments/", good, follow=True)
    assert "Unavailable dates added" in response.content.decode() and "Course" in response.content.decode()
    period = UnavailablePeriod.objects.get(responder=responder)
    # Nobody else's dates can be removed from here, not even by a coordinator through this page.
    other = ResponderFactory()
    theirs = UnavailablePeriod.objects.create(responder=other, start_date=start, end_date=start)
    assert client.post(f"/srrt/deployments/unavailable/{theirs.pk}/remove/").status_code == 404
    assert _client(coordinator).post(f"/srrt/deployments/unavailable/{period.pk}/remove/").status_code == 404
    client.post(f"/srrt/deployments/unavailable/{period.pk}/remove/")
    assert list(UnavailablePeriod.objects.all()) == [theirs]
