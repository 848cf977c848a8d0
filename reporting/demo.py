"""Reporting demo data for `seed_demo`: the demo year's draft annual report (reporting.annual_report.demo).
Idempotent. Also the demo year's objectives and KPIs (reporting.objectives_demo)."""

from __future__ import annotations

from dataclasses import dataclass, field

from reporting import objectives_demo
from reporting.annual_report import demo as annual_report_demo


@dataclass
class ReportingSeedResult:
    created: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def seed() -> ReportingSeedResult:
    result = ReportingSeedResult()
    result.created.update(objectives_demo.seed())  # first, so the report can quote the KPIs
    result.created.update(annual_report_demo.seed())
    return result
