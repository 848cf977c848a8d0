"""A Celery worker started by the test suite: the test profile, but with the broker from REDIS_URL."""

from odp.settings.test import *  # noqa: F403
from odp.settings.test import SERVICES_REDIS_URL

REDIS_URL = SERVICES_REDIS_URL
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
