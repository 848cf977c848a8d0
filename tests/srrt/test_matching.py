"""Matching: hard filters exclude, ranking orders by skill match, then region, then fair rotation."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from odp.models import Region
from skills import services as skills_services
from srrt import matching
from srrt.models import Assignment, Clearance, SurgeStatus, UnavailablePeriod
from tests.factories import MemberFactory
from tests.skills.factories import published_version
from tests.srrt.factories import ResponderFactory, SurgeRequestFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 5, 1)
START = datetime.date(2025, 6, 2)
END = datetime.date(2025, 6, 15)


@pytest.fixture
def request_(requester, coordinator):
    return SurgeRequestFactory(
        requester=requester,
        status=SurgeStatus.APPROVED,
        start_date=START,
        expected_duration_days=14,
        clearance_required=Clearance.SC,
        region=Region.LONDON,
    )


def responder(name: str, **fields):
    member = MemberFactory(user__username=name, user__last_name=name.title(), user__first_name="A")
    return ResponderFactory(member=member, **fields)


def ids(qs) -> list[str]:
    return [r.member.user.username for r in qs]


def test_hard_filters(request_, dwp, requester):
    ok = responder("ok")
    responder("uncleared", clearance_level=Clearance.CTC)
    responder("expiring", clearance_expires_on=END - datetime.timedelta(days=1))
    responder("inactive", is_active=False)
    away = responder("away")
    UnavailablePeriod.objects.create(responder=away, start_date=END, end_date=END + datetime.timedelta(days=3))
    busy = responder("busy")
    other = SurgeRequestFactory(requester=requester, status=SurgeStatus.ACTIVE, start_date=START)
    Assignment.objects.create(
        request=other,
        responder=busy,
        role="Agent",
        start_date=START - datetime.timedelta(days=5),
        end_date=START,
        assigned_by=requester,
    )
    freed = responder("freed")
    cancelled = SurgeRequestFactory(requester=requester, status=SurgeStatus.CANCELLED, start_date=START)
    Assignment.objects.create(
        request=cancelled, responder=freed, role="Agent", start_date=START, end_date=END, assigned_by=requester
    )
    higher = responder("dv", clearance_level=Clearance.DV)
    on_it = responder("already")
    Assignment.objects.create(
        request=request_, responder=on_it, role="Agent", start_date=START, end_date=END, assigned_by=requester
    )
    assert set(ids(matching.eligible(request_))) == {"ok", "freed", "dv"}
    assert matching.why_ineligible(ok, request_, start=START, end=END) == []
    assert matching.why_ineligible(higher, request_, start=START, end=END) == []
    assert "unavailable" in matching.why_ineligible(away, request_, start=START, end=END)[0]
    assert "already assigned elsewhere" in matching.why_ineligible(busy, request_, start=START, end=END)[0]
    assert "already assigned to this request" in matching.why_ineligible(on_it, request_, start=START, end=END)[0]


def test_international_requests_need_internationally_available_responders(request_):
    request_.international = True
    request_.save()
    responder("home")
    responder("abroad", international_available=True)
    assert ids(matching.eligible(request_)) == ["abroad"]


def test_any_clearance_when_none_is_set(request_):
    request_.clearance_required = None
    responder("bpss", clearance_level=Clearance.BPSS)
    assert ids(matching.eligible(request_)) == ["bpss"]


def test_ranking_by_skill_then_region_then_rotation(request_, requester):
    version = published_version(n_skills=3)
    s1, s2, s3 = version.skills.order_by("code")
    request_.skills_needed.set([s1, s2])

    def rate(resp, skill, level):
        skills_services.assessment_record_self(member=resp.member, skill=skill, level=level)

    both = responder("both")
    rate(both, s1, 2)
    rate(both, s2, 2)
    expert = responder("expert")
    rate(expert, s1, 4)
    rate(expert, s3, 4)  # not asked for: does not count
    novice = responder("novice")
    rate(novice, s1, 1)
    responder("londonrested", home_region=Region.LONDON)
    london_busy = responder("londonbusy", home_region=Region.LONDON)
    elsewhere = responder("elsewhere")
    past = SurgeRequestFactory(requester=requester, status=SurgeStatus.CLOSED, start_date=TODAY)
    Assignment.objects.create(
        request=past,
        responder=london_busy,
        role="Agent",
        start_date=TODAY - datetime.timedelta(days=20),
        end_date=TODAY - datetime.timedelta(days=11),
        assigned_by=requester,
    )
    ranked = list(matching.shortlist(request_, on=TODAY))
    assert ids(ranked) == ["both", "expert", "novice", "londonrested", "londonbusy", "elsewhere"]
    by_name = {r.member.user.username: r for r in ranked}
    assert (by_name["both"].skills_matched, by_name["both"].skill_level_total) == (2, 4)
    assert (by_name["expert"].skills_matched, by_name["expert"].skill_level_total) == (1, 4)
    assert by_name["londonrested"].same_region == 1 and by_name["elsewhere"].same_region == 0
    assert matching.recent_days(by_name["londonbusy"]) == 10
    assert matching.recent_days(by_name["londonrested"]) == 0
    assert elsewhere.pk == by_name["elsewhere"].pk


def test_rotation_counts_only_days_inside_the_last_year(request_, requester):
    long_ago = responder("longago")
    recent = responder("recent")
    past = SurgeRequestFactory(requester=requester, status=SurgeStatus.CLOSED, start_date=TODAY)
    window_start = TODAY - datetime.timedelta(days=364)
    # 5 days inside the window (the window's first five), the rest before it.
    Assignment.objects.create(
        request=past,
        responder=long_ago,
        role="Agent",
        start_date=window_start - datetime.timedelta(days=30),
        end_date=window_start + datetime.timedelta(days=4),
        assigned_by=requester,
    )
    other = SurgeRequestFactory(requester=requester, status=SurgeStatus.CLOSED, start_date=TODAY)
    Assignment.objects.create(
        request=other,
        responder=recent,
        role="Agent",
        start_date=TODAY - datetime.timedelta(days=6),
        end_date=TODAY - datetime.timedelta(days=1),
        assigned_by=requester,
    )
    ranked = list(matching.shortlist(request_, on=TODAY))
    assert [matching.recent_days(r) for r in ranked] == [5, 6]
    assert ids(ranked) == ["longago", "recent"]


def test_shortlist_is_a_fixed_number_of_queries(request_, django_assert_max_num_queries):
    for n in range(8):
        responder(f"r{n}")
    with django_assert_max_num_queries(2):
        assert len(list(matching.shortlist(request_, on=timezone.localdate()))) == 8
