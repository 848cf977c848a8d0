"""Planner statistics for a world seeded inside a test's transaction."""

from __future__ import annotations

from django.db import connection


def analyse_seeded_tables() -> None:
    """ANALYZE on PostgreSQL after seeding a whole world: a fresh test database has no statistics until autovacuum
    gets to it, and without them the planner may nest loops over the demo's ratings (seen in CI: one dashboard
    count ran for more than 7 minutes). A running service has these statistics; the tests should too. ANALYZE
    may run inside the transaction and counts the transaction's own rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
