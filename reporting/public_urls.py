"""Public reporting pages (no sign-in): the published annual report and the profession page, mounted at the root."""

from reporting.annual_report.urls import public_urlpatterns as annual_report_public_urlpatterns

urlpatterns = [*annual_report_public_urlpatterns]
