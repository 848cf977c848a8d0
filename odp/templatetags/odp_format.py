"""Plain-English formatting for templates."""

from __future__ import annotations

import datetime

from django import template

register = template.Library()


@register.filter
def duration_words(value: datetime.timedelta | None) -> str:
    """A whole-minute or whole-hour duration in words: "30 minutes", "1 hour", "1 hour 30 minutes"."""
    if not value:
        return ""
    minutes = round(value.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
