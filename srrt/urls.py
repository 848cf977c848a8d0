"""The SRRT pages, mounted at /srrt/ by odp.urls."""

from django.urls import path

from srrt.views import analysis, operations

urlpatterns: list = [
    path("requests/<int:pk>/deployment/", operations.deployment, name="srrt-deployment"),
    path("analysis/", analysis.usage, name="srrt-analysis"),
]
