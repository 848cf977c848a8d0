"""Ideas as spreadsheet-safe CSV: the same rows a member can browse (scoped by visible_to), with any cell that
a spreadsheet would run as a formula neutralised by odp.tabular."""

from __future__ import annotations

from collections.abc import Iterator

from innovation import selectors
from innovation.models import Idea
from odp.models import Member
from odp.tabular import write_csv

HEADER = (
    "reference",
    "title",
    "status",
    "organisation",
    "service_area",
    "themes",
    "endorsements",
    "hours_saved_per_year",
    "cost_saved_per_year",
    "submitted_on",
    "decision_due_on",
    "decided_on",
)
MAX_ROWS = 10_000


def _rows(ideas: list[Idea]) -> Iterator[tuple[object, ...]]:
    for idea in ideas:
        yield (
            idea.reference,
            idea.title,
            idea.get_status_display(),
            idea.organisation.name,
            idea.get_service_area_display() if idea.service_area else "",
            "; ".join(t.name for t in idea.themes.all()),
            idea.endorsement_count,
            idea.hours_saved_per_year,
            idea.cost_saved_per_year,
            idea.submitted_at.date().isoformat() if idea.submitted_at else "",
            idea.decision_due_on.isoformat() if idea.decision_due_on else "",
            idea.decided_at.date().isoformat() if idea.decided_at else "",
        )


def ideas_csv(member: Member, filters: selectors.IdeaFilters) -> bytes:
    ideas = list(selectors.browse(member, filters)[:MAX_ROWS])
    return write_csv(HEADER, _rows(ideas))
