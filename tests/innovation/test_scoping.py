"""Who sees which ideas, comments, case studies and plans: the matrix for every kind of member."""

from __future__ import annotations

import pytest

from innovation.models import CaseStudy, CaseStudyAudience, Comment, Idea, IdeaStatus, InnovationPlan, Visibility
from tests.factories import MemberFactory
from tests.innovation.factories import CommentFactory, IdeaFactory

VIEWERS = ["author", "colleague", "hop", "dwp_hop", "dwp_staff", "council", "partner", "admin", "inactive"]

# Each idea raised by a member of HM Passport Office (under the Home Office).
IDEAS = {
    "draft": {"status": IdeaStatus.DRAFT, "visibility": Visibility.PARTNERS},
    "organisation_only": {"visibility": Visibility.ORGANISATION},
    "all_of_government": {"visibility": Visibility.CIVIL_SERVICE},
    "shared_with_partners": {"visibility": Visibility.PARTNERS},
    "hidden": {"visibility": Visibility.PARTNERS, "is_hidden": True},
}

EXPECTED = {
    "draft": {"author"},
    "organisation_only": {"author", "colleague", "hop", "admin"},
    "all_of_government": {"author", "colleague", "hop", "dwp_hop", "dwp_staff", "admin"},
    "shared_with_partners": {"author", "colleague", "hop", "dwp_hop", "dwp_staff", "council", "partner", "admin"},
    "hidden": {"author", "hop", "admin"},
}


@pytest.fixture
def viewers(staff_member, colleague, head_of_profession, dwp_hop, dwp_staff, council_member, partner_member, odp_admin):
    inactive = MemberFactory(organisation=staff_member.organisation, is_active=False)
    return {
        "author": staff_member,
        "colleague": colleague,
        "hop": head_of_profession,
        "dwp_hop": dwp_hop,
        "dwp_staff": dwp_staff,
        "council": council_member,
        "partner": partner_member,
        "admin": odp_admin,
        "inactive": inactive,
    }


@pytest.mark.parametrize("idea_kind", list(IDEAS))
@pytest.mark.parametrize("viewer", VIEWERS)
def test_idea_visibility_matrix(viewers, idea_kind, viewer):
    idea = IdeaFactory(author=viewers["author"], **IDEAS[idea_kind])
    visible = Idea.objects.visible_to(viewers[viewer]).filter(pk=idea.pk).exists()
    assert visible == (viewer in EXPECTED[idea_kind])


def test_nobody_signed_out_sees_ideas(staff_member):
    IdeaFactory(author=staff_member, visibility=Visibility.PARTNERS)
    assert not Idea.objects.visible_to(None).exists()


def test_a_routed_idea_stays_visible_to_the_head_of_profession_it_came_from(staff_member, head_of_profession, dwp):
    idea = IdeaFactory(author=staff_member, visibility=Visibility.ORGANISATION, organisation=dwp)
    assert idea.origin_organisation == staff_member.organisation
    assert Idea.objects.visible_to(head_of_profession).filter(pk=idea.pk).exists()
    assert not Idea.objects.reviewable_by(head_of_profession).filter(pk=idea.pk).exists()


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [("hop", True), ("admin", True), ("dwp_hop", False), ("author", False), ("colleague", False)],
)
def test_only_heads_of_profession_of_the_owing_organisation_and_admins_review(viewers, viewer, expected):
    idea = IdeaFactory(author=viewers["author"], visibility=Visibility.PARTNERS)
    assert Idea.objects.reviewable_by(viewers[viewer]).filter(pk=idea.pk).exists() == expected


def test_drafts_are_never_in_a_review_queue(viewers):
    IdeaFactory(author=viewers["author"], status=IdeaStatus.DRAFT)
    assert not Idea.objects.reviewable_by(viewers["admin"]).exists()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_comments_follow_their_idea_and_hidden_ones_drop_out(viewers, viewer):
    shared = IdeaFactory(author=viewers["author"], visibility=Visibility.PARTNERS)
    org_only = IdeaFactory(author=viewers["author"], visibility=Visibility.ORGANISATION)
    commenter = viewers["colleague"]
    on_shared = CommentFactory(idea=shared, author=commenter)
    on_org_only = CommentFactory(idea=org_only, author=commenter)
    hidden = CommentFactory(idea=shared, author=commenter, is_hidden=True)
    visible = set(Comment.objects.visible_to(viewers[viewer]))
    assert (on_shared in visible) == (viewer in EXPECTED["shared_with_partners"])
    assert (on_org_only in visible) == (viewer in EXPECTED["organisation_only"])
    assert (hidden in visible) == (viewer in {"colleague", "admin"})


@pytest.mark.parametrize("viewer", VIEWERS)
def test_an_ideas_page_shows_the_comments_visible_to_the_viewer(client, viewers, viewer):
    """The page reads an idea's comments with the hidden-comment rule alone (the idea itself came through
    visible_to): the same comments as Comment.objects.visible_to."""
    idea = IdeaFactory(author=viewers["author"], visibility=Visibility.PARTNERS)
    shown = CommentFactory(idea=idea, author=viewers["colleague"], body="Shown to everyone who sees the idea")
    hidden = CommentFactory(idea=idea, author=viewers["colleague"], body="Hidden by a moderator", is_hidden=True)
    member = viewers[viewer]
    client.force_login(member.user)
    response = client.get(f"/ideas/{idea.pk}/")
    if viewer not in EXPECTED["shared_with_partners"]:
        assert response.status_code == 404
        return
    html = response.content.decode()
    expected = set(Comment.objects.visible_to(member).filter(idea=idea))
    assert (shown.body in html) == (shown in expected) is True
    assert (hidden.body in html) == (hidden in expected) == (viewer in {"colleague", "admin"})


def _case_study(idea: Idea, audience: str, status: str = CaseStudy.Status.PUBLISHED) -> CaseStudy:
    return CaseStudy.objects.create(
        idea=idea,
        slug=f"case-{idea.pk}",
        title="Text updates cut chasing calls",
        summary="Texts at each stage",
        challenge="c",
        approach="a",
        results="r",
        contact="team@example.gov.uk",
        audience=audience,
        status=status,
        organisation=idea.organisation,
        written_by=idea.author,
    )


CASE_STUDY_EXPECTED = {
    CaseStudyAudience.PUBLIC: set(VIEWERS) - {"inactive"} | {"signed_out"},
    CaseStudyAudience.PARTNERS: set(VIEWERS) - {"inactive"},
    CaseStudyAudience.CIVIL_SERVICE: {"author", "colleague", "hop", "dwp_hop", "dwp_staff", "admin"},
    CaseStudyAudience.ORGANISATION: {"author", "colleague", "hop", "admin"},
}


@pytest.mark.parametrize("audience", list(CASE_STUDY_EXPECTED))
@pytest.mark.parametrize("viewer", [*VIEWERS, "signed_out"])
def test_case_study_audience_matrix(viewers, audience, viewer):
    study = _case_study(IdeaFactory(author=viewers["author"], status=IdeaStatus.IMPLEMENTED), audience)
    member = viewers.get(viewer)
    inactive_sees_public = viewer == "inactive" and audience == CaseStudyAudience.PUBLIC
    expected = viewer in CASE_STUDY_EXPECTED[audience] or inactive_sees_public
    assert CaseStudy.objects.visible_to(member).filter(pk=study.pk).exists() == expected


def test_draft_case_studies_are_for_their_writer_and_heads_of_profession(viewers):
    study = _case_study(
        IdeaFactory(author=viewers["author"], status=IdeaStatus.IMPLEMENTED),
        CaseStudyAudience.PUBLIC,
        status=CaseStudy.Status.DRAFT,
    )
    seen_by = {name for name, member in viewers.items() if CaseStudy.objects.visible_to(member).filter(pk=study.pk)}
    assert seen_by == {"author", "hop", "admin"}
    assert not CaseStudy.objects.public().exists()


def test_plans_are_seen_by_staff_below_the_organisation_and_its_leaders(viewers, home_office, dwp):
    plan = InnovationPlan.objects.create(
        organisation=home_office, year=2026, time="t", skills="s", tools="t", support="s", updated_by=viewers["hop"]
    )
    seen_by = {name for name, member in viewers.items() if InnovationPlan.objects.visible_to(member).filter(pk=plan.pk)}
    assert seen_by == {"author", "colleague", "hop", "admin"}
