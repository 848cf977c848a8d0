from django.contrib import admin

from skills.models import (
    Assessment,
    Cohort,
    CostItem,
    Crosswalk,
    Enrolment,
    Expectation,
    Framework,
    FrameworkVersion,
    Intervention,
    ProficiencyLevel,
    RoleProfile,
    Skill,
    SkillGroup,
    VersionStatus,
)


class NoDeleteAdmin(admin.ModelAdmin):
    """The framework's structure is referenced by every rating ever made (millions at full scale): the admin's
    delete page would gather them all to list what goes with it. A draft version is deleted on its own page."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Framework)
class FrameworkAdmin(NoDeleteAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


def _draft(obj: object) -> bool:
    """Whether ``obj`` (a version, a row of one, or None on an add page) may change."""
    version = obj if isinstance(obj, FrameworkVersion) else getattr(obj, "version", None)
    return version is None or version.is_editable


class PublishedReadOnly:
    """A published or retired version's structure never changes (the skills pages keep it in memory in each
    process); change comes as a new draft. New rows can only go into a draft."""

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and _draft(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = FrameworkVersion.objects.filter(status=VersionStatus.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PublishedReadOnlyInline(PublishedReadOnly):
    """For an inline, ``obj`` is the parent: a version, or a role profile."""

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and _draft(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and _draft(obj)


class ProficiencyLevelInline(PublishedReadOnlyInline, admin.TabularInline):
    model = ProficiencyLevel
    extra = 0


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(NoDeleteAdmin):
    list_display = ("framework", "number", "status", "published_at", "is_illustrative")
    list_filter = ("framework", "status")
    readonly_fields = ("status", "published_at", "retired_at", "created_at", "created_by", "based_on")
    inlines = (ProficiencyLevelInline,)


@admin.register(SkillGroup)
class SkillGroupAdmin(PublishedReadOnly, NoDeleteAdmin):
    list_display = ("code", "name", "version", "position")
    list_filter = ("version",)


class CrosswalkInline(admin.TabularInline):
    model = Crosswalk
    extra = 0


@admin.register(Skill)
class SkillAdmin(PublishedReadOnly, NoDeleteAdmin):
    list_display = ("code", "name", "group", "version", "is_digital", "is_data", "is_ai", "lineage")
    list_filter = ("version", "is_digital", "is_data", "is_ai")
    search_fields = ("code", "name")
    raw_id_fields = ("supersedes",)
    inlines = (CrosswalkInline,)


class ExpectationInline(PublishedReadOnlyInline, admin.TabularInline):
    model = Expectation
    extra = 0
    raw_id_fields = ("skill",)


@admin.register(RoleProfile)
class RoleProfileAdmin(PublishedReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "version", "job_family", "role_level")
    list_filter = ("version", "job_family", "role_level")
    inlines = (ExpectationInline,)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Append-only: shown, never changed here."""

    list_display = ("member", "skill", "level", "rater_kind", "rated_by", "rated_at")
    list_filter = ("rater_kind", "version")
    raw_id_fields = ("member", "skill", "rated_by", "responds_to")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CostItemInline(admin.TabularInline):
    model = CostItem
    extra = 0


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "provider")
    list_filter = ("kind",)
    filter_horizontal = ("target_skills",)
    inlines = (CostItemInline, CohortInline)


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("member", "cohort", "status", "completed_on")
    list_filter = ("status", "cohort__intervention")
    raw_id_fields = ("member", "cohort")
