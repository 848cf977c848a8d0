"""Drafting, endorsing, commenting, following and moderation, with the bad input each must refuse."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innovation import services
from innovation.models import Comment, Endorsement, Idea, IdeaStatus, Report, Theme, Visibility
from odp.models import AuditEvent
from tests.innovation.factories import CommentFactory, IdeaFactory


def test_a_draft_can_be_saved_one_answer_at_a_time(staff_member):
    idea = services.idea_save_draft(by=staff_member, answers={"title": "  Text people when their passport is posted  "})
    assert idea.status == IdeaStatus.DRAFT and idea.title == "Text people when their passport is posted"
    assert idea.organisation == staff_member.organisation
    themes = Theme.objects.filter(slug__in=["digital-and-ai", "customer-experience"])
    services.idea_save_draft(
        by=staff_member,
        idea=idea,
        answers={"problem": "People ring to ask.", "hours_saved_per_year": 1200},
        themes=themes,
    )
    idea.refresh_from_db()
    assert idea.hours_saved_per_year == 1200
    assert {t.name for t in idea.themes.all()} == {"Digital and AI", "Customer experience"}
    assert idea.events.get().kind == "created"


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 151}, "title"),
        ({"title": "ok", "problem": "x" * 5001}, "problem"),
        ({"title": "ok", "hours_saved_per_year": -5}, "hours_saved_per_year"),
        ({"title": "ok", "cost_saved_per_year": Decimal("-1")}, "cost_saved_per_year"),
        ({"title": "ok", "service_area": "astrology"}, "service_area"),
        ({"title": "ok", "visibility": "everyone"}, "visibility"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(staff_member, answers, field):
    with pytest.raises(ValidationError) as refused:
        services.idea_save_draft(by=staff_member, answers=answers)
    assert field in refused.value.message_dict
    assert not Idea.objects.exists()


def test_script_text_is_kept_as_text(staff_member):
    idea = services.idea_save_draft(by=staff_member, answers={"title": "<script>alert(1)</script>"})
    assert Idea.objects.get(pk=idea.pk).title == "<script>alert(1)</script>"


def test_only_the_author_changes_a_draft_and_only_while_it_is_a_draft(staff_member, colleague):
    draft = IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        services.idea_save_draft(by=colleague, idea=draft, answers={"title": "Mine now"})
    submitted = IdeaFactory(author=staff_member)
    with pytest.raises(ValidationError, match="no longer be changed"):
        services.idea_save_draft(by=staff_member, idea=submitted, answers={"title": "Changed"})


def test_one_endorsement_per_person(colleague, staff_member):
    idea = IdeaFactory(author=staff_member)
    services.endorse(idea=idea, by=colleague)
    with pytest.raises(ValidationError, match="already endorsed"):
        services.endorse(idea=idea, by=colleague)
    idea.refresh_from_db()
    assert idea.endorsement_count == 1 == Endorsement.objects.count()
    services.endorse_withdraw(idea=idea, by=colleague)
    idea.refresh_from_db()
    assert idea.endorsement_count == 0


def test_authors_do_not_endorse_their_own_ideas_nor_anyone_drafts(staff_member, colleague):
    with pytest.raises(ValidationError, match="own idea"):
        services.endorse(idea=IdeaFactory(author=staff_member), by=staff_member)
    with pytest.raises(PermissionDenied):
        services.endorse(idea=IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT), by=colleague)


def test_partners_take_part_in_shared_ideas_but_not_organisation_only_ones(staff_member, council_member):
    shared = IdeaFactory(author=staff_member, visibility=Visibility.PARTNERS)
    services.endorse(idea=shared, by=council_member)
    services.comment_add(idea=shared, by=council_member, body="Leeds does this for blue badges.")
    private = IdeaFactory(author=staff_member, visibility=Visibility.ORGANISATION)
    with pytest.raises(PermissionDenied):
        services.endorse(idea=private, by=council_member)
    with pytest.raises(PermissionDenied):
        services.comment_add(idea=private, by=council_member, body="Hello")


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_empty_and_oversized_comments_are_refused(staff_member, colleague, body):
    idea = IdeaFactory(author=staff_member)
    with pytest.raises(ValidationError):
        services.comment_add(idea=idea, by=colleague, body=body)
    assert not Comment.objects.exists()


def test_following_is_idempotent(staff_member, colleague):
    idea = IdeaFactory(author=staff_member)
    assert services.follow(idea=idea, by=colleague) == services.follow(idea=idea, by=colleague)
    services.unfollow(idea=idea, by=colleague)
    assert not idea.follows.exists()


def test_reported_comment_is_hidden_by_an_admin_with_an_audit_record_and_restored(
    staff_member, colleague, odp_admin, dwp_staff
):
    idea = IdeaFactory(author=staff_member, visibility=Visibility.CIVIL_SERVICE)
    comment = CommentFactory(idea=idea, author=colleague, body="Rude remark")
    report = services.report_raise(by=dwp_staff, comment=comment, reason="Offensive")
    assert services.report_raise(by=dwp_staff, comment=comment, reason="Again") == report
    with pytest.raises(PermissionDenied):
        services.moderate(by=staff_member, hide=True, note="No", comment=comment)
    with pytest.raises(ValidationError):
        services.moderate(by=odp_admin, hide=True, note="", comment=comment)
    services.moderate(by=odp_admin, hide=True, note="Breaks the community rules", comment=comment)
    report.refresh_from_db()
    assert report.outcome == Report.Outcome.HIDDEN and report.resolved_by == odp_admin
    assert comment not in Comment.objects.visible_to(dwp_staff)
    assert comment in Comment.objects.visible_to(colleague)
    trail = AuditEvent.objects.filter(object_type="innovation.comment", object_id=str(comment.pk), action="update")
    assert trail.filter(note="Breaks the community rules", actor=odp_admin.user).exists()
    services.moderate(by=odp_admin, hide=False, note="Reviewed again", comment=comment)
    assert comment in Comment.objects.visible_to(dwp_staff)


def test_a_hidden_idea_leaves_a_timeline_entry_and_drops_out(staff_member, odp_admin, dwp_staff):
    idea = IdeaFactory(author=staff_member)
    services.report_raise(by=dwp_staff, idea=idea, reason="Contains a customer's name")
    services.moderate(by=odp_admin, hide=True, note="Personal data", idea=idea)
    assert not Idea.objects.visible_to(dwp_staff).filter(pk=idea.pk).exists()
    assert idea.events.filter(kind="hidden", note="Personal data").exists()
    with pytest.raises(ValidationError):
        services.comment_add(idea=Idea.objects.get(pk=idea.pk), by=staff_member, body="Still here?")


def test_reports_need_a_reason_and_a_visible_target(staff_member, council_member):
    idea = IdeaFactory(author=staff_member, visibility=Visibility.ORGANISATION)
    with pytest.raises(PermissionDenied):
        services.report_raise(by=council_member, idea=idea, reason="Spam")
    with pytest.raises(ValidationError):
        services.report_raise(by=staff_member, idea=idea, reason=" ")


def test_admins_hide_and_restore_from_the_admin_through_the_service(client, staff_member, odp_admin, dwp_staff):
    odp_admin.user.is_staff = odp_admin.user.is_superuser = True
    odp_admin.user.save()
    idea = IdeaFactory(author=staff_member)
    report = services.report_raise(by=dwp_staff, idea=idea, reason="Names a customer")
    client.force_login(odp_admin.user)
    url = "/django-admin/innovation/idea/"
    assert client.get(url).status_code == 200
    client.post(url, {"action": "hide", "_selected_action": [idea.pk]})
    idea.refresh_from_db()
    report.refresh_from_db()
    assert idea.is_hidden and report.outcome == Report.Outcome.HIDDEN
    assert AuditEvent.objects.filter(
        object_type="innovation.idea", object_id=str(idea.pk), actor=odp_admin.user
    ).exists()
    client.post(url, {"action": "restore", "_selected_action": [idea.pk]})
    idea.refresh_from_db()
    assert not idea.is_hidden
