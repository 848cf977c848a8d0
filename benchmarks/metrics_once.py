"""Run the capability metrics job once, in this process, and print its wall time as JSON (for bench.py,
which measures this process's peak memory from outside)."""

import json
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odp.settings.dev")
django.setup()

from skills import metrics  # noqa: E402

started = time.perf_counter()
run = metrics.compute(metrics.request_run(by=None))
print(json.dumps({"seconds": time.perf_counter() - started, "rows": run.rows, "status": run.status}))
