"""Background jobs that lose nothing: the transactional outbox.

``enqueue`` writes an ``OutboxMessage`` in the caller's transaction. After commit the relay tries to publish
it to Celery at once; a periodic sweep (celery beat, or ``manage.py relay_outbox``) publishes whatever is
still pending, so a broker outage delays jobs but never loses them and never fails the user's request.
With no broker configured (the embedded default) the relay runs the job inline instead.

Jobs are declared with ``@job``: each delivery is idempotent, because the job and the outbox row's
``done`` mark commit together under a row lock, so a second delivery of the same message does nothing."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from celery import Task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from odp.celery import app
from odp.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

TASK_ID_PREFIX = "outbox-"
QUEUES = ("interactive", "batch")
# Each job's queue, declared with @job; enqueue() publishes to it unless told otherwise.
JOB_QUEUES: dict[str, str] = {}


def broker_configured() -> bool:
    return bool(settings.REDIS_URL)


def enqueue(task_name: str, *, queue: str | None = None, **kwargs: Any) -> OutboxMessage:
    """Record a job to run once the caller's transaction commits. kwargs must be JSON-serialisable ids
    and values, never model instances."""
    if task_name not in app.tasks:
        raise LookupError(f"No job is registered as {task_name!r}.")
    queue = queue or JOB_QUEUES.get(task_name, "interactive")
    if queue not in QUEUES:
        raise ValueError(f"Unknown queue {queue!r}.")
    message = OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs, queue=queue)
    transaction.on_commit(functools.partial(relay_messages, [message.pk], after_commit=True))
    return message


# When each broker last made the relay wait before failing (monotonic seconds), so the on-commit attempts that
# follow within BROKER_BACKOFF_SECONDS leave their jobs to the sweep at once rather than each waiting out a socket
# timeout on a hung broker (a surge request notifies every coordinator: four jobs were four 5-second waits). A broker
# that refuses at once costs nothing to retry, so it is not skipped.
BROKER_BACKOFF_SECONDS = 10.0
SLOW_FAILURE_SECONDS = 1.0
_broker_failed_at: dict[str, float] = {}


def relay_pending(limit: int | None = None) -> int:
    """Publish every pending message, oldest first. Returns how many were published or run."""
    batch = limit or settings.OUTBOX_BATCH_SIZE
    total = 0
    while True:
        ids = list(
            OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return total
        relayed = relay_messages(ids)
        total += relayed
        if relayed < len(ids):  # the broker is down: try again on the next sweep
            return total


def relay_messages(ids: list[int], *, after_commit: bool = False) -> int:
    """Publish (or, with no broker, run) these messages if still pending. Never raises: a failure leaves
    the message pending with the error noted, for the next sweep. ``after_commit`` attempts (made while a user
    waits) skip a broker that hung moments ago; the sweep always tries."""
    if not broker_configured():
        return sum(1 for pk in ids if _run_inline(pk))
    url = settings.CELERY_BROKER_URL
    failed_at = _broker_failed_at.get(url)
    if after_commit and failed_at is not None and time.monotonic() - failed_at < BROKER_BACKOFF_SECONDS:
        OutboxMessage.objects.filter(pk__in=ids, status=OutboxStatus.PENDING).update(
            last_error="The broker did not answer moments ago; left for the sweep."
        )
        return 0
    started = time.monotonic()
    try:
        with app.connection_for_write(url) as connection:
            connection.ensure_connection(max_retries=0)
            relayed = sum(1 for pk in ids if _publish(pk, connection))
    except Exception as exc:  # broker unreachable: keep everything pending
        if time.monotonic() - started > SLOW_FAILURE_SECONDS:
            _broker_failed_at[url] = time.monotonic()
        logger.warning("Outbox relay could not reach the broker: %s", exc)
        OutboxMessage.objects.filter(pk__in=ids, status=OutboxStatus.PENDING).update(last_error=str(exc)[:1000])
        return 0
    _broker_failed_at.pop(url, None)
    return relayed


def _publish(pk: int, connection: Any) -> bool:
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=pk, status=OutboxStatus.PENDING).first()
        )
        if message is None:
            return False  # already sent, or another relay holds it
        message.attempts += 1
        try:
            app.send_task(
                message.task_name,
                kwargs=message.kwargs,
                queue=message.queue,
                task_id=f"{TASK_ID_PREFIX}{message.pk}",
                connection=connection,
                retry=False,
            )
        except Exception as exc:
            message.last_error = str(exc)[:1000]
            message.save(update_fields=["attempts", "last_error"])
            raise
        message.status = OutboxStatus.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def _run_inline(pk: int) -> bool:
    message = OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.PENDING).first()
    if message is None:
        return False
    OutboxMessage.objects.filter(pk=pk).update(attempts=message.attempts + 1, sent_at=timezone.now())
    try:
        app.tasks[message.task_name].apply(kwargs=message.kwargs, task_id=f"{TASK_ID_PREFIX}{pk}", throw=True)
    except Exception as exc:
        logger.exception("Inline job %s failed", message.task_name)
        OutboxMessage.objects.filter(pk=pk).update(status=OutboxStatus.FAILED, last_error=str(exc)[:1000])
        return False
    return True


def _outbox_id(task: Task) -> int | None:
    task_id = task.request.id or ""
    return int(task_id.removeprefix(TASK_ID_PREFIX)) if task_id.startswith(TASK_ID_PREFIX) else None


def _mark_done(message: OutboxMessage) -> None:
    message.status = OutboxStatus.DONE
    message.completed_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "completed_at", "last_error"])


def job(
    name: str, *, queue: str = "interactive", max_retries: int = 5, atomic: bool = True, **options: Any
) -> Callable[[Callable[P, R]], Task]:
    """Declare a background job. The body should take ids, call one service and be safe to run again.

    ``atomic=True`` (the default) runs the body and the outbox row's ``done`` mark in one transaction under
    a row lock, so a repeat delivery has no effect. Long batch jobs that commit progress as they go pass
    ``atomic=False`` and must be idempotent themselves (a run record, staging rows swapped in at the end)."""

    if queue not in QUEUES:
        raise ValueError(f"Unknown queue {queue!r}.")

    def decorate(fn: Callable[P, R]) -> Task:
        JOB_QUEUES[name] = queue

        @app.task(
            name=name,
            bind=True,
            acks_late=True,
            reject_on_worker_lost=True,
            autoretry_for=(Exception,),
            retry_backoff=True,
            retry_backoff_max=600,
            max_retries=max_retries,
            **options,
        )
        @functools.wraps(fn)
        def run(self: Task, **kwargs: Any) -> Any:
            outbox_id = _outbox_id(self)
            if outbox_id is None:
                return fn(**kwargs)
            if not atomic:
                if OutboxMessage.objects.filter(pk=outbox_id, status=OutboxStatus.DONE).exists():
                    logger.info("Job %s #%s already done; ignoring the repeat delivery", name, outbox_id)
                    return None
                result = fn(**kwargs)
                message = OutboxMessage.objects.filter(pk=outbox_id).first()
                if message is not None:
                    _mark_done(message)
                return result
            with transaction.atomic():
                message = OutboxMessage.objects.select_for_update().filter(pk=outbox_id).first()
                if message is not None and message.status == OutboxStatus.DONE:
                    logger.info("Job %s #%s already done; ignoring the repeat delivery", name, outbox_id)
                    return None
                result = fn(**kwargs)
                if message is not None:
                    _mark_done(message)
                return result

        return run

    return decorate
