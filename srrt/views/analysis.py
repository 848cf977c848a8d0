"""/srrt/analysis/: who uses the SRRT and why, for coordinators and admins, with CSV and ODS downloads of the
same figures (srrt.analysis)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from odp.tabular import write_csv, write_ods
from odp.web.pages import member_or_404
from srrt import analysis

ALL_YEARS = "all"


class YearForm(forms.Form):
    year = forms.ChoiceField(label="Year", required=False)

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(y), str(y)) for y in years] + [(ALL_YEARS, "All years")]


def _year(request: HttpRequest, years: list[int]) -> tuple[YearForm, int | None]:
    default = str(years[0]) if years else ALL_YEARS
    data = {"year": request.GET.get("year", default)}
    form = YearForm(data, years=years)
    if not form.is_valid():
        form = YearForm({"year": default}, years=years)
        form.is_valid()
    chosen = form.cleaned_data["year"]
    return form, None if chosen in ("", ALL_YEARS) else int(chosen)


def _percent(value: float | None) -> str:
    return "No decisions yet" if value is None else f"{value:.0%}"


@login_required
def usage(request: HttpRequest) -> HttpResponse:
    member_or_404(request, "srrt.analyse")
    years = analysis.years_with_data()
    form, year = _year(request, years)
    summary = analysis.usage_summary(year)
    download = request.GET.get("format")
    if download in ("csv", "ods"):
        label = year or "all-years"
        rows = analysis.download_rows(summary)
        if download == "csv":
            body, content_type = write_csv(analysis.DOWNLOAD_HEADER, rows), "text/csv; charset=utf-8"
        else:
            body = write_ods(analysis.DOWNLOAD_HEADER, rows, f"SRRT usage {label}")
            content_type = "application/vnd.oasis.opendocument.spreadsheet"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="srrt-usage-{label}.{download}"'
        return response
    biggest = max((r["deployments"] for r in summary.by_month), default=0) or 1
    context = {
        "form": form,
        "year": year,
        "year_param": year or ALL_YEARS,
        "summary": summary,
        "acceptance": _percent(summary.acceptance_rate),
        "foreseeable": _percent(summary.share_foreseeable),
        "likely": _percent(summary.share_likely_foreseeable),
        # Bars for the chart: 24 pixels a month, up to 480 pixels long.
        "months": [
            {**m, "y": 24 * i, "text_y": 24 * i + 15, "bar": round(480 * m["deployments"] / biggest)}
            for i, m in enumerate(summary.by_month)
        ],
        "chart_height": 24 * len(summary.by_month),
    }
    return render(request, "srrt/analysis.html", context)
