"""A department requester's pages: their surge requests, a new request one question a page (saved as a draft at
every step), check your answers, submit, the confirmation, responding when more information is asked for,
and cancelling. Then the request page everyone in scope sees. Every request is read through visible_to, so
anything out of scope is 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from odp import access
from odp.models import Member, Organisation
from odp.web.pages import banner, bound, member_or_404
from srrt import selectors, workflow
from srrt import services as srrt_services
from srrt.forms import STEP_BY_SLUG, STEP_OF_FIELD, STEPS, NoteForm, Step, add_service_errors
from srrt.models import Clearance, LastResortOption, SurgeRequest, SurgeStatus
from srrt.permissions import can_request_for, is_coordinator

PAGE_SIZE = 25


def _requestable(member: Member) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=access.requester_organisation_ids(member)).order_by("name"))


class NotEditable(Exception):
    def __init__(self, surge_request: SurgeRequest) -> None:
        super().__init__(surge_request.status)
        self.surge_request = surge_request


def _editable(member: Member, pk: int) -> SurgeRequest:
    """A draft, or a request sent back for more information, that this member may answer for. Raises
    NotEditable for one they may answer for that has moved on (say, closed), so the page can say why."""
    surge_request = get_object_or_404(SurgeRequest.objects.visible_to(member), pk=pk)
    if not can_request_for(member, surge_request.organisation_id):
        raise Http404
    if surge_request.status not in SurgeStatus.editable():
        raise NotEditable(surge_request)
    return surge_request


def _refuse_edit(request: HttpRequest, surge_request: SurgeRequest) -> HttpResponse:
    status = surge_request.get_status_display().lower()
    banner(
        request,
        "This request can no longer be changed",
        f"It is {status}, so its answers can no longer be changed.",
        success=False,
    )
    return redirect("srrt-request", pk=surge_request.pk)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, "srrt.request")
    page = Paginator(selectors.requester_requests(member), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "srrt/mine.html", {"page": page, "organisations": _requestable(member)})


def _next_url(surge_request: SurgeRequest, step: Step, request: HttpRequest) -> str:
    if request.GET.get("return") == "check":
        return reverse("srrt-check", args=[surge_request.pk])
    index = STEPS.index(step)
    if index + 1 < len(STEPS):
        return reverse("srrt-question", args=[surge_request.pk, STEPS[index + 1].slug])
    return reverse("srrt-check", args=[surge_request.pk])


@login_required
def question(request: HttpRequest, step: str = "title", pk: int | None = None) -> HttpResponse:
    member = member_or_404(request, "srrt.request")
    if step not in STEP_BY_SLUG:
        raise Http404
    current = STEP_BY_SLUG[step]
    try:
        surge_request = _editable(member, pk) if pk is not None else None
    except NotEditable as refused:
        return _refuse_edit(request, refused.surge_request)
    organisations = _requestable(member) if surge_request is None else None
    if surge_request is None and not organisations:
        raise Http404
    kwargs: dict[str, Any] = {"surge_request": surge_request} if surge_request else {}
    if current.slug == "title":
        kwargs["organisations"] = organisations
    form = current.form(**bound(request), **kwargs)
    if request.method == "POST" and form.is_valid():
        organisation = None
        if surge_request is None:
            organisation = form.cleaned_data.get("organisation") or organisations[0]
        try:
            surge_request = srrt_services.request_save_draft(
                by=member, request=surge_request, organisation=organisation, **form.answers()
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            if "save_draft" in request.POST:
                banner(request, "Your draft has been saved", "You can come back to it from ‘Your surge requests’.")
                return redirect("srrt-requests")
            return redirect(_next_url(surge_request, current, request))
    index = STEPS.index(current)
    if request.GET.get("return") == "check" and surge_request:
        back = reverse("srrt-check", args=[surge_request.pk])
    elif index == 0 or surge_request is None:
        back = reverse("srrt-requests")
    else:
        back = reverse("srrt-question", args=[surge_request.pk, STEPS[index - 1].slug])
    context = {
        "form": form,
        "step": current,
        "surge_request": surge_request,
        "back": back,
        "number": index + 1,
        "total": len(STEPS),
        "fields": list(form),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "srrt/question.html", context, status=status)


def answer_rows(surge_request: SurgeRequest, *, changeable: bool = False) -> list[dict[str, Any]]:
    """The answers as summary-list rows, each with the question page that changes it."""
    r = surge_request
    unit = f" {r.volume_unit}" if r.volume_unit else ""
    answers = {a.option: a for a in r.last_resort_answers.all()}
    rows: list[tuple[str, str, str]] = [
        ("Title", r.title, "title"),
        ("Organisation", str(r.organisation), "title"),
        ("Type of demand", r.get_demand_type_display() if r.demand_type else "", "demand-type"),
        ("What happened", r.what_happened, "what-happened"),
        ("Why now", r.why_now, "what-happened"),
        ("Forecast volume", f"{r.forecast_volume:,}{unit}" if r.forecast_volume is not None else "", "volume"),
        ("Normal capacity", f"{r.normal_capacity:,}{unit}" if r.normal_capacity is not None else "", "volume"),
        ("Start date", f"{r.start_date:%-d %B %Y}" if r.start_date else "", "dates"),
        (
            "Expected duration",
            f"{r.expected_duration_days} day{'s' if r.expected_duration_days != 1 else ''}, to {r.end_date:%-d %B %Y}"
            if r.expected_duration_days and r.end_date
            else "",
            "dates",
        ),
        ("People needed", str(r.people_needed) if r.people_needed is not None else "", "people"),
        ("Skills needed", "\n".join(str(s) for s in r.skills_needed.all()), "skills"),
        ("Locations", r.locations, "locations"),
        ("Region", r.get_region_display() if r.region else "", "locations"),
        ("Outside the UK", "Yes" if r.international else ("No" if r.locations else ""), "locations"),
        (
            "Security clearance",
            Clearance(r.clearance_required).label if r.clearance_required else "",
            "clearance",
        ),
    ]
    for option, label in LastResortOption.choices:
        answer = answers.get(option)
        text = ""
        if answer is not None:
            text = answer.get_outcome_display()
            if answer.why_not_enough:
                text += f": {answer.why_not_enough}"
        rows.append((label, text, "last-resort"))
    rows.append(
        (
            "In your forecast or capability plan",
            r.get_in_forecast_or_plan_display() if r.in_forecast_or_plan else "",
            "plan",
        )
    )
    return [
        {
            "key": key,
            "value": value,
            "url": reverse("srrt-question", args=[r.pk, slug]) + "?return=check" if changeable else "",
        }
        for key, value, slug in rows
    ]


@login_required
def check(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_or_404(request, "srrt.request")
    try:
        surge_request = _editable(member, pk)
    except NotEditable as refused:
        return _refuse_edit(request, refused.surge_request)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            workflow.request_submit(request=surge_request, by=member)
        except ValidationError as error:
            by_field = error.message_dict if hasattr(error, "error_dict") else {"title": error.messages}
            for name, messages in by_field.items():
                slug = STEP_OF_FIELD.get(name, "title")
                url = reverse("srrt-question", args=[surge_request.pk, slug]) + "?return=check"
                errors += [{"text": m, "href": url} for m in messages]
        else:
            return redirect("srrt-submitted", pk=surge_request.pk)
    context = {
        "surge_request": surge_request,
        "rows": answer_rows(surge_request, changeable=True),
        "errors": errors,
        "resubmission": surge_request.status == SurgeStatus.MORE_INFO,
        "asked": surge_request.decisions.filter(outcome="more_info").order_by("-decided_at", "-pk").first(),
    }
    return render(request, "srrt/check.html", context, status=400 if errors else 200)


@login_required
def submitted(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_or_404(request, "srrt.request")
    surge_request = get_object_or_404(
        SurgeRequest.objects.visible_to(member).exclude(status=SurgeStatus.DRAFT).exclude(reference=None), pk=pk
    )
    return render(request, "srrt/submitted.html", {"surge_request": surge_request})


@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_or_404(request)
    surge_request = get_object_or_404(SurgeRequest.objects.visible_to(member), pk=pk)
    if not (is_coordinator(member) or can_request_for(member, surge_request.organisation_id)):
        raise Http404
    if surge_request.status not in workflow.CANCELLABLE:
        banner(
            request,
            "This request can no longer be cancelled",
            f"It is {surge_request.get_status_display().lower()}.",
            success=False,
        )
        return redirect("srrt-request", pk=surge_request.pk)
    is_draft = surge_request.status == SurgeStatus.DRAFT
    form = NoteForm(
        **bound(request),
        label="Why is it being cancelled?" + (" (optional)" if is_draft else ""),
        required="Say why it is cancelled",
        optional=is_draft,
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.request_cancel(request=surge_request, by=member, note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            banner(request, "The request has been cancelled")
            return redirect(
                "srrt-requests" if can_request_for(member, surge_request.organisation_id) else "srrt-triage"
            )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "srrt/cancel.html", {"surge_request": surge_request, "form": form}, status=status)


def timeline_rows(surge_request: SurgeRequest) -> list[dict[str, Any]]:
    rows = []
    for event in selectors.request_timeline(surge_request).select_related("actor"):
        before, after = (event.changes.get("status") or ["", ""])[:2]
        rows.append(
            {
                "status": SurgeStatus(after).label if after in SurgeStatus.values else after,
                "from": SurgeStatus(before).label if before in SurgeStatus.values else before,
                "at": event.at,
                "by": (event.actor.get_full_name() or event.actor.get_username()) if event.actor else "",
                "note": event.note,
            }
        )
    return rows


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_or_404(request)
    try:
        surge_request = selectors.request_detail(member, pk)
    except SurgeRequest.DoesNotExist:
        raise Http404 from None
    coordinator = is_coordinator(member)
    may_answer = can_request_for(member, surge_request.organisation_id)
    context = {
        "surge_request": surge_request,
        "member": member,
        "rows": answer_rows(surge_request),
        "timeline": timeline_rows(surge_request),
        "decisions": surge_request.decisions.all(),
        "assignments": surge_request.assignments.all(),
        "show_foreseeability": coordinator or member.is_odp_admin,
        "is_coordinator": coordinator,
        "may_answer": may_answer and surge_request.status in SurgeStatus.editable(),
        "may_cancel": (coordinator or may_answer) and surge_request.status in workflow.CANCELLABLE,
        "may_triage": coordinator and surge_request.status == SurgeStatus.SUBMITTED,
        "may_staff": coordinator and surge_request.status in SurgeStatus.staffable(),
    }
    return render(request, "srrt/detail.html", context)
