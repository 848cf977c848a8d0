"""The skills framework (versioned), role profiles, append-only assessments and learning interventions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from odp.models import JobFamily, Member, RoleLevel
from skills.querysets import AssessmentQuerySet, EnrolmentQuerySet, FrameworkVersionQuerySet


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


class RaterKind(models.TextChoices):
    SELF = "self", "Self-assessment"
    LINE_MANAGER = "line_manager", "Line manager"
    ASSESSOR = "assessor", "Assessor"

    @classmethod
    def trust(cls, kind: str) -> int:
        """Higher is more trusted: a manager's or assessor's rating outranks a self-assessment."""
        return {cls.SELF: 1, cls.LINE_MANAGER: 2, cls.ASSESSOR: 2}[kind]


class Assessment(models.Model):
    """One rating of one member on one skill. Append-only: a new rating is a new row, never an edit."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="assessments")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="assessments")
    lineage = models.PositiveBigIntegerField(db_index=True)
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    rater_kind = models.CharField(max_length=12, choices=RaterKind.choices)
    rated_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="ratings_given")
    rated_at = models.DateTimeField(db_index=True)
    rationale = models.TextField(blank=True, default="")
    # A manager's rating that responds to a self-assessment: confirms it (same level) or adjusts it.
    responds_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="responses")

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-rated_at", "-pk"]
        indexes = [models.Index(fields=["member", "lineage", "-rated_at"], name="assessment_member_lineage")]

    def __str__(self) -> str:
        return f"{self.member} {self.skill.code}={self.level} ({self.rater_kind})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Assessments are append-only: record a new rating instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Assessments are append-only and are never deleted.")


class CurrentLevel(models.Model):
    """Each member's current level on each skill lineage: the latest rating by the most trusted rater.
    Maintained by skills.services on every new rating so pages and metrics never rank history row by row."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="current_levels")
    lineage = models.PositiveBigIntegerField()
    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    rater_kind = models.CharField(max_length=12, choices=RaterKind.choices)
    rated_at = models.DateTimeField()
    # A self-assessment newer than the current rating, waiting for the line manager.
    pending_self_assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "lineage"], name="current_level_unique")]
        indexes = [models.Index(fields=["lineage", "level"])]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.lineage}={self.level}"


class InterventionKind(models.TextChoices):
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    COURSE = "course", "Course"
    LEADERSHIP_PROGRAMME = "leadership_programme", "Leadership programme"
    COACHING = "coaching", "Coaching"
    OTHER = "other", "Other"


class Intervention(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=InterventionKind.choices)
    provider = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    # Target skills by lineage, so an intervention keeps its targets across framework versions.
    target_skills = models.ManyToManyField(Skill, related_name="interventions", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def target_lineages(self) -> set[int]:
        return {skill.lineage for skill in self.target_skills.all()}


class CostCategory(models.TextChoices):
    DELIVERY = "delivery", "Delivery"
    PARTICIPANT_TIME = "participant_time", "Participant time"
    TRAVEL = "travel", "Travel and subsistence"
    OTHER = "other", "Other"


class CostItem(models.Model):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="cost_items")
    category = models.CharField(max_length=20, choices=CostCategory.choices)
    description = models.CharField(max_length=200, blank=True, default="")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    per_participant = models.BooleanField(default=False)

    class Meta:
        ordering = ["intervention", "category"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="cost_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: £{self.amount}"


class Cohort(models.Model):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["intervention", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "name"], name="cohort_name_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.intervention}: {self.name}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Enrolment(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED)
    completed_on = models.DateField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "member"]
        constraints = [models.UniqueConstraint(fields=["cohort", "member"], name="enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.member} in {self.cohort} ({self.status})"
