"""Computed foreseeability: could the department have seen this surge coming?

Four rules, each giving a reason the coordinator reads:

* **repeat use** — the same organisation asked for help with the same demand type within 30 days either side
  of the same date in any of the previous three years (scored 2);
* **calendar peak** — the requested period overlaps a known calendar peak (scored 1);
* **short lead time for a seasonal peak** — a seasonal peak asked for less than 14 days before it starts
  (scored 1);
* **the requester's own answer** — the demand was in the forecast or capability plan (yes: 2, partly: 1).

A score of 2 or more is *likely foreseeable*, 1 *possibly foreseeable*, 0 *unforeseeable*. The result informs
triage and never refuses a request by itself. Everything is asked of the database: one query for earlier
requests and one for overlapping peaks, each returning only the handful of matching rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet

from srrt.models import CalendarPeak, DemandType, Foreseeability, PlanAnswer, SurgeRequest, SurgeStatus

REPEAT_WINDOW_DAYS = 30
REPEAT_YEARS = 3
SHORT_LEAD_DAYS = 14
LIKELY_SCORE = 2


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    score: int

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "text": self.text, "score": self.score}


@dataclass(frozen=True)
class Assessment:
    result: str
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(r.score for r in self.reasons)

    def reasons_as_json(self) -> list[dict[str, object]]:
        return [r.as_dict() for r in self.reasons]


def _same_day_in(year: int, day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return datetime.date(year, 2, 28)


def repeat_window(start: datetime.date) -> Q:
    """Start dates within the window either side of the same date in each of the previous years."""
    window = datetime.timedelta(days=REPEAT_WINDOW_DAYS)
    q = Q()
    for back in range(1, REPEAT_YEARS + 1):
        same_day = _same_day_in(start.year - back, start)
        q |= Q(start_date__range=(same_day - window, same_day + window))
    return q


def earlier_requests(request: SurgeRequest, history: QuerySet[SurgeRequest]) -> QuerySet[SurgeRequest]:
    """Requests the same organisation made (submitted, whatever became of them) for the same demand type
    around the same time of year in the previous years."""
    if request.start_date is None or not request.demand_type:
        return history.none()
    return (
        history.filter(organisation_id=request.organisation_id, demand_type=request.demand_type)
        .filter(repeat_window(request.start_date))
        .exclude(status=SurgeStatus.DRAFT)
        .exclude(pk=request.pk)
        .order_by("-start_date")
    )


def _month_day(day: datetime.date) -> int:
    return day.month * 100 + day.day


def _segments(start: datetime.date, end: datetime.date) -> list[tuple[int, int]]:
    """The period as ranges of month*100+day, split at the year end; a year or more covers everything."""
    if (end - start).days >= 365:
        return [(101, 1231)]
    a, b = _month_day(start), _month_day(end)
    if start.year == end.year:
        return [(a, b)]
    return [(a, 1231), (101, b)]


def overlapping_peaks(
    start: datetime.date, end: datetime.date, peaks: QuerySet[CalendarPeak]
) -> QuerySet[CalendarPeak]:
    """Peaks whose days of the year meet the period. A peak may wrap the year end (start after end)."""
    peak_start = F("start_month") * 100 + F("start_day")
    peak_end = F("end_month") * 100 + F("end_day")
    peaks = peaks.alias(peak_start=peak_start, peak_end=peak_end)
    meets = Q()
    for a, b in _segments(start, end):
        plain = Q(peak_start__lte=F("peak_end")) & Q(peak_start__lte=b, peak_end__gte=a)
        wrapping = Q(peak_start__gt=F("peak_end")) & (Q(peak_start__lte=b) | Q(peak_end__gte=a))
        meets |= plain | wrapping
    return peaks.filter(meets)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def assess(
    request: SurgeRequest,
    *,
    history: QuerySet[SurgeRequest] | None = None,
    peaks: QuerySet[CalendarPeak] | None = None,
    submitted_on: datetime.date,
) -> Assessment:
    """Foreseeability of ``request`` against earlier requests in ``history`` and the active ``peaks``,
    as if submitted on ``submitted_on``. Writes nothing."""
    history = SurgeRequest.objects.all() if history is None else history
    peaks = CalendarPeak.objects.filter(is_active=True) if peaks is None else peaks
    reasons: list[Reason] = []

    earlier = list(earlier_requests(request, history).values("reference", "start_date")[:10])
    if earlier:
        label = DemandType(request.demand_type).label.lower()
        listed = ", ".join(f"{e['reference']} ({e['start_date']:%B %Y})" for e in earlier)
        reasons.append(
            Reason(
                "repeat_use",
                f"Repeat use: this organisation asked for help with a {label} around the same time of year "
                f"{_plural(len(earlier), 'time')} in the last {REPEAT_YEARS} years: {listed}.",
                2,
            )
        )

    end = request.end_date
    if request.start_date is not None and end is not None:
        names = list(overlapping_peaks(request.start_date, end, peaks).values_list("name", flat=True))
        if names:
            reasons.append(
                Reason("calendar_peak", f"The period overlaps a known calendar peak: {', '.join(names)}.", 1)
            )

    if request.demand_type == DemandType.SEASONAL_PEAK and request.start_date is not None:
        lead = (request.start_date - submitted_on).days
        if lead < SHORT_LEAD_DAYS:
            reasons.append(
                Reason(
                    "short_lead_seasonal",
                    f"A seasonal peak asked for {_plural(max(lead, 0), 'day')} before it starts "
                    f"(less than {SHORT_LEAD_DAYS}).",
                    1,
                )
            )

    if request.in_forecast_or_plan == PlanAnswer.YES:
        reasons.append(Reason("in_plan", "The requester says this demand was in the forecast or capability plan.", 2))
    elif request.in_forecast_or_plan == PlanAnswer.PARTLY:
        reasons.append(Reason("in_plan", "The requester says this demand was partly in the forecast or plan.", 1))

    score = sum(r.score for r in reasons)
    if score >= LIKELY_SCORE:
        result = Foreseeability.LIKELY
    elif score > 0:
        result = Foreseeability.POSSIBLY
    else:
        result = Foreseeability.UNFORESEEABLE
    return Assessment(result=result, reasons=reasons)
