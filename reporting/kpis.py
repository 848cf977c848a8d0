"""Progress of a KPI against its target, with a RAG status.

The current value is the KPI's figure for its objective's year (``reporting.figures.figure``), or the value an
admin entered with evidence for a manual KPI. Progress is the distance travelled from baseline towards target:
``percent_to_target = (value - baseline) / (target - baseline) × 100``; it is negative when the value moved the
wrong way and over 100 when the target is beaten. Because target minus baseline carries the direction, the same
formula serves "higher is better" (target above baseline) and "lower is better" (target below baseline).

RAG status:
- green: target met (value at or above target when higher is better, at or below when lower is better);
- amber: not met, but at least half way from baseline to target in the right direction (progress ≥ 50%);
- red: less than half way, or moved away from the target;
- grey: no value (no snapshot or data for the year, the figure withheld for a small group, or no manual value).
The status is always shown with its words, never by colour alone."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reporting.figures import Figure, figure, format_value
from reporting.models import Direction, Kpi

RAG_LABELS = {
    "green": "Target met",
    "amber": "At least half way",
    "red": "Off track",
    "grey": "No data",
}
# GOV.UK tag colour modifiers; the tag's text carries the meaning.
RAG_TAG_CLASSES = {
    "green": "govuk-tag--green",
    "amber": "govuk-tag--yellow",
    "red": "govuk-tag--red",
    "grey": "govuk-tag--grey",
}
HALF_WAY = Decimal(50)


@dataclass(frozen=True)
class KpiProgress:
    value: Figure | Decimal | None
    rag: str  # "green" | "amber" | "red" | "grey"
    rag_label: str
    percent_to_target: Decimal | None

    @property
    def number(self) -> Decimal | None:
        """The value as a number, whatever its source (None when withheld or missing)."""
        if isinstance(self.value, Figure):
            return None if self.value.suppressed else self.value.value
        return self.value

    @property
    def tag_class(self) -> str:
        return RAG_TAG_CLASSES[self.rag]

    def display(self, unit: str) -> str:
        if isinstance(self.value, Figure):
            return self.value.display()
        if self.value is None:
            return "not available"
        return format_value(self.value, unit)


def rag_for(*, value: Decimal | None, baseline: Decimal, target: Decimal, direction: str) -> tuple[str, Decimal | None]:
    """(rag, percent_to_target) for a value; the rule in the module docstring."""
    if value is None or target == baseline:
        return "grey", None
    percent = ((value - baseline) * 100 / (target - baseline)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    met = value >= target if direction == Direction.HIGHER else value <= target
    if met:
        return "green", percent
    return ("amber" if percent >= HALF_WAY else "red"), percent


def kpi_progress(
    kpi: Kpi,
    *,
    organisation_ids: Collection[int] | None = None,
    cache: dict[str, Figure] | None = None,
) -> KpiProgress:
    """The KPI's current value and RAG. ``cache`` (key -> Figure) lets a page of KPIs read each figure once."""
    value: Figure | Decimal | None
    if kpi.is_manual:
        value = kpi.manual_value
        number = value
    else:
        found = cache.get(kpi.source) if cache is not None else None
        if found is None:
            found = figure(kpi.source, year=kpi.objective.year, organisation_ids=organisation_ids)
            if cache is not None:
                cache[kpi.source] = found
        value = found
        number = None if found.suppressed else found.value
    rag, percent = rag_for(value=number, baseline=kpi.baseline, target=kpi.target, direction=kpi.direction)
    return KpiProgress(value=value, rag=rag, rag_label=RAG_LABELS[rag], percent_to_target=percent)


def progress_for(kpis: Iterable[Kpi], *, organisation_ids: Collection[int] | None = None) -> dict[int, KpiProgress]:
    """Progress of many KPIs (one year's), each distinct figure computed once; keyed by KPI id."""
    caches: dict[int, dict[str, Figure]] = {}
    result = {}
    for kpi in kpis:
        cache = caches.setdefault(kpi.objective.year, {})
        result[kpi.pk] = kpi_progress(kpi, organisation_ids=organisation_ids, cache=cache)
    return result
