"""Each member's coverage: whether they have a level above 0 on at least one skill their role expects in the
current framework version (the capability metrics' "members assessed").

Worked out per member as ratings change, so the nightly job reads 290,000 flags instead of probing every
member's levels. Each row records the version and role it was worked out for; the job redoes the rows that no
longer match (a new version, a change of role, a member never worked out), so only a change of level has to
come through here, and every change of level goes through skills.services."""

from __future__ import annotations

from django.db import connection

from odp.models import Member
from odp.sql import table as _t
from skills.models import CurrentLevel, Expectation, MemberCoverage, RoleProfile, Skill
from skills.selectors import current_version_id


def _worked_out(member: str) -> str:
    """SQL for the member aliased ``member``: in scope (their role expects a skill in the version) and assessed
    (a level above 0 on one of those skills; ratings count through the skill's lineage). The version is the
    first three parameters."""
    return f"""
        EXISTS (
            SELECT 1 FROM {_t(RoleProfile)} p JOIN {_t(Expectation)} e ON e.profile_id = p.id
            WHERE p.version_id = %s AND p.job_family = {member}.job_family AND p.role_level = {member}.role_level
        ),
        EXISTS (
            SELECT 1
            FROM {_t(CurrentLevel)} c
            JOIN {_t(Skill)} s ON s.lineage = c.lineage AND s.version_id = %s
            JOIN {_t(Expectation)} e ON e.skill_id = s.id
            JOIN {_t(RoleProfile)} p ON p.id = e.profile_id
            WHERE c.member_id = {member}.id AND c.level > 0
              AND p.version_id = %s AND p.job_family = {member}.job_family AND p.role_level = {member}.role_level
        )"""


_COLUMNS = "member_id, version_id, job_family, role_level, in_scope, assessed"
_OVERWRITE = ", ".join(f"{column} = excluded.{column}" for column in _COLUMNS.split(", ")[1:])


def refresh_member(member_id: int) -> None:
    """Work out one member's coverage again. Called inside the transaction that changed their level, after the
    change: the member's row is locked first so two ratings of the same person at once are worked out one after
    the other, the second seeing the first's level."""
    version_id = current_version_id()
    if version_id is None:
        return
    # No ordering: Member's default one joins the user, whose row FOR NO KEY UPDATE would then lock as well.
    list(Member.objects.select_for_update(no_key=True).filter(pk=member_id).order_by().values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {_t(MemberCoverage)} ({_COLUMNS})
            SELECT m.id, %s, m.job_family, m.role_level, {_worked_out("m")}
            FROM {_t(Member)} m WHERE m.id = %s
            ON CONFLICT (member_id) DO UPDATE SET {_OVERWRITE}
            """,
            [version_id, version_id, version_id, version_id, member_id],
        )


def refresh_stale(cursor, version_id: int) -> int:
    """Work out again every active member whose row is missing or was worked out for another version or role;
    the metrics job's first step. Returns how many rows were written.

    A row a rating writes meanwhile is already right for the current version and role, so it is left alone
    (the WHERE on the update): this statement's view of the levels may be older than that rating."""
    cursor.execute(
        f"""
        INSERT INTO {_t(MemberCoverage)} ({_COLUMNS})
        SELECT m.id, %s, m.job_family, m.role_level, {_worked_out("m")}
        FROM {_t(Member)} m
        LEFT JOIN {_t(MemberCoverage)} known ON known.member_id = m.id
        WHERE m.is_active AND (
            known.member_id IS NULL OR known.version_id <> %s
            OR known.job_family <> m.job_family OR known.role_level <> m.role_level
        )
        ON CONFLICT (member_id) DO UPDATE SET {_OVERWRITE}
        WHERE {_t(MemberCoverage)}.version_id <> excluded.version_id
           OR {_t(MemberCoverage)}.job_family <> excluded.job_family
           OR {_t(MemberCoverage)}.role_level <> excluded.role_level
        """,
        [version_id, version_id, version_id, version_id, version_id],
    )
    return max(cursor.rowcount, 0)


def refresh_all() -> int:
    """Work out every member again, for loaders that write current levels in bulk (demo and scale data)."""
    version_id = current_version_id()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_t(MemberCoverage)}")
        return refresh_stale(cursor, version_id) if version_id is not None else 0


def people_by_organisation_sql(version_id: int) -> tuple[str, list]:
    """SQL and parameters: per organisation, its active members in scope and assessed, and how many active
    members have no row worked out for the version and their present role (stale: counted in neither). One
    parallel join of two regular tables, no per-member probe."""
    fresh = "known.version_id = %s AND known.job_family = m.job_family AND known.role_level = m.role_level"
    sql = f"""
        SELECT m.organisation_id,
               SUM(CASE WHEN {fresh} AND known.in_scope THEN 1 ELSE 0 END) AS in_scope,
               SUM(CASE WHEN {fresh} AND known.assessed THEN 1 ELSE 0 END) AS assessed,
               SUM(CASE WHEN {fresh} THEN 0 ELSE 1 END) AS stale
        FROM {_t(Member)} m
        LEFT JOIN {_t(MemberCoverage)} known ON known.member_id = m.id
        WHERE m.is_active
        GROUP BY m.organisation_id
    """
    return sql, [version_id] * 3
