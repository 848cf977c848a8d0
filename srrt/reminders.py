"""Ending-soon reminders: each morning, responders and coordinators hear of assignments on live deployments
that end within ``SRRT_ENDING_SOON_DAYS``. A reminder row per assignment per day (unique) keeps a re-run of
the job, or a second worker, from sending the same reminder twice."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from odp.notifications import notify
from srrt.models import Assignment, EndingSoonReminder, SurgeStatus
from srrt.workflow import coordinators


def due(on: datetime.date) -> list[Assignment]:
    horizon = on + datetime.timedelta(days=settings.SRRT_ENDING_SOON_DAYS)
    return list(
        Assignment.objects.filter(
            request__status__in=[SurgeStatus.DEPLOYING, SurgeStatus.ACTIVE],
            end_date__gte=on,
            end_date__lte=horizon,
        )
        .exclude(reminders__sent_on=on)
        .select_related("request__organisation", "responder__member__user")
        .order_by("end_date", "pk")
    )


def remind_ending_soon(*, on: datetime.date | None = None) -> int:
    """Send today's reminders; returns how many assignments were reminded (0 on a re-run)."""
    on = on or timezone.localdate()
    team = list(coordinators().select_related("user"))
    sent = 0
    for assignment in due(on):
        # One transaction per assignment: the unique reminder row and its notifications stand or fall together.
        try:
            with transaction.atomic():
                EndingSoonReminder.objects.create(assignment=assignment, sent_on=on, recipients=1 + len(team))
                request = assignment.request
                left = (assignment.end_date - on).days
                when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
                body = (
                    f"{assignment.responder}'s assignment as {assignment.role} on {request.reference} "
                    f"({request.organisation}: {request.title}) ends {when}, on {assignment.end_date:%-d %B %Y}."
                )
                link = f"/srrt/requests/{request.pk}/"
                notify(
                    recipient=assignment.responder.member,
                    subject=f"Your SRRT assignment ends {when}",
                    body=body,
                    link=link,
                )
                for coordinator in team:
                    notify(
                        recipient=coordinator,
                        subject=f"SRRT assignment on {request.reference} ends {when}",
                        body=body + " Extend the deployment or plan the hand-back.",
                        link=link,
                    )
        except IntegrityError:
            continue  # another run reminded this assignment today
        sent += 1
    return sent
