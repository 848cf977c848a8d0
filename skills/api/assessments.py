"""Assessments: who sees which (Assessment.objects.visible_to), self-assessment, a line manager's response,
"my skills" and a manager's pending confirmations. Each write is one call to skills.services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from odp.api.base import ApiView, AuditActorMixin, ReadOnlyApiViewSet
from odp.api.permissions import policy
from skills import selectors, services
from skills.api.common import ProtectedFieldsMixin, query
from skills.models import Assessment, CurrentLevel, FrameworkVersion, Intervention, RaterKind, Skill
from skills.selectors import MySkills

PROTECTED = {
    "member": "You can only assess yourself: the member is always the person signed in.",
    "rater_kind": "A self-assessment is always rated as self; line managers respond to one instead.",
    "rated_by": "The rater is always the person signed in.",
    "rated_at": "The time of a rating is set when it is recorded.",
    "version": "The version is the skill's own.",
    "responds_to": "Respond to a self-assessment through its respond action.",
}


@extend_schema_field(OpenApiTypes.INT)
class VisibleSkillField(serializers.PrimaryKeyRelatedField):
    """A skill in a version the requester can see (drafts only for admins)."""

    def get_queryset(self) -> QuerySet[Skill]:
        member = self.context["view"].member
        return Skill.objects.filter(version__in=FrameworkVersion.objects.visible_to(member))


class AssessmentSerializer(serializers.ModelSerializer):
    skill_code = serializers.CharField(source="skill.code", read_only=True)
    skill_name = serializers.CharField(source="skill.name", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "member",
            "skill",
            "skill_code",
            "skill_name",
            "lineage",
            "version",
            "level",
            "rater_kind",
            "rated_by",
            "rated_at",
            "rationale",
            "responds_to",
        ]
        read_only_fields = fields


class SelfAssessmentSerializer(ProtectedFieldsMixin, serializers.Serializer):
    """What a member may say about themself. Member, rater and version are never taken from the request."""

    protected_fields = PROTECTED
    skill = VisibleSkillField(help_text="A skill in the current published version.")
    level = serializers.IntegerField(min_value=0, help_text="0 (not yet) up to the version's top level.")
    rationale = serializers.CharField(required=False, allow_blank=True, default="", help_text="Evidence.")


class RespondSerializer(ProtectedFieldsMixin, serializers.Serializer):
    protected_fields = {"member": PROTECTED["member"], "rater_kind": PROTECTED["rater_kind"]}
    level = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None, help_text="Omit to confirm the member's level."
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Needed when the level changes."
    )


class AssessmentFilterSerializer(serializers.Serializer):
    member = serializers.IntegerField(required=False)
    skill = serializers.IntegerField(required=False, help_text="Ratings of this skill and its earlier versions.")
    rater_kind = serializers.ChoiceField(choices=RaterKind.choices, required=False)


@extend_schema_view(
    list=extend_schema(parameters=[AssessmentFilterSerializer]),
    create=extend_schema(
        request=SelfAssessmentSerializer,
        responses={201: AssessmentSerializer},
        description="Rate yourself on a skill. The member and rater are always you.",
    ),
    respond=extend_schema(
        request=RespondSerializer,
        responses={201: AssessmentSerializer},
        description="As the member's line manager, confirm a self-assessment or adjust it with a reason.",
    ),
)
class AssessmentViewSet(ReadOnlyApiViewSet):
    """Ratings you can see: your own, your reports', everyone's in organisations you lead (all, for admins).
    Append-only: a new rating is a new record."""

    permission_classes = [policy("skills.view", create="skills.assess", respond="skills.confirm")]
    serializer_class = AssessmentSerializer

    def get_queryset(self) -> QuerySet[Assessment]:
        return (
            Assessment.objects.visible_to(self.member)
            .select_related("skill", "member__user")
            .order_by("-rated_at", "-pk")
        )

    def filter_queryset(self, queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
        if self.action != "list":
            return queryset
        filters = query(self.request, AssessmentFilterSerializer)
        if "member" in filters:
            queryset = queryset.filter(member_id=filters["member"])
        if "skill" in filters:
            lineage = Skill.objects.filter(pk=filters["skill"]).values("lineage")
            queryset = queryset.filter(lineage__in=lineage)
        if "rater_kind" in filters:
            queryset = queryset.filter(rater_kind=filters["rater_kind"])
        return queryset

    def create(self, request: Request) -> Response:
        serializer = SelfAssessmentSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        assessment = services.assessment_record_self(member=self.member, **serializer.validated_data)
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str) -> Response:
        self_assessment = self.get_object()
        serializer = RespondSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response = services.assessment_respond(
            self_assessment=self_assessment, by=self.member, **serializer.validated_data
        )
        return Response(AssessmentSerializer(response).data, status=status.HTTP_201_CREATED)


# My skills --------------------------------------------------------------------------------------------


class SkillRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class StandingSerializer(serializers.Serializer):
    skill = SkillRefSerializer()
    expected_level = serializers.IntegerField()
    importance = serializers.CharField()
    current_level = serializers.IntegerField(help_text="0 if not yet assessed.")
    rater_kind = serializers.ChoiceField(choices=RaterKind.choices, allow_null=True)
    pending_level = serializers.IntegerField(
        allow_null=True, help_text="Your newer self-assessment waiting for your line manager, if any."
    )
    gap = serializers.IntegerField(help_text="Expected minus current, at least 0.")
    meets_expectation = serializers.BooleanField()


class GroupStandingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="group.id")
    code = serializers.CharField(source="group.code")
    name = serializers.CharField(source="group.name")
    skills = StandingSerializer(many=True)


class SuggestedInterventionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Intervention
        fields = ["id", "name", "kind", "provider"]
        read_only_fields = fields


class MySkillsSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="version.pk", allow_null=True, help_text="Null before any is published.")
    role_profile = serializers.IntegerField(
        source="profile.pk", allow_null=True, help_text="Null if your role has no profile."
    )
    groups = GroupStandingSerializer(many=True)
    met_count = serializers.IntegerField()
    gap_count = serializers.IntegerField()
    suggested_interventions = SuggestedInterventionSerializer(many=True)


def _my_skills_data(result: MySkills) -> dict[str, Any]:
    return {
        "version": result.version,
        "profile": result.profile,
        "groups": result.groups,
        "met_count": result.met_count,
        "gap_count": len(result.gaps),
        "suggested_interventions": result.suggested_interventions,
    }


class MySkillsView(ApiView):
    """The skills your role profile expects, your current and expected levels, gaps and suggested learning."""

    permission_classes = [policy("skills.view")]

    @extend_schema(responses=MySkillsSerializer)
    def get(self, request: Request) -> Response:
        return Response(MySkillsSerializer(_my_skills_data(selectors.my_skills(self.member))).data)


# Pending confirmations --------------------------------------------------------------------------------


class PendingConfirmationSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    self_assessment = AssessmentSerializer(source="pending_self_assessment", read_only=True)
    current_level = serializers.IntegerField(source="level", read_only=True)
    current_rater_kind = serializers.ChoiceField(source="rater_kind", choices=RaterKind.choices, read_only=True)

    class Meta:
        model = CurrentLevel
        fields = ["member", "member_name", "self_assessment", "current_level", "current_rater_kind"]
        read_only_fields = fields


class PendingConfirmationViewSet(AuditActorMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your reports' self-assessments waiting for you to confirm or adjust them, oldest first. List only:
    respond through the assessment's own respond action."""

    permission_classes = [policy("skills.confirm")]
    serializer_class = PendingConfirmationSerializer

    def get_queryset(self) -> QuerySet[CurrentLevel]:
        visible = Assessment.objects.visible_to(self.member)
        return (
            selectors.pending_confirmations(self.member)
            .filter(pending_self_assessment__in=visible.values("pk"))
            .order_by("pending_self_assessment__rated_at", "pk")
        )
