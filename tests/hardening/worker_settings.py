"""The fault tests' worker: the suite's worker profile, with the broker's visibility timeout (how long an
unacknowledged job waits before Redis hands it to another worker) shortened by the test that kills a whole worker,
and the restore sweep run on every poll so that redelivery is not left to chance."""

import os

from odp.settings.worker_test import *  # noqa: F403
from odp.settings.worker_test import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": int(os.environ.get("ODP_TEST_VISIBILITY_TIMEOUT", "3600")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
