"""Raise an idea: one question a page, saved as a draft at every step, check your answers, submit, and a
confirmation with the reference and the date the author will hear by."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from innovation import selectors, services, workflow
from innovation.forms import STEP_BY_SLUG, STEP_OF_FIELD, STEPS, Step, add_service_errors
from innovation.models import Idea, IdeaStatus
from odp.models import Member
from odp.web.pages import banner, bound, member_or_404

# One of the member's own drafts, on every question page of the journey: constant SQL, which the ORM took longer to
# build than PostgreSQL took to run.
_DRAFT_SQL = 'SELECT * FROM "innovation_idea" WHERE "id" = %s AND "author_id" = %s AND "status" = %s'


def _draft(member: Member, idea_id: int) -> Idea:
    found = list(Idea.objects.raw(_DRAFT_SQL, [idea_id, member.pk, IdeaStatus.DRAFT.value]))
    if not found:
        raise Http404
    return found[0]


def _initial(idea: Idea | None, step: Step) -> dict[str, Any]:
    if idea is None:
        return {}
    if step.slug == "themes":
        return {"themes": list(idea.themes.values_list("slug", flat=True))}
    return {name: getattr(idea, name) for name in step.form.base_fields}


def _next_url(idea: Idea, step: Step, request: HttpRequest) -> str:
    if request.GET.get("return") == "check":
        return reverse("ideas-check", args=[idea.pk])
    index = STEPS.index(step)
    if index + 1 < len(STEPS):
        return reverse("ideas-question", args=[idea.pk, STEPS[index + 1].slug])
    return reverse("ideas-check", args=[idea.pk])


@login_required
def question(request: HttpRequest, step: str = "title", idea_id: int | None = None) -> HttpResponse:
    member = member_or_404(request)
    if step not in STEP_BY_SLUG:
        raise Http404
    current = STEP_BY_SLUG[step]
    idea = _draft(member, idea_id) if idea_id is not None else None
    form = current.form(**bound(request), initial=_initial(idea, current))
    if request.method == "POST" and form.is_valid():
        answers = dict(form.cleaned_data)
        themes = answers.pop("themes", None)
        try:
            idea = services.idea_save_draft(by=member, idea=idea, answers=answers, themes=themes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if "save_draft" in request.POST:
                banner(request, "Your draft has been saved", "You can come back to it from ‘Your ideas’.")
                return redirect("ideas-mine")
            return redirect(_next_url(idea, current, request))
    index = STEPS.index(current)
    if index == 0:
        back = reverse("ideas-mine")
    else:
        back = reverse("ideas-question", args=[idea.pk, STEPS[index - 1].slug]) if idea else reverse("ideas-mine")
    similar = []
    if idea is not None and step in {"problem", "change"}:
        similar = selectors.similar_ideas(member, title=idea.title, problem=idea.problem, exclude=idea.pk)
    context = {"form": form, "step": current, "idea": idea, "back": back, "number": index + 1, "similar": similar}
    return render(request, "innovation/question.html", context)


def check_rows(idea: Idea) -> list[dict[str, Any]]:
    """The answers as summary-list rows, each with the question page that changes it."""
    money = f"£{idea.cost_saved_per_year:,.2f}" if idea.cost_saved_per_year is not None else ""
    hours = f"{idea.hours_saved_per_year:,} hours a year" if idea.hours_saved_per_year is not None else ""
    benefits = [b for b in (hours, f"{money} a year" if money else "", idea.customer_outcome) if b]
    values = {
        "title": idea.title,
        "problem": idea.problem,
        "change": idea.proposed_change,
        "benefits": "\n".join(benefits),
        "service-area": idea.get_service_area_display() if idea.service_area else "",
        "themes": ", ".join(t.name for t in idea.themes.all()),
        "visibility": idea.get_visibility_display(),
    }
    return [
        {
            "key": step.check_label,
            "value": values[step.slug],
            "url": reverse("ideas-question", args=[idea.pk, step.slug]) + "?return=check",
            "slug": step.slug,
        }
        for step in STEPS
    ]


@login_required
def check(request: HttpRequest, idea_id: int) -> HttpResponse:
    member = member_or_404(request)
    idea = _draft(member, idea_id)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            workflow.idea_submit(idea=idea, by=member)
        except ValidationError as error:
            by_field = error.message_dict if hasattr(error, "error_dict") else {"title": error.messages}
            for name, messages in by_field.items():
                slug = STEP_OF_FIELD.get(name, "title")
                url = reverse("ideas-question", args=[idea.pk, slug]) + "?return=check"
                errors += [{"text": m, "href": url} for m in messages]
        else:
            return redirect("ideas-submitted", idea_id=idea.pk)
    return render(request, "innovation/check.html", {"idea": idea, "rows": check_rows(idea), "errors": errors})


@login_required
def submitted(request: HttpRequest, idea_id: int) -> HttpResponse:
    member = member_or_404(request)
    idea = get_object_or_404(Idea.objects.filter(author=member).exclude(status=IdeaStatus.DRAFT), pk=idea_id)
    return render(request, "innovation/submitted.html", {"idea": idea})


@login_required
def delete_draft(request: HttpRequest, idea_id: int) -> HttpResponse:
    member = member_or_404(request)
    idea = _draft(member, idea_id)
    if request.method == "POST":
        services.idea_delete_draft(idea=idea, by=member)
        banner(request, "Your draft has been deleted")
        return redirect("ideas-mine")
    return render(request, "innovation/delete_draft.html", {"idea": idea})
