"""The test suite's profile: the embedded profile plus fast hashing. DATABASE_URL and REDIS_URL come from
``make test`` (real PostgreSQL and Redis)."""

import os

from odp.settings.dev import *  # noqa: F403
from odp.settings.dev import DATABASES, VAR_DIR
from odp.settings.env import env_str

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Jobs run inline unless a test opts into the broker. The real Redis that `make test` starts is kept in
# SERVICES_REDIS_URL for the tests that drive a real Celery worker through it.
SERVICES_REDIS_URL = env_str("REDIS_URL", "")
REDIS_URL = ""
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = False
AXES_FAILURE_LIMIT = 5
# Tests that need the dashboard cache turn it on (tests/reporting/test_dashboard_cache.py).
DASHBOARD_CACHE_SECONDS = 0

# On SQLite the test database is a file, so a real Celery worker process can share it with the test; one
# file per test process, so concurrent runs on one checkout do not collide.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
