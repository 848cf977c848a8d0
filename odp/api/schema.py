"""The error answers every API operation can give, documented once for the whole schema.

drf-spectacular documents each operation's success only; the errors come from the one handler in
``odp.api.errors`` (one shape, see docs/api.md) and are the same everywhere. This postprocessing hook adds
them to each operation, with the statuses that operation can really answer, so clients (and the schemathesis
fuzzing in tests/hardening/) see a complete contract. An operation's own documented error (an upload's 400
listing every rejected row) is kept as it is."""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = "Error"

_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every API error has this shape (docs/api.md, Errors).",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {
                        "type": "string",
                        "nullable": True,
                        "description": "Dotted path of the input at fault; null for the request as a whole.",
                    },
                    "code": {"type": "string", "description": "Stable, for programs."},
                    "message": {"type": "string", "description": "For people; may change."},
                },
                "required": ["field", "code", "message"],
            },
        },
        "status": {"type": "integer", "description": "The HTTP status again."},
    },
    "required": ["errors", "status"],
}

_WHY = {
    "400": "Invalid input: each error names its field.",
    "401": "No credentials, or bad ones.",
    "403": "Signed in, but the caller's roles do not allow this (or no active member record, or a CSRF failure).",
    "404": "A record the request names (in the path, a filter or the body) is not within the caller's scope, or a page "
    "past the end.",
    "415": "The request body's media type is not one this operation reads.",
    "429": "Too many requests: see the Retry-After header.",
}


def _statuses(method: str, operation: dict[str, Any]) -> list[str]:
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    statuses = ["401", "403", "429"]
    # Writes can be refused by a service (an invalid transition) even with no body to validate.
    if has_body or method not in ("get", "head") or any(p.get("in") == "query" for p in parameters):
        statuses.append("400")
    # A record out of the caller's scope is 404 wherever the request names it: path, query (?organisation=) or body.
    if has_body or parameters:
        statuses.append("404")
    if has_body:
        statuses.append("415")
    return statuses


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular POSTPROCESSING_HOOKS entry: add the shared error responses to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = _ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for status in _statuses(method, operation):
                responses.setdefault(
                    status, {"description": _WHY[status], "content": {"application/json": {"schema": reference}}}
                )
            operation["responses"] = dict(sorted(responses.items()))
    return result
