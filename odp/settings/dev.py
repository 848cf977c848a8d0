"""The embedded default: SQLite under var/, tasks inline, demo sign-ins, no secrets needed."""

from odp.settings.base import *  # noqa: F403
from odp.settings.base import VAR_DIR
from odp.settings.env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
ODP_EMBEDDED = True
# A throwaway key for the embedded profile only; production refuses to start without SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "embedded-profile-only-not-a-secret-0dp-hub-development-key")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# The embedded profile keeps its database and collected files under var/; make sure it exists so whitenoise
# (which serves STATIC_ROOT) has a directory to watch.
(VAR_DIR / "staticfiles").mkdir(parents=True, exist_ok=True)
