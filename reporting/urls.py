"""Signed-in reporting pages (dashboards, objectives and KPIs, report authoring), mounted at /reporting/."""

from django.urls import path

from reporting.annual_report.urls import admin_urlpatterns as annual_report_admin_urlpatterns
from reporting.views import dashboards, objectives

urlpatterns: list = [
    *annual_report_admin_urlpatterns,
    path("dashboard/", dashboards.organisation_dashboard, name="reporting-dashboard"),
    path("profession/", dashboards.profession_dashboard, name="reporting-profession"),
    path("objectives/", objectives.objectives_home, name="reporting-objectives"),
    path("objectives/<int:year>/", objectives.objectives_year, name="reporting-objectives-year"),
    path("objectives/<int:year>/add/", objectives.objective_edit, name="reporting-objective-add"),
    path("objectives/<int:year>/<int:objective_id>/", objectives.objective_edit, name="reporting-objective-edit"),
    path("objectives/o/<int:objective_id>/kpis/add/", objectives.kpi_edit, name="reporting-kpi-add"),
    path("objectives/o/<int:objective_id>/kpis/<int:kpi_id>/", objectives.kpi_edit, name="reporting-kpi-edit"),
    path("objectives/kpis/<int:kpi_id>/value/", objectives.kpi_value, name="reporting-kpi-value"),
]
