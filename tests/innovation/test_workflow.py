"""The review workflow: every allowed and refused transition, and what each decision does."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from innovation import workflow
from innovation.dates import working_days_after
from innovation.models import TRANSITIONS, BenefitMeasure, Decision, Idea, IdeaEvent, IdeaStatus, ServiceArea
from odp.models import AuditEvent
from tests.innovation.factories import IdeaFactory

ALL = list(IdeaStatus.values)
PAIRS = list(itertools.product(ALL, ALL))


@pytest.fixture
def other_idea(dwp_staff):
    return IdeaFactory(author=dwp_staff, status=IdeaStatus.UNDER_REVIEW)


def _idea_in(status: str, author, reviewer) -> Idea:
    merged_into = IdeaFactory(author=author) if status == IdeaStatus.MERGED else None
    idea = IdeaFactory(author=author, status=status, service_area=ServiceArea.PASSPORTS, merged_into=merged_into)
    if status == IdeaStatus.IMPLEMENTED:
        BenefitMeasure.objects.create(
            idea=idea, measure="Calls a week", baseline_value=900, realised_value=450, baseline_recorded_by=reviewer
        )
    return idea


def _move(idea: Idea, to: str, *, author, reviewer, dwp, other_idea) -> None:
    if to == IdeaStatus.DRAFT:
        with transaction.atomic():
            workflow.transition(idea, to, by=reviewer)
    elif to == IdeaStatus.SUBMITTED:
        workflow.idea_submit(idea=idea, by=author)
    elif to in IdeaStatus.decisions():
        workflow.idea_decide(
            idea=idea,
            by=reviewer,
            outcome=to,
            feedback="Thank you: here is what we decided and why.",
            reason="Already covered by the digital programme",
            route_to=dwp,
            merge_into=other_idea,
        )
    else:
        workflow.idea_move(idea=idea, by=reviewer, to=to, note="Moving on")


@pytest.mark.parametrize(("start", "to"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_transition_is_allowed_or_refused_as_the_workflow_says(
    start, to, staff_member, head_of_profession, dwp, other_idea
):
    idea = _idea_in(start, staff_member, head_of_profession)
    events_before = IdeaEvent.objects.filter(idea=idea).count()
    move = {"author": staff_member, "reviewer": head_of_profession, "dwp": dwp, "other_idea": other_idea}
    if to in TRANSITIONS[start]:
        _move(idea, to, **move)
        idea.refresh_from_db()
        assert idea.status == to
        event = IdeaEvent.objects.filter(idea=idea).last()
        assert (event.from_status, event.to_status) == (start, to)
        audit_event = AuditEvent.objects.filter(action="transition", object_id=str(idea.pk)).first()
        assert audit_event.changes == {"status": [start, to]}
    else:
        with pytest.raises(ValidationError, match=r"cannot be moved to|Use the decision form"):
            _move(idea, to, **move)
        idea.refresh_from_db()
        assert idea.status == start
        assert IdeaEvent.objects.filter(idea=idea).count() == events_before
        assert not AuditEvent.objects.filter(action="transition", object_id=str(idea.pk)).exists()


def test_a_refusal_names_the_next_allowed_states(staff_member, head_of_profession):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.SUBMITTED)
    with pytest.raises(ValidationError) as refused:
        workflow.idea_move(idea=idea, by=head_of_profession, to=IdeaStatus.IMPLEMENTED)
    assert refused.value.messages == [
        "An idea that is submitted cannot be moved to implemented. It can next be: under review."
    ]


def test_submission_gives_a_reference_and_a_response_date(staff_member, head_of_profession):
    first = IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT, service_area=ServiceArea.PASSPORTS)
    second = IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT, service_area=ServiceArea.PASSPORTS)
    workflow.idea_submit(idea=first, by=staff_member)
    workflow.idea_submit(idea=second, by=staff_member)
    first.refresh_from_db()
    second.refresh_from_db()
    year = timezone.localdate().year
    assert (first.reference, second.reference) == (f"IDEA-{year}-000001", f"IDEA-{year}-000002")
    assert first.decision_due_on == working_days_after(timezone.localdate(), 30)
    assert first.submitted_at is not None


def test_the_response_period_comes_from_settings(settings, staff_member):
    settings.IDEA_RESPONSE_DAYS = 5
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT, service_area=ServiceArea.PASSPORTS)
    workflow.idea_submit(idea=idea, by=staff_member)
    idea.refresh_from_db()
    assert idea.decision_due_on == working_days_after(timezone.localdate(), 5)


def test_working_days_skip_weekends():
    friday = datetime.date(2026, 11, 27)
    assert working_days_after(friday, 1) == datetime.date(2026, 11, 30)
    assert working_days_after(friday, 5) == datetime.date(2026, 12, 4)
    assert working_days_after(friday, 0) == friday


def test_an_incomplete_idea_cannot_be_submitted(staff_member):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT, problem="  ", proposed_change="")
    with pytest.raises(ValidationError) as refused:
        workflow.idea_submit(idea=idea, by=staff_member)
    assert set(refused.value.message_dict) == {"problem", "proposed_change", "service_area"}
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DRAFT and idea.reference is None


def test_only_the_author_submits(staff_member, colleague):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT, service_area=ServiceArea.PASSPORTS)
    with pytest.raises(PermissionDenied):
        workflow.idea_submit(idea=idea, by=colleague)


@pytest.mark.parametrize("who", ["dwp_hop", "staff_member", "colleague"])
def test_deciding_outside_your_organisation_is_refused(request, who, head_of_profession, staff_member):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.UNDER_REVIEW)
    with pytest.raises(PermissionDenied):
        workflow.idea_decide(idea=idea, by=request.getfixturevalue(who), outcome=IdeaStatus.ACCEPTED, feedback="Yes")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.UNDER_REVIEW
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("outcome", "extra", "field"),
    [
        (IdeaStatus.ACCEPTED, {"feedback": "   "}, "feedback"),
        (IdeaStatus.ACCEPTED, {"feedback": "x" * 5001}, "feedback"),
        (IdeaStatus.NOT_TAKEN_FORWARD, {"reason": ""}, "reason"),
        (IdeaStatus.ROUTED, {}, "route_to"),
        (IdeaStatus.MERGED, {}, "merge_into"),
        (IdeaStatus.SUBMITTED, {}, "outcome"),
    ],
)
def test_a_decision_needs_what_its_outcome_needs(outcome, extra, field, staff_member, head_of_profession):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.UNDER_REVIEW)
    kwargs = {"feedback": "Thank you", **extra}
    with pytest.raises(ValidationError) as refused:
        workflow.idea_decide(idea=idea, by=head_of_profession, outcome=outcome, **kwargs)
    assert field in refused.value.message_dict
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.UNDER_REVIEW


def test_routing_keeps_the_history_and_restarts_the_clock_in_the_receiving_organisation(
    staff_member, head_of_profession, dwp, dwp_hop
):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.UNDER_REVIEW)
    decision = workflow.idea_decide(
        idea=idea,
        by=head_of_profession,
        outcome=IdeaStatus.ROUTED,
        feedback="DWP runs this service.",
        route_to=dwp,
    )
    idea.refresh_from_db()
    assert decision.routed_to == dwp and decision.organisation == staff_member.organisation
    assert idea.organisation == dwp and idea.origin_organisation == staff_member.organisation
    assert idea.decision_due_on == working_days_after(timezone.localdate(), 30)
    assert Idea.objects.reviewable_by(dwp_hop).filter(pk=idea.pk).exists()
    assert not Idea.objects.reviewable_by(head_of_profession).filter(pk=idea.pk).exists()
    workflow.idea_move(idea=idea, by=dwp_hop, to=IdeaStatus.UNDER_REVIEW)
    workflow.idea_decide(idea=idea, by=dwp_hop, outcome=IdeaStatus.ACCEPTED, feedback="We will pilot it.")
    steps = list(IdeaEvent.objects.filter(idea=idea).values_list("to_status", flat=True))
    assert steps == ["routed", "under_review", "accepted"]
    assert "Routed from HM Passport Office to Department for Work and Pensions" in idea.events.first().note


def test_merging_requires_a_real_other_idea(staff_member, head_of_profession):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.UNDER_REVIEW)
    draft = IdeaFactory(author=staff_member, status=IdeaStatus.DRAFT)
    for target in (idea, draft):
        with pytest.raises(ValidationError):
            workflow.idea_decide(
                idea=idea, by=head_of_profession, outcome=IdeaStatus.MERGED, feedback="Dup", merge_into=target
            )


def test_benefits_realised_means_measured(staff_member, head_of_profession):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.ACCEPTED)
    benefit = workflow.benefit_baseline_record(
        idea=idea, by=head_of_profession, measure="Calls about progress a week", baseline_value=Decimal("900")
    )
    workflow.idea_move(idea=idea, by=head_of_profession, to=IdeaStatus.IN_PROGRESS)
    workflow.idea_move(idea=idea, by=head_of_profession, to=IdeaStatus.IMPLEMENTED)
    with pytest.raises(ValidationError, match="measured"):
        workflow.idea_move(idea=idea, by=head_of_profession, to=IdeaStatus.BENEFITS_REALISED)
    workflow.benefit_realised_record(benefit=benefit, by=head_of_profession, realised_value=Decimal("430"))
    workflow.idea_move(idea=idea, by=head_of_profession, to=IdeaStatus.BENEFITS_REALISED)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.BENEFITS_REALISED


def test_baselines_belong_between_acceptance_and_implementation(staff_member, head_of_profession):
    idea = IdeaFactory(author=staff_member, status=IdeaStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError):
        workflow.benefit_baseline_record(idea=idea, by=head_of_profession, measure="Calls", baseline_value=1)
