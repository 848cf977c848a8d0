"""Capability metrics against a small hand-computed fixture; snapshots are swapped in whole."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from odp.models import JobFamily, Member
from skills import coverage, metrics, selectors, services
from skills.models import (
    Assessment,
    CapabilityMetric,
    CurrentLevel,
    Expectation,
    Framework,
    MemberCoverage,
    MetricScope,
    MetricsRun,
    PublishedSnapshot,
    RaterKind,
    RoleProfile,
    RunStatus,
    Skill,
)
from tests.factories import MemberFactory, OrganisationFactory

DESCRIPTORS = {"1": "a", "2": "b", "3": "c", "4": "d"}


@pytest.fixture
def world(odp_admin):
    """Two skills, A (expected 2) and B (expected 3), for customer service practitioners. All ratings are made
    on version 1; version 2 then supersedes it, so the metrics must follow the skills' lineage."""
    odp_admin.job_family = JobFamily.PLANNING_AND_PERFORMANCE  # keep the admin out of the population
    odp_admin.save()
    framework = Framework.objects.create(name="ODP skills framework", slug=selectors.ODP_FRAMEWORK_SLUG)
    v1 = services.version_create_draft(framework=framework, by=odp_admin)
    group = v1.groups.create(code="G", name="Group")
    a = Skill.objects.create(version=v1, group=group, code="A", name="Skill A", descriptors=DESCRIPTORS)
    b = Skill.objects.create(version=v1, group=group, code="B", name="Skill B", descriptors=DESCRIPTORS)
    services.assign_lineages(v1)
    a.refresh_from_db()
    b.refresh_from_db()
    profile = RoleProfile.objects.create(version=v1, job_family=JobFamily.CUSTOMER_SERVICE, role_level=2)
    Expectation.objects.create(profile=profile, skill=a, expected_level=2)
    Expectation.objects.create(profile=profile, skill=b, expected_level=3)
    services.version_publish(version=v1, by=odp_admin)

    x = OrganisationFactory(name="Organisation X")
    y = OrganisationFactory(name="Organisation Y")
    manager = MemberFactory(organisation=x, job_family=JobFamily.OPERATIONAL_MANAGEMENT, role_level=4, grade="SEO")
    people = {
        "m1": MemberFactory(organisation=x, grade="EO", line_manager=manager),
        "m2": MemberFactory(organisation=x, grade="EO"),
        "m3": MemberFactory(organisation=x, grade="HEO", line_manager=manager),
        "m4": MemberFactory(organisation=x, grade="EO", job_family=JobFamily.CASEWORK),  # role expects nothing
        "m5": MemberFactory(organisation=x, grade="EO", is_active=False),
        "m6": MemberFactory(organisation=y, grade="EO"),
    }

    def rate(who, skill, level, *, confirm_as=None):
        rating = services.assessment_record_self(member=people[who], skill=skill, level=level)
        if confirm_as is not None:
            services.assessment_respond(self_assessment=rating, by=manager, level=confirm_as, reason="Evidence seen")

    rate("m1", a, 3, confirm_as=2)
    rate("m1", b, 1)
    rate("m3", a, 3, confirm_as=3)
    rate("m3", b, 3, confirm_as=3)
    rate("m5", a, 4)
    rate("m6", a, 1)
    rate("m4", a, 4)

    v2 = services.version_create_draft(framework=framework, by=odp_admin, change_notes="Version 2")
    services.version_publish(version=v2, by=odp_admin)
    return {"x": x, "y": y, "a": a.lineage, "b": b.lineage, **people}


def figures(row: CapabilityMetric) -> tuple:
    return (
        row.members_in_scope,
        row.members_assessed,
        row.rows_in_scope,
        row.rows_assessed,
        row.sum_level,
        row.rows_meeting,
        row.sum_gap,
        round(row.sum_index, 6),
    )


def published(scope, **filters) -> CapabilityMetric:
    return CapabilityMetric.objects.published().get(scope=scope, **filters)


def skill(lineage: int) -> Skill:
    """The skill of a lineage in the current version (ratings are only taken on the current version)."""
    return Skill.objects.get(lineage=lineage, version=selectors.current_version())


def run_today() -> MetricsRun:
    return metrics.compute(metrics.request_run(by=None))


def test_finest_grain_matches_hand_computed_figures(world):
    run = run_today()
    assert run.status == RunStatus.SUCCEEDED
    scope = MetricScope.ORGANISATION_GRADE_SKILL
    x, y, a, b = world["x"], world["y"], world["a"], world["b"]
    # (in scope, assessed, rows, rows assessed, sum level, meeting, sum gap, sum index)
    assert figures(published(scope, organisation=x, grade="EO", lineage=a)) == (2, 1, 2, 1, 2, 1, 2, 1.0)
    assert figures(published(scope, organisation=x, grade="EO", lineage=b)) == (2, 1, 2, 1, 1, 0, 5, round(1 / 3, 6))
    assert figures(published(scope, organisation=x, grade="HEO", lineage=a)) == (1, 1, 1, 1, 3, 1, 0, 1.0)
    assert figures(published(scope, organisation=y, grade="EO", lineage=b)) == (1, 0, 1, 0, 0, 0, 3, 0.0)
    # Casework staff (whose role expects nothing) and inactive members are in no row.
    assert CapabilityMetric.objects.published().filter(scope=scope).count() == 6


def test_derived_means(world):
    run_today()
    row = published(MetricScope.ORGANISATION_GRADE_SKILL, organisation=world["x"], grade="EO", lineage=world["a"])
    means = (row.coverage, row.mean_level, row.share_at_expected, row.mean_gap, row.capability_index)
    assert means == (0.5, 2.0, 0.5, 1.0, 0.5)


def test_rollups(world):
    run_today()
    a = world["a"]
    org_skill = published(MetricScope.ORGANISATION_SKILL, organisation=world["x"], lineage=a)
    assert figures(org_skill) == (3, 2, 3, 2, 5, 2, 2, 2.0)
    profession_skill = published(MetricScope.PROFESSION_SKILL, organisation=None, lineage=a)
    assert figures(profession_skill) == (4, 3, 4, 3, 6, 2, 3, 2.5)
    org_x = published(MetricScope.ORGANISATION, organisation=world["x"])
    assert figures(org_x) == (3, 2, 6, 4, 9, 3, 7, round(3 + 1 / 3, 6))
    profession = published(MetricScope.PROFESSION, organisation=None)
    assert figures(profession)[:4] == (4, 3, 8, 5)


def organisation_people(organisation) -> tuple[int, int]:
    row = published(MetricScope.ORGANISATION, organisation=organisation)
    return row.members_in_scope, row.members_assessed


def test_members_assessed_follow_ratings_made_after_a_run(world):
    """Today's members assessed come from each member's coverage, kept up to date by the rating services."""
    run_today()
    assert organisation_people(world["x"]) == (3, 2)
    assert organisation_people(world["y"]) == (1, 1)
    services.assessment_record_self(member=world["m2"], skill=skill(world["a"]), level=2)
    services.assessment_record_self(member=world["m6"], skill=skill(world["a"]), level=0)  # m6 had rated 1
    run_today()
    assert organisation_people(world["x"]) == (3, 3)
    assert organisation_people(world["y"]) == (1, 0)


def test_a_change_of_role_or_a_new_version_is_worked_out_again_by_the_job(world, odp_admin):
    run_today()  # the ratings were made on version 1; the run works every active member out again for version 2
    version = selectors.current_version()
    active = MemberCoverage.objects.filter(member__is_active=True)
    assert set(active.values_list("version_id", flat=True)) == {version.pk}
    assert active.count() == Member.objects.filter(is_active=True).count()
    with connection.cursor() as cursor:
        assert coverage.refresh_stale(cursor, version.pk) == 0  # nothing left to redo until something changes

    m4 = world["m4"]  # moves into a role that expects skill A, which they had rated 4
    m4.job_family = JobFamily.CUSTOMER_SERVICE
    m4.role_level = 2
    m4.save()
    run_today()
    assert organisation_people(world["x"]) == (4, 3)

    v3 = services.version_create_draft(framework=version.framework, by=odp_admin, change_notes="Version 3")
    services.version_publish(version=v3, by=odp_admin)
    run_today()
    assert set(active.values_list("version_id", flat=True)) == {v3.pk}
    assert organisation_people(world["x"]) == (4, 3)


def assessed_by_rule(member: Member) -> bool:
    """The definition of coverage, worked out one member at a time in Python."""
    version = selectors.current_version()
    expected = set(
        Expectation.objects.filter(
            profile__version=version, profile__job_family=member.job_family, profile__role_level=member.role_level
        ).values_list("skill__lineage", flat=True)
    )
    return CurrentLevel.objects.filter(member=member, lineage__in=expected, level__gt=0).exists()


def test_every_rating_service_keeps_coverage_equal_to_its_definition(world):
    run_today()
    m1, m3 = world["m1"], world["m3"]
    manager = m1.line_manager
    a, b = skill(world["a"]), skill(world["b"])
    steps = [
        lambda: services.assessment_record_self(member=m1, skill=a, level=0),  # pending: the manager's 2 stands
        lambda: services.assessment_respond(  # the manager agrees: down to 0 on A, B still at 1
            self_assessment=Assessment.objects.filter(member=m1, lineage=a.lineage).latest("pk"),
            by=manager,
            level=0,
            reason="",
        ),
        lambda: services.assessment_record_self(member=m1, skill=b, level=0),  # nothing left above 0
        lambda: services.assessment_record_self(member=m3, skill=b, level=1),  # m3 keeps A at 3
        lambda: services.assessment_record_self(member=world["m2"], skill=b, level=4),
    ]
    for step in steps:
        step()
        for member in Member.objects.filter(is_active=True, job_family=JobFamily.CUSTOMER_SERVICE):
            row = MemberCoverage.objects.filter(member=member, version=selectors.current_version()).first()
            if row is not None:
                assert row.assessed == assessed_by_rule(member), member
    assert not MemberCoverage.objects.get(member=m1).assessed
    run_today()
    assert organisation_people(world["x"]) == (3, 2)  # m1 out, m2 in, m3 still


def test_a_ratings_coverage_refresh_locks_only_the_members_row(world):
    """Member's default ordering joins the user; locking through it would take the user's row too."""
    member = world["m1"]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        coverage.refresh_member(member.pk)
    table = Member._meta.db_table
    locks = [q["sql"] for q in queries if q["sql"].lstrip().startswith("SELECT") and f'FROM "{table}"' in q["sql"]]
    assert len(locks) == 1
    assert "JOIN" not in locks[0] and "ORDER BY" not in locks[0]
    if connection.vendor == "postgresql":
        assert locks[0].rstrip().endswith("FOR NO KEY UPDATE")


def test_a_rerun_replaces_the_snapshot_idempotently(world):
    first = run_today()
    before = sorted(figures(r) for r in CapabilityMetric.objects.published())
    second = run_today()
    assert second.pk != first.pk
    assert PublishedSnapshot.objects.get(snapshot_date=timezone.localdate()).run == second
    assert sorted(figures(r) for r in CapabilityMetric.objects.published()) == before
    assert not CapabilityMetric.objects.filter(run=first).exists()


def test_a_run_that_died_half_way_leaves_the_previous_snapshot_visible(world):
    good = run_today()
    visible = sorted(figures(r) for r in CapabilityMetric.objects.published())

    # A second run was killed after writing part of its rows (as a SIGKILLed worker would leave it).
    crashed = MetricsRun.objects.create(snapshot_date=timezone.localdate(), status=RunStatus.RUNNING, attempts=1)
    CapabilityMetric.objects.create(
        run=crashed,
        snapshot_date=crashed.snapshot_date,
        scope=MetricScope.ORGANISATION_GRADE_SKILL,
        organisation=world["x"],
        grade="EO",
        lineage=world["a"],
        members_in_scope=999,
        members_assessed=0,
        rows_in_scope=999,
        rows_assessed=0,
        sum_level=0,
        rows_meeting=0,
        sum_gap=0,
        sum_index=0,
    )
    assert sorted(figures(r) for r in CapabilityMetric.objects.published()) == visible
    assert PublishedSnapshot.objects.get().run == good

    # Redelivered, the run clears its partial rows and completes once.
    finished = metrics.compute_by_id(crashed.pk)
    assert finished.status == RunStatus.SUCCEEDED
    assert finished.attempts == 2
    assert sorted(figures(r) for r in CapabilityMetric.objects.published()) == visible
    assert not CapabilityMetric.objects.filter(members_in_scope=999).exists()


def test_a_past_date_uses_the_history_as_it_stood(world):
    m6 = world["m6"]
    long_ago = timezone.now() - datetime.timedelta(days=10)
    skill_b = Skill.objects.filter(lineage=world["b"]).order_by("pk").first()
    Assessment.objects.create(
        member=m6,
        skill=skill_b,
        lineage=skill_b.lineage,
        version=skill_b.version,
        level=4,
        rater_kind=RaterKind.SELF,
        rated_by=m6,
        rated_at=long_ago,
    )
    past = timezone.localdate() - datetime.timedelta(days=5)
    run = metrics.compute(metrics.request_run(by=None, snapshot_date=past))
    rows = CapabilityMetric.objects.filter(run=run, scope=MetricScope.ORGANISATION_GRADE_SKILL, organisation=world["y"])
    by_skill = {r.lineage: figures(r) for r in rows}
    assert by_skill[world["b"]] == (1, 1, 1, 1, 4, 1, 0, 1.0)
    assert by_skill[world["a"]] == (1, 0, 1, 0, 0, 0, 2, 0.0)  # m6 rated A only today


def test_without_a_published_framework_the_run_fails_with_a_reason(db):
    run = metrics.request_run(by=None)
    with pytest.raises(ValueError, match="no published skills framework"):
        metrics.compute(run)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "no published" in run.error


def _setting(name: str) -> str | None:
    if connection.vendor != "postgresql":
        return None  # the embedded SQLite has no session settings; the helper must leave it alone
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def test_the_jobs_session_settings_apply_inside_and_are_restored_after_a_run_and_after_an_error(world):
    before = {name: _setting(name) for name in metrics.SESSION_SETTINGS}
    with connection.cursor() as cursor, metrics.session_settings(cursor):
        inside = {name: _setting(name) for name in metrics.SESSION_SETTINGS}
    if connection.vendor == "postgresql":
        assert inside == metrics.SESSION_SETTINGS
    assert {name: _setting(name) for name in metrics.SESSION_SETTINGS} == before

    with pytest.raises(RuntimeError), connection.cursor() as cursor, metrics.session_settings(cursor):
        raise RuntimeError("a statement failed")
    assert {name: _setting(name) for name in metrics.SESSION_SETTINGS} == before

    metrics.compute(metrics.request_run(by=None))
    assert {name: _setting(name) for name in metrics.SESSION_SETTINGS} == before


def test_only_admins_request_runs_and_the_job_runs_inline_without_a_broker(
    world, odp_admin, staff_member, django_capture_on_commit_callbacks
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        metrics.request_and_enqueue(by=staff_member)
    with django_capture_on_commit_callbacks(execute=True):
        run = metrics.request_and_enqueue(by=odp_admin)
    run.refresh_from_db()
    assert (run.status, run.progress, run.requested_by) == (RunStatus.SUCCEEDED, 100, odp_admin)
    assert run.rows == CapabilityMetric.objects.filter(run=run).count() > 0


@pytest.mark.services
def test_the_job_runs_on_a_real_celery_worker_through_redis(
    broker, worker, world, odp_admin, django_capture_on_commit_callbacks
):
    from tests.services import wait_for

    broker.start()
    worker.start()
    with django_capture_on_commit_callbacks(execute=True):
        run = metrics.request_and_enqueue(by=odp_admin)

    def finished() -> bool:
        run.refresh_from_db()
        return run.status in {RunStatus.SUCCEEDED, RunStatus.FAILED}

    wait_for(finished, timeout=90, what=f"the metrics run on the worker; log:\n{worker.output()}")
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert "skills.compute_capability_metrics" in worker.output()
    org_x = published(MetricScope.ORGANISATION, organisation=world["x"])
    assert figures(org_x) == (3, 2, 6, 4, 9, 3, 7, round(3 + 1 / 3, 6))


def test_finest_rows_split_by_job_family_and_sum_to_the_grade_rows(world, odp_admin):
    """A second job family in the same organisation and grade: each family has its own rows, and the organisation
    × grade rows are their sums."""
    framework = Framework.objects.get(slug=selectors.ODP_FRAMEWORK_SLUG)
    v3 = services.version_create_draft(framework=framework, by=odp_admin, change_notes="Managers expected on A")
    skill_a = Skill.objects.get(version=v3, lineage=world["a"])
    managers = RoleProfile.objects.create(version=v3, job_family=JobFamily.OPERATIONAL_MANAGEMENT, role_level=4)
    Expectation.objects.create(profile=managers, skill=skill_a, expected_level=1)
    services.version_publish(version=v3, by=odp_admin)
    MemberFactory(
        organisation=world["x"], grade="EO", job_family=JobFamily.OPERATIONAL_MANAGEMENT, role_level=4
    )  # unassessed

    run_today()
    x, a, b = world["x"], world["a"], world["b"]
    finest = MetricScope.ORGANISATION_GRADE_FAMILY_SKILL
    customer = published(finest, organisation=x, grade="EO", job_family=JobFamily.CUSTOMER_SERVICE, lineage=a)
    assert figures(customer) == (2, 1, 2, 1, 2, 1, 2, 1.0)
    managers_row = published(finest, organisation=x, grade="EO", job_family=JobFamily.OPERATIONAL_MANAGEMENT, lineage=a)
    assert figures(managers_row) == (1, 0, 1, 0, 0, 0, 1, 0.0)
    assert not CapabilityMetric.objects.published().filter(
        scope=finest, job_family=JobFamily.OPERATIONAL_MANAGEMENT, lineage=b
    )
    assert not CapabilityMetric.objects.published().filter(scope=finest, job_family=JobFamily.CASEWORK)
    grade_row = published(MetricScope.ORGANISATION_GRADE_SKILL, organisation=x, grade="EO", lineage=a)
    assert figures(grade_row) == (3, 1, 3, 1, 2, 1, 3, 1.0)
    assert grade_row.job_family == ""
    # Every other scope leaves the job family empty.
    assert not CapabilityMetric.objects.published().exclude(scope=finest).exclude(job_family="")
