"""Metrics runs (admins), published capability metrics (admins: all; heads of profession: their organisations,
small groups suppressed) and ROI evaluations (admins), through the API."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from skills.models import Cohort, Intervention, MetricsRun, RoiAssumptions, RoiEvaluation, RunStatus
from skills.selectors import ODP_FRAMEWORK_SLUG
from tests.factories import MemberFactory
from tests.skills.factories import FrameworkFactory, published_version

BASE = "/api/v1/skills"


def client_for(member) -> APIClient:
    api = APIClient()
    api.force_authenticate(member.user)
    return api


@pytest.fixture
def framework(db):
    return published_version(n_skills=2, framework=FrameworkFactory(slug=ODP_FRAMEWORK_SLUG))


@pytest.fixture
def snapshot(framework, odp_admin, staff_member, head_of_profession, dwp, django_capture_on_commit_callbacks):
    """Today's snapshot: DWP has the admin and five more customer service practitioners (six members); the
    Home Office has the head of profession, and HM Passport Office the staff member (one each)."""
    for _ in range(5):
        MemberFactory(organisation=dwp)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(odp_admin).post(f"{BASE}/metrics/runs/", {}, format="json")
    assert response.status_code == 202, response.content
    return response.json()


def test_an_admin_requests_a_run_and_it_completes_inline(snapshot, odp_admin):
    run = client_for(odp_admin).get(f"{BASE}/metrics/runs/{snapshot['id']}/").json()

    assert (run["status"], run["progress"], run["stage"]) == ("succeeded", 100, "Done")
    assert run["rows"] > 0
    assert run["requested_by"] == odp_admin.pk
    assert run["snapshot_date"] == timezone.localdate().isoformat()
    assert client_for(odp_admin).get(f"{BASE}/metrics/runs/").json()["count"] == 1


def test_a_future_snapshot_date_is_a_field_error(framework, odp_admin):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client_for(odp_admin).post(f"{BASE}/metrics/runs/", {"snapshot_date": tomorrow}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "snapshot_date"
    assert not MetricsRun.objects.exists()


@pytest.mark.parametrize("who", ["staff_member", "head_of_profession"])
def test_only_admins_see_or_request_runs(framework, who, request):
    api = client_for(request.getfixturevalue(who))

    assert api.get(f"{BASE}/metrics/runs/").status_code == 403
    assert api.post(f"{BASE}/metrics/runs/", {}, format="json").status_code == 403
    assert not MetricsRun.objects.exists()


def test_admins_read_every_organisations_figures_unsuppressed(snapshot, odp_admin, dwp, passport_office):
    rows = client_for(odp_admin).get(f"{BASE}/metrics/", {"scope": "org"}).json()["results"]

    by_org = {row["organisation"]: row for row in rows}
    assert set(by_org) >= {dwp.pk, passport_office.pk}
    assert by_org[dwp.pk]["members_in_scope"] == 6
    assert by_org[passport_office.pk]["members_in_scope"] == 1
    assert by_org[passport_office.pk]["suppressed"] is False
    assert by_org[passport_office.pk]["capability_index"] == 0.0


def test_heads_of_profession_read_their_organisations_with_small_groups_suppressed(
    snapshot, head_of_profession, home_office, passport_office
):
    api = client_for(head_of_profession)

    rows = api.get(f"{BASE}/metrics/", {"scope": "org"}).json()["results"]
    profession = api.get(f"{BASE}/metrics/", {"scope": "profession"}).json()

    assert sorted(row["organisation"] for row in rows) == sorted([home_office.pk, passport_office.pk])
    for row in rows:
        assert row["suppressed"] is True
        assert [row[f] for f in ("members_in_scope", "members_assessed", "mean_level", "capability_index")] == [
            None
        ] * 4
    assert profession["count"] == 0


def test_metrics_filter_by_date_and_refuse_bad_filters(snapshot, odp_admin, dwp):
    api = client_for(odp_admin)

    other_day = api.get(f"{BASE}/metrics/", {"snapshot_date": "2020-01-01"}).json()
    dwp_skills = api.get(f"{BASE}/metrics/", {"scope": "org_skill", "organisation": dwp.pk}).json()
    bad = api.get(f"{BASE}/metrics/", {"scope": "galaxy"})

    assert other_day["count"] == 0
    assert dwp_skills["count"] == 2
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "scope"


def test_staff_cannot_read_metrics(snapshot, staff_member):
    assert client_for(staff_member).get(f"{BASE}/metrics/").status_code == 403


@pytest.fixture
def cohort(framework) -> Cohort:
    course = Intervention.objects.create(name="AI foundations", kind="course", provider="Government Digital")
    course.target_skills.add(framework.skills.get(code="S1"))
    RoiAssumptions.objects.create(
        effective_from=datetime.date(2025, 4, 1),
        value_per_level_point=Decimal("1000"),
        attribution_percent=50,
        confidence_percent=80,
        follow_up_days=30,
        minimum_group_size=10,
        source_note="Illustrative figures for tests.",
    )
    return Cohort.objects.create(
        intervention=course, name="Spring", starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2026, 3, 27)
    )


def test_an_admin_evaluates_a_cohort_and_reads_the_latest_with_assumptions(cohort, odp_admin):
    api = client_for(odp_admin)

    first = api.post(f"{BASE}/roi/", {"cohort": cohort.pk}, format="json")
    second = api.post(f"{BASE}/roi/", {"cohort": cohort.pk}, format="json")
    listed = api.get(f"{BASE}/roi/", {"intervention": cohort.intervention_id}).json()

    assert first.status_code == second.status_code == 201
    body = second.json()
    assert (body["outcome"], body["reason"]) == ("insufficient", "No participant has completed this cohort yet.")
    assert (body["treated_n"], body["comparison_n"], body["roi_percent"]) == (0, 0, None)
    assert body["assumptions"]["minimum_group_size"] == 10
    assert body["assumptions"]["source_note"] == "Illustrative figures for tests."
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    assert RoiEvaluation.objects.count() == 2


@pytest.mark.parametrize("who", ["staff_member", "head_of_profession"])
def test_only_admins_see_or_run_roi(cohort, who, request):
    api = client_for(request.getfixturevalue(who))

    assert api.get(f"{BASE}/roi/").status_code == 403
    assert api.post(f"{BASE}/roi/", {"cohort": cohort.pk}, format="json").status_code == 403
    assert not RoiEvaluation.objects.exists()


def test_a_run_is_queued_until_the_request_commits(framework, odp_admin, django_capture_on_commit_callbacks):
    """The job is published through the outbox after commit, so the response can only promise it."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(odp_admin).post(f"{BASE}/metrics/runs/", {}, format="json")
    assert response.status_code == 202
    assert response.json()["status"] == RunStatus.QUEUED
    assert len(callbacks) == 1
