"""Fault injection on the broker: a real Redis stopped (and hung) while ideas and surge requests are submitted
through the API. Every submission is saved and acknowledged; once Redis is back every job is delivered, each
exactly once, by a real Celery worker that lived through the outage."""

from __future__ import annotations

import signal
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from innovation.models import Idea, IdeaStatus, ServiceArea
from odp.models import Notification, OutboxMessage, OutboxStatus, Role
from odp.outbox import relay_pending
from srrt.models import SurgeRequest, SurgeStatus
from tests.factories import MemberFactory, grant
from tests.hardening.faults import Worker
from tests.services import wait_for
from tests.srrt.factories import all_last_resort, complete_answers

pytestmark = pytest.mark.services


def api(member) -> APIClient:
    client = APIClient()
    client.force_authenticate(member.user)
    return client


def submit_idea(client: APIClient, title: str) -> dict:
    created = client.post(
        "/api/v1/ideas/",
        {
            "title": title,
            "problem": "Customers ring three times to find out where their application is.",
            "proposed_change": "Send a text message at each stage of the application.",
            "service_area": ServiceArea.PASSPORTS,
        },
        "json",
    )
    assert created.status_code == 201, created.content
    submitted = client.post(f"/api/v1/ideas/{created.json()['id']}/submit/")
    assert submitted.status_code == 200, submitted.content
    return submitted.json()


def submit_surge_request(client: APIClient, organisation_id: int, title: str) -> dict:
    answers = complete_answers(title=title)
    answers["start_date"] = answers["start_date"].isoformat()
    created = client.post(
        "/api/v1/srrt/requests/",
        {"organisation": organisation_id, **answers, "last_resort": all_last_resort()},
        format="json",
    )
    assert created.status_code == 201, created.content
    submitted = client.post(f"/api/v1/srrt/requests/{created.json()['id']}/submit/")
    assert submitted.status_code == 200, submitted.content
    return submitted.json()


def sent_emails(mail_dir: Path) -> list[tuple[str, str]]:
    """(recipient, subject) of every email the worker wrote, one file per message."""
    emails = []
    for path in sorted(mail_dir.iterdir()):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                message = message_from_bytes(raw.strip())
                emails.append((message["To"], message["Subject"]))
    return emails


@pytest.fixture
def worker(transactional_db, tmp_path, redis_server):
    """A real worker (one process) on the test's Redis, emailing to files."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(mail_dir)}
    celery_worker = Worker(redis_server.url, tmp_path / "worker.log", pool="solo", extra_env=env)
    celery_worker.mail_dir = mail_dir
    yield celery_worker
    celery_worker.stop()


@pytest.fixture
def people(home_office, head_of_profession, staff_member, dwp):
    requester = MemberFactory(organisation=home_office, user__username="requester", user__email="req@example.gov.uk")
    grant(requester, Role.DEPARTMENT_REQUESTER, home_office)
    coordinators = []
    for name in ("coordinator-a", "coordinator-b", "coordinator-c", "coordinator-d"):
        coordinator = MemberFactory(organisation=dwp, user__username=name, user__email=f"{name}@example.gov.uk")
        grant(coordinator, Role.SRRT_COORDINATOR)
        coordinators.append(coordinator)
    return {"hop": head_of_profession, "staff": staff_member, "requester": requester, "coordinators": coordinators}


def expected_emails(people, ideas: list[dict], requests: list[dict]) -> list[tuple[str, str]]:
    expected = [(people["hop"].user.email, f"New idea to review: {i['reference']}") for i in ideas]
    expected += [
        (c.user.email, f"Surge request {r['reference']} submitted") for r in requests for c in people["coordinators"]
    ]
    return sorted(expected)


def test_redis_stopped_while_ideas_and_surge_requests_are_submitted(broker, worker, people, home_office):
    broker.start()
    worker.start()
    staff, requester = api(people["staff"]), api(people["requester"])

    # Before the outage a submission's jobs go straight through the broker to the worker.
    before = submit_idea(staff, "Text updates before the outage")
    wait_for(
        lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.DONE).exists(),
        timeout=60,
        what=f"the first idea's jobs; worker log:\n{worker.output()}",
    )

    broker.stop()
    started = time.monotonic()
    ideas = [submit_idea(staff, f"Idea during the outage {n}") for n in range(3)]
    requests = [submit_surge_request(requester, home_office.pk, f"Surge during the outage {n}") for n in range(2)]
    took = time.monotonic() - started

    # Every submission is saved and acknowledged with its reference and promise date...
    assert all(i["reference"].startswith("IDEA-") and i["decision_due_on"] for i in ideas)
    assert all(r["reference"].startswith("SRRT-") and r["foreseeability"] for r in requests)
    assert Idea.objects.filter(status=IdeaStatus.SUBMITTED, pk__in=[i["id"] for i in ideas]).count() == 3
    assert SurgeRequest.objects.filter(status=SurgeStatus.SUBMITTED, pk__in=[r["id"] for r in requests]).count() == 2
    # ...without waiting on the dead broker (a refused connection fails fast)...
    assert took < 10, f"five submissions took {took:.1f}s with Redis down"
    # ...and every job they queued waits in the outbox with the broker's error noted.
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    assert pending.count() == 3 * 2 + 2 * 4  # per idea: notify reviewers, announce; per request: four coordinators
    assert all(m.last_error for m in pending)
    assert relay_pending() == 0  # the beat sweep finds no broker either, and keeps them

    # Redis returns on the same port; the worker that lived through the outage reconnects.
    broker.start()
    wait_for(lambda: relay_pending() == 0 and not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists())
    wait_for(
        lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.DONE).exists(),
        timeout=90,
        what=f"every job delivered after the outage; worker log:\n{worker.output()}",
    )
    wait_for(lambda: len(sent_emails(worker.mail_dir)) >= 1 + 3 + 2 * 4, timeout=30, what="the notification emails")
    emails = sent_emails(worker.mail_dir)
    assert sorted(emails) == sorted(expected_emails(people, [before, *ideas], requests)), worker.output()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert OutboxMessage.objects.filter(status=OutboxStatus.DONE).count() == OutboxMessage.objects.count()


def test_a_hung_redis_delays_a_submission_by_one_timeout_at_most(broker, worker, people, home_office):
    """A broker that accepts connections but never answers (stopped with SIGSTOP, as a stuck VM or a full disk
    looks): each submission is still saved and acknowledged, and waits for the broker once, not once per job."""
    broker.start()
    worker.start()
    requester = api(people["requester"])
    answers = complete_answers(title="Surge while Redis hangs")
    answers["start_date"] = answers["start_date"].isoformat()
    draft = requester.post(
        "/api/v1/srrt/requests/",
        {"organisation": home_office.pk, **answers, "last_resort": all_last_resort()},
        format="json",
    )
    assert draft.status_code == 201, draft.content
    broker.process.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = requester.post(f"/api/v1/srrt/requests/{draft.json()['id']}/submit/")
        took = time.monotonic() - started
    finally:
        broker.process.send_signal(signal.SIGCONT)

    assert response.status_code == 200, response.content
    submitted = response.json()
    assert submitted["reference"].startswith("SRRT-")
    assert SurgeRequest.objects.get(pk=submitted["id"]).status == SurgeStatus.SUBMITTED
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 4  # one email per coordinator
    # One wait for the broker per submission, not one per coordinator (which was 4 x 5 s): after the first job's
    # attempt fails, the others are left for the sweep at once.
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"]
    assert took < 1.8 * timeout, f"the submission waited {took:.1f}s on a hung broker"

    relay_pending()  # the beat sweep, once the broker answers again
    wait_for(lambda: relay_pending() == 0 and not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists())
    wait_for(
        lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.DONE).exists(),
        timeout=60,
        what=f"the jobs after the broker woke; worker log:\n{worker.output()}",
    )
    assert sorted(sent_emails(worker.mail_dir)) == expected_emails(people, [], [submitted]), worker.output()


@pytest.mark.django_db(transaction=True)
def test_jobs_enqueued_around_a_rolled_back_savepoint_are_each_relayed_once(staff_member):
    """Jobs from before and after a savepoint that rolled back all run once after commit (inline here, with no
    broker), and the rolled-back one never does."""
    from django.db import transaction

    from odp import notifications

    with transaction.atomic():
        notifications.notify(recipient=staff_member, subject="Before", body="-")
        with pytest.raises(RuntimeError), transaction.atomic():
            notifications.notify(recipient=staff_member, subject="Rolled back", body="-")
            raise RuntimeError("the inner step fails")
        notifications.notify(recipient=staff_member, subject="After", body="-")
        assert not Notification.objects.filter(emailed_at__isnull=False).exists()  # nothing runs before commit

    emailed = Notification.objects.filter(emailed_at__isnull=False)
    assert sorted(emailed.values_list("subject", flat=True)) == ["After", "Before"]
    assert Notification.objects.count() == 2
    assert list(OutboxMessage.objects.values_list("status", "attempts")) == [(OutboxStatus.DONE, 1)] * 2
