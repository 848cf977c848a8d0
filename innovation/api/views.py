"""/api/v1/ideas/ and /api/v1/case-studies/. Reads start from visible_to (out of scope is 404); decisions
start from reviewable_by (deciding outside your organisations is 404); every write goes through a service."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # DRF's: an id like 'null' is a 404, not a 500
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from innovation import selectors, services, workflow
from innovation.api.learning import IdeaLearningActions, IdeaWriteThrottle
from innovation.api.serializers import (
    CommentSerializer,
    DecisionInputSerializer,
    DecisionSerializer,
    IdeaAnswersSerializer,
    IdeaFilterSerializer,
    IdeaSerializer,
    IdeaSummarySerializer,
    MoveSerializer,
    ReportInputSerializer,
    SimilarQuerySerializer,
)
from innovation.models import Comment, Idea, IdeaEvent
from odp.api.base import AuditActorMixin
from odp.api.permissions import IsMember, policy
from odp.models import Organisation

REVIEW_ACTIONS = {"decision", "move", "review_queue"}
WRITE_ACTIONS = {"create", "comments", "report", "case_study", "adoptions", "report_comment"}


@extend_schema_view(
    list=extend_schema(parameters=[IdeaFilterSerializer]),
    create=extend_schema(request=IdeaAnswersSerializer, responses={201: IdeaSerializer}),
    partial_update=extend_schema(request=IdeaAnswersSerializer, responses=IdeaSerializer),
)
class IdeaViewSet(
    IdeaLearningActions, AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Ideas you can see. Drafts are only ever their author's."""

    serializer_class = IdeaSerializer

    def get_permissions(self) -> list[BasePermission]:
        if self.action in REVIEW_ACTIONS:
            return [policy("ideas.review")()]
        return [IsMember()]

    def get_throttles(self) -> list[BaseThrottle]:
        throttles = super().get_throttles()
        if self.action in WRITE_ACTIONS and self.request.method == "POST":
            throttles.append(IdeaWriteThrottle())
        return throttles

    def get_serializer_class(self) -> type:
        return IdeaSummarySerializer if self.action in {"list", "review_queue", "similar"} else IdeaSerializer

    def get_queryset(self) -> QuerySet[Idea]:
        events = Prefetch("events", queryset=IdeaEvent.objects.select_related("actor__user"))
        return (
            Idea.objects.visible_to(self.member)
            .select_related("organisation", "author__user")
            .prefetch_related("themes", events, "decisions__decided_by__user")
            .order_by("-pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filters = IdeaFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        ideas = selectors.browse(self.member, selectors.IdeaFilters(**filters.validated_data))
        page = self.paginate_queryset(ideas)
        return self.get_paginated_response(IdeaSummarySerializer(page, many=True).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        answers = IdeaAnswersSerializer(data=request.data)
        answers.is_valid(raise_exception=True)
        data = dict(answers.validated_data)
        themes = data.pop("themes", None)
        idea = services.idea_save_draft(by=self.member, answers=data, themes=themes)
        return Response(IdeaSerializer(self.get_queryset().get(pk=idea.pk)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        idea = self.get_object()
        answers = IdeaAnswersSerializer(data=request.data, partial=True)
        answers.is_valid(raise_exception=True)
        data = dict(answers.validated_data)
        themes = data.pop("themes", None)
        services.idea_save_draft(by=self.member, idea=idea, answers=data, themes=themes)
        return Response(IdeaSerializer(self.get_queryset().get(pk=idea.pk)).data)

    def _fresh(self, idea: Idea) -> Response:
        return Response(IdeaSerializer(self.get_queryset().get(pk=idea.pk)).data)

    @extend_schema(request=None, responses=IdeaSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Submit a draft: it gets a reference and the date by which you will hear."""
        return self._fresh(workflow.idea_submit(idea=self.get_object(), by=self.member))

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Done.")})
    @action(detail=True, methods=["post", "delete"])
    def endorse(self, request: Request, pk: str | None = None) -> Response:
        """Endorse an idea (once), or withdraw your endorsement with DELETE."""
        idea = self.get_object()
        if request.method == "DELETE":
            services.endorse_withdraw(idea=idea, by=self.member)
        else:
            services.endorse(idea=idea, by=self.member)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Done.")})
    @action(detail=True, methods=["post", "delete"])
    def follow(self, request: Request, pk: str | None = None) -> Response:
        """Follow an idea to hear of its status changes, or stop with DELETE."""
        idea = self.get_object()
        if request.method == "DELETE":
            services.unfollow(idea=idea, by=self.member)
        else:
            services.follow(idea=idea, by=self.member)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], responses=CommentSerializer(many=True))
    @extend_schema(methods=["POST"], request=CommentSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request: Request, pk: str | None = None) -> Response:
        idea = self.get_object()
        if request.method == "POST":
            body = CommentSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            comment = services.comment_add(idea=idea, by=self.member, body=body.validated_data["body"])
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        comments = Comment.objects.visible_to(self.member).filter(idea=idea).select_related("author__user")
        page = self.paginate_queryset(comments.order_by("created_at", "pk"))
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(request=ReportInputSerializer, responses={204: OpenApiResponse(description="Reported.")})
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str | None = None) -> Response:
        """Ask the moderators to look at this idea."""
        idea = self.get_object()  # first, so an idea the caller cannot see is 404 whatever the body
        body = ReportInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.report_raise(by=self.member, idea=idea, reason=body.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _reviewable(self) -> Idea:
        return get_object_or_404(Idea.objects.reviewable_by(self.member), pk=self.kwargs["pk"])

    @extend_schema(request=DecisionInputSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: str | None = None) -> Response:
        """Decide an idea under review (heads of profession of its organisation, and admins)."""
        idea = self._reviewable()
        body = DecisionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        route_to = get_object_or_404(Organisation, pk=data["route_to"]) if data.get("route_to") else None
        merge_into = (
            get_object_or_404(Idea.objects.visible_to(self.member), pk=data["merge_into"])
            if data.get("merge_into")
            else None
        )
        decision = workflow.idea_decide(
            idea=idea,
            by=self.member,
            outcome=data["outcome"],
            feedback=data["feedback"],
            reason=data["reason"],
            route_to=route_to,
            merge_into=merge_into,
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MoveSerializer, responses=IdeaSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Start review, start work, mark implemented or benefits realised."""
        idea = self._reviewable()
        body = MoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        workflow.idea_move(idea=idea, by=self.member, to=body.validated_data["to"], note=body.validated_data["note"])
        return self._fresh(idea)

    @extend_schema(responses=IdeaSummarySerializer(many=True))
    @action(detail=False, methods=["get"], url_path="review-queue")
    def review_queue(self, request: Request) -> Response:
        """Ideas owed a decision by organisations you lead, soonest due first."""
        page = self.paginate_queryset(selectors.review_queue(self.member).prefetch_related("themes"))
        return self.get_paginated_response(IdeaSummarySerializer(page, many=True).data)

    @extend_schema(parameters=[SimilarQuerySerializer], responses=IdeaSummarySerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)  # at most five, never paged
    def similar(self, request: Request) -> Response:
        """Ideas that look like the one being written, most alike first (at most five)."""
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = selectors.similar_ideas(self.member, **query.validated_data)
        return Response(IdeaSummarySerializer(found, many=True).data)
