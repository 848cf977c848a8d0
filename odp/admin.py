"""Django admin for the core records. The audit trail is read-only here as everywhere."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from odp.models import AuditEvent, Member, Notification, Organisation, OutboxMessage, RoleAssignment, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Single sign-on", {"fields": ("oidc_issuer", "oidc_subject")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("name",)}


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "grade", "job_family", "role_level", "region", "is_active")
    list_filter = ("grade", "job_family", "region", "is_active", "organisation__kind")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    autocomplete_fields = ("organisation", "line_manager")
    raw_id_fields = ("user",)
    inlines = (RoleAssignmentInline,)
    list_select_related = ("user", "organisation")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "object_repr", "actor__username", "note")
    date_hierarchy = "at"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("pk", "task_name", "queue", "status", "attempts", "created_at", "sent_at", "completed_at")
    list_filter = ("status", "queue", "task_name")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("subject", "recipient", "created_at", "emailed_at", "read_at")
