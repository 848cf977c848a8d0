"""Writes for learning interventions: the interventions themselves, cohorts and enrolments."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from odp import access, audit
from odp.models import AuditEvent, Member
from odp.tabular import ImportRejected, RowError, read_csv
from skills.models import Cohort, CostItem, Enrolment, EnrolmentStatus, Intervention, Skill

ENROLMENT_COLUMNS = ("username", "status")
ENROLMENT_OPTIONAL_COLUMNS = ("completed_on",)


def _require_admin(by: Member) -> None:
    if not access.can(by, "skills.manage_framework"):
        raise PermissionDenied("Only ODP admins can manage learning interventions.")


@transaction.atomic
def intervention_save(
    *,
    by: Member,
    name: str,
    kind: str,
    provider: str,
    description: str = "",
    target_skills: Iterable[Skill] = (),
    costs: Iterable[tuple[str, Decimal, bool, str]] = (),
    intervention: Intervention | None = None,
) -> Intervention:
    """Create or update an intervention with its target skills and cost items (category, amount,
    per participant, description). Cost items are replaced as a set."""
    _require_admin(by)
    with audit.acting_as(by.user):
        if intervention is None:
            intervention = Intervention(name=name)
        intervention.name, intervention.kind, intervention.provider = name, kind, provider
        intervention.description = description
        intervention.full_clean()
        intervention.save()
        intervention.target_skills.set(list(target_skills))
        intervention.cost_items.all().delete()
        items = [
            CostItem(intervention=intervention, category=c, amount=a, per_participant=p, description=d)
            for c, a, p, d in costs
        ]
        for item in items:
            item.full_clean()
        CostItem.objects.bulk_create(items)
    return intervention


@transaction.atomic
def cohort_create(
    *, by: Member, intervention: Intervention, name: str, starts_on: datetime.date, ends_on: datetime.date
) -> Cohort:
    _require_admin(by)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The end date must be the same as or after the start date."})
    with audit.acting_as(by.user):
        cohort = Cohort(intervention=intervention, name=name, starts_on=starts_on, ends_on=ends_on)
        cohort.full_clean()
        cohort.save()
    return cohort


def _validate_completion(status: str, completed_on: datetime.date | None, cohort: Cohort) -> str | None:
    if status == EnrolmentStatus.COMPLETED and completed_on is None:
        return "Give the completion date for a completed enrolment."
    if status != EnrolmentStatus.COMPLETED and completed_on is not None:
        return "Only completed enrolments have a completion date."
    if completed_on is not None and completed_on < cohort.starts_on:
        return "The completion date cannot be before the cohort starts."
    return None


@transaction.atomic
def enrolment_set(
    *, by: Member, cohort: Cohort, member: Member, status: str, completed_on: datetime.date | None = None
) -> Enrolment:
    _require_admin(by)
    if status not in EnrolmentStatus.values:
        raise ValidationError({"status": "Choose enrolled, completed or withdrawn."})
    problem = _validate_completion(status, completed_on, cohort)
    if problem:
        raise ValidationError({"completed_on": problem})
    with audit.acting_as(by.user):
        enrolment, _ = Enrolment.objects.update_or_create(
            cohort=cohort, member=member, defaults={"status": status, "completed_on": completed_on}
        )
    return enrolment


def _parse_date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


@transaction.atomic
def enrolments_import_csv(*, by: Member, cohort: Cohort, data: bytes) -> int:
    """Enrol members from a CSV (username, status, completed_on as YYYY-MM-DD). All or nothing: every
    problem is listed by row and column, and nothing is saved unless the whole file is good."""
    _require_admin(by)
    rows = read_csv(data, required=ENROLMENT_COLUMNS, optional=ENROLMENT_OPTIONAL_COLUMNS)
    usernames = {values["username"] for _, values in rows}
    members = {
        m.user.username: m
        for m in Member.objects.filter(user__username__in=usernames, is_active=True).select_related("user")
    }
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    plan: list[tuple[Member, str, datetime.date | None]] = []
    for number, values in rows:
        username, status, completed_raw = values["username"], values["status"].lower(), values.get("completed_on", "")
        member = members.get(username)
        if not username:
            errors.append(RowError(number, "username", "Enter a username."))
        elif member is None:
            errors.append(RowError(number, "username", f"No active member has the username '{username}'."))
        elif username in seen:
            errors.append(RowError(number, "username", f"'{username}' is already on row {seen[username]}."))
        else:
            seen[username] = number
        if status not in EnrolmentStatus.values:
            errors.append(RowError(number, "status", "Status must be enrolled, completed or withdrawn."))
        completed_on = None
        if completed_raw:
            try:
                completed_on = _parse_date(completed_raw)
            except ValueError:
                errors.append(RowError(number, "completed_on", "Dates must be written as YYYY-MM-DD, like 2026-03-31."))
        if status in EnrolmentStatus.values and (completed_on or not completed_raw):
            problem = _validate_completion(status, completed_on, cohort)
            if problem:
                errors.append(RowError(number, "completed_on", problem))
        if member is not None and not errors:
            plan.append((member, status, completed_on))
    if errors:
        raise ImportRejected(errors)
    for member, status, completed_on in plan:
        Enrolment.objects.update_or_create(
            cohort=cohort, member=member, defaults={"status": status, "completed_on": completed_on}
        )
    audit.record(
        action=AuditEvent.Action.UPDATE,
        obj=cohort,
        actor=by.user,
        note=f"Imported {len(plan)} enrolments from a CSV file",
    )
    return len(plan)
