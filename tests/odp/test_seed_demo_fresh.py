"""``manage.py seed_demo`` on an empty database: it adopts organisations that exist already, writes in bulk, and
refuses outside the embedded profile. (The seeded world's tests are in test_seed_demo.py, which seeds once for the
module: these would see that world there.)"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from odp.demo import DemoRefused, seed
from odp.models import Organisation, User
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
