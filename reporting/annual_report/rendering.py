"""Render a report version: Markdown made safe with nh3, tokens resolved to figures, KPIs and charts, and the
data tables behind them collected for the downloads. Publication freezes the result (see services.publish)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import markdown as md
import nh3
from django.template.loader import render_to_string
from django.utils.html import escape

from reporting.annual_report import blocks
from reporting.models.reports import ReportVersion, Section

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code", "pre", "br", "hr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}

# Markdown can't produce this, so a placeholder never collides with an author's text.
_PLACEHOLDER = "ODPTOKEN{}X"


@dataclass
class Collected:
    """The figures, KPIs and charts a rendering used: the data tables of the download."""

    figures: dict[str, list[str]] = field(default_factory=dict)
    kpis: dict[str, list[str]] = field(default_factory=dict)
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)  # one table per chart, however often used
    problems: list[tuple[str, str]] = field(default_factory=list)  # (level, message)

    def tables(self) -> list[dict[str, Any]]:
        tables = [
            {
                "name": "figures",
                "title": "Figures",
                "header": ["Key", "Figure", "Value", "Unit", "As at", "Source"],
                "rows": list(self.figures.values()),
            },
            {
                "name": "kpis",
                "title": "Key performance indicators",
                "header": ["KPI", "Value", "Target", "Status"],
                "rows": list(self.kpis.values()),
            },
        ]
        tables.extend(self.charts.values())
        return tables


def _figure_html(token: blocks.Token, year: int, collected: Collected) -> str:
    found = blocks.figure(token.ref, year)
    if found is None:
        collected.problems.append(("error", f"Unknown figure {token.raw}"))
        return ""
    shown = found.display()
    if found.value is None and not found.suppressed:
        collected.problems.append(("warning", f"{found.label} has no value for {year} (shown as “{shown}”)"))
    collected.figures[token.ref] = [
        token.ref,
        found.label,
        shown,
        found.unit,
        found.as_at.isoformat() if found.as_at else "",
        found.source,
    ]
    return f'<strong class="odp-figure">{escape(shown)}</strong>'


def _with_unit(number: Any, unit: str) -> str:
    if number is None:
        return "not available"
    text = f"{number.normalize():,f}" if hasattr(number, "normalize") else str(number)
    if unit == "%":
        return f"{text}%"
    if unit == "£":
        return f"£{text}"
    return text if unit in ("", "count", "index") else f"{text} {unit}"


def _kpi_html(token: blocks.Token, year: int, collected: Collected) -> str:
    found = blocks.kpi(token.ref, year)
    if found is None:
        collected.problems.append(("error", f"Unknown KPI {token.raw} (not a KPI of {year})"))
        return ""
    item, progress = found
    unit = getattr(item, "unit", "")
    number = getattr(progress, "number", progress.value)
    value = progress.value.display() if hasattr(progress.value, "display") else _with_unit(number, unit)
    if number is None and not getattr(progress.value, "suppressed", False):
        collected.problems.append(("error", f"KPI “{item}” has no value"))
    target = _with_unit(getattr(item, "target", None), unit)
    collected.kpis[token.ref] = [str(item), value, target, progress.rag_label]
    return (
        f'<strong class="odp-figure">{escape(value)}</strong> '
        f'(target {escape(target)}, <span class="odp-rag">{escape(progress.rag_label)}</span>)'
    )


def _chart_html(token: blocks.Token, year: int, collected: Collected) -> str:
    found = blocks.chart(token.ref, year)
    if found is None:
        collected.problems.append(("error", f"Unknown chart {token.raw}"))
        return ""
    if not (found.summary or "").strip():
        collected.problems.append(("error", f"Chart “{found.title}” has no summary"))
    collected.charts[token.ref] = {
        "name": f"chart-{token.ref}",
        "title": found.title,
        "header": list(found.header),
        "rows": [["" if v is None else v for v in row] for row in found.rows],
    }
    return render_to_string("reporting/_chart.html", {"chart": found})


def render_markdown(text: str, year: int, collected: Collected) -> str:
    """Safe HTML for a section's Markdown, its tokens resolved (unknown ones become problems, never output)."""
    replacements: dict[str, str] = {}

    def swap(match: Any) -> str:
        token = blocks.tokens_in(match.group(0))[0]
        if token.kind == "figure":
            html = _figure_html(token, year, collected)
        elif token.kind == "kpi":
            html = _kpi_html(token, year, collected)
        elif token.kind == "chart":
            html = _chart_html(token, year, collected)
        else:
            collected.problems.append(("error", f"Unknown token {token.raw}"))
            html = ""
        key = _PLACEHOLDER.format(len(replacements))
        replacements[key] = html
        return key

    marked = blocks.TOKEN.sub(swap, text)
    html = nh3.clean(
        md.markdown(marked, extensions=["tables", "sane_lists"], output_format="html"),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel="noopener noreferrer",
    )
    html = html.replace("<table>", '<table class="govuk-table">')
    for key, value in replacements.items():
        html = html.replace(f"<p>{key}</p>", value).replace(key, value)  # a chart on its own line is a block
    return html


@dataclass
class RenderedSection:
    section: Section
    html: str
    case_studies: list[Any]


@dataclass
class Rendered:
    html: str
    tables: list[dict[str, Any]]
    problems: list[tuple[str, str, str]]  # (level, section title, message)


def public_case_studies(section: Section) -> list[Any]:
    """Only case studies anyone may read: the report is public."""
    from innovation.models import CaseStudy, CaseStudyAudience

    return list(
        section.case_studies.filter(
            status=CaseStudy.Status.PUBLISHED, is_hidden=False, audience=CaseStudyAudience.PUBLIC
        ).order_by("title")
    )


def render_version(version: ReportVersion) -> Rendered:
    """The whole report as one HTML fragment (headings, contents, sections), its data tables and its problems."""
    year = version.report.year
    collected = Collected()
    rendered: list[RenderedSection] = []
    problems: list[tuple[str, str, str]] = []
    for section in version.sections.all():
        start = len(collected.problems)
        html = render_markdown(section.body, year, collected)
        for level, message in collected.problems[start:]:
            problems.append((level, section.title, message))
        rendered.append(RenderedSection(section, html, public_case_studies(section)))
    html = render_to_string("reporting/report/_document.html", {"version": version, "sections": rendered})
    return Rendered(html=html, tables=collected.tables(), problems=problems)
