"""The same job delivered twice: one effect. tests/odp/test_outbox.py covers a repeat delivery after the first
finished; here the two copies reach two real worker processes at the same moment (as a broker redelivery racing
the original does), and a repeat that read its run before the first finished it."""

from __future__ import annotations

import pytest
from django.db import connection

from innovation.models import IdeaStatus, ServiceArea
from odp.celery import app
from odp.models import Notification, OutboxMessage, OutboxStatus
from odp.outbox import TASK_ID_PREFIX
from skills import metrics
from skills.models import CapabilityMetric, MetricsRun, PublishedSnapshot, RunStatus
from tests.hardening.faults import Worker
from tests.hardening.test_faults_jobs import figures, rate_everyone, skills_world  # noqa: F401
from tests.innovation.factories import IdeaFactory
from tests.services import wait_for


@pytest.fixture
def two_workers(transactional_db, tmp_path, redis_server):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(mail_dir)}
    workers = [Worker(redis_server.url, tmp_path / f"worker-{n}.log", extra_env=env) for n in (1, 2)]
    for worker in workers:
        worker.mail_dir = mail_dir
    yield workers
    for worker in workers:
        worker.stop()


def deliver(message: OutboxMessage, broker_url: str, copies: int = 2) -> None:
    """Publish one outbox message's job (twice by default) under its one task id, as a redelivery would."""
    with app.connection_for_write(broker_url) as connection_:
        for _ in range(copies):
            app.send_task(
                message.task_name,
                kwargs=message.kwargs,
                queue=message.queue,
                task_id=f"{TASK_ID_PREFIX}{message.pk}",
                connection=connection_,
            )


def finished(message: OutboxMessage, workers: list[Worker], copies: int = 2) -> bool:
    # Every copy finished: one did the work, the others found it done.
    log = "".join(w.output() for w in workers)
    return log.count(f"[{TASK_ID_PREFIX}{message.pk}] succeeded") == copies


def outbox_message(task_name: str, **kwargs) -> OutboxMessage:
    """A job as the relay leaves it once published (written directly, so nothing publishes it but the test)."""
    return OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs, queue="batch", status=OutboxStatus.SENT)


@pytest.mark.services
def test_a_job_delivered_to_two_workers_at_once_has_one_effect(broker, two_workers, staff_member, head_of_profession):
    broker.start()
    for worker in two_workers:
        worker.start()
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.SUBMITTED, service_area=ServiceArea.PASSPORTS)
    message = outbox_message("innovation.notify_reviewers", idea_id=idea.pk)

    deliver(message, broker.url)
    wait_for(lambda: finished(message, two_workers), timeout=90, what="both deliveries to finish")
    wait_for(
        lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.DONE).exists(),
        timeout=60,
        what="the email job the first delivery queued",
    )
    # One notification for the one reviewer, one email job for it, one email.
    assert list(Notification.objects.values_list("recipient", flat=True)) == [head_of_profession.pk]
    assert OutboxMessage.objects.filter(task_name="odp.deliver_notification").count() == 1
    assert len(list(two_workers[0].mail_dir.iterdir())) == 1


@pytest.mark.services
def test_the_metrics_job_delivered_to_two_workers_at_once_computes_once(broker, two_workers, skills_world):  # noqa: F811
    rate_everyone(skills_world, offset=1)
    broker.start()
    for worker in two_workers:
        worker.start()
    run = metrics.request_run(by=None)
    message = outbox_message("skills.compute_capability_metrics", run_id=run.pk)
    if connection.vendor == "postgresql":
        deliver(message, broker.url)  # both at once: the advisory lock sends one to retry, and it finds the run done
    else:
        # SQLite is the embedded profile, where jobs run inline in the one process: a repeat comes after the first.
        deliver(message, broker.url, copies=1)
        wait_for(lambda: finished(message, two_workers, copies=1), timeout=120, what="the first delivery")
        deliver(message, broker.url, copies=1)
    wait_for(lambda: finished(message, two_workers), timeout=120, what="both deliveries to finish")

    run.refresh_from_db()
    assert (run.status, run.attempts) == (RunStatus.SUCCEEDED, 1)
    assert PublishedSnapshot.objects.get().run == run
    assert MetricsRun.objects.count() == 1


def test_a_repeat_that_read_the_run_before_it_finished_does_not_redo_it(skills_world):  # noqa: F811
    """The window between a repeat delivery loading its run and taking the lock: the first delivery finishes it in
    between. Redoing it would clear the published snapshot's rows while they were recomputed."""
    rate_everyone(skills_world, offset=1)
    run = metrics.request_run(by=None)
    stale = MetricsRun.objects.get(pk=run.pk)  # the repeat has read it, still queued
    metrics.compute(run)  # the first delivery finishes it
    published = figures(CapabilityMetric.objects.published())

    again = metrics.compute(stale)

    assert (again.status, again.attempts) == (RunStatus.SUCCEEDED, 1)
    assert figures(CapabilityMetric.objects.published()) == published
    assert PublishedSnapshot.objects.get().run == run
