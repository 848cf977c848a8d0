"""Figures against hand-built snapshots, ideas, surge requests and opportunities: values, scoping, suppression."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from innovation.models import IdeaEvent, IdeaStatus
from reporting import figures
from reporting.figures import FIGURES, Figure, available_figures, figure
from skills.models import CapabilityMetric, MetricScope, MetricsRun, Opportunity, PublishedSnapshot, RunStatus
from skills.models.careers import OpportunityAudience, OpportunityKind
from srrt.models import Agreement, Deployment, Foreseeability, SurgeStatus
from tests.factories import MemberFactory
from tests.innovation.factories import IdeaFactory
from tests.skills.factories import RoleProfileFactory, SkillFactory
from tests.srrt.factories import SurgeRequestFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def at(day: D) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10))


def snapshot(day: D, *, published: bool = True) -> MetricsRun:
    run = MetricsRun.objects.create(snapshot_date=day, status=RunStatus.SUCCEEDED)
    if published:
        PublishedSnapshot.objects.create(snapshot_date=day, run=run, published_at=at(day))
    return run


def metric(
    run: MetricsRun,
    scope: str,
    *,
    organisation=None,
    lineage=None,
    people=10,
    assessed=8,
    rows=40,
    meeting=30,
    index=32.0,
) -> CapabilityMetric:
    return CapabilityMetric.objects.create(
        run=run,
        snapshot_date=run.snapshot_date,
        scope=scope,
        organisation=organisation,
        lineage=lineage,
        members_in_scope=people,
        members_assessed=assessed,
        rows_in_scope=rows,
        rows_assessed=assessed * 4,
        sum_level=assessed * 8,
        rows_meeting=meeting,
        sum_gap=10,
        sum_index=index,
    )


def test_display_formats():
    def f(value, unit, suppressed=False):
        return Figure("k", "Label", unit, value, None, "src", suppressed).display()

    assert f(Decimal("72.4"), "%") == "72.4%"
    assert f(Decimal("1250"), "£") == "£1,250"
    assert f(Decimal("1250.50"), "£") == "£1,250.50"
    assert f(Decimal("1024"), "people") == "1,024 people"
    assert f(Decimal("12.5"), "days") == "12.5 days"
    assert f(Decimal("1"), "days") == "1 day"
    assert f(Decimal("3"), "count") == "3"
    assert f(None, "%") == "not available"
    assert f(None, "%", suppressed=True) == "fewer than 5"


def test_registry_has_the_agreed_keys():
    for key in (
        "skills.capability_index",
        "skills.coverage",
        "skills.share_meeting_expected",
        "skills.digital_share_meeting_expected",
        "ideas.submitted",
        "ideas.median_days_to_decision",
        "ideas.implemented",
        "ideas.benefits_realised_hours",
        "srrt.deployments",
        "srrt.share_foreseeable",
        "srrt.acceptance_rate",
        "careers.cross_divide_opportunities",
    ):
        assert key in FIGURES
    assert ("ideas.submitted", "Ideas submitted") in available_figures()
    with pytest.raises(KeyError):
        figure("no.such.figure", year=2026)


def test_skills_figures_read_the_snapshot_nearest_before_year_end(home_office, dwp):
    old = snapshot(D(2025, 6, 30))
    metric(old, MetricScope.PROFESSION, people=100, assessed=50, rows=400, meeting=100, index=200.0)
    current = snapshot(D(2025, 12, 31))
    metric(current, MetricScope.PROFESSION, people=100, assessed=80, rows=400, meeting=300, index=320.0)
    later = snapshot(D(2026, 1, 31))  # next year's: never read for 2025
    metric(later, MetricScope.PROFESSION, people=100, assessed=100, rows=400, meeting=400, index=400.0)
    unpublished = snapshot(D(2025, 12, 30), published=False)
    metric(unpublished, MetricScope.PROFESSION, people=100, assessed=1, rows=400, meeting=1, index=1.0)

    coverage = figure("skills.coverage", year=2025)
    assert (coverage.value, coverage.as_at, coverage.unit) == (Decimal("80.0"), D(2025, 12, 31), "%")
    assert figure("skills.share_meeting_expected", year=2025).value == Decimal("75.0")
    assert figure("skills.capability_index", year=2025).display() == "80.0"
    assert figure("skills.members_in_scope", year=2025).display() == "100 people"
    assert figure("skills.coverage", year=2026).value == Decimal("100.0")
    missing = figure("skills.coverage", year=2024)
    assert (missing.value, missing.as_at, missing.display()) == (None, None, "not available")


def test_skills_figures_scoped_to_organisations_and_suppressed_for_small_groups(home_office, passport_office, dwp):
    run = snapshot(D(2026, 3, 31))
    metric(run, MetricScope.PROFESSION, people=30, assessed=30, rows=120, meeting=120, index=120.0)
    metric(run, MetricScope.ORGANISATION, organisation=home_office, people=10, assessed=5, rows=40, meeting=10)
    metric(run, MetricScope.ORGANISATION, organisation=passport_office, people=3, assessed=3, rows=12, meeting=12)
    metric(run, MetricScope.ORGANISATION, organisation=dwp, people=17, assessed=17, rows=68, meeting=68)

    # The Home Office family: 13 people summed exactly, DWP's rows never included.
    family = figure("skills.coverage", year=2026, organisation_ids=[home_office.pk, passport_office.pk])
    assert family.value == Decimal("61.5")  # 8 of 13
    share = figure("skills.share_meeting_expected", year=2026, organisation_ids=[home_office.pk, passport_office.pk])
    assert share.value == Decimal("42.3")  # 22 of 52 rows
    small = figure("skills.coverage", year=2026, organisation_ids=[passport_office.pk])
    assert small.suppressed and small.value is None and small.display() == "fewer than 5"
    assert figure("skills.coverage", year=2026).value == Decimal("100.0")


def test_digital_and_ai_subsets_sum_the_flagged_skills(home_office, dwp):
    digital = SkillFactory(is_digital=True)
    ai = SkillFactory(is_ai=True, is_digital=True, version=digital.version)
    plain = SkillFactory(version=digital.version)
    for skill in (digital, ai, plain):
        skill.lineage = skill.pk
        skill.save(update_fields=["lineage"])
    run = snapshot(D(2026, 6, 30))
    metric(run, MetricScope.PROFESSION_SKILL, lineage=digital.lineage, people=20, rows=20, meeting=10)
    metric(run, MetricScope.PROFESSION_SKILL, lineage=ai.lineage, people=10, rows=10, meeting=2)
    metric(run, MetricScope.PROFESSION_SKILL, lineage=plain.lineage, people=20, rows=20, meeting=20)
    metric(
        run,
        MetricScope.ORGANISATION_SKILL,
        organisation=home_office,
        lineage=digital.lineage,
        people=6,
        rows=6,
        meeting=6,
    )
    metric(
        run, MetricScope.ORGANISATION_SKILL, organisation=home_office, lineage=ai.lineage, people=3, rows=3, meeting=0
    )
    metric(
        run, MetricScope.ORGANISATION_SKILL, organisation=dwp, lineage=digital.lineage, people=14, rows=14, meeting=4
    )

    assert figure("skills.digital_share_meeting_expected", year=2026).value == Decimal("40.0")  # 12 of 30
    assert figure("skills.ai_share_meeting_expected", year=2026).value == Decimal("20.0")  # 2 of 10
    home = figure("skills.digital_share_meeting_expected", year=2026, organisation_ids=[home_office.pk])
    assert home.value == Decimal("66.7")  # 6 of 9
    home_ai = figure("skills.ai_share_meeting_expected", year=2026, organisation_ids=[home_office.pk])
    assert home_ai.suppressed and home_ai.display() == "fewer than 5"


def _idea(
    author,
    *,
    submitted: D,
    decided: D | None = None,
    status=IdeaStatus.SUBMITTED,
    hours=None,
    reached: dict | None = None,
):
    idea = IdeaFactory(
        author=author,
        status=status,
        submitted_at=at(submitted),
        decided_at=at(decided) if decided else None,
        hours_saved_per_year=hours,
    )
    for to_status, day in (reached or {}).items():
        IdeaEvent.objects.create(idea=idea, at=at(day), kind=IdeaEvent.Kind.STATUS, to_status=to_status)
    return idea


def test_ideas_figures(home_office, dwp):
    home = MemberFactory(organisation=home_office)
    other = MemberFactory(organisation=dwp)
    # Five decided in 2026 at 2, 4, 6, 10 and 30 days: the median is 6.
    for days in (2, 4, 6, 10, 30):
        _idea(
            home,
            submitted=D(2026, 2, 1),
            decided=D(2026, 2, 1) + datetime.timedelta(days=days),
            status=IdeaStatus.ACCEPTED,
        )
    _idea(home, submitted=D(2025, 12, 1), decided=D(2025, 12, 3), status=IdeaStatus.ACCEPTED)  # 2025's
    _idea(
        home,
        submitted=D(2026, 3, 1),
        status=IdeaStatus.IMPLEMENTED,
        hours=100,
        reached={IdeaStatus.IMPLEMENTED: D(2026, 5, 1)},
    )
    _idea(
        other,
        submitted=D(2025, 3, 1),
        status=IdeaStatus.BENEFITS_REALISED,
        hours=250,
        reached={IdeaStatus.IMPLEMENTED: D(2025, 9, 1), IdeaStatus.BENEFITS_REALISED: D(2026, 4, 1)},
    )
    _idea(other, submitted=D(2026, 1, 5))
    IdeaFactory(author=other, status=IdeaStatus.DRAFT, submitted_at=None)  # drafts never count

    assert figure("ideas.submitted", year=2026).value == 7
    assert figure("ideas.submitted", year=2026, organisation_ids=[dwp.pk]).value == 1
    median = figure("ideas.median_days_to_decision", year=2026)
    assert (median.value, median.display()) == (Decimal("6.0"), "6 days")
    # DWP decided none in 2026; Home Office decided 5, enough to show.
    assert figure("ideas.median_days_to_decision", year=2026, organisation_ids=[dwp.pk]).display() == "not available"
    assert figure("ideas.median_days_to_decision", year=2026, organisation_ids=[home_office.pk]).value == 6
    assert figure("ideas.median_days_to_decision", year=2025).suppressed  # one decision only
    assert figure("ideas.implemented", year=2026).value == 1
    assert figure("ideas.implemented", year=2025).value == 1
    assert figure("ideas.benefits_realised_hours", year=2026).display() == "250 hours"
    assert figure("ideas.benefits_realised_hours", year=2026, organisation_ids=[home_office.pk]).value == 0


def test_median_of_an_even_number_is_the_mean_of_the_middle_two(home_office):
    author = MemberFactory(organisation=home_office)
    for days in (1, 3, 5, 7, 9, 11):
        _idea(
            author,
            submitted=D(2026, 1, 1),
            decided=D(2026, 1, 1) + datetime.timedelta(days=days),
            status=IdeaStatus.ACCEPTED,
        )
    assert figure("ideas.median_days_to_decision", year=2026).value == Decimal("6.0")


def test_median_counts_repeated_values_once_each(home_office):
    """The median is read from counts per number of days: repeats must weigh as many decisions as they are."""
    author = MemberFactory(organisation=home_office)
    for days in (2, 2, 2, 3, 40, 40):  # sorted: 2 2 2 3 40 40, middle two 2 and 3
        _idea(
            author,
            submitted=D(2026, 1, 1),
            decided=D(2026, 1, 1) + datetime.timedelta(days=days),
            status=IdeaStatus.ACCEPTED,
        )
    assert figure("ideas.median_days_to_decision", year=2026).value == Decimal("2.5")
    _idea(author, submitted=D(2026, 1, 1), decided=D(2026, 2, 10), status=IdeaStatus.ACCEPTED)  # 40 days again
    assert figure("ideas.median_days_to_decision", year=2026).value == Decimal("3.0")


def test_srrt_figures_come_from_the_usage_summary(home_office, dwp):
    coordinator = MemberFactory(organisation=dwp)
    home = MemberFactory(organisation=home_office)
    other = MemberFactory(organisation=dwp)
    fore = [
        Foreseeability.LIKELY,
        Foreseeability.POSSIBLY,
        Foreseeability.UNFORESEEABLE,
        Foreseeability.UNFORESEEABLE,
        Foreseeability.LIKELY,
    ]
    for i, f in enumerate(fore):
        request = SurgeRequestFactory(
            requester=home,
            status=SurgeStatus.CLOSED,
            agreement=Agreement.SRRT,
            foreseeability=f,
            submitted_at=at(D(2026, 2, 1 + i)),
        )
        if i < 3:
            Deployment.objects.create(
                request=request,
                actual_start_date=D(2026, 3, 1 + i),
                planned_end_date=D(2026, 4, 1),
                responder_days=10,
                daily_rate=Decimal("300"),
                cost=Decimal("3000"),
                updated_by=coordinator,
            )
    SurgeRequestFactory(
        requester=other,
        status=SurgeStatus.DECLINED,
        foreseeability=Foreseeability.LIKELY,
        submitted_at=at(D(2026, 5, 1)),
    )

    assert figure("srrt.deployments", year=2026).value == 3
    assert figure("srrt.responder_days", year=2026).display() == "30 days"
    assert figure("srrt.share_foreseeable", year=2026).value == Decimal("66.7")  # 4 of 6 assessed
    assert figure("srrt.acceptance_rate", year=2026).value == Decimal("83.3")  # 5 approved of 6 decided
    assert figure("srrt.deployments", year=2026, organisation_ids=[dwp.pk]).value == 0
    # DWP: one request assessed and decided: rates withheld.
    assert figure("srrt.share_foreseeable", year=2026, organisation_ids=[dwp.pk]).suppressed
    assert figure("srrt.acceptance_rate", year=2026, organisation_ids=[dwp.pk]).display() == "fewer than 5"
    assert figure("srrt.acceptance_rate", year=2025).display() == "not available"


def test_cross_divide_opportunities(home_office, dwp):
    profile = RoleProfileFactory()
    for organisation, audience in (
        (home_office, OpportunityAudience.ACROSS_THE_DIVIDE),
        (home_office, OpportunityAudience.ACROSS_THE_DIVIDE),
        (dwp, OpportunityAudience.ACROSS_THE_DIVIDE),
        (dwp, OpportunityAudience.CENTRAL_GOVERNMENT),
    ):
        Opportunity.objects.create(
            title="Operations manager",
            organisation=organisation,
            kind=OpportunityKind.ROLE,
            grade="HEO",
            closing_on=D(2027, 1, 31),
            role_profile=profile,
            apply_contact="jobs@example.gov.uk",
            audience=audience,
        )
    year = timezone.localdate().year
    assert figure("careers.cross_divide_opportunities", year=year).value == 3
    assert figure("careers.cross_divide_opportunities", year=year, organisation_ids=[home_office.pk]).value == 2
    assert figure("careers.cross_divide_opportunities", year=year - 1).value == 0


def test_skills_figures_take_a_fixed_number_of_queries(django_assert_max_num_queries, home_office):
    run = snapshot(D(2026, 3, 31))
    for _ in range(20):
        metric(run, MetricScope.ORGANISATION, organisation=home_office)
    with django_assert_max_num_queries(2):
        figures.figure("skills.coverage", year=2026, organisation_ids=[home_office.pk])
