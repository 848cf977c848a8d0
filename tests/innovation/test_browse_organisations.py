"""The browse page's organisation filter lists the organisations with any idea, by name, each once, from one
query (it was a join of every idea with DISTINCT on every page view; #8 load)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innovation import selectors
from innovation.models import IdeaStatus, Theme
from tests.factories import MemberFactory
from tests.innovation.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_organisations_with_ideas_each_once_by_name(home_office, passport_office, dwp):
    IdeaFactory.create_batch(3, author=MemberFactory(organisation=passport_office))
    IdeaFactory(author=MemberFactory(organisation=dwp), status=IdeaStatus.DRAFT)

    with CaptureQueriesContext(connection) as queries:
        found, _ = selectors.browse_choices()

    assert [name for _, name in found] == sorted([dwp.name, passport_office.name])
    assert home_office.pk not in {pk for pk, _ in found}
    assert {(dwp.pk, dwp.name), (passport_office.pk, passport_office.name)} == set(found)
    assert len(queries) == 1


def test_the_browse_page_offers_them_as_filters(client, staff_member, home_office, dwp):
    IdeaFactory(author=MemberFactory(organisation=dwp))
    Theme.objects.create(slug="zebra", name="Zebra crossings")
    Theme.objects.create(slug="apps", name="Apps")
    client.force_login(staff_member.user)

    html = client.get("/ideas/").content.decode()

    assert f'<option value="{dwp.pk}">{dwp.name}</option>' in html
    assert f'<option value="{home_office.pk}">' not in html
    assert '<option value="apps">Apps</option>' in html
    assert html.index('value="apps"') < html.index('value="zebra"')


def test_the_filters_organisations_and_themes_come_from_one_query(passport_office, dwp):
    IdeaFactory(author=MemberFactory(organisation=dwp))
    IdeaFactory(author=MemberFactory(organisation=passport_office))
    Theme.objects.create(slug="zebra", name="Zebra crossings")
    Theme.objects.create(slug="apps", name="Apps")
    with CaptureQueriesContext(connection) as queries:
        organisations, themes = selectors.browse_choices()
    assert len(queries) == 1
    assert organisations == sorted([(dwp.pk, dwp.name), (passport_office.pk, passport_office.name)], key=lambda o: o[1])
    assert themes == list(Theme.objects.order_by("name").values_list("slug", "name"))
    assert themes[0] == ("apps", "Apps")
