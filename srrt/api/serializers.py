"""Representations of surge requests, the roster and the usage analysis. Shapes are checked here; meaning
(who may, which states, last resort, eligibility) by the services, whose errors come back field by field."""

from __future__ import annotations

from rest_framework import serializers

from odp.api.serializers import BlankChoicesMixin, OrganisationSummarySerializer
from odp.models import Organisation
from skills.models import Skill
from srrt.models import (
    TEXT_MAX,
    Appraisal,
    Assignment,
    CloseOut,
    Deployment,
    Extension,
    LastResortAnswer,
    LastResortOption,
    LastResortOutcome,
    ObjectivesMet,
    Recommendation,
    Responder,
    SurgeRequest,
    SurgeStatus,
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


class DeploymentSerializer(serializers.ModelSerializer):
    """The deployment's actual figures; cost is responder-days times the daily rate kept when tracking began."""

    class Meta:
        model = Deployment
        fields = [
            "actual_start_date",
            "actual_end_date",
            "planned_end_date",
            "responder_days",
            "hours",
            "daily_rate",
            "cost",
            "updated_at",
        ]
        read_only_fields = fields


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["id", "previous_end_date", "new_end_date", "reason", "extended_at"]
        read_only_fields = fields


class CloseOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = CloseOut
        fields = ["volumes_cleared", "objectives_met", "outcomes", "lessons", "recorded_at"]
        read_only_fields = fields


class RecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["id", "text", "owner", "due_on", "done_on", "done_note", "created_at"]
        read_only_fields = fields


class AppraisalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appraisal
        fields = ["side", "score", "comment", "given_at"]
        read_only_fields = fields


class SurgeRequestSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    organisation = OrganisationSummarySerializer(read_only=True)
    requester_name = serializers.CharField(source="requester.full_name", read_only=True)
    skills_needed = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    last_resort_answers = LastResortSerializer(many=True, read_only=True)
    decisions = TriageDecisionSerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)
    deployment = DeploymentSerializer(read_only=True, allow_null=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    close_out = CloseOutSerializer(read_only=True, allow_null=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)
    appraisals = AppraisalSerializer(many=True, read_only=True)

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
            "deployment",
            "extensions",
            "close_out",
            "recommendations",
            "appraisals",
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


class DeploymentStartSerializer(serializers.Serializer):
    actual_start_date = serializers.DateField()
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class DeploymentRecordSerializer(serializers.Serializer):
    """The actual figures, all of them each time (the recharge is worked out from responder-days)."""

    actual_start_date = serializers.DateField()
    actual_end_date = serializers.DateField(required=False, allow_null=True, default=None)
    responder_days = serializers.IntegerField(min_value=0, max_value=1_000_000)
    hours = serializers.DecimalField(max_digits=9, decimal_places=1, min_value=0)


class ExtensionInputSerializer(serializers.Serializer):
    new_end_date = serializers.DateField()
    reason = serializers.CharField(max_length=TEXT_MAX, allow_blank=True)


class MoveInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[SurgeStatus.ACTIVE, SurgeStatus.CLOSING, SurgeStatus.CLOSED],
        help_text="deploying → active → closing → closed, one step at a time",
    )
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class CloseOutInputSerializer(serializers.Serializer):
    volumes_cleared = serializers.IntegerField(min_value=0, max_value=1_000_000_000)
    objectives_met = serializers.ChoiceField(choices=ObjectivesMet.choices)
    outcomes = serializers.CharField(max_length=TEXT_MAX, allow_blank=True)
    lessons = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class RecommendationInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX, allow_blank=True)
    owner = serializers.CharField(max_length=150, allow_blank=True)
    due_on = serializers.DateField()


class RecommendationDoneSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class AppraisalInputSerializer(serializers.Serializer):
    score = serializers.IntegerField(
        min_value=1,
        max_value=4,
        help_text="1 poor, 2 fair, 3 good, 4 very good",
        error_messages={"min_value": "Choose a score from 1 to 4", "max_value": "Choose a score from 1 to 4"},
    )
    comment = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


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
