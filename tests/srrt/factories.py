"""Factories for surge requests, calendar peaks and the responder roster."""

from __future__ import annotations

import datetime
import itertools

import factory
from django.utils import timezone

from odp.models import Region
from srrt.models import (
    CalendarPeak,
    Clearance,
    DemandType,
    LastResortAnswer,
    LastResortOption,
    LastResortOutcome,
    PlanAnswer,
    Responder,
    SurgeRequest,
    SurgeStatus,
)
from tests.factories import MemberFactory

_references = itertools.count(1)


def complete_answers(**overrides) -> dict:
    """Every question on the request pages answered, as a requester would."""
    answers = {
        "title": "Passport applications backlog after system failure",
        "demand_type": DemandType.SYSTEM_OUTAGE,
        "what_happened": "The application system was down for nine days.",
        "why_now": "Applications are arriving faster than we can clear them.",
        "forecast_volume": 60000,
        "normal_capacity": 40000,
        "volume_unit": "applications a week",
        "start_date": timezone.localdate() + datetime.timedelta(days=30),
        "expected_duration_days": 42,
        "people_needed": 12,
        "locations": "Durham and Peterborough",
        "region": Region.NORTH_EAST,
        "international": False,
        "clearance_required": Clearance.SC,
        "in_forecast_or_plan": PlanAnswer.NO,
    }
    answers.update(overrides)
    return answers


def all_last_resort(outcome: str = LastResortOutcome.TRIED) -> dict:
    return {
        option: {"outcome": outcome, "why_not_enough": f"{label} cannot cover the shortfall in time."}
        for option, label in LastResortOption.choices
    }


class SurgeRequestFactory(factory.django.DjangoModelFactory):
    """A complete request written straight to the table, in any status (references given for non-drafts)."""

    class Meta:
        model = SurgeRequest

    requester = factory.SubFactory(MemberFactory)
    organisation = factory.SelfAttribute("requester.organisation")
    title = "Surge support"
    demand_type = DemandType.CRISIS
    what_happened = "Something happened."
    why_now = "Now."
    forecast_volume = 100
    normal_capacity = 50
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    expected_duration_days = 14
    people_needed = 2
    locations = "Leeds"
    region = Region.YORKSHIRE
    clearance_required = Clearance.BPSS
    in_forecast_or_plan = PlanAnswer.NO
    status = SurgeStatus.SUBMITTED
    reference = factory.LazyAttribute(
        lambda o: None if o.status == SurgeStatus.DRAFT else f"SRRT-{o.start_date.year}-{next(_references):04d}"
    )
    submitted_at = factory.LazyAttribute(lambda o: None if o.status == SurgeStatus.DRAFT else timezone.now())


def answer_last_resort(request: SurgeRequest, outcome: str = LastResortOutcome.TRIED) -> None:
    for option in LastResortOption.values:
        LastResortAnswer.objects.create(request=request, option=option, outcome=outcome, why_not_enough="Not enough.")


class CalendarPeakFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarPeak
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Peak {n}")
    start_month = 1
    start_day = 1
    end_month = 1
    end_day = 31
    demand_type = DemandType.SEASONAL_PEAK


class ResponderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responder

    member = factory.SubFactory(MemberFactory)
    clearance_level = Clearance.SC
    clearance_expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=800))
    home_region = Region.NORTH_WEST
    international_available = False
