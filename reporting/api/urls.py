"""Reporting endpoints, included by odp.api.urls under /api/v1/reporting/."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = [*router.urls]
