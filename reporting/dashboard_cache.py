"""Dashboards kept for a short while, so a page of readers does not rebuild the same figures on every request.

A dashboard is about 30 aggregate queries and 100 ms of work at full scale (the capability figures sum thousands of
snapshot rows; the ideas figures count a year of ideas). With 20 readers at once on a 2-core machine that work
queues up (`make bench`, benchmarks/reporting.py), so the built dashboard is kept in the cache for
``settings.DASHBOARD_CACHE_SECONDS`` (0: never kept).

The key is everything the dashboard depends on: the exact organisation ids the reader's scope gave (so a head of
profession can only ever be served their own scope), the filters, the title, and the state of the published
snapshots (a new or re-run snapshot is shown at once). What may lag by up to the cache time are the live counts
beside the snapshot figures (ideas, innovation plans, SRRT, ROI)."""

from __future__ import annotations

import hashlib
from collections.abc import Collection

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from reporting import dashboards

KEY_PREFIX = "reporting:dashboard:v1:"


def _snapshot_state() -> str:
    from skills.models import PublishedSnapshot

    state = PublishedSnapshot.objects.aggregate(n=Count("pk"), last=Max("published_at"), runs=Max("run_id"))
    return f"{state['n']}:{state['last'].isoformat() if state['last'] else ''}:{state['runs']}"


def cache_key(organisation_ids: Collection[int] | None, filters: dashboards.Filters, title: str) -> str:
    scope = "all" if organisation_ids is None else ",".join(str(pk) for pk in sorted(organisation_ids))
    raw = "|".join([scope, repr(filters), title, _snapshot_state()])
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def build(
    organisation_ids: Collection[int] | None, filters: dashboards.Filters | None = None, *, title: str = ""
) -> dashboards.Dashboard:
    """``dashboards.build``, from the cache when the same dashboard was built in the last few seconds."""
    filters = filters or dashboards.Filters()
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return dashboards.build(organisation_ids, filters, title=title)
    key = cache_key(organisation_ids, filters, title)
    dashboard = cache.get(key)
    if dashboard is None:
        dashboard = dashboards.build(organisation_ids, filters, title=title)
        cache.set(key, dashboard, seconds)
    return dashboard
