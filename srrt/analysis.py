"""Who uses the SRRT and why (the committee's recommendation 6), every figure aggregated in the database.

A *deployment* is a request that started deploying (it has a ``Deployment`` record) and was not cancelled;
it belongs to the year and month it actually started. Responder-days and cost are the recorded figures.
Demand-side figures (foreseeability, acceptance) count requests by the year they were first submitted.

``usage_summary(year, organisation_ids=None)`` is what the reporting app calls; the analysis page and its
downloads read the same function."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, IntegerField, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, TruncDate

from srrt.dates import DaysBetween
from srrt.models import Agreement, DemandType, Deployment, Foreseeability, SurgeRequest, SurgeStatus

MONTHS = [datetime.date(2000, m, 1).strftime("%B") for m in range(1, 13)]
_FIGURES = {
    "deployments": Count("pk"),
    "responder_days": Coalesce(Sum("responder_days"), 0),
    "cost": Coalesce(Sum("cost"), Decimal("0")),
}


def _money(value: object) -> Decimal:
    """Pounds and pence, the same on every database (SQLite's sums lose the trailing zeros)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def deployments(year: int | None = None, organisation_ids: list[int] | None = None) -> QuerySet[Deployment]:
    qs = Deployment.objects.exclude(request__status=SurgeStatus.CANCELLED)
    if year is not None:
        qs = qs.filter(actual_start_date__year=year)
    if organisation_ids is not None:
        qs = qs.filter(request__organisation_id__in=organisation_ids)
    return qs.order_by()


def submitted_requests(year: int | None = None, organisation_ids: list[int] | None = None) -> QuerySet[SurgeRequest]:
    qs = SurgeRequest.objects.filter(submitted_at__isnull=False)
    if year is not None:
        qs = qs.filter(submitted_at__year=year)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs.order_by()


def years_with_data() -> list[int]:
    """Years with any deployment, newest first, for the page's filter."""
    return list(
        Deployment.objects.annotate(y=ExtractYear("actual_start_date"))
        .order_by("-y")
        .values_list("y", flat=True)
        .distinct()
    )


def _rows(qs: QuerySet[Deployment], *keys: str) -> list[dict[str, Any]]:
    return list(qs.values(*keys).annotate(**_FIGURES).order_by(*keys))


def by_organisation(year: int | None = None, organisation_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Per organisation: deployments, responder-days, cost; most deployments first. ``repeat`` marks an
    organisation that used the SRRT more than once in the period."""
    rows = list(
        deployments(year, organisation_ids)
        .values("request__organisation_id", "request__organisation__name")
        .annotate(**_FIGURES)
        .order_by("-deployments", "-responder_days", "request__organisation__name")
    )
    return [
        {
            "organisation_id": r["request__organisation_id"],
            "organisation": r["request__organisation__name"],
            "deployments": r["deployments"],
            "responder_days": r["responder_days"],
            "cost": _money(r["cost"]),
            "repeat": r["deployments"] > 1,
        }
        for r in rows
    ]


def by_demand_type(year: int | None = None, organisation_ids: list[int] | None = None) -> list[dict[str, Any]]:
    rows = _rows(deployments(year, organisation_ids), "request__demand_type")
    labels = dict(DemandType.choices)
    return [
        {
            "demand_type": r["request__demand_type"],
            "label": labels.get(r["request__demand_type"], "Not given"),
            "deployments": r["deployments"],
            "responder_days": r["responder_days"],
            "cost": _money(r["cost"]),
        }
        for r in sorted(rows, key=lambda r: -r["deployments"])
    ]


def by_month(year: int, organisation_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """All twelve months of the year, empty ones included, so the seasonal pattern is plain to see."""
    found = {
        r["m"]: r
        for r in deployments(year, organisation_ids)
        .annotate(m=ExtractMonth("actual_start_date"))
        .values("m")
        .annotate(**_FIGURES)
        .order_by("m")
    }
    return [
        {
            "month": m,
            "label": MONTHS[m - 1],
            "deployments": found.get(m, {}).get("deployments", 0),
            "responder_days": found.get(m, {}).get("responder_days", 0),
            "cost": _money(found.get(m, {}).get("cost")),
        }
        for m in range(1, 13)
    ]


def by_year(organisation_ids: list[int] | None = None) -> list[dict[str, Any]]:
    rows = (
        deployments(None, organisation_ids)
        .annotate(y=ExtractYear("actual_start_date"))
        .values("y")
        .annotate(
            **_FIGURES,
            organisations=Count("request__organisation", distinct=True),
        )
        .order_by("y")
    )
    return [{"year": r.pop("y"), **r, "cost": _money(r["cost"])} for r in rows]


def repeat_users(year: int | None = None, organisation_ids: list[int] | None = None) -> int:
    """Organisations with more than one deployment in the period."""
    return (
        deployments(year, organisation_ids)
        .values("request__organisation_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )


@dataclass(frozen=True)
class UsageSummary:
    year: int | None
    deployments: int
    responder_days: int
    cost: Decimal
    organisations: int
    repeat_organisations: int
    requests_submitted: int
    approved: int
    declined: int
    planned_surge: int
    likely_foreseeable: int
    possibly_foreseeable: int
    unforeseeable: int
    average_days_to_deploy: float | None
    shortest_days_to_deploy: int | None
    longest_days_to_deploy: int | None
    by_organisation: list[dict[str, Any]] = field(default_factory=list)
    by_demand_type: list[dict[str, Any]] = field(default_factory=list)
    by_month: list[dict[str, Any]] = field(default_factory=list)
    by_year: list[dict[str, Any]] = field(default_factory=list)

    @property
    def acceptance_rate(self) -> float | None:
        """Approved as a share of requests decided either way (asking for more information is not a decision)."""
        decided = self.approved + self.declined
        return self.approved / decided if decided else None

    @property
    def assessed(self) -> int:
        return self.likely_foreseeable + self.possibly_foreseeable + self.unforeseeable

    @property
    def share_foreseeable(self) -> float | None:
        """Requests judged likely or possibly foreseeable, as a share of those assessed."""
        return (self.likely_foreseeable + self.possibly_foreseeable) / self.assessed if self.assessed else None

    @property
    def share_likely_foreseeable(self) -> float | None:
        return self.likely_foreseeable / self.assessed if self.assessed else None

    def as_dict(self) -> dict[str, Any]:
        """Plain values for the reporting app and the API."""
        return {
            "year": self.year,
            "deployments": self.deployments,
            "responder_days": self.responder_days,
            "cost": str(self.cost),
            "organisations": self.organisations,
            "repeat_organisations": self.repeat_organisations,
            "requests_submitted": self.requests_submitted,
            "approved": self.approved,
            "declined": self.declined,
            "planned_surge": self.planned_surge,
            "acceptance_rate": self.acceptance_rate,
            "likely_foreseeable": self.likely_foreseeable,
            "possibly_foreseeable": self.possibly_foreseeable,
            "unforeseeable": self.unforeseeable,
            "share_foreseeable": self.share_foreseeable,
            "share_likely_foreseeable": self.share_likely_foreseeable,
            "average_days_to_deploy": self.average_days_to_deploy,
            "shortest_days_to_deploy": self.shortest_days_to_deploy,
            "longest_days_to_deploy": self.longest_days_to_deploy,
            "by_organisation": [{**r, "cost": str(r["cost"])} for r in self.by_organisation],
            "by_demand_type": [{**r, "cost": str(r["cost"])} for r in self.by_demand_type],
            "by_month": [{**r, "cost": str(r["cost"])} for r in self.by_month],
            "by_year": [{**r, "cost": str(r["cost"])} for r in self.by_year],
        }


def usage_summary(year: int | None = None, organisation_ids: list[int] | None = None) -> UsageSummary:
    """Every figure for ``year`` (all years if None), optionally for some organisations only. A fixed number
    of grouped queries, whatever the volume."""
    organisation_ids = list(organisation_ids) if organisation_ids is not None else None
    deployed = deployments(year, organisation_ids)
    lead = DaysBetween("actual_start_date", TruncDate("request__submitted_at"))
    totals = deployed.aggregate(
        **_FIGURES,
        organisations=Count("request__organisation", distinct=True),
        average_lead=Avg(lead),
        shortest_lead=Min(lead, output_field=IntegerField()),
        longest_lead=Max(lead, output_field=IntegerField()),
    )
    demand = submitted_requests(year, organisation_ids).aggregate(
        submitted=Count("pk"),
        # Approval sets the agreement, which stays even if the request is later cancelled.
        approved=Count("pk", filter=~Q(agreement="")),
        declined=Count("pk", filter=Q(status=SurgeStatus.DECLINED)),
        planned_surge=Count("pk", filter=Q(agreement=Agreement.PLANNED_SURGE)),
        likely=Count("pk", filter=Q(foreseeability=Foreseeability.LIKELY)),
        possibly=Count("pk", filter=Q(foreseeability=Foreseeability.POSSIBLY)),
        unforeseeable=Count("pk", filter=Q(foreseeability=Foreseeability.UNFORESEEABLE)),
    )
    average = totals["average_lead"]
    return UsageSummary(
        year=year,
        deployments=totals["deployments"],
        responder_days=int(totals["responder_days"]),
        cost=_money(totals["cost"]),
        organisations=totals["organisations"],
        repeat_organisations=repeat_users(year, organisation_ids),
        requests_submitted=demand["submitted"],
        approved=demand["approved"],
        declined=demand["declined"],
        planned_surge=demand["planned_surge"],
        likely_foreseeable=demand["likely"],
        possibly_foreseeable=demand["possibly"],
        unforeseeable=demand["unforeseeable"],
        average_days_to_deploy=round(float(average), 1) if average is not None else None,
        shortest_days_to_deploy=totals["shortest_lead"],
        longest_days_to_deploy=totals["longest_lead"],
        by_organisation=by_organisation(year, organisation_ids),
        by_demand_type=by_demand_type(year, organisation_ids),
        by_month=by_month(year, organisation_ids) if year is not None else [],
        by_year=by_year(organisation_ids),
    )


DOWNLOAD_HEADER = ["Breakdown", "Group", "Deployments", "Responder-days", "Cost recharged (£)"]


def download_rows(summary: UsageSummary) -> list[list[object]]:
    """Every breakdown as one long table, for the CSV and spreadsheet downloads."""
    rows: list[list[object]] = []
    for r in summary.by_organisation:
        rows.append(["Organisation", r["organisation"], r["deployments"], r["responder_days"], r["cost"]])
    for r in summary.by_demand_type:
        rows.append(["Demand type", r["label"], r["deployments"], r["responder_days"], r["cost"]])
    for r in summary.by_month:
        rows.append(["Month", r["label"], r["deployments"], r["responder_days"], r["cost"]])
    for r in summary.by_year:
        rows.append(["Year", r["year"], r["deployments"], r["responder_days"], r["cost"]])
    return rows
