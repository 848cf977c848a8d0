"""Published annual reports: public read, without signing in. Only frozen content is served."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from rest_framework import serializers
from rest_framework.permissions import AllowAny, BasePermission

from odp.api.base import ReadOnlyApiViewSet
from reporting.models import ReportVersion, VersionStatus


class ReportVersionSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="report.year")
    title = serializers.CharField(source="report.title")
    version = serializers.IntegerField(source="number")
    html_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    data_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportVersion
        fields = ["year", "title", "version", "published_at", "change_note", "html_url", "pdf_url", "data_url"]

    def _url(self, name: str, *args: object) -> str:
        request = self.context.get("request")
        path = reverse(name, args=args)
        return request.build_absolute_uri(path) if request else path

    def get_html_url(self, obj: ReportVersion) -> str:
        return self._url("annual-report-version", obj.report.year, obj.number)

    def get_pdf_url(self, obj: ReportVersion) -> str | None:
        return (
            self._url("annual-report-version-pdf", obj.report.year, obj.number) if obj.pdf_status == "ready" else None
        )

    def get_data_url(self, obj: ReportVersion) -> str:
        return self._url("annual-report-data", obj.report.year, "zip")


class TableSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    header = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))


class ReportDetailSerializer(ReportVersionSerializer):
    html = serializers.CharField(source="frozen_html")
    tables = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()

    class Meta(ReportVersionSerializer.Meta):
        fields = [*ReportVersionSerializer.Meta.fields, "html", "tables", "versions"]

    def get_tables(self, obj: ReportVersion) -> list[dict]:
        return TableSerializer(obj.frozen_data.get("tables", []), many=True).data

    def get_versions(self, obj: ReportVersion) -> list[dict]:
        earlier = obj.report.versions.filter(status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED])
        return ReportVersionSerializer(earlier.order_by("-number"), many=True, context=self.context).data


class PublishedReportViewSet(ReadOnlyApiViewSet):
    """The latest published version of each year's annual report, by year, with its frozen HTML and data tables.
    Public read: AllowAny itself, so the schema marks these operations public (tests/odp/test_schema.py)."""

    lookup_field = "report__year"
    lookup_url_kwarg = "year"
    lookup_value_regex = r"\d{4}"

    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny()]

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ReportDetailSerializer if self.action == "retrieve" else ReportVersionSerializer

    def get_queryset(self) -> QuerySet[ReportVersion]:
        return (
            ReportVersion.objects.filter(status=VersionStatus.PUBLISHED)
            .select_related("report")
            .defer("pdf")
            .order_by("-report__year")
        )
