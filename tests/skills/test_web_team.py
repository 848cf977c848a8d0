"""Line manager pages: self-assessments waiting for a response; confirming and adjusting them."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from odp.models import Member, Notification
from skills import services
from skills.models import Assessment, CurrentLevel, FrameworkVersion, RaterKind, Skill
from tests.factories import MemberFactory
from tests.skills.factories import FrameworkFactory, published_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def version() -> FrameworkVersion:
    return published_version(n_skills=2, framework=FrameworkFactory(slug="odp-skills", name="ODP skills framework"))


@pytest.fixture
def skill(version) -> Skill:
    return version.skills.get(code="S1")


@pytest.fixture
def manager(passport_office) -> Member:
    return MemberFactory(organisation=passport_office, user__username="manager")


@pytest.fixture
def report(staff_member, manager) -> Member:
    staff_member.line_manager = manager
    staff_member.save()
    return staff_member


@pytest.fixture
def pending(report, skill) -> Assessment:
    return services.assessment_record_self(member=report, skill=skill, level=3, rationale="Ran the new triage rota")


@pytest.fixture
def as_manager(client: Client, manager, report) -> Client:
    client.force_login(manager.user)
    return client


def test_team_page_lists_waiting_self_assessments_with_their_due_date(as_manager, pending, report):
    html = as_manager.get(reverse("web-skills-team")).content.decode()

    assert "1 self-assessment waiting for you" in html
    assert report.full_name in html
    assert "Practitioner (level 3)" in html
    due = timezone.localdate(pending.rated_at) + datetime.timedelta(days=settings.SKILLS_RESPONSE_DAYS)
    assert due.strftime("%-d %b %Y") in html
    assert f'href="{reverse("web-skills-respond", args=[pending.pk])}"' in html
    assert "Overdue" not in html


def test_overdue_self_assessments_are_tagged(as_manager, pending):
    Assessment.objects.filter(pk=pending.pk).update(rated_at=timezone.now() - datetime.timedelta(days=30))

    html = as_manager.get(reverse("web-skills-team")).content.decode()

    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html


def test_team_page_is_not_found_for_people_without_reports(client, staff_member, version):
    client.force_login(staff_member.user)

    assert client.get(reverse("web-skills-team")).status_code == 404


def test_respond_page_preselects_their_level_and_shows_descriptors(as_manager, pending, skill):
    html = as_manager.get(reverse("web-skills-respond", args=[pending.pk])).content.decode()

    assert 'type="radio" value="3" checked aria-describedby="id_level_2-item-hint"' in html
    assert f'<div id="id_level_2-item-hint" class="govuk-hint govuk-radios__hint">{skill.descriptor(3)}</div>' in html
    assert "Ran the new triage rota" in html


def test_confirming_keeps_the_level_and_tells_the_report(as_manager, pending, report):
    response = as_manager.post(reverse("web-skills-respond", args=[pending.pk]), {"level": "3"})

    assert response.status_code == 302
    current = CurrentLevel.objects.get(member=report)
    assert (current.level, current.rater_kind, current.pending_self_assessment) == (3, RaterKind.LINE_MANAGER, None)
    assert Notification.objects.filter(recipient=report, subject__contains="confirmed").exists()
    html = as_manager.get(response["Location"]).content.decode()
    assert f"You confirmed {report.full_name}" in html
    assert "No self-assessments are waiting for you." in html


def test_adjusting_needs_a_reason(as_manager, pending, report):
    response = as_manager.post(reverse("web-skills-respond", args=[pending.pk]), {"level": "2", "reason": "  "})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert '<a href="#id_reason">Give a reason for changing the level.</a>' in html
    assert Assessment.objects.filter(rater_kind=RaterKind.LINE_MANAGER).count() == 0


def test_adjusting_with_a_reason_changes_the_level_the_report_sees(as_manager, pending, report, client):
    as_manager.post(reverse("web-skills-respond", args=[pending.pk]), {"level": "2", "reason": "Not yet across teams"})

    assert CurrentLevel.objects.get(member=report).level == 2
    client.force_login(report.user)
    html = client.get(reverse("web-skills-mine")).content.decode()
    assert "Working (level 2)" in html
    assert "Confirmed by line manager" in html


def test_no_level_is_an_error(as_manager, pending):
    html = as_manager.post(reverse("web-skills-respond", args=[pending.pk]), {}).content.decode()

    assert "Select the level you agree with" in html


def test_someone_elses_report_is_not_found(client, pending, passport_office):
    other_manager = MemberFactory(organisation=passport_office)
    MemberFactory(organisation=passport_office, line_manager=other_manager)
    client.force_login(other_manager.user)

    assert client.get(reverse("web-skills-respond", args=[pending.pk])).status_code == 404
    assert client.post(reverse("web-skills-respond", args=[pending.pk]), {"level": "3"}).status_code == 404
    assert not Assessment.objects.filter(rater_kind=RaterKind.LINE_MANAGER).exists()


def test_an_answered_self_assessment_is_no_longer_open(as_manager, pending):
    as_manager.post(reverse("web-skills-respond", args=[pending.pk]), {"level": "3"})

    assert as_manager.get(reverse("web-skills-respond", args=[pending.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, pending):
    response = client.get(reverse("web-skills-respond", args=[pending.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
