"""seed_demo's skills part: the sample framework published, ratings with history, interventions, metrics."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from odp.models import Member
from skills import selectors
from skills.models import (
    Assessment,
    CurrentLevel,
    Expectation,
    Intervention,
    MemberCoverage,
    MetricsRun,
    RoiEvaluation,
    RunStatus,
)
from tests.hardening.planner import analyse_seeded_tables


@pytest.fixture(scope="module")
def seeded_world(django_db_setup, django_db_blocker) -> Iterator[None]:
    """seed_demo run once for the module (it took seconds, and the tests here only read or seed again), in a
    transaction rolled back at its end; each test runs in a savepoint inside it (``db``). With the planner's
    statistics, as a running service has them: without, PostgreSQL nested loops over the ratings for a minute in
    the line manager's pending confirmations."""
    with django_db_blocker.unblock(), override_settings(ODP_EMBEDDED=True), transaction.atomic():
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        analyse_seeded_tables()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_world, db) -> None:
    pass


def test_the_sample_framework_is_published_and_labelled_illustrative(seeded):
    version = selectors.current_version()
    assert version is not None
    assert version.is_illustrative
    assert version.skills.count() == 40


def test_staff_have_skills_left_to_assess_and_one_waiting_for_their_manager(seeded):
    staff = Member.objects.get(user__username="staff")
    mine = selectors.my_skills(staff)
    unassessed = [s for s in mine.standings if s.rater_kind is None]
    assert len(unassessed) == 3
    manager = Member.objects.get(user__username="manager")
    assert staff.line_manager == manager
    assert any(c.member == staff for c in selectors.pending_confirmations(manager))


def test_every_current_level_follows_the_rule(seeded):
    for current in CurrentLevel.objects.select_related("assessment")[:200]:
        history = Assessment.objects.filter(member_id=current.member_id, lineage=current.lineage)
        best = max(history, key=lambda a: (2 if a.rater_kind != "self" else 1, a.rated_at, a.pk))
        assert current.assessment_id == best.pk


def test_every_members_coverage_follows_its_definition(seeded):
    """The demo writes current levels in bulk; each member's coverage is then worked out from them."""
    version = selectors.current_version()
    expected: dict[tuple[str, int], set[int]] = {}
    for job_family, role_level, lineage in Expectation.objects.filter(profile__version=version).values_list(
        "profile__job_family", "profile__role_level", "skill__lineage"
    ):
        expected.setdefault((job_family, role_level), set()).add(lineage)
    rated: dict[int, set[int]] = {}
    for member_id, lineage in CurrentLevel.objects.filter(level__gt=0).values_list("member_id", "lineage"):
        rated.setdefault(member_id, set()).add(lineage)
    rows = {row.member_id: row for row in MemberCoverage.objects.all()}
    members = Member.objects.filter(is_active=True)
    assert members.count() > 50
    assert sum(rows[m.pk].assessed for m in members) > 10
    for member in members:
        row = rows[member.pk]
        assert (row.version_id, row.job_family, row.role_level) == (version.pk, member.job_family, member.role_level)
        assert row.assessed == bool(
            rated.get(member.pk, set()) & expected.get((member.job_family, member.role_level), set())
        )


def test_seeding_again_adds_nothing(seeded):
    counts = (Assessment.objects.count(), Intervention.objects.count(), RoiEvaluation.objects.count())
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    assert (Assessment.objects.count(), Intervention.objects.count(), RoiEvaluation.objects.count()) == counts
    assert MetricsRun.objects.filter(status=RunStatus.SUCCEEDED).count() == 3  # today and two earlier dates


def test_seeding_again_is_a_handful_of_queries(seeded, django_assert_max_num_queries):
    from skills import demo

    with django_assert_max_num_queries(15):
        assert not demo.seed().changed


def test_one_demo_cohort_has_a_measured_result_with_its_group_sizes(seeded):
    from skills.models import RoiOutcome

    measured = RoiEvaluation.objects.filter(outcome=RoiOutcome.RESULT)
    assert measured.count() == 1
    result = measured.get()
    assert result.treated_n >= 10 and result.comparison_n >= 10
    assert result.uplift is not None and result.roi_percent is not None
