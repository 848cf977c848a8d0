"""Settings shared by every profile. Everything that differs between machines comes from the environment."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

from odp.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

# The embedded profile (dev) overrides this with a throwaway key; every other profile must be given one.
SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# True only in the embedded/dev profile: enables the demo sign-ins and their shared password.
ODP_EMBEDDED = False
SERVICE_NAME = "ODP Hub"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "mozilla_django_oidc",
    "odp.apps.OdpConfig",
    "skills.apps.SkillsConfig",
    "innovation.apps.InnovationConfig",
    "srrt.apps.SrrtConfig",
    "reporting.apps.ReportingConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on everything the app renders (static files are answered above, by WhiteNoise).
    "odp.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "odp.audit.AuditActorMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "odp.urls"
WSGI_APPLICATION = "odp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "odp.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'odp.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A web request's query on PostgreSQL runs serially when this is 0 (docker-compose's web sets it): on cores busy
# with other requests, a parallel plan spends two to three times the CPU to answer one request a little sooner
# (counting a member's visible ideas: 17 ms serial, 50 ms across three processes). The worker keeps PostgreSQL's
# default, for the nightly jobs' scans.
if env_str("DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER", "") and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    _workers = env_int("DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER", 0)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c max_parallel_workers_per_gather={_workers}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "odp.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the member record with the user (odp/auth/backends.py).
    "odp.auth.backends.MemberModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "signed-out"

# Sessions end after 30 minutes without activity. Every request restarts the timeout; odp.sessions writes the new
# expiry at most once a minute (not on every page) when nothing else in the session changed.
SESSION_ENGINE = "odp.sessions"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-in lockout (django-axes): five failures lock the username for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
# Lock the account wherever the failures come from (shared office NAT makes IP-only locks too blunt);
# the username+IP pair is listed too so per-address limits apply if the username rule is ever relaxed.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# OpenID Connect single sign-on for departmental identity providers; off unless configured.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("odp.auth.oidc.IssuerSubjectOIDCBackend")
    OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", False)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# static/build holds the compiled GOV.UK Frontend CSS, JS, fonts and images (``make assets``).
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ODP Hub <no-reply@odp-hub.example>")

# Content Security Policy: scripts only from us, inline only with the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    # Token first: DRF answers 401 with a WWW-Authenticate challenge only when the first class issues one.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every view must name an explicit policy on top of being signed in.
    "DEFAULT_PERMISSION_CLASSES": ["odp.api.permissions.DenyByDefault"],
    "DEFAULT_PAGINATION_CLASS": "odp.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "odp.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
}


def _idea_decisions() -> list[tuple[str, str]]:
    """The decision outcomes on ideas, named for the schema beside the SRRT's triage and last-resort ones."""
    from innovation.models import IdeaStatus

    return [(s, IdeaStatus(s).label) for s in IdeaStatus.decisions()]


SPECTACULAR_SETTINGS = {
    "TITLE": "ODP Hub API",
    "DESCRIPTION": "API of ODP Hub, the service of the civil service Operational Delivery Profession.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets whose field names ("status", "kind") mean different things in different apps.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "odp.models.OrganisationKind",
        "IdeaStatusEnum": "innovation.models.IdeaStatus",
        "FrameworkVersionStatusEnum": "skills.models.VersionStatus",
        "InterventionKindEnum": "skills.models.InterventionKind",
        "RaterKindEnum": "skills.models.RaterKind",
        "OpportunityKindEnum": "skills.models.OpportunityKind",
        "CareerPathKindEnum": "skills.careers.paths.CareerPathKind",
        "ClearanceEnum": "srrt.models.Clearance",
        "RegionEnum": "odp.models.Region",
        "LastResortOutcomeEnum": "srrt.models.LastResortOutcome",
        "TriageOutcomeEnum": "srrt.models.TriageOutcome",
        "IdeaDecisionOutcomeEnum": "odp.settings.base._idea_decisions",
    },
    # Every operation's error answers (one shape, odp.api.errors), after spectacular's own enum hook.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "odp.api.schema.document_errors",
    ],
}

# Background jobs. With no REDIS_URL the outbox relay runs tasks inline (embedded default).
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 900)
CELERY_TASK_DEFAULT_QUEUE = "interactive"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A send to a broker that is down must fail fast so the web request is not held up; the outbox keeps the job.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {"task": "odp.relay_outbox", "schedule": 30.0, "options": {"queue": "interactive"}},
    "publish-due-reports": {
        "task": "reporting.publish_due_reports",
        "schedule": 300.0,
        "options": {"queue": "interactive"},
    },
    "escalate-overdue-ideas": {
        "task": "innovation.escalate_overdue",
        "schedule": crontab(hour=7, minute=0),
        "options": {"queue": "interactive"},
    },
    "daily-idea-digests": {
        "task": "innovation.send_daily_digests",
        "schedule": crontab(hour=7, minute=30),
        "options": {"queue": "batch"},
    },
    "srrt-ending-soon": {
        "task": "srrt.remind_ending_soon",
        "schedule": crontab(hour=7, minute=15),
        "options": {"queue": "interactive"},
    },
    "nightly-capability-metrics": {
        "task": "skills.nightly_capability_metrics",
        "schedule": crontab(hour=2, minute=30),
        "options": {"queue": "batch"},
    },
    "close-expired-opportunities": {
        "task": "skills.close_expired_opportunities",
        "schedule": crontab(hour=0, minute=15),
        "options": {"queue": "interactive"},
    },
    "weekly-opportunity-digests": {
        "task": "skills.weekly_opportunity_digests",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
        "options": {"queue": "batch"},
    },
}
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 200)

# Working days within which an idea's author hears a decision (the "you will hear by" date).
IDEA_RESPONSE_DAYS = env_int("IDEA_RESPONSE_DAYS", 30)

# Days a line manager has to confirm or adjust a report's self-assessment before it shows as overdue.
SKILLS_RESPONSE_DAYS = env_int("SKILLS_RESPONSE_DAYS", 14)

# SRRT: the daily rate recharged per responder-day, and how many days ahead ending assignments are reminded.
SRRT_DAILY_RATE_POUNDS = env_int("SRRT_DAILY_RATE_POUNDS", 350)
SRRT_ENDING_SOON_DAYS = env_int("SRRT_ENDING_SOON_DAYS", 7)

# Dashboards and exports never show a group of fewer people than this (UK GDPR: small groups identify people).
SMALL_GROUP_THRESHOLD = 5
# Seconds a built dashboard is served again from the cache (reporting/dashboard_cache.py); 0 never keeps one.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
