"""Notifications: shown in the service, emailed once by a background job."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from odp import notifications
from odp.models import Notification

pytestmark = pytest.mark.django_db


def test_a_notification_is_emailed_once(staff_member):
    notification = Notification.objects.create(recipient=staff_member, subject="Hello", body="Body", link="/ideas/")
    assert notifications.deliver(notification_id=notification.pk) is True
    assert notifications.deliver(notification_id=notification.pk) is False
    assert [m.to for m in mail.outbox] == [[staff_member.user.email]]
    assert mail.outbox[0].body.endswith("/ideas/")
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_delivery_locks_the_notification_and_not_its_recipient(staff_member):
    notification = Notification.objects.create(recipient=staff_member, subject="Hello", body="Body")
    with CaptureQueriesContext(connection) as queries:
        notifications.deliver(notification_id=notification.pk)
    read = next(q["sql"] for q in queries if q["sql"].lstrip().startswith("SELECT"))
    assert "odp_member" in read and "odp_user" in read  # the recipient comes in the same read
    if connection.vendor == "postgresql":
        assert read.rstrip().endswith('FOR UPDATE OF "odp_notification"')
