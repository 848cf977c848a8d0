"""Deployment tracking and close-out for one request: coordinators start the deployment, keep its figures
current, extend it, move it on to active, closing and closed, and record the close-out; the department's
requesters appraise the deployment and mark recommendations done. Everyone else who can see the request reads
the figures on the request page (templates/srrt/_operations.html)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from odp.web.fields import DateField
from odp.web.pages import banner, member_or_404
from srrt import operations, selectors
from srrt.models import (
    TEXT_MAX,
    Appraisal,
    CloseOut,
    Deployment,
    ObjectivesMet,
    Recommendation,
    SurgeRequest,
    SurgeStatus,
)
from srrt.permissions import can_request_for, is_coordinator


def _text(label: str, required: str = "", *, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=bool(required),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required, "max_length": f"Must be {TEXT_MAX} characters or fewer"},
    )


class StartForm(forms.Form):
    actual_start_date = DateField(
        label="Date the deployment started", error_messages={"required": "Enter the date the deployment started"}
    )
    note = _text("Note (optional)")


class FiguresForm(forms.Form):
    actual_start_date = DateField(label="Start date", error_messages={"required": "Enter the start date"})
    actual_end_date = DateField(label="End date (leave blank while it continues)", required=False)
    responder_days = forms.IntegerField(
        label="Responder-days worked",
        min_value=0,
        error_messages={"required": "Enter the responder-days worked", "min_value": "Enter 0 or more"},
    )
    hours = forms.DecimalField(
        label="Hours worked",
        min_value=Decimal("0"),
        max_digits=9,
        decimal_places=1,
        error_messages={"required": "Enter the hours worked", "min_value": "Enter 0 or more"},
    )


class ExtendForm(forms.Form):
    new_end_date = DateField(label="New end date", error_messages={"required": "Enter the new end date"})
    reason = _text("Reason for the extension", "Enter the reason for the extension")


class MoveForm(forms.Form):
    note = _text("Note (optional)")


class CloseOutForm(forms.Form):
    volumes_cleared = forms.IntegerField(
        label="Volume cleared",
        min_value=0,
        help_text="In the request's own unit, for example applications",
        error_messages={"required": "Enter the volume cleared", "min_value": "Enter 0 or more"},
    )
    objectives_met = forms.ChoiceField(
        label="Were the objectives met?",
        choices=ObjectivesMet.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the objectives were met"},
    )
    outcomes = _text("Outcomes", "Describe the outcomes", rows=4)
    lessons = _text("Lessons learned (optional)", rows=4)


class RecommendationForm(forms.Form):
    text = _text("Recommendation to strengthen the department's own capability", "Enter the recommendation")
    owner = forms.CharField(
        label="Owner",
        max_length=150,
        help_text="A job title in the department",
        error_messages={"required": "Enter who owns it"},
    )
    due_on = DateField(label="Due date", error_messages={"required": "Enter the date it is due"})


class AppraisalForm(forms.Form):
    score = forms.TypedChoiceField(
        label="How would you rate the deployment?",
        coerce=int,
        choices=[(k, f"{k}: {v}") for k, v in Appraisal.SCALE.items()],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a score from 1 to 4"},
    )
    comment = _text("Comments (optional)", rows=4)


class DoneForm(forms.Form):
    recommendation = forms.IntegerField(widget=forms.HiddenInput)
    done_note = _text("What was done (optional)", rows=2)


FORMS: dict[str, type[forms.Form]] = {
    "start": StartForm,
    "figures": FiguresForm,
    "extend": ExtendForm,
    "move": MoveForm,
    "close_out": CloseOutForm,
    "recommend": RecommendationForm,
    "appraise": AppraisalForm,
    "done": DoneForm,
}
REQUESTER_ACTIONS = {"appraise", "done"}
NEXT_MOVE = {
    SurgeStatus.DEPLOYING: SurgeStatus.ACTIVE,
    SurgeStatus.ACTIVE: SurgeStatus.CLOSING,
    SurgeStatus.CLOSING: SurgeStatus.CLOSED,
}


def _act(action: str, form: forms.Form, *, surge_request: SurgeRequest, member) -> str:
    """Call the service for ``action``; returns the banner heading."""
    data = form.cleaned_data
    if action == "start":
        operations.deployment_start(
            request=surge_request, by=member, actual_start_date=data["actual_start_date"], note=data["note"]
        )
        return "Deployment started"
    if action == "figures":
        operations.deployment_record(request=surge_request, by=member, **data)
        return "Deployment figures saved"
    if action == "extend":
        operations.deployment_extend(request=surge_request, by=member, **data)
        return f"Deployment extended to {data['new_end_date']:%-d %B %Y}"
    if action == "move":
        to = NEXT_MOVE.get(surge_request.status)
        if to is None:
            raise ValidationError("This request cannot be moved on from here.")
        operations.deployment_move(request=surge_request, by=member, to=to, note=data["note"])
        return f"Request marked {SurgeStatus(to).label.lower()}"
    if action == "close_out":
        operations.close_out_save(request=surge_request, by=member, **data)
        return "Close-out saved"
    if action == "recommend":
        operations.recommendation_add(request=surge_request, by=member, **data)
        return "Recommendation added"
    if action == "appraise":
        operations.appraisal_give(request=surge_request, by=member, **data)
        return "Appraisal recorded"
    recommendation = get_object_or_404(Recommendation, pk=data["recommendation"], request=surge_request)
    operations.recommendation_done(recommendation=recommendation, by=member, note=data["done_note"])
    return "Recommendation marked done"


@login_required
def deployment(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_or_404(request)
    try:
        surge_request = selectors.request_detail(member, pk)
    except SurgeRequest.DoesNotExist:
        raise Http404 from None
    coordinator = is_coordinator(member)
    requester = can_request_for(member, surge_request.organisation_id)
    # Others who can see the request (heads of profession, responders) read the figures only.
    allowed = set(FORMS) if coordinator else REQUESTER_ACTIONS if requester else set()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and action not in allowed:
        raise Http404
    deployment_record = Deployment.objects.filter(request=surge_request).first()
    close_out = CloseOut.objects.filter(request=surge_request).first()
    forms_by_action: dict[str, forms.Form] = {}
    for name in allowed:
        initial: dict[str, Any] = {}
        if name == "figures" and deployment_record:
            initial = {
                "actual_start_date": deployment_record.actual_start_date,
                "actual_end_date": deployment_record.actual_end_date,
                "responder_days": deployment_record.responder_days
                or operations.assigned_days(surge_request, until=timezone.localdate()),
                "hours": deployment_record.hours,
            }
        if name == "start":
            initial = {"actual_start_date": surge_request.start_date}
        if name == "close_out" and close_out is not None:
            initial = {f: getattr(close_out, f) for f in ("volumes_cleared", "objectives_met", "outcomes", "lessons")}
        forms_by_action[name] = FORMS[name](request.POST if name == action else None, initial=initial, prefix=name)
    if action:
        form = forms_by_action[action]
        if form.is_valid():
            try:
                heading = _act(action, form, surge_request=surge_request, member=member)
            except (ValidationError, PermissionDenied) as error:
                _add_errors(form, error)
            else:
                banner(request, heading)
                return redirect("srrt-deployment", pk=surge_request.pk)
    errored = next((f for f in forms_by_action.values() if f.errors), None)
    context = {
        "surge_request": surge_request,
        "deployment": deployment_record,
        "forms": forms_by_action,
        "errored": errored,
        "is_coordinator": coordinator,
        "next_move": NEXT_MOVE.get(surge_request.status),
        "appraisal_side": operations.appraisal_side_for(member, surge_request),
        "appraised_sides": set(surge_request.appraisals.values_list("side", flat=True)),
        "recommendations": surge_request.recommendations.all(),
        "extensions": surge_request.extensions.select_related("extended_by__user"),
        "daily_rate": operations.daily_rate(),
    }
    return render(request, "srrt/operations/deployment.html", context, status=400 if errored else 200)


def _add_errors(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
