"""Reporting jobs, found by Celery's autodiscovery; each feature's jobs live beside its services."""

from reporting.annual_report.tasks import publish_due_reports, render_report_pdf

__all__ = ["publish_due_reports", "render_report_pdf"]
