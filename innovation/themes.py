"""The starting themes every idea can be tagged with.

Migration 0002 creates them on a new database; the demo seed puts them back where a test flushed the database
(transactional tests empty every table, data from migrations included)."""

from __future__ import annotations

from innovation.models import Theme

STARTING_THEMES: tuple[tuple[str, str], ...] = (
    ("digital-and-ai", "Digital and AI"),
    ("demand-management", "Demand management"),
    ("customer-experience", "Customer experience"),
    ("process-simplification", "Process simplification"),
    ("staff-wellbeing", "Staff wellbeing"),
    ("data-and-insight", "Data and insight"),
    ("sustainability", "Sustainability"),
    ("joining-up-services", "Joining up services"),
)


def ensure_starting_themes() -> int:
    """Create any starting theme that is missing; returns how many were created."""
    existing = set(Theme.objects.values_list("slug", flat=True))
    missing = [Theme(slug=slug, name=name) for slug, name in STARTING_THEMES if slug not in existing]
    Theme.objects.bulk_create(missing)
    return len(missing)
