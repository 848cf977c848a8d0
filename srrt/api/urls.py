"""SRRT endpoints, included by odp.api.urls under /api/v1/srrt/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from srrt.api import views

router = SimpleRouter()
router.register("requests", views.SurgeRequestViewSet, basename="srrt-request")
router.register("responders", views.ResponderViewSet, basename="srrt-responder")

urlpatterns = [
    path("analytics/", views.UsageView.as_view(), name="srrt-analytics"),
    *router.urls,
]
