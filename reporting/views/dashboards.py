"""/reporting/dashboard/ (heads of profession; admins may pick an organisation) and /reporting/profession/ (admins,
with filters), each table downloadable as CSV or ODS with exactly the page's scope."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from odp.models import Grade, JobFamily, Member, OrganisationKind
from odp.tabular import write_csv, write_ods
from odp.web.pages import member_or_404
from reporting import dashboard_cache, dashboards

ODS = "application/vnd.oasis.opendocument.spreadsheet"


class OrganisationForm(forms.Form):
    organisation = forms.TypedChoiceField(label="Organisation", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, member: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", "All organisations")] if member.is_odp_admin else [("", "All your organisations")]
        self.organisations = dashboards.organisation_choices(member)  # the page's title names them too
        self.fields["organisation"].choices = everything + [(o.pk, o.name) for o in self.organisations]


def _from_list(what: str) -> dict[str, str]:
    return {"invalid_choice": f"Select {what} in the list"}


class ProfessionFilters(forms.Form):
    organisation_kind = forms.ChoiceField(
        label="Organisation kind",
        required=False,
        choices=[("", "All kinds"), *OrganisationKind.choices],
        error_messages=_from_list("an organisation kind"),
    )
    grade = forms.ChoiceField(
        label="Grade",
        required=False,
        choices=[("", "All grades"), *Grade.choices],
        error_messages=_from_list("a grade"),
    )
    job_family = forms.ChoiceField(
        label="Job family",
        required=False,
        choices=[("", "All job families"), *JobFamily.choices],
        error_messages=_from_list("a job family"),
    )
    snapshot_date = forms.TypedChoiceField(
        label="Snapshot date",
        required=False,
        coerce=datetime.date.fromisoformat,
        empty_value=None,
        error_messages=_from_list("a snapshot date"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["snapshot_date"].choices = [("", "Latest")] + [
            (d.isoformat(), d.strftime("%-d %B %Y")) for d in dashboards.published_dates()
        ]


def _download(dashboard: dashboards.Dashboard, key: str, fmt: str, name: str) -> HttpResponse:
    table = dashboard.tables.get(key)
    if table is None or fmt not in ("csv", "ods"):
        raise Http404
    filename = f"{slugify(name)}-{table.key}-{dashboard.snapshot_date or dashboard.year}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(write_csv(table.header, table.rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(write_ods(table.header, table.rows, table.title[:31]), content_type=ODS)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _respond(
    request: HttpRequest, dashboard: dashboards.Dashboard, template: str, context: dict, *, valid: bool = True
) -> HttpResponse:
    key, fmt = request.GET.get("table"), request.GET.get("format")
    if (key or fmt) and valid:
        return _download(dashboard, key or "", fmt or "", dashboard.title)
    query = request.GET.copy()
    query.pop("table", None)
    query.pop("format", None)
    context.update({"dashboard": dashboard, "query": query.urlencode()})
    return render(request, template, context, status=200 if valid else 400)


@login_required
def organisation_dashboard(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, "dashboard.organisation")
    form = OrganisationForm(request.GET or None, member=member)
    chosen = form.cleaned_data["organisation"] if form.is_valid() else None
    if request.GET.get("organisation") and not form.is_valid():
        raise Http404  # an organisation outside the reader's scope is not revealed
    try:
        ids = dashboards.scope_for(member, chosen)
    except dashboards.OutOfScope:
        raise Http404 from None
    if ids is None:
        title = "All organisations"
    elif chosen is not None:
        title = next(o.name for o in form.organisations if o.pk == chosen)
    else:
        title = ", ".join(o.name for o in form.organisations if o.pk in ids and _is_root(o, ids))
    dashboard = dashboard_cache.build(ids, title=title)
    return _respond(request, dashboard, "reporting/dashboards/organisation.html", {"form": form})


def _is_root(organisation, ids: list[int]) -> bool:
    return organisation.parent_id not in ids


@login_required
def profession_dashboard(request: HttpRequest) -> HttpResponse:
    member_or_404(request, "dashboard.profession")
    form = ProfessionFilters(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    # With an unknown value the page says so (error summary) and shows the figures for the values that were valid;
    # a download is not served, so a file never silently covers more than was asked for.
    values = form.cleaned_data if form.is_bound else {}
    filters = dashboards.Filters(
        organisation_kind=values.get("organisation_kind") or "",
        grade=values.get("grade") or "",
        job_family=values.get("job_family") or "",
        snapshot_date=values.get("snapshot_date"),
    )
    dashboard = dashboard_cache.build(None, filters, title="The profession")
    context = {"form": form, "filters": filters}
    return _respond(request, dashboard, "reporting/dashboards/profession.html", context, valid=valid)
