"""Demo ideas: a few hundred across organisations and every state, deterministic and seeded once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from innovation import demo, moderation, selectors
from innovation.models import CaseStudy, Decision, Idea, IdeaEvent, IdeaStatus, InnovationPlan, Theme
from innovation.themes import STARTING_THEMES
from odp import demo as odp_demo
from odp.models import Member


@pytest.fixture
def seeded(db):
    odp_demo.seed()
    return demo.seed()


def test_demo_ideas_cover_every_state_and_journey(seeded):
    assert seeded.created["ideas"] >= 250
    assert set(Idea.objects.values_list("status", flat=True)) == set(IdeaStatus.values)
    assert Idea.objects.values("organisation").distinct().count() >= 10
    assert not Idea.objects.exclude(status=IdeaStatus.DRAFT).filter(reference__isnull=True).exists()
    decided = Idea.objects.filter(status__in=IdeaStatus.decisions())
    assert Decision.objects.filter(idea__in=decided).count() >= decided.count()
    assert not IdeaEvent.objects.filter(at__gt=timezone.now()).exists()


def test_demo_sign_ins_have_something_to_do(seeded):
    staff = Member.objects.get(user__username="staff")
    assert set(Idea.objects.filter(author=staff).values_list("status", flat=True)) >= {
        IdeaStatus.DRAFT,
        IdeaStatus.SUBMITTED,
        IdeaStatus.ACCEPTED,
    }
    queue = list(selectors.review_queue(Member.objects.get(user__username="hop.homeoffice")))
    assert queue and any(i.is_overdue for i in queue)
    council = Member.objects.get(user__username="la.member")
    assert Idea.objects.visible_to(council).exists()
    assert not Idea.objects.visible_to(council).filter(visibility="organisation").exclude(author=council).exists()
    assert CaseStudy.objects.public().count() >= 3
    assert InnovationPlan.objects.count() >= 3
    # The admin has something to moderate: one report on a comment and one on an idea, each by someone who
    # can see what they reported.
    reported = moderation.open_reports()
    assert {item.kind for item in reported} == {"idea", "comment"}
    for item in reported:
        reporter = item.reports[0].reporter
        assert Idea.objects.visible_to(reporter).filter(pk=item.idea.pk).exists()


def test_seeding_twice_changes_nothing(seeded):
    count = Idea.objects.count()
    again = demo.seed()
    assert not again.changed
    assert Idea.objects.count() == count


def test_the_seed_puts_back_starting_themes_a_flush_removed(db):
    """Transactional tests empty every table, themes from migration 0002 included; the browser journeys seed the
    demo afterwards and must find every theme to tick."""
    Theme.objects.filter(slug__in=["digital-and-ai", "sustainability"]).delete()
    result = demo.seed()
    assert result.created["themes"] == 2
    assert set(Theme.objects.values_list("slug", flat=True)) >= {slug for slug, _ in STARTING_THEMES}
    assert "themes" not in demo.seed().created
