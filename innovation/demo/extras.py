"""Demo benefits, case studies, adoptions and innovation plans, written after the ideas exist."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from innovation.models import (
    Adoption,
    BenefitMeasure,
    CaseStudy,
    CaseStudyAudience,
    Commitment,
    Idea,
    IdeaStatus,
    InnovationPlan,
)

if TYPE_CHECKING:
    from innovation.demo.seed import _World

CASE_STUDIES = 6
PLAN_ORGANISATIONS = ("home-office", "dwp", "hmrc", "ministry-of-justice", "department-for-transport")
ADOPTERS = ("manchester-city-council", "kent-county-council", "dwp", "hmrc", "driver-and-vehicle-licensing-agency")
PLAN_TEXT = {
    "time": "Every team has a fortnightly 30-minute improvement huddle, and anyone can take half a day a month "
    "to work on an accepted idea.",
    "skills": "Continuous improvement foundation training for every new starter; practitioner training for one "
    "person in each team of ten.",
    "tools": "The ODP Hub ideas service, a shared improvement board, and access to the data and analysis team.",
    "support": "Each directorate has an improvement sponsor at deputy director level who reviews ideas monthly.",
}
COMMITMENTS = (
    ("Every operational team runs an improvement huddle at least fortnightly", Commitment.Progress.ON_TRACK),
    ("Decide 90% of ideas within the 30 working-day promise", Commitment.Progress.AT_RISK),
    ("Publish two case studies of implemented ideas", Commitment.Progress.DONE),
)


def seed_learning(world: _World, ideas: list[Idea]) -> dict[str, int]:
    rnd, now = world.rnd, timezone.now()
    delivered = [i for i in ideas if i.status in (IdeaStatus.IMPLEMENTED, IdeaStatus.BENEFITS_REALISED)]
    measured = [
        i for i in ideas if i.status in (IdeaStatus.IN_PROGRESS, IdeaStatus.IMPLEMENTED, IdeaStatus.BENEFITS_REALISED)
    ]
    measures = []
    for idea in measured:
        baseline = Decimal(rnd.randint(300, 1500))
        realised = None
        if idea.status == IdeaStatus.BENEFITS_REALISED:
            realised = (baseline * Decimal(rnd.uniform(0.45, 0.85))).quantize(Decimal("1"))
        measures.append(
            BenefitMeasure(
                idea=idea,
                measure="Customer contacts about this a week",
                unit="contacts",
                baseline_value=baseline,
                baseline_recorded_by_id=world.reviewer(idea.organisation_id),
                realised_value=realised,
                realised_recorded_by_id=world.reviewer(idea.organisation_id) if realised else None,
                realised_recorded_at=now if realised else None,
            )
        )
    BenefitMeasure.objects.bulk_create(measures)

    chosen: dict[str, Idea] = {}
    for idea in sorted(delivered, key=lambda i: (i.status != IdeaStatus.BENEFITS_REALISED, i.pk)):
        chosen.setdefault(idea.problem, idea)
    studies = []
    for idea in list(chosen.values())[:CASE_STUDIES]:
        studies.append(
            CaseStudy(
                idea=idea,
                slug=f"{idea.reference.lower()}",
                title=idea.title,
                summary=(idea.customer_outcome or idea.proposed_change)[:300],
                challenge=idea.problem,
                approach=idea.proposed_change,
                results="Contacts about this fell by around a third in the first three months, measured against the "
                "baseline recorded when the idea was accepted.",
                contact="improvement@example.gov.uk",
                audience=CaseStudyAudience.PUBLIC,
                status=CaseStudy.Status.PUBLISHED,
                organisation_id=idea.organisation_id,
                written_by_id=idea.author_id,
                published_at=now - datetime.timedelta(days=rnd.randint(5, 90)),
            )
        )
    CaseStudy.objects.bulk_create(studies)

    adoptions = []
    for study in studies:
        for slug in rnd.sample(ADOPTERS, 2):
            org = world.orgs.get(slug)
            if org is None or org.pk in (study.idea.organisation_id, study.idea.origin_organisation_id):
                continue
            recorder = world.members[org.pk][0] if world.members[org.pk] else None
            if recorder is None:
                continue
            adoptions.append(
                Adoption(
                    idea=study.idea,
                    organisation=org,
                    recorded_by_id=recorder,
                    adopted_on=timezone.localdate() - datetime.timedelta(days=rnd.randint(1, 60)),
                    notes="We adapted the approach for our own customers.",
                    hours_saved_per_year=rnd.randint(200, 2000),
                )
            )
    Adoption.objects.bulk_create(adoptions)

    plans, commitments = [], []
    year = timezone.localdate().year
    for slug in PLAN_ORGANISATIONS:
        org = world.orgs.get(slug)
        if org is None:
            continue
        plan = InnovationPlan(organisation=org, year=year, updated_by_id=world.reviewer(org.pk), **PLAN_TEXT)
        plans.append(plan)
    InnovationPlan.objects.bulk_create(plans)
    for plan in plans:
        for description, progress in COMMITMENTS:
            commitments.append(
                Commitment(plan=plan, description=description, progress=progress, due_on=datetime.date(year, 12, 31))
            )
    Commitment.objects.bulk_create(commitments)
    return {
        "benefit measures": len(measures),
        "case studies": len(studies),
        "adoptions": len(adoptions),
        "innovation plans": len(plans),
    }
