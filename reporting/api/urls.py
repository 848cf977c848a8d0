"""Reporting endpoints, included by odp.api.urls under /api/v1/reporting/."""

from rest_framework.routers import SimpleRouter

from reporting.api.reports import PublishedReportViewSet

router = SimpleRouter()
router.register("reports", PublishedReportViewSet, basename="reporting-report")

urlpatterns = [*router.urls]
