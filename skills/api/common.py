"""Pieces every skills endpoint shares: query filters, read-only field protection, upload errors."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from odp.api.errors import error_body
from odp.tabular import MAX_UPLOAD_BYTES, ImportRejected, RowError


class ProtectedFieldsMixin(serializers.Serializer):
    """Refuse input for fields the caller may not set, rather than silently ignoring them.

    ``protected_fields`` maps a field name to the message given when a request sets it, so a member who
    tries to rate someone else is told so (400, field ``member``, code ``read_only``)."""

    protected_fields: dict[str, str] = {}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sent = set(getattr(self, "initial_data", {}) or {})
        errors = {
            name: serializers.ErrorDetail(message, code="read_only")
            for name, message in self.protected_fields.items()
            if name in sent
        }
        if errors:
            raise ValidationError(errors)
        return super().validate(attrs)


def query(request: Request, filters: type[serializers.Serializer]) -> dict[str, Any]:
    """Validate query parameters with a serializer: a bad filter is a 400 naming the parameter."""
    serializer = filters(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class UploadErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text='Always "file" for a rejected upload.')
    # Absent when the form rather than the file is at fault (no file chosen, an unknown framework).
    row = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Spreadsheet row (header is 1); for JSON, the item's number in its list.",
    )
    column = serializers.CharField(
        required=False, allow_null=True, help_text="CSV column, or JSON path such as skills[3].code."
    )
    code = serializers.CharField(help_text='"invalid_row" for a row or cell, "invalid_file" for the whole file.')
    message = serializers.CharField()


class UploadRejectedSerializer(serializers.Serializer):
    errors = UploadErrorSerializer(many=True)
    status = serializers.IntegerField()


UPLOAD_REJECTED = OpenApiResponse(
    UploadRejectedSerializer, description="The file was rejected as a whole; every problem is listed."
)


def _upload_error(error: RowError) -> dict[str, Any]:
    code = "invalid_row" if error.row is not None or error.column is not None else "invalid_file"
    return {"field": "file", "row": error.row, "column": error.column, "code": code, "message": error.message}


def upload_rejected(exc: ImportRejected) -> Response:
    """The one error format, with each problem's row and column: nothing from the file was saved."""
    errors = [_upload_error(error) for error in exc.errors]
    return Response(error_body(status.HTTP_400_BAD_REQUEST, errors), status=status.HTTP_400_BAD_REQUEST)


def uploaded_bytes(request: Request, name: str = "file") -> bytes:
    upload = request.FILES.get(name)
    if upload is None:
        raise ValidationError({name: serializers.ErrorDetail("Choose a file to upload.", code="required")})
    # One byte past the limit is enough for the importer to refuse the file as too big.
    return upload.read(MAX_UPLOAD_BYTES + 1)
