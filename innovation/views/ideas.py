"""Browse and search ideas, your own ideas, and one idea's page: timeline, decisions, endorsements,
comments and follows. Every idea is looked up through visible_to, so anything out of scope is 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from innovation import exporting, idea_page, selectors, services
from innovation.forms import BrowseForm, CommentForm, ReportForm, add_service_errors
from innovation.learning import DELIVERED
from innovation.models import Comment, Idea, IdeaStatus
from innovation.permissions import can_review
from innovation.templatetags.ideas import status_tag_html
from odp import access
from odp.models import Member
from odp.web.pages import banner, bound, member_or_404

_PLACEHOLDER_ID = 987654321


@login_required
def browse(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request)
    organisations, themes = selectors.browse_choices()
    form = BrowseForm(request.GET or None, organisations=organisations, themes=themes)
    filters = selectors.IdeaFilters(**form.filters()) if form.is_bound else selectors.IdeaFilters()
    page = selectors.browse_page(member, filters, request.GET.get("page"))
    # One reverse for the page's links rather than one a row, and each row's markup built here rather than by a
    # template loop of a dozen lookups a row.
    link = reverse("ideas-detail", args=[_PLACEHOLDER_ID])
    for row in page.object_list:
        row["html"] = _idea_summary(row, link.replace(str(_PLACEHOLDER_ID), str(row["pk"])))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "searched": bool(filters.q),
        "can_review": access.can(member, "ideas.review"),
    }
    return render(request, "innovation/browse.html", context)


# templates/innovation/browse.html prints each idea's summary between its list tags.
_SUMMARY = """<li class="app-idea-summary">
        <h2 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="{}">{}</a></h2>
        <p class="govuk-body-s govuk-!-margin-bottom-1">{} · {} · {} endorsement{}</p>
        <p class="govuk-body-s">
{}
{}</p>
      </li>"""
_THEME_TAG = ' <strong class="govuk-tag govuk-tag--grey">{}</strong>'


def _idea_summary(row: dict, url: str) -> SafeString:
    count = row["endorsement_count"]
    return format_html(
        _SUMMARY,
        url,
        row["title"],
        row["reference"],
        row["organisation_name"],
        count,
        "" if count == 1 else "s",
        status_tag_html(row["status"]),
        format_html_join("", _THEME_TAG, ((name,) for name in row["themes"])),
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The browse page's ideas (same filters) as spreadsheet-safe CSV."""
    member = member_or_404(request)
    organisations, themes = selectors.browse_choices()
    form = BrowseForm(request.GET or None, organisations=organisations, themes=themes)
    filters = selectors.IdeaFilters(**form.filters()) if form.is_bound else selectors.IdeaFilters()
    response = HttpResponse(exporting.ideas_csv(member, filters), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ideas.csv"'
    return response


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request)
    ideas = Idea.objects.filter(author=member).select_related("organisation").order_by("-updated_at", "-pk")
    drafts = [i for i in ideas if i.status == IdeaStatus.DRAFT]
    raised = [i for i in ideas if i.status != IdeaStatus.DRAFT]
    return render(request, "innovation/mine.html", {"drafts": drafts, "raised": raised})


def _visible(member: Member, idea_id: int, *, for_page: bool = False) -> Idea:
    """The idea, or 404. ``for_page`` adds whether this member endorses and follows it, and what its page prints of
    its organisations, author and case study, in the same query."""
    if for_page:
        idea = idea_page.idea(member, idea_id)
        if idea is None:
            raise Http404
        return idea
    ideas = Idea.objects.visible_to(member).select_related("organisation", "origin_organisation", "author__user")
    return get_object_or_404(ideas, pk=idea_id)


def _detail_context(member: Member, idea: Idea, comment_form: CommentForm | None = None) -> dict:
    """What the idea's page shows; ``idea`` comes from ``_visible(..., for_page=True)``."""
    return {
        "idea": idea,
        "events": idea_page.events(idea),
        "decisions": idea_page.decisions(idea),
        "comments": idea_page.comments(idea, member),
        "measures": idea_page.measures(idea),
        "adoptions": idea_page.adoptions(idea),
        "endorsed": idea.endorsed_by_member,
        "following": idea.followed_by_member,
        "is_author": idea.author_id == member.pk,
        "can_review": can_review(member, idea),
        "open": idea.status != IdeaStatus.DRAFT and not idea.is_hidden,
        "comment_form": comment_form or CommentForm(),
        "case_study": getattr(idea, "case_study", None),
        "delivered": idea.status in DELIVERED,
    }


@login_required
def detail(request: HttpRequest, idea_id: int) -> HttpResponse:
    member = member_or_404(request)
    idea = _visible(member, idea_id, for_page=True)
    if idea.status == IdeaStatus.DRAFT:
        return redirect("ideas-check", idea_id=idea.pk)
    return render(request, "innovation/detail.html", _detail_context(member, idea))


@login_required
@require_POST
def endorse(request: HttpRequest, idea_id: int) -> HttpResponse:
    member = member_or_404(request)
    idea = _visible(member, idea_id)
    try:
        if request.POST.get("withdraw"):
            services.endorse_withdraw(idea=idea, by=member)
            banner(request, "Your endorsement has been withdrawn")
        else:
            services.endorse(idea=idea, by=member)
            banner(request, "You have endorsed this idea")
    except ValidationError as error:
        banner(request, "Your endorsement was not recorded", " ".join(error.messages))
    return redirect("ideas-detail", idea_id=idea.pk)


@login_required
@require_POST
def follow(request: HttpRequest, idea_id: int) -> HttpResponse:
    member = member_or_404(request)
    idea = _visible(member, idea_id)
    if request.POST.get("stop"):
        services.unfollow(idea=idea, by=member)
        banner(request, "You have stopped following this idea")
    else:
        services.follow(idea=idea, by=member)
        banner(request, "You are following this idea", "We will tell you when its status changes.")
    return redirect("ideas-detail", idea_id=idea.pk)


@login_required
@require_POST
def comment(request: HttpRequest, idea_id: int) -> HttpResponse:
    member = member_or_404(request)
    idea = _visible(member, idea_id, for_page=True)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(idea=idea, by=member, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            banner(request, "Your comment has been added")
            return redirect("ideas-detail", idea_id=idea.pk)
    return render(request, "innovation/detail.html", _detail_context(member, idea, form), status=400)


@login_required
def report(request: HttpRequest, idea_id: int, comment_id: int | None = None) -> HttpResponse:
    member = member_or_404(request)
    idea = _visible(member, idea_id)
    target = get_object_or_404(Comment.objects.visible_to(member), pk=comment_id, idea=idea) if comment_id else None
    form = ReportForm(**bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_raise(
                by=member, reason=form.cleaned_data["reason"], idea=None if target else idea, comment=target
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            banner(request, "Thank you for your report", "A moderator will look at it.")
            return redirect("ideas-detail", idea_id=idea.pk)
    return render(request, "innovation/report.html", {"idea": idea, "comment": target, "form": form})
