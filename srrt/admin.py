"""Admin for the SRRT: read-only wherever the audit trail matters (requests, decisions, assignments,
deployments, close-outs, appraisals change only through the services, which audit them). Calendar peaks and
the roster may be corrected here; those saves are audited like any other by odp.audit."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from srrt.models import (
    Appraisal,
    Assignment,
    CalendarPeak,
    CloseOut,
    Deployment,
    EndingSoonReminder,
    Extension,
    LastResortAnswer,
    Recommendation,
    Responder,
    SurgeRequest,
    TriageDecision,
    UnavailablePeriod,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse and search only: the services are the one way to change these records."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LastResortInline(ReadOnlyInline):
    model = LastResortAnswer


class DecisionInline(ReadOnlyInline):
    model = TriageDecision
    fields = ["outcome", "reason", "last_resort_justification", "foreseeability", "decided_by", "decided_at"]


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ["responder", "role", "start_date", "end_date", "assigned_by"]


@admin.register(SurgeRequest)
class SurgeRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "organisation", "demand_type", "status", "foreseeability", "start_date"]
    list_filter = ["status", "demand_type", "foreseeability", "agreement"]
    search_fields = ["reference", "title", "organisation__name"]
    list_select_related = ["organisation"]
    date_hierarchy = "submitted_at"
    inlines = [LastResortInline, DecisionInline, AssignmentInline]


@admin.register(TriageDecision)
class TriageDecisionAdmin(ReadOnlyAdmin):
    list_display = ["request", "outcome", "foreseeability", "decided_by", "decided_at"]
    list_filter = ["outcome", "foreseeability"]
    list_select_related = ["request", "decided_by__user"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["request", "responder", "role", "start_date", "end_date"]
    search_fields = ["request__reference", "responder__member__user__last_name"]
    list_select_related = ["request", "responder__member__user"]


@admin.register(Deployment)
class DeploymentAdmin(ReadOnlyAdmin):
    list_display = ["request", "actual_start_date", "actual_end_date", "responder_days", "hours", "cost"]
    list_select_related = ["request"]
    date_hierarchy = "actual_start_date"


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = ["request", "previous_end_date", "new_end_date", "extended_by", "extended_at"]


@admin.register(CloseOut)
class CloseOutAdmin(ReadOnlyAdmin):
    list_display = ["request", "volumes_cleared", "objectives_met", "recorded_by", "recorded_at"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["request", "owner", "due_on", "done_on"]
    list_filter = ["done_on"]


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyAdmin):
    list_display = ["request", "side", "score", "given_by", "given_at"]
    list_filter = ["side", "score"]


@admin.register(EndingSoonReminder)
class EndingSoonReminderAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "sent_on", "recipients"]


class UnavailableInline(admin.TabularInline):
    model = UnavailablePeriod
    extra = 0


@admin.register(Responder)
class ResponderAdmin(admin.ModelAdmin):
    list_display = ["member", "clearance_level", "clearance_expires_on", "home_region", "is_active"]
    list_filter = ["clearance_level", "home_region", "is_active", "international_available"]
    search_fields = ["member__user__last_name", "member__user__first_name"]
    list_select_related = ["member__user"]
    raw_id_fields = ["member"]
    inlines = [UnavailableInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # assignments point at responders: deactivate instead


@admin.register(CalendarPeak)
class CalendarPeakAdmin(admin.ModelAdmin):
    list_display = ["name", "start_month", "start_day", "end_month", "end_day", "demand_type", "is_active"]
    list_filter = ["is_active", "demand_type"]
