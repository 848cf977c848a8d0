"""Capability metrics runs, published metrics and ROI evaluations.

Runs and ROI are for ODP admins. Published metrics are for admins (everything) and heads of profession (the
organisations they lead, with groups of fewer than ``SMALL_GROUP`` members suppressed)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from odp.api.base import AuditActorMixin, ReadOnlyApiViewSet
from odp.api.permissions import policy
from odp.models import Grade
from skills import metrics, roi
from skills.api.common import query
from skills.models import (
    CapabilityMetric,
    Cohort,
    MetricScope,
    MetricsRun,
    PublishedSnapshot,
    RoiAssumptions,
    RoiEvaluation,
)

RUN = "skills.run_metrics"
# Personal data: figures for a group smaller than this are withheld from anyone but ODP admins.
SMALL_GROUP = settings.SMALL_GROUP_THRESHOLD
FIGURES = ("members_in_scope", "members_assessed", "coverage", "mean_level", "share_at_expected", "mean_gap")


class MetricsRunSerializer(serializers.ModelSerializer):
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = MetricsRun
        fields = [
            "id",
            "snapshot_date",
            "status",
            "progress",
            "stage",
            "rows",
            "error",
            "attempts",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "duration_seconds",
        ]
        read_only_fields = fields


class RunRequestSerializer(serializers.Serializer):
    snapshot_date = serializers.DateField(required=False, allow_null=True, default=None, help_text="Default: today.")


@extend_schema_view(
    create=extend_schema(
        request=RunRequestSerializer,
        responses={202: MetricsRunSerializer},
        description="Ask for a run for a date (today by default). A queued or running run for it is reused.",
    )
)
class MetricsRunViewSet(ReadOnlyApiViewSet):
    """Capability metrics runs with their status and progress, newest first."""

    permission_classes = [policy(RUN)]
    serializer_class = MetricsRunSerializer

    def get_queryset(self) -> QuerySet[MetricsRun]:
        return MetricsRun.objects.order_by("-requested_at", "-pk")

    def create(self, request: Request) -> Response:
        serializer = RunRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = metrics.request_and_enqueue(by=self.member, **serializer.validated_data)
        run.refresh_from_db()  # with no broker the job has already run inline on commit
        return Response(MetricsRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class CapabilityMetricSerializer(serializers.ModelSerializer):
    coverage = serializers.FloatField(allow_null=True, help_text="Share of members in scope with a level.")
    mean_level = serializers.FloatField(allow_null=True)
    share_at_expected = serializers.FloatField(allow_null=True)
    mean_gap = serializers.FloatField(allow_null=True)
    capability_index = serializers.FloatField(allow_null=True)
    members_in_scope = serializers.IntegerField(allow_null=True)
    members_assessed = serializers.IntegerField(allow_null=True)
    suppressed = serializers.SerializerMethodField(
        help_text=f"True when the group has fewer than {SMALL_GROUP} members and its figures are withheld."
    )

    class Meta:
        model = CapabilityMetric
        fields = [
            "snapshot_date",
            "scope",
            "organisation",
            "grade",
            "lineage",
            "members_in_scope",
            "members_assessed",
            "coverage",
            "mean_level",
            "share_at_expected",
            "mean_gap",
            "capability_index",
            "suppressed",
        ]
        read_only_fields = fields

    def _suppressed(self, metric: CapabilityMetric) -> bool:
        return bool(self.context.get("suppress_small_groups")) and metric.members_in_scope < SMALL_GROUP

    def get_suppressed(self, metric: CapabilityMetric) -> bool:
        return self._suppressed(metric)

    def to_representation(self, metric: CapabilityMetric) -> dict[str, Any]:
        data = super().to_representation(metric)
        if self._suppressed(metric):
            data.update(dict.fromkeys((*FIGURES, "capability_index")))
        return data


class MetricFilterSerializer(serializers.Serializer):
    snapshot_date = serializers.DateField(required=False, help_text="Default: the latest published snapshot.")
    scope = serializers.ChoiceField(choices=MetricScope.choices, required=False, default=MetricScope.ORGANISATION)
    organisation = serializers.IntegerField(required=False)
    grade = serializers.ChoiceField(choices=Grade.choices, required=False)
    lineage = serializers.IntegerField(required=False, help_text="A skill's lineage (the same across versions).")


@extend_schema_view(list=extend_schema(parameters=[MetricFilterSerializer]))
class CapabilityMetricViewSet(AuditActorMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Published capability metrics for one snapshot date and scope (organisation overall by default)."""

    permission_classes = [policy("skills.view_metrics")]
    serializer_class = CapabilityMetricSerializer

    def get_queryset(self) -> QuerySet[CapabilityMetric]:
        return CapabilityMetric.objects.visible_to(self.member).order_by("organisation_id", "grade", "lineage", "pk")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "suppress_small_groups": not self.member.is_odp_admin}

    def filter_queryset(self, queryset: QuerySet[CapabilityMetric]) -> QuerySet[CapabilityMetric]:
        filters = query(self.request, MetricFilterSerializer)
        snapshots = PublishedSnapshot.objects.order_by("-snapshot_date")
        if filters.get("snapshot_date") is not None:
            snapshots = snapshots.filter(snapshot_date=filters["snapshot_date"])
        snapshot = snapshots.first()
        if snapshot is None:
            return queryset.none()
        # By run, not by date: the rows' one index leads with the run (the metrics job writes fewer indexes).
        queryset = queryset.filter(run_id=snapshot.run_id, scope=filters["scope"])
        if "organisation" in filters:
            queryset = queryset.filter(organisation_id=filters["organisation"])
        for name in ("grade", "lineage"):
            if name in filters:
                queryset = queryset.filter(**{name: filters[name]})
        return queryset


# Return on investment -----------------------------------------------------------------------------------


class RoiAssumptionsSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoiAssumptions
        fields = [
            "effective_from",
            "value_per_level_point",
            "attribution_percent",
            "confidence_percent",
            "follow_up_days",
            "minimum_group_size",
            "source_note",
        ]
        read_only_fields = fields


class RoiEvaluationSerializer(serializers.ModelSerializer):
    """Every result comes with its group sizes and the assumptions it rests on."""

    intervention = serializers.IntegerField(source="cohort.intervention_id", read_only=True)
    # A plain string in the schema: "outcome" is also the name of the ideas API's decision choices.
    outcome = serializers.CharField(
        read_only=True, help_text='"result", or "insufficient" (see reason) when the groups are too small.'
    )
    assumptions = RoiAssumptionsSerializer(read_only=True)

    class Meta:
        model = RoiEvaluation
        fields = [
            "id",
            "cohort",
            "intervention",
            "computed_at",
            "outcome",
            "reason",
            "baseline_date",
            "follow_up_date",
            "treated_n",
            "comparison_n",
            "treated_before",
            "treated_after",
            "comparison_before",
            "comparison_after",
            "uplift",
            "benefit",
            "cost",
            "roi_percent",
            "benefit_cost_ratio",
            "assumptions",
        ]
        read_only_fields = fields


class EvaluateSerializer(serializers.Serializer):
    cohort = serializers.PrimaryKeyRelatedField(queryset=Cohort.objects.all())


class RoiFilterSerializer(serializers.Serializer):
    intervention = serializers.IntegerField(required=False)
    cohort = serializers.IntegerField(required=False)


@extend_schema_view(
    list=extend_schema(parameters=[RoiFilterSerializer], description="The latest evaluation of each cohort."),
    create=extend_schema(
        request=EvaluateSerializer,
        responses={201: RoiEvaluationSerializer},
        description="Evaluate a cohort now with the assumptions in force at its start.",
    ),
)
class RoiEvaluationViewSet(AuditActorMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Return on investment per intervention cohort (difference in differences against matched members)."""

    permission_classes = [policy(RUN)]
    serializer_class = RoiEvaluationSerializer

    def get_queryset(self) -> QuerySet[RoiEvaluation]:
        filters = query(self.request, RoiFilterSerializer)
        evaluations = roi.latest_evaluations().order_by("cohort_id")
        if "cohort" in filters:
            evaluations = evaluations.filter(cohort_id=filters["cohort"])
        if "intervention" in filters:
            evaluations = evaluations.filter(cohort__intervention_id=filters["intervention"])
        return evaluations

    def create(self, request: Request) -> Response:
        serializer = EvaluateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluation = roi.evaluate_cohort(cohort=serializer.validated_data["cohort"], by=self.member)
        evaluation = RoiEvaluation.objects.select_related("cohort", "assumptions").get(pk=evaluation.pk)
        return Response(RoiEvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)
