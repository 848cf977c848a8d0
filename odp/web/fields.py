"""Form fields with GOV.UK behaviour that Django does not have out of the box."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

DATE_PARTS = ("day", "month", "year")


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes (the GOV.UK date input), posted as ``<name>_day`` and so on."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({part: forms.TextInput() for part in DATE_PARTS}, attrs)

    def decompress(self, value: datetime.date | None) -> list[Any]:
        if value is None:
            return [None, None, None]
        return [value.day, value.month, value.year]


class DateField(forms.Field):
    """A date typed into three boxes, with the GOV.UK error messages for each way it can be wrong."""

    widget = DateInputWidget

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        parts = [str(v or "").strip() for v in (value or ["", "", ""])]
        if not any(parts):
            return None
        name = self.label or "Date"
        missing = [part for part, text in zip(DATE_PARTS, parts, strict=True) if not text]
        if missing:
            raise ValidationError(f"{name} must include a {' and '.join(missing)}", code="incomplete")
        day, month, year = parts
        if not all(p.isdigit() for p in parts) or len(year) != 4:
            raise ValidationError(f"{name} must be a real date", code="invalid")
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # 31/02, or a day too big for a C long (a 500 before)
            raise ValidationError(f"{name} must be a real date", code="invalid") from None


_BIGGEST_KEY = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing as an invalid choice what the database cannot compare with the key: a number beyond a
    64-bit integer (SQLite, the embedded profile's database, failed the ``IN`` query with OverflowError: a 500;
    PostgreSQL's lookups already found nothing) or text with a NUL character (PostgreSQL text cannot hold it), so
    neither depends on how the database or its driver happens to cope."""

    def _check_values(self, value: Any) -> Any:
        key = self.to_field_name or "pk"
        meta = self.queryset.model._meta
        integer_key = isinstance(meta.pk if key == "pk" else meta.get_field(key), models.IntegerField)
        for item in value if isinstance(value, list | tuple) else []:
            text = str(item)
            too_big = integer_key and text.strip().lstrip("+-").isdigit() and abs(int(text)) > _BIGGEST_KEY
            if "\x00" in text or too_big:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text.strip("\x00")}
                )
        return super()._check_values(value)
