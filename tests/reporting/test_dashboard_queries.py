"""A head of profession's dashboard reads the organisations they may pick once, for both the picker and the title
(#8 load: it read them twice on every view)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_the_organisations_are_read_once_for_the_picker_and_the_title(client, head_of_profession, home_office):
    client.force_login(head_of_profession.user)
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/reporting/dashboard/").content.decode()
    assert home_office.name in html
    picker = 'SELECT "odp_organisation"."id", "odp_organisation"."name"'
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith(picker) and "ORDER BY" in q["sql"]]
    # One for the picker and the title, one by the dashboard's figures (which production caches for a few seconds).
    assert len(reads) == 2, reads
