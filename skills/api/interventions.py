"""Learning interventions with their cost items, cohorts and enrolments. Everyone reads the catalogue;
enrolments are scoped by Enrolment.objects.visible_to; only ODP admins write (skills.manage_framework)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from odp.api.base import ReadOnlyApiViewSet
from odp.api.permissions import policy
from odp.models import Member
from odp.tabular import ImportRejected
from skills import interventions
from skills.api.common import UPLOAD_REJECTED, query, upload_rejected, uploaded_bytes
from skills.models import (
    Cohort,
    CostCategory,
    CostItem,
    Enrolment,
    EnrolmentStatus,
    Intervention,
    InterventionKind,
    Skill,
)

MANAGE = "skills.manage_framework"


class CostItemSerializer(serializers.ModelSerializer):
    category = serializers.ChoiceField(choices=CostCategory.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, help_text="Pounds.")
    per_participant = serializers.BooleanField(required=False, default=False, help_text="Multiplied by enrolments.")
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    class Meta:
        model = CostItem
        fields = ["category", "description", "amount", "per_participant"]


class InterventionSerializer(serializers.ModelSerializer):
    cost_items = CostItemSerializer(many=True, read_only=True)

    class Meta:
        model = Intervention
        fields = ["id", "name", "kind", "provider", "description", "target_skills", "cost_items", "created_at"]
        read_only_fields = fields


class InterventionWriteSerializer(serializers.Serializer):
    """The whole intervention: a save replaces its target skills and cost items as sets."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=InterventionKind.choices)
    provider = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    target_skills = serializers.PrimaryKeyRelatedField(queryset=Skill.objects.all(), many=True, required=False)
    cost_items = CostItemSerializer(many=True, required=False)

    def to_service(self) -> dict:
        data = dict(self.validated_data)
        costs = data.pop("cost_items", [])
        data["target_skills"] = data.get("target_skills", [])
        data["costs"] = [(c["category"], c["amount"], c["per_participant"], c["description"]) for c in costs]
        return data


@extend_schema_view(
    create=extend_schema(request=InterventionWriteSerializer, responses={201: InterventionSerializer}),
    update=extend_schema(request=InterventionWriteSerializer, responses=InterventionSerializer),
)
class InterventionViewSet(ReadOnlyApiViewSet):
    """Apprenticeships, courses, leadership programmes and coaching, with target skills and costs."""

    permission_classes = [policy("skills.view", create=MANAGE, update=MANAGE)]
    serializer_class = InterventionSerializer

    def get_queryset(self) -> QuerySet[Intervention]:
        return Intervention.objects.prefetch_related(
            "target_skills", Prefetch("cost_items", queryset=CostItem.objects.order_by("category", "pk"))
        ).order_by("name", "pk")

    def _save(self, request: Request, intervention: Intervention | None) -> Intervention:
        serializer = InterventionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = interventions.intervention_save(by=self.member, intervention=intervention, **serializer.to_service())
        return self.get_queryset().get(pk=saved.pk)

    def create(self, request: Request) -> Response:
        intervention = self._save(request, None)
        return Response(InterventionSerializer(intervention).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str) -> Response:
        return Response(InterventionSerializer(self._save(request, self.get_object())).data)


class CohortSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cohort
        fields = ["id", "intervention", "name", "starts_on", "ends_on"]
        read_only_fields = ["id"]
        # The service checks uniqueness and dates, with field errors, inside its transaction.
        validators: list = []


class CohortFilterSerializer(serializers.Serializer):
    intervention = serializers.IntegerField(required=False)


class EnrolmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV with username, status and (for completed) completed_on YYYY-MM-DD.")


class ImportedSerializer(serializers.Serializer):
    imported = serializers.IntegerField(help_text="Enrolments created or updated.")


@extend_schema_view(
    list=extend_schema(parameters=[CohortFilterSerializer]),
    create=extend_schema(request=CohortSerializer, responses={201: CohortSerializer}),
    upload_enrolments=extend_schema(
        request={"multipart/form-data": EnrolmentUploadSerializer},
        responses={200: ImportedSerializer, 400: UPLOAD_REJECTED},
        description="Enrol members from a CSV file, all or nothing: every bad row is listed and nothing is saved.",
    ),
)
class CohortViewSet(ReadOnlyApiViewSet):
    """Runs of an intervention with start and end dates."""

    permission_classes = [policy("skills.view", create=MANAGE, upload_enrolments=MANAGE)]
    serializer_class = CohortSerializer

    def get_queryset(self) -> QuerySet[Cohort]:
        return Cohort.objects.order_by("intervention_id", "starts_on", "pk")

    def filter_queryset(self, queryset: QuerySet[Cohort]) -> QuerySet[Cohort]:
        if self.action != "list":
            return queryset
        filters = query(self.request, CohortFilterSerializer)
        if "intervention" in filters:
            queryset = queryset.filter(intervention_id=filters["intervention"])
        return queryset

    def create(self, request: Request) -> Response:
        serializer = CohortSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cohort = interventions.cohort_create(by=self.member, **serializer.validated_data)
        return Response(CohortSerializer(cohort).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="upload-enrolments", parser_classes=[MultiPartParser])
    def upload_enrolments(self, request: Request, pk: str) -> Response:
        cohort = self.get_object()
        EnrolmentUploadSerializer(data=request.data).is_valid(raise_exception=True)
        try:
            count = interventions.enrolments_import_csv(by=self.member, cohort=cohort, data=uploaded_bytes(request))
        except ImportRejected as exc:
            return upload_rejected(exc)
        return Response({"imported": count})


class VisibleMemberField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[Member]:
        return Member.objects.visible_to(self.context["view"].member)


class EnrolmentSerializer(serializers.ModelSerializer):
    member = VisibleMemberField()
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices)

    class Meta:
        model = Enrolment
        fields = ["id", "cohort", "member", "status", "completed_on"]
        read_only_fields = ["id"]
        # enrolment_set updates an existing enrolment of the member on the cohort rather than refusing it.
        validators: list = []


class EnrolmentFilterSerializer(serializers.Serializer):
    cohort = serializers.IntegerField(required=False)
    member = serializers.IntegerField(required=False)
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices, required=False)


@extend_schema_view(
    list=extend_schema(parameters=[EnrolmentFilterSerializer]),
    create=extend_schema(
        request=EnrolmentSerializer,
        responses={201: EnrolmentSerializer},
        description="Enrol a member on a cohort, or change their enrolment's status.",
    ),
)
class EnrolmentViewSet(ReadOnlyApiViewSet):
    """Enrolments you can see: your own, your reports', everyone's in organisations you lead (all, for admins)."""

    permission_classes = [policy("skills.view", create=MANAGE)]
    serializer_class = EnrolmentSerializer

    def get_queryset(self) -> QuerySet[Enrolment]:
        return Enrolment.objects.visible_to(self.member).order_by("cohort_id", "member_id", "pk")

    def filter_queryset(self, queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
        if self.action != "list":
            return queryset
        filters = query(self.request, EnrolmentFilterSerializer)
        for name in ("cohort", "member"):
            if name in filters:
                queryset = queryset.filter(**{f"{name}_id": filters[name]})
        if "status" in filters:
            queryset = queryset.filter(status=filters["status"])
        return queryset

    def create(self, request: Request) -> Response:
        serializer = EnrolmentSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        enrolment = interventions.enrolment_set(by=self.member, **serializer.validated_data)
        return Response(EnrolmentSerializer(enrolment, context=self.get_serializer_context()).data, status=201)
