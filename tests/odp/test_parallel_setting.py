"""Serial query plans for web requests: DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER (odp/settings/base.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
_SHOW = (
    "import django; django.setup()\n"
    "from django.conf import settings\n"
    "from django.db import connection\n"
    "if connection.vendor == 'postgresql':\n"
    "    with connection.cursor() as c:\n"
    "        c.execute('SHOW max_parallel_workers_per_gather'); print(c.fetchone()[0])\n"
    "else:\n"
    "    print(settings.DATABASES['default'].get('OPTIONS', {}).get('options', 'none'))\n"
)


def _in_a_fresh_process(value: str | None) -> str:
    """The setting a process configured with ``value`` runs its queries with (on SQLite, its connection options)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER"}
    env["DJANGO_SETTINGS_MODULE"] = "odp.settings.dev"
    if value is not None:
        env["DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER"] = value
    done = subprocess.run([sys.executable, "-c", _SHOW], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_web_requests_can_be_held_to_serial_plans(db):
    if connection.vendor != "postgresql":
        assert _in_a_fresh_process("0") == "none"  # SQLite plans nothing in parallel: no option to pass
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        default = cursor.fetchone()[0]
    assert default != "0"
    assert _in_a_fresh_process("0") == "0"
    assert _in_a_fresh_process(None) == default
    assert _in_a_fresh_process("1") == "1"
