"""generate_scale_data on a small scale: what it loads is what the metrics job measures, members' coverage
included (the full-scale run itself is `make bench`, not a timed test)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from benchmarks import scale
from skills import metrics
from skills.models import CapabilityMetric, MemberCoverage, MetricScope, RunStatus


def members_assessed_by_definition() -> dict[int, tuple[int, int]]:
    """Per organisation, active members whose role expects a skill, and those of them with a level above 0 on
    one of those skills: straight from the current levels, without the maintained coverage."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT m.organisation_id, COUNT(*),
                   SUM(CASE WHEN EXISTS (
                       SELECT 1 FROM skills_currentlevel c
                       JOIN skills_skill s ON s.lineage = c.lineage AND s.version_id = p.version_id
                       JOIN skills_expectation e ON e.skill_id = s.id AND e.profile_id = p.id
                       WHERE c.member_id = m.id AND c.level > 0
                   ) THEN 1 ELSE 0 END)
            FROM odp_member m
            JOIN skills_roleprofile p ON p.job_family = m.job_family AND p.role_level = m.role_level
            JOIN skills_frameworkversion v ON v.id = p.version_id AND v.status = 'published'
            WHERE m.is_active AND EXISTS (SELECT 1 FROM skills_expectation e WHERE e.profile_id = p.id)
            GROUP BY m.organisation_id
            """
        )
        return {org: (in_scope, assessed) for org, in_scope, assessed in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_generated_members_are_measured_from_their_coverage():
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            call_command("generate_scale_data", members=50, stdout=io.StringIO())
        assert not scale.synthetic_member_count()
        return
    call_command("generate_scale_data", members=600, stdout=io.StringIO())
    assert scale.synthetic_member_count() == 600
    assert MemberCoverage.objects.count() == 600  # worked out with the bulk load, not left to the first run

    run = metrics.compute(metrics.request_run(by=None))
    assert run.status == RunStatus.SUCCEEDED
    expected = members_assessed_by_definition()
    assert sum(assessed for _, assessed in expected.values()) > 300
    rows = CapabilityMetric.objects.published().filter(scope=MetricScope.ORGANISATION)
    measured = {row.organisation_id: (row.members_in_scope, row.members_assessed) for row in rows}
    assert measured == expected
