"""``manage.py seed_demo`` on an empty database: it adopts organisations that exist already, writes in bulk, and
refuses outside the embedded profile. (The seeded world's tests are in test_seed_demo.py, which seeds once for the
module: these would see that world there.)"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from odp.demo import DemoRefused, seed
from odp.models import Member, Organisation, User
from tests.odp.test_seed_demo import run_seed


def test_existing_organisations_are_adopted_not_duplicated(passport_office):
    run_seed()

    assert Organisation.objects.filter(name="HM Passport Office").count() == 1
    passport_office.refresh_from_db()
    assert passport_office.parent.slug == "home-office"
    assert passport_office.short_name == "HMPO"


def test_seeding_is_a_bounded_number_of_queries(db, django_assert_max_num_queries):
    """Members go in with bulk writes: queries grow with organisations (a few dozen), not with people. (The
    skills part of seed_demo is bounded in tests/skills/test_demo.py.)"""
    with django_assert_max_num_queries(200):
        seed()
    with django_assert_max_num_queries(40):
        seed()


def test_seeding_leaves_fresh_planner_statistics_on_postgresql(db):
    with CaptureQueriesContext(connection) as queries:
        run_seed()

    analysed = [q["sql"] for q in queries if q["sql"] == "ANALYZE"]
    if connection.vendor != "postgresql":
        assert not analysed  # SQLite plans the demo's few hundred members well without statistics
        return
    assert len(analysed) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Member._meta.db_table])
        assert cursor.fetchone()[0] == Member.objects.count()


# Only ever in the embedded profile


@override_settings(ODP_EMBEDDED=False)
def test_refuses_outside_the_embedded_profile(db):
    with pytest.raises(CommandError, match="embedded/dev profile"):
        call_command("seed_demo", stdout=StringIO())

    assert not Organisation.objects.exists()
    assert not User.objects.exists()


@override_settings(ODP_EMBEDDED=False)
def test_seed_function_refuses_too(db):
    with pytest.raises(DemoRefused):
        seed()
