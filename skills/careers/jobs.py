"""Career opportunity jobs, run by celery beat. Thin: call one service."""

from odp.outbox import job
from skills.careers import services


@job("skills.close_expired_opportunities")
def close_expired_opportunities() -> int:
    """Daily: opportunities past their closing date are closed (pages already treat them as closed)."""
    return services.close_expired()


@job("skills.weekly_opportunity_digests", queue="batch", atomic=False)
def weekly_opportunity_digests() -> int:
    """Weekly: each member who asked for it gets one email of new matching opportunities."""
    return services.send_weekly_digests()
