"""Response headers the security settings do not cover on their own."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

NO_STORE = "no-store, private"


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` on every response the app renders.

    A signed-in response always gets it, whatever the view said: pages, API answers and downloads carry
    personal data, and a browser or proxy must not keep them after the session ends. An anonymous response
    gets it too unless its view set its own ``Cache-Control`` (opting a public download into caching); HTML
    pages carry a per-response CSP nonce and a CSRF token, so they must never be stored and replayed.
    Static files never reach this middleware: WhiteNoise answers them first with its own far-future headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        current = response.get("Cache-Control", "")
        if not current or (signed_in and not {"no-store", "private"} <= _directives(current)):
            response["Cache-Control"] = NO_STORE
        return response


def _directives(value: str) -> set[str]:
    return {part.split("=", 1)[0].strip().lower() for part in value.split(",") if part.strip()}
