"""Signed-in reporting pages (dashboards, objectives and KPIs, report authoring), mounted at /reporting/."""

from django.urls import path  # noqa: F401  (pages are added by the reporting page modules)

urlpatterns: list = []
