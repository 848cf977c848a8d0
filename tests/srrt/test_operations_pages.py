"""The deployment and close-out page, and the usage analysis page with its downloads: who may use them, the
forms' errors, and a full walk from approved to closed."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from srrt import services
from srrt.models import Appraisal, Deployment, SurgeStatus
from tests.srrt.factories import SurgeRequestFactory
from tests.srrt.test_analysis import history  # noqa: F401  (the hand-worked history fixture)

pytestmark = pytest.mark.django_db


def _date(prefix: str, field: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}-{field}_day": day.day, f"{prefix}-{field}_month": day.month, f"{prefix}-{field}_year": day.year}


@pytest.fixture
def approved(requester, coordinator, responder):
    request = SurgeRequestFactory(requester=requester, status=SurgeStatus.APPROVED, agreement="srrt")
    services.assignment_create(
        by=coordinator,
        request=request,
        responder=responder,
        role="Caseworker",
        start_date=request.start_date,
        end_date=request.end_date,
    )
    return request


def test_coordinator_walks_the_deployment_to_closed(client, approved, coordinator, requester):
    url = f"/srrt/requests/{approved.pk}/deployment/"
    client.force_login(coordinator.user)
    page = client.get(url)
    assert page.status_code == 200 and b"Start deployment" in page.content
    post = client.post(url, {"action": "start", **_date("start", "actual_start_date", approved.start_date)})
    assert post.status_code == 302
    approved.refresh_from_db()
    assert approved.status == SurgeStatus.DEPLOYING
    client.post(url, {"action": "move"})
    # Bad input on the figures form: end before start, negative days, shows errors and changes nothing.
    bad = client.post(
        url,
        {
            "action": "figures",
            **_date("figures", "actual_start_date", approved.start_date),
            **_date("figures", "actual_end_date", approved.start_date - datetime.timedelta(days=1)),
            "figures-responder_days": "-3",
            "figures-hours": "10",
        },
    )
    assert bad.status_code == 400 and b"There is a problem" in bad.content
    assert Deployment.objects.get().responder_days == 0
    client.post(
        url,
        {
            "action": "figures",
            **_date("figures", "actual_start_date", approved.start_date),
            **_date("figures", "actual_end_date", approved.end_date),
            "figures-responder_days": "14",
            "figures-hours": "105",
        },
    )
    assert Deployment.objects.get().cost == 14 * Deployment.objects.get().daily_rate
    client.post(url, {"action": "move"})
    approved.refresh_from_db()
    assert approved.status == SurgeStatus.CLOSING
    client.post(
        url,
        {
            "action": "close_out",
            "close_out-volumes_cleared": "5000",
            "close_out-objectives_met": "yes",
            "close_out-outcomes": "Cleared",
        },
    )
    client.post(
        url,
        {
            "action": "recommend",
            "recommend-text": "Keep a reserve list",
            "recommend-owner": "Head of Operations",
            **_date("recommend", "due_on", datetime.date(2030, 1, 31)),
        },
    )
    client.post(url, {"action": "appraise", "appraise-score": "3"})
    client.post(url, {"action": "move"})
    approved.refresh_from_db()
    assert approved.status == SurgeStatus.CLOSED
    # The requester sees the figures on the request page's section, appraises, and marks the recommendation done.
    client.force_login(requester.user)
    page = client.get(url)
    assert b"Cost recharged" in page.content and b"Keep a reserve list" in page.content
    assert b"Start deployment" not in page.content
    client.post(url, {"action": "appraise", "appraise-score": "4", "appraise-comment": "Helpful"})
    recommendation = approved.recommendations.get()
    client.post(url, {"action": "done", "done-recommendation": recommendation.pk, "done-done_note": "Done"})
    assert sorted(Appraisal.objects.values_list("side", "score")) == [("coordinator", 3), ("requester", 4)]
    recommendation.refresh_from_db()
    assert recommendation.is_done
    # A requester cannot use the coordinator's forms.
    assert client.post(url, {"action": "move"}).status_code == 404


def test_others_cannot_reach_another_organisations_deployment(client, approved, staff_member):
    client.force_login(staff_member.user)
    assert client.get(f"/srrt/requests/{approved.pk}/deployment/").status_code == 404


def test_analysis_page_for_coordinators_and_admins_only(client, history, coordinator, odp_admin, requester):  # noqa: F811
    client.force_login(requester.user)
    assert client.get("/srrt/analysis/").status_code == 404
    for member in (coordinator, odp_admin):
        client.force_login(member.user)
        page = client.get("/srrt/analysis/?year=2024")
        assert page.status_code == 200
        text = page.content.decode()
        assert "Who uses the SRRT and why: 2024" in text
        assert "Repeat user" in text and "Home Office" in text
        assert "£70,000" in text


def test_analysis_downloads(client, history, coordinator):  # noqa: F811
    client.force_login(coordinator.user)
    csv = client.get("/srrt/analysis/?year=2024&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0] == "Breakdown,Group,Deployments,Responder-days,Cost recharged (£)"
    assert "Organisation,Home Office,3,180,63000.00" in lines
    ods = client.get("/srrt/analysis/?year=all&format=ods")
    assert ods["Content-Disposition"] == 'attachment; filename="srrt-usage-all-years.ods"'
    assert zipfile.ZipFile(io.BytesIO(ods.content)).namelist()[0] == "mimetype"
    # A year that is not offered falls back to the latest year rather than failing.
    assert "Who uses the SRRT and why: 2024" in client.get("/srrt/analysis/?year=1800").content.decode()
