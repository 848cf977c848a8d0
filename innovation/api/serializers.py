"""Representations of ideas and what hangs off them. Text goes out as plain strings (JSON-encoded, never
HTML); writes are validated here for shape and by the services for meaning."""

from __future__ import annotations

from rest_framework import serializers

from innovation.models import (
    COMMENT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    CaseStudy,
    Comment,
    Decision,
    Idea,
    IdeaEvent,
    IdeaStatus,
    ServiceArea,
    Theme,
    Visibility,
)
from innovation.selectors import SORTS
from odp.api.serializers import BlankChoicesMixin, OrganisationSummarySerializer, SlugRelatedField


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name"]
        read_only_fields = fields


class IdeaEventSerializer(serializers.ModelSerializer):
    # Plain strings: the same choice sets are already documented as enums on the idea itself.
    kind = serializers.CharField(read_only=True, help_text="created, status, routed, merged_in, benefit, hidden...")
    from_status = serializers.CharField(read_only=True, help_text="An idea status, or empty.")
    to_status = serializers.CharField(read_only=True, help_text="An idea status, or empty.")
    actor_name = serializers.CharField(source="actor.full_name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = IdeaEvent
        fields = ["at", "kind", "from_status", "to_status", "note", "actor_name"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    decided_by_name = serializers.CharField(source="decided_by.full_name", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "outcome",
            "feedback",
            "reason",
            "decided_at",
            "decided_by_name",
            "organisation",
            "routed_to",
            "merged_into",
        ]
        read_only_fields = fields


class IdeaSummarySerializer(BlankChoicesMixin, serializers.ModelSerializer):
    organisation = OrganisationSummarySerializer(read_only=True)
    themes = ThemeSerializer(many=True, read_only=True)

    class Meta:
        model = Idea
        fields = [
            "id",
            "reference",
            "title",
            "status",
            "service_area",
            "themes",
            "visibility",
            "organisation",
            "endorsement_count",
            "submitted_at",
            "decision_due_on",
            "decided_at",
        ]
        read_only_fields = fields


class IdeaSerializer(IdeaSummarySerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    timeline = IdeaEventSerializer(source="events", many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta(IdeaSummarySerializer.Meta):
        fields = [
            *IdeaSummarySerializer.Meta.fields,
            "problem",
            "proposed_change",
            "hours_saved_per_year",
            "cost_saved_per_year",
            "customer_outcome",
            "origin_organisation",
            "merged_into",
            "author_name",
            "timeline",
            "decisions",
        ]
        read_only_fields = fields


class IdeaAnswersSerializer(serializers.Serializer):
    """A draft's answers: any subset when changing a draft; at least the title when creating one."""

    title = serializers.CharField(max_length=TITLE_MAX, required=False)
    problem = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    proposed_change = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    hours_saved_per_year = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    cost_saved_per_year = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    customer_outcome = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    service_area = serializers.ChoiceField(choices=ServiceArea.choices, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    themes = SlugRelatedField(slug_field="slug", queryset=Theme.objects.all(), many=True, required=False)


class IdeaFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Words to search for.")
    theme = serializers.SlugField(required=False, help_text="A theme's slug.")
    organisation = serializers.IntegerField(required=False, help_text="The id of the organisation deciding it.")
    status = serializers.ChoiceField(choices=IdeaStatus.choices, required=False)
    service_area = serializers.ChoiceField(choices=ServiceArea.choices, required=False)
    sort = serializers.ChoiceField(choices=[*SORTS, "relevance"], required=False, default="newest")


class SimilarQuerySerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX, allow_blank=True, required=False, default="")
    problem = serializers.CharField(max_length=TEXT_MAX, allow_blank=True, required=False, default="")
    exclude = serializers.IntegerField(required=False, help_text="The id of the idea being written.")


class CommentSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    body = serializers.CharField(max_length=COMMENT_MAX)

    class Meta:
        model = Comment
        fields = ["id", "body", "author_name", "created_at"]
        read_only_fields = ["id", "author_name", "created_at"]


class DecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[(s, IdeaStatus(s).label) for s in IdeaStatus.decisions()])
    feedback = serializers.CharField(max_length=TEXT_MAX, help_text="What the author will read.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    route_to = serializers.IntegerField(required=False, help_text="Organisation id, when routing.")
    merge_into = serializers.IntegerField(required=False, help_text="Idea id, when merging a duplicate.")


class MoveSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[
            IdeaStatus.UNDER_REVIEW,
            IdeaStatus.IN_PROGRESS,
            IdeaStatus.IMPLEMENTED,
            IdeaStatus.BENEFITS_REALISED,
        ]
    )
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class ReportInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class CaseStudySerializer(serializers.ModelSerializer):
    organisation = OrganisationSummarySerializer(read_only=True)
    idea_reference = serializers.CharField(source="idea.reference", read_only=True)

    class Meta:
        model = CaseStudy
        fields = [
            "slug",
            "title",
            "summary",
            "challenge",
            "approach",
            "results",
            "contact",
            "organisation",
            "idea_reference",
            "published_at",
        ]
        read_only_fields = fields
