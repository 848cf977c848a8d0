"""The ideas pages: raise an idea end to end, browse, the idea page, review and decide, public case studies.
Out-of-scope ideas are 404; text is escaped; errors show GOV.UK style."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from innovation.dates import working_days_after
from innovation.models import CaseStudy, Comment, Idea, IdeaStatus, Theme, Visibility
from tests.innovation.factories import IdeaFactory

SCRIPT = "<script>alert('x')</script>"


def _client(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def test_raise_an_idea_end_to_end(staff_member, head_of_profession, django_capture_on_commit_callbacks):
    client = _client(staff_member)
    assert client.get("/ideas/new/").status_code == 200
    response = client.post("/ideas/new/", {"title": "Text applicants when their passport is posted"})
    idea = Idea.objects.get()
    assert response.url == f"/ideas/{idea.pk}/questions/problem/"
    answers = [
        ("problem", {"problem": "People ring to ask where their passport is."}),
        ("change", {"proposed_change": "Send a text when it is posted."}),
        ("benefits", {"hours_saved_per_year": "1200", "cost_saved_per_year": "", "customer_outcome": ""}),
        ("service-area", {"service_area": "passports"}),
        ("themes", {"themes": ["digital-and-ai", "customer-experience"]}),
        ("visibility", {"visibility": "partners"}),
    ]
    for step, data in answers:
        response = client.post(f"/ideas/{idea.pk}/questions/{step}/", data)
        assert response.status_code == 302, (step, response.content)
    assert response.url == f"/ideas/{idea.pk}/check/"
    check = client.get(response.url)
    assert b"Check your answers" in check.content and b"1,200 hours a year" in check.content
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(f"/ideas/{idea.pk}/check/", follow=True)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    page = submitted.content.decode()
    assert "govuk-panel--confirmation" in page and idea.reference in page
    assert working_days_after(timezone.localdate(), 30).strftime("%-d %B %Y") in page
    assert head_of_profession.notifications.filter(subject__contains=idea.reference).exists()


def test_save_as_draft_at_any_step(staff_member):
    client = _client(staff_member)
    response = client.post("/ideas/new/", {"title": "Fewer forms", "save_draft": "1"}, follow=True)
    assert b"Your draft has been saved" in response.content
    assert Idea.objects.get().status == IdeaStatus.DRAFT


@pytest.mark.parametrize(("data", "message"), [({"title": ""}, "Enter a title"), ({"title": "x" * 151}, "150")])
def test_question_errors_show_in_the_summary_and_by_the_field(staff_member, data, message):
    response = _client(staff_member).post("/ideas/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page and "<title>Error:" in page
    assert not Idea.objects.exists()


def test_submitting_an_incomplete_idea_lists_each_missing_answer(staff_member):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT, problem="", proposed_change="")
    page = _client(staff_member).post(f"/ideas/{idea.pk}/check/").content.decode()
    assert "Describe the problem" in page and "Select the service area" in page
    assert f"/ideas/{idea.pk}/questions/problem/?return=check" in page


def test_others_cannot_see_or_change_a_draft(staff_member, colleague):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT)
    client = _client(colleague)
    assert client.get(f"/ideas/{idea.pk}/check/").status_code == 404
    assert client.get(f"/ideas/{idea.pk}/questions/title/").status_code == 404
    assert client.get(f"/ideas/{idea.pk}/").status_code == 404


def test_question_pages_are_for_the_authors_own_drafts_only(staff_member):
    draft = IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT, title="Text applicants when it is posted")
    submitted = IdeaFactory(author=staff_member)
    client = _client(staff_member)
    assert (
        'value="Text applicants when it is posted"'
        in client.get(f"/ideas/{draft.pk}/questions/title/").content.decode()
    )
    assert client.get(f"/ideas/{submitted.pk}/questions/title/").status_code == 404
    assert client.get(f"/ideas/{submitted.pk}/check/").status_code == 404
    assert client.get("/ideas/999999/questions/title/").status_code == 404


def test_similar_ideas_show_while_writing(staff_member, colleague):
    IdeaFactory(author=colleague, title="Text applicants when their passport is printed")
    draft = IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT, title="Text passport applicants")
    page = _client(staff_member).get(f"/ideas/{draft.pk}/questions/problem/").content.decode()
    assert "Similar ideas" in page and "Text applicants when their passport is printed" in page


def test_the_idea_page_escapes_text_and_takes_part(staff_member, colleague):
    idea = IdeaFactory(author=staff_member, title=f"Idea {SCRIPT}", problem=SCRIPT)
    client = _client(colleague)
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert SCRIPT not in page and "&lt;script&gt;" in page
    client.post(f"/ideas/{idea.pk}/endorse/")
    second = client.post(f"/ideas/{idea.pk}/endorse/", follow=True).content.decode()
    assert "already endorsed" in second
    client.post(f"/ideas/{idea.pk}/follow/")
    assert client.post(f"/ideas/{idea.pk}/comment/", {"body": ""}).status_code == 400
    client.post(f"/ideas/{idea.pk}/comment/", {"body": SCRIPT})
    idea.refresh_from_db()
    assert idea.endorsement_count == 1 and idea.follows.count() == 1
    assert Comment.objects.get().body == SCRIPT
    assert SCRIPT not in client.get(f"/ideas/{idea.pk}/").content.decode()
    assert client.post(f"/ideas/{idea.pk}/report/", {"reason": "Test report"}).status_code == 302


def test_out_of_scope_ideas_are_404_for_partners(staff_member, council_member):
    private = IdeaFactory(author=staff_member, visibility=Visibility.ORGANISATION)
    shared = IdeaFactory(author=staff_member, visibility=Visibility.PARTNERS)
    client = _client(council_member)
    assert client.get(f"/ideas/{private.pk}/").status_code == 404
    assert client.post(f"/ideas/{private.pk}/endorse/").status_code == 404
    assert client.get(f"/ideas/{shared.pk}/").status_code == 200
    browse = client.get("/ideas/").content.decode()
    assert shared.title in browse and private.title not in browse


def test_browse_searches_and_filters(staff_member, colleague):
    IdeaFactory(author=staff_member, title="Chatbot for payment questions")
    IdeaFactory(author=staff_member, title="Rota planning")
    page = _client(colleague).get("/ideas/", {"q": "chatbot", "sort": "newest"}).content.decode()
    assert "Chatbot for payment questions" in page and "Rota planning" not in page
    assert _client(colleague).get("/ideas/", {"status": "nonsense"}).status_code == 200


def test_head_of_profession_reviews_and_decides_and_the_author_sees_the_feedback(
    staff_member, head_of_profession, dwp_hop
):
    idea = IdeaFactory(author=staff_member)
    hop = _client(head_of_profession)
    queue = hop.get("/ideas/review/").content.decode()
    assert idea.title in queue
    hop.post(f"/ideas/{idea.pk}/decide/", {"action": "move", "note": ""})
    refused = hop.post(
        f"/ideas/{idea.pk}/decide/", {"action": "decide", "outcome": "not_taken_forward", "feedback": "No"}
    )
    assert refused.status_code == 400 and "Enter the reason" in refused.content.decode()
    hop.post(
        f"/ideas/{idea.pk}/decide/",
        {"action": "decide", "outcome": "accepted", "feedback": "Great idea: we will pilot it in Durham."},
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ACCEPTED
    author_page = _client(staff_member).get(f"/ideas/{idea.pk}/").content.decode()
    assert "Great idea: we will pilot it in Durham." in author_page
    assert _client(dwp_hop).get(f"/ideas/{idea.pk}/decide/").status_code == 404
    assert _client(staff_member).get("/ideas/review/").status_code == 404


def test_skipping_a_state_on_the_decision_page_is_refused(staff_member, head_of_profession):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED)
    response = _client(head_of_profession).post(f"/ideas/{idea.pk}/decide/", {"action": "move", "note": ""})
    assert response.status_code == 400
    assert "measured" in response.content.decode()


def test_public_case_studies_need_no_sign_in(staff_member):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.IMPLEMENTED)
    common = {"summary": "Texts", "challenge": "c", "approach": "a", "results": "r", "contact": "x"}
    CaseStudy.objects.create(
        idea=idea,
        slug="texts",
        title="Texting applicants",
        status="published",
        audience="public",
        organisation=idea.organisation,
        written_by=staff_member,
        published_at=timezone.now(),
        **common,
    )
    client = Client()
    assert "Texting applicants" in client.get("/ideas/case-studies/").content.decode()
    assert client.get("/ideas/case-studies/texts/").status_code == 200
    assert client.get("/ideas/").status_code == 302  # everything else needs signing in


def test_the_export_is_scoped_and_neutralises_formulas(staff_member, council_member):
    IdeaFactory(author=staff_member, title='=HYPERLINK("http://evil")', visibility=Visibility.PARTNERS)
    IdeaFactory(author=staff_member, title="Organisation only", visibility=Visibility.ORGANISATION)
    response = _client(council_member).get("/ideas/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "Organisation only" not in body
    assert "'=HYPERLINK" in body and "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_browse_rows_are_escaped_and_carry_their_link_tags_and_count(staff_member, colleague):
    """Browse builds each idea's summary in Python (innovation.views.ideas._idea_summary), not in the template."""
    idea = IdeaFactory(author=staff_member, title='Calls & <script>alert("x")</script>', endorsement_count=1)
    idea.themes.add(Theme.objects.create(slug="forms", name="Forms & <b>letters</b>"))
    IdeaFactory(author=staff_member, title="Another idea", endorsement_count=2)
    html = _client(colleague).get("/ideas/").content.decode()
    assert "<script>" not in html and "<b>letters" not in html
    title = "Calls &amp; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert f'<a class="govuk-link" href="/ideas/{idea.pk}/">{title}</a></h2>' in html
    assert f"{idea.reference} · {staff_member.organisation.name} · 1 endorsement</p>" in html
    assert "· 2 endorsements</p>" in html
    assert (
        '<p class="govuk-body-s">\n<strong class="govuk-tag govuk-tag--yellow">Submitted</strong>\n'
        ' <strong class="govuk-tag govuk-tag--grey">Forms &amp; &lt;b&gt;letters&lt;/b&gt;</strong></p>'
    ) in html
