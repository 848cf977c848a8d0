"""Similar ideas on PostgreSQL come from SQL written once (selectors._SIMILAR_SQL) with only the visibility filter
built by the ORM: the same ideas, in the same order, with the same scores as the ORM query it replaced, for every
kind of member. On SQLite (the word-matching fallback) the same rules are checked: only what the member may see,
never the idea being written, most alike first."""

from __future__ import annotations

import pytest
from django.db import connection

from innovation import selectors
from innovation.models import Idea, IdeaStatus, Visibility
from tests.innovation.factories import IdeaFactory

pytestmark = pytest.mark.django_db

IDEAS = [
    ("Text applicants when their passport is printed", "Customers phone to ask about their passport application."),
    ("Send SMS updates on passport application progress", "Applicants call to chase their passport application."),
    ("Text applicants when their passport is posted", "Customers phone to ask about their passport application."),
    ("Fewer paper forms for blue badge renewals", "Renewal forms are posted to us and rekeyed by hand."),
    ("Chatbot for universal credit payment questions", "Claimants wait on hold to ask simple questions."),
    ("Better rota planning in contact centres", "Too few staff on Monday mornings when demand peaks."),
    ("Passport progress tracker for applicants", "Applicants phone about progress of their passport application."),
]
INPUTS = [
    ("Text message updates for passport applicants", "People ring to check on the progress of their application."),
    ("Text applicants when their passport is posted", ""),
    ("Chatbot", "Claimants wait on hold to ask simple questions about payments."),
    ("Rota planning for Monday mornings in contact centres", "Demand peaks and too few staff."),
    ("Blue badge renewal forms", ""),
    ("SMS", "passport application progress applicants phone"),
]
MEMBERS = ["staff_member", "colleague", "dwp_staff", "council_member", "head_of_profession", "dwp_hop", "odp_admin"]


@pytest.fixture
def ideas(staff_member, dwp_staff, council_member) -> dict[str, Idea]:
    """The corpus in every state visibility depends on: shared, own-organisation only, partners, hidden, draft,
    several states, and same-titled ideas told apart by endorsements."""
    authors = [staff_member, staff_member, staff_member, dwp_staff, dwp_staff, council_member, staff_member]
    found = {}
    for n, ((title, problem), author) in enumerate(zip(IDEAS, authors, strict=True)):
        found[title] = IdeaFactory(author=author, title=title, problem=problem, endorsement_count=n % 3)
    found["private"] = IdeaFactory(
        author=staff_member, title=IDEAS[0][0], problem=IDEAS[0][1], visibility=Visibility.ORGANISATION
    )
    found["partners"] = IdeaFactory(
        author=dwp_staff, title=IDEAS[1][0], problem=IDEAS[1][1], visibility=Visibility.PARTNERS
    )
    found["hidden"] = IdeaFactory(author=dwp_staff, title=IDEAS[0][0], problem=IDEAS[0][1], is_hidden=True)
    found["draft"] = IdeaFactory(author=staff_member, title=IDEAS[2][0], status=IdeaStatus.DRAFT)
    found["accepted"] = IdeaFactory(author=dwp_staff, title=IDEAS[6][0], status=IdeaStatus.ACCEPTED)
    return found


def _reference(member, *, title: str, problem: str, exclude: int | None) -> list[Idea]:
    """The ORM query the SQL was written from (PostgreSQL)."""
    visible = Idea.objects.visible_to(member).exclude(status=IdeaStatus.DRAFT).filter(is_hidden=False)
    if exclude:
        visible = visible.exclude(pk=exclude)
    key = selectors.words(title, 6) or selectors.words(problem, 4)
    return selectors._similar_by_orm(visible, key, title=title, text=f"{title} {problem}".strip())


@pytest.mark.parametrize("who", MEMBERS)
def test_similar_ideas_are_those_the_orm_query_found_and_only_what_the_member_may_see(request, ideas, who):
    member = request.getfixturevalue(who)
    visible = set(Idea.objects.visible_to(member).exclude(status=IdeaStatus.DRAFT).values_list("pk", flat=True))
    assert ideas["draft"].pk not in visible
    compared = 0
    for title, problem in INPUTS:
        for exclude in (None, ideas[IDEAS[0][0]].pk):
            found = selectors.similar_ideas(member, title=title, problem=problem, exclude=exclude)
            assert len(found) <= selectors.SIMILAR_LIMIT
            assert {i.pk for i in found} <= visible - {ideas["hidden"].pk, exclude}
            scores = [(i.similarity, i.endorsement_count, i.pk) for i in found]
            assert scores == sorted(scores, reverse=True)
            assert all(i.similarity >= selectors.SIMILARITY_FLOOR for i in found)
            # What the page prints, read without another query.
            assert all(i.organisation.name and i.reference for i in found)
            if connection.vendor == "postgresql":
                expected = _reference(member, title=title, problem=problem, exclude=exclude)
                assert [(i.pk, i.similarity) for i in found] == [(i.pk, i.similarity) for i in expected]
                assert [i.organisation for i in found] == [i.organisation for i in expected]
            compared += bool(found)
    assert compared >= 6  # most inputs find something, so the comparison is not of empty lists


def test_similar_ideas_take_a_query_a_pass_and_find_near_duplicates(ideas, colleague, django_assert_max_num_queries):
    title, problem = IDEAS[0]
    selectors.similar_ideas(colleague, title=title, problem=problem)  # the member's organisation, once
    # One query for three shared key words and, when that finds too few, one for two.
    with django_assert_max_num_queries(2):
        found = selectors.similar_ideas(colleague, title=title, problem=problem)
    assert ideas[IDEAS[2][0]] in found and ideas["private"] in found
    assert ideas["hidden"] not in found and ideas["draft"] not in found


def test_the_visibility_filter_is_taken_as_sql_only_when_it_reads_the_ideas_table_alone(staff_member):
    visible = Idea.objects.visible_to(staff_member).exclude(status=IdeaStatus.DRAFT)
    sql, params = selectors.filter_sql(visible)
    assert '"innovation_idea"."visibility"' in sql and staff_member.pk in params
    assert selectors.filter_sql(Idea.objects.none()) == ("FALSE", [])
    # A filter across a relation needs a join the written SQL does not have: the ORM query is used instead.
    assert selectors.filter_sql(Idea.objects.filter(organisation__name="Passport Office")) is None
