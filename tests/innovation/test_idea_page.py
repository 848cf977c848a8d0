"""An idea's page reads its lists by SQL written once (innovation.idea_page): the same records, in the same order,
with the same values and the same names printed, as the ORM querysets they replaced; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from innovation import idea_page
from innovation.models import (
    Adoption,
    BenefitMeasure,
    CaseStudy,
    Comment,
    Decision,
    Endorsement,
    Follow,
    Idea,
    IdeaEvent,
    IdeaStatus,
    Visibility,
)
from tests.factories import MemberFactory, UserFactory
from tests.innovation.factories import CommentFactory, IdeaFactory

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def idea(staff_member, colleague, head_of_profession, dwp, dwp_staff):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED)
    at = timezone.now() - datetime.timedelta(days=30)
    no_name = MemberFactory(organisation=staff_member.organisation, user=UserFactory(first_name="", last_name=""))
    for n, actor in enumerate([staff_member, None, head_of_profession, no_name, head_of_profession]):
        # Two at the same moment, so the order falls to the id.
        IdeaEvent.objects.create(
            idea=idea,
            at=at + datetime.timedelta(days=min(n, 3)),
            actor=actor,
            kind=IdeaEvent.Kind.STATUS,
            to_status=IdeaStatus.UNDER_REVIEW if n else "",
            note=f"Note {n}\nsecond line" if n % 2 else "",
        )
    for n, outcome in enumerate([IdeaStatus.ROUTED, IdeaStatus.ACCEPTED]):
        Decision.objects.create(
            idea=idea,
            outcome=outcome,
            feedback=f"Feedback {n}",
            reason="",
            decided_by=head_of_profession,
            decided_at=at + datetime.timedelta(days=n),
            organisation=staff_member.organisation,
            routed_to=dwp if outcome == IdeaStatus.ROUTED else None,
        )
    CommentFactory(idea=idea, author=colleague, body="A shown comment")
    CommentFactory(idea=idea, author=colleague, body="A hidden comment", is_hidden=True)
    CommentFactory(idea=idea, author=no_name, body="A comment by someone with no name")
    for n in range(2):
        BenefitMeasure.objects.create(
            idea=idea,
            measure=f"Calls a week {n}",
            unit="calls" if n else "",
            baseline_value=Decimal("1200.50"),
            baseline_recorded_by=head_of_profession,
            realised_value=Decimal("800.25") if n else None,
        )
    today = timezone.localdate()
    for organisation, recorder, days in [(dwp, dwp_staff, 3), (head_of_profession.organisation, head_of_profession, 3)]:
        Adoption.objects.create(
            idea=idea,
            organisation=organisation,
            recorded_by=recorder,
            adopted_on=today - datetime.timedelta(days=days),
            cost_saved_per_year=Decimal("10.10"),
        )
    IdeaFactory(author=staff_member)  # another idea's lists stay out
    return idea


@pytest.mark.parametrize("viewer", ["staff_member", "colleague", "dwp_staff", "odp_admin"])
def test_the_lists_are_what_the_orm_querysets_read(request, idea, viewer, django_assert_num_queries):
    member = request.getfixturevalue(viewer)
    expected = {
        "events": (list(idea.events.select_related("actor__user")), "actor"),
        "decisions": (list(idea.decisions.select_related("decided_by__user")), "decided_by"),
        "comments": (
            list(Comment.objects.visible_to(member).filter(idea=idea).select_related("author__user")),
            "author",
        ),
        "measures": (list(idea.benefit_measures.all()), None),
        "adoptions": (list(idea.adoptions.select_related("organisation")), "organisation"),
    }
    with django_assert_num_queries(5):
        found = {
            "events": idea_page.events(idea),
            "decisions": idea_page.decisions(idea),
            "comments": idea_page.comments(idea, member),
            "measures": idea_page.measures(idea),
            "adoptions": idea_page.adoptions(idea),
        }
    with django_assert_num_queries(0):  # what the page prints needs nothing more
        for name, (rows, related) in expected.items():
            assert [_fields(r) for r in found[name]] == [_fields(r) for r in rows], name
            if related:
                assert [str(getattr(r, related) or "") for r in found[name]] == [
                    str(getattr(r, related) or "") for r in rows
                ], name
        assert [e.get_to_status_display() for e in found["events"]][1] == "Under review"
        assert [d.get_outcome_display() for d in found["decisions"]] == ["Routed to another organisation", "Accepted"]
    assert len(found["events"]) == 5 and found["events"][1].actor is None
    assert len(found["measures"]) == 2 and found["measures"][1].realised_value == Decimal("800.25")
    assert [a.organisation.name for a in found["adoptions"]] == [a.organisation.name for a in expected["adoptions"][0]]
    bodies = [c.body for c in found["comments"]]
    assert ("A hidden comment" in bodies) == (viewer in {"colleague", "odp_admin"})
    assert "A comment by someone with no name" in bodies and "A shown comment" in bodies


VIEWERS = ["staff_member", "colleague", "head_of_profession", "dwp_staff", "dwp_hop", "council_member", "odp_admin"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_idea_is_what_the_orm_query_found_for_every_viewer(request, viewer, staff_member, colleague, dwp):
    member = request.getfixturevalue(viewer)
    ideas = [
        IdeaFactory(author=staff_member, visibility=Visibility.PARTNERS, endorsement_count=1),
        IdeaFactory(author=staff_member, visibility=Visibility.ORGANISATION),
        IdeaFactory(author=staff_member, visibility=Visibility.CIVIL_SERVICE, organisation=dwp),
        IdeaFactory(author=staff_member, is_hidden=True),
        IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT),
        IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED),
    ]
    CaseStudy.objects.create(
        idea=ideas[5],
        slug="texts",
        title="Texts",
        summary="S",
        challenge="C",
        approach="A",
        results="R",
        organisation=staff_member.organisation,
        written_by=staff_member,
        contact="Team",
        status=CaseStudy.Status.PUBLISHED,
    )
    Endorsement.objects.create(idea=ideas[0], member=member)
    Follow.objects.create(idea=ideas[2], member=member)
    seen = 0
    for idea in ideas:
        expected = idea_page._idea_by_orm(member, idea.pk)
        found = idea_page.idea(member, idea.pk)
        if expected is None:
            assert found is None
            continue
        seen += 1
        assert _fields(found) == _fields(expected)
        assert (found.endorsed_by_member, found.followed_by_member) == (
            expected.endorsed_by_member,
            expected.followed_by_member,
        )
        assert (found.endorsed_by_member, found.followed_by_member) == (idea == ideas[0], idea == ideas[2])
        for related in ("organisation", "origin_organisation", "author"):
            assert str(getattr(found, related)) == str(getattr(expected, related))
        found_study, expected_study = getattr(found, "case_study", None), getattr(expected, "case_study", None)
        assert (found_study and (found_study.slug, found_study.status)) == (
            expected_study and (expected_study.slug, expected_study.status)
        )
    assert seen == len(Idea.objects.visible_to(member).filter(pk__in=[i.pk for i in ideas]))
    assert idea_page.idea(member, 0) is None
