"""The fault tests' worker: the suite's worker profile, with the broker's visibility timeout (how long an
unacknowledged job waits before Redis hands it to another worker) shortened by the test that kills a whole worker,
and the restore sweep run on every poll so that redelivery is not left to chance."""

import os

from odp.settings.worker_test import *  # noqa: F403
from odp.settings.worker_test import CELERY_BROKER_TRANSPORT_OPTIONS, DATABASES

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": int(os.environ.get("ODP_TEST_VISIBILITY_TIMEOUT", "3600")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

# Two processes share the SQLite test file (the suite's process relays while the worker runs jobs). A deferred
# transaction that must upgrade to a write lock another holds fails at once with "database is locked", after the
# job's email has gone: the retry then sends it again. The worker takes its write lock up front and waits instead,
# as a PostgreSQL worker waits on row locks. (SQLite is the embedded profile, where jobs run in one process.)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
