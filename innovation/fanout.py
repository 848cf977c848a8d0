"""Who is told what about ideas. Called by the jobs in tasks.py; each message goes through odp.notifications
(in-service notification plus an email job in the outbox)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from innovation.models import DigestEntry, EmailFrequency, EmailPreference, Idea, IdeaEvent, IdeaStatus
from innovation.querysets import ancestor_ids
from odp import notifications
from odp.models import Member, Role, RoleAssignment


def idea_link(idea: Idea) -> str:
    return f"/ideas/{idea.pk}/"


def reviewers_of(idea: Idea) -> list[Member]:
    """Heads of profession for the idea's organisation or any body above it; the admins if there are none."""
    member_ids = RoleAssignment.objects.filter(
        role=Role.HEAD_OF_PROFESSION, organisation_id__in=ancestor_ids(idea.organisation_id)
    ).values("member_id")
    reviewers = list(Member.objects.active().filter(pk__in=member_ids).order_by("pk"))
    return reviewers or admins()


def admins() -> list[Member]:
    ids = RoleAssignment.objects.filter(role=Role.ODP_ADMIN).values("member_id")
    return list(Member.objects.active().filter(pk__in=ids).order_by("pk"))


def _tell(recipients: Iterable[Member], *, subject: str, body: str, link: str) -> int:
    """Notify each member in the service; email them now, or hold the email for their daily digest."""
    recipients = list(recipients)
    daily = set(
        EmailPreference.objects.filter(
            member__in=[m.pk for m in recipients], frequency=EmailFrequency.DAILY
        ).values_list("member_id", flat=True)
    )
    for member in recipients:
        held = member.pk in daily
        notification = notifications.notify(recipient=member, subject=subject, body=body, link=link, email=not held)
        if held:
            DigestEntry.objects.create(notification=notification, member=member)
    return len(recipients)


@transaction.atomic
def notify_reviewers(*, idea_id: int) -> int:
    idea = Idea.objects.select_related("organisation").get(pk=idea_id)
    if idea.status not in IdeaStatus.awaiting_decision():
        return 0
    due = idea.decision_due_on.strftime("%-d %B %Y") if idea.decision_due_on else "soon"
    return _tell(
        reviewers_of(idea),
        subject=f"New idea to review: {idea.reference}",
        body=f"“{idea.title}” is waiting for a decision for {idea.organisation}. The author will hear by {due}.",
        link=idea_link(idea),
    )


def _status_message(event: IdeaEvent) -> str:
    status = IdeaStatus(event.to_status).label.lower()
    text = f"“{event.idea.title}” ({event.idea.reference}) is now {status}."
    if event.note:
        text += f"\n\n{event.note}"
    return text


@transaction.atomic
def announce_event(*, event_id: int) -> int:
    """Tell the author (of every status change someone else made, decisions included) and the followers;
    for a merge, the duplicate's endorsers too. Nobody is told twice, and nobody of their own action."""
    event = IdeaEvent.objects.select_related("idea").get(pk=event_id)
    idea = event.idea
    if event.kind not in (IdeaEvent.Kind.STATUS, IdeaEvent.Kind.ROUTED) or not event.to_status:
        return 0
    told: set[int] = {event.actor_id} if event.actor_id else set()
    sent = 0
    decided = event.to_status in IdeaStatus.decisions()
    body = _status_message(event)
    if idea.author_id not in told:
        subject = f"Decision on your idea {idea.reference}" if decided else f"Your idea {idea.reference} has moved on"
        _tell([idea.author], subject=subject, body=body, link=idea_link(idea))
        told.add(idea.author_id)
        sent += 1
    audience = set(idea.follows.values_list("member_id", flat=True))
    if event.to_status == IdeaStatus.MERGED:
        audience |= set(idea.endorsements.values_list("member_id", flat=True))
        body += f"\n\nIt was merged into {idea.merged_into}: follow that idea for news."
    recipients = Member.objects.active().filter(pk__in=audience - told).order_by("pk")
    return sent + _tell(recipients, subject=f"Update on {idea.reference}", body=body, link=idea_link(idea))


@transaction.atomic
def escalate_overdue() -> int:
    """Ideas past their response date go to the admins, once each. Returns how many were escalated."""
    today = timezone.localdate()
    overdue = list(
        Idea.objects.select_for_update(skip_locked=True)
        .filter(status__in=IdeaStatus.awaiting_decision(), decision_due_on__lt=today, escalated_at__isnull=True)
        .select_related("organisation")
        .order_by("decision_due_on", "pk")
    )
    if not overdue:
        return 0
    lines = [f"{i.reference}: {i.title} ({i.organisation}, due {i.decision_due_on:%-d %B %Y})" for i in overdue]
    _tell(
        admins(),
        subject=f"{len(overdue)} ideas are past their response date",
        body="These ideas have not had a decision by the date their authors were promised:\n\n" + "\n".join(lines),
        link="/ideas/review/",
    )
    Idea.objects.filter(pk__in=[i.pk for i in overdue]).update(escalated_at=timezone.now())
    return len(overdue)
