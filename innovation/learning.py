"""Learning from each other: case studies of implemented ideas, adoption elsewhere, innovation plans."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from innovation.models import Adoption, CaseStudy, Commitment, Idea, IdeaStatus, InnovationPlan
from innovation.permissions import can_lead, require_visible
from odp import audit
from odp.models import Member, Organisation

DELIVERED = (IdeaStatus.IMPLEMENTED, IdeaStatus.BENEFITS_REALISED)
CASE_STUDY_FIELDS = ("title", "summary", "challenge", "approach", "results", "contact", "audience")
PLAN_FIELDS = ("time", "skills", "tools", "support")


def _strip(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


@transaction.atomic
def case_study_save(
    *, by: Member, idea: Idea, answers: dict[str, Any], case_study: CaseStudy | None = None
) -> CaseStudy:
    """Write up an implemented idea. Its author or a head of profession for its organisation may."""
    if idea.author_id != by.pk and not can_lead(by, idea.organisation):
        raise PermissionDenied("Only the author or a head of profession can write this case study.")
    if idea.status not in DELIVERED:
        raise ValidationError("Only implemented ideas can become case studies.")
    unknown = set(answers) - set(CASE_STUDY_FIELDS)
    if unknown:
        raise ValueError(f"Not case study answers: {sorted(unknown)}")
    if case_study is None:
        if CaseStudy.objects.filter(idea=idea).exists():
            raise ValidationError("This idea already has a case study.")
        case_study = CaseStudy(idea=idea, organisation=idea.organisation, written_by=by)
    for name, value in _strip(answers).items():
        setattr(case_study, name, value)
    if not case_study.slug:
        case_study.slug = f"{slugify(case_study.title)[:100]}-{idea.pk}"
    case_study.full_clean()
    with audit.acting_as(by.user):
        case_study.save()
    return case_study


@transaction.atomic
def case_study_publish(*, by: Member, case_study: CaseStudy) -> CaseStudy:
    """A head of profession for the organisation publishes it to its chosen audience."""
    if not can_lead(by, case_study.organisation):
        raise PermissionDenied("Only a head of profession for this organisation can publish its case studies.")
    case_study.status = CaseStudy.Status.PUBLISHED
    case_study.published_at = case_study.published_at or timezone.now()
    with audit.acting_as(by.user):
        case_study.save(update_fields=["status", "published_at"])
    return case_study


@transaction.atomic
def adoption_record(
    *,
    by: Member,
    idea: Idea,
    adopted_on: datetime.date,
    notes: str = "",
    hours_saved_per_year: int | None = None,
    cost_saved_per_year: Decimal | None = None,
) -> Adoption:
    """'We adopted this': the member's organisation took up another organisation's implemented idea."""
    require_visible(by, idea)
    if idea.status not in DELIVERED:
        raise ValidationError("Only implemented ideas can be adopted.")
    if by.organisation_id in (idea.organisation_id, idea.origin_organisation_id):
        raise ValidationError("Adoption is recorded by other organisations than the one that implemented it.")
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": "The date adopted must be today or in the past"})
    adoption = Adoption(
        idea=idea,
        organisation_id=by.organisation_id,
        recorded_by=by,
        adopted_on=adopted_on,
        notes=(notes or "").strip(),
        hours_saved_per_year=hours_saved_per_year,
        cost_saved_per_year=cost_saved_per_year,
    )
    adoption.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic(), audit.acting_as(by.user):
            adoption.save()
    except IntegrityError:
        raise ValidationError("Your organisation has already recorded adopting this idea.") from None
    return adoption


@transaction.atomic
def plan_save(*, by: Member, organisation: Organisation, year: int, answers: dict[str, str]) -> InnovationPlan:
    """A head of profession records how their organisation's staff get time, skills, tools and support."""
    if not can_lead(by, organisation):
        raise PermissionDenied("Only a head of profession for this organisation can change its plan.")
    unknown = set(answers) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"Not plan answers: {sorted(unknown)}")
    plan = InnovationPlan.objects.select_for_update().filter(organisation=organisation, year=year).first()
    plan = plan or InnovationPlan(organisation=organisation, year=year)
    for name, value in _strip(answers).items():
        setattr(plan, name, value)
    plan.updated_by = by
    plan.full_clean(validate_unique=False, validate_constraints=False)
    with audit.acting_as(by.user):
        plan.save()
    return plan


@transaction.atomic
def commitment_save(
    *,
    by: Member,
    plan: InnovationPlan,
    description: str,
    progress: str = Commitment.Progress.NOT_STARTED,
    progress_note: str = "",
    due_on: datetime.date | None = None,
    commitment: Commitment | None = None,
) -> Commitment:
    if not can_lead(by, plan.organisation):
        raise PermissionDenied("Only a head of profession for this organisation can change its plan.")
    if commitment is not None and commitment.plan_id != plan.pk:
        raise ValueError("That commitment belongs to another plan.")
    commitment = commitment or Commitment(plan=plan)
    commitment.description = (description or "").strip()
    commitment.progress = progress
    commitment.progress_note = (progress_note or "").strip()
    commitment.due_on = due_on
    commitment.full_clean()
    with audit.acting_as(by.user):
        commitment.save()
    return commitment
