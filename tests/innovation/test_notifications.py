"""Who is told what: reviewers when ideas arrive, the author on every decision, followers on status changes,
endorsers and followers of a duplicate when it is merged, admins when ideas are overdue. All via the outbox."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from innovation import fanout, services, workflow
from innovation.models import Follow, IdeaStatus, ServiceArea
from odp.models import Notification, OutboxMessage, OutboxStatus, Role
from tests.factories import MemberFactory, grant
from tests.innovation.factories import IdeaFactory


def _told(member) -> list[str]:
    return list(Notification.objects.filter(recipient=member).order_by("pk").values_list("subject", flat=True))


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """Run outbox jobs inline as the transaction would commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_reviewers_of_the_organisation_and_bodies_above_it_hear_of_a_new_idea(
    run_jobs, staff_member, head_of_profession, passport_office, dwp_hop
):
    agency_hop = MemberFactory(organisation=passport_office)
    grant(agency_hop, Role.HEAD_OF_PROFESSION, passport_office)
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT, service_area=ServiceArea.PASSPORTS)
    with run_jobs():
        workflow.idea_submit(idea=idea, by=staff_member)
    idea.refresh_from_db()
    assert _told(head_of_profession) == [f"New idea to review: {idea.reference}"]
    assert _told(agency_hop) == [f"New idea to review: {idea.reference}"]
    assert _told(dwp_hop) == []
    assert _told(staff_member) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted([head_of_profession.user.email, agency_hop.user.email])
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.DONE).exists()


def test_with_no_head_of_profession_the_admins_hear_of_it(run_jobs, dwp_staff, odp_admin):
    idea = IdeaFactory(author=dwp_staff, status=IdeaStatus.DRAFT, service_area=ServiceArea.BENEFITS)
    with run_jobs():
        workflow.idea_submit(idea=idea, by=dwp_staff)
    assert len(_told(odp_admin)) == 1


def test_the_author_hears_every_decision_with_its_feedback_and_followers_every_change(
    run_jobs, staff_member, colleague, head_of_profession
):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.SUBMITTED)
    Follow.objects.create(idea=idea, member=colleague)
    Follow.objects.create(idea=idea, member=head_of_profession)
    with run_jobs():
        workflow.idea_move(idea=idea, by=head_of_profession, to=IdeaStatus.UNDER_REVIEW)
    with run_jobs():
        workflow.idea_decide(
            idea=idea, by=head_of_profession, outcome=IdeaStatus.ACCEPTED, feedback="A great idea: piloting in May."
        )
    ref = idea.reference
    assert _told(staff_member) == [f"Your idea {ref} has moved on", f"Decision on your idea {ref}"]
    assert "A great idea: piloting in May." in Notification.objects.filter(recipient=staff_member).first().body
    assert _told(colleague) == [f"Update on {ref}", f"Update on {ref}"]
    assert _told(head_of_profession) == []  # nobody is told of their own action


def test_a_merge_tells_the_duplicates_endorsers_and_followers_and_carries_them_over(
    run_jobs, staff_member, colleague, head_of_profession, dwp_staff
):
    original = IdeaFactory(author=dwp_staff, visibility="civil_service")
    duplicate = IdeaFactory(author=staff_member, status=IdeaStatus.UNDER_REVIEW)
    endorser = MemberFactory(organisation=staff_member.organisation)
    services.endorse(idea=duplicate, by=endorser)
    services.follow(idea=duplicate, by=colleague)
    with run_jobs():
        workflow.idea_decide(
            idea=duplicate,
            by=head_of_profession,
            outcome=IdeaStatus.MERGED,
            feedback="Already raised by DWP.",
            merge_into=original,
        )
    for member in (endorser, colleague):
        assert _told(member) == [f"Update on {duplicate.reference}"]
        assert original.reference in Notification.objects.get(recipient=member).body
    assert _told(staff_member) == [f"Decision on your idea {duplicate.reference}"]
    original.refresh_from_db()
    assert original.endorsement_count == 1
    assert set(original.follows.values_list("member_id", flat=True)) == {colleague.pk, staff_member.pk}
    assert original.events.filter(kind="merged_in").exists()


def test_overdue_ideas_escalate_to_the_admins_once(run_jobs, staff_member, odp_admin):
    overdue = IdeaFactory(author=staff_member, decision_due_on=timezone.localdate() - datetime.timedelta(days=1))
    IdeaFactory(author=staff_member, decision_due_on=timezone.localdate())
    IdeaFactory(
        author=staff_member, status=IdeaStatus.ACCEPTED, decision_due_on=timezone.localdate() - datetime.timedelta(1)
    )
    with run_jobs():
        assert fanout.escalate_overdue() == 1
    assert fanout.escalate_overdue() == 0
    assert _told(odp_admin) == ["1 ideas are past their response date"]
    assert overdue.reference in Notification.objects.get(recipient=odp_admin).body
