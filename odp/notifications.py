"""Telling people things: an in-service notification, and an email sent by a background job."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from odp.models import Member, Notification


@transaction.atomic
def notify(*, recipient: Member, subject: str, body: str, link: str = "", email: bool = True) -> Notification:
    """``email=False`` shows it in the service only: for an app that emails it another way (a daily digest),
    which then calls ``mark_emailed``."""
    from odp.outbox import enqueue

    notification = Notification.objects.create(recipient=recipient, subject=subject, body=body, link=link)
    if email:
        enqueue("odp.deliver_notification", notification_id=notification.pk)
    return notification


def mark_emailed(notification_ids: list[int]) -> int:
    """Record that these notifications went out by email in a digest."""
    return Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )


@transaction.atomic
def deliver(*, notification_id: int) -> bool:
    """Email the notification once. Returns False if it was already emailed or has nowhere to go."""
    # Only the notification's row: the joined member and user stay unlocked while the email is sent, so a rating or
    # sign-in by the recipient meanwhile does not wait for the mail server.
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("recipient__user")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    email = notification.recipient.user.email
    if email:
        body = notification.body
        if notification.link:
            body += f"\n\n{settings.SITE_URL.rstrip('/')}{notification.link}"
        send_mail(notification.subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return bool(email)
