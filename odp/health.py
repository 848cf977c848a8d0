"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# A probe must answer before the orchestrator's own timeout, even when a dependency hangs.
_BROKER_TIMEOUT_SECONDS = 2


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and serving requests."""
    return JsonResponse({"status": "ok"})


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        # Only the class name: messages can carry hosts and user names, and this endpoint is public.
        return False, exc.__class__.__name__
    return True, "ok"


def _broker_ok() -> tuple[bool, str]:
    if not settings.REDIS_URL:
        return True, "not configured: jobs run inline"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=_BROKER_TIMEOUT_SECONDS,
            socket_timeout=_BROKER_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        return False, exc.__class__.__name__
    return True, "ok"


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready when the database and the broker answer; otherwise 503 naming what is down in ``failing``."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    failing = [name for name, (ok, _) in checks.items() if not ok]
    body = {
        "status": "unavailable" if failing else "ready",
        "failing": failing,
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
    }
    return JsonResponse(body, status=503 if failing else 200)
