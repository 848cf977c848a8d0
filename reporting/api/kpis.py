"""Objectives and KPIs: heads of profession and ODP admins read (each KPI with its computed value, progress and
RAG, profession-wide); ODP admins write. Writes go through reporting.services, so the rules and field errors are
the pages' ones."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from odp.api.base import ReadOnlyApiViewSet
from odp.api.permissions import policy
from reporting import services
from reporting.figures import Figure
from reporting.kpis import KpiProgress, kpi_progress
from reporting.models import MANUAL_SOURCE, Direction, Kpi, KpiUnit, Objective

VIEW, MANAGE = "reports.view_kpis", "reports.manage_kpis"
WRITES = {"create": MANAGE, "update": MANAGE, "destroy": MANAGE}


class YearFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="Reporting year.")


class ObjectiveSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    order = serializers.IntegerField(min_value=1, max_value=99, required=False, default=1)
    kpis = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Ids of the objective's KPIs.")

    class Meta:
        model = Objective
        fields = ["id", "year", "order", "text", "kpis", "created_at"]
        read_only_fields = ["id", "kpis", "created_at"]


class ProgressSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, source="number")
    display = serializers.CharField(help_text='The value as shown, e.g. "72.4%", "fewer than 5", "not available".')
    as_at = serializers.DateField(allow_null=True, help_text="Date of the data (figure-sourced KPIs).")
    suppressed = serializers.BooleanField(help_text="True when the figure is withheld for a small group.")
    percent_to_target = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    rag = serializers.ChoiceField(choices=["green", "amber", "red", "grey"])
    rag_label = serializers.CharField()


def progress_data(kpi: Kpi, progress: KpiProgress) -> dict:
    figure = progress.value if isinstance(progress.value, Figure) else None
    return {
        "number": progress.number,
        "display": progress.display(kpi.unit),
        "as_at": figure.as_at if figure else None,
        "suppressed": bool(figure and figure.suppressed),
        "percent_to_target": progress.percent_to_target,
        "rag": progress.rag,
        "rag_label": progress.rag_label,
    }


class KpiSerializer(serializers.ModelSerializer):
    entered_by = serializers.CharField(source="entered_by.user.username", allow_null=True, read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Kpi
        fields = [
            "id",
            "objective",
            "order",
            "name",
            "unit",
            "baseline",
            "target",
            "direction",
            "source",
            "manual_value",
            "evidence",
            "entered_by",
            "entered_at",
            "progress",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, kpi: Kpi) -> dict:
        return ProgressSerializer(progress_data(kpi, kpi_progress(kpi))).data


class KpiWriteSerializer(serializers.Serializer):
    objective = serializers.PrimaryKeyRelatedField(queryset=Objective.objects.all())
    order = serializers.IntegerField(min_value=1, max_value=99, required=False, default=1)
    name = serializers.CharField(max_length=200)
    unit = serializers.ChoiceField(choices=KpiUnit.choices)
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    direction = serializers.ChoiceField(choices=Direction.choices)
    source = serializers.CharField(
        max_length=80, help_text=f'A figure key (GET /api/v1/reporting/kpis/ lists them in use) or "{MANUAL_SOURCE}".'
    )
    manual_value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    evidence = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


@extend_schema_view(
    list=extend_schema(parameters=[YearFilterSerializer]),
    create=extend_schema(request=ObjectiveSerializer, responses={201: ObjectiveSerializer}),
    update=extend_schema(request=ObjectiveSerializer, responses=ObjectiveSerializer),
)
class ObjectiveViewSet(ReadOnlyApiViewSet):
    """The profession's objectives per reporting year."""

    permission_classes = [policy(VIEW, **WRITES)]
    serializer_class = ObjectiveSerializer

    def get_queryset(self) -> QuerySet[Objective]:
        qs = Objective.objects.prefetch_related("kpis").order_by("year", "order", "pk")
        filters = YearFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        if "year" in filters.validated_data:
            qs = qs.filter(year=filters.validated_data["year"])
        return qs

    def _save(self, request: Request, objective: Objective | None) -> Objective:
        serializer = ObjectiveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        saved = services.objective_save(
            by=self.member, year=data["year"], text=data["text"], order=data["order"], objective=objective
        )
        return self.get_queryset().get(pk=saved.pk)

    def create(self, request: Request) -> Response:
        return Response(ObjectiveSerializer(self._save(request, None)).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str) -> Response:
        return Response(ObjectiveSerializer(self._save(request, self.get_object())).data)

    def destroy(self, request: Request, pk: str) -> Response:
        services.objective_delete(by=self.member, objective=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(parameters=[YearFilterSerializer]),
    create=extend_schema(request=KpiWriteSerializer, responses={201: KpiSerializer}),
    update=extend_schema(request=KpiWriteSerializer, responses=KpiSerializer),
)
class KpiViewSet(ReadOnlyApiViewSet):
    """KPIs with their current value, progress towards target and RAG status (profession-wide figures).
    A manual KPI's value is entered with ``manual_value`` and ``evidence``; who entered it and when is recorded."""

    permission_classes = [policy(VIEW, **WRITES)]
    serializer_class = KpiSerializer

    def get_queryset(self) -> QuerySet[Kpi]:
        qs = Kpi.objects.select_related("objective", "entered_by__user")
        filters = YearFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        if "year" in filters.validated_data:
            qs = qs.filter(objective__year=filters.validated_data["year"])
        return qs

    def _save(self, request: Request, kpi: Kpi | None) -> Kpi:
        serializer = KpiWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answers = dict(serializer.validated_data)
        objective = answers.pop("objective")
        saved = services.kpi_save(by=self.member, objective=objective, kpi=kpi, answers=answers)
        return self.get_queryset().get(pk=saved.pk)

    def create(self, request: Request) -> Response:
        return Response(KpiSerializer(self._save(request, None)).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str) -> Response:
        return Response(KpiSerializer(self._save(request, self.get_object())).data)

    def destroy(self, request: Request, pk: str) -> Response:
        services.kpi_delete(by=self.member, kpi=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
