"""Every write to the skills records. Keyword-only, typed, atomic, audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from odp import access, audit
from odp.models import AuditEvent, Member
from skills import coverage, selectors
from skills.models import (
    Assessment,
    Crosswalk,
    CurrentLevel,
    Expectation,
    Framework,
    FrameworkVersion,
    ProficiencyLevel,
    RaterKind,
    RoleProfile,
    Skill,
    SkillGroup,
    VersionStatus,
)

DEFAULT_SCALE = [
    (1, "Awareness", "Knows what the skill is and why it matters; can follow guidance with support."),
    (2, "Working", "Applies the skill in routine situations with little support."),
    (3, "Practitioner", "Applies the skill in complex situations and helps others to develop it."),
    (4, "Expert", "Leads practice in the skill across teams or organisations; shapes how it is done."),
]
DEFAULT_THRESHOLD = 2


def _require_admin(by: Member) -> None:
    if not access.can(by, "skills.manage_framework"):
        raise PermissionDenied("Only ODP admins can change the skills framework.")


def ensure_editable(version: FrameworkVersion) -> None:
    if not version.is_editable:
        raise ValidationError(
            f"Version {version.number} is {version.get_status_display().lower()} and cannot be changed. "
            "Create a new draft to make changes."
        )


def _transition(version: FrameworkVersion, to: str, *, by: Member | None, note: str = "") -> None:
    before = version.status
    version.status = to
    audit.record(
        action=AuditEvent.Action.TRANSITION,
        obj=version,
        changes={"status": [before, to]},
        note=note,
        actor=by.user if by else None,
    )


DRAFT_EXISTS = "This framework already has a draft. Publish or delete it first."


def lock_for_new_draft(framework: Framework) -> FrameworkVersion | None:
    """Lock the framework row so two drafts cannot be started at once; return its current version.
    Call inside a transaction."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.versions.filter(status=VersionStatus.DRAFT).exists():
        raise ValidationError(DRAFT_EXISTS)
    return framework.current_version()


def create_draft_row(
    *, framework: Framework, by: Member, based_on: FrameworkVersion | None, change_notes: str, is_illustrative: bool
) -> FrameworkVersion:
    """The empty draft version, numbered after the framework's last one (after ``lock_for_new_draft``)."""
    last = framework.versions.order_by("-number").first()
    return FrameworkVersion.objects.create(
        framework=framework,
        number=(last.number + 1) if last else 1,
        change_notes=change_notes,
        based_on=based_on,
        is_illustrative=is_illustrative,
        created_by=by,
    )


@transaction.atomic
def version_create_draft(*, framework: Framework, by: Member, change_notes: str = "") -> FrameworkVersion:
    """A new draft: a copy of the current published version (or an empty one with the default scale).
    Each copied skill supersedes its original and keeps its lineage, so ratings carry over."""
    _require_admin(by)
    source = lock_for_new_draft(framework)
    draft = create_draft_row(
        framework=framework,
        by=by,
        based_on=source,
        change_notes=change_notes,
        is_illustrative=source.is_illustrative if source else False,
    )
    if source is None:
        ProficiencyLevel.objects.bulk_create(
            ProficiencyLevel(version=draft, value=v, name=n, description=d, is_threshold=v == DEFAULT_THRESHOLD)
            for v, n, d in DEFAULT_SCALE
        )
        return draft
    copy_version_contents(source=source, target=draft)
    return draft


def copy_version_contents(*, source: FrameworkVersion, target: FrameworkVersion) -> None:
    ProficiencyLevel.objects.bulk_create(
        ProficiencyLevel(
            version=target, value=lv.value, name=lv.name, description=lv.description, is_threshold=lv.is_threshold
        )
        for lv in source.levels.all()
    )
    groups = {
        g.pk: SkillGroup.objects.create(version=target, code=g.code, name=g.name, position=g.position)
        for g in source.groups.all()
    }
    skills: dict[int, Skill] = {}
    for s in source.skills.all():
        skills[s.pk] = Skill.objects.create(
            version=target,
            group=groups[s.group_id],
            code=s.code,
            name=s.name,
            description=s.description,
            descriptors=s.descriptors,
            is_digital=s.is_digital,
            is_data=s.is_data,
            is_ai=s.is_ai,
            supersedes=s,
            lineage=s.lineage,
            position=s.position,
        )
    Crosswalk.objects.bulk_create(
        Crosswalk(
            skill=skills[c.skill_id],
            scheme=c.scheme,
            external_code=c.external_code,
            external_name=c.external_name,
            external_level=c.external_level,
            relation=c.relation,
        )
        for c in Crosswalk.objects.filter(skill__version=source)
    )
    for profile in source.role_profiles.prefetch_related("expectations"):
        new_profile = RoleProfile.objects.create(
            version=target, job_family=profile.job_family, role_level=profile.role_level, name=profile.name
        )
        Expectation.objects.bulk_create(
            Expectation(
                profile=new_profile,
                skill=skills[e.skill_id],
                expected_level=e.expected_level,
                importance=e.importance,
            )
            for e in profile.expectations.all()
        )


def validate_publishable(version: FrameworkVersion) -> list[str]:
    problems = []
    levels = list(version.levels.all())
    if not levels:
        problems.append("The version has no proficiency levels.")
    elif sum(1 for lv in levels if lv.is_threshold) != 1:
        problems.append("Exactly one proficiency level must be marked as the threshold.")
    if not version.skills.exists():
        problems.append("The version has no skills.")
    max_level = max((lv.value for lv in levels), default=0)
    too_high = Expectation.objects.filter(profile__version=version, expected_level__gt=max_level).count()
    if too_high:
        problems.append(f"{too_high} role profile expectation(s) are above the top level ({max_level}).")
    return problems


@transaction.atomic
def version_publish(*, version: FrameworkVersion, by: Member, note: str = "") -> FrameworkVersion:
    """Publish a draft: it becomes the current version, and the previous current version retires."""
    _require_admin(by)
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    ensure_editable(version)
    problems = validate_publishable(version)
    if problems:
        raise ValidationError(problems)
    assign_lineages(version)
    now = timezone.now()
    previous = (
        FrameworkVersion.objects.select_for_update()
        .filter(framework_id=version.framework_id, status=VersionStatus.PUBLISHED)
        .first()
    )
    if previous is not None:
        _transition(previous, VersionStatus.RETIRED, by=by, note=f"Replaced by version {version.number}")
        previous.retired_at = now
        previous.save(update_fields=["status", "retired_at"])
    _transition(version, VersionStatus.PUBLISHED, by=by, note=note)
    version.published_at = now
    version.save(update_fields=["status", "published_at"])
    return version


@transaction.atomic
def version_delete_draft(*, version: FrameworkVersion, by: Member) -> None:
    _require_admin(by)
    ensure_editable(version)
    audit.record(action=AuditEvent.Action.DELETE, obj=version, actor=by.user, note="Draft deleted")
    Expectation.objects.filter(profile__version=version).delete()
    RoleProfile.objects.filter(version=version).delete()
    Crosswalk.objects.filter(skill__version=version).delete()
    version.skills.all().delete()
    version.groups.all().delete()
    version.levels.all().delete()
    version.delete()


def assign_lineages(version: FrameworkVersion) -> None:
    """New skills start their own lineage; skills that supersede an earlier one inherit its lineage."""
    for skill in version.skills.filter(lineage__isnull=True).select_related("supersedes"):
        skill.lineage = skill.supersedes.lineage if skill.supersedes_id else skill.pk
        skill.save(update_fields=["lineage"])


# Assessments -------------------------------------------------------------------------------------------


def _validate_rating(*, skill: Skill, level: int) -> None:
    # The version's status read afresh: a cached instance may predate a publish or retirement. Its levels come
    # from the structure each process keeps, since a published version's never change.
    version = FrameworkVersion.objects.only("status", "published_at").get(pk=skill.version_id)
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError({"skill": "You can only assess skills in the current version of the framework."})
    valid = {lv.value for lv in selectors.structure(version).levels}
    if level != 0 and level not in valid:
        raise ValidationError({"level": f"Choose a level from 0 to {max(valid, default=0)}."})
    if level != 0 and not skill.descriptor(level):
        raise ValidationError({"level": f"Level {level} is not defined for {skill.name}."})


def _refresh_current_level(assessment: Assessment) -> None:
    """Apply the current-level rule for one member and skill: the latest rating by the most trusted rater.
    A self-assessment after a manager's rating waits as pending until the manager responds."""
    current = (
        CurrentLevel.objects.select_for_update()
        .filter(member_id=assessment.member_id, lineage=assessment.lineage)
        .first()
    )
    new_trust = RaterKind.trust(assessment.rater_kind)
    if current is None:
        CurrentLevel.objects.create(
            member_id=assessment.member_id,
            lineage=assessment.lineage,
            assessment=assessment,
            level=assessment.level,
            rater_kind=assessment.rater_kind,
            rated_at=assessment.rated_at,
            pending_self_assessment=assessment if assessment.rater_kind == RaterKind.SELF else None,
        )
        coverage.refresh_member(assessment.member_id)
        return
    level_before = current.level
    if new_trust >= RaterKind.trust(current.rater_kind):
        current.assessment = assessment
        current.level = assessment.level
        current.rater_kind = assessment.rater_kind
        current.rated_at = assessment.rated_at
    if assessment.rater_kind == RaterKind.SELF:
        current.pending_self_assessment = assessment
    else:
        current.pending_self_assessment = None
    current.save()
    if current.level != level_before:
        coverage.refresh_member(assessment.member_id)


def _record_rating(
    *, member: Member, skill: Skill, level: int, kind: str, by: Member, why: str, responds_to: Assessment | None = None
) -> Assessment:
    return Assessment.objects.create(
        member=member,
        skill=skill,
        lineage=skill.lineage,
        version_id=skill.version_id,
        level=level,
        rater_kind=kind,
        rated_by=by,
        rated_at=timezone.now(),
        rationale=why.strip(),
        responds_to=responds_to,
    )


@transaction.atomic
def assessment_record_self(*, member: Member, skill: Skill, level: int, rationale: str = "") -> Assessment:
    """A member rates themself. It counts as their level until a line manager or assessor rates them."""
    _validate_rating(skill=skill, level=level)
    assessment = _record_rating(member=member, skill=skill, level=level, kind=RaterKind.SELF, by=member, why=rationale)
    audit.record(action=AuditEvent.Action.CREATE, obj=assessment, actor=member.user, changes={"level": [None, level]})
    _refresh_current_level(assessment)
    return assessment


@transaction.atomic
def assessment_respond(
    *, self_assessment: Assessment, by: Member, level: int | None = None, reason: str = ""
) -> Assessment:
    """A line manager confirms a report's self-assessment, or adjusts it with a reason. Only the self-assessment
    that is waiting (the member's latest, not yet answered) can be answered."""
    if self_assessment.rater_kind != RaterKind.SELF:
        raise ValidationError("Only self-assessments can be confirmed or adjusted.")
    report = self_assessment.member
    if report.line_manager_id != by.pk:
        raise PermissionDenied("You can only confirm assessments of people who report to you.")
    waiting = CurrentLevel.objects.select_for_update().filter(
        member_id=report.pk, lineage=self_assessment.lineage, pending_self_assessment=self_assessment
    )
    if not waiting.exists():
        raise ValidationError("This self-assessment has already been answered or replaced by a newer one.")
    level = self_assessment.level if level is None else level
    if level != self_assessment.level and not reason.strip():
        raise ValidationError({"reason": "Give a reason for changing the level."})
    skill = self_assessment.skill
    _validate_rating(skill=skill, level=level)
    response = _record_rating(
        member=report,
        skill=skill,
        level=level,
        kind=RaterKind.LINE_MANAGER,
        by=by,
        why=reason,
        responds_to=self_assessment,
    )
    outcome = "confirmed" if level == self_assessment.level else "adjusted"
    audit.record(
        action=AuditEvent.Action.CREATE,
        obj=response,
        actor=by.user,
        changes={"level": [self_assessment.level, level]},
        note=f"Self-assessment {outcome}",
    )
    _refresh_current_level(response)
    from odp.notifications import notify

    notify(
        recipient=report,
        subject=f"Your line manager {outcome} your {skill.name} assessment",
        body=(
            f"{by.full_name} {outcome} your self-assessment of {skill.name} at level {level}."
            + (f"\n\nReason: {reason.strip()}" if reason.strip() else "")
        ),
        link="/skills/",
    )
    return response
