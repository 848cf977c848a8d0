"""Skills services: versions, immutability, supersession and the current-level rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from odp.models import JobFamily, Role
from skills import selectors, services
from skills.models import (
    Assessment,
    CurrentLevel,
    Expectation,
    Framework,
    FrameworkVersion,
    Intervention,
    RaterKind,
    RoleProfile,
    Skill,
    VersionStatus,
)
from tests.factories import MemberFactory, grant


@pytest.fixture
def framework(db) -> Framework:
    return Framework.objects.create(name="ODP skills framework", slug=selectors.ODP_FRAMEWORK_SLUG)


@pytest.fixture
def published(framework, odp_admin):
    """Version 1: two skills, one role profile for customer service practitioners, published."""
    version = services.version_create_draft(framework=framework, by=odp_admin, change_notes="First version")
    group = version.groups.create(code="CS", name="Customer service", position=1)
    descriptors = {"1": "Knows it", "2": "Does it", "3": "Coaches it", "4": "Leads it"}
    listening = Skill.objects.create(
        version=version, group=group, code="CS1", name="Listening", descriptors=descriptors
    )
    triage = Skill.objects.create(
        version=version, group=group, code="CS2", name="Triage", descriptors={**descriptors, "4": ""}
    )
    services.assign_lineages(version)
    profile = RoleProfile.objects.create(version=version, job_family=JobFamily.CUSTOMER_SERVICE, role_level=2)
    Expectation.objects.create(profile=profile, skill=listening, expected_level=3, importance="critical")
    Expectation.objects.create(profile=profile, skill=triage, expected_level=2, importance="core")
    return services.version_publish(version=version, by=odp_admin)


@pytest.fixture
def manager(passport_office):
    return MemberFactory(organisation=passport_office, grade="HEO")


@pytest.fixture
def report(passport_office, manager):
    return MemberFactory(organisation=passport_office, line_manager=manager, job_family=JobFamily.CUSTOMER_SERVICE)


def skill(version, code) -> Skill:
    return version.skills.get(code=code)


def test_only_admins_change_the_framework(framework, staff_member):
    with pytest.raises(PermissionDenied):
        services.version_create_draft(framework=framework, by=staff_member)


def test_a_new_draft_copies_the_current_version_and_carries_lineage(published, odp_admin, framework):
    draft = services.version_create_draft(framework=framework, by=odp_admin, change_notes="Add AI skills")
    assert draft.number == 2
    assert draft.status == VersionStatus.DRAFT
    old, new = skill(published, "CS1"), skill(draft, "CS1")
    assert new.pk != old.pk
    assert new.supersedes == old
    assert new.lineage == old.lineage
    assert draft.levels.count() == 4
    assert Expectation.objects.filter(profile__version=draft).count() == 2


def test_only_one_draft_at_a_time(published, odp_admin, framework):
    services.version_create_draft(framework=framework, by=odp_admin)
    with pytest.raises(ValidationError, match="already has a draft"):
        services.version_create_draft(framework=framework, by=odp_admin)


def test_published_versions_are_immutable(published, odp_admin):
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.ensure_editable(published)
    with pytest.raises(ValidationError):
        services.version_publish(version=published, by=odp_admin)
    with pytest.raises(ValidationError):
        services.version_delete_draft(version=published, by=odp_admin)


def test_publishing_retires_the_previous_version_and_is_audited(published, odp_admin, framework):
    from odp.models import AuditEvent

    draft = services.version_create_draft(framework=framework, by=odp_admin)
    services.version_publish(version=draft, by=odp_admin, note="Adds AI skills")
    published.refresh_from_db()
    assert published.status == VersionStatus.RETIRED
    assert framework.current_version() == draft
    transitions = AuditEvent.objects.filter(action="transition", object_type="skills.frameworkversion")
    assert {tuple(e.changes["status"]) for e in transitions} >= {("draft", "published"), ("published", "retired")}


def test_the_current_version_is_the_published_one_with_its_framework(
    published, odp_admin, framework, django_assert_num_queries
):
    other = Framework.objects.create(name="Another framework", slug="another")
    assert selectors.current_version("another") is None and selectors.current_version_id("another") is None
    with django_assert_num_queries(1):
        current = selectors.current_version()
        assert (current.framework.name, current.framework.slug) == ("ODP skills framework", framework.slug)
    orm = FrameworkVersion.objects.get(pk=published.pk)
    fields = [f.attname for f in FrameworkVersion._meta.concrete_fields]
    assert [getattr(current, f) for f in fields] == [getattr(orm, f) for f in fields]  # datetimes aware, as the ORM's
    assert selectors.current_version_id() == published.pk

    draft = services.version_create_draft(framework=framework, by=odp_admin)
    assert selectors.current_version() == published  # a draft is not current
    services.version_publish(version=draft, by=odp_admin)
    assert selectors.current_version() == draft and selectors.current_version_id() == draft.pk
    assert other.versions.count() == 0


def test_an_incomplete_draft_cannot_be_published(framework, odp_admin):
    draft = services.version_create_draft(framework=framework, by=odp_admin)
    with pytest.raises(ValidationError, match="no skills"):
        services.version_publish(version=draft, by=odp_admin)


def test_self_assessment_counts_until_the_manager_responds(published, report, manager):
    listening = skill(published, "CS1")
    rating = services.assessment_record_self(member=report, skill=listening, level=2, rationale="I handle calls")
    current = CurrentLevel.objects.get(member=report, lineage=listening.lineage)
    assert (current.level, current.rater_kind, current.pending_self_assessment) == (2, RaterKind.SELF, rating)
    assert list(selectors.pending_confirmations(manager)) == [current]

    services.assessment_respond(self_assessment=rating, by=manager)
    current.refresh_from_db()
    assert (current.level, current.rater_kind, current.pending_self_assessment) == (2, RaterKind.LINE_MANAGER, None)
    assert list(selectors.pending_confirmations(manager)) == []


def test_a_later_self_assessment_does_not_override_the_managers_rating(published, report, manager):
    listening = skill(published, "CS1")
    first = services.assessment_record_self(member=report, skill=listening, level=2)
    services.assessment_respond(self_assessment=first, by=manager, level=1, reason="Needs more practice on calls")
    later = services.assessment_record_self(member=report, skill=listening, level=3)

    current = CurrentLevel.objects.get(member=report, lineage=listening.lineage)
    assert (current.level, current.rater_kind) == (1, RaterKind.LINE_MANAGER)
    assert current.pending_self_assessment == later
    standing = next(s for s in selectors.my_skills(report).standings if s.skill == listening)
    assert (standing.current_level, standing.pending_level, standing.gap) == (1, 3, 2)


def test_adjusting_needs_a_reason_and_only_the_line_manager_may_respond(published, report, manager, head_of_profession):
    rating = services.assessment_record_self(member=report, skill=skill(published, "CS1"), level=3)
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_respond(self_assessment=rating, by=manager, level=2)
    assert "reason" in excinfo.value.message_dict
    with pytest.raises(PermissionDenied):
        services.assessment_respond(self_assessment=rating, by=head_of_profession)
    assert Assessment.objects.filter(rater_kind=RaterKind.LINE_MANAGER).count() == 0


@pytest.mark.parametrize("level", [5, 99])
def test_out_of_range_levels_are_refused(published, report, level):
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_record_self(member=report, skill=skill(published, "CS1"), level=level)
    assert "level" in excinfo.value.message_dict
    assert not Assessment.objects.exists()


def test_an_undefined_level_is_refused(published, report):
    with pytest.raises(ValidationError, match="not defined"):
        services.assessment_record_self(member=report, skill=skill(published, "CS2"), level=4)


def test_skills_outside_the_current_version_cannot_be_assessed(published, report, odp_admin, framework):
    draft = services.version_create_draft(framework=framework, by=odp_admin)
    with pytest.raises(ValidationError, match="current version"):
        services.assessment_record_self(member=report, skill=skill(draft, "CS1"), level=2)
    services.version_publish(version=draft, by=odp_admin)
    with pytest.raises(ValidationError, match="current version"):
        services.assessment_record_self(member=report, skill=skill(published, "CS1"), level=2)


def test_history_carries_over_to_a_new_version(published, report, manager, odp_admin, framework):
    old = skill(published, "CS1")
    rating = services.assessment_record_self(member=report, skill=old, level=3)
    services.assessment_respond(self_assessment=rating, by=manager)
    draft = services.version_create_draft(framework=framework, by=odp_admin)
    services.version_publish(version=draft, by=odp_admin)

    new = skill(draft, "CS1")
    standing = next(s for s in selectors.my_skills(report).standings if s.skill == new)
    assert standing.current_level == 3
    assert [a.level for a in selectors.skill_history(report, new)] == [3, 3]


def test_assessments_are_append_only(published, report):
    rating = services.assessment_record_self(member=report, skill=skill(published, "CS1"), level=2)
    rating.level = 4
    with pytest.raises(ValueError, match="append-only"):
        rating.save()
    with pytest.raises(ValueError, match="append-only"):
        rating.delete()


def test_my_skills_shows_gaps_and_interventions_that_target_them(published, report):
    listening = skill(published, "CS1")
    course = Intervention.objects.create(
        name="Active listening course", kind="course", provider="Civil Service College"
    )
    course.target_skills.add(listening)
    Intervention.objects.create(name="Unrelated programme", kind="course", provider="Elsewhere")

    mine = selectors.my_skills(report)
    assert mine.profile is not None
    assert [(s.skill.code, s.expected_level, s.current_level, s.gap) for s in mine.standings] == [
        ("CS1", 3, 0, 3),
        ("CS2", 2, 0, 2),
    ]
    assert mine.suggested_interventions == [course]

    services.assessment_record_self(member=report, skill=skill(published, "CS2"), level=2)
    assert selectors.my_skills(report).met_count == 1


def test_suggested_learning_names_the_gaps_it_builds_in_the_current_version(published, report, odp_admin, framework):
    old_listening = skill(published, "CS1")
    both = Intervention.objects.create(name="Casework basics", kind="course", provider="CSL")
    both.target_skills.add(old_listening, skill(published, "CS2"))
    met = Intervention.objects.create(name="Advanced triage", kind="coaching", provider="CSL")
    met.target_skills.add(skill(published, "CS2"))
    draft = services.version_create_draft(framework=framework, by=odp_admin)
    draft.skills.filter(code="CS1").update(name="Listening to customers")
    current = services.version_publish(version=draft, by=odp_admin)
    services.assessment_record_self(member=report, skill=skill(current, "CS2"), level=2)  # CS2 met
    listening_now = skill(current, "CS1")
    later = Intervention.objects.create(name="Active listening", kind="course", provider="CSL")
    later.target_skills.add(listening_now)

    suggested = selectors.my_skills(report).suggested_interventions

    # Targets the old version's CS1 by lineage, named as now; the met CS2 is not a gap; ordered by name.
    assert [(i.name, i.builds) for i in suggested] == [
        ("Active listening", ["Listening to customers"]),
        ("Casework basics", ["Listening to customers"]),
    ]
    assert suggested[0].get_kind_display() == "Course"


def test_the_report_is_told_the_outcome(published, report, manager):
    from odp.models import Notification

    rating = services.assessment_record_self(member=report, skill=skill(published, "CS1"), level=3)
    services.assessment_respond(self_assessment=rating, by=manager, level=2, reason="Not yet leading others")
    note = Notification.objects.get(recipient=report)
    assert "adjusted" in note.subject
    assert "Not yet leading others" in note.body


def test_a_head_of_profession_is_not_a_line_manager(published, report, head_of_profession):
    grant(head_of_profession, Role.HEAD_OF_PROFESSION, report.organisation)
    rating = services.assessment_record_self(member=report, skill=skill(published, "CS1"), level=1)
    with pytest.raises(PermissionDenied):
        services.assessment_respond(self_assessment=rating, by=head_of_profession)


def test_a_self_assessment_is_answered_once_and_only_while_it_is_the_latest(published, report, manager):
    listening = skill(published, "CS1")
    first = services.assessment_record_self(member=report, skill=listening, level=2)
    services.assessment_record_self(member=report, skill=listening, level=3)
    with pytest.raises(ValidationError, match="replaced by a newer one"):
        services.assessment_respond(self_assessment=first, by=manager)

    latest = Assessment.objects.filter(member=report, rater_kind=RaterKind.SELF).order_by("-rated_at", "-pk").first()
    services.assessment_respond(self_assessment=latest, by=manager)
    with pytest.raises(ValidationError, match="already been answered"):
        services.assessment_respond(self_assessment=latest, by=manager, level=1, reason="Second thoughts")
    assert Assessment.objects.filter(rater_kind=RaterKind.LINE_MANAGER).count() == 1
