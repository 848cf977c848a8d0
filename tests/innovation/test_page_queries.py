"""The busiest ideas pages take a fixed number of queries, however many ideas they list (#8 load: each query is
database work and a round trip on every view). Counts on SQLite; PostgreSQL's are the same."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innovation import services
from innovation.models import Endorsement, Follow, IdeaStatus, Theme
from tests.factories import MemberFactory
from tests.innovation.factories import IdeaFactory

pytestmark = pytest.mark.django_db

# Every signed-in page: the session, the user with their member record and its organisation (odp.auth.backends), and
# their role assignments with whether they have reports (odp.access).
PER_REQUEST = 3


def test_an_ideas_page_shows_the_members_endorsement_and_follow_from_the_ideas_own_query(
    client, staff_member, passport_office, django_assert_num_queries
):
    idea = IdeaFactory(author=MemberFactory(organisation=passport_office))
    client.force_login(staff_member.user)
    url = reverse("ideas-detail", args=[idea.pk])
    assert "Endorse this idea" in client.get(url).content.decode()

    # The idea (with its case study and whether this member endorses and follows it), its events, decisions,
    # comments, measures and adoptions.
    with django_assert_num_queries(PER_REQUEST + 6):
        client.get(url)

    services.endorse(idea=idea, by=staff_member)
    services.follow(idea=idea, by=staff_member)
    assert Endorsement.objects.filter(idea=idea, member=staff_member).exists()
    assert Follow.objects.filter(idea=idea, member=staff_member).exists()
    html = client.get(url).content.decode()
    assert "Withdraw endorsement" in html
    assert "Stop following" in html


def test_the_review_queue_takes_the_same_queries_for_one_idea_or_many(
    client, head_of_profession, home_office, django_assert_num_queries
):
    author = MemberFactory(organisation=home_office)
    IdeaFactory(author=author)
    client.force_login(head_of_profession.user)
    url = reverse("ideas-review")
    client.get(url)
    # The organisations below the ones they lead, the count and the page of ideas.
    with django_assert_num_queries(PER_REQUEST + 3):
        client.get(url)
    IdeaFactory.create_batch(30, author=author)
    with django_assert_num_queries(PER_REQUEST + 3):
        assert client.get(url).content.decode().count('class="govuk-tag govuk-tag--yellow">Submitted</strong>') == 31


def test_browsing_ideas_takes_the_same_queries_for_one_idea_or_a_page_of_them(
    client, staff_member, passport_office, django_assert_num_queries
):
    digital = Theme.objects.create(slug="digital", name="Digital")
    automation = Theme.objects.create(slug="automation", name="Automation")
    author = MemberFactory(organisation=passport_office)
    IdeaFactory(author=author, status=IdeaStatus.ACCEPTED).themes.add(digital, automation)
    client.force_login(staff_member.user)
    # The organisations and themes to filter by (one query), the count, the page of ideas and their themes.
    for url in ("/ideas/", "/ideas/?q=customers&sort=relevance"):
        client.get(url)
        with django_assert_num_queries(PER_REQUEST + 4):
            client.get(url)
    for _ in range(25):
        IdeaFactory(author=author).themes.add(digital)
    with django_assert_num_queries(PER_REQUEST + 4):
        html = client.get("/ideas/").content.decode()
    assert html.count('class="govuk-tag govuk-tag--yellow">Submitted</strong>') == 20
    assert html.count('<strong class="govuk-tag govuk-tag--grey">Digital</strong>') == 20
    with django_assert_num_queries(PER_REQUEST + 4):
        html = client.get("/ideas/?page=2").content.decode()
    tag = '<strong class="govuk-tag govuk-tag--grey">'
    tags = f"{tag}Automation</strong> {tag}Digital</strong>"
    assert f'class="govuk-tag govuk-tag--blue">Accepted</strong>\n {tags}' in html
