"""Fault injection on long jobs, with a real Redis and real Celery worker processes: the metrics job and the
report PDF job killed with SIGKILL in the middle (held at a chosen statement by a pause planted in the database,
then killed), and the same job delivered twice. Nothing half-done is ever visible, the job is redelivered and
completes once, and its results equal a clean run's."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from odp.models import JobFamily, OutboxMessage, OutboxStatus
from skills import metrics, selectors, services
from skills.models import (
    CapabilityMetric,
    Expectation,
    Framework,
    MetricScope,
    MetricsRun,
    PublishedSnapshot,
    RoleProfile,
    RunStatus,
    Skill,
)
from tests.factories import MemberFactory, OrganisationFactory
from tests.hardening.faults import Pause, Worker
from tests.services import wait_for

pytestmark = pytest.mark.services

DESCRIPTORS = {"1": "a", "2": "b", "3": "c", "4": "d"}


@pytest.fixture
def pool_worker(transactional_db, tmp_path, redis_server):
    """A prefork worker (one pool process) on the test's Redis; emails go to files."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    worker = Worker(
        redis_server.url,
        tmp_path / "worker.log",
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        },
    )
    worker.mail_dir = mail_dir
    yield worker
    worker.stop()


@pytest.fixture
def pauses():
    planted: list[Pause] = []

    def plant(table: str, event: str, when: str) -> Pause:
        pause = Pause(table, event, when)
        planted.append(pause)
        pause.plant()
        return pause

    yield plant
    for pause in planted:
        pause.drop()


@pytest.fixture
def skills_world(odp_admin):
    """Two organisations, three skills expected of customer service staff, and a spread of ratings."""
    odp_admin.job_family = JobFamily.PLANNING_AND_PERFORMANCE  # outside the population
    odp_admin.save()
    framework = Framework.objects.create(name="ODP skills framework", slug=selectors.ODP_FRAMEWORK_SLUG)
    version = services.version_create_draft(framework=framework, by=odp_admin)
    group = version.groups.create(code="G", name="Group")
    skills = [
        Skill.objects.create(version=version, group=group, code=code, name=f"Skill {code}", descriptors=DESCRIPTORS)
        for code in "ABC"
    ]
    services.assign_lineages(version)
    profile = RoleProfile.objects.create(version=version, job_family=JobFamily.CUSTOMER_SERVICE, role_level=2)
    for skill, expected in zip(skills, (2, 3, 1), strict=True):
        Expectation.objects.create(profile=profile, skill=skill, expected_level=expected)
    services.version_publish(version=version, by=odp_admin)
    skills = list(Skill.objects.filter(version=version).order_by("code"))
    organisations = [OrganisationFactory(name="Organisation X"), OrganisationFactory(name="Organisation Y")]
    people = [MemberFactory(organisation=organisations[n % 2], grade=("EO", "HEO", "AO")[n % 3]) for n in range(12)]
    return {"admin": odp_admin, "skills": skills, "people": people}


def rate_everyone(world, offset: int) -> None:
    for n, person in enumerate(world["people"]):
        for s, skill in enumerate(world["skills"]):
            if (n + s + offset) % 4:
                services.assessment_record_self(member=person, skill=skill, level=1 + (n + s * offset) % 4)


def figures(rows) -> list[tuple]:
    return sorted(
        (
            r.scope,
            r.organisation_id or 0,
            r.grade,
            r.job_family,
            r.lineage or 0,
            r.members_in_scope,
            r.members_assessed,
            r.rows_in_scope,
            r.rows_assessed,
            r.sum_level,
            r.rows_meeting,
            r.sum_gap,
            round(r.sum_index, 6),
        )
        for r in rows
    )


def published_figures() -> list[tuple]:
    return figures(CapabilityMetric.objects.published())


def run_inline() -> MetricsRun:
    return metrics.compute(metrics.request_run(by=None))


@pytest.mark.parametrize("kill", ["pool process", "whole worker"])
def test_worker_killed_mid_metrics_job_keeps_the_previous_snapshot_and_the_redelivered_job_completes_once(
    broker, pool_worker, skills_world, pauses, kill
):
    """The pool process running the job killed (the parent requeues it at once: acks_late with
    reject_on_worker_lost), or the whole worker killed with nothing left to requeue it (Redis hands the unacked job
    to the next worker once its visibility timeout passes: an hour in production, 3 s here)."""
    rate_everyone(skills_world, offset=1)
    previous = run_inline()
    before = published_figures()
    assert before

    rate_everyone(skills_world, offset=2)  # new ratings: the next snapshot must differ
    # Hold the job after its finest rows are written, at its first roll-up row.
    pause = pauses("skills_capabilitymetric", "INSERT", f"NEW.scope = '{MetricScope.ORGANISATION_SKILL}'")
    broker.start()
    pool_worker.start()
    run = metrics.request_and_enqueue(by=skills_world["admin"])

    def held() -> bool:
        return MetricsRun.objects.filter(pk=run.pk, progress=60).exists() and pause.holding()

    wait_for(held, timeout=60, what=f"the metrics job to reach the pause; log:\n{pool_worker.output()}")
    run.refresh_from_db()
    assert (run.status, run.progress, run.attempts) == (RunStatus.RUNNING, 60, 1)
    assert CapabilityMetric.objects.filter(run=run).exists()  # half-written rows...
    assert published_figures() == before  # ...that nobody sees: the previous snapshot is the visible one
    api = APIClient()
    api.force_authenticate(skills_world["admin"].user)
    visible = api.get("/api/v1/skills/metrics/", {"scope": "org"})
    assert visible.status_code == 200 and visible.json()["count"] == 2

    if kill == "pool process":
        killed = pool_worker.kill_pool_process()
        pause.disarm()
    else:
        killed = pool_worker.pool_process()
        pool_worker.kill()
        pause.disarm()
        pool_worker.extra_env["ODP_TEST_VISIBILITY_TIMEOUT"] = "3"
        pool_worker.start()

    def finished() -> bool:
        run.refresh_from_db()
        return run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)

    wait_for(finished, timeout=120, what=f"the redelivered metrics job; log:\n{pool_worker.output()}")
    log = pool_worker.output()
    if kill == "pool process":
        assert f"pid:{killed} exited with 'signal 9 (SIGKILL)'" in log, log
    else:
        message = OutboxMessage.objects.get(task_name="skills.compute_capability_metrics")
        assert log.count(f"Task skills.compute_capability_metrics[outbox-{message.pk}] received") == 2, log
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 2  # the killed attempt and the one that completed; never a third
    assert log.count("succeeded in") == 1, log
    assert PublishedSnapshot.objects.get(snapshot_date=timezone.localdate()).run == run
    assert OutboxMessage.objects.get(task_name="skills.compute_capability_metrics").status == OutboxStatus.DONE
    assert not CapabilityMetric.objects.filter(run=previous).exists()  # swapped out whole
    recovered = published_figures()
    assert recovered != before

    # A clean run on the same data gives exactly the same figures.
    clean = run_inline()
    assert clean.pk != run.pk
    assert figures(CapabilityMetric.objects.filter(run=clean)) == recovered


def test_report_publishing_killed_mid_pdf_is_not_half_published_and_the_redelivered_job_completes(
    broker, pool_worker, odp_admin, dwp, pauses, client
):
    """The beat job publishes a scheduled report on the worker and queues its PDF; the PDF job's process is killed
    after WeasyPrint has laid the pages out, before the bytes are stored."""
    from django.db import transaction
    from django.urls import reverse
    from pypdf import PdfReader

    from odp.models import AuditEvent
    from odp.outbox import enqueue
    from reporting.annual_report import services as reports
    from reporting.models import PdfStatus, ReportVersion, VersionStatus
    from tests.reporting.report_support import second_admin, written_report

    version = written_report(odp_admin)
    reports.submit(odp_admin, version)
    reports.approve(second_admin(dwp), version, publish_at=timezone.now() + timezone.timedelta(hours=1))
    ReportVersion.objects.filter(pk=version.pk).update(scheduled_for=timezone.now())  # its time has come
    pause = pauses("reporting_reportversion", "UPDATE", "NEW.pdf_progress = 70")
    broker.start()
    pool_worker.start()
    with transaction.atomic():
        enqueue("reporting.publish_due_reports")  # what celery beat sends every five minutes

    def held() -> bool:
        return ReportVersion.objects.filter(pk=version.pk, pdf_progress=30).exists() and pause.holding()

    wait_for(held, timeout=90, what=f"the PDF job to reach the pause; log:\n{pool_worker.output()}")
    version.refresh_from_db()
    assert (version.status, version.pdf_status, version.pdf_progress) == (
        VersionStatus.PUBLISHED,
        PdfStatus.RUNNING,
        30,
    )
    assert not version.pdf
    # The public sees the published report and no PDF link; the PDF address is a 404 rather than a partial file.
    year = version.report.year
    page = client.get(reverse("annual-report", args=[year]))
    assert page.status_code == 200 and "The PDF is being produced." in page.content.decode()
    assert client.get(reverse("annual-report-pdf", args=[year])).status_code == 404

    killed = pool_worker.kill_pool_process()
    pause.disarm()

    def finished() -> bool:
        version.refresh_from_db()
        return version.pdf_status in (PdfStatus.READY, PdfStatus.FAILED)

    wait_for(finished, timeout=120, what=f"the redelivered PDF job; log:\n{pool_worker.output()}")
    log = pool_worker.output()
    assert f"pid:{killed} exited with 'signal 9 (SIGKILL)'" in log, log
    assert version.pdf_status == PdfStatus.READY, version.pdf_error
    assert log.count("Task reporting.render_report_pdf[") == 3, log  # received, received again, succeeded
    assert log.count("Task reporting.publish_due_reports[") == 2, log  # received, succeeded: published once
    assert ReportVersion.objects.filter(status=VersionStatus.PUBLISHED).count() == 1
    assert AuditEvent.objects.filter(action="report.published").count() == 1
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.DONE).exists()
    pdf = client.get(reverse("annual-report-pdf", args=[year]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    import io

    reader = PdfReader(io.BytesIO(pdf.content))
    assert "Foreword" in "\n".join(p.extract_text() for p in reader.pages)
    assert "This report as a PDF" in client.get(reverse("annual-report", args=[year])).content.decode()
