"""The demo year's objectives and KPIs, covering the committee's four areas: capability (including digital and AI
skills), ideas, the SRRT as a last resort, and the profession's profile and annual report. Most KPIs read the
service's own figures; two are entered by the demo admin with their evidence. Idempotent: skipped once the year
has objectives."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from odp.audit import acting_as
from odp.models import Member
from reporting import services
from reporting.models import MANUAL_SOURCE, Direction, KpiUnit, Objective

DEMO_YEAR = 2026
H, L = Direction.HIGHER, Direction.LOWER

# (objective, [(name, source, unit, baseline, target, direction, manual value, evidence)])
OBJECTIVES: list[tuple[str, list[tuple[str, str, str, str, str, str, str | None, str]]]] = [
    (
        "Build the capability the profession needs, including the digital and AI skills agreed with the "
        "Government Digital and Data profession.",
        [
            ("Members who have assessed their skills", "skills.coverage", KpiUnit.PERCENT, "45", "75", H, None, ""),
            (
                "Skills at or above the expected level",
                "skills.share_meeting_expected",
                KpiUnit.PERCENT,
                "34",
                "48",
                H,
                None,
                "",
            ),
            (
                "Digital skills at or above the expected level",
                "skills.digital_share_meeting_expected",
                KpiUnit.PERCENT,
                "40",
                "60",
                H,
                None,
                "",
            ),
            (
                "AI skills at or above the expected level",
                "skills.ai_share_meeting_expected",
                KpiUnit.PERCENT,
                "30",
                "45",
                H,
                None,
                "",
            ),
        ],
    ),
    (
        "Give every member the time, tools and support to raise ideas that improve services, and answer every "
        "idea promptly.",
        [
            ("Ideas submitted", "ideas.submitted", KpiUnit.COUNT, "150", "300", H, None, ""),
            (
                "Median days from submission to decision",
                "ideas.median_days_to_decision",
                KpiUnit.DAYS,
                "50",
                "30",
                L,
                None,
                "",
            ),
            ("Ideas implemented", "ideas.implemented", KpiUnit.COUNT, "40", "80", H, None, ""),
        ],
    ),
    (
        "Keep the Surge and Rapid Response Team for genuine emergencies: departments plan for and absorb their "
        "own foreseeable peaks.",
        [
            (
                "Surge requests that were foreseeable",
                "srrt.share_foreseeable",
                KpiUnit.PERCENT,
                "95",
                "70",
                L,
                None,
                "",
            ),
            (
                "Departments with a tested plan for their known peaks",
                MANUAL_SOURCE,
                KpiUnit.PERCENT,
                "35",
                "80",
                H,
                "62",
                "Return from 24 heads of profession, October 2026; each plan checked by the ODP central team "
                "against its organisation's calendar of peaks.",
            ),
        ],
    ),
    (
        "Raise the profession's profile: publish an annual report on performance against these objectives and "
        "open careers across central and local government.",
        [
            (
                "Opportunities open across central and local government and partners",
                "careers.cross_divide_opportunities",
                KpiUnit.COUNT,
                "5",
                "25",
                H,
                None,
                "",
            ),
            (
                "Members who would recommend the profession as a career",
                MANUAL_SOURCE,
                KpiUnit.PERCENT,
                "58",
                "70",
                H,
                "66",
                "ODP members' survey, September 2026: 3,412 responses, question 9 (agree or strongly agree).",
            ),
        ],
    ),
]


def seed() -> dict[str, int]:
    admin = Member.objects.filter(user__username="admin").first()
    if admin is None or Objective.objects.filter(year=DEMO_YEAR).exists():
        return {}
    kpis = 0
    with transaction.atomic(), acting_as(admin.user):
        for order, (text, rows) in enumerate(OBJECTIVES, start=1):
            objective = services.objective_save(by=admin, year=DEMO_YEAR, text=text, order=order)
            for position, (name, source, unit, baseline, target, direction, value, evidence) in enumerate(rows, 1):
                services.kpi_save(
                    by=admin,
                    objective=objective,
                    answers={
                        "name": name,
                        "source": source,
                        "unit": unit,
                        "baseline": Decimal(baseline),
                        "target": Decimal(target),
                        "direction": direction,
                        "manual_value": Decimal(value) if value else None,
                        "evidence": evidence,
                        "order": position,
                    },
                )
                kpis += 1
    return {"objectives": len(OBJECTIVES), "KPIs": kpis}
