"""Daily digests: ideas notifications for members who chose one email a day instead of one for each update.

The fan-out (fanout.py) notifies everyone in the service at once and holds the email of digest members as a
``DigestEntry``. Each morning ``send_daily_digests`` sends each such member one email listing what is held.
A member gets at most one digest a day (``Digest`` is unique per member and day), so a re-run the same day,
or a second worker, sends nothing twice; anything arriving after the day's digest waits for the next one."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from innovation.models import Digest, DigestEntry, EmailFrequency, EmailPreference
from odp import audit, notifications
from odp.models import Member


def frequency_of(member: Member) -> str:
    preference = EmailPreference.objects.filter(member=member).first()
    return preference.frequency if preference else EmailFrequency.EACH


@transaction.atomic
def email_preference_set(*, member: Member, frequency: str) -> EmailPreference:
    """A member chooses how they hear about ideas by email. Held emails still go in the next digest."""
    if frequency not in EmailFrequency.values:
        raise ValueError(f"Unknown email frequency {frequency!r}")
    with audit.acting_as(member.user):
        preference, _ = EmailPreference.objects.update_or_create(member=member, defaults={"frequency": frequency})
    return preference


def _body(entries: list[DigestEntry]) -> str:
    site = settings.SITE_URL.rstrip("/")
    parts = []
    for entry in entries:
        note = entry.notification
        text = f"{note.subject}\n\n{note.body}"
        if note.link:
            text += f"\n\n{site}{note.link}"
        parts.append(text)
    footer = f"You get one email a day about ideas. To change this: {site}/ideas/email/"
    return "\n\n----------\n\n".join(parts) + f"\n\n----------\n\n{footer}"


@transaction.atomic
def send_digest(*, member_id: int, day: datetime.date) -> bool:
    """Send this member's digest for ``day`` if it has not been sent and something is held. True if sent."""
    try:
        with transaction.atomic():
            digest, _ = Digest.objects.get_or_create(member_id=member_id, day=day)
    except IntegrityError:  # another run created it at the same moment
        digest = Digest.objects.get(member_id=member_id, day=day)
    digest = Digest.objects.select_for_update().get(pk=digest.pk)
    if digest.sent_at is not None:
        return False
    entries = list(
        DigestEntry.objects.filter(member_id=member_id, digest__isnull=True)
        .select_related("notification")
        .order_by("created_at", "pk")
    )
    if not entries:
        return False
    member = Member.objects.select_related("user").get(pk=member_id)
    count = len(entries)
    if member.user.email:
        subject = f"Ideas: {count} update{'s' if count != 1 else ''} on {day:%-d %B %Y}"
        send_mail(subject, _body(entries), settings.DEFAULT_FROM_EMAIL, [member.user.email])
    DigestEntry.objects.filter(pk__in=[e.pk for e in entries]).update(digest=digest)
    notifications.mark_emailed([e.notification_id for e in entries])
    digest.sent_at = timezone.now()
    digest.entries_count = count
    digest.save(update_fields=["sent_at", "entries_count"])
    return True


def send_daily_digests(*, day: datetime.date | None = None) -> int:
    """Every member with held emails gets their digest for ``day`` (today by default). Returns how many were sent.
    Each member's digest commits on its own, so one failure does not hold back the others' or resend them."""
    day = day or timezone.localdate()
    waiting = DigestEntry.objects.filter(digest__isnull=True).order_by("member_id").values_list("member_id", flat=True)
    return sum(1 for member_id in sorted(set(waiting)) if send_digest(member_id=member_id, day=day))
