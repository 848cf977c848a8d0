"""The versioned skills framework: versions, proficiency scale, groups, skills, crosswalks, role profiles."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from odp.models import JobFamily, Member, RoleLevel
from skills.querysets import FrameworkVersionQuerySet


class Framework(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> FrameworkVersion | None:
        return self.versions.filter(status=VersionStatus.PUBLISHED).first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class FrameworkVersion(models.Model):
    """A version of a framework. Published versions are immutable; change comes as a new draft."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    change_notes = models.TextField(blank=True, default="")
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_illustrative = models.BooleanField(
        default=False, help_text="Sample content written by the ODP Hub team, not an official framework."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["framework"], condition=Q(status="published"), name="one_published_version_per_framework"
            ),
            models.UniqueConstraint(fields=["framework"], condition=Q(status="draft"), name="one_draft_per_framework"),
        ]

    def __str__(self) -> str:
        return f"{self.framework} v{self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def max_level(self) -> int:
        return max((level.value for level in self.levels.all()), default=0)


class ProficiencyLevel(models.Model):
    """One step of a version's scale. 0 means "not yet assessed" and is not stored."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    description = models.TextField(blank=True, default="")
    is_threshold = models.BooleanField(default=False, help_text="The level that counts as proficient.")

    class Meta:
        ordering = ["version", "value"]
        constraints = [
            models.UniqueConstraint(fields=["version", "value"], name="level_value_unique"),
            models.UniqueConstraint(fields=["version"], condition=Q(is_threshold=True), name="one_threshold_level"),
            models.CheckConstraint(condition=Q(value__gte=1), name="level_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.name}"


class SkillGroup(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="group_code_unique")]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="skills")
    group = models.ForeignKey(SkillGroup, on_delete=models.CASCADE, related_name="skills")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True, default="")
    # {"1": "descriptor", ...}; a level missing or blank is "not defined" for this skill.
    descriptors = models.JSONField(default=dict, blank=True)
    is_digital = models.BooleanField(default=False)
    is_data = models.BooleanField(default=False)
    is_ai = models.BooleanField(default=False)
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text="The skill in an earlier version that this one replaces.",
    )
    # The same skill across versions shares a lineage (the id of its first version), so history carries over.
    lineage = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "group__position", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="skill_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def descriptor(self, level: int) -> str:
        return (self.descriptors or {}).get(str(level), "") or ""

    @property
    def tags(self) -> list[str]:
        return [tag for tag, on in (("digital", self.is_digital), ("data", self.is_data), ("AI", self.is_ai)) if on]


class CrosswalkRelation(models.TextChoices):
    EXACT = "exact", "Exact match"
    BROADER = "broader", "Broader"
    NARROWER = "narrower", "Narrower"
    RELATED = "related", "Related"


class Crosswalk(models.Model):
    """How a skill maps to a skill in an external framework, such as the DDaT capability framework."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="crosswalks")
    scheme = models.CharField(max_length=40, default="DDaT")
    external_code = models.CharField(max_length=60, blank=True, default="")
    external_name = models.CharField(max_length=160)
    external_level = models.CharField(max_length=60, blank=True, default="")
    relation = models.CharField(max_length=10, choices=CrosswalkRelation.choices)

    class Meta:
        ordering = ["skill", "scheme", "external_name"]

    def __str__(self) -> str:
        return f"{self.skill.code} {self.relation} {self.scheme}: {self.external_name}"


class Importance(models.TextChoices):
    CRITICAL = "critical", "Critical"
    CORE = "core", "Core"
    DESIRABLE = "desirable", "Desirable"


class RoleProfile(models.Model):
    """What a job family at a role level is expected to be able to do, in one framework version."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="role_profiles")
    job_family = models.CharField(max_length=40, choices=JobFamily.choices)
    role_level = models.PositiveSmallIntegerField(choices=RoleLevel.choices)
    name = models.CharField(max_length=160, blank=True, default="")

    class Meta:
        ordering = ["version", "job_family", "role_level"]
        constraints = [
            models.UniqueConstraint(fields=["version", "job_family", "role_level"], name="role_profile_unique")
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_job_family_display()}: {self.get_role_level_display()}"


class Expectation(models.Model):
    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="expectations")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="expectations")
    expected_level = models.PositiveSmallIntegerField()
    importance = models.CharField(max_length=10, choices=Importance.choices, default=Importance.CORE)

    class Meta:
        ordering = ["profile", "skill"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="expectation_unique"),
            models.CheckConstraint(condition=Q(expected_level__gte=1), name="expectation_level_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.skill.code} at {self.expected_level}"
