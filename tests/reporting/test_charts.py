"""Charts: accessible structure read from the XML, escaping, determinism, suppressed values and the table."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from reporting import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: object) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 (our own output)


def _all() -> list[charts.Chart]:
    return [
        charts.bar_chart("Coverage", "Home Office leads.", ["Home Office", "DWP"], [80.0, None], unit="%"),
        charts.stacked_bar_chart("Plans", "Most on track.", ["HO", "DWP"], {"Done": [2, 1], "At risk": [1, None]}),
        charts.line_chart("Trend", "Up 5 points.", ["Jan", "Feb", "Mar"], {"Share": [40.0, None, 45.0]}, unit="%"),
        charts.heatmap(
            "Capability", "Highest at EO.", ["Casework", "Digital"], ["EO", "HEO"], [[75.0, None], [20, 100]]
        ),
    ]


@pytest.mark.parametrize("chart", _all(), ids=lambda c: c.kind)
def test_every_chart_is_an_image_named_by_its_title_and_described_by_its_summary(chart):
    root = parse(chart.svg())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert (title.get("id"), title.text) == (title_id, chart.title)
    assert (desc.get("id"), desc.text) == (desc_id, chart.summary)
    assert root.findall(f".//{SVG}script") == []
    assert "http" not in (root.get("style") or "")


@pytest.mark.parametrize("chart", _all(), ids=lambda c: c.kind)
def test_values_are_written_as_text_so_meaning_does_not_rest_on_colour(chart):
    texts = {"".join(t.itertext()) for t in parse(chart.svg()).iter(f"{SVG}text")}
    shown = [v for row in chart.rows for v in row[1:] if v is not None]
    for value in shown:
        assert charts.format_cell(value, chart.unit) in texts
    if chart.kind in ("bar", "heatmap"):  # a suppressed bar or cell says so; lines and stacks leave a gap
        assert texts & {"fewer than 5", "<5"}


def test_series_are_told_apart_by_pattern_and_a_direct_label_not_only_colour():
    stacked = parse(_all()[1].svg())
    patterns = stacked.findall(f".//{SVG}pattern")
    assert len(patterns) == 2
    assert len(patterns[1]) > len(patterns[0])  # the second series is hatched, the first solid
    legend = {"".join(t.itertext()) for t in stacked.iter(f"{SVG}text")}
    assert {"Done", "At risk"} <= legend
    line = charts.line_chart("T", "S", ["a", "b"], {"One": [1, 2], "Two": [2, 3]})
    root = parse(line.svg())
    assert {"One", "Two"} <= {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}
    dashes = [p.get("stroke-dasharray") for p in root.iter(f"{SVG}polyline")]
    assert dashes[0] is None and dashes[1]


def test_a_script_in_a_label_or_title_is_inert_text():
    chart = charts.bar_chart(
        "<script>alert(1)</script>", 'Say "hi" & <b>bye</b>', ['<img src=x onerror="alert(2)">'], [5.0]
    )
    svg = str(chart.svg())
    assert "<script>" not in svg and "<img" not in svg and "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "<script>alert(1)</script>"
    assert root.find(f"{SVG}desc").text == 'Say "hi" & <b>bye</b>'
    html = render_to_string("reporting/_chart.html", {"chart": chart})
    assert "<script>alert" not in html and "&lt;img src=x" in html


def test_the_same_input_gives_byte_identical_svg_and_different_input_does_not():
    first = [str(c.svg()) for c in _all()]
    second = [str(c.svg()) for c in _all()]
    assert first == second
    changed = charts.bar_chart("Coverage", "Home Office leads.", ["Home Office", "DWP"], [81.0, None], unit="%")
    assert str(changed.svg()) != first[0]


def test_the_chart_template_shows_heading_summary_svg_and_a_table_with_suppressed_cells():
    chart = charts.heatmap("Capability", "Highest at EO.", ["Casework"], ["EO", "HEO"], [[75.0, None]])
    html = render_to_string("reporting/_chart.html", {"chart": chart})
    assert '<h3 class="govuk-heading-m">Capability</h3>' in html
    assert "Highest at EO." in html
    assert 'role="img"' in html
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">HEO</th>' in html
    assert '<th scope="row" class="govuk-table__header">Casework</th>' in html
    assert ">75%<" in html
    assert ">fewer than 5<" in html


def test_suppressed_values_draw_no_bar_and_say_fewer_than_5(settings):
    settings.SMALL_GROUP_THRESHOLD = 5
    root = parse(charts.bar_chart("B", "S", ["Small", "Big"], [None, 50.0], unit="%").svg())
    assert len(root.findall(f"{SVG}rect")) == 1
    assert "fewer than 5" in {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}


LONG = "Digital, data and artificial intelligence skills for operational delivery and continuous improvement"


def _row_labels(root: ET.Element) -> list[tuple[ET.Element, ET.Element | None]]:
    """(text, title) for each row label: right-aligned texts grouped with an optional <title>."""
    labels = []
    for group in root.iter(f"{SVG}g"):
        text = group.find(f"{SVG}text")
        if text is not None and text.get("text-anchor") == "end":
            labels.append((text, group.find(f"{SVG}title")))
    return labels


def _lines(text: ET.Element) -> list[str]:
    spans = text.findall(f"{SVG}tspan")
    return [span.text or "" for span in spans] if spans else [text.text or ""]


def test_heatmap_row_labels_size_their_column_to_the_longest_and_never_run_off_the_left_edge():
    short = parse(charts.heatmap("C", "S", ["Casework", "Digital"], ["EO", "HEO"], [[1, 2], [3, 4]]).svg())
    medium_label = "Operational management"
    medium = parse(charts.heatmap("C", "S", ["Casework", medium_label], ["EO", "HEO"], [[1, 2], [3, 4]]).svg())
    assert float(short.get("width")) < float(medium.get("width"))
    for root in (short, medium):
        (first, _), (second, _) = _row_labels(root)
        right = float(first.get("x"))
        for text in (first, second):
            for line in _lines(text):
                assert right - charts.text_width(line) >= 8  # starts inside the picture, with a margin
    assert _lines(_row_labels(medium)[1][0]) == [medium_label]
    assert _row_labels(medium)[1][1] is None  # shown whole, so no hover text needed


def test_a_long_heatmap_label_wraps_onto_two_lines_ends_in_an_ellipsis_and_keeps_its_full_text():
    chart = charts.heatmap("Capability", "S", [LONG, "Casework"], ["EO", "HEO", "SEO"], [[10, 20, 30], [40, 50, 60]])
    root = parse(chart.svg())
    (long_text, long_title), (short_text, short_title) = _row_labels(root)
    lines = _lines(long_text)
    assert len(lines) == 2
    assert lines[1].endswith("…")
    assert LONG.startswith(lines[0]) and " ".join(lines)[:-1].rstrip() in LONG
    assert long_title is not None and long_title.text == LONG
    assert short_title is None and _lines(short_text) == ["Casework"]
    right = float(long_text.get("x"))
    assert all(right - charts.text_width(line) >= 8 for line in lines)
    assert right <= charts.HEATMAP_LABEL_MAX
    # Rows are tall enough for two lines.
    assert {float(r.get("height")) for r in root.findall(f"{SVG}rect")} == {44.0}
    # The table beside the chart keeps the full label.
    html = render_to_string("reporting/_chart.html", {"chart": chart})
    assert f'<th scope="row" class="govuk-table__header">{LONG}</th>' in html
    assert str(chart.svg()) == str(chart.svg())


def test_fit_label_wraps_at_spaces_and_cuts_an_unbreakable_word():
    assert charts.fit_label("Customer service", 300) == ["Customer service"]
    assert charts.fit_label("Customer service", charts.text_width("Customer") + 1) == ["Customer", "service"]
    cut = charts.fit_label("Supercalifragilisticexpialidocious", 80, max_lines=1)
    assert len(cut) == 1 and cut[0].endswith("…") and charts.text_width(cut[0]) <= 80


def test_bar_labels_are_cut_to_fit_the_label_column_with_the_full_text_kept():
    root = parse(charts.bar_chart("Gaps", "S", [LONG, "Short"], [10.0, 20.0], unit="%").svg())
    (long_text, long_title), (short_text, short_title) = _row_labels(root)
    assert _lines(long_text)[0].endswith("…")
    assert float(long_text.get("x")) - charts.text_width(_lines(long_text)[0]) >= 8
    assert long_title.text == LONG
    assert short_title is None and _lines(short_text) == ["Short"]
    assert float(long_text.get("x")) == charts.BAR_LABEL_MAX - 8
    # The label column fits the longest label, so a medium one is shown whole and short ones leave room for bars.
    medium = "Applying legislation, policy and guidance"
    root = parse(charts.bar_chart("Gaps", "S", [medium, "Short"], [10.0, 20.0], unit="%").svg())
    (medium_text, medium_title), _ = _row_labels(root)
    assert _lines(medium_text) == [medium] and medium_title is None
    assert float(medium_text.get("x")) - charts.text_width(medium) >= 8
    short = parse(charts.bar_chart("Gaps", "S", ["Short"], [10.0], unit="%").svg())
    assert float(_row_labels(short)[0][0].get("x")) == charts.BAR_LABEL_MIN - 8
