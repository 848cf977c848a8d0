"""Frameworks, versions, skills and role profiles: read by every member, drafts and writes for ODP admins.

Every query starts from ``FrameworkVersion.objects.visible_to``, so a draft is 404 to anyone but an admin."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from odp.api.base import ReadOnlyApiViewSet
from odp.api.permissions import policy
from odp.tabular import ImportRejected
from skills import exporting, importing, services
from skills.api.common import UPLOAD_REJECTED, query, upload_rejected, uploaded_bytes
from skills.api.framework_serializers import (
    ExportFilterSerializer,
    FrameworkSerializer,
    PublishSerializer,
    RoleProfileFilterSerializer,
    RoleProfileSerializer,
    RoleProfilesUploadSerializer,
    SkillFilterSerializer,
    SkillSerializer,
    VersionCreateSerializer,
    VersionDetailSerializer,
    VersionFilterSerializer,
    VersionImportSerializer,
    VersionSerializer,
)
from skills.models import Expectation, Framework, FrameworkVersion, ProficiencyLevel, RoleProfile, Skill, SkillGroup

MANAGE = "skills.manage_framework"
TAG_FIELDS = {"digital": "is_digital", "data": "is_data", "AI": "is_ai"}
EXPORTS = {
    "json": ("application/json", "json", exporting.export_version_json),
    "csv": ("text/csv; charset=utf-8", "csv", exporting.export_version_csv),
}


def visible_versions(view: ReadOnlyApiViewSet) -> QuerySet[FrameworkVersion]:
    return FrameworkVersion.objects.visible_to(view.member)


class FrameworkViewSet(ReadOnlyApiViewSet):
    """Skills frameworks (the ODP skills framework, and any others), each naming its current version."""

    permission_classes = [policy("skills.view")]
    serializer_class = FrameworkSerializer

    def get_queryset(self) -> QuerySet[Framework]:
        return Framework.objects.order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(parameters=[VersionFilterSerializer]),
    create=extend_schema(
        request=VersionCreateSerializer,
        responses={201: VersionDetailSerializer},
        description="Start a draft: a copy of the current published version (or an empty one on the default scale).",
    ),
    destroy=extend_schema(description="Delete a draft. Published and retired versions cannot be deleted (400)."),
    publish=extend_schema(
        request=PublishSerializer,
        responses=VersionDetailSerializer,
        description="Publish a draft: it becomes current and immutable, and the previous version retires.",
    ),
    import_file=extend_schema(
        request={"multipart/form-data": VersionImportSerializer},
        responses={201: VersionDetailSerializer, 400: UPLOAD_REJECTED},
        description="Import a JSON or CSV file as the framework's new draft, all or nothing.",
    ),
    role_profiles=extend_schema(
        request={"multipart/form-data": RoleProfilesUploadSerializer},
        responses={200: VersionDetailSerializer, 400: UPLOAD_REJECTED},
        description="Replace the role profiles named in a CSV file, in a draft, all or nothing.",
    ),
    export=extend_schema(
        parameters=[ExportFilterSerializer],
        responses={
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="The version as JSON."),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="Skills or role profiles as CSV."),
        },
        description="Download the version in the formats the importer reads back.",
    ),
)
class VersionViewSet(ReadOnlyApiViewSet):
    """Framework versions. Everyone reads published and retired versions; drafts and writes are for admins."""

    permission_classes = [
        policy(
            "skills.view",
            create=MANAGE,
            destroy=MANAGE,
            publish=MANAGE,
            import_file=MANAGE,
            role_profiles=MANAGE,
        )
    ]

    def get_serializer_class(self) -> type[VersionSerializer]:
        return VersionSerializer if self.action == "list" else VersionDetailSerializer

    def get_queryset(self) -> QuerySet[FrameworkVersion]:
        versions = visible_versions(self).order_by("framework_id", "-number", "pk")
        if self.action == "list":
            return versions
        return versions.prefetch_related(
            Prefetch("levels", queryset=ProficiencyLevel.objects.order_by("value")),
            Prefetch("groups", queryset=SkillGroup.objects.order_by("position", "code", "pk")),
        )

    def filter_queryset(self, queryset: QuerySet[FrameworkVersion]) -> QuerySet[FrameworkVersion]:
        if self.action != "list":
            return queryset
        filters = query(self.request, VersionFilterSerializer)
        if "framework" in filters:
            queryset = queryset.filter(framework_id=filters["framework"])
        if "status" in filters:
            queryset = queryset.filter(status=filters["status"])
        return queryset

    def _detail(self, version: FrameworkVersion, status_code: int = status.HTTP_200_OK) -> Response:
        version = self.get_queryset().get(pk=version.pk)
        return Response(VersionDetailSerializer(version).data, status=status_code)

    def create(self, request: Request) -> Response:
        serializer = VersionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = services.version_create_draft(by=self.member, **serializer.validated_data)
        return self._detail(draft, status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        services.version_delete_draft(version=self.get_object(), by=self.member)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.version_publish(version=self.get_object(), by=self.member, **serializer.validated_data)
        return self._detail(version)

    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_file(self, request: Request) -> Response:
        serializer = VersionImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            draft = importing.import_file(
                framework=data["framework"],
                data=uploaded_bytes(request),
                file_format=data["file_format"],
                by=self.member,
                change_notes=data["change_notes"],
            )
        except ImportRejected as exc:
            return upload_rejected(exc)
        return self._detail(draft, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="role-profiles", parser_classes=[MultiPartParser])
    def role_profiles(self, request: Request, pk: str) -> Response:
        version = self.get_object()
        RoleProfilesUploadSerializer(data=request.data).is_valid(raise_exception=True)
        try:
            importing.import_role_profiles(version=version, data=uploaded_bytes(request), by=self.member)
        except ImportRejected as exc:
            return upload_rejected(exc)
        return self._detail(version)

    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str) -> HttpResponse:
        version = self.get_object()
        options = query(request, ExportFilterSerializer)
        name = f"{version.framework.slug}-v{version.number}"
        if options["file_format"] == "role_profiles_csv":
            content_type, filename = "text/csv; charset=utf-8", f"{name}-role-profiles.csv"
            body = exporting.export_role_profiles_csv(version)
        else:
            content_type, ending, export = EXPORTS[options["file_format"]]
            filename = f"{name}.{ending}"
            body = export(version, as_successor=options["as_successor"])
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


@extend_schema_view(list=extend_schema(parameters=[SkillFilterSerializer]))
class SkillViewSet(ReadOnlyApiViewSet):
    """Skills with their group, level descriptors, tags and crosswalks to external frameworks such as DDaT."""

    permission_classes = [policy("skills.view")]
    serializer_class = SkillSerializer

    def get_queryset(self) -> QuerySet[Skill]:
        return (
            Skill.objects.filter(version__in=visible_versions(self))
            .select_related("group")
            .prefetch_related("crosswalks")
            .order_by("version_id", "group__position", "position", "code", "pk")
        )

    def filter_queryset(self, queryset: QuerySet[Skill]) -> QuerySet[Skill]:
        if self.action != "list":
            return queryset
        filters = query(self.request, SkillFilterSerializer)
        for name in ("version", "group"):
            if name in filters:
                queryset = queryset.filter(**{f"{name}_id": filters[name]})
        if "code" in filters:
            queryset = queryset.filter(code=filters["code"])
        if "tag" in filters:
            queryset = queryset.filter(**{TAG_FIELDS[filters["tag"]]: True})
        return queryset


@extend_schema_view(list=extend_schema(parameters=[RoleProfileFilterSerializer]))
class RoleProfileViewSet(ReadOnlyApiViewSet):
    """What each job family at each role level is expected to be able to do, with importance."""

    permission_classes = [policy("skills.view")]
    serializer_class = RoleProfileSerializer

    def get_queryset(self) -> QuerySet[RoleProfile]:
        expectations = Expectation.objects.select_related("skill").order_by("skill__code", "pk")
        return (
            RoleProfile.objects.filter(version__in=visible_versions(self))
            .prefetch_related(Prefetch("expectations", queryset=expectations))
            .order_by("version_id", "job_family", "role_level", "pk")
        )

    def filter_queryset(self, queryset: QuerySet[RoleProfile]) -> QuerySet[RoleProfile]:
        if self.action != "list":
            return queryset
        filters = query(self.request, RoleProfileFilterSerializer)
        if "version" in filters:
            queryset = queryset.filter(version_id=filters["version"])
        for name in ("job_family", "role_level"):
            if name in filters:
                queryset = queryset.filter(**{name: filters[name]})
        return queryset
