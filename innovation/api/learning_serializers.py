"""Case studies, adoptions, innovation plans and moderation in the API. Shapes only: the services decide."""

from __future__ import annotations

from rest_framework import serializers

from innovation.api.serializers import CaseStudySerializer
from innovation.models import (
    TEXT_MAX,
    Adoption,
    CaseStudyAudience,
    Commitment,
    InnovationPlan,
    Report,
)
from odp.api.serializers import OrganisationSummarySerializer

_AUDIENCES = ", ".join(CaseStudyAudience.values)


class CaseStudyWriterSerializer(CaseStudySerializer):
    """What the writer and the heads of profession see: the draft state and audience too."""

    # Plain strings: careers opportunities have another "audience" choice set, and two enums of one field name
    # would collide in the schema.
    audience = serializers.CharField(read_only=True, help_text=f"Who can read it once published: {_AUDIENCES}.")
    status = serializers.CharField(read_only=True, help_text="draft or published.")

    class Meta(CaseStudySerializer.Meta):
        fields = [*CaseStudySerializer.Meta.fields, "idea", "status", "audience"]
        read_only_fields = fields


class CaseStudyInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=150)
    summary = serializers.CharField(max_length=300)
    challenge = serializers.CharField(max_length=TEXT_MAX)
    approach = serializers.CharField(max_length=TEXT_MAX)
    results = serializers.CharField(max_length=TEXT_MAX, help_text="What was measured, before and after.")
    contact = serializers.CharField(max_length=200, help_text="Who to contact to find out more.")
    audience = serializers.CharField(help_text=f"Who can read it once published: {_AUDIENCES}.")

    def validate_audience(self, value: str) -> str:
        if value not in CaseStudyAudience.values:
            raise serializers.ValidationError(f"Choose one of: {_AUDIENCES}.")
        return value


class AdoptionSerializer(serializers.ModelSerializer):
    organisation = OrganisationSummarySerializer(read_only=True)

    class Meta:
        model = Adoption
        fields = ["id", "organisation", "adopted_on", "notes", "hours_saved_per_year", "cost_saved_per_year"]
        read_only_fields = fields


class AdoptionInputSerializer(serializers.Serializer):
    adopted_on = serializers.DateField()
    notes = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    hours_saved_per_year = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    cost_saved_per_year = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )


class CommitmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commitment
        fields = ["id", "description", "due_on", "progress", "progress_note", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        extra_kwargs = {"progress_note": {"required": False}, "due_on": {"required": False}}


class InnovationPlanSerializer(serializers.ModelSerializer):
    organisation = OrganisationSummarySerializer(read_only=True)
    commitments = CommitmentSerializer(many=True, read_only=True)

    class Meta:
        model = InnovationPlan
        fields = ["id", "organisation", "year", "time", "skills", "tools", "support", "updated_at", "commitments"]
        read_only_fields = fields


class PlanInputSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="The id of an organisation you lead the profession for.")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    time = serializers.CharField(max_length=TEXT_MAX, help_text="How staff get time to raise and work on ideas.")
    skills = serializers.CharField(max_length=TEXT_MAX, help_text="How staff get the skills to improve services.")
    tools = serializers.CharField(max_length=TEXT_MAX, help_text="The tools staff have.")
    support = serializers.CharField(max_length=TEXT_MAX, help_text="Support from managers and leaders.")


class ReportSerializer(serializers.ModelSerializer):
    reporter_name = serializers.CharField(source="reporter.full_name", read_only=True)
    outcome = serializers.CharField(read_only=True, help_text="open, hidden or dismissed.")

    class Meta:
        model = Report
        fields = ["id", "idea", "comment", "reason", "reporter_name", "created_at", "outcome"]
        read_only_fields = fields


class ModerateInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[("hide", "Hide"), ("restore", "Restore")])
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Needed when hiding."
    )
