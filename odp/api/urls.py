"""/api/v1/. Each app adds its router here; the catch-all stays last."""

from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from odp.api import errors, views

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("members", views.MemberViewSet, basename="member")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    *router.urls,
    path("", include("innovation.api.urls")),
    path("skills/", include("skills.api.urls")),
    path("srrt/", include("srrt.api.urls")),
    path("reporting/", include("reporting.api.urls")),
    # Unknown paths under /api/v1/ answer in the API's error format rather than with the HTML 404 page.
    re_path(r"^(?P<path>.*)$", errors.not_found, name=errors.NOT_FOUND_URL_NAME),
]
