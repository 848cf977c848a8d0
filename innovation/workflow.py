"""The review workflow: every status change goes through ``transition``, guarded by ``TRANSITIONS``.

draft → submitted → under review → accepted / not taken forward / routed / merged; accepted → in progress →
implemented → benefits realised; routed → under review (in the receiving organisation). Each change is an
audit event (who, when, from, to, note) and a timeline entry the author sees; decisions notify the author,
status changes notify followers, and arrivals notify the reviewers, all through the outbox."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from innovation.dates import response_days, working_days_after
from innovation.models import (
    TEXT_MAX,
    TRANSITIONS,
    BenefitMeasure,
    Decision,
    Endorsement,
    Follow,
    Idea,
    IdeaEvent,
    IdeaStatus,
    ReferenceCounter,
)
from innovation.permissions import require_reviewer
from odp import audit
from odp.models import AuditEvent, Member, Organisation
from odp.outbox import enqueue

REQUIRED_TO_SUBMIT = {
    "title": "Enter a title for your idea",
    "problem": "Describe the problem and who it affects",
    "proposed_change": "Describe the change you propose",
    "service_area": "Select the service area",
}
# Moves that are not decisions and need nothing but a note. Submitting and deciding have their own services.
SIMPLE_MOVES = (IdeaStatus.UNDER_REVIEW, IdeaStatus.IN_PROGRESS, IdeaStatus.IMPLEMENTED, IdeaStatus.BENEFITS_REALISED)


def _label(status: str) -> str:
    return IdeaStatus(status).label.lower()


def transition(idea: Idea, to: str, *, by: Member, note: str = "", kind: str = IdeaEvent.Kind.STATUS) -> IdeaEvent:
    """Move the idea to ``to`` if the workflow allows it; record the audit event and the timeline entry.
    The caller saves the idea (with whatever else changed) in the same transaction."""
    allowed = TRANSITIONS[idea.status]
    if to not in allowed:
        onward = ", ".join(sorted(_label(s) for s in allowed)) or "nothing: its workflow has ended"
        raise ValidationError(
            f"An idea that is {_label(idea.status)} cannot be moved to {_label(to)}. It can next be: {onward}.",
            code="invalid_transition",
        )
    before = idea.status
    idea.status = to
    audit.record(
        action=AuditEvent.Action.TRANSITION, obj=idea, changes={"status": [before, to]}, note=note, actor=by.user
    )
    return IdeaEvent.objects.create(idea=idea, actor=by, kind=kind, from_status=before, to_status=to, note=note)


def _locked(idea: Idea) -> Idea:
    """The idea as it is now, locked until the transaction ends, so two reviewers cannot both decide it."""
    return Idea.objects.select_for_update().get(pk=idea.pk)


def _announce(event: IdeaEvent) -> None:
    enqueue("innovation.announce_event", event_id=event.pk)


def next_reference(year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"IDEA-{year}-{counter.last:06d}"


def _check_complete(idea: Idea) -> None:
    missing = {field: message for field, message in REQUIRED_TO_SUBMIT.items() if not str(getattr(idea, field)).strip()}
    if missing:
        raise ValidationError(missing)
    idea.full_clean(exclude=["reference", "organisation", "origin_organisation", "author", "merged_into"])


@transaction.atomic
def idea_submit(*, idea: Idea, by: Member) -> Idea:
    if idea.author_id != by.pk:
        raise PermissionDenied("Only the author can submit this idea.")
    idea = _locked(idea)
    _check_complete(idea)
    event = transition(idea, IdeaStatus.SUBMITTED, by=by)
    today = timezone.localdate()
    idea.reference = next_reference(today.year)
    idea.submitted_at = timezone.now()
    idea.decision_due_on = working_days_after(today, response_days())
    with audit.acting_as(by.user):
        idea.save(update_fields=["status", "reference", "submitted_at", "decision_due_on", "updated_at"])
    enqueue("innovation.notify_reviewers", idea_id=idea.pk)
    _announce(event)
    return idea


def _clean_note(note: str, *, required: str = "") -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationError({"feedback": required})
    if len(note) > TEXT_MAX:
        raise ValidationError({"feedback": f"Feedback must be {TEXT_MAX} characters or fewer"})
    return note


@transaction.atomic
def idea_move(*, idea: Idea, by: Member, to: str, note: str = "") -> Idea:
    """Start review, start work, mark implemented, or mark benefits realised."""
    require_reviewer(by, idea)
    if to not in SIMPLE_MOVES:
        raise ValidationError(f"Use the decision form to mark an idea {_label(to)}.", code="invalid_transition")
    idea = _locked(idea)
    note = _clean_note(note)
    if to == IdeaStatus.BENEFITS_REALISED and idea.status == IdeaStatus.IMPLEMENTED:
        measures = list(idea.benefit_measures.all())
        if not measures or any(m.realised_value is None for m in measures):
            raise ValidationError(
                "Record the realised value of every benefit measure first: benefits realised means measured.",
                code="benefits_not_measured",
            )
    event = transition(idea, to, by=by, note=note)
    with audit.acting_as(by.user):
        idea.save(update_fields=["status", "updated_at"])
    _announce(event)
    return idea


@transaction.atomic
def idea_decide(
    *,
    idea: Idea,
    by: Member,
    outcome: str,
    feedback: str,
    reason: str = "",
    route_to: Organisation | None = None,
    merge_into: Idea | None = None,
) -> Decision:
    """Decide an idea under review. Feedback is for the author; not taken forward needs a reason; routing
    needs the receiving organisation (the idea keeps its history and starts a new response clock there);
    merging needs the idea it duplicates (endorsers and followers carry over and are told)."""
    require_reviewer(by, idea)
    if outcome not in IdeaStatus.decisions():
        raise ValidationError({"outcome": "Select a decision"})
    idea = _locked(idea)
    feedback = _clean_note(feedback, required="Enter feedback for the author")
    reason = (reason or "").strip()
    decision = Decision(idea=idea, outcome=outcome, feedback=feedback, decided_by=by, organisation=idea.organisation)
    if outcome == IdeaStatus.NOT_TAKEN_FORWARD:
        if not reason:
            raise ValidationError({"reason": "Enter the reason this idea is not being taken forward"})
        decision.reason = reason[:500]
    if outcome == IdeaStatus.ROUTED:
        if route_to is None or route_to.pk == idea.organisation_id:
            raise ValidationError({"route_to": "Select another organisation to route this idea to"})
        decision.routed_to = route_to
    if outcome == IdeaStatus.MERGED:
        _check_merge_target(idea, merge_into, by)
        decision.merged_into = merge_into
    event = transition(idea, outcome, by=by, note=feedback)
    idea.decided_at = timezone.now()
    fields = ["status", "decided_at", "updated_at"]
    if outcome == IdeaStatus.ROUTED:
        assert route_to is not None
        event.note = f"Routed from {idea.organisation} to {route_to}. {feedback}"
        event.save(update_fields=["note"])
        idea.organisation = route_to
        idea.decision_due_on = working_days_after(timezone.localdate(), response_days())
        idea.escalated_at = None
        fields += ["organisation", "decision_due_on", "escalated_at"]
    if outcome == IdeaStatus.MERGED:
        assert merge_into is not None
        idea.merged_into = merge_into
        fields.append("merged_into")
    with audit.acting_as(by.user):
        idea.save(update_fields=fields)
        decision.save()
    if outcome == IdeaStatus.ROUTED:
        enqueue("innovation.notify_reviewers", idea_id=idea.pk)
    if outcome == IdeaStatus.MERGED:
        assert merge_into is not None
        _carry_over(idea, merge_into, by)
    _announce(event)
    return decision


def _check_merge_target(idea: Idea, target: Idea | None, by: Member) -> None:
    if target is None or target.pk == idea.pk:
        raise ValidationError({"merge_into": "Select the idea this one duplicates"})
    if not Idea.objects.visible_to(by).filter(pk=target.pk).exists() or target.status == IdeaStatus.DRAFT:
        raise ValidationError({"merge_into": "Select an idea you can see that has been submitted"})
    if target.status == IdeaStatus.MERGED:
        raise ValidationError({"merge_into": f"That idea was itself merged into {target.merged_into}: use that one"})


def _carry_over(duplicate: Idea, target: Idea, by: Member) -> None:
    """Endorsers and followers of a duplicate endorse and follow the idea it was merged into."""
    endorsers = set(duplicate.endorsements.values_list("member_id", flat=True))
    endorsers -= set(target.endorsements.values_list("member_id", flat=True)) | {target.author_id}
    Endorsement.objects.bulk_create(Endorsement(idea=target, member_id=m) for m in endorsers)
    followers = set(duplicate.follows.values_list("member_id", flat=True)) | {duplicate.author_id}
    followers -= set(target.follows.values_list("member_id", flat=True)) | {target.author_id}
    Follow.objects.bulk_create(Follow(idea=target, member_id=m) for m in followers)
    Idea.objects.filter(pk=target.pk).update(endorsement_count=F("endorsement_count") + len(endorsers))
    IdeaEvent.objects.create(
        idea=target,
        actor=by,
        kind=IdeaEvent.Kind.MERGED_IN,
        note=f"{duplicate.reference} was merged into this idea as a duplicate.",
    )


@transaction.atomic
def benefit_baseline_record(
    *, idea: Idea, by: Member, measure: str, baseline_value: Decimal, unit: str = ""
) -> BenefitMeasure:
    """On acceptance (or while in progress) the reviewer says what will be measured and its value now."""
    require_reviewer(by, idea)
    idea = _locked(idea)
    if idea.status not in (IdeaStatus.ACCEPTED, IdeaStatus.IN_PROGRESS):
        raise ValidationError("Baselines are recorded once an idea is accepted and before it is implemented.")
    benefit = BenefitMeasure(
        idea=idea, measure=(measure or "").strip(), unit=(unit or "").strip(), baseline_value=baseline_value
    )
    benefit.baseline_recorded_by = by
    benefit.full_clean()
    with audit.acting_as(by.user):
        benefit.save()
    IdeaEvent.objects.create(
        idea=idea, actor=by, kind=IdeaEvent.Kind.BENEFIT, note=f"Baseline for {benefit.measure}: {baseline_value}"
    )
    return benefit


@transaction.atomic
def benefit_realised_record(*, benefit: BenefitMeasure, by: Member, realised_value: Decimal) -> BenefitMeasure:
    """Once implemented, the reviewer records what was actually measured."""
    idea = _locked(benefit.idea)
    require_reviewer(by, idea)
    if idea.status != IdeaStatus.IMPLEMENTED:
        raise ValidationError("Realised values are recorded once an idea is implemented.")
    benefit.realised_value = realised_value
    benefit.realised_recorded_by = by
    benefit.realised_recorded_at = timezone.now()
    benefit.full_clean()
    with audit.acting_as(by.user):
        benefit.save()
    IdeaEvent.objects.create(
        idea=idea, actor=by, kind=IdeaEvent.Kind.BENEFIT, note=f"Realised {benefit.measure}: {realised_value}"
    )
    return benefit
