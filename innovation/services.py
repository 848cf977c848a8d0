"""Writes about ideas other than their workflow (see workflow.py): drafting, endorsing, commenting,
following, and moderation. Keyword-only, typed, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from innovation.models import COMMENT_MAX, Comment, Endorsement, Follow, Idea, IdeaEvent, IdeaStatus, Report, Theme
from innovation.permissions import require_visible
from odp import audit
from odp.models import AuditEvent, Member

# What an author answers on the question pages. Themes are set separately (many to many).
ANSWER_FIELDS = (
    "title",
    "problem",
    "proposed_change",
    "hours_saved_per_year",
    "cost_saved_per_year",
    "customer_outcome",
    "service_area",
    "visibility",
)
_TEXT_ANSWERS = {"title", "problem", "proposed_change", "customer_outcome"}


@transaction.atomic
def idea_save_draft(
    *, by: Member, answers: dict[str, Any], themes: Iterable[Theme] | None = None, idea: Idea | None = None
) -> Idea:
    """Create a draft or save more answers to one. Any subset of answers may be given (one question page at
    a time); only the title is needed before submission."""
    unknown = set(answers) - set(ANSWER_FIELDS)
    if unknown:
        raise ValueError(f"Not answers to the idea questions: {sorted(unknown)}")
    if idea is None:
        idea = Idea(author=by, organisation_id=by.organisation_id, origin_organisation_id=by.organisation_id)
    else:
        if idea.author_id != by.pk:
            raise PermissionDenied("Only the author can change this idea.")
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        if idea.status != IdeaStatus.DRAFT:
            raise ValidationError("This idea has been submitted, so it can no longer be changed.")
    for name, value in answers.items():
        setattr(idea, name, value.strip() if name in _TEXT_ANSWERS and isinstance(value, str) else value)
    if not idea.title:
        raise ValidationError({"title": "Enter a title for your idea"})
    # Author and organisations come from ``by`` above, never from the answers (the database holds their keys), and
    # the model's check constraints are about status, reference and merging, which no answer sets (the database
    # enforces them too): validating either cost six lookups on every answer saved.
    not_answers = ["reference", "merged_into", "author", "organisation", "origin_organisation"]
    idea.full_clean(exclude=not_answers, validate_constraints=False)
    created = idea.pk is None
    with audit.acting_as(by.user):
        idea.save()
    if created:
        IdeaEvent.objects.create(idea=idea, actor=by, kind=IdeaEvent.Kind.CREATED, to_status=IdeaStatus.DRAFT)
    if themes is not None:
        idea.themes.set(list(themes))
    return idea


@transaction.atomic
def idea_delete_draft(*, idea: Idea, by: Member) -> None:
    if idea.author_id != by.pk:
        raise PermissionDenied("Only the author can delete this draft.")
    if idea.status != IdeaStatus.DRAFT:
        raise ValidationError("Only drafts can be deleted.")
    with audit.acting_as(by.user):
        idea.delete()


def _require_open(idea: Idea) -> None:
    if idea.status == IdeaStatus.DRAFT or idea.is_hidden:
        raise ValidationError("This idea is not open for endorsements or comments.")


@transaction.atomic
def endorse(*, idea: Idea, by: Member) -> Endorsement:
    """One endorsement per person; authors cannot endorse their own idea."""
    require_visible(by, idea)
    _require_open(idea)
    if idea.author_id == by.pk:
        raise ValidationError("You cannot endorse your own idea.", code="own_idea")
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(idea=idea, member=by)
    except IntegrityError:
        raise ValidationError("You have already endorsed this idea.", code="already_endorsed") from None
    Idea.objects.filter(pk=idea.pk).update(endorsement_count=F("endorsement_count") + 1)
    return endorsement


@transaction.atomic
def endorse_withdraw(*, idea: Idea, by: Member) -> None:
    deleted, _ = Endorsement.objects.filter(idea=idea, member=by).delete()
    if not deleted:
        raise ValidationError("You have not endorsed this idea.")
    Idea.objects.filter(pk=idea.pk).update(endorsement_count=F("endorsement_count") - 1)


@transaction.atomic
def comment_add(*, idea: Idea, by: Member, body: str) -> Comment:
    require_visible(by, idea)
    _require_open(idea)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Enter a comment"})
    if len(body) > COMMENT_MAX:
        raise ValidationError({"body": f"Comment must be {COMMENT_MAX} characters or fewer"})
    comment = Comment(idea=idea, author=by, body=body)
    with audit.acting_as(by.user):
        comment.save()
    return comment


@transaction.atomic
def follow(*, idea: Idea, by: Member) -> Follow:
    require_visible(by, idea)
    return Follow.objects.get_or_create(idea=idea, member=by)[0]


@transaction.atomic
def unfollow(*, idea: Idea, by: Member) -> None:
    Follow.objects.filter(idea=idea, member=by).delete()


@transaction.atomic
def report_raise(*, by: Member, reason: str, idea: Idea | None = None, comment: Comment | None = None) -> Report:
    """Anyone who can see an idea or comment can ask the moderators to look at it."""
    if (idea is None) == (comment is None):
        raise ValueError("Report an idea or a comment, not both.")
    if comment is not None and not Comment.objects.visible_to(by).filter(pk=comment.pk).exists():
        raise PermissionDenied("You cannot see this comment.")
    if idea is not None:
        require_visible(by, idea)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are reporting this"})
    if len(reason) > 500:
        raise ValidationError({"reason": "Reason must be 500 characters or fewer"})
    existing = Report.objects.filter(reporter=by, idea=idea, comment=comment, outcome=Report.Outcome.OPEN).first()
    if existing:
        return existing
    with audit.acting_as(by.user):
        return Report.objects.create(reporter=by, idea=idea, comment=comment, reason=reason)


def _require_moderator(by: Member) -> None:
    if not by.is_odp_admin:
        raise PermissionDenied("Only ODP admins can hide or restore content.")


@transaction.atomic
def moderate(*, by: Member, hide: bool, note: str, idea: Idea | None = None, comment: Comment | None = None) -> None:
    """Hide or restore an idea or comment, resolving open reports about it, with an audit record."""
    _require_moderator(by)
    target: Idea | Comment | None = idea or comment
    if target is None or (idea is not None and comment is not None):
        raise ValueError("Moderate an idea or a comment.")
    note = (note or "").strip()
    if hide and not note:
        raise ValidationError({"note": "Enter why this is being hidden"})
    before = target.is_hidden
    target.is_hidden = hide
    target.hidden_reason = note[:500] if hide else ""
    with audit.acting_as(by.user):
        target.save(update_fields=["is_hidden", "hidden_reason"])
    audit.record(
        action=AuditEvent.Action.UPDATE, obj=target, changes={"is_hidden": [before, hide]}, note=note, actor=by.user
    )
    if idea is not None:
        kind = IdeaEvent.Kind.HIDDEN if hide else IdeaEvent.Kind.RESTORED
        IdeaEvent.objects.create(idea=idea, actor=by, kind=kind, note=note)
    reports = Report.objects.filter(outcome=Report.Outcome.OPEN, idea=idea, comment=comment)
    outcome = Report.Outcome.HIDDEN if hide else Report.Outcome.DISMISSED
    reports.update(outcome=outcome, resolved_by=by, resolved_at=timezone.now())


@transaction.atomic
def report_dismiss(*, report: Report, by: Member) -> Report:
    _require_moderator(by)
    report.outcome = Report.Outcome.DISMISSED
    report.resolved_by = by
    report.resolved_at = timezone.now()
    with audit.acting_as(by.user):
        report.save(update_fields=["outcome", "resolved_by", "resolved_at"])
    return report
