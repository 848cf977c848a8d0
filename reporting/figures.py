"""Headline figures for a reporting year, by key: what KPIs are measured against and what the annual report and
dashboards quote. Each figure is one or two aggregate queries, never a loop over rows.

Sources and definitions (``organisation_ids`` limits every figure to those organisations; callers pass the ids a
reader may see, e.g. ``odp.access.head_of_profession_organisation_ids``, which already includes child bodies):
- skills.*: the published capability snapshot nearest on or before 31 December of the year (``as_at`` is its
  date); the profession-wide row, or the sum of the organisations' rows. Digital and AI subsets sum the per-skill
  rows of skills flagged ``is_digital`` / ``is_ai``. Shares are of member × expected-skill rows (skills/metrics.py).
- ideas.submitted: ideas submitted in the year, by the organisation they were raised in. Median days to decision:
  ideas decided in the year, submission to decision, in the organisation that owed the decision. Implemented and
  benefits realised: ideas that reached that status in the year (from their timeline); hours are the ideas'
  estimated hours saved per year.
- srrt.*: ``srrt.analysis.usage_summary(year, organisation_ids)``.
- careers.cross_divide_opportunities: opportunities offered in the year open to central and local government and
  partners.

Suppression: a figure about a group of fewer than ``settings.SMALL_GROUP_THRESHOLD`` people (skills), and a rate
or median based on fewer than that many cases, is withheld (``suppressed``, shown as "fewer than 5"). Plain counts
of ideas, requests and opportunities are not about small groups of people and are shown as they are."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str  # "%", "people", "£", "days", "count", "index", "hours"
    value: Decimal | None
    as_at: datetime.date | None
    source: str
    suppressed: bool = False

    def display(self) -> str:
        if self.suppressed:
            return f"fewer than {settings.SMALL_GROUP_THRESHOLD}"
        if self.value is None:
            return "not available"
        return format_value(self.value, self.unit)


def format_value(value: Decimal, unit: str) -> str:
    """A value as people read it: "72.4%", "£1,250", "1,024 people", "12.5 days"."""
    whole = value == value.to_integral_value()
    number = f"{value:,.0f}" if whole else f"{value:,.1f}"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "index":
        return f"{value:.1f}"
    if unit == "£":
        return f"£{value:,.0f}" if whole else f"£{value:,.2f}"
    if unit in ("people", "days", "hours"):
        return f"{number} {unit if value != 1 else unit.rstrip('s')}"
    return number


@dataclass(frozen=True)
class Result:
    value: Decimal | None
    as_at: datetime.date | None = None
    suppressed: bool = False


Compute = Callable[[int, list[int] | None], Result]


@dataclass(frozen=True)
class FigureSource:
    key: str
    label: str
    unit: str
    source: str  # where the figure comes from, in words, shown beside it
    compute: Compute


def _small(n: int | None) -> bool:
    return (n or 0) < settings.SMALL_GROUP_THRESHOLD


def _percent(part: float | int, whole: float | int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _ids(organisation_ids: Collection[int] | None) -> list[int] | None:
    return None if organisation_ids is None else list(organisation_ids)


# Skills: published capability snapshots.


def _snapshot(year: int):
    from skills.models import PublishedSnapshot

    return PublishedSnapshot.objects.filter(snapshot_date__lte=_year_end(year)).order_by("-snapshot_date").first()


_SUMS = {
    "members_in_scope": Sum("members_in_scope"),
    "members_assessed": Sum("members_assessed"),
    "rows_in_scope": Sum("rows_in_scope"),
    "rows_meeting": Sum("rows_meeting"),
    "sum_index": Sum("sum_index"),
}


def _overall(year: int, organisation_ids: list[int] | None) -> tuple[dict, datetime.date | None]:
    """Summed overall counts for the profession or the organisations, and the snapshot date."""
    from skills.models import CapabilityMetric, MetricScope

    snapshot = _snapshot(year)
    if snapshot is None:
        return {}, None
    rows = CapabilityMetric.objects.filter(run_id=snapshot.run_id)
    if organisation_ids is None:
        rows = rows.filter(scope=MetricScope.PROFESSION)
    else:
        rows = rows.filter(scope=MetricScope.ORGANISATION, organisation_id__in=organisation_ids)
    sums = rows.order_by().aggregate(**_SUMS)
    return (sums if sums["rows_in_scope"] is not None else {}), snapshot.snapshot_date


def _subset(year: int, organisation_ids: list[int] | None, flag: str) -> tuple[dict, datetime.date | None]:
    """Summed per-skill counts over the skills flagged ``flag`` (is_digital or is_ai). A member counts once per
    skill, so the people in the group are at least the largest per-skill count: that is what is suppressed on."""
    from skills.models import CapabilityMetric, MetricScope, Skill

    snapshot = _snapshot(year)
    if snapshot is None:
        return {}, None
    lineages = Skill.objects.filter(**{flag: True}, lineage__isnull=False).values("lineage")
    rows = CapabilityMetric.objects.filter(run_id=snapshot.run_id, lineage__in=lineages)
    if organisation_ids is None:
        rows = rows.filter(scope=MetricScope.PROFESSION_SKILL)
        row_sums = {name: value for name, value in _SUMS.items() if name != "members_in_scope"}
        sums = rows.order_by().aggregate(**row_sums, people=Max("members_in_scope"))
    else:
        rows = rows.filter(scope=MetricScope.ORGANISATION_SKILL, organisation_id__in=organisation_ids)
        sums = rows.order_by().aggregate(**_SUMS)
        # Members belong to one organisation: the largest per-skill count of the organisations summed.
        per_skill = rows.order_by().values("lineage").annotate(n=Sum("members_in_scope")).order_by("-n")[:1]
        sums["people"] = per_skill[0]["n"] if per_skill else None
    return (sums if sums["rows_in_scope"] is not None else {}), snapshot.snapshot_date


def _skills_share(sums: dict, as_at: datetime.date | None, people: int | None, part: str) -> Result:
    if not sums:
        return Result(None, as_at)
    if _small(people):
        return Result(None, as_at, suppressed=True)
    return Result(_percent(sums[part], sums["rows_in_scope"]), as_at)


def _capability_index(year: int, organisation_ids: list[int] | None) -> Result:
    sums, as_at = _overall(year, organisation_ids)
    if not sums:
        return Result(None, as_at)
    if _small(sums["members_in_scope"]):
        return Result(None, as_at, suppressed=True)
    return Result(_percent(sums["sum_index"], sums["rows_in_scope"]), as_at)


def _coverage(year: int, organisation_ids: list[int] | None) -> Result:
    sums, as_at = _overall(year, organisation_ids)
    if not sums:
        return Result(None, as_at)
    if _small(sums["members_in_scope"]):
        return Result(None, as_at, suppressed=True)
    return Result(_percent(sums["members_assessed"], sums["members_in_scope"]), as_at)


def _members_in_scope(year: int, organisation_ids: list[int] | None) -> Result:
    sums, as_at = _overall(year, organisation_ids)
    if not sums:
        return Result(None, as_at)
    if _small(sums["members_in_scope"]):
        return Result(None, as_at, suppressed=True)
    return Result(Decimal(sums["members_in_scope"]), as_at)


def _share_meeting(year: int, organisation_ids: list[int] | None) -> Result:
    sums, as_at = _overall(year, organisation_ids)
    return _skills_share(sums, as_at, sums.get("members_in_scope"), "rows_meeting")


def _flagged_share(flag: str) -> Compute:
    def compute(year: int, organisation_ids: list[int] | None) -> Result:
        sums, as_at = _subset(year, organisation_ids, flag)
        return _skills_share(sums, as_at, sums.get("people"), "rows_meeting")

    return compute


# Ideas.


def _in_year(field: str, year: int) -> Q:
    return Q(**{f"{field}__year": year})


def _ideas(organisation_ids: list[int] | None, by: str = "organisation_id") -> QuerySet:
    from innovation.models import Idea

    qs = Idea.objects.exclude(submitted_at__isnull=True).order_by()
    if organisation_ids is not None:
        qs = qs.filter(**{f"{by}__in": organisation_ids})
    return qs


def _ideas_submitted(year: int, organisation_ids: list[int] | None) -> Result:
    count = _ideas(organisation_ids, by="origin_organisation_id").filter(_in_year("submitted_at", year)).count()
    return Result(Decimal(count), _year_end(year))


def _median_days_to_decision(year: int, organisation_ids: list[int] | None) -> Result:
    """The median from the count of decisions at each number of days (portable SQL). Days to a decision take a
    few hundred values at most, so this reads the year's decisions once and sorts nothing; ordering tens of
    thousands of them to read the middle one took most of a dashboard's time at full scale."""
    from srrt.dates import DaysBetween

    counts = sorted(
        _ideas(organisation_ids)
        .filter(_in_year("decided_at", year))
        .annotate(days=DaysBetween(TruncDate("decided_at"), TruncDate("submitted_at")))
        .values_list("days")
        .annotate(n=Count("*"))
        .values_list("days", "n")
    )
    n = sum(count for _, count in counts)
    if n == 0:
        return Result(None, _year_end(year))
    if _small(n):
        return Result(None, _year_end(year), suppressed=True)
    middle = [_nth(counts, (n - 1) // 2), _nth(counts, n // 2)]
    median = Decimal(sum(middle)) / len(middle)
    return Result(median.quantize(ONE_PLACE, rounding=ROUND_HALF_UP), _year_end(year))


def _nth(counts: list[tuple[int, int]], index: int) -> int:
    """The value at ``index`` (from 0) of the sorted values that ``counts`` (value, how many; ascending) stand for."""
    seen = 0
    for value, count in counts:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)


def _reached(status: str, year: int, organisation_ids: list[int] | None) -> QuerySet:
    from innovation.models import IdeaEvent

    ideas = IdeaEvent.objects.filter(to_status=status, at__year=year).values("idea_id")
    return _ideas(organisation_ids).filter(pk__in=ideas)


def _ideas_implemented(year: int, organisation_ids: list[int] | None) -> Result:
    from innovation.models import IdeaStatus

    return Result(Decimal(_reached(IdeaStatus.IMPLEMENTED, year, organisation_ids).count()), _year_end(year))


def _benefits_hours(year: int, organisation_ids: list[int] | None) -> Result:
    from innovation.models import IdeaStatus

    total = (
        _reached(IdeaStatus.BENEFITS_REALISED, year, organisation_ids)
        .aggregate(hours=Sum(F("hours_saved_per_year")))
        .get("hours")
    )
    return Result(Decimal(total or 0), _year_end(year))


# SRRT.


def _srrt(attribute: str, *, rate_base: Callable[[object], int] | None = None, percent: bool = False) -> Compute:
    def compute(year: int, organisation_ids: list[int] | None) -> Result:
        from srrt.analysis import usage_summary

        summary = usage_summary(year, organisation_ids)
        if rate_base is not None:
            base = rate_base(summary)
            if base == 0:
                return Result(None, _year_end(year))
            if _small(base):
                return Result(None, _year_end(year), suppressed=True)
        value = getattr(summary, attribute)
        if value is None:
            return Result(None, _year_end(year))
        if percent:
            return Result((Decimal(value) * 100).quantize(ONE_PLACE, rounding=ROUND_HALF_UP), _year_end(year))
        return Result(Decimal(str(value)), _year_end(year))

    return compute


# Careers.


def _cross_divide_opportunities(year: int, organisation_ids: list[int] | None) -> Result:
    from skills.models import Opportunity
    from skills.models.careers import OpportunityAudience

    qs = Opportunity.objects.filter(audience=OpportunityAudience.ACROSS_THE_DIVIDE, created_at__year=year)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return Result(Decimal(qs.order_by().count()), _year_end(year))


SNAPSHOT = "Published capability snapshot"
IDEAS = "Ideas and their review decisions"
SRRT = "Surge and rapid response team records"

_SOURCES = [
    FigureSource(
        "skills.capability_index",
        "Capability index (0 to 100)",
        "index",
        SNAPSHOT,
        _capability_index,
    ),
    FigureSource(
        "skills.coverage",
        "Members with a skills assessment",
        "%",
        SNAPSHOT,
        _coverage,
    ),
    FigureSource(
        "skills.members_in_scope",
        "Members whose role expects skills",
        "people",
        SNAPSHOT,
        _members_in_scope,
    ),
    FigureSource(
        "skills.share_meeting_expected",
        "Skills at or above the expected level",
        "%",
        SNAPSHOT,
        _share_meeting,
    ),
    FigureSource(
        "skills.digital_share_meeting_expected",
        "Digital skills at or above the expected level",
        "%",
        SNAPSHOT,
        _flagged_share("is_digital"),
    ),
    FigureSource(
        "skills.ai_share_meeting_expected",
        "AI skills at or above the expected level",
        "%",
        SNAPSHOT,
        _flagged_share("is_ai"),
    ),
    FigureSource("ideas.submitted", "Ideas submitted", "count", IDEAS, _ideas_submitted),
    FigureSource(
        "ideas.median_days_to_decision",
        "Median days from submission to decision",
        "days",
        IDEAS,
        _median_days_to_decision,
    ),
    FigureSource("ideas.implemented", "Ideas implemented", "count", IDEAS, _ideas_implemented),
    FigureSource(
        "ideas.benefits_realised_hours",
        "Hours saved a year by ideas with benefits realised",
        "hours",
        IDEAS,
        _benefits_hours,
    ),
    FigureSource("srrt.deployments", "Surge team deployments", "count", SRRT, _srrt("deployments")),
    FigureSource("srrt.responder_days", "Surge responder-days", "days", SRRT, _srrt("responder_days")),
    FigureSource(
        "srrt.share_foreseeable",
        "Surge requests that were foreseeable",
        "%",
        SRRT,
        _srrt("share_foreseeable", rate_base=lambda s: s.assessed, percent=True),
    ),
    FigureSource(
        "srrt.acceptance_rate",
        "Surge requests approved, of those decided",
        "%",
        SRRT,
        _srrt("acceptance_rate", rate_base=lambda s: s.approved + s.declined, percent=True),
    ),
    FigureSource(
        "careers.cross_divide_opportunities",
        "Opportunities open across central and local government and partners",
        "count",
        "Career opportunities",
        _cross_divide_opportunities,
    ),
]

FIGURES: dict[str, FigureSource] = {source.key: source for source in _SOURCES}


def figure(key: str, *, year: int, organisation_ids: Collection[int] | None = None) -> Figure:
    """The figure ``key`` for ``year``; KeyError for an unknown key."""
    source = FIGURES[key]
    result = source.compute(year, _ids(organisation_ids))
    return Figure(
        key=key,
        label=source.label,
        unit=source.unit,
        value=result.value,
        as_at=result.as_at,
        source=source.source,
        suppressed=result.suppressed,
    )


def available_figures() -> list[tuple[str, str]]:
    """(key, label) for choice lists, in registry order."""
    return [(source.key, source.label) for source in _SOURCES]
