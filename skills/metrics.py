"""The capability metrics job: computed in SQL (INSERT ... SELECT ... GROUP BY), never row by row.

Definitions, per organisation × grade × skill (and the roll-ups), over active members and the skills their
role profile in the current framework version expects (a member × expected skill is one "row"):
- members in scope: members whose role profile expects the skill;
- members assessed (coverage): those with a current level above 0 on the skill;
- mean current level: over assessed rows only;
- share at or above expected: rows whose current level (0 if unassessed) reaches the expected level;
- mean gap: mean of max(expected - current, 0), unassessed counting as 0;
- capability index: mean of min(current / expected, 1).
A member's current level on a date is the latest rating by the most trusted rater up to that date (a line
manager's or assessor's over a self-assessment); ratings on earlier versions of a skill count through its
lineage. Members whose role profile expects nothing are outside every skill metric."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from odp import access
from odp.locks import advisory_lock
from odp.models import Member
from odp.outbox import enqueue
from skills.models import (
    Assessment,
    CapabilityMetric,
    CurrentLevel,
    Expectation,
    MetricScope,
    MetricsRun,
    PublishedSnapshot,
    RoleProfile,
    RunStatus,
    Skill,
)
from skills.selectors import current_version

logger = logging.getLogger(__name__)
LOCK_NAME = "skills.capability_metrics"


class MetricsBusy(Exception):
    """Another metrics run holds the lock; the job is retried later."""


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def levels_as_at_sql(snapshot_date: datetime.date) -> tuple[str, list]:
    """SQL for (member_id, lineage, level) current on ``snapshot_date``. Today or later reads the maintained
    current-level table; an earlier date ranks the append-only history up to the end of that day."""
    if snapshot_date >= timezone.localdate():
        return f"SELECT member_id, lineage, level FROM {_t(CurrentLevel)}", []
    end = timezone.make_aware(datetime.datetime.combine(snapshot_date + datetime.timedelta(days=1), datetime.time()))
    sql = f"""
        SELECT member_id, lineage, level FROM (
            SELECT member_id, lineage, level,
                   ROW_NUMBER() OVER (
                       PARTITION BY member_id, lineage
                       ORDER BY CASE rater_kind WHEN 'self' THEN 1 ELSE 2 END DESC, rated_at DESC, id DESC
                   ) AS rank
            FROM {_t(Assessment)} WHERE rated_at < %s
        ) ranked WHERE rank = 1
    """
    return sql, [end]


_COLUMNS = (
    "run_id, snapshot_date, scope, organisation_id, grade, lineage, members_in_scope, members_assessed, "
    "rows_in_scope, rows_assessed, sum_level, rows_meeting, sum_gap, sum_index"
)


def _insert_finest(cursor, run: MetricsRun, version_id: int) -> None:
    levels_sql, levels_params = levels_as_at_sql(run.snapshot_date)
    cursor.execute(
        f"""
        INSERT INTO {_t(CapabilityMetric)} ({_COLUMNS})
        SELECT %s, %s, %s, m.organisation_id, m.grade, s.lineage,
               COUNT(*), SUM(CASE WHEN c.level > 0 THEN 1 ELSE 0 END),
               COUNT(*), SUM(CASE WHEN c.level > 0 THEN 1 ELSE 0 END),
               COALESCE(SUM(CASE WHEN c.level > 0 THEN c.level ELSE 0 END), 0),
               SUM(CASE WHEN COALESCE(c.level, 0) >= e.expected_level THEN 1 ELSE 0 END),
               SUM(CASE WHEN e.expected_level > COALESCE(c.level, 0)
                        THEN e.expected_level - COALESCE(c.level, 0) ELSE 0 END),
               SUM(CASE WHEN COALESCE(c.level, 0) >= e.expected_level THEN 1.0
                        ELSE COALESCE(c.level, 0) * 1.0 / e.expected_level END)
        FROM {_t(Member)} m
        JOIN {_t(RoleProfile)} p
          ON p.version_id = %s AND p.job_family = m.job_family AND p.role_level = m.role_level
        JOIN {_t(Expectation)} e ON e.profile_id = p.id
        JOIN {_t(Skill)} s ON s.id = e.skill_id
        LEFT JOIN ({levels_sql}) c ON c.member_id = m.id AND c.lineage = s.lineage
        WHERE m.is_active
        GROUP BY m.organisation_id, m.grade, s.lineage
        """,
        [run.pk, run.snapshot_date, MetricScope.ORGANISATION_GRADE_SKILL, version_id, *levels_params],
    )


def _insert_rollup(cursor, run: MetricsRun, scope: str, *, by_organisation: bool) -> None:
    """Roll the finest rows up by summing: a member has one organisation and one grade, so per-skill member
    counts add up exactly."""
    organisation = "organisation_id" if by_organisation else "CAST(NULL AS BIGINT)"
    group_by = "organisation_id, lineage" if by_organisation else "lineage"
    cursor.execute(
        f"""
        INSERT INTO {_t(CapabilityMetric)} ({_COLUMNS})
        SELECT run_id, snapshot_date, %s, {organisation}, '', lineage,
               SUM(members_in_scope), SUM(members_assessed), SUM(rows_in_scope), SUM(rows_assessed),
               SUM(sum_level), SUM(rows_meeting), SUM(sum_gap), SUM(sum_index)
        FROM {_t(CapabilityMetric)}
        WHERE run_id = %s AND scope = %s
        GROUP BY run_id, snapshot_date, {group_by}
        """,
        [scope, run.pk, MetricScope.ORGANISATION_GRADE_SKILL],
    )


def _insert_overall(cursor, run: MetricsRun, version_id: int, scope: str, by_organisation: bool) -> None:
    """Overall figures sum the rows, but count each member once: members in scope are those expected to
    have any skill, members assessed those with a current level above 0 on any expected skill."""
    levels_sql, levels_params = levels_as_at_sql(run.snapshot_date)
    org = "m.organisation_id" if by_organisation else "CAST(NULL AS BIGINT)"
    group = "GROUP BY m.organisation_id" if by_organisation else ""
    sums_org = "organisation_id" if by_organisation else "CAST(NULL AS BIGINT)"
    sums_group = "GROUP BY organisation_id" if by_organisation else ""
    join = "ON sums.organisation_id = people.organisation_id" if by_organisation else "ON 1 = 1"
    cursor.execute(
        f"""
        INSERT INTO {_t(CapabilityMetric)} ({_COLUMNS})
        SELECT %s, %s, %s, people.organisation_id, '', NULL, people.in_scope, people.assessed,
               sums.rows_in_scope, sums.rows_assessed, sums.sum_level, sums.rows_meeting, sums.sum_gap, sums.sum_index
        FROM (
            SELECT {org} AS organisation_id, COUNT(*) AS in_scope, SUM(member_assessed) AS assessed
            FROM (
                SELECT m.id, m.organisation_id, MAX(CASE WHEN c.level > 0 THEN 1 ELSE 0 END) AS member_assessed
                FROM {_t(Member)} m
                JOIN {_t(RoleProfile)} p
                  ON p.version_id = %s AND p.job_family = m.job_family AND p.role_level = m.role_level
                JOIN {_t(Expectation)} e ON e.profile_id = p.id
                JOIN {_t(Skill)} s ON s.id = e.skill_id
                LEFT JOIN ({levels_sql}) c ON c.member_id = m.id AND c.lineage = s.lineage
                WHERE m.is_active
                GROUP BY m.id, m.organisation_id
            ) m
            {group}
        ) people
        JOIN (
            SELECT {sums_org} AS organisation_id, SUM(rows_in_scope) AS rows_in_scope,
                   SUM(rows_assessed) AS rows_assessed, SUM(sum_level) AS sum_level,
                   SUM(rows_meeting) AS rows_meeting, SUM(sum_gap) AS sum_gap, SUM(sum_index) AS sum_index
            FROM {_t(CapabilityMetric)} WHERE run_id = %s AND scope = %s
            {sums_group}
        ) sums {join}
        """,
        [run.pk, run.snapshot_date, scope, version_id, *levels_params, run.pk, MetricScope.ORGANISATION_GRADE_SKILL],
    )


def _progress(run: MetricsRun, percent: int, stage: str) -> None:
    run.progress, run.stage = percent, stage
    MetricsRun.objects.filter(pk=run.pk).update(progress=percent, stage=stage)
    logger.info("Metrics run %s: %s%% %s", run.pk, percent, stage)


def compute(run: MetricsRun) -> MetricsRun:
    """Compute a run's rows and publish them as the snapshot for its date. Safe to call again after a crash:
    a re-run first clears its own partial rows; the previous snapshot stays visible until the swap."""
    if run.status == RunStatus.SUCCEEDED:
        return run
    with advisory_lock(LOCK_NAME) as taken:
        if not taken:
            raise MetricsBusy("Another capability metrics run is in progress.")
        version = current_version()
        run.status, run.started_at, run.error = RunStatus.RUNNING, timezone.now(), ""
        run.attempts += 1
        run.save(update_fields=["status", "started_at", "error", "attempts"])
        try:
            if version is None:
                raise ValueError("There is no published skills framework version to measure against.")
            _progress(run, 5, "Clearing rows left by an earlier attempt")
            CapabilityMetric.objects.filter(run=run).delete()
            with connection.cursor() as cursor:
                _progress(run, 10, "Organisation × grade × skill")
                _insert_finest(cursor, run, version.pk)
                _progress(run, 60, "Roll-ups by organisation and across the profession")
                _insert_rollup(cursor, run, MetricScope.ORGANISATION_SKILL, by_organisation=True)
                _insert_rollup(cursor, run, MetricScope.PROFESSION_SKILL, by_organisation=False)
                _progress(run, 70, "Organisation and profession overall")
                _insert_overall(cursor, run, version.pk, MetricScope.ORGANISATION, by_organisation=True)
                _insert_overall(cursor, run, version.pk, MetricScope.PROFESSION, by_organisation=False)
            _progress(run, 95, "Publishing the snapshot")
            _publish(run)
        except Exception as exc:
            MetricsRun.objects.filter(pk=run.pk).update(
                status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
            )
            raise
    run.refresh_from_db()
    return run


@transaction.atomic
def _publish(run: MetricsRun) -> None:
    previous = PublishedSnapshot.objects.select_for_update().filter(snapshot_date=run.snapshot_date).first()
    old_run_id = previous.run_id if previous else None
    if previous:
        previous.delete()
    PublishedSnapshot.objects.create(snapshot_date=run.snapshot_date, run=run, published_at=timezone.now())
    rows = CapabilityMetric.objects.filter(run=run).count()
    MetricsRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED, progress=100, stage="Done", rows=rows, finished_at=timezone.now()
    )
    if old_run_id:
        CapabilityMetric.objects.filter(run_id=old_run_id).delete()


def compute_by_id(run_id: int) -> MetricsRun:
    return compute(MetricsRun.objects.get(pk=run_id))


@transaction.atomic
def request_run(*, by: Member | None, snapshot_date: datetime.date | None = None) -> MetricsRun:
    """Record a run for a date (today by default). A queued or running run for the date is reused."""
    snapshot_date = snapshot_date or timezone.localdate()
    existing = MetricsRun.objects.filter(
        snapshot_date=snapshot_date, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).first()
    if existing:
        return existing
    return MetricsRun.objects.create(snapshot_date=snapshot_date, requested_by=by)


@transaction.atomic
def request_and_enqueue(*, by: Member, snapshot_date: datetime.date | None = None) -> MetricsRun:
    """An admin asks for a run now; it is computed by the batch worker (or inline with no broker)."""
    if not access.can(by, "skills.run_metrics"):
        raise PermissionDenied("Only ODP admins can run the capability metrics.")
    if snapshot_date and snapshot_date > timezone.localdate():
        raise ValidationError({"snapshot_date": "The snapshot date must be today or in the past."})
    run = request_run(by=by, snapshot_date=snapshot_date)
    if run.status == RunStatus.QUEUED and run.attempts == 0:
        enqueue("skills.compute_capability_metrics", run_id=run.pk)
    return run
