"""The test suite's profile: the embedded profile plus fast hashing. DATABASE_URL and REDIS_URL come from
``make test`` (real PostgreSQL and Redis)."""

from odp.settings.dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests that want the broker path set it up themselves; by default tasks run inline.
CELERY_TASK_ALWAYS_EAGER = True
AXES_FAILURE_LIMIT = 5
