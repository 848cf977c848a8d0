from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from odp import health
from odp.api.docs import SwaggerView

urlpatterns = [
    path("", include("odp.web.urls")),
    path("skills/", include("skills.urls")),
    path("careers/", include("skills.careers.urls")),
    path("ideas/", include("innovation.urls")),
    path("srrt/", include("srrt.urls")),
    path("reporting/", include("reporting.urls")),
    path("", include("reporting.public_urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include("odp.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("django-admin/", admin.site.urls),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler403 = "odp.web.views.permission_denied"
handler404 = "odp.web.views.page_not_found"
handler500 = "odp.web.views.server_error"
