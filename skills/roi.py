"""Return on investment of learning interventions (Phillips ROI methodology), per cohort.

- Treated: members who completed the cohort. Comparison: active members never enrolled on the intervention,
  in the same organisation, grade and role level as a treated member (exact matching).
- Levels on the intervention's target skills as at the cohort's start (baseline) and a set number of days
  after it ends (follow-up), by the same current-level rule as the capability metrics. A member counts when
  they have a level on at least one target skill at both dates; their change is the mean over those skills.
- Uplift is the difference in differences: (treated after - treated before) - (comparison after - comparison
  before), with the comparison reweighted to the treated group's mix of organisation, grade and role level.
- Benefit = uplift × treated members × value per level point per person-year × attribution × confidence.
- Cost = per-cohort cost items plus per-participant items × everyone enrolled (withdrawals still cost).
- ROI % = (benefit - cost) / cost × 100; benefit-cost ratio = benefit / cost.
- Below the minimum group size on either side, or with no baseline, the result is "insufficient data":
  no number is ever shown without its group sizes and assumptions.
Per-member figures and per-stratum sums are computed in SQL; Python only combines the handful of strata."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum

from odp import access
from odp.models import Member
from odp.sql import table as _t
from skills.metrics import drop_levels, materialise_levels
from skills.models import (
    Cohort,
    CostItem,
    Enrolment,
    EnrolmentStatus,
    Intervention,
    RoiAssumptions,
    RoiEvaluation,
    RoiOutcome,
    Skill,
)


@dataclass
class Stratum:
    treated_n: int = 0
    treated_before: float = 0.0
    treated_after: float = 0.0
    comparison_n: int = 0
    comparison_before: float = 0.0
    comparison_after: float = 0.0


def current_assumptions(on: datetime.date) -> RoiAssumptions | None:
    return RoiAssumptions.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def cohort_cost(cohort: Cohort) -> Decimal:
    participants = Enrolment.objects.filter(cohort=cohort).count()
    sums = CostItem.objects.filter(intervention_id=cohort.intervention_id).aggregate(
        fixed=Sum("amount", filter=Q(per_participant=False)), each=Sum("amount", filter=Q(per_participant=True))
    )
    return (sums["fixed"] or Decimal(0)) + (sums["each"] or Decimal(0)) * participants


def _strata(cohort: Cohort, baseline: datetime.date, follow_up: datetime.date) -> dict[tuple, Stratum]:
    strata: dict[tuple, Stratum] = defaultdict(Stratum)
    with connection.cursor() as cursor:
        before = materialise_levels(cursor, baseline, "tmp_roi_before")
        after = materialise_levels(cursor, follow_up, "tmp_roi_after")
        cursor.execute(
            f"""
            WITH treated AS (
                SELECT member_id FROM {_t(Enrolment)} WHERE cohort_id = %s AND status = %s
            ),
            participants AS (
                SELECT e.member_id FROM {_t(Enrolment)} e JOIN {_t(Cohort)} c ON c.id = e.cohort_id
                WHERE c.intervention_id = %s
            ),
            targets AS (
                SELECT DISTINCT s.lineage FROM {_t(Intervention.target_skills.through)} ts
                JOIN {_t(Skill)} s ON s.id = ts.skill_id WHERE ts.intervention_id = %s
            ),
            strata AS (
                SELECT DISTINCT m.organisation_id, m.grade, m.role_level
                FROM {_t(Member)} m JOIN treated t ON t.member_id = m.id
            ),
            per_member AS (
                SELECT m.id, m.organisation_id, m.grade, m.role_level,
                       CASE WHEN m.id IN (SELECT member_id FROM treated) THEN 1 ELSE 0 END AS is_treated,
                       AVG(b.level * 1.0) AS before_level, AVG(a.level * 1.0) AS after_level
                FROM {_t(Member)} m
                JOIN strata st ON st.organisation_id = m.organisation_id AND st.grade = m.grade
                              AND st.role_level = m.role_level
                CROSS JOIN targets tg
                JOIN {before} b ON b.member_id = m.id AND b.lineage = tg.lineage
                JOIN {after} a ON a.member_id = m.id AND a.lineage = tg.lineage
                WHERE m.is_active
                  AND (m.id IN (SELECT member_id FROM treated) OR m.id NOT IN (SELECT member_id FROM participants))
                GROUP BY m.id, m.organisation_id, m.grade, m.role_level
            )
            SELECT is_treated, organisation_id, grade, role_level, COUNT(*), SUM(before_level), SUM(after_level)
            FROM per_member GROUP BY is_treated, organisation_id, grade, role_level
            """,
            [cohort.pk, EnrolmentStatus.COMPLETED, cohort.intervention_id, cohort.intervention_id],
        )
        rows = cursor.fetchall()
        drop_levels(cursor, before)
        drop_levels(cursor, after)
    for is_treated, org, grade, role_level, n, before_sum, after_sum in rows:
        stratum = strata[(org, grade, role_level)]
        if is_treated:
            stratum.treated_n, stratum.treated_before, stratum.treated_after = n, float(before_sum), float(after_sum)
        else:
            stratum.comparison_n = n
            stratum.comparison_before, stratum.comparison_after = float(before_sum), float(after_sum)
    return strata


def _people(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _money(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def evaluate_cohort(*, cohort: Cohort, by: Member | None, assumptions: RoiAssumptions | None = None) -> RoiEvaluation:
    if by is not None and not access.can(by, "skills.run_metrics"):
        raise PermissionDenied("Only ODP admins can evaluate interventions.")
    baseline = cohort.starts_on
    assumptions = (
        assumptions or current_assumptions(baseline) or RoiAssumptions.objects.order_by("effective_from").first()
    )
    if assumptions is None:
        raise ValidationError("Record the ROI assumptions before evaluating interventions.")
    follow_up = cohort.ends_on + datetime.timedelta(days=assumptions.follow_up_days)
    evaluation = RoiEvaluation(
        cohort=cohort,
        assumptions=assumptions,
        baseline_date=baseline,
        follow_up_date=follow_up,
        cost=_money(cohort_cost(cohort)),
    )
    strata = _strata(cohort, baseline, follow_up)
    matched = {key: s for key, s in strata.items() if s.treated_n and s.comparison_n}
    evaluation.treated_n = sum(s.treated_n for s in matched.values())
    evaluation.comparison_n = sum(s.comparison_n for s in matched.values())
    minimum = assumptions.minimum_group_size
    completed = Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.COMPLETED).count()
    if completed == 0:
        reason = "No participant has completed this cohort yet."
    elif not any(s.treated_n for s in strata.values()):
        reason = "No participant has a baseline and a follow-up level on the target skills."
    elif evaluation.treated_n < minimum or evaluation.comparison_n < minimum:
        reason = (
            f"Too few people to measure: {_people(evaluation.treated_n, 'participant')} and "
            f"{_people(evaluation.comparison_n, 'comparison member')} with levels at both dates "
            f"(at least {minimum} of each are needed)."
        )
    else:
        reason = ""
    if reason:
        evaluation.outcome, evaluation.reason = RoiOutcome.INSUFFICIENT_DATA, reason
        evaluation.save()
        return evaluation

    # Weight each stratum by its share of the treated group, so the comparison mirrors the participants' mix.
    weights = {key: s.treated_n / evaluation.treated_n for key, s in matched.items()}
    evaluation.treated_before = sum(s.treated_before / evaluation.treated_n for s in matched.values())
    evaluation.treated_after = sum(s.treated_after / evaluation.treated_n for s in matched.values())
    evaluation.comparison_before = sum(weights[k] * s.comparison_before / s.comparison_n for k, s in matched.items())
    evaluation.comparison_after = sum(weights[k] * s.comparison_after / s.comparison_n for k, s in matched.items())
    evaluation.uplift = (evaluation.treated_after - evaluation.treated_before) - (
        evaluation.comparison_after - evaluation.comparison_before
    )
    benefit = (
        Decimal(str(evaluation.uplift))
        * evaluation.treated_n
        * assumptions.value_per_level_point
        * Decimal(assumptions.attribution_percent)
        / 100
        * Decimal(assumptions.confidence_percent)
        / 100
    )
    evaluation.benefit = _money(benefit)
    if evaluation.cost > 0:
        evaluation.roi_percent = float((evaluation.benefit - evaluation.cost) / evaluation.cost * 100)
        evaluation.benefit_cost_ratio = float(evaluation.benefit / evaluation.cost)
    evaluation.outcome = RoiOutcome.RESULT
    evaluation.save()
    return evaluation


def latest_evaluations() -> QuerySet[RoiEvaluation]:
    """The newest evaluation of each cohort, for the ROI pages and API."""
    newest = RoiEvaluation.objects.filter(cohort_id=OuterRef("cohort_id")).order_by("-computed_at", "-pk")
    return (
        RoiEvaluation.objects.filter(pk=Subquery(newest.values("pk")[:1]))
        .select_related("cohort__intervention", "assumptions")
        .order_by("cohort__intervention__name", "cohort__starts_on", "pk")
    )
