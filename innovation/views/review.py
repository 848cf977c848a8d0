"""Review for heads of profession: the queue by due date, and one idea's decision page. Ideas come from
reviewable_by, so an idea outside the organisations you lead is 404 here even if you can read it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from innovation import selectors, workflow
from innovation.forms import BaselineForm, DecisionForm, MoveForm, RealisedForm, add_service_errors
from innovation.models import TRANSITIONS, BenefitMeasure, Idea, IdeaStatus
from odp.web.pages import banner, member_or_404

NEXT_MOVE = {
    IdeaStatus.SUBMITTED: IdeaStatus.UNDER_REVIEW,
    IdeaStatus.ROUTED: IdeaStatus.UNDER_REVIEW,
    IdeaStatus.ACCEPTED: IdeaStatus.IN_PROGRESS,
    IdeaStatus.IN_PROGRESS: IdeaStatus.IMPLEMENTED,
    IdeaStatus.IMPLEMENTED: IdeaStatus.BENEFITS_REALISED,
}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request, "ideas.review")
    page = selectors.paginate(selectors.review_queue(member), request.GET.get("page"), per_page=50)
    return render(request, "innovation/review_queue.html", {"page": page, "today": timezone.localdate()})


@login_required
def decide(request: HttpRequest, idea_id: int) -> HttpResponse:
    member = member_or_404(request, "ideas.review")
    idea = get_object_or_404(
        Idea.objects.reviewable_by(member).select_related("organisation", "author__user"), pk=idea_id
    )
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if request.method == "POST" else None
    decision_form = DecisionForm(data if action == "decide" else None, current_organisation_id=idea.organisation_id)
    move_form = MoveForm(data if action == "move" else None)
    baseline_form = BaselineForm(data if action == "baseline" else None)
    realised_form = RealisedForm(data if action == "realised" else None)
    try:
        if action == "decide" and decision_form.is_valid():
            _decide(idea, member, decision_form)
            banner(request, "Decision recorded", "The author and followers have been told.")
            return redirect("ideas-detail", idea_id=idea.pk)
        if action == "move" and move_form.is_valid() and idea.status in NEXT_MOVE:
            to = NEXT_MOVE[idea.status]
            workflow.idea_move(idea=idea, by=member, to=to, note=move_form.cleaned_data["note"])
            banner(request, f"Idea marked {IdeaStatus(to).label.lower()}")
            return redirect("ideas-decide", idea_id=idea.pk)
        if action == "baseline" and baseline_form.is_valid():
            workflow.benefit_baseline_record(idea=idea, by=member, **baseline_form.cleaned_data)
            banner(request, "Baseline recorded")
            return redirect("ideas-decide", idea_id=idea.pk)
        if action == "realised" and realised_form.is_valid():
            benefit = get_object_or_404(BenefitMeasure, pk=realised_form.cleaned_data["benefit"], idea=idea)
            value = realised_form.cleaned_data["realised_value"]
            workflow.benefit_realised_record(benefit=benefit, by=member, realised_value=value)
            banner(request, "Measured value recorded")
            return redirect("ideas-decide", idea_id=idea.pk)
    except ValidationError as error:
        form = {"decide": decision_form, "move": move_form, "baseline": baseline_form}.get(action, realised_form)
        add_service_errors(form, error)
    idea.refresh_from_db()
    context = {
        "idea": idea,
        "decision_form": decision_form,
        "move_form": move_form,
        "baseline_form": baseline_form,
        "realised_form": realised_form,
        "next_move": NEXT_MOVE.get(idea.status),
        "can_decide": IdeaStatus.ACCEPTED in TRANSITIONS[idea.status],
        "measures": idea.benefit_measures.all(),
        "takes_baseline": idea.status in (IdeaStatus.ACCEPTED, IdeaStatus.IN_PROGRESS),
        "takes_realised": idea.status == IdeaStatus.IMPLEMENTED,
        "forms": [f for f in (decision_form, move_form, baseline_form, realised_form) if f.is_bound],
    }
    return render(request, "innovation/decide.html", context, status=400 if context["forms"] else 200)


def _decide(idea: Idea, member, form: DecisionForm) -> None:
    data = form.cleaned_data
    merge_into = None
    if data["outcome"] == IdeaStatus.MERGED and data["merge_into"]:
        reference = data["merge_into"].strip().upper()
        merge_into = Idea.objects.visible_to(member).filter(reference=reference).first()
        if merge_into is None:
            raise ValidationError({"merge_into": "Enter the reference of an idea you can see, like IDEA-2026-000123"})
    workflow.idea_decide(
        idea=idea,
        by=member,
        outcome=data["outcome"],
        feedback=data["feedback"],
        reason=data["reason"],
        route_to=data["route_to"],
        merge_into=merge_into,
    )
