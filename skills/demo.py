"""Demo skills data for `seed_demo`: the illustrative sample framework published, a realistic spread of
assessments with history for the demo members, interventions with cohorts and enrolments, illustrative ROI
assumptions, today's capability metrics and ROI evaluations. Idempotent: each part is skipped once present.

Ratings are written in bulk (a few thousand rows) with the current-level table filled by the same rule the
services apply, so `seed_demo` stays quick; the demo staff member keeps skills to assess and a pending
self-assessment for their line manager to confirm."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from odp.audit import acting_as
from odp.models import Member
from skills import coverage, importing, metrics, roi, services
from skills.careers import demo as careers_demo
from skills.models import (
    Assessment,
    Cohort,
    CostItem,
    CurrentLevel,
    Enrolment,
    EnrolmentStatus,
    Expectation,
    Framework,
    FrameworkVersion,
    Intervention,
    MetricsRun,
    RaterKind,
    RoiAssumptions,
    RoiEvaluation,
    RunStatus,
    Skill,
)
from skills.selectors import ODP_FRAMEWORK_SLUG

SAMPLE = Path(__file__).resolve().parent / "data" / "sample_framework.json"
ADMIN_USERNAME = "admin"
STAFF_USERNAME = "staff"
SEED = 20261129

# (name, kind, provider, target skill codes, costs as (category, amount, per participant))
INTERVENTIONS = [
    (
        "Using AI tools safely and well",
        "course",
        "Government Digital and Data profession (illustrative)",
        ["AI1", "AI2"],
        [("delivery", "18000", False), ("participant_time", "210", True)],
    ),
    (
        "Operational Delivery apprenticeship (level 3)",
        "apprenticeship",
        "Illustrative training provider",
        ["CS1", "CW1", "CI1"],
        [("delivery", "4500", True), ("participant_time", "1400", True)],
    ),
    (
        "Leading operational teams",
        "leadership_programme",
        "Civil Service leadership academy (illustrative)",
        ["LP1", "LP2"],
        [("delivery", "26000", False), ("participant_time", "650", True), ("travel", "120", True)],
    ),
]


@dataclass
class SkillsSeedResult:
    created: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def _admin() -> Member:
    return Member.objects.select_related("user").get(user__username=ADMIN_USERNAME)


def _framework(admin: Member, result: SkillsSeedResult) -> FrameworkVersion:
    framework, _ = Framework.objects.get_or_create(
        slug=ODP_FRAMEWORK_SLUG,
        defaults={
            "name": "ODP skills framework",
            "description": "The skills the Operational Delivery Profession expects of its members.",
        },
    )
    current = framework.current_version()
    if current is not None:
        return current
    draft = framework.versions.filter(status="draft").first()
    if draft is None:
        draft = importing.import_file(framework=framework, data=SAMPLE.read_bytes(), file_format="json", by=admin)
    result.created["framework versions"] = 1
    return services.version_publish(version=draft, by=admin, note="Illustrative sample framework for the demo")


def _rating_level(rng: random.Random, expected: int, top: int) -> int:
    return max(1, min(top, expected + rng.choice([-2, -1, -1, 0, 0, 0, 1])))


def _assessments(version: FrameworkVersion, result: SkillsSeedResult) -> None:
    """About three quarters of members have rated themselves on most expected skills a year or so ago; line
    managers confirmed or adjusted most of those; some members re-rated since."""
    if Assessment.objects.exists():
        return
    rng = random.Random(SEED)
    top = version.max_level
    expectations: dict[tuple[str, int], list[tuple[Skill, int]]] = {}
    for e in Expectation.objects.filter(profile__version=version).select_related("skill", "profile"):
        expectations.setdefault((e.profile.job_family, e.profile.role_level), []).append((e.skill, e.expected_level))
    now = timezone.now()
    rows: list[Assessment] = []
    members = Member.objects.filter(is_active=True).select_related("user").order_by("pk")
    for member in members:
        expected = expectations.get((member.job_family, member.role_level), [])
        staff = member.user.username == STAFF_USERNAME
        if not expected or (not staff and rng.random() < 0.25):
            continue
        # The demo staff member leaves their last three skills to assess in the demo journey, and their
        # first skill's self-assessment waits for their line manager (`manager`) to confirm.
        for position, (skill, level) in enumerate(expected[:-3] if staff else expected):
            if not staff and rng.random() < 0.15:
                continue
            self_level = _rating_level(rng, level, top)
            rated = now - datetime.timedelta(days=rng.randint(200, 420), hours=rng.randint(0, 23))
            rows.append(_rating(member, skill, self_level, RaterKind.SELF, member.pk, rated, "I use this every week."))
            awaiting_manager = staff and position == 0
            if member.line_manager_id and not awaiting_manager and rng.random() < 0.7:
                adjusted = self_level if rng.random() < 0.7 else max(1, self_level - 1)
                reason = "" if adjusted == self_level else "Needs more evidence of doing this unsupervised."
                manager, confirmed_at = member.line_manager_id, rated + _days(9)
                rows.append(_rating(member, skill, adjusted, RaterKind.LINE_MANAGER, manager, confirmed_at, reason))
            if not awaiting_manager and rng.random() < 0.2:
                later, rerated_at = min(top, self_level + 1), now - _days(rng.randint(5, 60))
                rows.append(_rating(member, skill, later, RaterKind.SELF, member.pk, rerated_at, ""))
    Assessment.objects.bulk_create(rows, batch_size=1000)
    _current_levels_from_history()
    result.created["assessments"] = len(rows)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _rating(member, skill, level, kind, by_id, at, why) -> Assessment:
    return Assessment(
        member=member,
        skill=skill,
        lineage=skill.lineage,
        version_id=skill.version_id,
        level=level,
        rater_kind=kind,
        rated_by_id=by_id,
        rated_at=at,
        rationale=why,
    )


def _current_levels_from_history() -> None:
    """The current-level rule over the seeded history: the latest rating by the most trusted rater, with a
    newer self-assessment left pending for the line manager."""
    rows = []
    by_pair: dict[tuple[int, int], list[Assessment]] = {}
    for a in Assessment.objects.order_by("rated_at", "pk"):
        by_pair.setdefault((a.member_id, a.lineage), []).append(a)
    for (member_id, lineage), history in by_pair.items():
        current = max(history, key=lambda a: (RaterKind.trust(a.rater_kind), a.rated_at, a.pk))
        latest = history[-1]
        pending = latest if latest.rater_kind == RaterKind.SELF else None
        rows.append(
            CurrentLevel(
                member_id=member_id,
                lineage=lineage,
                assessment=current,
                level=current.level,
                rater_kind=current.rater_kind,
                rated_at=current.rated_at,
                pending_self_assessment=pending,
            )
        )
    CurrentLevel.objects.bulk_create(rows, batch_size=1000)
    coverage.refresh_all()


def _interventions(version: FrameworkVersion, admin: Member, result: SkillsSeedResult) -> None:
    if Intervention.objects.exists():
        return
    rng = random.Random(SEED + 1)
    skills = {s.code: s for s in version.skills.all()}
    members = list(Member.objects.filter(is_active=True).order_by("pk"))
    today = timezone.localdate()
    with acting_as(admin.user):
        for n, (name, kind, provider, codes, costs) in enumerate(INTERVENTIONS):
            intervention = Intervention.objects.create(name=name, kind=kind, provider=provider)
            intervention.target_skills.set([skills[c] for c in codes if c in skills])
            CostItem.objects.bulk_create(
                CostItem(intervention=intervention, category=c, amount=Decimal(a), per_participant=p)
                for c, a, p in costs
            )
            for c, months_ago in enumerate((14, 8)):
                starts = today - datetime.timedelta(days=30 * months_ago)
                cohort = Cohort.objects.create(
                    intervention=intervention,
                    name=f"Cohort {c + 1} ({starts:%B %Y})",
                    starts_on=starts,
                    ends_on=starts + datetime.timedelta(days=70 + 30 * n),
                )
                for member in rng.sample(members, 18):
                    status = rng.choices(["completed", "withdrawn", "enrolled"], weights=[80, 10, 10])[0]
                    Enrolment.objects.get_or_create(
                        cohort=cohort,
                        member=member,
                        defaults={
                            "status": status,
                            "completed_on": cohort.ends_on if status == EnrolmentStatus.COMPLETED else None,
                        },
                    )
        _measured_cohort(rng)
    result.created["interventions"] = len(INTERVENTIONS)


def _measured_cohort(rng: random.Random) -> None:
    """Give the AI tools course's second cohort a measurable result: a dozen completers from the largest group
    of colleagues (same organisation, grade and role level) and the rest of that group as the comparison, with
    line managers' ratings on the target skills just before the cohort and a month after it ends."""
    intervention = Intervention.objects.get(name=INTERVENTIONS[0][0])
    cohort = intervention.cohorts.order_by("starts_on").last()
    already = set(Enrolment.objects.filter(cohort__intervention=intervention).values_list("member_id", flat=True))
    strata: dict[tuple, list[Member]] = {}
    for member in Member.objects.filter(is_active=True).order_by("pk"):
        if member.pk not in already:
            strata.setdefault((member.organisation_id, member.grade, member.role_level), []).append(member)
    group = max(strata.values(), key=len)
    treated = group[:12]
    for member in treated:
        Enrolment.objects.create(cohort=cohort, member=member, status="completed", completed_on=cohort.ends_on)
    before = timezone.make_aware(datetime.datetime.combine(cohort.starts_on - _days(1), datetime.time(10)))
    after = timezone.make_aware(datetime.datetime.combine(cohort.ends_on + _days(30), datetime.time(10)))
    rows = []
    for member in group:
        for skill in intervention.target_skills.all():
            end_level = rng.choice([2, 3, 3]) if member in treated else rng.choice([1, 1, 2])
            for level, at in ((1, before), (end_level, after)):
                why = "Observed at a team review."
                rows.append(_rating(member, skill, level, RaterKind.LINE_MANAGER, member.line_manager_id, at, why))
    Assessment.objects.bulk_create(rows, batch_size=1000)
    CurrentLevel.objects.all().delete()
    _current_levels_from_history()


def _roi_assumptions(result: SkillsSeedResult) -> None:
    if RoiAssumptions.objects.exists():
        return
    RoiAssumptions.objects.create(
        effective_from=datetime.date(2024, 4, 1),
        value_per_level_point=Decimal("1200.00"),
        attribution_percent=50,
        confidence_percent=70,
        follow_up_days=90,
        minimum_group_size=10,
        source_note=(
            "Illustrative demo assumptions, not official figures: one proficiency level point valued at £1,200 "
            "per person-year; half the change attributed to the intervention; 70% confidence in the estimate."
        ),
    )
    result.created["ROI assumptions"] = 1


DEMO_SNAPSHOT_DAYS_AGO = (300, 150, 0)


def _metrics_and_roi(admin: Member, result: SkillsSeedResult) -> None:
    if not MetricsRun.objects.filter(status=RunStatus.SUCCEEDED).exists():
        today = timezone.localdate()
        # Two earlier snapshots as well as today's, so the reporting dashboards' trend has points.
        for days_ago in DEMO_SNAPSHOT_DAYS_AGO:
            metrics.compute(metrics.request_run(by=admin, snapshot_date=today - datetime.timedelta(days=days_ago)))
        result.created["metrics runs"] = len(DEMO_SNAPSHOT_DAYS_AGO)
    if not RoiEvaluation.objects.exists():
        for cohort in Cohort.objects.filter(ends_on__lt=timezone.localdate()):
            roi.evaluate_cohort(cohort=cohort, by=admin)
        result.created["ROI evaluations"] = RoiEvaluation.objects.count()


def seed() -> SkillsSeedResult:
    result = SkillsSeedResult()
    admin = _admin()
    with transaction.atomic():
        version = _framework(admin, result)
        _assessments(version, result)
        _interventions(version, admin, result)
        _roi_assumptions(result)
        result.created["career opportunities"] = careers_demo.seed(version)
    _metrics_and_roi(admin, result)
    return result
