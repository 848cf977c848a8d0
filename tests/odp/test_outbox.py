"""Background jobs lose nothing: the outbox, inline runs, a broker outage, and a real worker through Redis."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from odp import notifications
from odp.celery import app
from odp.models import Notification, OutboxMessage, OutboxStatus
from odp.outbox import TASK_ID_PREFIX, enqueue, relay_pending
from tests.factories import MemberFactory
from tests.services import wait_for


@pytest.fixture
def recipient(db):
    return MemberFactory(user__email="asha.patel@example.gov.uk")


def test_enqueue_refuses_an_unknown_job(db):
    with pytest.raises(LookupError):
        enqueue("odp.no_such_job", thing_id=1)


def test_without_a_broker_the_job_runs_inline_after_commit(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notifications.notify(recipient=recipient, subject="Your idea was accepted", body="Well done.")

    message = OutboxMessage.objects.get()
    assert message.task_name == "odp.deliver_notification"
    assert message.status == OutboxStatus.DONE
    assert message.attempts == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert [m.to for m in mail.outbox] == [["asha.patel@example.gov.uk"]]


def test_a_rolled_back_transaction_leaves_no_job(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notifications.notify(recipient=recipient, subject="Never sent", body="-")
        raise RuntimeError("the caller's transaction fails")

    assert not OutboxMessage.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_failing_inline_job_is_kept_with_its_error(recipient, django_capture_on_commit_callbacks, monkeypatch):
    def broken_send_mail(*args, **kwargs):
        raise ConnectionRefusedError("mail relay down")

    monkeypatch.setattr(notifications, "send_mail", broken_send_mail)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(recipient=recipient, subject="Hello", body="-")

    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.FAILED
    assert "mail relay down" in message.last_error
    assert Notification.objects.get().emailed_at is None


@pytest.mark.services
def test_broker_outage_keeps_the_job_until_redis_returns_then_a_real_worker_runs_it_once(
    broker, worker, django_capture_on_commit_callbacks
):
    recipient = MemberFactory(user__email="sam.okafor@example.gov.uk")

    # Redis is down: the caller's work is saved and the call succeeds; the job waits in the outbox.
    with django_capture_on_commit_callbacks(execute=True):
        notification = notifications.notify(recipient=recipient, subject="Idea received", body="Thank you.")
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    assert message.last_error != ""
    assert Notification.objects.filter(pk=notification.pk).exists()
    assert relay_pending() == 0  # the sweep also finds no broker, and keeps the row

    # Redis is back: the sweep publishes the job and a real worker runs it.
    broker.start()
    worker.start()
    assert relay_pending() == 1
    message.refresh_from_db()
    assert message.status in {OutboxStatus.SENT, OutboxStatus.DONE}

    def done() -> bool:
        message.refresh_from_db()
        return message.status == OutboxStatus.DONE

    wait_for(done, timeout=60, what=f"the worker to run the job; worker log:\n{worker.output()}")
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(list(worker.mail_dir.iterdir())) == 1

    # The same message delivered again (a broker redelivery) has no second effect.
    app.send_task(
        message.task_name, kwargs=message.kwargs, queue=message.queue, task_id=f"{TASK_ID_PREFIX}{message.pk}"
    )
    wait_for(lambda: "already done" in worker.output(), timeout=60, what="the worker to see the repeat delivery")
    assert len(list(worker.mail_dir.iterdir())) == 1
    assert relay_pending() == 0


@pytest.mark.services
def test_with_the_broker_up_the_job_is_published_on_commit(broker, worker, django_capture_on_commit_callbacks):
    broker.start()
    worker.start()
    recipient = MemberFactory(user__email="li.wei@example.gov.uk")

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(recipient=recipient, subject="Surge request approved", body="See the request.")

    message = OutboxMessage.objects.get()
    assert message.status in {OutboxStatus.SENT, OutboxStatus.DONE}

    def done() -> bool:
        message.refresh_from_db()
        return message.status == OutboxStatus.DONE

    wait_for(done, timeout=60, what=f"the worker to run the job; worker log:\n{worker.output()}")
    assert len(list(worker.mail_dir.iterdir())) == 1


def test_relay_command_retries_failed_jobs(recipient, django_capture_on_commit_callbacks, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    def broken_send_mail(*args, **kwargs):
        raise ConnectionRefusedError("mail relay down")

    with monkeypatch.context() as patched:
        patched.setattr(notifications, "send_mail", broken_send_mail)
        with django_capture_on_commit_callbacks(execute=True):
            notifications.notify(recipient=recipient, subject="Hello", body="-")
    assert OutboxMessage.objects.get().status == OutboxStatus.FAILED

    out = StringIO()
    call_command("relay_outbox", "--retry-failed", stdout=out)
    assert "Requeued 1 failed job(s)." in out.getvalue()
    assert "Relayed 1 job(s); 0 still pending." in out.getvalue()
    assert OutboxMessage.objects.get().status == OutboxStatus.DONE
    assert len(mail.outbox) == 1
