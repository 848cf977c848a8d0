"""Every write for career opportunities: offering, closing, saving, and the weekly email of new ones.
Keyword-only, typed, atomic, audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from odp import access, audit
from odp.models import AuditEvent, JobFamily, Member, Organisation
from skills.models import (
    FrameworkVersion,
    Opportunity,
    OpportunityAlert,
    OpportunityAudience,
    OpportunityDigest,
    OpportunityKind,
    OpportunityStatus,
    RoleProfile,
    SavedOpportunity,
    VersionStatus,
)

NOT_YOUR_ORGANISATION = (
    "You can only offer opportunities for an organisation you lead as head of profession (or, as an ODP admin, "
    "your own organisation)"
)


@transaction.atomic
def opportunity_create(
    *,
    by: Member,
    organisation: Organisation,
    title: str,
    kind: str,
    grade: str,
    closing_on: datetime.date,
    role_profile: RoleProfile,
    audience: str,
    summary: str = "",
    location: str = "",
    is_remote: bool = False,
    apply_url: str = "",
    apply_contact: str = "",
) -> Opportunity:
    """Offer a role, secondment, apprenticeship or learning event. Every problem is reported at once, by
    field, and nothing is saved."""
    if not access.can(by, "careers.offer"):
        raise PermissionDenied("Only heads of profession and ODP admins can offer opportunities.")
    errors: dict[str, str] = {}
    if organisation.pk not in access.offering_organisation_ids(by):
        errors["organisation"] = NOT_YOUR_ORGANISATION
    if not title.strip():
        errors["title"] = "Enter a title"
    if kind not in OpportunityKind.values:
        errors["kind"] = "Select the kind of opportunity"
    if audience not in OpportunityAudience.values:
        errors["audience"] = "Select who can see the opportunity"
    if not grade.strip():
        errors["grade"] = "Enter the grade or band"
    if closing_on < timezone.localdate():
        errors["closing_on"] = "Closing date must be today or in the future"
    # Read the version afresh: a cached profile may predate its version's retirement.
    status = FrameworkVersion.objects.filter(pk=role_profile.version_id).values_list("status", flat=True).first()
    if status != VersionStatus.PUBLISHED:
        errors["role_profile"] = (
            "Choose a role profile from the current version of the skills framework; this one is from a "
            f"{'retired' if status == VersionStatus.RETIRED else 'draft'} version"
        )
    if not location.strip() and not is_remote:
        errors["location"] = "Enter a location, or say the opportunity can be done remotely"
    if not apply_url.strip() and not apply_contact.strip():
        errors["apply_url"] = "Enter a link to apply or a contact to apply through"
    if errors:
        raise ValidationError(errors)
    opportunity = Opportunity.objects.create(
        title=title.strip(),
        organisation=organisation,
        kind=kind,
        summary=summary.strip(),
        location=location.strip(),
        is_remote=is_remote,
        grade=grade.strip(),
        closing_on=closing_on,
        role_profile=role_profile,
        apply_url=apply_url.strip(),
        apply_contact=apply_contact.strip(),
        audience=audience,
        created_by=by,
    )
    audit.record(action=AuditEvent.Action.CREATE, obj=opportunity, actor=by.user, note=f"Offered by {organisation}")
    return opportunity


def _close(opportunity: Opportunity, *, by: Member | None, note: str) -> None:
    opportunity.status = OpportunityStatus.CLOSED
    opportunity.closed_at = timezone.now()
    opportunity.save(update_fields=["status", "closed_at"])
    audit.record(
        action=AuditEvent.Action.TRANSITION,
        obj=opportunity,
        changes={"status": [OpportunityStatus.OPEN, OpportunityStatus.CLOSED]},
        note=note,
        actor=by.user if by else None,
    )


@transaction.atomic
def opportunity_close(*, opportunity: Opportunity, by: Member) -> Opportunity:
    """Close an opportunity early (filled or withdrawn)."""
    if opportunity.organisation_id not in access.offering_organisation_ids(by):
        raise PermissionDenied(NOT_YOUR_ORGANISATION + ".")
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status == OpportunityStatus.CLOSED:
        raise ValidationError("This opportunity is already closed.")
    _close(opportunity, by=by, note="Closed early by the offering organisation")
    return opportunity


@transaction.atomic
def close_expired(*, today: datetime.date | None = None) -> int:
    """Close every open opportunity whose closing date has passed. Safe to run again: closed ones are skipped."""
    today = today or timezone.localdate()
    expired = list(
        Opportunity.objects.select_for_update(skip_locked=True)
        .filter(status=OpportunityStatus.OPEN, closing_on__lt=today)
        .order_by("pk")
    )
    for opportunity in expired:
        _close(opportunity, by=None, note=f"Closing date {opportunity.closing_on:%-d %B %Y} passed")
    return len(expired)


def _require_visible(opportunity: Opportunity, member: Member) -> None:
    if not Opportunity.objects.visible_to(member).filter(pk=opportunity.pk).exists():
        raise PermissionDenied("You cannot see this opportunity.")


@transaction.atomic
def opportunity_save(*, opportunity: Opportunity, by: Member) -> SavedOpportunity:
    """Save an opportunity to come back to. Saving one already saved changes nothing."""
    _require_visible(opportunity, by)
    existing = SavedOpportunity.objects.filter(member=by, opportunity=opportunity).first()
    if existing is not None:
        return existing
    if not Opportunity.objects.filter(pk=opportunity.pk).open().exists():
        raise ValidationError("This opportunity has closed, so it cannot be saved.")
    try:
        with transaction.atomic():
            return SavedOpportunity.objects.create(member=by, opportunity=opportunity)
    except IntegrityError:  # saved at the same moment in another request
        return SavedOpportunity.objects.get(member=by, opportunity=opportunity)


@transaction.atomic
def opportunity_unsave(*, opportunity: Opportunity, by: Member) -> bool:
    deleted, _ = SavedOpportunity.objects.filter(member=by, opportunity=opportunity).delete()
    return bool(deleted)


@transaction.atomic
def alert_set(*, member: Member, active: bool, job_families: list[str] | None = None) -> OpportunityAlert:
    """Turn the weekly email of new opportunities on or off, for the chosen job families (own when none)."""
    families = sorted(set(job_families or []))
    unknown = [f for f in families if f not in JobFamily.values]
    if unknown:
        raise ValidationError({"job_families": f"Unknown job families: {', '.join(unknown)}"})
    alert, created = OpportunityAlert.objects.select_for_update().get_or_create(
        member=member, defaults={"job_families": families, "is_active": active, "since": timezone.now()}
    )
    if not created:
        if active and not alert.is_active:
            alert.since = timezone.now()  # turning it back on does not send what was missed meanwhile
        alert.is_active = active
        alert.job_families = families
        alert.save(update_fields=["is_active", "job_families", "since"])
    return alert


def week_starting(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def new_matching(alert: OpportunityAlert) -> list[Opportunity]:
    return list(
        Opportunity.objects.visible_to(alert.member)
        .open()
        .filter(created_at__gt=alert.since, role_profile__job_family__in=alert.families)
        .select_related("organisation")
        .order_by("closing_on", "pk")
    )


def _digest_line(o: Opportunity) -> str:
    what = f"{o.get_kind_display().lower()}, {o.grade}"
    return f"- {o.title}, {o.organisation} ({what}); closes {o.closing_on:%-d %B %Y}"


@transaction.atomic
def _send_digest(alert_id: int, week: datetime.date) -> bool:
    from odp.notifications import notify

    alert = OpportunityAlert.objects.select_for_update(of=("self",)).select_related("member__user").get(pk=alert_id)
    if OpportunityDigest.objects.filter(member_id=alert.member_id, week_starting=week).exists():
        return False
    found = new_matching(alert)
    if not found:
        return False
    OpportunityDigest.objects.create(member_id=alert.member_id, week_starting=week, opportunity_count=len(found))
    notify(
        recipient=alert.member,
        subject=f"{len(found)} new opportunit{'y' if len(found) == 1 else 'ies'} for you",
        body="New opportunities matching your interests this week:\n\n" + "\n".join(map(_digest_line, found)),
        link="/careers/opportunities/",
    )
    alert.since = max(o.created_at for o in found)
    alert.save(update_fields=["since"])
    return True


def send_weekly_digests(*, today: datetime.date | None = None) -> int:
    """Email each member with an active alert the new opportunities that match it, at most once a week.
    Idempotent: the digest row for the week is unique, so a re-run sends nothing twice. Returns emails sent."""
    week = week_starting(today or timezone.localdate())
    alerts = OpportunityAlert.objects.filter(is_active=True, member__is_active=True).order_by("pk")
    return sum(1 for alert_id in alerts.values_list("pk", flat=True) if _send_digest(alert_id, week))
