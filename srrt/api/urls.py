"""SRRT endpoints, included by odp.api.urls under /api/v1/srrt/."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = [*router.urls]
