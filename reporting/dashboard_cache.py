"""Dashboards kept for a short while, so a page of readers does not rebuild the same figures on every request.

A dashboard is about 30 aggregate queries and 100 ms of work at full scale (the capability figures sum thousands of
snapshot rows; the ideas figures count a year of ideas). With 20 readers at once on a 2-core machine that work
queues up (`make bench`, benchmarks/reporting.py), so the built dashboard is kept in the cache for
``settings.DASHBOARD_CACHE_SECONDS`` (0: never kept).

The key is everything the dashboard depends on: the exact organisation ids the reader's scope gave (so a head of
profession can only ever be served their own scope), the filters, the title, and the state of the published
snapshots (a new or re-run snapshot is shown at once). What may lag by up to the cache time are the live counts
beside the snapshot figures (ideas, innovation plans, SRRT, ROI). Those depend on the organisations and the year
alone, so they are also kept on their own and shared by every filter of the same organisations: a dashboard with a
new combination of filters only sums its snapshot rows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from reporting import dashboards

KEY_PREFIX = "reporting:dashboard:v1:"
T = TypeVar("T")


def snapshot_state() -> str:
    """Changes whenever a snapshot is published (or re-published for its date)."""
    from skills.models import PublishedSnapshot

    state = PublishedSnapshot.objects.aggregate(n=Count("pk"), last=Max("published_at"), runs=Max("run_id"))
    return f"{state['n']}:{state['last'].isoformat() if state['last'] else ''}:{state['runs']}"


def cache_key(organisation_ids: Collection[int] | None, filters: dashboards.Filters, title: str) -> str:
    """The raw key of a whole dashboard (``cached`` hashes it)."""
    scope = "all" if organisation_ids is None else ",".join(str(pk) for pk in sorted(organisation_ids))
    return "|".join(["dashboard", scope, repr(filters), title, snapshot_state()])


def cached(raw_key: str, make: Callable[[], T]) -> T:
    """``make()``, kept for ``settings.DASHBOARD_CACHE_SECONDS`` under ``raw_key`` (made afresh when that is 0)."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return make()
    key = KEY_PREFIX + hashlib.sha256(raw_key.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = make()
        cache.set(key, value, seconds)
    return value


def build(
    organisation_ids: Collection[int] | None, filters: dashboards.Filters | None = None, *, title: str = ""
) -> dashboards.Dashboard:
    """``dashboards.build``, from the cache when the same dashboard was built in the last few seconds."""
    filters = filters or dashboards.Filters()
    if settings.DASHBOARD_CACHE_SECONDS <= 0:
        return dashboards.build(organisation_ids, filters, title=title)
    return cached(cache_key(organisation_ids, filters, title), lambda: _drawn(organisation_ids, filters, title))


def _drawn(organisation_ids: Collection[int] | None, filters: dashboards.Filters, title: str) -> dashboards.Dashboard:
    """The dashboard with its charts drawn and their tables formatted, so the copy in the cache carries them."""
    dashboard = dashboards.build(organisation_ids, filters, title=title)
    for table in dashboard.tables.values():
        if table.chart is not None:
            table.chart.svg()
            table.chart.table_rows()
    return dashboard
