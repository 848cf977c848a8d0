"""Stand-ins used only while reporting.figures (engineer A) or reporting.charts (engineer B) are missing, so
the report can be written, checked, frozen and printed. Same interfaces as in the reporting brief; a real module
always wins (see blocks._figures / blocks._charts)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LABELS = {
    "skills.capability_index": ("Capability index", "index"),
    "skills.coverage": ("Members who have assessed their skills", "%"),
    "skills.share_meeting_expected": ("Share meeting the expected level", "%"),
    "skills.digital_share_meeting_expected": ("Share meeting the expected level in digital and AI skills", "%"),
    "ideas.submitted": ("Ideas submitted", "count"),
    "ideas.median_days_to_decision": ("Median days to a decision", "days"),
    "ideas.implemented": ("Ideas implemented", "count"),
    "ideas.benefits_realised_hours": ("Staff hours saved by implemented ideas", "count"),
    "srrt.deployments": ("Surge deployments", "count"),
    "srrt.share_foreseeable": ("Share of surge requests that were foreseeable", "%"),
    "srrt.acceptance_rate": ("Share of surge requests accepted", "%"),
    "careers.cross_divide_opportunities": ("Opportunities open across departments", "count"),
}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    value: Decimal | None
    as_at: datetime.date | None
    source: str
    suppressed: bool = False

    def display(self) -> str:
        if self.suppressed:
            return "fewer than 5"
        if self.value is None:
            return "not available"
        if self.unit == "%":
            return f"{self.value:.1f}%"
        return f"{self.value:,.0f}"


FIGURES = dict.fromkeys(LABELS)


def figure(key: str, *, year: int, organisation_ids=None) -> Figure:
    from innovation.models import Idea, IdeaStatus

    label, unit = LABELS[key]
    value: Decimal | None = None
    if key == "ideas.submitted":
        value = Decimal(Idea.objects.filter(submitted_at__year=year).count())
    elif key == "ideas.implemented":
        value = Decimal(
            Idea.objects.filter(
                submitted_at__year=year, status__in=[IdeaStatus.IMPLEMENTED, IdeaStatus.BENEFITS_REALISED]
            ).count()
        )
    return Figure(key, label, unit, value, datetime.date(year, 12, 31), "ODP Hub ideas" if value is not None else "")


def available_figures() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _unit) in LABELS.items()]


@dataclass(frozen=True)
class Chart:
    kind: str
    title: str
    summary: str
    header: list[str]
    rows: list[list[object]]
    unit: str = ""

    def svg(self) -> SafeString:
        values = [row[1] for row in self.rows if isinstance(row[1], int | float)]
        top = max(values, default=0) or 1
        bars = []
        for i, (label, value) in enumerate(self.rows):
            width = 0 if value is None else int(300 * float(value) / top)
            y = 10 + i * 30
            shown = "fewer than 5" if value is None else f"{value:g}{self.unit}"
            bars.append(
                f'<rect x="160" y="{y}" width="{width}" height="20" fill="#1d70b8"></rect>'
                f'<text x="0" y="{y + 15}" font-size="12">{escape(label)}</text>'
                f'<text x="{165 + width}" y="{y + 15}" font-size="12">{escape(shown)}</text>'
            )
        height = 20 + 30 * len(self.rows)
        return mark_safe(  # noqa: S308 (every text is escaped above)
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 520 {height}" width="520" '
            f'height="{height}" aria-label="{escape(self.title)}: {escape(self.summary)}">'
            f"<title>{escape(self.title)}</title><desc>{escape(self.summary)}</desc>{''.join(bars)}</svg>"
        )


def bar_chart(title: str, summary: str, labels: list[str], values: list[float | None], unit: str = "") -> Chart:
    return Chart(
        "bar",
        title,
        summary,
        ["Measure", f"Value{f' ({unit})' if unit else ''}"],
        list(map(list, zip(labels, values, strict=True))),
        unit,
    )
