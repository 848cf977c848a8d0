"""Interventions, cohorts and enrolments, including the all-or-nothing enrolment upload."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from odp.models import AuditEvent
from odp.tabular import ImportRejected
from skills import interventions
from skills.models import Enrolment, EnrolmentStatus, Intervention
from tests.factories import MemberFactory


@pytest.fixture
def course(odp_admin) -> Intervention:
    return interventions.intervention_save(
        by=odp_admin,
        name="Using AI tools safely",
        kind="course",
        provider="Government Digital and Data profession",
        costs=[
            ("delivery", Decimal("12000.00"), False, "Supplier fee"),
            ("participant_time", Decimal("180"), True, ""),
        ],
    )


@pytest.fixture
def cohort(course, odp_admin):
    return interventions.cohort_create(
        by=odp_admin,
        intervention=course,
        name="Spring 2026",
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 5, 29),
    )


@pytest.fixture
def learners(passport_office):
    return [MemberFactory(organisation=passport_office, user__username=f"learner{i}") for i in range(3)]


def test_only_admins_manage_interventions(staff_member):
    with pytest.raises(PermissionDenied):
        interventions.intervention_save(by=staff_member, name="X", kind="course", provider="Y")


def test_intervention_with_costs_is_saved_and_audited(course):
    assert course.cost_items.count() == 2
    assert AuditEvent.objects.filter(
        object_type="skills.intervention", action="create", object_id=str(course.pk)
    ).exists()


def test_a_cohort_cannot_end_before_it_starts(course, odp_admin):
    with pytest.raises(ValidationError) as excinfo:
        interventions.cohort_create(
            by=odp_admin,
            intervention=course,
            name="Bad",
            starts_on=datetime.date(2026, 5, 1),
            ends_on=datetime.date(2026, 4, 1),
        )
    assert "ends_on" in excinfo.value.message_dict


def test_a_completed_enrolment_needs_its_date(cohort, odp_admin, learners):
    with pytest.raises(ValidationError):
        interventions.enrolment_set(by=odp_admin, cohort=cohort, member=learners[0], status=EnrolmentStatus.COMPLETED)
    enrolment = interventions.enrolment_set(
        by=odp_admin, cohort=cohort, member=learners[0], status="completed", completed_on=datetime.date(2026, 5, 29)
    )
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_enrolment_upload_saves_every_row(cohort, odp_admin, learners):
    data = (
        b"username,status,completed_on\r\n"
        b"learner0,enrolled,\r\nlearner1,completed,2026-05-29\r\nlearner2,withdrawn,\r\n"
    )
    assert interventions.enrolments_import_csv(by=odp_admin, cohort=cohort, data=data) == 3
    assert dict(Enrolment.objects.values_list("member__user__username", "status")) == {
        "learner0": "enrolled",
        "learner1": "completed",
        "learner2": "withdrawn",
    }


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", [(None, None, "The file is empty.")]),
        ("username,status\r\nlearner0,enrolled\r\n".encode("utf-16"), [(None, None, "UTF-8")]),
        (b"username\r\nlearner0\r\n", [(1, "status", "missing")]),
        (b"username,status,shoe_size\r\nlearner0,enrolled,9\r\n", [(1, "shoe_size", "not a column")]),
        (b"username,status\r\n", [(None, None, "no data rows")]),
        (b"username,status\r\nnobody,enrolled\r\n", [(2, "username", "No active member")]),
        (b"username,status\r\nlearner0,enrolled\r\nlearner0,withdrawn\r\n", [(3, "username", "already on row 2")]),
        (b"username,status\r\nlearner0,graduated\r\n", [(2, "status", "Status must be")]),
        (b"username,status,completed_on\r\nlearner0,completed,29/05/2026\r\n", [(2, "completed_on", "YYYY-MM-DD")]),
        (b"username,status,completed_on\r\nlearner0,completed,\r\n", [(2, "completed_on", "Give the completion date")]),
        (
            b"username,status,completed_on\r\nlearner0,completed,2025-01-01\r\n",
            [(2, "completed_on", "before the cohort")],
        ),
        (b'username,status\r\n"=HYPERLINK(""http://x"")",enrolled\r\n', [(2, "username", "formulas")]),
        (b"username,status\r\nlearner0,enrolled,extra\r\n", [(2, None, "cells but the header has")]),
        (
            b"username,status\r\nlearner0,enrolled\r\nghost,enrolled\r\nlearner1,retired\r\n",
            [(3, "username", "No active member"), (4, "status", "Status must be")],
        ),
    ],
)
def test_a_bad_enrolment_file_is_rejected_whole_with_every_error(cohort, odp_admin, learners, data, expected):
    with pytest.raises(ImportRejected) as excinfo:
        interventions.enrolments_import_csv(by=odp_admin, cohort=cohort, data=data)
    found = [(e.row, e.column, e.message) for e in excinfo.value.errors]
    assert len(found) == len(expected), found
    for (row, column, message), (exp_row, exp_column, exp_text) in zip(found, expected, strict=True):
        assert (row, column) == (exp_row, exp_column)
        assert exp_text in message
    assert not Enrolment.objects.exists()
