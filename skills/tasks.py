"""Skills jobs. Thin: take ids, call one service."""

from odp.outbox import job
from skills import metrics


@job("skills.compute_capability_metrics", queue="batch", atomic=False, max_retries=10)
def compute_capability_metrics(*, run_id: int) -> int:
    return metrics.compute_by_id(run_id).rows


@job("skills.nightly_capability_metrics", queue="batch", atomic=False)
def nightly_capability_metrics() -> int:
    """Celery beat's nightly run for today's snapshot."""
    return metrics.compute(metrics.request_run(by=None)).rows


# Career opportunity jobs live beside the careers code; importing them here registers them with Celery.
from skills.careers import jobs as careers_jobs  # noqa: E402, F401
