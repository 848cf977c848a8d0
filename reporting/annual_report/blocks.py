"""What a section's text can insert: figures, KPIs and charts, by token.

    {{ figure:skills.capability_index }}   a figure from reporting.figures for the report's year
    {{ kpi:12 }}                           a KPI's progress (value, target and RAG status)
    {{ chart:skills }}                     one of REPORT_CHARTS, built from the year's figures

Anything else between double braces is an unknown token: a checklist error, never rendered."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reporting import charts, figures, kpis
from reporting.models import Kpi

TOKEN = re.compile(r"\{\{\s*(.*?)\s*\}\}")
KNOWN = re.compile(r"^(figure|kpi|chart):([A-Za-z0-9_.\-]+)$")


@dataclass(frozen=True)
class Token:
    raw: str
    kind: str  # "figure", "kpi", "chart" or "unknown"
    ref: str


def tokens_in(text: str) -> list[Token]:
    found = []
    for match in TOKEN.finditer(text):
        known = KNOWN.match(match.group(1))
        if known:
            found.append(Token(match.group(0), known.group(1), known.group(2)))
        else:
            found.append(Token(match.group(0), "unknown", match.group(1)))
    return found


def available_figures() -> list[tuple[str, str]]:
    return figures.available_figures()


def figure(key: str, year: int) -> Any | None:
    """The figure, or None when no such key exists."""
    if key not in figures.FIGURES:
        return None
    return figures.figure(key, year=year)


def kpi(ref: str, year: int) -> tuple[Kpi, kpis.KpiProgress] | None:
    """(kpi, progress) for a KPI id among this year's objectives, or None when there is no such KPI."""
    if not ref.isdigit():
        return None
    item = Kpi.objects.select_related("objective").filter(pk=int(ref), objective__year=year).first()
    if item is None:
        return None
    return item, kpis.kpi_progress(item)


@dataclass
class ReportChart:
    label: str
    figure_keys: list[str]
    title: str
    unit: str = ""


# Charts a section can insert, each built from the year's figures so they freeze with the report.
REPORT_CHARTS: dict[str, ReportChart] = {
    "skills": ReportChart(
        "Skills: share meeting the expected level",
        ["skills.share_meeting_expected", "skills.digital_share_meeting_expected", "skills.coverage"],
        "Skills across the profession",
        "%",
    ),
    "ideas": ReportChart(
        "Ideas: submitted and implemented",
        ["ideas.submitted", "ideas.implemented"],
        "Ideas raised and put into practice",
    ),
    "srrt": ReportChart(
        "SRRT: foreseeable requests and acceptance",
        ["srrt.share_foreseeable", "srrt.acceptance_rate"],
        "Surge and rapid response",
        "%",
    ),
}


def chart(name: str, year: int) -> Any | None:
    """A charts.Chart for REPORT_CHARTS[name], or None for an unknown name."""
    spec = REPORT_CHARTS.get(name)
    if spec is None:
        return None
    found = [(key, figure(key, year)) for key in spec.figure_keys]
    found = [(key, f) for key, f in found if f is not None]
    labels = [f.label for _, f in found]
    values = [None if f.value is None or f.suppressed else float(f.value) for _, f in found]
    summary = "; ".join(f"{f.label}: {f.display()}" for _, f in found)
    return charts.bar_chart(spec.title, summary, labels, values, unit=spec.unit)


# Callable type for the section renderers that resolve a token into HTML.
Resolver = Callable[[Token], str]
