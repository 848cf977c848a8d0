"""Representations of surge requests, the roster and the usage analysis. Shapes are checked here; meaning
(who may, which states, last resort, eligibility) by the services, whose errors come back field by field."""

from __future__ import annotations

from rest_framework import serializers

from odp.api.serializers import OrganisationSummarySerializer
from odp.models import Organisation
from skills.models import Skill
from srrt.models import (
    TEXT_MAX,
    Assignment,
    LastResortAnswer,
    LastResortOption,
    LastResortOutcome,
    Responder,
    SurgeRequest,
    TriageDecision,
    TriageOutcome,
)
from srrt.services import ANSWER_FIELDS


class LastResortSerializer(serializers.ModelSerializer):
    class Meta:
        model = LastResortAnswer
        fields = ["option", "outcome", "why_not_enough"]
        read_only_fields = fields


class TriageDecisionSerializer(serializers.ModelSerializer):
    decided_by_name = serializers.CharField(source="decided_by.full_name", read_only=True)

    class Meta:
        model = TriageDecision
        fields = [
            "outcome",
            "reason",
            "last_resort_justification",
            "foreseeability",
            "foreseeability_reasons",
            "decided_by_name",
            "decided_at",
        ]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    responder_name = serializers.CharField(source="responder.member.full_name", read_only=True)
    request_reference = serializers.CharField(source="request.reference", read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = ["id", "request", "request_reference", "responder", "responder_name", "role", "start_date", "end_date"]
        read_only_fields = fields


class SurgeRequestSerializer(serializers.ModelSerializer):
    organisation = OrganisationSummarySerializer(read_only=True)
    requester_name = serializers.CharField(source="requester.full_name", read_only=True)
    skills_needed = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    last_resort_answers = LastResortSerializer(many=True, read_only=True)
    decisions = TriageDecisionSerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = SurgeRequest
        fields = [
            "id",
            "reference",
            "organisation",
            "requester_name",
            *ANSWER_FIELDS,
            "skills_needed",
            "status",
            "agreement",
            "foreseeability",
            "foreseeability_reasons",
            "created_at",
            "submitted_at",
            "decided_at",
            "closed_at",
            "last_resort_answers",
            "decisions",
            "assignments",
        ]
        read_only_fields = fields


class LastResortInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=LastResortOutcome.choices)
    why_not_enough = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class RequestAnswersSerializer(serializers.ModelSerializer):
    """Any subset of the answers; ``organisation`` is needed when creating. Completeness is checked on submit."""

    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False)
    skills_needed = serializers.PrimaryKeyRelatedField(queryset=Skill.objects.all(), many=True, required=False)
    last_resort = serializers.DictField(
        child=LastResortInputSerializer(),
        required=False,
        help_text=f"Keyed by option: {', '.join(LastResortOption.values)}",
    )

    class Meta:
        model = SurgeRequest
        fields = ["organisation", *ANSWER_FIELDS, "skills_needed", "last_resort"]
        extra_kwargs = {name: {"required": False} for name in ANSWER_FIELDS}

    def validate_last_resort(self, value: dict) -> dict:
        unknown = sorted(set(value) - set(LastResortOption.values))
        if unknown:
            raise serializers.ValidationError(f"Not last-resort options: {', '.join(unknown)}")
        return value


class TriageInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=TriageOutcome.choices)
    reason = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    last_resort_justification = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class AssignmentInputSerializer(serializers.Serializer):
    responder = serializers.PrimaryKeyRelatedField(queryset=Responder.objects.all())
    role = serializers.CharField(max_length=120)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")

    def validate(self, data: dict) -> dict:
        if data["end_date"] < data["start_date"]:
            raise serializers.ValidationError({"end_date": "The last date must be the same as or after the first date"})
        return data


class ShortlistSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="member.full_name", read_only=True)
    skills_matched = serializers.IntegerField(read_only=True)
    skill_level_total = serializers.IntegerField(read_only=True)
    same_region = serializers.IntegerField(read_only=True)

    class Meta:
        model = Responder
        fields = ["id", "name", "clearance_level", "home_region", "skills_matched", "skill_level_total", "same_region"]
        read_only_fields = fields


class ResponderSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="member.full_name", read_only=True)
    organisation = serializers.CharField(source="member.organisation.name", read_only=True)
    clearance_expired = serializers.SerializerMethodField()

    class Meta:
        model = Responder
        fields = [
            "id",
            "name",
            "organisation",
            "clearance_level",
            "clearance_expires_on",
            "clearance_expired",
            "home_region",
            "international_available",
            "is_active",
        ]
        read_only_fields = fields

    def get_clearance_expired(self, responder: Responder) -> bool:
        return responder.clearance_expired()


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="Omit for all years")


class BreakdownSerializer(serializers.Serializer):
    deployments = serializers.IntegerField()
    responder_days = serializers.IntegerField()
    cost = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)


class UsageSerializer(serializers.Serializer):
    """The figures of ``srrt.analysis.usage_summary``."""

    year = serializers.IntegerField(allow_null=True)
    deployments = serializers.IntegerField()
    responder_days = serializers.IntegerField()
    cost = serializers.CharField()
    organisations = serializers.IntegerField()
    repeat_organisations = serializers.IntegerField()
    requests_submitted = serializers.IntegerField()
    approved = serializers.IntegerField()
    declined = serializers.IntegerField()
    planned_surge = serializers.IntegerField()
    acceptance_rate = serializers.FloatField(allow_null=True)
    likely_foreseeable = serializers.IntegerField()
    possibly_foreseeable = serializers.IntegerField()
    unforeseeable = serializers.IntegerField()
    share_foreseeable = serializers.FloatField(allow_null=True)
    share_likely_foreseeable = serializers.FloatField(allow_null=True)
    average_days_to_deploy = serializers.FloatField(allow_null=True)
    shortest_days_to_deploy = serializers.IntegerField(allow_null=True)
    longest_days_to_deploy = serializers.IntegerField(allow_null=True)
    by_organisation = serializers.ListField(child=serializers.DictField())
    by_demand_type = serializers.ListField(child=serializers.DictField())
    by_month = serializers.ListField(child=serializers.DictField())
    by_year = serializers.ListField(child=serializers.DictField())
