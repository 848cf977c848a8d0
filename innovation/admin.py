"""Admin for ideas: read-mostly (status changes only through the workflow services), with moderation
actions that go through services.moderate so each hide or restore is audited and resolves its reports."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from innovation import services
from innovation.models import (
    Adoption,
    CaseStudy,
    Comment,
    Commitment,
    Idea,
    IdeaEvent,
    InnovationPlan,
    Report,
    Theme,
)
from odp.access import member_for

MODERATION_NOTE = "Hidden by a moderator from the admin after a report"


def _moderate(request: HttpRequest, queryset: QuerySet, *, hide: bool, kind: str) -> None:
    member = member_for(request.user)
    if member is None:
        messages.error(request, "Your account is not linked to a member, so it cannot moderate.")
        return
    done = 0
    for obj in queryset:
        try:
            services.moderate(
                by=member,
                hide=hide,
                note=MODERATION_NOTE if hide else "Restored by a moderator",
                **{kind: obj},
            )
            done += 1
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, f"{obj}: {error}")
    if done:
        messages.success(request, f"{'Hid' if hide else 'Restored'} {done}.")


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class IdeaEventInline(admin.TabularInline):
    model = IdeaEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "kind", "from_status", "to_status", "note")

    def has_add_permission(self, request: HttpRequest, obj: Idea | None = None) -> bool:
        return False


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "organisation", "status", "decision_due_on", "is_hidden")
    list_filter = ("status", "visibility", "is_hidden", "service_area")
    search_fields = ("reference", "title")
    readonly_fields = [f.name for f in Idea._meta.concrete_fields if f.name != "id"]
    inlines = (IdeaEventInline,)
    actions = ("hide", "restore")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Idea | None = None) -> bool:
        return False

    @admin.action(description="Hide the selected ideas (moderation)")
    def hide(self, request: HttpRequest, queryset: QuerySet[Idea]) -> None:
        _moderate(request, queryset, hide=True, kind="idea")

    @admin.action(description="Restore the selected ideas")
    def restore(self, request: HttpRequest, queryset: QuerySet[Idea]) -> None:
        _moderate(request, queryset, hide=False, kind="idea")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("idea", "author", "created_at", "is_hidden")
    list_filter = ("is_hidden",)
    readonly_fields = ("idea", "author", "body", "created_at", "is_hidden", "hidden_reason")
    actions = ("hide", "restore")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Hide the selected comments (moderation)")
    def hide(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        _moderate(request, queryset, hide=True, kind="comment")

    @admin.action(description="Restore the selected comments")
    def restore(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        _moderate(request, queryset, hide=False, kind="comment")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "reporter", "reason", "created_at", "outcome")
    list_filter = ("outcome",)
    readonly_fields = ("reporter", "idea", "comment", "reason", "created_at", "outcome", "resolved_by", "resolved_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "status", "audience", "published_at")
    list_filter = ("status", "audience")
    readonly_fields = ("idea", "organisation", "written_by", "status", "published_at")


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ("idea", "organisation", "adopted_on", "hours_saved_per_year")
    readonly_fields = ("idea", "organisation", "recorded_by")


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(InnovationPlan)
class InnovationPlanAdmin(admin.ModelAdmin):
    list_display = ("organisation", "year", "updated_by", "updated_at")
    list_filter = ("year",)
    readonly_fields = ("updated_by",)
    inlines = (CommitmentInline,)
