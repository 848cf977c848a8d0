"""A daily digest instead of one email each: the fan-out holds digest members' emails, the daily job sends
one email per member per day, and a re-run the same day sends nothing twice."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from innovation import digests, fanout, workflow
from innovation.models import Digest, DigestEntry, EmailFrequency, EmailPreference, Follow, IdeaStatus, ServiceArea
from odp.models import AuditEvent, Notification
from tests.innovation.factories import IdeaFactory

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _emails_to(member) -> list:
    return [m for m in mail.outbox if m.to == [member.user.email]]


def _daily(member) -> None:
    digests.email_preference_set(member=member, frequency=EmailFrequency.DAILY)


def _decide(idea, reviewer, feedback: str) -> None:
    workflow.idea_move(idea=idea, by=reviewer, to=IdeaStatus.UNDER_REVIEW)
    workflow.idea_decide(idea=idea, by=reviewer, outcome=IdeaStatus.ACCEPTED, feedback=feedback)


def test_each_email_members_are_emailed_at_once_and_digest_members_are_held(
    run_jobs, staff_member, colleague, head_of_profession
):
    _daily(staff_member)  # the author wants a digest; the follower one email each
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.SUBMITTED)
    Follow.objects.create(idea=idea, member=colleague)
    with run_jobs():
        _decide(idea, head_of_profession, "Accepted: piloting in May.")

    assert len(_emails_to(colleague)) == 2
    assert _emails_to(staff_member) == []
    # Both see every update in the service straight away.
    assert Notification.objects.filter(recipient=staff_member).count() == 2
    held = DigestEntry.objects.filter(member=staff_member, digest__isnull=True)
    assert held.count() == 2
    assert not Notification.objects.filter(recipient=staff_member, emailed_at__isnull=False).exists()


def test_the_daily_job_sends_one_digest_per_member_and_a_rerun_sends_nothing(
    run_jobs, staff_member, colleague, head_of_profession
):
    _daily(staff_member)
    _daily(head_of_profession)
    first = IdeaFactory(author=staff_member, status=IdeaStatus.SUBMITTED)
    second = IdeaFactory(author=staff_member, status=IdeaStatus.SUBMITTED)
    with run_jobs():
        _decide(first, head_of_profession, "Accepted: piloting in May.")
        _decide(second, head_of_profession, "Accepted too.")
    draft = IdeaFactory(author=colleague, status=IdeaStatus.DRAFT, service_area=ServiceArea.PASSPORTS)
    with run_jobs():
        workflow.idea_submit(idea=draft, by=colleague)  # the reviewer's "new idea" notice is held too
    mail.outbox.clear()

    assert digests.send_daily_digests(day=TODAY) == 2

    [author_digest] = _emails_to(staff_member)
    assert author_digest.subject == "Ideas: 4 updates on 30 November 2026"
    assert "Accepted: piloting in May." in author_digest.body
    assert first.reference in author_digest.body and second.reference in author_digest.body
    assert "/ideas/email/" in author_digest.body
    [reviewer_digest] = _emails_to(head_of_profession)
    assert "New idea to review" in reviewer_digest.body
    assert Notification.objects.filter(recipient=staff_member, emailed_at__isnull=True).count() == 0
    assert Digest.objects.get(member=staff_member, day=TODAY).entries_count == 4

    mail.outbox.clear()
    assert digests.send_daily_digests(day=TODAY) == 0
    assert mail.outbox == []


def test_news_after_the_days_digest_waits_for_the_next_day(run_jobs, staff_member, head_of_profession):
    _daily(staff_member)
    first = IdeaFactory(author=staff_member, status=IdeaStatus.SUBMITTED)
    with run_jobs():
        workflow.idea_move(idea=first, by=head_of_profession, to=IdeaStatus.UNDER_REVIEW)
    assert digests.send_daily_digests(day=TODAY) == 1
    with run_jobs():
        workflow.idea_decide(idea=first, by=head_of_profession, outcome=IdeaStatus.ACCEPTED, feedback="Yes.")
    mail.outbox.clear()

    assert digests.send_daily_digests(day=TODAY) == 0  # a second run the same day: nothing twice
    assert mail.outbox == []
    assert digests.send_daily_digests(day=TODAY + datetime.timedelta(days=1)) == 1
    [email] = mail.outbox
    assert email.subject == "Ideas: 1 update on 1 December 2026"
    assert "Yes." in email.body


def test_a_member_with_nothing_held_gets_no_digest(staff_member):
    _daily(staff_member)
    assert digests.send_daily_digests(day=TODAY) == 0
    assert mail.outbox == []


def test_switching_back_to_each_email_still_sends_what_was_held(run_jobs, staff_member, head_of_profession):
    _daily(staff_member)
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.SUBMITTED)
    with run_jobs():
        workflow.idea_move(idea=idea, by=head_of_profession, to=IdeaStatus.UNDER_REVIEW)
    digests.email_preference_set(member=staff_member, frequency=EmailFrequency.EACH)
    with run_jobs():
        workflow.idea_decide(idea=idea, by=head_of_profession, outcome=IdeaStatus.ACCEPTED, feedback="Yes.")
    assert [m.subject for m in _emails_to(staff_member)] == [f"Decision on your idea {idea.reference}"]
    mail.outbox.clear()
    assert digests.send_daily_digests(day=TODAY) == 1
    assert len(_emails_to(staff_member)) == 1


def test_escalations_to_admins_follow_their_choice(run_jobs, staff_member, odp_admin):
    _daily(odp_admin)
    IdeaFactory(author=staff_member, decision_due_on=timezone.localdate() - datetime.timedelta(days=1))
    with run_jobs():
        assert fanout.escalate_overdue() == 1
    assert _emails_to(odp_admin) == []
    assert digests.send_daily_digests(day=TODAY) == 1
    assert "past their response date" in _emails_to(odp_admin)[0].body


def test_the_daily_job_is_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "innovation.send_daily_digests" in tasks


def test_the_preference_page_sets_the_choice_with_an_audit_record(client, staff_member):
    client.force_login(staff_member.user)
    page = client.get(reverse("ideas-email"))
    assert page.status_code == 200
    assert 'value="each" checked' in page.content.decode()

    refused = client.post(reverse("ideas-email"), {"frequency": "weekly"})
    assert refused.status_code == 200
    assert "govuk-error-summary" in refused.content.decode()
    assert not EmailPreference.objects.exists()

    saved = client.post(reverse("ideas-email"), {"frequency": "daily"}, follow=True)
    assert saved.redirect_chain[-1][0] == reverse("ideas-mine")
    assert "Your email choice has been saved" in saved.content.decode()
    assert digests.frequency_of(staff_member) == EmailFrequency.DAILY
    event = AuditEvent.objects.get(object_type="innovation.emailpreference")
    assert event.actor == staff_member.user
    assert event.changes["frequency"][1] == "daily"
    assert 'value="daily" checked' in client.get(reverse("ideas-email")).content.decode()


def test_the_preference_page_needs_sign_in(client, db):
    response = client.get(reverse("ideas-email"))
    assert response.status_code == 302
    assert "next=/ideas/email/" in response["Location"]
