"""Moderation for ODP admins: reported ideas and comments with the reasons given, and hiding or restoring
them with a note that goes in the audit record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from innovation import moderation, services
from innovation.forms import ModerationForm, add_service_errors
from innovation.models import Comment, Idea, Report
from odp.models import Member
from odp.web.pages import banner, bound, member_or_404


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    member_or_404(request, "ideas.moderate")
    context = {
        "reported": moderation.open_reports(),
        "hidden_ideas": moderation.hidden_ideas()[:50],
        "hidden_comments": moderation.hidden_comments()[:50],
    }
    return render(request, "innovation/moderation_queue.html", context)


def _act(member: Member, form: ModerationForm, idea: Idea | None, comment: Comment | None) -> str:
    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    if action == "dismiss":
        reports = Report.objects.filter(outcome=Report.Outcome.OPEN, idea=idea, comment=comment)
        for report in reports:
            services.report_dismiss(report=report, by=member)
        return "Reports dismissed"
    services.moderate(by=member, hide=action == "hide", note=note, idea=idea, comment=comment)
    return "Hidden" if action == "hide" else "Restored"


def _moderate(request: HttpRequest, *, idea: Idea | None = None, comment: Comment | None = None) -> HttpResponse:
    member = member_or_404(request, "ideas.moderate")
    target = comment or idea
    reports = list(moderation.reports_on(idea=idea, comment=comment))
    has_open = any(r.outcome == Report.Outcome.OPEN for r in reports)
    form = ModerationForm(**bound(request), hidden=target.is_hidden, has_open_reports=has_open)
    if request.method == "POST" and form.is_valid():
        try:
            done = _act(member, form, idea, comment)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            banner(request, done, "The change and your note are in the audit record.")
            return redirect("ideas-moderation")
    context = {"form": form, "idea": idea or comment.idea, "comment": comment, "target": target, "reports": reports}
    return render(request, "innovation/moderate.html", context, status=400 if form.errors else 200)


@login_required
def moderate_idea(request: HttpRequest, idea_id: int) -> HttpResponse:
    member_or_404(request, "ideas.moderate")
    idea = get_object_or_404(
        Idea.objects.exclude(status="draft").select_related("organisation", "author__user"), pk=idea_id
    )
    return _moderate(request, idea=idea)


@login_required
def moderate_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    member_or_404(request, "ideas.moderate")
    comment = get_object_or_404(Comment.objects.select_related("idea", "author__user"), pk=comment_id)
    return _moderate(request, comment=comment)
