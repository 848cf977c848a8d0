"""What the bad-input corpus found, pinned one by one (tests/hardening/test_bad_input_forms.py and
test_bad_input_imports.py find them again across every form and import, but take a minute and a demo world)."""

from __future__ import annotations

import json

import pytest
from django import forms

from odp.tabular import MAX_LISTED_ERRORS, ImportRejected, RowError, read_csv
from odp.web.fields import DateField, ModelMultipleChoiceField
from skills.import_json import _load_json


class _When(forms.Form):
    when = DateField(label="Start date")


@pytest.mark.parametrize(
    ("day", "month", "year"), [("99999999999999999999", "1", "2026"), ("1", "99999999999999999999", "2026")]
)
def test_a_date_part_too_big_for_a_c_long_is_not_a_real_date(day, month, year):
    """Was an OverflowError from datetime.date (a 500) on every page with a GOV.UK date input."""
    form = _When({"when_day": day, "when_month": month, "when_year": year})

    assert not form.is_valid()
    assert form.errors["when"] == ["Start date must be a real date"]


@pytest.mark.parametrize(
    ("field_kwargs", "value"),
    [({}, "99999999999999999999999"), ({}, "-99999999999999999999999"), ({"to_field_name": "slug"}, "a\x00b")],
)
def test_a_choice_of_many_refuses_what_the_database_cannot_compare(field_kwargs, value, db):
    """Django's ModelMultipleChoiceField sent the huge number to the IN query, where SQLite (the embedded profile)
    failed with OverflowError, a 500; the NUL is refused before any query, whatever the database."""
    from innovation.models import Theme

    class Themes(forms.Form):
        themes = ModelMultipleChoiceField(queryset=Theme.objects.all(), **field_kwargs)

    form = Themes({"themes": [value]})

    assert not form.is_valid()
    assert form.errors.as_data()["themes"][0].code == "invalid_choice"


def test_a_csv_cell_with_a_nul_character_is_refused_by_row_and_column():
    """Was saved as it was on SQLite and failed in PostgreSQL (which cannot hold NUL in text) as a 500."""
    data = b"username,status\nstaff,enrolled\nsta\x00ff,enrolled\n"

    with pytest.raises(ImportRejected) as rejected:
        read_csv(data, required=["username", "status"])

    assert [(e.row, e.column) for e in rejected.value.errors] == [(3, "username")]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"skills": [{"name": "a\\u0000b"}]}', (1, "skills[1].name")),
        ('{"skills": [{"code": "S1"}, {"name": "half \\ud800"}]}', (2, "skills[2].name")),
        ('{"skills": [], "\\u0000": 1}', (None, None)),
    ],
)
def test_framework_json_with_text_no_database_can_hold_is_refused_where_it_is(text, where):
    """A NUL was saved (a 500 on PostgreSQL); a lone surrogate could not be encoded at all (a 500 everywhere)."""
    with pytest.raises(ImportRejected) as rejected:
        _load_json(text.encode())

    assert [(e.row, e.column) for e in rejected.value.errors] == [where]


def test_framework_json_nested_thousands_deep_is_refused_not_a_recursion_error():
    with pytest.raises(ImportRejected) as rejected:
        _load_json(b"[" * 100_000 + b"]" * 100_000)

    assert "nested too deeply" in rejected.value.errors[0].message


def test_a_rejection_lists_the_first_problems_and_counts_the_rest():
    """A 2 MB file with a problem on every row listed 100,000 of them: a page that took over 20 s to render."""
    errors = [RowError(n, "username", "No such member.") for n in range(2, 5002)]

    rejected = ImportRejected(errors)

    assert rejected.total == 5000
    assert rejected.errors[:MAX_LISTED_ERRORS] == errors[:MAX_LISTED_ERRORS]
    assert len(rejected.errors) == MAX_LISTED_ERRORS + 1
    assert rejected.errors[-1].message == "4,900 more problems are not listed: fix these first."
    assert json.dumps([e.as_dict() for e in rejected.errors])  # still the API's error rows
