"""ODP admin metrics and ROI pages: runs with progress, Run now, a run page whose progress updates in place
while it runs, and ROI results that always carry their group sizes and assumptions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skills.models import (
    Cohort,
    Intervention,
    InterventionKind,
    MetricsRun,
    RoiAssumptions,
    RoiEvaluation,
    RoiOutcome,
    RunStatus,
)
from tests.skills.factories import FrameworkFactory, published_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client: Client, odp_admin) -> Client:
    client.force_login(odp_admin.user)
    return client


@pytest.fixture
def assumptions() -> RoiAssumptions:
    return RoiAssumptions.objects.create(
        effective_from=datetime.date(2024, 4, 1),
        value_per_level_point=Decimal("1200.00"),
        attribution_percent=50,
        confidence_percent=70,
        follow_up_days=90,
        minimum_group_size=10,
        source_note="Illustrative test figures.",
    )


@pytest.fixture
def cohort() -> Cohort:
    course = Intervention.objects.create(name="Casework academy", kind=InterventionKind.COURSE, provider="CSL")
    return Cohort.objects.create(
        intervention=course, name="Cohort 1", starts_on=datetime.date(2025, 1, 6), ends_on=datetime.date(2025, 3, 28)
    )


def evaluation(cohort: Cohort, assumptions: RoiAssumptions, **fields: object) -> RoiEvaluation:
    defaults: dict[str, object] = {
        "baseline_date": cohort.starts_on,
        "follow_up_date": cohort.ends_on + datetime.timedelta(days=90),
        "cost": Decimal("20000.00"),
    }
    return RoiEvaluation.objects.create(cohort=cohort, assumptions=assumptions, **(defaults | fields))


def test_pages_are_for_admins_only(client, staff_member, head_of_profession, cohort):
    run = MetricsRun.objects.create(snapshot_date=timezone.localdate())
    gets = [reverse("web-skills-metrics"), reverse("web-skills-metrics-run", args=[run.pk]), reverse("web-skills-roi")]
    posts = [reverse("web-skills-metrics-run-now"), reverse("web-skills-roi-evaluate", args=[cohort.pk])]
    for url in gets + posts:
        assert client.get(url).status_code in {302, 405}
    for member in (staff_member, head_of_profession):
        client.force_login(member.user)
        for url in gets:
            assert client.get(url).status_code == 404
        for url in posts:
            assert client.post(url).status_code == 404
    assert MetricsRun.objects.count() == 1
    assert not RoiEvaluation.objects.exists()


def test_run_now_completes_inline_and_the_run_page_shows_100_percent(
    admin, staff_member, django_capture_on_commit_callbacks
):
    published_version(n_skills=2, framework=FrameworkFactory(slug="odp-skills"))

    with django_capture_on_commit_callbacks(execute=True):  # no broker: the relay runs the job after commit
        response = admin.post(reverse("web-skills-metrics-run-now"))

    run = MetricsRun.objects.get()
    assert response["Location"] == reverse("web-skills-metrics-run", args=[run.pk])
    assert run.status == RunStatus.SUCCEEDED
    html = admin.get(response["Location"]).content.decode()
    assert '<progress class="govuk-!-width-full" id="run-progress" max="100" value="100">' in html
    assert '<span id="run-percent">100%</span>' in html
    assert '<strong class="govuk-tag govuk-tag--green">Succeeded</strong>' in html
    assert 'http-equiv="refresh"' not in html
    assert '<div id="run-status" aria-live="polite" data-finished>' in html
    assert "Check progress" not in html
    listing = admin.get(reverse("web-skills-metrics")).content.decode()
    assert "100%" in listing


def test_run_now_is_post_only(admin):
    assert admin.get(reverse("web-skills-metrics-run-now")).status_code == 405
    assert not MetricsRun.objects.exists()


@pytest.mark.parametrize("status", [RunStatus.QUEUED, RunStatus.RUNNING])
def test_a_run_in_progress_updates_its_progress_region_in_place(admin, status):
    """No meta refresh (it moves focus to the top: WCAG F41): a live region the script updates in place, and
    a link to check progress by hand without JavaScript."""
    run = MetricsRun.objects.create(snapshot_date=timezone.localdate(), status=status, progress=40, stage="Roll-ups")
    url = reverse("web-skills-metrics-run", args=[run.pk])

    html = admin.get(url).content.decode()

    assert 'http-equiv="refresh"' not in html
    assert f'data-module="odp-progress" data-progress-url="{url}" data-progress-region="run-status"' in html
    assert '<div id="run-status" aria-live="polite">' in html
    assert f'<a class="govuk-link" href="{url}">Check progress</a>' in html
    assert 'value="40"' in html
    assert "Roll-ups" in html


def test_a_failed_run_shows_its_error(admin):
    run = MetricsRun.objects.create(
        snapshot_date=timezone.localdate(), status=RunStatus.FAILED, progress=30, error="Worker lost"
    )

    html = admin.get(reverse("web-skills-metrics-run", args=[run.pk])).content.decode()

    assert '<strong class="govuk-tag govuk-tag--red">Failed</strong>' in html
    assert "Worker lost" in html
    assert 'http-equiv="refresh"' not in html
    assert '<div id="run-status" aria-live="polite" data-finished>' in html
    assert "Check progress" not in html


def test_roi_result_shows_numbers_with_ns_dates_and_assumptions(admin, cohort, assumptions):
    evaluation(
        cohort,
        assumptions,
        outcome=RoiOutcome.RESULT,
        treated_n=14,
        comparison_n=120,
        treated_before=1.5,
        treated_after=2.4,
        comparison_before=1.6,
        comparison_after=1.8,
        uplift=0.7,
        benefit=Decimal("4116.00"),
        roi_percent=-79.42,
        benefit_cost_ratio=0.2058,
    )

    html = admin.get(reverse("web-skills-roi")).content.decode()

    assert "ROI -79%" in html
    assert "benefit-cost ratio 0.21" in html
    assert "14 participants, 120 comparison members" in html
    assert "Baseline 6 Jan 2025, follow-up 26 Jun 2025" in html
    assert "0.70 level points" in html
    assert "£4,116.00" in html and "£20,000.00" in html
    for text in (
        "£1,200.00 per person-year",
        "Attribution: 50%",
        "Confidence: 70%",
        "Follow-up: 90 days",
        "Minimum group: 10",
        "Illustrative test figures.",
    ):
        assert text in html


def test_insufficient_data_shows_the_reason_and_still_the_ns(admin, cohort, assumptions):
    evaluation(
        cohort,
        assumptions,
        outcome=RoiOutcome.INSUFFICIENT_DATA,
        reason="Too few people to measure: 3 participants and 40 comparison members.",
        treated_n=3,
        comparison_n=40,
    )

    html = admin.get(reverse("web-skills-roi")).content.decode()

    assert '<strong class="govuk-tag govuk-tag--yellow">Insufficient data</strong>' in html
    assert "Too few people to measure" in html
    assert "3 participants, 40 comparison members" in html
    assert "Attribution: 50%" in html
    assert "ROI " not in html


def test_evaluating_a_cohort_again_records_a_new_evaluation(admin, cohort, assumptions):
    response = admin.post(reverse("web-skills-roi-evaluate", args=[cohort.pk]))

    assert response["Location"] == f"{reverse('web-skills-roi')}#cohort-{cohort.pk}"
    latest = RoiEvaluation.objects.get(cohort=cohort)
    assert latest.outcome == RoiOutcome.INSUFFICIENT_DATA
    html = admin.get(reverse("web-skills-roi")).content.decode()
    assert "Casework academy, Cohort 1 evaluated again" in html
    assert "No participant has completed this cohort yet." in html


def test_evaluating_without_assumptions_explains_why_not(admin, cohort):
    admin.post(reverse("web-skills-roi-evaluate", args=[cohort.pk]))

    html = admin.get(reverse("web-skills-roi")).content.decode()
    assert "Record the ROI assumptions before evaluating interventions." in html
    assert "Not evaluated yet." in html
    assert not RoiEvaluation.objects.exists()
