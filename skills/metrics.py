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
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from odp import access
from odp.locks import advisory_lock
from odp.models import Member
from odp.outbox import enqueue
from odp.sql import table as _t
from skills import coverage
from skills.models import (
    Assessment,
    CapabilityMetric,
    CurrentLevel,
    Expectation,
    FrameworkVersion,
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
WORK_MEM = "64MB"
# The job's PostgreSQL session: the big hash aggregate kept in memory rather than spilled to disk, and JIT off:
# measured at full scale it compiles for 100-300 ms per statement, and the per-member probe and the statements
# over the grouped counts lose more to compiling than they gain (benchmarks/README.md).
SESSION_SETTINGS = {"work_mem": WORK_MEM, "jit": "off"}


class MetricsBusy(Exception):
    """Another metrics run holds the lock; the job is retried later."""


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
    "rows_in_scope, rows_assessed, sum_level, rows_meeting, sum_gap, sum_index, job_family"
)


EXPECTED_TABLE = "tmp_expected_levels"
ASSESSED_TABLE = "tmp_assessed_groups"
COUNTS_TABLE = "tmp_level_counts"


def _prepare_expected(cursor, version_id: int) -> str:
    """(job family, role level, skill lineage, expected level) in the measured version, a few thousand rows,
    as an analysed temporary table: planners misjudge a CTE's size and pick nested loops over millions."""
    cursor.execute(f"DROP TABLE IF EXISTS {EXPECTED_TABLE}")
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {EXPECTED_TABLE} AS
        SELECT p.job_family, p.role_level, s.lineage, e.expected_level
        FROM {_t(Expectation)} e
        JOIN {_t(RoleProfile)} p ON p.id = e.profile_id
        JOIN {_t(Skill)} s ON s.id = e.skill_id
        WHERE p.version_id = %s
        """,
        [version_id],
    )
    cursor.execute(f"CREATE INDEX {EXPECTED_TABLE}_key ON {EXPECTED_TABLE} (job_family, role_level, lineage)")
    cursor.execute(f"ANALYZE {EXPECTED_TABLE}")
    return EXPECTED_TABLE


COHORTS_TABLE = "tmp_metric_cohorts"
# A regular (unlogged) table on PostgreSQL, not a temporary one: parallel workers cannot read temporary tables, and
# the pass over every current level that joins it must stay parallel. The advisory lock means one run at a time.
COHORT_MEMBERS_TABLE = "odp_metrics_cohort_members"
NO_NESTED_LOOPS = {"enable_nestloop": "off"}


def _prepare_cohorts(cursor) -> None:
    """Active members grouped into cohorts (organisation, grade, job family, role level), one small integer per
    cohort: the pass over the current levels then groups by two integers instead of five keys, three of them text."""
    _drop_cohorts(cursor)
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {COHORTS_TABLE} AS
        SELECT ROW_NUMBER() OVER (ORDER BY organisation_id, grade, job_family, role_level) AS cohort,
               organisation_id, grade, job_family, role_level, CAST(COUNT(*) AS INTEGER) AS members
        FROM {_t(Member)} WHERE is_active
        GROUP BY organisation_id, grade, job_family, role_level
        """
    )
    cursor.execute(f"CREATE UNIQUE INDEX {COHORTS_TABLE}_cohort ON {COHORTS_TABLE} (cohort)")
    cursor.execute(f"ANALYZE {COHORTS_TABLE}")
    unlogged = "UNLOGGED" if connection.vendor == "postgresql" else "TEMPORARY"
    # Every member meets a cohort: one hash of the few thousand cohorts beats the index lookups per cohort the
    # planner otherwise picks (0.4 s against 0.75-1.4 s at full scale).
    with session_settings(cursor, NO_NESTED_LOOPS):
        cursor.execute(
            f"""
            CREATE {unlogged} TABLE {COHORT_MEMBERS_TABLE} AS
            SELECT m.id AS member_id, k.cohort
            FROM {_t(Member)} m
            JOIN {COHORTS_TABLE} k ON k.organisation_id = m.organisation_id AND k.grade = m.grade
             AND k.job_family = m.job_family AND k.role_level = m.role_level
            WHERE m.is_active
            """
        )
    cursor.execute(f"ANALYZE {COHORT_MEMBERS_TABLE}")


def _drop_cohorts(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {COHORTS_TABLE}")
    cursor.execute(f"DROP TABLE IF EXISTS {COHORT_MEMBERS_TABLE}")


def _insert_finest(cursor, run: MetricsRun, expected: str, levels_table: str, top_level: int) -> None:
    """Organisation × grade × job family × skill, from one pass over the current levels shaped like the SQL floor.

    That pass only counts members at each level per cohort and skill (one column per level of the scale), with no
    per-row join to the expectations; CREATE TABLE ... AS may run in parallel on PostgreSQL, where INSERT ... SELECT
    may not. The expectations are then applied to those counts. The population side (who is expected to have which
    skill, and the sum of their expected levels) comes from the cohorts' sizes. Unassessed pairs follow by
    arithmetic: they meet nothing, add 0 to the index and their whole expected level to the gap, so the sum of gaps
    is the sum of expected levels minus, over assessed pairs, min(level, expected)."""
    levels = range(1, top_level + 1)
    count_columns = ", ".join(f"COUNT(*) FILTER (WHERE c.level = {k}) AS n{k}" for k in levels)

    def over_levels(term: str) -> str:
        """Sum a per-level term (written with {k}) weighted by the count at that level."""
        return " + ".join(f"k.n{k} * {term.format(k=k)}" for k in levels)

    _prepare_cohorts(cursor)
    cursor.execute(f"DROP TABLE IF EXISTS {COUNTS_TABLE}")
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {COUNTS_TABLE} AS
        SELECT mc.cohort, c.lineage, {count_columns}
        FROM {levels_table} c
        JOIN {COHORT_MEMBERS_TABLE} mc ON mc.member_id = c.member_id
        GROUP BY mc.cohort, c.lineage
        """
    )
    # No "WHERE level > 0": the per-level columns already leave level 0 out, and the filter made the parallel
    # pass about 0.7 s slower at full scale. A group of level-0 ratings only adds a row of zeros.
    # Statistics for the planner: unanalysed, it sorts the 118,000 count rows twice instead of hashing them.
    cursor.execute(f"ANALYZE {COUNTS_TABLE}")
    meets = "(CASE WHEN {k} >= x.expected_level THEN 1 ELSE 0 END)"
    reached = "(CASE WHEN {k} >= x.expected_level THEN x.expected_level ELSE {k} END)"
    # Double precision like the stored column: numeric division here cost about 0.1 s at full scale.
    index = "(CASE WHEN {k} >= x.expected_level THEN 1.0 ELSE CAST({k} AS DOUBLE PRECISION) / x.expected_level END)"
    cursor.execute(f"DROP TABLE IF EXISTS {ASSESSED_TABLE}")
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {ASSESSED_TABLE} AS
        SELECT k.cohort, k.lineage,
               CAST({" + ".join(f"k.n{k}" for k in levels)} AS INTEGER) AS n,
               CAST({over_levels("{k}")} AS INTEGER) AS sum_level,
               CAST({over_levels(meets)} AS INTEGER) AS meeting,
               CAST({over_levels(reached)} AS INTEGER) AS sum_reached,
               {over_levels(index)} AS sum_index
        FROM {COUNTS_TABLE} k
        JOIN {COHORTS_TABLE} g ON g.cohort = k.cohort
        JOIN {expected} x ON x.job_family = g.job_family AND x.role_level = g.role_level AND x.lineage = k.lineage
        """
    )
    cursor.execute(f"ANALYZE {ASSESSED_TABLE}")  # sized for the planner, which hashes it whole (no index needed)
    cursor.execute(
        f"""
        INSERT INTO {_t(CapabilityMetric)} ({_COLUMNS})
        SELECT %s, %s, %s, g.organisation_id, g.grade, x.lineage,
               SUM(g.members), SUM(COALESCE(a.n, 0)), SUM(g.members), SUM(COALESCE(a.n, 0)),
               SUM(COALESCE(a.sum_level, 0)), SUM(COALESCE(a.meeting, 0)),
               SUM(g.members * x.expected_level - COALESCE(a.sum_reached, 0)), SUM(COALESCE(a.sum_index, 0)),
               g.job_family
        FROM {COHORTS_TABLE} g
        JOIN {expected} x ON x.job_family = g.job_family AND x.role_level = g.role_level
        LEFT JOIN {ASSESSED_TABLE} a ON a.cohort = g.cohort AND a.lineage = x.lineage
        GROUP BY g.organisation_id, g.grade, g.job_family, x.lineage
        """,
        [run.pk, run.snapshot_date, MetricScope.ORGANISATION_GRADE_FAMILY_SKILL],
    )
    cursor.execute(f"DROP TABLE {ASSESSED_TABLE}")
    cursor.execute(f"DROP TABLE {COUNTS_TABLE}")
    _drop_cohorts(cursor)


def _insert_rollup(cursor, run: MetricsRun, scope: str, *, source: str, organisation: bool, grade: bool) -> None:
    """Roll finer rows up by summing: a member has one organisation, one grade and one job family, so per-skill
    member counts add up exactly."""
    organisation_column = "organisation_id" if organisation else "CAST(NULL AS BIGINT)"
    grade_column = "grade" if grade else "''"
    keys = [column for column, kept in (("organisation_id", organisation), ("grade", grade)) if kept]
    cursor.execute(
        f"""
        INSERT INTO {_t(CapabilityMetric)} ({_COLUMNS})
        SELECT run_id, snapshot_date, %s, {organisation_column}, {grade_column}, lineage,
               SUM(members_in_scope), SUM(members_assessed), SUM(rows_in_scope), SUM(rows_assessed),
               SUM(sum_level), SUM(rows_meeting), SUM(sum_gap), SUM(sum_index), ''
        FROM {_t(CapabilityMetric)}
        WHERE run_id = %s AND scope = %s
        GROUP BY {", ".join(["run_id", "snapshot_date", *keys, "lineage"])}
        """,
        [scope, run.pk, source],
    )


PEOPLE_TABLE = "tmp_people_by_organisation"


def _count_people(cursor, expected: str, levels_table: str, version_id: int) -> None:
    """Per organisation into PEOPLE_TABLE (organisation_id, in_scope, assessed): members in scope (their role
    expects any skill) and members assessed (a level above 0 on at least one expected skill)."""
    cursor.execute(f"DROP TABLE IF EXISTS {PEOPLE_TABLE}")
    if levels_table == _t(CurrentLevel):
        _count_people_from_coverage(cursor, version_id)
        return
    # An earlier date: probed member by member in the levels ranked from the history.
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {PEOPLE_TABLE} AS
        SELECT m.organisation_id, COUNT(*) AS in_scope,
               SUM(CASE WHEN EXISTS (
                   SELECT 1 FROM {levels_table} c
                   WHERE c.member_id = m.id AND c.level > 0 AND EXISTS (
                       SELECT 1 FROM {expected} x
                       WHERE x.job_family = m.job_family AND x.role_level = m.role_level AND x.lineage = c.lineage
                   )
               ) THEN 1 ELSE 0 END) AS assessed
        FROM {_t(Member)} m
        WHERE m.is_active AND EXISTS (
            SELECT 1 FROM {expected} x WHERE x.job_family = m.job_family AND x.role_level = m.role_level
        )
        GROUP BY m.organisation_id
        """
    )


def _count_people_from_coverage(cursor, version_id: int) -> None:
    """Today's counts from each member's maintained coverage. When any active member's row is missing or was
    worked out for another version or role, those rows are redone first and the counts taken again; a member
    whose role changes while the job runs is counted by the next run."""
    sql, params = coverage.people_by_organisation_sql(version_id)
    for attempt in range(2):
        cursor.execute(f"CREATE TEMPORARY TABLE {PEOPLE_TABLE} AS {sql}", params)
        cursor.execute(f"SELECT COALESCE(SUM(stale), 0) FROM {PEOPLE_TABLE}")
        if attempt or not cursor.fetchone()[0]:
            return
        cursor.execute(f"DROP TABLE {PEOPLE_TABLE}")
        coverage.refresh_stale(cursor, version_id)


def _insert_organisation_overall(cursor, run: MetricsRun, expected: str, levels_table: str, version_id: int) -> None:
    """Each organisation overall: row sums add up from the finest rows, but members are counted once."""
    _count_people(cursor, expected, levels_table, version_id)
    cursor.execute(
        f"""
        WITH sums AS (
            SELECT organisation_id, SUM(rows_in_scope) AS rows_in_scope, SUM(rows_assessed) AS rows_assessed,
                   SUM(sum_level) AS sum_level, SUM(rows_meeting) AS rows_meeting, SUM(sum_gap) AS sum_gap,
                   SUM(sum_index) AS sum_index
            FROM {_t(CapabilityMetric)} WHERE run_id = %s AND scope = %s
            GROUP BY organisation_id
        )
        INSERT INTO {_t(CapabilityMetric)} ({_COLUMNS})
        SELECT %s, %s, %s, people.organisation_id, '', NULL, people.in_scope, people.assessed,
               sums.rows_in_scope, sums.rows_assessed, sums.sum_level, sums.rows_meeting, sums.sum_gap, sums.sum_index,
               ''
        FROM {PEOPLE_TABLE} people JOIN sums ON sums.organisation_id = people.organisation_id
        """,
        [run.pk, MetricScope.ORGANISATION_GRADE_SKILL, run.pk, run.snapshot_date, MetricScope.ORGANISATION],
    )
    cursor.execute(f"DROP TABLE {PEOPLE_TABLE}")


def _insert_profession_overall(cursor, run: MetricsRun) -> None:
    """Members belong to one organisation, so the profession overall is the sum of the organisations."""
    cursor.execute(
        f"""
        INSERT INTO {_t(CapabilityMetric)} ({_COLUMNS})
        SELECT run_id, snapshot_date, %s, CAST(NULL AS BIGINT), '', NULL,
               SUM(members_in_scope), SUM(members_assessed), SUM(rows_in_scope), SUM(rows_assessed),
               SUM(sum_level), SUM(rows_meeting), SUM(sum_gap), SUM(sum_index), ''
        FROM {_t(CapabilityMetric)}
        WHERE run_id = %s AND scope = %s
        GROUP BY run_id, snapshot_date
        """,
        [MetricScope.PROFESSION, run.pk, MetricScope.ORGANISATION],
    )


HISTORY_TABLE = "tmp_levels_as_at"


def materialise_levels(cursor, snapshot_date: datetime.date, name: str = HISTORY_TABLE) -> str:
    """The table of (member_id, lineage, level) to measure: the maintained current levels for today, or for
    an earlier date a temporary table ranked from the history, indexed like the current-level table."""
    if snapshot_date >= timezone.localdate():
        return _t(CurrentLevel)
    sql, params = levels_as_at_sql(snapshot_date)
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {sql}", params)
    cursor.execute(f"CREATE INDEX {name}_member ON {name} (member_id, lineage)")
    cursor.execute(f"ANALYZE {name}")
    return name


def drop_levels(cursor, table: str) -> None:
    if table != _t(CurrentLevel):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


@contextmanager
def session_settings(cursor, settings: dict[str, str] = SESSION_SETTINGS) -> Iterator[None]:
    """Apply PostgreSQL settings for some statements and restore the server's defaults afterwards, also when a
    statement fails (the connection is reused)."""
    if connection.vendor != "postgresql":
        yield
        return
    for name, value in settings.items():
        cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
    try:
        yield
    except BaseException:
        # In an aborted transaction RESET fails too; the rollback restores the settings (SET is transactional),
        # and the original error is the one worth raising.
        with suppress(DatabaseError):
            _reset(cursor, settings)
        raise
    _reset(cursor, settings)


def _reset(cursor, settings: dict[str, str]) -> None:
    for name in settings:
        cursor.execute(f"RESET {name}")


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
        # A repeat delivery may have read the run before the lock's holder finished it: redoing it would clear the
        # published snapshot's own rows while it recomputes them.
        run.refresh_from_db()
        if run.status == RunStatus.SUCCEEDED:
            return run
        version = current_version()
        run.status, run.started_at, run.error = RunStatus.RUNNING, timezone.now(), ""
        run.attempts += 1
        run.save(update_fields=["status", "started_at", "error", "attempts"])
        try:
            if version is None:
                raise ValueError("There is no published skills framework version to measure against.")
            _progress(run, 5, "Clearing rows left by an earlier attempt")
            _delete_rows(run.pk)
            with connection.cursor() as cursor:
                _progress(run, 10, "Preparing the levels as at the snapshot date")
                with session_settings(cursor):
                    _compute_rows(cursor, run, version)
            _progress(run, 95, "Publishing the snapshot")
            _publish(run)
        except Exception as exc:
            MetricsRun.objects.filter(pk=run.pk).update(
                status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
            )
            raise
    run.refresh_from_db()
    return run


def _compute_rows(cursor, run: MetricsRun, version: FrameworkVersion) -> None:
    levels_table = materialise_levels(cursor, run.snapshot_date)
    expected = _prepare_expected(cursor, version.pk)
    _progress(run, 20, "Organisation × grade × job family × skill")
    _insert_finest(cursor, run, expected, levels_table, version.max_level)
    finest, by_grade = MetricScope.ORGANISATION_GRADE_FAMILY_SKILL, MetricScope.ORGANISATION_GRADE_SKILL
    _insert_rollup(cursor, run, by_grade, source=finest, organisation=True, grade=True)
    _progress(run, 60, "Roll-ups by organisation and across the profession")
    _insert_rollup(cursor, run, MetricScope.ORGANISATION_SKILL, source=by_grade, organisation=True, grade=False)
    _insert_rollup(cursor, run, MetricScope.PROFESSION_SKILL, source=by_grade, organisation=False, grade=False)
    _progress(run, 70, "Organisation and profession overall")
    _insert_organisation_overall(cursor, run, expected, levels_table, version.pk)
    _insert_profession_overall(cursor, run)
    cursor.execute(f"DROP TABLE {EXPECTED_TABLE}")
    drop_levels(cursor, levels_table)


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
    if old_run_id and old_run_id != run.pk:  # never the rows just published
        _delete_rows(old_run_id)


def _delete_rows(run_id: int) -> None:
    """One DELETE statement: the audit's delete signal listens to every model, so the ORM's delete would load each
    of the 140,000 rows of a full-scale run into memory first (metric rows are not audited)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_t(CapabilityMetric)} WHERE run_id = %s", [run_id])


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
