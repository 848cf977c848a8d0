"""/api/v1/srrt/: surge requests (requesters for their organisations; coordinators read, triage and assign),
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
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from odp.api.base import ApiView, AuditActorMixin, ReadOnlyApiViewSet
from odp.api.permissions import IsMember, policy
from srrt import analysis, matching, services, workflow
from srrt.api.serializers import (
    AssignmentInputSerializer,
    AssignmentSerializer,
    RequestAnswersSerializer,
    ResponderSerializer,
    ShortlistSerializer,
    SurgeRequestSerializer,
    TriageDecisionSerializer,
    TriageInputSerializer,
    UsageSerializer,
    YearQuerySerializer,
)
from srrt.models import Assignment, LastResortAnswer, Responder, SurgeRequest, SurgeStatus

REQUESTER_ACTIONS = {"create", "partial_update", "submit"}
COORDINATOR_ACTIONS = {"triage", "assignments", "shortlist"}


@extend_schema_view(
    create=extend_schema(request=RequestAnswersSerializer, responses={201: SurgeRequestSerializer}),
    partial_update=extend_schema(request=RequestAnswersSerializer, responses=SurgeRequestSerializer),
)
class SurgeRequestViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Surge requests you can see: your organisations' (requesters), all (coordinators and admins)."""

    serializer_class = SurgeRequestSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

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
            )
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
