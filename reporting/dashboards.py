"""Dashboards for heads of profession (their organisations and child bodies) and ODP admins (the profession).

Capability figures come only from published snapshots (``CapabilityMetric`` rows of a ``PublishedSnapshot``'s run),
never from the assessments table. Ideas, innovation plans, SRRT and ROI come from their own small tables through
existing selectors (``reporting.figures``, ``srrt.analysis.usage_summary``, ``skills.roi.latest_evaluations``).

Scope: ``organisation_ids`` None means every organisation (admins only); callers get the ids from
``scope_for(member, ...)``, which never widens a head of profession beyond
``odp.access.head_of_profession_organisation_ids``. A skills figure about fewer than
``settings.SMALL_GROUP_THRESHOLD`` people is None (shown as "fewer than 5").

Grade and job family filters narrow every capability figure the snapshot rows allow. Snapshots count members by
grade and job family only skill by skill (organisation × grade [× job family] × skill rows), so filtered figures
are about expected skills (member × skill pairs): shares and the capability index are exact; a group's people are
counted as its largest per-skill count, a lower bound on its distinct members, so suppression never shows a group
that could have fewer than 5. Job family rows exist only in snapshots computed since the metrics job wrote them.
Ideas, innovation plans, SRRT and ROI are not recorded by grade or job family and say that they cover all."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.utils import timezone

from odp import access
from odp.models import Grade, JobFamily, Member, Organisation, OrganisationKind
from reporting import figures
from reporting.charts import Chart, bar_chart, format_cell, heatmap, line_chart, stacked_bar_chart

TREND_POINTS = 8
GAPS_SHOWN = 5


class OutOfScope(Exception):
    """The organisation asked for is not one the reader may see."""


@dataclass(frozen=True)
class Filters:
    organisation_id: int | None = None
    organisation_kind: str = ""
    grade: str = ""
    job_family: str = ""
    snapshot_date: datetime.date | None = None

    @property
    def narrows_people(self) -> bool:
        """Grade or job family: filters only the skills figures can follow."""
        return bool(self.grade or self.job_family)

    def describe(self) -> str:
        """Who the people filters leave, for sentences: "members at Grade 7 in the Casework ... job family"."""
        words = ["members"]
        if self.grade:
            words.append(f"at {Grade(self.grade).label}")
        if self.job_family:
            words.append(f"in the {JobFamily(self.job_family).label} job family")
        return " ".join(words)

    def as_dict(self) -> dict:
        return {
            "organisation_kind": self.organisation_kind,
            "grade": self.grade,
            "job_family": self.job_family,
            "snapshot_date": self.snapshot_date.isoformat() if self.snapshot_date else None,
        }


@dataclass(frozen=True)
class Table:
    """A dashboard table as shown and downloaded; cells are already formatted for people."""

    key: str
    title: str
    header: list[str]
    rows: list[list[str]]
    chart: Chart | None = None
    note: str = ""


@dataclass
class Dashboard:
    title: str
    organisation_ids: list[int] | None
    organisations: list[Organisation]
    year: int
    snapshot_date: datetime.date | None
    snapshot_dates: list[datetime.date]
    filters: Filters = field(default_factory=Filters)
    headline: list[tuple[str, str]] = field(default_factory=list)
    headline_note: str = ""
    notices: list[str] = field(default_factory=list)
    sections: list[tuple[str, list[Table]]] = field(default_factory=list)
    section_notes: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> dict[str, Table]:
        return {table.key: table for _, tables in self.sections for table in tables}

    @property
    def sections_with_notes(self) -> list[tuple[str, str, list[Table]]]:
        return [(heading, self.section_notes.get(heading, ""), tables) for heading, tables in self.sections]

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "year": self.year,
            "snapshot_date": self.snapshot_date.isoformat() if self.snapshot_date else None,
            "snapshot_dates": [d.isoformat() for d in self.snapshot_dates],
            "organisations": [{"id": o.pk, "name": o.name} for o in self.organisations],
            "filters": self.filters.as_dict(),
            "notices": self.notices,
            "headline": [{"label": label, "value": value} for label, value in self.headline],
            "headline_note": self.headline_note,
            "sections": [
                {
                    "heading": heading,
                    "note": note,
                    "tables": [
                        {
                            "key": t.key,
                            "title": t.title,
                            "summary": t.chart.summary if t.chart else "",
                            "note": t.note,
                            "header": t.header,
                            "rows": t.rows,
                        }
                        for t in tables
                    ],
                }
                for heading, note, tables in self.sections_with_notes
            ],
        }


def _threshold() -> int:
    return settings.SMALL_GROUP_THRESHOLD


def _share(part: int, whole: int, people: int | None) -> float | None:
    """A percentage to one place, or None when the group is too small to show (or empty)."""
    if not whole or (people or 0) < _threshold():
        return None
    return round(part * 100 / whole, 1)


def scope_for(member: Member, organisation_id: int | None = None) -> list[int] | None:
    """The organisation ids a dashboard for ``member`` covers. Admins: everything (None) or the chosen organisation
    and its child bodies. Heads of profession: the organisations they lead, or one of them with its child bodies.
    Raises OutOfScope for an organisation outside that, or for a member who leads nothing."""
    if member.is_odp_admin:
        if organisation_id is None:
            return None
        if not Organisation.objects.filter(pk=organisation_id).exists():
            raise OutOfScope
        return sorted(Organisation.objects.subtree_ids([organisation_id]))
    led = access.head_of_profession_organisation_ids(member)
    if not led or not access.can(member, "dashboard.organisation"):
        raise OutOfScope
    if organisation_id is None:
        return sorted(led)
    if organisation_id not in led:
        raise OutOfScope
    return sorted(set(Organisation.objects.subtree_ids([organisation_id])) & led)


def organisation_choices(member: Member) -> list[Organisation]:
    """Organisations the member may pick a dashboard for."""
    qs = Organisation.objects.order_by("name")
    if member.is_odp_admin:
        return list(qs)
    return list(qs.filter(pk__in=access.head_of_profession_organisation_ids(member)))


def published_dates() -> list[datetime.date]:
    from skills.models import PublishedSnapshot

    return list(PublishedSnapshot.objects.order_by("-snapshot_date").values_list("snapshot_date", flat=True))


def _snapshot(on: datetime.date | None):
    from skills.models import PublishedSnapshot

    qs = PublishedSnapshot.objects.order_by("-snapshot_date")
    if on is not None:
        qs = qs.filter(snapshot_date__lte=on)
    return qs.first()


def _metrics(run_id: int, scope: str, organisation_ids: list[int] | None):
    from skills.models import CapabilityMetric

    rows = CapabilityMetric.objects.filter(run_id=run_id, scope=scope).order_by()
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    return rows


def _people_rows(run_ids: int | list[int], organisation_ids: list[int] | None, filters: Filters) -> QuerySet:
    """Skill rows of one run (or several) narrowed by grade and job family: organisation × grade × skill rows (in
    every snapshot), or the finest rows, which add job family, when one is chosen."""
    from skills.models import CapabilityMetric, MetricScope

    scope = MetricScope.ORGANISATION_GRADE_FAMILY_SKILL if filters.job_family else MetricScope.ORGANISATION_GRADE_SKILL
    runs = [run_ids] if isinstance(run_ids, int) else run_ids
    rows = CapabilityMetric.objects.filter(run_id__in=runs, scope=scope).order_by()
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    if filters.job_family:
        rows = rows.filter(job_family=filters.job_family)
    if filters.grade:
        rows = rows.filter(grade=filters.grade)
    return rows


def _pair_totals(per_skill) -> dict:
    """Sums over per-skill rows (each with people, rows, assessed, meeting, index). People is the largest per-skill
    count: a member counts once per skill, so that is the fewest distinct members the group can have."""
    totals: dict = {"people": 0, "rows": 0, "assessed": 0, "meeting": 0, "index": 0.0}
    for r in per_skill:
        totals["people"] = max(totals["people"], r["people"])
        for key in ("rows", "assessed", "meeting", "index"):
            totals[key] += r[key]
    return totals


_PAIR_SUMS = {
    "people": Sum("members_in_scope"),
    "rows": Sum("rows_in_scope"),
    "assessed": Sum("rows_assessed"),
    "meeting": Sum("rows_meeting"),
    "index": Sum("sum_index"),
}


def _per_skill(run_ids: list[int], organisation_ids: list[int] | None, filters: Filters) -> dict[int, list[dict]]:
    """The filtered rows summed per skill, for each run, in one query (the headline, gaps and trend all read them)."""
    by_run: dict[int, list[dict]] = {run_id: [] for run_id in run_ids}
    per = _people_rows(run_ids, organisation_ids, filters).values("run_id", "lineage").annotate(**_PAIR_SUMS)
    for r in per:
        by_run[r["run_id"]].append(r)
    return by_run


def _job_family_dates() -> set[datetime.date]:
    """Snapshot dates whose run wrote job family rows (snapshots computed before the metrics job did have none)."""
    from skills.models import CapabilityMetric, MetricScope, PublishedSnapshot

    finest = CapabilityMetric.objects.filter(
        run_id=OuterRef("run_id"), scope=MetricScope.ORGANISATION_GRADE_FAMILY_SKILL
    )
    return set(PublishedSnapshot.objects.filter(Exists(finest)).values_list("snapshot_date", flat=True))


def _skill_names() -> dict[int, tuple[str, str, int, int]]:
    """lineage -> (skill name, group name, group position, skill position) from the newest version naming it."""
    from skills.models import Skill

    names: dict[int, tuple[str, str, int, int]] = {}
    skills = Skill.objects.filter(lineage__isnull=False).select_related("group", "version")
    for skill in skills.order_by("version_id", "pk"):
        names[skill.lineage] = (skill.name, skill.group.name, skill.group.position, skill.pk)
    return names


# Capability.


def _overall(run_id: int, organisation_ids: list[int] | None) -> dict:
    from skills.models import MetricScope

    return _metrics(run_id, MetricScope.ORGANISATION, organisation_ids).aggregate(
        members=Sum("members_in_scope"),
        assessed=Sum("members_assessed"),
        rows=Sum("rows_in_scope"),
        meeting=Sum("rows_meeting"),
        index=Sum("sum_index"),
    )


def _capability_heatmap(run_id: int, organisation_ids: list[int] | None, filters: Filters, names: dict) -> Table:
    rows = _people_rows(run_id, organisation_ids, filters)
    per = rows.values("lineage", "grade").annotate(
        meeting=Sum("rows_meeting"), total=Sum("rows_in_scope"), people=Sum("members_in_scope")
    )
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    positions: dict[str, int] = {}
    for r in per:
        name = names.get(r["lineage"])
        group = name[1] if name else "Other skills"
        positions[group] = name[2] if name else 10_000
        cell = cells[(group, r["grade"])]
        cell[0] += r["meeting"]
        cell[1] += r["total"]
        # A member counts once per skill: the group's people are at least its largest per-skill count.
        cell[2] = max(cell[2], r["people"])
    grades = [g for g in Grade.values if any(k[1] == g for k in cells)]
    groups = sorted(positions, key=lambda g: (positions[g], g))
    values = [[_share(*cells[(g, gr)]) if (g, gr) in cells else None for gr in grades] for g in groups]
    best = _best_cell(groups, grades, values)
    who = f", for {filters.describe()}" if filters.narrows_people else ""
    summary = (
        f"Share of skills at or above the expected level, by skill group and grade{who}. {best}"
        if groups
        else "No skills are expected of these members in this snapshot."
    )
    chart = heatmap(
        "Capability by skill group and grade", summary, groups, grades, values, unit="%", label_heading="Skill group"
    )
    return _from_chart("capability", chart)


def _best_cell(groups: list[str], grades: list[str], values: list[list[float | None]]) -> str:
    shown = [(v, g, gr) for g, row in zip(groups, values, strict=True) for gr, v in zip(grades, row, strict=True)]
    shown = [s for s in shown if s[0] is not None]
    if not shown:
        return f"Every group has fewer than {_threshold()} people."
    high = max(shown, key=lambda s: (s[0], s[1], s[2]))
    low = min(shown, key=lambda s: (s[0], s[1], s[2]))
    return f"Highest: {high[1]} at {high[2]} ({high[0]:.1f}%); lowest: {low[1]} at {low[2]} ({low[0]:.1f}%)."


def _coverage_by_organisation(run_id: int, organisation_ids: list[int] | None, filters: Filters) -> Table:
    from skills.models import MetricScope

    if filters.narrows_people:
        return _coverage_filtered(run_id, organisation_ids, filters)
    rows = (
        _metrics(run_id, MetricScope.ORGANISATION, organisation_ids)
        .values("organisation_id", "organisation__name")
        .annotate(
            members=Sum("members_in_scope"),
            assessed=Sum("members_assessed"),
            meeting=Sum("rows_meeting"),
            total=Sum("rows_in_scope"),
        )
        .order_by("organisation__name")
    )
    labels = [r["organisation__name"] for r in rows]
    coverage = [_share(r["assessed"], r["members"], r["members"]) for r in rows]
    meeting = [_share(r["meeting"], r["total"], r["members"]) for r in rows]
    summary = _compare_summary("have a skills assessment", labels, coverage)
    # The bar shows coverage; the table beside it (and the download) also gives each organisation's capability.
    header = ["Organisation", "Members assessed", "Skills at or above expected"]
    cells: list[list[object]] = [[n, c, m] for n, c, m in zip(labels, coverage, meeting, strict=True)]
    return _from_chart("coverage", Chart("bar", "Coverage by organisation", summary, header, cells, "%"))


def _coverage_filtered(run_id: int, organisation_ids: list[int] | None, filters: Filters) -> Table:
    """Coverage for a grade or job family: the share of expected skills assessed (snapshots do not say how many of
    these members have any assessment), and of expected skills at or above the expected level."""
    per = (
        _people_rows(run_id, organisation_ids, filters)
        .values("organisation_id", "organisation__name", "lineage")
        .annotate(**_PAIR_SUMS)
    )
    by_org: dict[str, list[dict]] = defaultdict(list)
    for r in per:
        by_org[r["organisation__name"]].append(r)
    labels = sorted(by_org)
    totals = [_pair_totals(by_org[name]) for name in labels]
    coverage = [_share(t["assessed"], t["rows"], t["people"]) for t in totals]
    meeting = [_share(t["meeting"], t["rows"], t["people"]) for t in totals]
    shown = [(v, label) for label, v in zip(labels, coverage, strict=True) if v is not None]
    if shown:
        high, low = max(shown), min(shown)
        summary = (
            f"Expected skills with an assessment, for {filters.describe()}: highest in {high[1]} ({high[0]:.1f}%), "
            f"lowest in {low[1]} ({low[0]:.1f}%)."
        )
    else:
        summary = f"No organisation here has {_threshold()} or more {filters.describe()} in scope."
    header = ["Organisation", "Expected skills assessed", "Skills at or above expected"]
    cells: list[list[object]] = [[n, c, m] for n, c, m in zip(labels, coverage, meeting, strict=True)]
    return _from_chart("coverage", Chart("bar", "Coverage by organisation", summary, header, cells, "%"))


def _compare_summary(what: str, labels: list[str], values: list[float | None]) -> str:
    shown = [(v, label) for label, v in zip(labels, values, strict=True) if v is not None]
    if not shown:
        return f"No organisation here has {_threshold()} or more members in scope."
    high, low = max(shown), min(shown)
    if len(shown) == 1:
        return f"{high[0]:.1f}% of members in {high[1]} {what}."
    return f"Members who {what}: highest in {high[1]} ({high[0]:.1f}%), lowest in {low[1]} ({low[0]:.1f}%)."


def _gaps(
    run_id: int, organisation_ids: list[int] | None, filters: Filters, names: dict, per_skill: list[dict] | None
) -> Table:
    """The lowest shares by skill: from the organisation × skill rows, or the filtered rows summed per skill."""
    from skills.models import MetricScope

    if per_skill is None:
        per_skill = list(
            _metrics(run_id, MetricScope.ORGANISATION_SKILL, organisation_ids).values("lineage").annotate(**_PAIR_SUMS)
        )
    ranked = []
    for r in per_skill:
        share = _share(r["meeting"], r["rows"], r["people"])
        if share is None:
            continue
        name = names.get(r["lineage"], (f"Skill {r['lineage']}", "", 0, 0))[0]
        ranked.append((share, name))
    ranked.sort()
    ranked = ranked[:GAPS_SHOWN]
    who = f" for {filters.describe()}" if filters.narrows_people else ""
    summary = (
        f"The skills with the lowest share at or above the expected level{who}; the lowest is {ranked[0][1]} "
        f"({ranked[0][0]:.1f}%)."
        if ranked
        else f"No skill has {_threshold()} or more people expected to have it."
    )
    chart = bar_chart(
        "Biggest skills gaps",
        summary,
        [name for _, name in ranked],
        [share for share, _ in ranked],
        unit="%",
        label_heading="Skill",
    )
    return _from_chart("gaps", chart)


def _trend_points(until: datetime.date, filters: Filters, family_dates: set[datetime.date] | None) -> tuple[list, str]:
    """The snapshots the trend shows (oldest first) and a note when the filter had to leave older ones out."""
    from skills.models import PublishedSnapshot

    snapshots = PublishedSnapshot.objects.filter(snapshot_date__lte=until).order_by("-snapshot_date")
    points = list(snapshots[:TREND_POINTS])[::-1]
    note = ""
    if filters.job_family and family_dates is not None:
        # Snapshots from before the job family rows existed cannot be filtered by it: leave them out, and say so.
        if any(p.snapshot_date not in family_dates for p in points):
            note = (
                f"Not available for this filter before {min(family_dates).strftime('%-d %B %Y')}: earlier "
                "snapshots have no job family breakdown."
            )
        points = [p for p in points if p.snapshot_date in family_dates]
    return points, note


def _trend(
    organisation_ids: list[int] | None,
    points: list,
    note: str,
    filters: Filters,
    per_skill: dict[int, list[dict]] | None,
) -> Table:
    labels, meeting, coverage = [], [], []
    for snapshot in points:
        labels.append(snapshot.snapshot_date.strftime("%-d %b %Y"))
        if per_skill is not None:
            t = _pair_totals(per_skill[snapshot.run_id])
            meeting.append(_share(t["meeting"], t["rows"], t["people"]))
            coverage.append(_share(t["assessed"], t["rows"], t["people"]))
            continue
        sums = _overall(snapshot.run_id, organisation_ids)
        meeting.append(_share(sums["meeting"] or 0, sums["rows"] or 0, sums["members"]))
        coverage.append(_share(sums["assessed"] or 0, sums["members"] or 0, sums["members"]))
    if len(points) > 1 and meeting[0] is not None and meeting[-1] is not None:
        change = meeting[-1] - meeting[0]
        direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
        summary = (
            f"Skills at or above the expected level: {meeting[-1]:.1f}% on {labels[-1]}, "
            f"{direction} {abs(change):.1f} points since {labels[0]}."
        )
    elif points:
        summary = f"Only one published snapshot so far ({labels[-1]}); the trend grows as snapshots are published."
    else:
        summary = "No published snapshots yet."
    if filters.narrows_people:
        summary = f"For {filters.describe()}. {summary}"
    assessed = "Expected skills assessed" if filters.narrows_people else "Members assessed"
    chart = line_chart(
        "Capability over time",
        summary,
        labels,
        {"Skills at or above expected": meeting, assessed: coverage},
        unit="%",
        label_heading="Snapshot",
    )
    return replace(_from_chart("trend", chart), note=note)


# Ideas and innovation plans.


def _ideas(organisation_ids: list[int] | None, year: int) -> list[Table]:
    from innovation.models import Idea, IdeaStatus

    ideas = Idea.objects.exclude(submitted_at__isnull=True).order_by()
    if organisation_ids is not None:
        ideas = ideas.filter(organisation_id__in=organisation_ids)
    ideas = ideas.filter(submitted_at__year=year)
    counts = dict(ideas.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    s = IdeaStatus
    stages = [
        ("Submitted", sum(counts.values())),
        (
            "Accepted",
            sum(counts.get(x, 0) for x in (s.ACCEPTED, s.IN_PROGRESS, s.IMPLEMENTED, s.BENEFITS_REALISED)),
        ),
        ("In progress or further", sum(counts.get(x, 0) for x in (s.IN_PROGRESS, s.IMPLEMENTED, s.BENEFITS_REALISED))),
        ("Implemented", sum(counts.get(x, 0) for x in (s.IMPLEMENTED, s.BENEFITS_REALISED))),
        ("Benefits realised", counts.get(s.BENEFITS_REALISED, 0)),
    ]
    summary = (
        f"Of {stages[0][1]} ideas submitted in {year}, {stages[1][1]} were accepted and {stages[3][1]} implemented."
    )
    funnel = _from_chart(
        "ideas",
        bar_chart(
            f"Ideas funnel, {year}",
            summary,
            [label for label, _ in stages],
            [float(n) for _, n in stages],
            label_heading="Stage",
        ),
    )
    today = timezone.localdate()
    overdue_qs = Idea.objects.filter(
        status__in=[s.SUBMITTED, s.UNDER_REVIEW], decision_due_on__lt=today, is_hidden=False
    ).order_by()
    if organisation_ids is not None:
        overdue_qs = overdue_qs.filter(organisation_id__in=organisation_ids)
    median = figures.figure("ideas.median_days_to_decision", year=year, organisation_ids=organisation_ids)
    hours = figures.figure("ideas.benefits_realised_hours", year=year, organisation_ids=organisation_ids)
    reviews = Table(
        "idea-reviews",
        "Decisions and benefits",
        ["Measure", "Value"],
        [
            ["Median days from submission to decision", median.display()],
            ["Reviews overdue today", str(overdue_qs.count())],
            ["Hours saved a year by ideas with benefits realised", hours.display()],
        ],
    )
    return [funnel, reviews]


def _plans(organisation_ids: list[int] | None, year: int) -> Table:
    from innovation.models.plans import Commitment

    commitments = Commitment.objects.filter(plan__year=year).order_by()
    if organisation_ids is not None:
        commitments = commitments.filter(plan__organisation_id__in=organisation_ids)
    counts = (
        commitments.values("plan__organisation__name", "progress")
        .annotate(n=Count("pk"))
        .order_by("plan__organisation__name")
    )
    progress = list(Commitment.Progress)
    by_org: dict[str, dict[str, int]] = defaultdict(dict)
    for r in counts:
        by_org[r["plan__organisation__name"]][r["progress"]] = r["n"]
    labels = sorted(by_org)
    series = {p.label: [float(by_org[o].get(p.value, 0)) for o in labels] for p in progress}
    total = sum(sum(v) for v in series.values())
    done = sum(series[Commitment.Progress.DONE.label])
    at_risk = sum(series[Commitment.Progress.AT_RISK.label])
    summary = (
        f"{int(total)} commitments in {year} innovation plans: {int(done)} done, {int(at_risk)} at risk."
        if labels
        else f"No innovation plan for {year} yet."
    )
    chart = stacked_bar_chart(
        f"Innovation plan commitments, {year}", summary, labels, series, label_heading="Organisation"
    )
    return _from_chart("plans", chart)


# SRRT and ROI.


def _srrt(organisation_ids: list[int] | None, year: int) -> list[Table]:
    from srrt.analysis import usage_summary

    summary = usage_summary(year, organisation_ids)
    figures_table = Table(
        "srrt",
        f"Surge and rapid response team, {year}",
        ["Measure", "Value"],
        [
            ["Requests submitted", str(summary.requests_submitted)],
            ["Requests approved", str(summary.approved)],
            ["Deployments", str(summary.deployments)],
            ["Responder-days", str(summary.responder_days)],
        ],
    )
    labels = ["Likely foreseeable", "Possibly foreseeable", "Unforeseeable"]
    values = [float(summary.likely_foreseeable), float(summary.possibly_foreseeable), float(summary.unforeseeable)]
    assessed = summary.assessed
    if assessed:
        share = (summary.likely_foreseeable + summary.possibly_foreseeable) * 100 / assessed
        text = f"{share:.0f}% of the {assessed} requests assessed could have been foreseen and planned for."
    else:
        text = f"No surge requests assessed for foreseeability in {year}."
    mix = _from_chart(
        "srrt-foreseeability",
        bar_chart("Foreseeability of surge requests", text, labels, values, label_heading="Foreseeability"),
    )
    return [figures_table, mix]


def _roi(organisation_ids: list[int] | None) -> Table:
    from skills.models import Enrolment
    from skills.roi import latest_evaluations

    evaluations = latest_evaluations()
    if organisation_ids is not None:
        cohorts = Enrolment.objects.filter(member__organisation_id__in=organisation_ids).values("cohort_id")
        evaluations = evaluations.filter(cohort_id__in=cohorts)
    rows = []
    for e in evaluations:
        if e.outcome == "result":
            roi = f"{e.roi_percent:.0f}%" if e.roi_percent is not None else "no cost recorded"
            benefit = f"£{e.benefit:,.0f}" if e.benefit is not None else ""
        else:
            roi, benefit = "insufficient data", ""
        rows.append([e.cohort.intervention.name, e.cohort.name, str(e.treated_n), benefit, f"£{e.cost:,.0f}", roi])
    return Table(
        "roi",
        "Return on investment of interventions",
        ["Intervention", "Cohort", "Participants", "Benefit", "Cost", "ROI"],
        rows,
        note="Cohorts that included your people; each result is for the whole cohort.",
    )


def _from_chart(key: str, chart: Chart) -> Table:
    return Table(key, chart.title, [str(h) for h in chart.header], chart.table_rows(), chart)


def _organisations_in(organisation_ids: list[int] | None, kind: str) -> list[int] | None:
    if not kind:
        return organisation_ids
    qs = Organisation.objects.filter(kind=kind)
    if organisation_ids is not None:
        qs = qs.filter(pk__in=organisation_ids)
    return sorted(qs.values_list("pk", flat=True))


def build(organisation_ids: Collection[int] | None, filters: Filters | None = None, *, title: str = "") -> Dashboard:
    """Every dashboard figure for the organisations (None: the whole profession)."""
    filters = filters or Filters()
    ids = None if organisation_ids is None else sorted(organisation_ids)
    ids = _organisations_in(ids, filters.organisation_kind)
    snapshot = _snapshot(filters.snapshot_date)
    year = snapshot.snapshot_date.year if snapshot else timezone.localdate().year
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name")) if ids is not None else []
    dashboard = Dashboard(
        title=title,
        organisation_ids=ids,
        organisations=organisations,
        year=year,
        snapshot_date=snapshot.snapshot_date if snapshot else None,
        snapshot_dates=published_dates(),
        filters=filters,
    )
    family_dates = _job_family_dates() if filters.job_family else None
    if snapshot is not None and family_dates is not None and snapshot.snapshot_date not in family_dates:
        dashboard.notices.append(_no_job_family(snapshot.snapshot_date, family_dates))
    elif snapshot is not None:
        points, note = _trend_points(snapshot.snapshot_date, filters, family_dates)
        per_skill = None
        if filters.narrows_people:
            # The selected snapshot is the trend's last point.
            per_skill = _per_skill([p.run_id for p in points], ids, filters)
            _filtered_headline(dashboard, per_skill[snapshot.run_id], filters)
        else:
            _headline(dashboard, snapshot.run_id, ids)
        names = _skill_names()
        dashboard.sections.append(
            (
                "Capability",
                [
                    _capability_heatmap(snapshot.run_id, ids, filters, names),
                    _coverage_by_organisation(snapshot.run_id, ids, filters),
                    _gaps(snapshot.run_id, ids, filters, names, per_skill[snapshot.run_id] if per_skill else None),
                    _trend(ids, points, note, filters, per_skill),
                ],
            )
        )
    dashboard.sections.extend(_live_sections(ids, year))
    if filters.narrows_people:
        for heading in ("Ideas and innovation", "Surge and rapid response team", "Interventions"):
            dashboard.section_notes[heading] = ALL_PEOPLE_NOTE
    return dashboard


def _live_sections(ids: list[int] | None, year: int) -> list[tuple[str, list[Table]]]:
    """Ideas, innovation plans, SRRT and ROI: read live from their own tables, for the organisations and the year only
    (no grade or job family), so every filter of the same organisations shares them; kept in the cache like whole
    dashboards (reporting/dashboard_cache.py) and for as long."""
    from reporting.dashboard_cache import cached, snapshot_state

    def sections() -> list[tuple[str, list[Table]]]:
        return [
            ("Ideas and innovation", [*_ideas(ids, year), _plans(ids, year)]),
            ("Surge and rapid response team", _srrt(ids, year)),
            ("Interventions", [_roi(ids)]),
        ]

    scope = "all" if ids is None else ",".join(str(pk) for pk in ids)
    return cached(f"live|{year}|{scope}|{snapshot_state()}", sections)


ALL_PEOPLE_NOTE = (
    "Not filtered by grade or job family: these figures are not recorded that way, so they cover all grades and "
    "job families."
)


def _headline(dashboard: Dashboard, run_id: int, ids: list[int] | None) -> None:
    sums = _overall(run_id, ids)
    people = sums["members"]
    dashboard.headline = [
        ("Members whose role expects skills", format_cell(people if (people or 0) >= _threshold() else None)),
        ("Members with a skills assessment", format_cell(_share(sums["assessed"] or 0, people or 0, people), "%")),
        (
            "Skills at or above the expected level",
            format_cell(_share(sums["meeting"] or 0, sums["rows"] or 0, people), "%"),
        ),
        ("Capability index (0 to 100)", format_cell(_share_index(sums))),
    ]


def _filtered_headline(dashboard: Dashboard, per_skill: list[dict], filters: Filters) -> None:
    """Headline figures for a grade or job family, exact from the skill rows: expected skills (member × skill pairs),
    the share assessed, the share at or above the expected level and the capability index."""
    t = _pair_totals(per_skill)
    enough = t["people"] >= _threshold()
    index = round(t["index"] * 100 / t["rows"], 1) if t["rows"] and enough else None
    dashboard.headline = [
        ("Expected skills (one per member per skill)", format_cell(t["rows"] if enough else None)),
        ("Expected skills with an assessment", format_cell(_share(t["assessed"], t["rows"], t["people"]), "%")),
        ("Skills at or above the expected level", format_cell(_share(t["meeting"], t["rows"], t["people"]), "%")),
        ("Capability index (0 to 100)", format_cell(index)),
    ]
    dashboard.headline_note = (
        f"For {filters.describe()}. Snapshots count these members skill by skill, so the figures are about the "
        "skills their roles expect (each member counted once for every skill), not a head count."
    )


def _no_job_family(on: datetime.date, family_dates: set[datetime.date]) -> str:
    when = on.strftime("%-d %B %Y")
    if not family_dates:
        return (
            "Capability figures by job family are not available yet: no published snapshot has a job family "
            "breakdown. Choose all job families to see the capability figures."
        )
    return (
        f"Capability figures by job family are not available for the snapshot of {when}: snapshots before "
        f"{min(family_dates).strftime('%-d %B %Y')} have no job family breakdown. Choose a later snapshot date or "
        "all job families."
    )


def _share_index(sums: dict) -> float | None:
    if not sums["rows"] or (sums["members"] or 0) < _threshold():
        return None
    return round(sums["index"] * 100 / sums["rows"], 1)


KIND_CHOICES = OrganisationKind.choices
GRADE_CHOICES = Grade.choices
JOB_FAMILY_CHOICES = JobFamily.choices
