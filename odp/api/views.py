"""Core endpoints: who am I, organisations and members, each scoped by its model's ``visible_to``."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from odp.api.base import ApiView, ReadOnlyApiViewSet
from odp.api.permissions import IsMember, policy
from odp.api.serializers import (
    MemberSerializer,
    MeSerializer,
    OrganisationFilterSerializer,
    OrganisationSerializer,
)
from odp.models import Member, Organisation


class MeView(ApiView):
    """The signed-in member: their place in the profession, roles and the organisations they review."""

    permission_classes = [IsMember]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        if self.member is None:
            raise NotAuthenticated
        related = ("user", "organisation", "line_manager__user")
        member = Member.objects.select_related(*related).get(pk=self.member.pk)
        return Response(MeSerializer(member).data)


@extend_schema_view(list=extend_schema(parameters=[OrganisationFilterSerializer]))
class OrganisationViewSet(ReadOnlyApiViewSet):
    """Organisations you can see: your own, and those you lead the profession for (with child bodies)."""

    permission_classes = [policy("organisations.list")]
    serializer_class = OrganisationSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        children = Prefetch("children", queryset=Organisation.objects.order_by("pk").only("pk", "parent_id"))
        return Organisation.objects.visible_to(self.member).prefetch_related(children).order_by("name", "pk")

    def filter_queryset(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        if self.action != "list":
            return queryset
        filters = OrganisationFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        if kind := filters.validated_data.get("kind"):
            queryset = queryset.filter(kind=kind)
        return queryset


class MemberViewSet(ReadOnlyApiViewSet):
    """Members you can see: yourself, your reports, and everyone in organisations you lead."""

    permission_classes = [policy("members.list")]
    serializer_class = MemberSerializer

    def get_queryset(self) -> QuerySet[Member]:
        return (
            Member.objects.visible_to(self.member)
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "pk")
        )
