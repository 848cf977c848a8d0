"""One shape for every API error, whatever raised it:

    {"errors": [{"field": "address.postcode" | null, "code": "invalid", "message": "..."}], "status": 400}

``field`` is the dotted path of the input that was wrong (list items by index), or null when the error is
about the request as a whole. Documented in docs/api.md."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger("odp.api")

NOT_FOUND_URL_NAME = "api-not-found"


class ApiError(TypedDict):
    field: str | None
    code: str
    message: str


def error_body(status: int, errors: list[ApiError]) -> dict[str, Any]:
    return {"errors": errors, "status": status}


def _flatten(detail: Any, path: tuple[str, ...] = ()) -> Iterator[ApiError]:
    """Walk DRF's error detail (dicts by field, lists by item) down to its ``ErrorDetail`` leaves."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            # Errors about a whole (nested) object belong to that object's path, not to a pseudo-field.
            child = path if str(key) == api_settings.NON_FIELD_ERRORS_KEY else (*path, str(key))
            yield from _flatten(value, child)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            # A list of messages is one field's errors; a list of objects is items of a list field.
            yield from _flatten(item, (*path, str(index)) if isinstance(item, dict | list) else path)
    else:
        yield ApiError(
            field=".".join(path) or None,
            code=str(getattr(detail, "code", None) or "error"),
            message=str(detail),
        )


def errors_of(exc: exceptions.APIException) -> list[ApiError]:
    errors = list(_flatten(exc.detail))
    return errors or [ApiError(field=None, code=exc.default_code, message=str(exc.default_detail))]


def _as_api_exception(exc: Exception) -> Exception:
    """Django's own exceptions, as services raise them, become their API equivalents."""
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(detail=as_serializer_error(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's EXCEPTION_HANDLER: every error, including unexpected ones, in the one shape."""
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        request = context.get("request")
        logger.error(
            "Unhandled exception in API view %s %s",
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        set_rollback()
        error = ApiError(field=None, code="server_error", message="Something went wrong on our side.")
        return Response(error_body(500, [error]), status=500)
    response.data = error_body(response.status_code, errors_of(exc))
    return response


def _slash_hint(request: HttpRequest) -> str:
    """``/api/v1/me`` names a real endpoint without its trailing slash: say so instead of a bare 404."""
    if request.path_info.endswith("/"):
        return ""
    try:
        match = resolve(request.path_info + "/")
    except Resolver404:
        return ""
    return "" if match.url_name == NOT_FOUND_URL_NAME else f" Did you mean {request.path}/?"


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """The last URL under /api/v1/: unknown API paths get the JSON error, not the HTML 404 page."""
    error = ApiError(field=None, code="not_found", message="Not found." + _slash_hint(request))
    return JsonResponse(error_body(404, [error]), status=404)
