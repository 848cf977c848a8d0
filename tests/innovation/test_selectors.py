"""Review queue, browse and search, and similar ideas: on SQLite and on PostgreSQL (pg_trgm + full text)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from innovation import selectors
from innovation.models import IdeaStatus, ServiceArea, Theme, Visibility
from innovation.selectors import IdeaFilters
from tests.innovation.factories import IdeaFactory

CORPUS = {
    "text_when_printed": (
        "Text applicants when their passport is printed",
        "Customers phone repeatedly to ask about the progress of their passport application.",
    ),
    "sms_progress": (
        "Send SMS updates on passport application progress",
        "Applicants call to chase the progress of their passport application.",
    ),
    "blue_badge": ("Fewer paper forms for blue badge renewals", "Renewal forms are posted to us and rekeyed by hand."),
    "chatbot": ("Chatbot for universal credit payment questions", "Claimants wait on hold to ask simple questions."),
    "rota": ("Better rota planning in contact centres", "Too few staff on Monday mornings when demand peaks."),
}


@pytest.fixture
def corpus(staff_member, dwp_staff):
    ideas = {}
    for key, (title, problem) in CORPUS.items():
        author = dwp_staff if key in {"chatbot", "blue_badge"} else staff_member
        ideas[key] = IdeaFactory(author=author, title=title, problem=problem, visibility=Visibility.CIVIL_SERVICE)
    return ideas


def test_similar_ideas_rank_the_near_duplicates_first(corpus, colleague):
    found = selectors.similar_ideas(
        colleague,
        title="Text message updates for passport applicants",
        problem="People ring to check on the progress of their passport application.",
    )
    assert {i.pk for i in found[:2]} == {corpus["text_when_printed"].pk, corpus["sms_progress"].pk}
    assert corpus["rota"] not in found


def test_similar_ideas_only_show_what_the_writer_may_see(corpus, staff_member, council_member):
    private = IdeaFactory(
        author=staff_member,
        title="Text applicants when their passport is posted",
        problem=CORPUS["text_when_printed"][1],
        visibility=Visibility.ORGANISATION,
    )
    draft = IdeaFactory(author=staff_member, title=private.title, status=IdeaStatus.DRAFT)
    found = selectors.similar_ideas(council_member, title="Text applicants when their passport is posted")
    assert found == []
    found = selectors.similar_ideas(staff_member, title=private.title, exclude=private.pk)
    assert private not in found and draft not in found
    assert corpus["text_when_printed"] in found


def test_similar_ideas_ignore_too_little_text(corpus, colleague):
    assert selectors.similar_ideas(colleague, title="a") == []


def test_search_finds_ideas_by_their_words(corpus, colleague):
    found = list(selectors.browse(colleague, IdeaFilters(q="passport progress")))
    assert set(found[:2]) == {corpus["text_when_printed"], corpus["sms_progress"]}
    assert corpus["chatbot"] not in found
    assert list(selectors.browse(colleague, IdeaFilters(q="chatbot"))) == [corpus["chatbot"]]


def test_filters_combine(corpus, colleague, dwp):
    digital = Theme.objects.get(slug="digital-and-ai")
    corpus["chatbot"].themes.add(digital)
    corpus["chatbot"].service_area = ServiceArea.BENEFITS
    corpus["chatbot"].save()
    assert list(selectors.browse(colleague, IdeaFilters(theme="digital-and-ai"))) == [corpus["chatbot"]]
    assert set(selectors.browse(colleague, IdeaFilters(organisation=dwp.pk))) == {
        corpus["chatbot"],
        corpus["blue_badge"],
    }
    assert list(selectors.browse(colleague, IdeaFilters(service_area=ServiceArea.BENEFITS))) == [corpus["chatbot"]]
    assert list(selectors.browse(colleague, IdeaFilters(status=IdeaStatus.ACCEPTED))) == []


def test_sorts(corpus, colleague):
    now = timezone.now()
    for offset, key in enumerate(["rota", "chatbot", "blue_badge", "sms_progress", "text_when_printed"]):
        idea = corpus[key]
        idea.submitted_at = now - datetime.timedelta(days=offset)
        idea.endorsement_count = offset
        idea.decided_at = now - datetime.timedelta(days=10 - offset) if key in {"chatbot", "rota"} else None
        idea.save()
    newest = [i.title for i in selectors.browse(colleague, IdeaFilters(sort="newest"))]
    assert newest[0] == CORPUS["rota"][0]
    endorsed = list(selectors.browse(colleague, IdeaFilters(sort="most_endorsed")))
    assert endorsed[0] == corpus["text_when_printed"]
    decided = list(selectors.browse(colleague, IdeaFilters(sort="recently_decided")))
    assert decided[:2] == [corpus["chatbot"], corpus["rota"]]


def test_pagination(staff_member, colleague):
    for n in range(25):
        IdeaFactory(author=staff_member, title=f"Idea {n}")
    page = selectors.paginate(selectors.browse(colleague, IdeaFilters()), 2)
    assert page.number == 2 and len(page.object_list) == 5 and page.paginator.count == 25
    assert selectors.paginate(selectors.browse(colleague, IdeaFilters()), "nonsense").number == 1


def test_review_queue_is_ordered_by_due_date_with_overdue_flagged(staff_member, head_of_profession, dwp_staff):
    today = timezone.localdate()
    later = IdeaFactory(author=staff_member, decision_due_on=today + datetime.timedelta(days=9))
    overdue = IdeaFactory(
        author=staff_member, status=IdeaStatus.UNDER_REVIEW, decision_due_on=today - datetime.timedelta(days=2)
    )
    due_today = IdeaFactory(author=staff_member, status=IdeaStatus.ROUTED, decision_due_on=today)
    IdeaFactory(author=staff_member, status=IdeaStatus.ACCEPTED, decision_due_on=today)
    IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT)
    IdeaFactory(author=dwp_staff, decision_due_on=today)
    queue = list(selectors.review_queue(head_of_profession))
    assert queue == [overdue, due_today, later]
    assert [i.is_overdue for i in queue] == [True, False, False]


def test_staff_have_no_review_queue(staff_member):
    IdeaFactory(author=staff_member)
    assert list(selectors.review_queue(staff_member)) == []


@pytest.mark.parametrize(
    "filters",
    [
        IdeaFilters(),
        IdeaFilters(sort="most_endorsed"),
        IdeaFilters(sort="recently_decided", status=IdeaStatus.ACCEPTED),
        IdeaFilters(q="passport", sort="relevance"),
        IdeaFilters(q="passport progress", sort="newest"),
        IdeaFilters(theme="digital"),
        IdeaFilters(q="nothing matches this"),
    ],
)
def test_the_browse_pages_rows_are_the_browse_ideas_with_their_themes(corpus, staff_member, colleague, filters):
    digital = Theme.objects.get_or_create(slug="digital", defaults={"name": "Digital"})[0]
    automation = Theme.objects.get_or_create(slug="automation", defaults={"name": "Automation"})[0]
    corpus["sms_progress"].themes.add(digital, automation)
    corpus["chatbot"].themes.add(digital)
    corpus["rota"].status = IdeaStatus.ACCEPTED
    corpus["rota"].decided_at = timezone.now()
    corpus["rota"].save()
    for n in range(22):
        IdeaFactory(author=staff_member, title=f"Passport progress idea {n}", endorsement_count=n % 4)
    ideas = list(selectors.browse(colleague, filters))
    rows = {}
    for number in (1, 2, "9", "nonsense"):
        page = selectors.browse_page(colleague, filters, number)
        expected = selectors.paginate(selectors.browse(colleague, filters), number)
        assert page.number == expected.number and page.paginator.count == len(ideas)
        assert page.object_list == [
            {
                "pk": idea.pk,
                "reference": idea.reference,
                "title": idea.title,
                "organisation_name": idea.organisation.name,
                "endorsement_count": idea.endorsement_count,
                "status": idea.status,
                "themes": [theme.name for theme in idea.themes.all()],
            }
            for idea in expected.object_list
        ]
        rows |= {row["pk"]: row for row in page.object_list}
    assert set(rows) == {idea.pk for idea in ideas}
    if corpus["sms_progress"] in ideas:
        assert rows[corpus["sms_progress"].pk]["themes"] == ["Automation", "Digital"]
