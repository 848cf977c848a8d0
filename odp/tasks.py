"""Core jobs. Thin: take ids, call one service."""

from odp import notifications
from odp.outbox import job, relay_pending


@job("odp.relay_outbox", max_retries=0)
def relay_outbox() -> int:
    """The periodic sweep (celery beat) that publishes whatever the on-commit relay could not."""
    return relay_pending()


@job("odp.deliver_notification")
def deliver_notification(*, notification_id: int) -> None:
    notifications.deliver(notification_id=notification_id)
