"""API for learning from each other and for moderation: case studies (public read), adoption ("we adopted
this"), departmental innovation plans with commitments, and reports, hiding and restoring. Reads start from
``visible_to``; every write goes through learning.py or services.py, which check who may do it."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404  # DRF's: an id like 'null' is a 404, not a 500
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, UserRateThrottle

from innovation import learning, moderation, services
from innovation.api.learning_serializers import (
    AdoptionInputSerializer,
    AdoptionSerializer,
    CaseStudyInputSerializer,
    CaseStudyWriterSerializer,
    CommitmentSerializer,
    InnovationPlanSerializer,
    ModerateInputSerializer,
    PlanInputSerializer,
    ReportSerializer,
)
from innovation.api.serializers import CaseStudySerializer, ReportInputSerializer
from innovation.models import CaseStudy, Comment, Commitment, Idea, InnovationPlan, Report
from odp.api.base import ApiView, AuditActorMixin
from odp.api.permissions import IsMember, policy
from odp.models import Organisation


class IdeaWriteThrottle(UserRateThrottle):
    """Creating ideas, comments, case studies, adoptions, plans and reports: generous for people, a brake on
    scripts. One budget across all of them."""

    scope = "ideas_write"
    rate = "60/hour"


class IdeaLearningActions:
    """Actions on one idea, mixed into IdeaViewSet (which supplies get_object, member and pagination)."""

    @extend_schema(methods=["GET"], request=None, responses=CaseStudyWriterSerializer)
    @extend_schema(methods=["POST"], request=CaseStudyInputSerializer, responses={201: CaseStudyWriterSerializer})
    @extend_schema(methods=["PATCH"], request=CaseStudyInputSerializer, responses=CaseStudyWriterSerializer)
    @action(detail=True, methods=["get", "post", "patch"], url_path="case-study")
    def case_study(self, request: Request, pk: str | None = None) -> Response:
        """The implemented idea's case study: write it (author or head of profession), change it, or read it."""
        idea = self.get_object()
        study = CaseStudy.objects.visible_to(self.member).filter(idea=idea).first()
        if request.method == "GET":
            if study is None:
                raise NotFound("This idea has no case study you can see.")
            return Response(CaseStudyWriterSerializer(study).data)
        body = CaseStudyInputSerializer(data=request.data, partial=request.method == "PATCH")
        body.is_valid(raise_exception=True)
        if request.method == "PATCH" and study is None:
            raise NotFound("This idea has no case study you can see.")
        saved = learning.case_study_save(by=self.member, idea=idea, answers=body.validated_data, case_study=study)
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(CaseStudyWriterSerializer(saved).data, status=code)

    @extend_schema(methods=["GET"], request=None, responses=AdoptionSerializer(many=True))
    @extend_schema(methods=["POST"], request=AdoptionInputSerializer, responses={201: AdoptionSerializer})
    @action(detail=True, methods=["get", "post"])
    def adoptions(self, request: Request, pk: str | None = None) -> Response:
        """Organisations that adopted this implemented idea; POST records that yours did, with its benefits."""
        idea = self.get_object()
        if request.method == "POST":
            body = AdoptionInputSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            adoption = learning.adoption_record(by=self.member, idea=idea, **body.validated_data)
            return Response(AdoptionSerializer(adoption).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(idea.adoptions.select_related("organisation").order_by("-adopted_on", "-pk"))
        return self.get_paginated_response(AdoptionSerializer(page, many=True).data)

    @extend_schema(request=ReportInputSerializer, responses={204: OpenApiResponse(description="Reported.")})
    @action(detail=True, methods=["post"], url_path=r"comments/(?P<comment_id>\d+)/report")
    def report_comment(self, request: Request, pk: str | None = None, comment_id: str | None = None) -> Response:
        """Ask the moderators to look at a comment on this idea."""
        idea = self.get_object()
        comment = get_object_or_404(Comment.objects.visible_to(self.member), pk=comment_id, idea=idea)
        body = ReportInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.report_raise(by=self.member, comment=comment, reason=body.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class CaseStudyViewSet(AuditActorMixin, viewsets.ReadOnlyModelViewSet):
    """Published case studies. Public read: without signing in, the ones published to everyone; signed in,
    also those shared with your part of government."""

    serializer_class = CaseStudySerializer
    lookup_field = "slug"

    def get_permissions(self) -> list[BasePermission]:
        # Public read: the one place the API lets anyone in without signing in. AllowAny itself (not a subclass)
        # so the schema marks these operations public; tests/odp/test_schema.py names them in its allow-list.
        return [AllowAny()] if self.action in {"list", "retrieve"} else [IsMember()]

    def get_throttles(self) -> list[BaseThrottle]:
        return [*super().get_throttles(), IdeaWriteThrottle()] if self.action == "publish" else super().get_throttles()

    def get_queryset(self) -> QuerySet[CaseStudy]:
        return (
            CaseStudy.objects.visible_to(self.member)
            .filter(status=CaseStudy.Status.PUBLISHED, is_hidden=False)
            .select_related("organisation", "idea")
            .order_by("-published_at", "-pk")
        )

    @extend_schema(request=None, responses=CaseStudyWriterSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, slug: str | None = None) -> Response:
        """Publish a case study to its audience (a head of profession for its organisation)."""
        study = get_object_or_404(CaseStudy.objects.visible_to(self.member), slug=slug)
        return Response(CaseStudyWriterSerializer(learning.case_study_publish(by=self.member, case_study=study)).data)


@extend_schema_view(create=extend_schema(request=PlanInputSerializer, responses={201: InnovationPlanSerializer}))
class InnovationPlanViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Departmental innovation plans: how staff get time, skills, tools and support to raise ideas, with
    commitments and progress. Staff read their organisation's; heads of profession write theirs; admins see all."""

    permission_classes = [IsMember]
    serializer_class = InnovationPlanSerializer

    def get_throttles(self) -> list[BaseThrottle]:
        throttles = super().get_throttles()
        if self.request.method == "POST":
            throttles.append(IdeaWriteThrottle())
        return throttles

    def get_queryset(self) -> QuerySet[InnovationPlan]:
        return (
            InnovationPlan.objects.visible_to(self.member)
            .select_related("organisation")
            .prefetch_related("commitments")
            .order_by("-year", "organisation__name", "pk")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        """Record (or replace) an organisation's plan for a year."""
        body = PlanInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        organisation = get_object_or_404(Organisation, pk=data.pop("organisation"))
        plan = learning.plan_save(by=self.member, organisation=organisation, year=data.pop("year"), answers=data)
        return Response(InnovationPlanSerializer(self.get_queryset().get(pk=plan.pk)).data, status=201)

    @extend_schema(request=CommitmentSerializer, responses={201: CommitmentSerializer})
    @action(detail=True, methods=["post"])
    def commitments(self, request: Request, pk: str | None = None) -> Response:
        """Add a commitment to the plan."""
        plan = self.get_object()
        body = CommitmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        commitment = learning.commitment_save(by=self.member, plan=plan, **body.validated_data)
        return Response(CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommitmentSerializer, responses=CommitmentSerializer)
    @action(detail=True, methods=["patch"], url_path=r"commitments/(?P<commitment_id>\d+)")
    def commitment(self, request: Request, pk: str | None = None, commitment_id: str | None = None) -> Response:
        """Update a commitment's progress (or anything else about it)."""
        plan = self.get_object()
        current = get_object_or_404(Commitment, pk=commitment_id, plan=plan)
        body = CommitmentSerializer(current, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        values = {name: getattr(current, name) for name in ("description", "progress", "progress_note", "due_on")}
        values.update(body.validated_data)
        saved = learning.commitment_save(by=self.member, plan=plan, commitment=current, **values)
        return Response(CommitmentSerializer(saved).data)


class OpenReportsView(ApiView):
    """Reports on ideas and comments that no moderator has dealt with yet, oldest first (ODP admins)."""

    permission_classes = [policy("ideas.moderate")]

    @extend_schema(responses=ReportSerializer(many=True))
    def get(self, request: Request) -> Response:
        reports = Report.objects.filter(outcome=Report.Outcome.OPEN).select_related("reporter__user")
        return Response(ReportSerializer(reports.order_by("created_at", "pk"), many=True).data)


class DismissReportView(ApiView):
    """Dismiss a report, leaving what was reported showing (ODP admins)."""

    permission_classes = [policy("ideas.moderate")]

    @extend_schema(request=None, responses=ReportSerializer)
    def post(self, request: Request, pk: int) -> Response:
        report = get_object_or_404(Report.objects.select_related("reporter__user"), pk=pk)
        return Response(ReportSerializer(services.report_dismiss(report=report, by=self.member)).data)


class _ModerateView(ApiView):
    permission_classes = [policy("ideas.moderate")]

    def _apply(self, request: Request, *, idea: Idea | None = None, comment: Comment | None = None) -> Response:
        body = ModerateInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        hide = body.validated_data["action"] == "hide"
        services.moderate(by=self.member, hide=hide, note=body.validated_data["note"], idea=idea, comment=comment)
        reports = moderation.reports_on(idea=idea, comment=comment)
        return Response(ReportSerializer(reports, many=True).data)


class ModerateIdeaView(_ModerateView):
    """Hide an idea (a note is required; its author still sees it) or restore it. Its reports are resolved."""

    @extend_schema(request=ModerateInputSerializer, responses=ReportSerializer(many=True))
    def post(self, request: Request, pk: int) -> Response:
        return self._apply(request, idea=get_object_or_404(Idea.objects.exclude(status="draft"), pk=pk))


class ModerateCommentView(_ModerateView):
    """Hide a comment (a note is required) or restore it. Its reports are resolved."""

    @extend_schema(request=ModerateInputSerializer, responses=ReportSerializer(many=True))
    def post(self, request: Request, pk: int) -> Response:
        return self._apply(request, comment=get_object_or_404(Comment, pk=pk))
