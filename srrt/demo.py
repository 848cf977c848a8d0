"""SRRT demo data for ``manage.py seed_demo``: the maintained calendar peaks, a roster of about forty
responders, and history from January 2023 to now — about 75 deployments a year, recurring seasonal requests
from the same departments (so repeat use and foreseeability show in the analysis) beside genuine crises, with
triage decisions, assignments, deployment figures and close-outs. Foreseeability is computed by
srrt.foreseeability as each request would have been assessed when submitted. Written with bulk_create, once:
if any surge request exists the history is left alone."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from odp.audit import acting_as
from odp.models import Member, Organisation, Region, Role, RoleAssignment
from srrt import foreseeability
from srrt.models import (
    Agreement,
    Appraisal,
    AppraisalSide,
    Assignment,
    CalendarPeak,
    Clearance,
    CloseOut,
    DemandType,
    Deployment,
    Extension,
    LastResortAnswer,
    LastResortOption,
    LastResortOutcome,
    ObjectivesMet,
    PlanAnswer,
    Recommendation,
    ReferenceCounter,
    Responder,
    SurgeRequest,
    SurgeStatus,
    TriageDecision,
    TriageOutcome,
)

SEED = 2024
FIRST_YEAR = 2023
ROSTER_SIZE = 40
DEMO_USERNAMES = ("staff", "manager", "hop.homeoffice", "hop.dwp", "admin", "coordinator", "requester")

S, C, B, P, OUT, X = (
    DemandType.SEASONAL_PEAK,
    DemandType.CRISIS,
    DemandType.BACKLOG,
    DemandType.POLICY_CHANGE,
    DemandType.SYSTEM_OUTAGE,
    DemandType.OTHER,
)

# name, start (month, day), end (month, day), what it brings, description
PEAKS = (
    ("Self Assessment deadline", (1, 1), (1, 31), "HMRC's Self Assessment returns and payments due 31 January."),
    ("Passport renewals spring peak", (3, 1), (4, 15), "Applications rise ahead of summer travel."),
    ("Tax credits renewals deadline", (7, 1), (7, 31), "Renewals due by 31 July."),
    ("Summer border peak", (7, 20), (8, 31), "School holiday arrivals at ports and airports."),
    ("Student finance before term", (8, 20), (9, 15), "Applications after results day."),
    ("Winter Fuel Payment", (10, 15), (11, 30), "Claims and queries after eligibility letters go out."),
    ("Christmas and New Year travel", (12, 20), (1, 2), "Arrivals and departures peak at ports and airports."),
)


@dataclass(frozen=True)
class Template:
    organisation: str
    demand: str
    title: str
    month: int  # usual start month for recurring ones; 0 for any time of year
    day: int
    days: int  # expected duration
    people: int
    clearance: int
    region: str
    plan: str  # the requester's answer: was it in the forecast or plan?
    recurring: bool
    what: str
    unit: str = "cases a week"
    international: bool = False


R = Region
T = Template
RECURRING = (
    T(
        "hmrc",
        S,
        "Self Assessment deadline: contact centre surge",
        1,
        2,
        28,
        8,
        Clearance.BPSS,
        R.NORTH_EAST,
        PlanAnswer.PARTLY,
        True,
        "Call volumes in the final fortnight before 31 January exceed our contact centre capacity.",
        "calls a week",
    ),
    T(
        "hmrc",
        S,
        "Tax credits renewals: post and phone backlog",
        6,
        17,
        35,
        6,
        Clearance.BPSS,
        R.SCOTLAND,
        PlanAnswer.NO,
        True,
        "Renewal packs returned late and phone demand ahead of the 31 July deadline.",
        "renewals a week",
    ),
    T(
        "dwp",
        S,
        "Winter Fuel Payment: claims and queries",
        10,
        7,
        42,
        10,
        Clearance.BPSS,
        R.NORTH_WEST,
        PlanAnswer.PARTLY,
        True,
        "Eligibility letters have generated far more claims and queries than modelled.",
        "claims a week",
    ),
    T(
        "hm-passport-office",
        S,
        "Spring passport renewals: examination surge",
        3,
        4,
        42,
        12,
        Clearance.CTC,
        R.NORTH_WEST,
        PlanAnswer.YES,
        True,
        "Applications ahead of summer travel are running above the weekly examination capacity.",
        "applications a week",
    ),
    T(
        "border-force",
        S,
        "Summer border peak: Heathrow and Gatwick arrivals",
        7,
        15,
        49,
        10,
        Clearance.SC,
        R.SOUTH_EAST,
        PlanAnswer.PARTLY,
        True,
        "School holiday arrivals with several e-gate lanes out of service.",
        "passengers a day",
    ),
    T(
        "border-force",
        S,
        "Christmas arrivals at the Channel ports",
        12,
        16,
        21,
        6,
        Clearance.SC,
        R.SOUTH_EAST,
        PlanAnswer.NO,
        True,
        "Festive traffic at Dover and the Eurotunnel with leave already booked.",
        "vehicles a day",
    ),
    T(
        "student-loans-company",
        S,
        "Student finance applications before term",
        8,
        19,
        35,
        6,
        Clearance.BPSS,
        R.SCOTLAND,
        PlanAnswer.NO,
        True,
        "Late applications after results day ahead of the start of term.",
        "applications a week",
    ),
    T(
        "rural-payments-agency",
        S,
        "Rural payments claim window: casework",
        4,
        8,
        35,
        4,
        Clearance.BPSS,
        R.NORTH_EAST,
        PlanAnswer.PARTLY,
        True,
        "Claims and amendments before the 15 May deadline.",
        "claims a week",
    ),
    T(
        "dwp",
        B,
        "Personal Independence Payment review backlog",
        5,
        13,
        56,
        8,
        Clearance.BPSS,
        R.NORTH_EAST,
        PlanAnswer.NO,
        True,
        "Award reviews have built up beyond what the case managers can clear.",
        "reviews a week",
    ),
    T(
        "hm-courts-and-tribunals-service",
        B,
        "Crown Court listing and case progression",
        9,
        9,
        42,
        5,
        Clearance.BPSS,
        R.LONDON,
        PlanAnswer.NO,
        True,
        "Outstanding cases need progression work before listing.",
        "cases a week",
    ),
    T(
        "uk-visas-and-immigration",
        B,
        "Visa applications before the summer",
        5,
        20,
        42,
        8,
        Clearance.SC,
        R.YORKSHIRE,
        PlanAnswer.PARTLY,
        True,
        "Study and visit visa applications above decision-making capacity.",
        "applications a week",
    ),
    T(
        "driver-and-vehicle-licensing-agency",
        B,
        "Driving licence applications backlog",
        2,
        5,
        35,
        6,
        Clearance.BPSS,
        R.WALES,
        PlanAnswer.NO,
        True,
        "Paper applications have built up in Swansea.",
        "applications a week",
    ),
)
ONE_OFF = (
    T(
        "department-for-transport",
        C,
        "Airline collapse: repatriating stranded passengers",
        0,
        0,
        14,
        12,
        Clearance.CTC,
        R.SOUTH_EAST,
        PlanAnswer.NO,
        False,
        "A UK airline ceased trading overnight, leaving passengers abroad.",
        "passengers",
        True,
    ),
    T(
        "foreign-commonwealth-development-office",
        C,
        "Consular crisis support after an earthquake",
        0,
        0,
        21,
        6,
        Clearance.SC,
        R.LONDON,
        PlanAnswer.NO,
        False,
        "British nationals need consular help after an earthquake.",
        "calls a day",
        True,
    ),
    T(
        "insolvency-service",
        C,
        "Redundancy payments after a retailer's collapse",
        0,
        0,
        28,
        8,
        Clearance.BPSS,
        R.WEST_MIDLANDS,
        PlanAnswer.NO,
        False,
        "Thousands of redundancy claims after a national retailer failed.",
        "claims",
    ),
    T(
        "uk-health-security-agency",
        C,
        "Outbreak response: contact tracing",
        0,
        0,
        21,
        10,
        Clearance.BPSS,
        R.LONDON,
        PlanAnswer.NO,
        False,
        "An outbreak needs contact tracing beyond the health protection teams.",
        "contacts a day",
    ),
    T(
        "disclosure-and-barring-service",
        OUT,
        "Checks backlog after a system outage",
        0,
        0,
        21,
        5,
        Clearance.BPSS,
        R.NORTH_WEST,
        PlanAnswer.NO,
        False,
        "The case system was down for a week and checks are waiting.",
        "checks a week",
    ),
    T(
        "companies-house",
        P,
        "Identity verification for company directors",
        0,
        0,
        42,
        5,
        Clearance.BPSS,
        R.WALES,
        PlanAnswer.PARTLY,
        False,
        "New identity checks under the Economic Crime and Corporate Transparency Act.",
        "verifications a week",
    ),
    T(
        "hm-prison-and-probation-service",
        X,
        "Probation caseload support",
        0,
        0,
        35,
        4,
        Clearance.CTC,
        R.NORTH_WEST,
        PlanAnswer.NO,
        False,
        "Early releases added cases faster than probation officers could take them.",
        "cases",
    ),
    T(
        "uk-visas-and-immigration",
        C,
        "Humanitarian visa scheme launched at short notice",
        0,
        0,
        42,
        12,
        Clearance.SC,
        R.YORKSHIRE,
        PlanAnswer.NO,
        False,
        "A humanitarian scheme opened with a week's notice.",
        "applications a week",
    ),
    T(
        "hmrc",
        OUT,
        "Phone lines after a telephony failure",
        0,
        0,
        14,
        6,
        Clearance.BPSS,
        R.NORTH_EAST,
        PlanAnswer.NO,
        False,
        "The telephony platform failed for three days; callbacks are waiting.",
        "callbacks",
    ),
    T(
        "valuation-office-agency",
        P,
        "Business rates revaluation appeals",
        0,
        0,
        35,
        3,
        Clearance.BPSS,
        R.WEST_MIDLANDS,
        PlanAnswer.PARTLY,
        False,
        "Appeals after the revaluation arrived faster than expected.",
        "appeals a week",
    ),
)
TARGET_DEPLOYMENTS = {2023: 64, 2024: 75, 2025: 72, 2026: 60}
ROLES = ("Caseworker", "Contact centre adviser", "Team leader", "Examiner", "Decision maker", "Deployment lead")


@dataclass
class SrrtSeedResult:
    created: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def _seed_peaks(result: SrrtSeedResult) -> None:
    existing = set(CalendarPeak.objects.values_list("name", flat=True))
    rows = [
        CalendarPeak(name=name, start_month=a[0], start_day=a[1], end_month=b[0], end_day=b[1], description=description)
        for name, a, b, description in PEAKS
        if name not in existing
    ]
    CalendarPeak.objects.bulk_create(rows)
    result.created["calendar peaks"] = len(rows)


def _seed_roster(rnd: random.Random, result: SrrtSeedResult, today: datetime.date) -> list[Responder]:
    if Responder.objects.exists():
        return list(Responder.objects.all())
    members = list(
        Member.objects.filter(is_active=True)
        .exclude(user__username__in=DEMO_USERNAMES)
        .exclude(organisation__kind__in=["local_authority", "private_sector"])
        .order_by("pk")
    )
    demo_responder = next((m for m in members if m.user.username == "responder"), None)
    others = [m for m in members if m is not demo_responder]
    step = max(1, len(others) // (ROSTER_SIZE - 1))
    chosen = ([demo_responder] if demo_responder else []) + others[::step][: ROSTER_SIZE - 1]
    responders = []
    for n, member in enumerate(chosen):
        clearance = rnd.choices([Clearance.BPSS, Clearance.CTC, Clearance.SC, Clearance.DV], weights=[3, 3, 5, 1])[0]
        # A few clearances lapse, so the roster shows them flagged and matching leaves them out.
        expires = today + datetime.timedelta(days=rnd.randint(200, 1400) if n % 13 else -rnd.randint(5, 60))
        if member is demo_responder:
            clearance, expires = Clearance.SC, today + datetime.timedelta(days=900)
        responders.append(
            Responder(
                member=member,
                clearance_level=clearance,
                clearance_expires_on=expires,
                home_region=member.region,
                international_available=rnd.random() < 0.35,
                created_at=_at(datetime.date(FIRST_YEAR - 1, 11, 1)),
            )
        )
    Responder.objects.bulk_create(responders)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(member=m, role=Role.SRRT_RESPONDER) for m in chosen if m is not demo_responder],
        ignore_conflicts=True,
    )
    result.created["responders"] = len(responders)
    return list(Responder.objects.order_by("pk"))


@dataclass
class _Plan:
    template: Template
    start: datetime.date
    submitted: datetime.date
    outcome: str  # approve, planned, decline, cancel, waiting, more_info
    request: SurgeRequest | None = None


def _plan(rnd: random.Random, today: datetime.date) -> list[_Plan]:
    plans: list[_Plan] = []
    for year, target in TARGET_DEPLOYMENTS.items():
        year_plans: list[_Plan] = []
        # Recurring peaks come back every year from the same departments, often in two or three waves
        # (more sites, or a second phase), always around the same dates.
        for template in RECURRING:
            for wave in range(rnd.choice((3, 4, 4, 5))):
                start = datetime.date(year, template.month, template.day) + datetime.timedelta(
                    days=wave * 9 + rnd.randint(-5, 5)
                )
                lead = rnd.choice((4, 6, 8, 10, 12, 20, 30))
                year_plans.append(_Plan(template, start, start - datetime.timedelta(days=lead), "approve"))
        # Crises differ from year to year: each one-off lands in a different month each year (so none looks
        # like repeat use), in a wave or two.
        n = 0
        while len(year_plans) < target:
            index = n % len(ONE_OFF)
            template = ONE_OFF[index]
            month = (index * 5 + year * 4) % 12 + 1
            start = datetime.date(year, month, 3) + datetime.timedelta(days=rnd.randint(0, 20))
            year_plans.append(_Plan(template, start, start - datetime.timedelta(days=rnd.randint(2, 6)), "approve"))
            n += 1
        # Some requests are declined (a peak that should have been planned for) or withdrawn.
        for _ in range(target // 6):
            template = rnd.choice(RECURRING)
            start = datetime.date(year, template.month, template.day) + datetime.timedelta(days=rnd.randint(20, 40))
            outcome = rnd.choice(("decline", "decline", "decline", "cancel"))
            year_plans.append(_Plan(template, start, start - datetime.timedelta(days=rnd.randint(5, 15)), outcome))
        for p in year_plans:
            if p.outcome == "approve" and p.template.recurring and rnd.random() < 0.12:
                p.outcome = "planned"
        plans.extend(p for p in year_plans if p.submitted <= today - datetime.timedelta(days=3))
    # Waiting for the coordinator now: the demo requester's next Self Assessment peak (repeat use, so
    # likely foreseeable), a crisis and one sent back for more information.
    next_jan = datetime.date(today.year + 1, 1, 2)
    plans.append(_Plan(RECURRING[0], next_jan, today - datetime.timedelta(days=1), "waiting"))
    plans.append(_Plan(ONE_OFF[0], today + datetime.timedelta(days=3), today - datetime.timedelta(days=1), "waiting"))
    plans.append(
        _Plan(RECURRING[2], today + datetime.timedelta(days=20), today - datetime.timedelta(days=4), "more_info")
    )
    return sorted(plans, key=lambda p: (p.submitted, p.start))


def _status(plan: _Plan, today: datetime.date) -> str:
    end = plan.start + datetime.timedelta(days=plan.template.days - 1)
    if plan.outcome == "waiting":
        return SurgeStatus.SUBMITTED
    if plan.outcome == "more_info":
        return SurgeStatus.MORE_INFO
    if plan.outcome == "decline":
        return SurgeStatus.DECLINED
    if plan.outcome == "cancel":
        return SurgeStatus.CANCELLED
    if plan.start > today + datetime.timedelta(days=5):
        return SurgeStatus.APPROVED
    if plan.start > today:
        return SurgeStatus.DEPLOYING
    if end >= today:
        return SurgeStatus.ACTIVE
    if end >= today - datetime.timedelta(days=21):
        return SurgeStatus.CLOSING
    return SurgeStatus.CLOSED


def seed() -> SrrtSeedResult:
    result = SrrtSeedResult()
    if not Member.objects.filter(user__username="coordinator").exists():
        return result
    rnd = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic(), acting_as(None):
        _seed_peaks(result)
        responders = _seed_roster(rnd, result, today)
        if SurgeRequest.objects.exists():
            return result
        _seed_history(rnd, today, responders, result)
    return result


def _seed_history(rnd: random.Random, today: datetime.date, responders: list[Responder], result) -> None:
    orgs = {o.slug: o for o in Organisation.objects.all()}
    coordinator = Member.objects.get(user__username="coordinator")
    requester = Member.objects.filter(user__username="requester").first()
    first_member = {}
    for member in (
        Member.objects.filter(is_active=True)
        .exclude(user__username__in=(*DEMO_USERNAMES, "responder"))
        .order_by("pk")
        .only("pk", "organisation_id")
    ):
        first_member.setdefault(member.organisation_id, member)
    plans = [p for p in _plan(rnd, today) if p.template.organisation in orgs]
    counters: dict[int, int] = {}
    requests = []
    for plan in plans:
        t = plan.template
        org = orgs[t.organisation]
        who = requester if requester and t.organisation in ("hmrc", "valuation-office-agency") else None
        who = who or first_member.get(org.pk) or coordinator
        status = _status(plan, today)
        year = plan.submitted.year
        counters[year] = counters.get(year, 0) + 1
        normal = rnd.choice((2000, 5000, 12000, 40000))
        requests.append(
            SurgeRequest(
                reference=f"SRRT-{year}-{counters[year]:04d}",
                organisation=org,
                requester=who,
                title=t.title if not t.recurring else f"{t.title} {plan.start.year}",
                demand_type=t.demand,
                what_happened=t.what,
                why_now="Demand is above what we can absorb with overtime and redeployment in the time left.",
                forecast_volume=int(normal * rnd.uniform(1.3, 2.2)),
                normal_capacity=normal,
                volume_unit=t.unit,
                start_date=plan.start,
                expected_duration_days=t.days,
                people_needed=max(2, t.people + rnd.randint(-2, 2)),
                locations=dict(Region.choices).get(t.region, ""),
                region=t.region,
                international=t.international,
                clearance_required=t.clearance,
                in_forecast_or_plan=t.plan,
                status=status,
                agreement=(
                    Agreement.PLANNED_SURGE
                    if plan.outcome == "planned"
                    else Agreement.SRRT
                    if plan.outcome in ("approve", "cancel")
                    else ""
                ),
                created_at=_at(plan.submitted - datetime.timedelta(days=1), 9),
                submitted_at=_at(plan.submitted),
                decided_at=None
                if status in (SurgeStatus.SUBMITTED, SurgeStatus.MORE_INFO) and plan.outcome == "waiting"
                else _at(min(plan.submitted + datetime.timedelta(days=1), today), 15),
            )
        )
        plan.request = requests[-1]
    SurgeRequest.objects.bulk_create(requests)
    # Whoever raised a department's requests is its department requester.
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(member_id=pk, role=Role.DEPARTMENT_REQUESTER, organisation_id=org_id)
            for pk, org_id in {(r.requester_id, r.organisation_id) for r in requests}
            if pk != getattr(requester, "pk", None)
        ],
        ignore_conflicts=True,
    )
    for year, last in counters.items():
        ReferenceCounter.objects.update_or_create(year=year, defaults={"last": last})
    result.created["surge requests"] = len(requests)

    # Foreseeability as it was computed at submission, against the history before it (two queries each).
    for plan in plans:
        assessment = foreseeability.assess(plan.request, submitted_on=plan.submitted)
        plan.request.foreseeability = assessment.result
        plan.request.foreseeability_reasons = assessment.reasons_as_json()
        plan.request.foreseeability_assessed_at = plan.request.submitted_at
    SurgeRequest.objects.bulk_update(
        [p.request for p in plans], ["foreseeability", "foreseeability_reasons", "foreseeability_assessed_at"]
    )

    answers = []
    for plan in plans:
        for option in LastResortOption.values:
            outcome = rnd.choice((LastResortOutcome.TRIED, LastResortOutcome.RULED_OUT, LastResortOutcome.TRIED))
            answers.append(
                LastResortAnswer(
                    request=plan.request,
                    option=option,
                    outcome=outcome,
                    why_not_enough="Not enough people with the right skills could be found in time.",
                )
            )
    LastResortAnswer.objects.bulk_create(answers)

    decisions = []
    for plan in plans:
        if plan.outcome == "waiting":
            continue
        outcome = {
            "approve": TriageOutcome.APPROVE,
            "cancel": TriageOutcome.APPROVE,
            "planned": TriageOutcome.OFFER_PLANNED_SURGE,
            "decline": TriageOutcome.DECLINE,
            "more_info": TriageOutcome.MORE_INFO,
        }[plan.outcome]
        approving = outcome in (TriageOutcome.APPROVE, TriageOutcome.OFFER_PLANNED_SURGE)
        decisions.append(
            TriageDecision(
                request=plan.request,
                outcome=outcome,
                reason=""
                if approving
                else (
                    "This peak recurs every year at the same time: plan for it in your workforce plan or agree a "
                    "planned surge in advance."
                    if outcome == TriageOutcome.DECLINE
                    else "Tell us what overtime and redeployment you have already arranged."
                ),
                last_resort_justification=(
                    "Internal options are exhausted and the demand cannot wait."
                    if outcome == TriageOutcome.APPROVE
                    else "Recurring peak: support agreed in advance and fully recharged."
                    if approving
                    else ""
                ),
                foreseeability=plan.request.foreseeability,
                foreseeability_reasons=plan.request.foreseeability_reasons,
                decided_by=coordinator,
                decided_at=plan.request.decided_at,
            )
        )
    TriageDecision.objects.bulk_create(decisions)
    result.created["triage decisions"] = len(decisions)
    _seed_deployments(rnd, today, plans, responders, coordinator, result)


def _seed_deployments(rnd, today, plans, responders, coordinator, result) -> None:
    busy_until = {r.pk: datetime.date(2000, 1, 1) for r in responders}
    demo = next((r for r in responders if r.member.user.username == "responder"), None)
    rate = Decimal(settings.SRRT_DAILY_RATE_POUNDS)
    assignments, deployments, extensions, close_outs, recommendations, appraisals = [], [], [], [], [], []
    live = (SurgeStatus.DEPLOYING, SurgeStatus.ACTIVE, SurgeStatus.CLOSING, SurgeStatus.CLOSED)
    for plan in plans:
        request = plan.request
        if request.status not in (*live, SurgeStatus.APPROVED):
            continue
        start = plan.start
        end = request.end_date
        extended = (
            request.status != SurgeStatus.APPROVED
            and rnd.random() < 0.15
            and end + datetime.timedelta(days=14) < today - datetime.timedelta(days=21)
        )
        if extended:
            end = end + datetime.timedelta(days=rnd.choice((7, 10, 14)))
        free = [
            r
            for r in responders
            if busy_until[r.pk] < start
            and r.clearance_level >= request.clearance_required
            and (r.clearance_expires_on >= end or end < today - datetime.timedelta(days=400))
            and (r.international_available or not request.international)
        ]
        rnd.shuffle(free)
        if demo in free and request.status == SurgeStatus.ACTIVE:
            free.remove(demo)
            free.insert(0, demo)  # the demo responder has a live assignment to see
        team = free[: min(len(free), max(2, request.people_needed // 2))]
        if request.status != SurgeStatus.APPROVED and not team:
            continue
        days = 0
        for n, responder in enumerate(team):
            a_end = min(end, start + datetime.timedelta(days=rnd.randint(10, max(10, (end - start).days))))
            busy_until[responder.pk] = a_end
            days += (a_end - start).days + 1
            assignments.append(
                Assignment(
                    request=request,
                    responder=responder,
                    role=ROLES[5] if n == 0 else rnd.choice(ROLES[:5]),
                    start_date=start,
                    end_date=a_end,
                    assigned_by=coordinator,
                    assigned_at=_at(max(plan.submitted, start - datetime.timedelta(days=3))),
                )
            )
        if request.status == SurgeStatus.APPROVED:
            continue
        finished = request.status in (SurgeStatus.CLOSING, SurgeStatus.CLOSED)
        if not finished:
            days = sum((min(a.end_date, today) - a.start_date).days + 1 for a in assignments if a.request is request)
            days = max(days, 0)
        deployments.append(
            Deployment(
                request=request,
                actual_start_date=start,
                actual_end_date=end if finished else None,
                planned_end_date=end,
                responder_days=days,
                hours=Decimal(days) * Decimal("7.4"),
                daily_rate=rate,
                cost=Decimal(days) * rate,
                updated_by=coordinator,
                updated_at=_at(min(end, today)),
            )
        )
        if extended:
            extensions.append(
                Extension(
                    request=request,
                    previous_end_date=request.end_date,
                    new_end_date=end,
                    reason="Volumes stayed above capacity; the department's new recruits are not yet trained.",
                    extended_by=coordinator,
                    extended_at=_at(request.end_date - datetime.timedelta(days=3)),
                )
            )
        if finished:
            met = rnd.choices(list(ObjectivesMet.values), weights=[6, 3, 1])[0]
            close_outs.append(
                CloseOut(
                    request=request,
                    volumes_cleared=int(request.forecast_volume * rnd.uniform(0.6, 1.1)),
                    objectives_met=met,
                    outcomes="Service levels back within target by the end of the deployment."
                    if met == ObjectivesMet.YES
                    else "Most of the backlog cleared; the remainder handed back to the department's teams.",
                    lessons="Responders were productive sooner where access and kit were ready on day one.",
                    recorded_by=coordinator,
                    recorded_at=_at(min(end + datetime.timedelta(days=7), today)),
                )
            )
            if request.demand_type == DemandType.SEASONAL_PEAK or rnd.random() < 0.3:
                due = end + datetime.timedelta(days=120)
                recommendations.append(
                    Recommendation(
                        request=request,
                        text="Build this recurring peak into the workforce plan, with a trained reserve of staff "
                        "from other teams and overtime agreed in advance."
                        if request.demand_type == DemandType.SEASONAL_PEAK
                        else "Cross-train a second team so the service can absorb a surge of this size.",
                        owner="Head of Workforce Planning",
                        due_on=due,
                        done_on=due - datetime.timedelta(days=rnd.randint(0, 60))
                        if request.status == SurgeStatus.CLOSED and due < today and rnd.random() < 0.6
                        else None,
                        created_by=coordinator,
                        created_at=_at(min(end + datetime.timedelta(days=7), today)),
                    )
                )
            if request.status == SurgeStatus.CLOSED:
                for side, who in (
                    (AppraisalSide.COORDINATOR, coordinator),
                    (AppraisalSide.REQUESTER, request.requester),
                ):
                    appraisals.append(
                        Appraisal(
                            request=request,
                            side=side,
                            score=rnd.choices([1, 2, 3, 4], weights=[1, 3, 8, 5])[0],
                            given_by=who,
                            given_at=_at(min(end + datetime.timedelta(days=10), today)),
                        )
                    )
    Assignment.objects.bulk_create(assignments)
    Deployment.objects.bulk_create(deployments)
    Extension.objects.bulk_create(extensions)
    CloseOut.objects.bulk_create(close_outs)
    Recommendation.objects.bulk_create(recommendations)
    Appraisal.objects.bulk_create(appraisals)
    result.created.update(
        {
            "assignments": len(assignments),
            "deployments": len(deployments),
            "close-outs": len(close_outs),
            "recommendations": len(recommendations),
        }
    )
