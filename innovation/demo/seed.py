"""Write the demo ideas. Deterministic (a fixed random seed) and idempotent: skipped once any idea exists.

Everything goes in with ``bulk_create`` (a few dozen queries for several thousand rows), which bypasses the
per-record audit signals, so one summary audit event records the run, as odp.demo does."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from innovation.dates import response_days, working_days_after
from innovation.demo.data import COMMENTS, FEEDBACK, IDEAS, NOT_TAKEN_FORWARD_REASONS, IdeaText
from innovation.demo.extras import seed_learning
from innovation.models import (
    Comment,
    Decision,
    Endorsement,
    Follow,
    Idea,
    IdeaEvent,
    IdeaStatus,
    ReferenceCounter,
    Report,
    Theme,
    Visibility,
)
from innovation.themes import ensure_starting_themes
from odp.audit import acting_as
from odp.models import AuditEvent, Member, Organisation, OrganisationKind, Role, RoleAssignment

SEED = 20261129
REPORT_REASONS = (
    "It gives a customer's name and where they live.",
    "This is an advert for a paid training course, not an idea.",
)
TARGET = 320
S = IdeaStatus
# How the demo ideas are spread over the workflow (weights).
STATUS_WEIGHTS = {
    S.DRAFT: 6,
    S.SUBMITTED: 14,
    S.UNDER_REVIEW: 14,
    S.ACCEPTED: 10,
    S.NOT_TAKEN_FORWARD: 12,
    S.ROUTED: 3,
    S.MERGED: 5,
    S.IN_PROGRESS: 13,
    S.IMPLEMENTED: 13,
    S.BENEFITS_REALISED: 10,
}
# The path each final status took, after submission.
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: [S.SUBMITTED],
    S.UNDER_REVIEW: [S.SUBMITTED, S.UNDER_REVIEW],
    S.ACCEPTED: [S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED],
    S.NOT_TAKEN_FORWARD: [S.SUBMITTED, S.UNDER_REVIEW, S.NOT_TAKEN_FORWARD],
    S.ROUTED: [S.SUBMITTED, S.UNDER_REVIEW, S.ROUTED],
    S.MERGED: [S.SUBMITTED, S.UNDER_REVIEW, S.MERGED],
    S.IN_PROGRESS: [S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED, S.IN_PROGRESS],
    S.IMPLEMENTED: [S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED, S.IN_PROGRESS, S.IMPLEMENTED],
    S.BENEFITS_REALISED: [S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED, S.IN_PROGRESS, S.IMPLEMENTED, S.BENEFITS_REALISED],
}
# The demo staff member's own ideas, so every journey has something to show: (idea text, status).
STAFF_IDEAS = ((0, S.DRAFT), (1, S.SUBMITTED), (2, S.ACCEPTED))


@dataclass
class InnovationSeedResult:
    created: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


@dataclass
class _Plan:
    idea: Idea
    text: IdeaText
    path: list[str]
    steps: list[datetime.datetime] = field(default_factory=list)
    theme_slugs: tuple[str, ...] = ()


class _World:
    """What the demo ideas are written against: the demo organisations and members."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self.orgs = {o.slug: o for o in Organisation.objects.all()}
        self.members: dict[int, list[int]] = defaultdict(list)
        self.organisation_of: dict[int, int] = {}
        for pk, org_id in Member.objects.active().order_by("pk").values_list("pk", "organisation_id"):
            self.members[org_id].append(pk)
            self.organisation_of[pk] = org_id
        self.central = [
            pk
            for o in self.orgs.values()
            if o.kind in OrganisationKind.central_government()
            for pk in self.members[o.pk]
        ]
        self.everyone = [pk for pks in self.members.values() for pk in pks]
        self.by_username = dict(Member.objects.values_list("user__username", "pk"))
        self.hops: dict[int, int] = {}
        for member_id, org_id in RoleAssignment.objects.filter(role=Role.HEAD_OF_PROFESSION).values_list(
            "member_id", "organisation_id"
        ):
            for sub in Organisation.objects.subtree_ids([org_id]):
                self.hops.setdefault(sub, member_id)
        self.admin = self.by_username.get("admin") or self.everyone[0]

    def author_for(self, text: IdeaText) -> int | None:
        slugs = [s for s in text.organisations if s in self.orgs and self.members[self.orgs[s].pk]]
        if not slugs:
            return None
        return self.rnd.choice(self.members[self.orgs[self.rnd.choice(slugs)].pk])

    def audience(self, idea: Idea) -> list[int]:
        if idea.visibility == Visibility.ORGANISATION:
            return self.members[idea.organisation_id]
        return self.central if idea.visibility == Visibility.CIVIL_SERVICE else self.everyone

    def reviewer(self, organisation_id: int) -> int:
        return self.hops.get(organisation_id, self.admin)


def seed() -> InnovationSeedResult:
    result = InnovationSeedResult()
    if themes := ensure_starting_themes():
        result.created["themes"] = themes
    if Idea.objects.exists() or not Member.objects.exists():
        return result
    rnd = random.Random(SEED)  # noqa: S311 (demo data, not security)
    world = _World(rnd)
    with transaction.atomic(), acting_as(None):
        plans = _plan_ideas(world)
        _insert_ideas(world, plans, result)
        _insert_timelines(world, plans, result)
        _insert_engagement(world, plans, result)
        result.created.update(seed_learning(world, [p.idea for p in plans]))
        AuditEvent.objects.create(
            action=AuditEvent.Action.CREATE,
            object_type="innovation.idea",
            object_repr="Demo ideas (seed_demo)",
            note=f"Demo ideas seeded by manage.py seed_demo. Created: {result.created}.",
        )
    return result


def _plan_ideas(world: _World) -> list[_Plan]:
    rnd, now = world.rnd, timezone.now()
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    staff = world.by_username.get("staff")
    plans: list[_Plan] = []
    for n in range(TARGET):
        if staff and n < len(STAFF_IDEAS):
            text, status, author_id = IDEAS[STAFF_IDEAS[n][0]], STAFF_IDEAS[n][1], staff
        else:
            text = rnd.choice(IDEAS)
            status = rnd.choices(statuses, weights)[0]
            author_id = world.author_for(text)
        if author_id is None:
            continue
        author_org = world.organisation_of[author_id]
        awaiting = status in S.awaiting_decision()
        started = now - datetime.timedelta(days=rnd.randint(1, 60) if awaiting else rnd.randint(40, 420))
        org_kind = next(o.kind for o in world.orgs.values() if o.pk == author_org)
        visibility = (
            Visibility.PARTNERS
            if org_kind not in OrganisationKind.central_government()
            else rnd.choices(list(Visibility.values), [2, 5, 3])[0]
        )
        idea = Idea(
            title=rnd.choice(text.titles),
            problem=text.problem,
            proposed_change=text.change,
            hours_saved_per_year=_vary(rnd, text.hours),
            cost_saved_per_year=Decimal(_vary(rnd, text.cost)) if text.cost else None,
            customer_outcome=text.outcome,
            service_area=text.service_area,
            visibility=visibility,
            organisation_id=author_org,
            origin_organisation_id=author_org,
            author_id=author_id,
            status=S.NOT_TAKEN_FORWARD if status == S.MERGED else status,  # merged once its target exists
            created_at=started - datetime.timedelta(days=rnd.randint(0, 5)),
        )
        plan = _Plan(idea=idea, text=text, path=PATHS[status], theme_slugs=text.themes)
        _schedule(rnd, plan, started, now)
        plans.append(plan)
    return plans


def _vary(rnd: random.Random, value: int | None) -> int | None:
    return None if value is None else int(value * rnd.uniform(0.5, 1.5))


def _schedule(rnd: random.Random, plan: _Plan, started: datetime.datetime, now: datetime.datetime) -> None:
    """Dates for each step of the idea's path, in order and never in the future."""
    idea, moment = plan.idea, started
    for step in plan.path:
        plan.steps.append(moment)
        if step == S.SUBMITTED:
            idea.submitted_at = moment
            idea.decision_due_on = working_days_after(moment.date(), response_days())
        if step in S.decisions():
            idea.decided_at = moment
        moment = min(now, moment + datetime.timedelta(days=rnd.randint(2, 35)))


def _insert_ideas(world: _World, plans: list[_Plan], result: InnovationSeedResult) -> None:
    counters: dict[int, int] = defaultdict(int)
    for plan in sorted((p for p in plans if p.idea.submitted_at), key=lambda p: p.idea.submitted_at):
        year = plan.idea.submitted_at.year
        counters[year] += 1
        plan.idea.reference = f"IDEA-{year}-{counters[year]:06d}"
    for plan in plans:
        if S.ROUTED in plan.path:
            others = [o.pk for o in world.orgs.values() if o.pk != plan.idea.organisation_id and world.members[o.pk]]
            plan.idea.organisation_id = world.rnd.choice(others)
            plan.idea.status = S.ROUTED
    Idea.objects.bulk_create([p.idea for p in plans])
    first_of_text: dict[str, Idea] = {}
    merged: list[Idea] = []
    for plan in sorted(plans, key=lambda p: p.idea.created_at):
        target = first_of_text.get(plan.text.problem)
        if plan.path and plan.path[-1] == S.MERGED and target is not None:
            plan.idea.status, plan.idea.merged_into = S.MERGED, target
            merged.append(plan.idea)
        elif plan.idea.status != S.DRAFT and plan.text.problem not in first_of_text:
            first_of_text[plan.text.problem] = plan.idea
    Idea.objects.bulk_update(merged, ["status", "merged_into"])
    themes = dict(Theme.objects.values_list("slug", "pk"))
    Idea.themes.through.objects.bulk_create(
        Idea.themes.through(idea_id=p.idea.pk, theme_id=themes[s]) for p in plans for s in p.theme_slugs if s in themes
    )
    for year, last in counters.items():
        ReferenceCounter.objects.update_or_create(year=year, defaults={"last": last})
    result.created["ideas"] = len(plans)


def _insert_timelines(world: _World, plans: list[_Plan], result: InnovationSeedResult) -> None:
    events: list[IdeaEvent] = []
    decisions: list[Decision] = []
    for plan in plans:
        idea = plan.idea
        events.append(
            IdeaEvent(idea=idea, at=idea.created_at, actor_id=idea.author_id, kind="created", to_status=S.DRAFT)
        )
        before = S.DRAFT
        for step, at in zip(plan.path, plan.steps, strict=True):
            step = S.NOT_TAKEN_FORWARD if step == S.MERGED and idea.status != S.MERGED else step
            organisation_id = idea.origin_organisation_id
            actor = idea.author_id if step == S.SUBMITTED else world.reviewer(organisation_id)
            note = world.rnd.choice(FEEDBACK[step]) if step in FEEDBACK else ""
            if step == S.ROUTED:
                routed_to = next(o for o in world.orgs.values() if o.pk == idea.organisation_id)
                note = f"Routed to {routed_to}. {note}"
            events.append(
                IdeaEvent(
                    idea=idea, at=at, actor_id=actor, kind="status", from_status=before, to_status=step, note=note
                )
            )
            if step in S.decisions():
                decisions.append(
                    Decision(
                        idea=idea,
                        outcome=step,
                        feedback=note,
                        reason=world.rnd.choice(NOT_TAKEN_FORWARD_REASONS) if step == S.NOT_TAKEN_FORWARD else "",
                        decided_by_id=actor,
                        decided_at=at,
                        organisation_id=organisation_id,
                        routed_to_id=idea.organisation_id if step == S.ROUTED else None,
                        merged_into=idea.merged_into if step == S.MERGED else None,
                    )
                )
            before = step
    IdeaEvent.objects.bulk_create(events)
    Decision.objects.bulk_create(decisions)
    result.created["timeline events"] = len(events)
    result.created["decisions"] = len(decisions)


def _insert_engagement(world: _World, plans: list[_Plan], result: InnovationSeedResult) -> None:
    rnd = world.rnd
    endorsements: list[Endorsement] = []
    follows: list[Follow] = []
    comments: list[Comment] = []
    counts: dict[int, int] = {}
    for plan in plans:
        idea = plan.idea
        if idea.status == S.DRAFT:
            continue
        pool = [m for m in world.audience(idea) if m != idea.author_id]
        endorsers = rnd.sample(pool, min(len(pool), min(60, int(rnd.paretovariate(1.6) * 2) - 1))) if pool else []
        endorsements += [Endorsement(idea=idea, member_id=m, created_at=idea.submitted_at) for m in endorsers]
        counts[idea.pk] = len(endorsers)
        follows += [Follow(idea=idea, member_id=m) for m in endorsers[: len(endorsers) // 2]]
        for _ in range(rnd.choice((0, 0, 1, 1, 2, 3))):
            if pool:
                comments.append(
                    Comment(
                        idea=idea, author_id=rnd.choice(pool), body=rnd.choice(COMMENTS), created_at=idea.submitted_at
                    )
                )
    Endorsement.objects.bulk_create(endorsements)
    Follow.objects.bulk_create(follows)
    Comment.objects.bulk_create(comments)
    ideas = [p.idea for p in plans if p.idea.pk in counts]
    for idea in ideas:
        idea.endorsement_count = counts[idea.pk]
    Idea.objects.bulk_update(ideas, ["endorsement_count"], batch_size=500)
    reports = _reports(world, comments, ideas)
    result.created.update(
        {"endorsements": len(endorsements), "follows": len(follows), "comments": len(comments), "reports": reports}
    )


def _reports(world: _World, comments: list[Comment], ideas: list[Idea]) -> int:
    """Two open reports for the moderators (admin): one on a comment, one on an idea. Chosen without the random
    generator, so the rest of the demo data stays as it was."""
    made = []
    for comment, reason in zip(comments[:1], REPORT_REASONS[:1], strict=False):
        reporter = next((m for m in world.audience(comment.idea) if m not in (comment.author_id,)), None)
        if reporter:
            made.append(Report(reporter_id=reporter, comment=comment, reason=reason))
    shared = [i for i in ideas if i.visibility == Visibility.PARTNERS and not i.is_hidden]
    for idea, reason in zip(shared[:1], REPORT_REASONS[1:], strict=False):
        reporter = next((m for m in world.audience(idea) if m != idea.author_id), None)
        if reporter:
            made.append(Report(reporter_id=reporter, idea=idea, reason=reason))
    Report.objects.bulk_create(made)
    return len(made)
