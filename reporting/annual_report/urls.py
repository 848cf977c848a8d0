from django.urls import path

from reporting.annual_report import public, views

admin_urlpatterns = [
    path("reports/", views.reports, name="reporting-reports"),
    path("reports/v/<int:version_id>/", views.version_detail, name="reporting-report-version"),
    path("reports/v/<int:version_id>/action/", views.version_action, name="reporting-report-action"),
    path("reports/v/<int:version_id>/preview/", views.preview, name="reporting-report-preview"),
    path("reports/v/<int:version_id>/sections/<int:section_id>/", views.section_edit, name="reporting-report-section"),
]

public_urlpatterns = [
    path("annual-report/", public.report_list, name="annual-reports"),
    path("annual-report/<int:year>/", public.report, name="annual-report"),
    path("annual-report/<int:year>/v<int:number>/", public.report, name="annual-report-version"),
    path("annual-report/<int:year>/report.pdf", public.report_pdf, name="annual-report-pdf"),
    path("annual-report/<int:year>/v<int:number>/report.pdf", public.report_pdf, name="annual-report-version-pdf"),
    path("annual-report/<int:year>/data.<str:fmt>", public.report_data, name="annual-report-data"),
    path(
        "annual-report/<int:year>/v<int:number>/data.<str:fmt>",
        public.report_data,
        name="annual-report-version-data",
    ),
    path("profession/", public.profession, name="profession"),
]
