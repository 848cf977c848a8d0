"""Deployment tracking and close-out: the figures, the recharge at the configured rate, extensions, the moves
deploying → active → closing → closed and what each needs, recommendations tracked to done, appraisals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from odp.models import AuditEvent
from srrt import operations, services
from srrt.models import (
    Appraisal,
    AppraisalSide,
    Deployment,
    Extension,
    ObjectivesMet,
    Recommendation,
    SurgeStatus,
)
from tests.srrt.factories import SurgeRequestFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def approved(requester, coordinator, responder):
    request = SurgeRequestFactory(requester=requester, status=SurgeStatus.APPROVED, agreement="srrt")
    services.assignment_create(
        by=coordinator,
        request=request,
        responder=responder,
        role="Caseworker",
        start_date=request.start_date,
        end_date=request.end_date,
    )
    return request


def start(request, coordinator):
    return operations.deployment_start(request=request, by=coordinator, actual_start_date=request.start_date)


def test_start_tracks_at_the_configured_rate_and_moves_to_deploying(approved, coordinator, settings):
    settings.SRRT_DAILY_RATE_POUNDS = 410
    deployment = start(approved, coordinator)
    approved.refresh_from_db()
    assert approved.status == SurgeStatus.DEPLOYING
    assert deployment.daily_rate == Decimal("410")
    assert deployment.planned_end_date == approved.end_date
    assert AuditEvent.objects.filter(object_type="srrt.deployment", object_id=str(deployment.pk)).exists()


def test_start_needs_an_assignment(requester, coordinator):
    request = SurgeRequestFactory(requester=requester, status=SurgeStatus.APPROVED, agreement="srrt")
    with pytest.raises(ValidationError, match="Assign at least one responder"):
        start(request, coordinator)
    request.refresh_from_db()
    assert request.status == SurgeStatus.APPROVED
    assert not Deployment.objects.exists()


def test_only_coordinators_track(approved, requester):
    with pytest.raises(PermissionDenied):
        start(approved, requester)


def test_record_figures_recharges_responder_days_at_the_rate_kept(approved, coordinator, settings):
    settings.SRRT_DAILY_RATE_POUNDS = 300
    start(approved, coordinator)
    settings.SRRT_DAILY_RATE_POUNDS = 999  # a later change of rate does not rewrite this deployment's recharge
    deployment = operations.deployment_record(
        request=approved,
        by=coordinator,
        actual_start_date=approved.start_date,
        actual_end_date=approved.start_date + datetime.timedelta(days=9),
        responder_days=37,
        hours=Decimal("277.5"),
    )
    assert deployment.cost == Decimal("11100.00")
    deployment.refresh_from_db()
    assert (deployment.responder_days, deployment.hours) == (37, Decimal("277.5"))


def test_record_refuses_end_before_start_and_negative_figures(approved, coordinator):
    start(approved, coordinator)
    with pytest.raises(ValidationError) as caught:
        operations.deployment_record(
            request=approved,
            by=coordinator,
            actual_start_date=approved.start_date,
            actual_end_date=approved.start_date - datetime.timedelta(days=1),
            responder_days=-1,
            hours=None,
        )
    assert set(caught.value.message_dict) == {"actual_end_date", "responder_days", "hours"}
    assert Deployment.objects.get().responder_days == 0


def test_assigned_days_is_the_start_figure(approved):
    assert operations.assigned_days(approved) == approved.expected_duration_days
    assert operations.assigned_days(approved, until=approved.start_date + datetime.timedelta(days=2)) == 3


def test_extension_moves_the_agreed_end_with_a_reason(approved, coordinator):
    deployment = start(approved, coordinator)
    old_end = deployment.planned_end_date
    with pytest.raises(ValidationError) as caught:
        operations.deployment_extend(request=approved, by=coordinator, new_end_date=old_end, reason="More")
    assert "new_end_date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        operations.deployment_extend(
            request=approved, by=coordinator, new_end_date=old_end + datetime.timedelta(days=7), reason=" "
        )
    assert "reason" in caught.value.message_dict
    extension = operations.deployment_extend(
        request=approved, by=coordinator, new_end_date=old_end + datetime.timedelta(days=7), reason="Backlog remains"
    )
    assert extension.days == 7 and extension.previous_end_date == old_end
    deployment.refresh_from_db()
    assert deployment.planned_end_date == old_end + datetime.timedelta(days=7)
    assert Extension.objects.count() == 1


def _to_closing(request, coordinator):
    start(request, coordinator)
    operations.deployment_move(request=request, by=coordinator, to=SurgeStatus.ACTIVE)
    operations.deployment_record(
        request=request,
        by=coordinator,
        actual_start_date=request.start_date,
        actual_end_date=request.end_date,
        responder_days=14,
        hours=Decimal("105"),
    )
    operations.deployment_move(request=request, by=coordinator, to=SurgeStatus.CLOSING)
    request.refresh_from_db()


def test_closing_needs_the_end_date(approved, coordinator):
    start(approved, coordinator)
    operations.deployment_move(request=approved, by=coordinator, to=SurgeStatus.ACTIVE)
    with pytest.raises(ValidationError) as caught:
        operations.deployment_move(request=approved, by=coordinator, to=SurgeStatus.CLOSING)
    assert "actual_end_date" in caught.value.message_dict
    approved.refresh_from_db()
    assert approved.status == SurgeStatus.ACTIVE


def test_full_close_out_then_closed(approved, coordinator, requester):
    _to_closing(approved, coordinator)
    assert approved.status == SurgeStatus.CLOSING
    with pytest.raises(ValidationError, match="Record the outcomes and your appraisal"):
        operations.deployment_move(request=approved, by=coordinator, to=SurgeStatus.CLOSED)
    operations.close_out_save(
        request=approved,
        by=coordinator,
        volumes_cleared=52000,
        objectives_met=ObjectivesMet.PARTLY,
        outcomes="Backlog down to normal levels in Durham; Peterborough still behind.",
        lessons="Start the second site a week earlier.",
    )
    recommendation = operations.recommendation_add(
        request=approved,
        by=coordinator,
        text="Cross-train 20 examiners as reserve capacity",
        owner="Head of Operations Planning",
        due_on=D(2030, 3, 31),
    )
    with pytest.raises(ValidationError, match="Record your appraisal"):
        operations.deployment_move(request=approved, by=coordinator, to=SurgeStatus.CLOSED)
    operations.appraisal_give(request=approved, by=coordinator, score=3, comment="Well prepared site")
    operations.deployment_move(request=approved, by=coordinator, to=SurgeStatus.CLOSED)
    approved.refresh_from_db()
    assert approved.status == SurgeStatus.CLOSED and approved.closed_at is not None
    # The department appraises, and tracks its recommendation to done, after the request closed.
    appraisal = operations.appraisal_give(request=approved, by=requester, score=4)
    assert appraisal.side == AppraisalSide.REQUESTER
    done = operations.recommendation_done(recommendation=recommendation, by=requester, note="Trained in May")
    assert done.is_done and done.done_note == "Trained in May"
    with pytest.raises(ValidationError, match="already done"):
        operations.recommendation_done(recommendation=recommendation, by=coordinator)
    # Editing a closed request is refused and changes nothing.
    with pytest.raises(ValidationError, match="closed"):
        operations.close_out_save(
            request=approved, by=coordinator, volumes_cleared=1, objectives_met=ObjectivesMet.NO, outcomes="x"
        )
    with pytest.raises(ValidationError, match="closed"):
        operations.deployment_record(
            request=approved,
            by=coordinator,
            actual_start_date=approved.start_date,
            actual_end_date=None,
            responder_days=1,
            hours=Decimal("1"),
        )
    assert approved.close_out.volumes_cleared == 52000
    assert Deployment.objects.get().responder_days == 14


def test_appraisal_once_per_side_on_the_1_to_4_scale(approved, coordinator, requester, staff_member):
    _to_closing(approved, coordinator)
    with pytest.raises(ValidationError) as caught:
        operations.appraisal_give(request=approved, by=requester, score=5)
    assert "score" in caught.value.message_dict
    operations.appraisal_give(request=approved, by=requester, score=2, comment="Slow to start")
    with pytest.raises(ValidationError, match="already appraised"):
        operations.appraisal_give(request=approved, by=requester, score=4)
    with pytest.raises(PermissionDenied):
        operations.appraisal_give(request=approved, by=staff_member, score=4)
    assert list(Appraisal.objects.values_list("side", "score")) == [("requester", 2)]


def test_recommendations_need_text_owner_and_due_date(approved, coordinator, staff_member):
    _to_closing(approved, coordinator)
    with pytest.raises(ValidationError) as caught:
        operations.recommendation_add(request=approved, by=coordinator, text="", owner="Ops", due_on=D(2030, 1, 1))
    assert "text" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        operations.recommendation_add(request=approved, by=coordinator, text="Plan", owner="", due_on=None)
    assert "owner" in caught.value.message_dict
    recommendation = operations.recommendation_add(
        request=approved, by=coordinator, text="Plan", owner="Ops", due_on=D(2030, 1, 1)
    )
    with pytest.raises(PermissionDenied):
        operations.recommendation_done(recommendation=recommendation, by=staff_member)
    assert Recommendation.objects.get().done_on is None
