"""Reporting endpoints, included by odp.api.urls under /api/v1/reporting/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from reporting.api.dashboards import DashboardView
from reporting.api.kpis import KpiViewSet, ObjectiveViewSet
from reporting.api.reports import PublishedReportViewSet

router = SimpleRouter()
router.register("reports", PublishedReportViewSet, basename="reporting-report")
router.register("objectives", ObjectiveViewSet, basename="reporting-objective")
router.register("kpis", KpiViewSet, basename="reporting-kpi")

urlpatterns = [
    *router.urls,
    path("dashboard/", DashboardView.as_view(), name="reporting-api-dashboard"),
]
