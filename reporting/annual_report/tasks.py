"""Annual report jobs. Thin: take ids, call one service."""

from odp.outbox import job
from reporting.annual_report import services


@job("reporting.render_report_pdf", queue="batch", atomic=False, max_retries=3)
def render_report_pdf(*, version_id: int) -> None:
    """Progress is committed as it goes, so the admin's page shows it; a finished PDF is never redone."""
    services.render_pdf(version_id)


@job("reporting.publish_due_reports")
def publish_due_reports() -> int:
    """Every few minutes (celery beat): publish approved versions whose scheduled time has come."""
    return services.publish_due()
