"""Reads for the moderators' pages: what has been reported and is still open, grouped by the idea or comment
reported, and what is hidden now. Writes stay in services.py (moderate, report_dismiss)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from innovation.models import Comment, Idea, Report


@dataclass
class Reported:
    """An idea or a comment with its open reports, oldest first."""

    kind: str  # "idea" or "comment"
    target: Idea | Comment
    idea: Idea
    reports: list[Report] = field(default_factory=list)

    @property
    def first_reported_at(self):
        return self.reports[0].created_at


def open_reports() -> list[Reported]:
    """Everything with an open report, the longest waiting first."""
    reports = (
        Report.objects.filter(outcome=Report.Outcome.OPEN)
        .select_related("reporter__user", "idea__organisation", "comment__author__user", "comment__idea")
        .order_by("created_at", "pk")
    )
    grouped: dict[tuple[str, int], Reported] = {}
    for report in reports:
        if report.idea_id:
            key, target, idea = ("idea", report.idea_id), report.idea, report.idea
        else:
            key, target, idea = ("comment", report.comment_id), report.comment, report.comment.idea
        grouped.setdefault(key, Reported(kind=key[0], target=target, idea=idea)).reports.append(report)
    return list(grouped.values())


def hidden_ideas() -> QuerySet[Idea]:
    return Idea.objects.filter(is_hidden=True).select_related("organisation").order_by("-updated_at", "-pk")


def hidden_comments() -> QuerySet[Comment]:
    return Comment.objects.filter(is_hidden=True).select_related("idea", "author__user").order_by("-pk")


def reports_on(*, idea: Idea | None = None, comment: Comment | None = None) -> QuerySet[Report]:
    """Every report on one idea or comment, open and resolved, newest first."""
    reports = Report.objects.filter(comment=comment) if comment is not None else Report.objects.filter(idea=idea)
    return reports.select_related("reporter__user", "resolved_by__user").order_by("-created_at", "-pk")
