"""Signed-in reporting pages (dashboards, objectives and KPIs, report authoring), mounted at /reporting/."""

from django.urls import path  # noqa: F401  (pages are added by the reporting page modules)

from reporting.annual_report.urls import admin_urlpatterns as annual_report_admin_urlpatterns

urlpatterns: list = [
    *annual_report_admin_urlpatterns,
]
