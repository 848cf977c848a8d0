"""The moderation pages for ODP admins: reported ideas and comments with their reasons, hide with a note,
restore, or dismiss the reports; each with an audit record. Nobody else can open them (404)."""

from __future__ import annotations

import pytest
from django.test import Client

from innovation import services
from innovation.models import Comment, IdeaEvent, IdeaStatus, Report
from odp.models import AuditEvent
from tests.innovation.factories import CommentFactory, IdeaFactory

SCRIPT = "<script>alert('x')</script>"


def _client(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


@pytest.fixture
def reported(staff_member, colleague, dwp_staff):
    idea = IdeaFactory(author=dwp_staff, title="Publish waiting times", status=IdeaStatus.SUBMITTED)
    comment = CommentFactory(idea=idea, author=staff_member, body="The customer Jane Smith of 4 Acacia Road rang.")
    services.report_raise(by=colleague, comment=comment, reason="It names a customer " + SCRIPT)
    services.report_raise(by=staff_member, idea=idea, reason="Duplicate of another idea")
    return idea, comment


@pytest.mark.parametrize("who", ["staff_member", "head_of_profession"])
def test_only_admins_can_open_the_moderation_pages(request, reported, who):
    idea, comment = reported
    client = _client(request.getfixturevalue(who))
    for url in (
        "/ideas/moderation/",
        f"/ideas/moderation/ideas/{idea.pk}/",
        f"/ideas/moderation/comments/{comment.pk}/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/ideas/moderation/comments/{comment.pk}/", {"action": "hide", "note": "x"}).status_code == 404
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_the_queue_lists_reported_ideas_and_comments_with_their_reasons_escaped(reported, odp_admin):
    idea, comment = reported
    page = _client(odp_admin).get("/ideas/moderation/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Duplicate of another idea" in html
    assert "It names a customer &lt;script&gt;" in html and SCRIPT not in html
    assert f"/ideas/moderation/ideas/{idea.pk}/" in html
    assert f"/ideas/moderation/comments/{comment.pk}/" in html


def test_hiding_a_comment_needs_a_note_then_hides_it_resolves_the_reports_and_audits(reported, odp_admin, colleague):
    _, comment = reported
    client = _client(odp_admin)
    url = f"/ideas/moderation/comments/{comment.pk}/"

    refused = client.post(url, {"action": "hide", "note": ""})
    assert refused.status_code == 400
    assert "Enter why this is being hidden" in refused.content.decode()
    comment.refresh_from_db()
    assert not comment.is_hidden

    done = client.post(url, {"action": "hide", "note": "Names a customer."})
    assert done.status_code == 302 and done.url == "/ideas/moderation/"
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Names a customer."
    assert Report.objects.get(comment=comment).outcome == Report.Outcome.HIDDEN
    event = AuditEvent.objects.filter(object_type="innovation.comment", object_id=str(comment.pk)).latest("pk")
    assert event.actor == odp_admin.user and event.note == "Names a customer."
    assert event.changes["is_hidden"] == [False, True]
    assert not Comment.objects.visible_to(colleague).filter(pk=comment.pk).exists()
    queue = client.get("/ideas/moderation/").content.decode()
    assert "Nothing is waiting" not in queue  # the idea's report is still open
    assert "Names a customer." in queue  # listed under "Hidden now"


def test_restoring_an_idea_shows_it_again_with_a_timeline_entry(odp_admin, dwp_staff, colleague):
    idea = IdeaFactory(author=dwp_staff, is_hidden=True, hidden_reason="Looked like spam")
    client = _client(odp_admin)
    page = client.get(f"/ideas/moderation/ideas/{idea.pk}/")
    assert 'value="restore"' in page.content.decode() and 'value="hide"' not in page.content.decode()

    assert (
        client.post(f"/ideas/moderation/ideas/{idea.pk}/", {"action": "restore", "note": "Not spam."}).status_code
        == 302
    )
    idea.refresh_from_db()
    assert not idea.is_hidden
    assert idea.events.filter(kind=IdeaEvent.Kind.RESTORED, note="Not spam.").exists()
    assert AuditEvent.objects.filter(object_type="innovation.idea", object_id=str(idea.pk), note="Not spam.").exists()


def test_dismissing_keeps_the_idea_showing_and_closes_its_reports(reported, odp_admin):
    idea, _ = reported
    response = _client(odp_admin).post(f"/ideas/moderation/ideas/{idea.pk}/", {"action": "dismiss"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert not idea.is_hidden
    report = Report.objects.get(idea=idea)
    assert report.outcome == Report.Outcome.DISMISSED and report.resolved_by == odp_admin


def test_an_action_not_offered_is_refused(odp_admin, dwp_staff):
    idea = IdeaFactory(author=dwp_staff)
    response = _client(odp_admin).post(f"/ideas/moderation/ideas/{idea.pk}/", {"action": "restore", "note": "x"})
    assert response.status_code == 400
    response = _client(odp_admin).post(f"/ideas/moderation/ideas/{idea.pk}/", {"action": "dismiss"})
    assert response.status_code == 400  # nothing is reported, so there is nothing to dismiss


def test_admins_see_the_moderation_link_in_the_navigation(odp_admin, staff_member):
    assert "/ideas/moderation/" in _client(odp_admin).get("/ideas/").content.decode()
    assert "/ideas/moderation/" not in _client(staff_member).get("/ideas/").content.decode()
