"""GET /api/v1/reporting/dashboard/: the dashboard's figures as data, scoped like the page. A head of profession
gets their organisations (or one of them with ?organisation=<id>); another organisation answers 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from odp.api.base import ApiView
from odp.api.permissions import policy
from reporting import dashboards


class DashboardView(ApiView):
    """Capability (from the latest published snapshot), ideas, innovation plans, SRRT use and intervention ROI.
    Suppressed groups (fewer than 5 people) read "fewer than 5"."""

    permission_classes = [policy("dashboard.organisation")]

    @extend_schema(
        parameters=[
            OpenApiParameter("organisation", OpenApiTypes.INT, description="One organisation and its child bodies")
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("organisation")
        try:
            organisation_id = int(raw) if raw else None
            ids = dashboards.scope_for(self.member, organisation_id)
        except (ValueError, dashboards.OutOfScope):
            raise Http404 from None
        return Response(dashboards.build(ids).as_dict())
