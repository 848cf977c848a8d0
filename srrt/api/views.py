"""/api/v1/srrt/: surge requests (requesters for their organisations; coordinators read, triage, assign, track
the deployment and close it out; the department appraises and marks recommendations done),
the roster (coordinators; a responder their own record) and the usage analysis (coordinators and admins).
Reads start from visible_to, so another organisation's request is 404; every write goes through a service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404  # DRF's: an id like 'null' is a 404, not a 500
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from odp.api.base import ApiView, AuditActorMixin, ReadOnlyApiViewSet
from odp.api.permissions import IsMember, policy
from srrt import analysis, matching, operations, services, workflow
from srrt.api.serializers import (
    AppraisalInputSerializer,
    AssignmentInputSerializer,
    AssignmentSerializer,
    CloseOutInputSerializer,
    DeploymentRecordSerializer,
    DeploymentStartSerializer,
    ExtensionInputSerializer,
    MoveInputSerializer,
    RecommendationDoneSerializer,
    RecommendationInputSerializer,
    RequestAnswersSerializer,
    ResponderSerializer,
    ShortlistSerializer,
    SurgeRequestSerializer,
    TriageDecisionSerializer,
    TriageInputSerializer,
    UsageSerializer,
    YearQuerySerializer,
)
from srrt.models import Assignment, LastResortAnswer, Recommendation, Responder, SurgeRequest, SurgeStatus

REQUESTER_ACTIONS = {"create", "partial_update", "submit"}
COORDINATOR_ACTIONS = {
    "triage",
    "assignments",
    "shortlist",
    "deployment",
    "deployment_record",
    "extensions",
    "move",
    "close_out",
    "recommendations",
}
# Appraising and marking a recommendation done are for coordinators and the department's requesters: the
# services decide which side a member is on, so these only need a member who can see the request.


@extend_schema_view(
    create=extend_schema(request=RequestAnswersSerializer, responses={201: SurgeRequestSerializer}),
    partial_update=extend_schema(request=RequestAnswersSerializer, responses=SurgeRequestSerializer),
)
class SurgeRequestViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Surge requests you can see: your organisations' (requesters), all (coordinators and admins)."""

    serializer_class = SurgeRequestSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_permissions(self) -> list[BasePermission]:
        if self.action in REQUESTER_ACTIONS:
            return [policy("srrt.request")()]
        if self.action in COORDINATOR_ACTIONS:
            return [policy("srrt.triage")()]
        return [IsMember()]

    def get_queryset(self) -> QuerySet[SurgeRequest]:
        return (
            SurgeRequest.objects.visible_to(self.member)
            .select_related("organisation", "requester__user")
            .prefetch_related(
                "skills_needed",
                Prefetch("last_resort_answers", queryset=LastResortAnswer.objects.order_by("option")),
                "decisions__decided_by__user",
                Prefetch("assignments", queryset=Assignment.objects.select_related("responder__member__user")),
                "extensions",
                "recommendations",
                "appraisals",
            )
            .select_related("deployment", "close_out")
            .order_by("-pk")
        )

    def _fresh(self, request: SurgeRequest, code: int = status.HTTP_200_OK) -> Response:
        return Response(SurgeRequestSerializer(self.get_queryset().get(pk=request.pk)).data, status=code)

    @staticmethod
    def _answers(data: dict[str, Any]) -> dict[str, Any]:
        data = dict(data)
        return {
            "organisation": data.pop("organisation", None),
            "skills": data.pop("skills_needed", None),
            "last_resort": data.pop("last_resort", None),
            "answers": data,
        }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = RequestAnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        parts = self._answers(body.validated_data)
        if parts["organisation"] is None:
            raise ValidationError({"organisation": ["Choose the organisation the request is for"]})
        try:
            surge_request = services.request_save_draft(by=self.member, **parts)
        except PermissionDenied:
            raise ValidationError({"organisation": ["You cannot raise surge requests for this organisation"]}) from None
        return self._fresh(surge_request, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        surge_request = self.get_object()
        body = RequestAnswersSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        parts = self._answers(body.validated_data)
        if parts.pop("organisation") is not None:
            raise ValidationError({"organisation": ["A request's organisation cannot be changed"]})
        services.request_save_draft(by=self.member, request=surge_request, **parts)
        return self._fresh(surge_request)

    @extend_schema(request=None, responses=SurgeRequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Submit a complete draft (or resubmit after more information was asked for)."""
        return self._fresh(workflow.request_submit(request=self.get_object(), by=self.member))

    @staticmethod
    def _body(serializer: type, request: Request) -> dict[str, Any]:
        body = serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(request=DeploymentStartSerializer, responses={201: SurgeRequestSerializer})
    @action(detail=True, methods=["post"])
    def deployment(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: start tracking an approved request with responders assigned (it moves to deploying)."""
        surge_request = self.get_object()
        operations.deployment_start(
            request=surge_request, by=self.member, **self._body(DeploymentStartSerializer, request)
        )
        return self._fresh(surge_request, status.HTTP_201_CREATED)

    @extend_schema(request=DeploymentRecordSerializer, responses=SurgeRequestSerializer)
    @deployment.mapping.put
    def deployment_record(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: record the actual dates, responder-days and hours; the recharge follows."""
        surge_request = self.get_object()
        operations.deployment_record(
            request=surge_request, by=self.member, **self._body(DeploymentRecordSerializer, request)
        )
        return self._fresh(surge_request)

    @extend_schema(request=ExtensionInputSerializer, responses={201: SurgeRequestSerializer})
    @action(detail=True, methods=["post"])
    def extensions(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: keep a deploying or active deployment on past its agreed end, with the reason."""
        surge_request = self.get_object()
        operations.deployment_extend(
            request=surge_request, by=self.member, **self._body(ExtensionInputSerializer, request)
        )
        return self._fresh(surge_request, status.HTTP_201_CREATED)

    @extend_schema(request=MoveInputSerializer, responses=SurgeRequestSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: deploying → active → closing → closed. Closing needs the actual end date; closed needs
        the close-out and the coordinator's appraisal."""
        surge_request = self.get_object()
        operations.deployment_move(request=surge_request, by=self.member, **self._body(MoveInputSerializer, request))
        return self._fresh(surge_request)

    @extend_schema(request=CloseOutInputSerializer, responses=SurgeRequestSerializer)
    @action(detail=True, methods=["put"], url_path="close-out")
    def close_out(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: record (or correct) the outcomes and lessons while the request is closing."""
        surge_request = self.get_object()
        operations.close_out_save(request=surge_request, by=self.member, **self._body(CloseOutInputSerializer, request))
        return self._fresh(surge_request)

    @extend_schema(request=RecommendationInputSerializer, responses={201: SurgeRequestSerializer})
    @action(detail=True, methods=["post"])
    def recommendations(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: a recommendation to strengthen the department's own capability, with owner and due date."""
        surge_request = self.get_object()
        operations.recommendation_add(
            request=surge_request, by=self.member, **self._body(RecommendationInputSerializer, request)
        )
        return self._fresh(surge_request, status.HTTP_201_CREATED)

    @extend_schema(request=RecommendationDoneSerializer, responses=SurgeRequestSerializer)
    @action(detail=True, methods=["post"], url_path=r"recommendations/(?P<recommendation_pk>[0-9]+)/done")
    def recommendation_done(self, request: Request, pk: str | None = None, recommendation_pk: str = "") -> Response:
        """Coordinators or the department's requesters: mark a recommendation done (also after closing)."""
        surge_request = self.get_object()
        recommendation = get_object_or_404(Recommendation, request=surge_request, pk=recommendation_pk)
        operations.recommendation_done(
            recommendation=recommendation, by=self.member, **self._body(RecommendationDoneSerializer, request)
        )
        return self._fresh(surge_request)

    @extend_schema(request=AppraisalInputSerializer, responses={201: SurgeRequestSerializer})
    @action(detail=True, methods=["post"])
    def appraisals(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators for the SRRT, the department's requesters for their side: 1 to 4, once per side, while the
        request is closing or after it closed."""
        surge_request = self.get_object()
        operations.appraisal_give(
            request=surge_request, by=self.member, **self._body(AppraisalInputSerializer, request)
        )
        return self._fresh(surge_request, status.HTTP_201_CREATED)

    @extend_schema(request=TriageInputSerializer, responses=TriageDecisionSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: approve, decline, ask for more information or offer a planned-surge agreement."""
        body = TriageInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = workflow.request_triage(request=self.get_object(), by=self.member, **body.validated_data)
        return Response(TriageDecisionSerializer(decision).data)

    @extend_schema(request=AssignmentInputSerializer, responses={201: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def assignments(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: assign a responder who passes every hard filter for the dates."""
        body = AssignmentInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assignment = services.assignment_create(by=self.member, request=self.get_object(), **body.validated_data)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ShortlistSerializer(many=True))
    @action(detail=True, methods=["get"])
    def shortlist(self, request: Request, pk: str | None = None) -> Response:
        """Coordinators: eligible responders for an approved request, best first."""
        surge_request = self.get_object()
        if surge_request.status not in SurgeStatus.staffable():
            raise ValidationError("Responders are shortlisted once a request is approved.")
        page = self.paginate_queryset(matching.shortlist(surge_request))
        return self.get_paginated_response(ShortlistSerializer(page, many=True).data)


class ResponderViewSet(ReadOnlyApiViewSet):
    """The roster: all of it for coordinators and admins; your own record if you are a responder."""

    serializer_class = ResponderSerializer
    permission_classes = [IsMember]

    def get_queryset(self) -> QuerySet[Responder]:
        return Responder.objects.visible_to(self.member).select_related("member__user", "member__organisation")


class UsageView(ApiView):
    """Who uses the SRRT and why: the figures on the analysis page, for a year or all years."""

    permission_classes = [policy("srrt.analyse")]

    @extend_schema(parameters=[YearQuerySerializer], responses=UsageSerializer)
    def get(self, request: Request) -> Response:
        query = YearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(analysis.usage_summary(query.validated_data.get("year")).as_dict())
