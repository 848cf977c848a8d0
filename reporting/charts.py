"""Server-rendered SVG charts that read the same in the browser and in WeasyPrint: plain inline SVG, no script,
no external fonts. Every chart carries role="img", a <title> and a <desc> (the headline message) referenced by
aria-labelledby, and writes its values as text on the marks, so nothing depends on colour alone (series also get
distinct fill patterns and are labelled directly). Output is deterministic: the same input gives byte-identical
SVG, which frozen reports rely on. Every label passes through escaping; a value of None is a suppressed group."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import cached_property
from html import escape

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

# GOV.UK Design System colours.
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
GREEN = "#00703c"
ORANGE = "#f47738"
PURPLE = "#4c2c92"
TEXT = "#0b0c0c"
GREY = "#505a5f"
MID_GREY = "#b1b4b6"
LIGHT_GREY = "#f3f2f1"
WHITE = "#ffffff"
SERIES_COLOURS = [BLUE, ORANGE, GREEN, PURPLE, DARK_BLUE, GREY]
# Patterns so series differ without colour: solid, diagonal lines, dots, cross-hatch, horizontal lines, vertical.
PATTERNS = ["solid", "diagonal", "dots", "cross", "horizontal", "vertical"]
MARKERS = ["circle", "square", "diamond", "triangle", "circle", "square"]

FONT = 'font-family="Arial, Helvetica, sans-serif"'
WIDTH = 640
KINDS = ("bar", "stacked_bar", "line", "heatmap")
# Label columns fit their longest label, between these widths (heatmap labels wrap onto two lines; bar labels are
# cut with an ellipsis).
HEATMAP_LABEL_MIN, HEATMAP_LABEL_MAX = 80, 260
BAR_LABEL_MIN, BAR_LABEL_MAX = 120, 280


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def suppressed_text() -> str:
    return f"fewer than {settings.SMALL_GROUP_THRESHOLD}"


def _number(value: float) -> str:
    rounded = round(float(value), 1)
    return f"{rounded:,.0f}" if rounded == int(rounded) else f"{rounded:,.1f}"


def format_cell(value: object, unit: str = "") -> str:
    """How a value reads in a chart label and its table: None is a suppressed group."""
    if value is None:
        return suppressed_text()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if unit == "%":
        return f"{_number(value)}%"
    if unit == "£":
        return f"£{_number(value)}"
    return _number(value)


@dataclass(frozen=True)
class Chart:
    kind: str  # "bar" | "stacked_bar" | "line" | "heatmap"
    title: str
    summary: str
    header: list[str]
    rows: list[list[object]]
    unit: str = ""

    # Worked out once per chart (cached_property writes past the frozen dataclass's __setattr__): a dashboard kept in
    # the cache (reporting/dashboard_cache.py) carries its charts already drawn.
    @cached_property
    def ident(self) -> str:
        """A stable id from the content, so ids are unique on a page yet the same on every render."""
        digest = hashlib.sha256(
            repr((self.kind, self.title, self.summary, self.header, self.rows)).encode()
        ).hexdigest()
        return f"chart-{digest[:10]}"

    def table_rows(self) -> list[list[str]]:
        """Rows for the GOV.UK table beside the chart: first column as is, values formatted with the unit."""
        return [list(row) for row in self._table_rows]

    @cached_property
    def _table_rows(self) -> list[list[str]]:
        return [[str(row[0])] + [format_cell(v, self.unit) for v in row[1:]] for row in self.rows]

    def svg(self) -> SafeString:
        return self._svg

    @cached_property
    def _svg(self) -> SafeString:
        renderer = {"bar": _bar, "stacked_bar": _stacked, "line": _line, "heatmap": _heatmap}[self.kind]
        return mark_safe(renderer(self))  # noqa: S308  every interpolated string is escaped by _e


def _labels(chart: Chart) -> list[str]:
    return [str(row[0]) for row in chart.rows]


def _series(chart: Chart) -> list[tuple[str, list[float | None]]]:
    return [(name, [row[i + 1] for row in chart.rows]) for i, name in enumerate(chart.header[1:])]


def _open(chart: Chart, height: int) -> str:
    ident = chart.ident
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="odp-chart" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="14">'
        f'<title id="{ident}-title">{_e(chart.title)}</title>'
        f'<desc id="{ident}-desc">{_e(chart.summary)}</desc>'
    )


def _defs(chart: Chart, count: int) -> str:
    parts = ["<defs>"]
    for i in range(count):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        pattern = PATTERNS[i % len(PATTERNS)]
        pid = f"{chart.ident}-p{i}"
        parts.append(f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">')
        parts.append(f'<rect width="8" height="8" fill="{colour}"/>')
        if pattern == "diagonal":
            parts.append(f'<path d="M0,8 L8,0" stroke="{WHITE}" stroke-width="2"/>')
        elif pattern == "dots":
            parts.append(f'<circle cx="4" cy="4" r="1.6" fill="{WHITE}"/>')
        elif pattern == "cross":
            parts.append(f'<path d="M0,8 L8,0 M0,0 L8,8" stroke="{WHITE}" stroke-width="1.5"/>')
        elif pattern == "horizontal":
            parts.append(f'<path d="M0,4 L8,4" stroke="{WHITE}" stroke-width="2"/>')
        elif pattern == "vertical":
            parts.append(f'<path d="M4,0 L4,8" stroke="{WHITE}" stroke-width="2"/>')
        parts.append("</pattern>")
    parts.append("</defs>")
    return "".join(parts)


def _fill(chart: Chart, i: int) -> str:
    return f"url(#{chart.ident}-p{i})"


def _scale_max(values: list[float | None], unit: str) -> float:
    present = [float(v) for v in values if v is not None]
    top = max(present, default=0.0)
    if unit == "%":
        return max(100.0, top)
    return top if top > 0 else 1.0


def _bar(chart: Chart) -> str:
    labels = _labels(chart)
    values = [row[1] for row in chart.rows]
    label_width = _label_column(labels)
    bar_space, row_height = WIDTH - label_width - 110, 30
    height = max(60, 20 + row_height * len(labels))
    top = _scale_max(values, chart.unit)
    out = [_open(chart, height), _defs(chart, 1)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 10 + i * row_height
        out.append(_label(label, fit_label(label, label_width - LABEL_PADDING, 1), label_width - 8, y + 18))
        if value is None:
            out.append(f'<text x="{label_width}" y="{y + 18}" fill="{GREY}">{_e(suppressed_text())}</text>')
            continue
        length = round(bar_space * max(float(value), 0.0) / top, 1)
        out.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{length}" height="{row_height - 10}" '
            f'fill="{_fill(chart, 0)}" stroke="{DARK_BLUE}"/>'
        )
        out.append(
            f'<text x="{label_width + length + 6}" y="{y + 18}" fill="{TEXT}">'
            f"{_e(format_cell(value, chart.unit))}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _stacked(chart: Chart) -> str:
    labels = _labels(chart)
    series = _series(chart)
    label_width = _label_column(labels)
    bar_space, row_height = WIDTH - label_width - 20, 34
    legend_height = 24 * len(series)
    height = 20 + row_height * len(labels) + legend_height + 10
    totals = [sum(float(v) for _, vs in series if (v := vs[i]) is not None) for i in range(len(labels))]
    top = max(totals, default=0.0) or 1.0
    out = [_open(chart, height), _defs(chart, len(series))]
    for i, label in enumerate(labels):
        y = 10 + i * row_height
        out.append(_label(label, fit_label(label, label_width - LABEL_PADDING, 1), label_width - 8, y + 20))
        x = float(label_width)
        for s, (name, vs) in enumerate(series):
            value = vs[i]
            if value is None or float(value) <= 0:
                continue
            length = round(bar_space * float(value) / top, 1)
            out.append(
                f'<rect x="{round(x, 1)}" y="{y + 4}" width="{length}" height="{row_height - 10}" '
                f'fill="{_fill(chart, s)}" stroke="{WHITE}"><title>{_e(name)}: '
                f"{_e(format_cell(value, chart.unit))}</title></rect>"
            )
            if length >= 34:
                out.append(
                    f'<text x="{round(x + length / 2, 1)}" y="{y + 20}" text-anchor="middle" fill="{TEXT}" '
                    f'stroke="{WHITE}" stroke-width="3" paint-order="stroke">'
                    f"{_e(format_cell(value, chart.unit))}</text>"
                )
            x += length
    legend_y = 20 + row_height * len(labels)
    for s, (name, _) in enumerate(series):
        y = legend_y + s * 24
        out.append(f'<rect x="{label_width}" y="{y}" width="16" height="16" fill="{_fill(chart, s)}" stroke="{TEXT}"/>')
        out.append(f'<text x="{label_width + 24}" y="{y + 13}" fill="{TEXT}">{_e(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{round(x - 4, 1)}" y="{round(y - 4, 1)}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        return (
            f'<path d="M{round(x, 1)},{round(y - 5, 1)} L{round(x + 5, 1)},{round(y, 1)} '
            f'L{round(x, 1)},{round(y + 5, 1)} L{round(x - 5, 1)},{round(y, 1)} Z" fill="{colour}"/>'
        )
    if kind == "triangle":
        return (
            f'<path d="M{round(x, 1)},{round(y - 5, 1)} L{round(x + 5, 1)},{round(y + 4, 1)} '
            f'L{round(x - 5, 1)},{round(y + 4, 1)} Z" fill="{colour}"/>'
        )
    return f'<circle cx="{round(x, 1)}" cy="{round(y, 1)}" r="4" fill="{colour}"/>'


def _line(chart: Chart) -> str:
    x_labels = _labels(chart)
    series = _series(chart)
    left, right, plot_top, plot_height = 60, 170, 20, 220
    height = plot_top + plot_height + 50
    every = [v for _, vs in series for v in vs]
    top = _scale_max(every, chart.unit)
    width = WIDTH - left - right
    step = width / max(len(x_labels) - 1, 1)
    out = [_open(chart, height)]
    base = plot_top + plot_height
    out.append(f'<line x1="{left}" y1="{base}" x2="{left + width}" y2="{base}" stroke="{TEXT}"/>')
    out.append(f'<line x1="{left}" y1="{plot_top}" x2="{left}" y2="{base}" stroke="{TEXT}"/>')
    out.append(f'<text x="{left - 6}" y="{base + 4}" text-anchor="end" fill="{TEXT}">0</text>')
    out.append(
        f'<text x="{left - 6}" y="{plot_top + 4}" text-anchor="end" fill="{TEXT}">'
        f"{_e(format_cell(top, chart.unit))}</text>"
    )
    for i, label in enumerate(x_labels):
        x = round(left + i * step, 1) if len(x_labels) > 1 else left + width / 2
        out.append(f'<text x="{x}" y="{base + 20}" text-anchor="middle" fill="{TEXT}">{_e(label)}</text>')
    dashes = ["", ' stroke-dasharray="8 4"', ' stroke-dasharray="2 3"', ' stroke-dasharray="10 3 2 3"']
    for s, (name, vs) in enumerate(series):
        colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
        points = []
        for i, value in enumerate(vs):
            if value is None:
                continue
            x = left + i * step if len(x_labels) > 1 else left + width / 2
            y = base - plot_height * max(float(value), 0.0) / top
            points.append((x, y, value))
        if len(points) > 1:
            path = " ".join(f"{round(x, 1)},{round(y, 1)}" for x, y, _ in points)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3"{dashes[s % len(dashes)]}/>'
            )
        for x, y, value in points:
            out.append(_marker(MARKERS[s % len(MARKERS)], x, y, colour))
            out.append(
                f'<text x="{round(x, 1)}" y="{round(y - 9, 1)}" text-anchor="middle" fill="{TEXT}">'
                f"{_e(format_cell(value, chart.unit))}</text>"
            )
        if points:
            x, y, _ = points[-1]
            out.append(
                f'<text x="{round(x + 12, 1)}" y="{round(y + 4, 1)}" fill="{colour}" font-weight="bold">'
                f"{_e(_truncate(name, 20))}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def _shade(value: float, unit: str) -> tuple[str, str]:
    """Five bands of blue, darker for higher; text colour keeps contrast. The value itself is written in the cell."""
    share = float(value) / 100 if unit == "%" else float(value)
    bands = [("#f3f2f1", TEXT), ("#d2e2f1", TEXT), ("#8eb8dc", TEXT), ("#1d70b8", WHITE), ("#003078", WHITE)]
    index = min(int(max(share, 0.0) * 5), 4)
    return bands[index]


def _heatmap(chart: Chart) -> str:
    row_labels = _labels(chart)
    columns = chart.header[1:]
    wrapped = [fit_label(label, HEATMAP_LABEL_MAX - LABEL_PADDING) for label in row_labels]
    longest = max((text_width(line) for lines in wrapped for line in lines), default=0.0)
    label_width = max(HEATMAP_LABEL_MIN, math.ceil(longest) + LABEL_PADDING)
    two_lines = any(len(lines) > 1 for lines in wrapped)
    cell_height = 28 + (LINE_HEIGHT if two_lines else 0)
    cell_width = max(44, min(90, (WIDTH - label_width - 10) // max(len(columns), 1)))
    width = label_width + cell_width * len(columns) + 10
    height = 30 + cell_height * len(row_labels) + 10
    out = [_open(chart, height).replace(f'width="{WIDTH}" height', f'width="{width}" height', 1)]
    out[0] = out[0].replace(f'viewBox="0 0 {WIDTH} ', f'viewBox="0 0 {width} ', 1)
    for c, column in enumerate(columns):
        x = label_width + c * cell_width + cell_width / 2
        out.append(
            f'<text x="{round(x, 1)}" y="20" text-anchor="middle" fill="{TEXT}" font-weight="bold">{_e(column)}</text>'
        )
    for r, row in enumerate(chart.rows):
        y = 30 + r * cell_height
        lines = wrapped[r]
        # Centre one or two lines vertically in the row.
        baseline = y + 19 + (LINE_HEIGHT // 2 if two_lines and len(lines) == 1 else 0)
        out.append(_label(str(row[0]), lines, label_width - 8, baseline))
        for c, value in enumerate(row[1:]):
            x = label_width + c * cell_width
            if value is None:
                fill, ink, text = WHITE, GREY, "<5"
            else:
                fill, ink = _shade(value, chart.unit)
                text = format_cell(value, chart.unit)
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell_width}" height="{cell_height}" fill="{fill}" stroke="{MID_GREY}"/>'
            )
            out.append(
                f'<text x="{round(x + cell_width / 2, 1)}" y="{y + cell_height // 2 + 5}" text-anchor="middle" '
                f'fill="{ink}" font-size="12">{_e(text)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def _truncate(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


# Advance widths of Arial/Helvetica in thousandths of the font size, for laying out labels without a font engine
# (the same numbers everywhere, so output stays deterministic). Other characters count as a wide-ish default.
_ASCII_ADVANCES = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 "
    "556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556 "
    "1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 "
    "667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 "
    "333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 "
    "556 556 333 500 278 556 500 722 500 500 500 334 260 334 584 "
)
_ADVANCE = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        map(int, _ASCII_ADVANCES.split()),
        strict=True,
    )
) | {"…": 1000, "×": 584, "–": 556, "—": 1000, "‘": 222, "’": 222, "“": 333, "”": 333}
_DEFAULT_ADVANCE = 667
LABEL_FONT_SIZE = 14
LABEL_PADDING = 16  # 8 px clear of the SVG's left edge and 8 px before the marks
LINE_HEIGHT = 16


def text_width(text: str, font_size: int = LABEL_FONT_SIZE) -> float:
    """Estimated rendered width in px of ``text`` in Arial at ``font_size``, rounded up a little to be safe."""
    return sum(_ADVANCE.get(ch, _DEFAULT_ADVANCE) for ch in text) * font_size * 1.03 / 1000


def _shorten(text: str, width: float) -> str:
    """``text`` cut with an ellipsis so it fits ``width``; unchanged if it already fits."""
    if text_width(text) <= width:
        return text
    while text and text_width(text.rstrip() + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def fit_label(label: str, width: float, max_lines: int = 2) -> list[str]:
    """``label`` wrapped at spaces into at most ``max_lines`` lines no wider than ``width``; a word too long for a
    line is cut, and whatever does not fit on the last line ends in an ellipsis."""
    words = label.split()
    lines: list[str] = []
    while words and len(lines) < max_lines:
        if len(lines) == max_lines - 1:
            lines.append(_shorten(" ".join(words), width))
            break
        line = words.pop(0)
        if text_width(line) > width:
            lines.append(_shorten(line, width))
            continue
        while words and text_width(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    return lines or [""]


def _label_column(labels: list[str]) -> int:
    """Width of a bar chart's one-line label column: the longest label's, between the bounds (longer ones are cut)."""
    longest = max((text_width(label) for label in labels), default=0.0)
    return min(BAR_LABEL_MAX, max(BAR_LABEL_MIN, math.ceil(longest) + LABEL_PADDING))


def _label(label: str, lines: list[str], right: float, baseline: float) -> str:
    """A right-aligned label of one or two lines ending at ``right``; a cut label keeps its full text in a
    <title>, which browsers show on hover."""
    title = f"<title>{_e(label)}</title>" if " ".join(lines) != " ".join(label.split()) else ""
    if len(lines) == 1:
        text = _e(lines[0])
    else:
        text = "".join(
            f'<tspan x="{right}" dy="{0 if i == 0 else LINE_HEIGHT}">{_e(line)}</tspan>' for i, line in enumerate(lines)
        )
    return f'<g>{title}<text x="{right}" y="{baseline}" text-anchor="end" fill="{TEXT}">{text}</text></g>'


def bar_chart(
    title: str,
    summary: str,
    labels: list[str],
    values: list[float | None],
    unit: str = "",
    label_heading: str = "Group",
) -> Chart:
    rows = [[str(label), value] for label, value in zip(labels, values, strict=True)]
    return Chart("bar", title, summary, [label_heading, title], rows, unit)


def stacked_bar_chart(
    title: str,
    summary: str,
    labels: list[str],
    series: dict[str, list[float | None]],
    unit: str = "",
    label_heading: str = "Group",
) -> Chart:
    names = list(series)
    rows = [[str(label), *(series[name][i] for name in names)] for i, label in enumerate(labels)]
    return Chart("stacked_bar", title, summary, [label_heading, *names], rows, unit)


def line_chart(
    title: str,
    summary: str,
    x_labels: list[str],
    series: dict[str, list[float | None]],
    unit: str = "",
    label_heading: str = "Group",
) -> Chart:
    names = list(series)
    rows = [[str(label), *(series[name][i] for name in names)] for i, label in enumerate(x_labels)]
    return Chart("line", title, summary, [label_heading, *names], rows, unit)


def heatmap(
    title: str,
    summary: str,
    row_labels: list[str],
    column_labels: list[str],
    values: list[list[float | None]],
    unit: str = "%",
    label_heading: str = "Group",
) -> Chart:
    rows = [[str(label), *values[i]] for i, label in enumerate(row_labels)]
    return Chart("heatmap", title, summary, [label_heading, *map(str, column_labels)], rows, unit)
