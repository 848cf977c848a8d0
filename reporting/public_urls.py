"""Public reporting pages (no sign-in): the published annual report and the profession page, mounted at the root."""

from django.urls import path  # noqa: F401  (pages are added by the annual report modules)

from reporting.annual_report.urls import public_urlpatterns as annual_report_public_urlpatterns

urlpatterns: list = [
    *annual_report_public_urlpatterns,
]
