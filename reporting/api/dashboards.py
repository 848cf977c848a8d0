"""GET /api/v1/reporting/dashboard/: the dashboard's figures as data, scoped like the page. A head of profession
gets their organisations (or one of them with ?organisation=<id>); another organisation answers 404. The profession
dashboard's filters (organisation kind, grade, job family, snapshot date) apply within that scope; an unknown value
is a 400 naming the field."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from odp.api.base import ApiView
from odp.api.permissions import policy
from odp.models import Grade, JobFamily, OrganisationKind
from reporting import dashboard_cache, dashboards


class DashboardQuerySerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        required=False, min_value=1, help_text="One organisation and its child bodies."
    )
    organisation_kind = serializers.ChoiceField(
        choices=OrganisationKind.choices, required=False, help_text="Only organisations of this kind."
    )
    grade = serializers.ChoiceField(choices=Grade.choices, required=False, help_text="Capability figures for a grade.")
    job_family = serializers.ChoiceField(
        choices=JobFamily.choices,
        required=False,
        help_text="Capability figures for a job family (snapshots computed before job family rows existed have none).",
    )
    snapshot_date = serializers.DateField(
        required=False, help_text="The latest snapshot published on or before this date (default: the latest)."
    )


class DashboardView(ApiView):
    """Capability (from the latest published snapshot), ideas, innovation plans, SRRT use and intervention ROI.
    Suppressed groups (fewer than 5 people) read "fewer than 5"."""

    permission_classes = [policy("dashboard.organisation")]

    @extend_schema(parameters=[DashboardQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        try:
            ids = dashboards.scope_for(self.member, values.get("organisation"))
        except dashboards.OutOfScope:
            raise Http404 from None
        filters = dashboards.Filters(
            organisation_kind=values.get("organisation_kind", ""),
            grade=values.get("grade", ""),
            job_family=values.get("job_family", ""),
            snapshot_date=values.get("snapshot_date"),
        )
        return Response(dashboard_cache.build(ids, filters).as_dict())
