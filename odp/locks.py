"""Cross-process locks for long jobs: PostgreSQL advisory locks; a no-op on SQLite (one process)."""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator

from django.db import connection


def _key(name: str) -> int:
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


@contextlib.contextmanager
def advisory_lock(name: str) -> Iterator[bool]:
    """Try to take a session-level lock named ``name``; yields whether it was taken. Never waits."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = _key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        taken = bool(cursor.fetchone()[0])
    try:
        yield taken
    finally:
        if taken:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
