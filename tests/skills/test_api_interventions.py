"""The interventions API: admins write interventions, cohorts and enrolments (one by one or by CSV, all or
nothing); everyone reads the catalogue; enrolments are scoped like assessments."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from skills.models import Cohort, Enrolment, Intervention
from tests.factories import MemberFactory
from tests.skills.factories import published_version

BASE = "/api/v1/skills"


def client_for(member) -> APIClient:
    api = APIClient()
    api.force_authenticate(member.user)
    return api


@pytest.fixture
def skill(db):
    return published_version(n_skills=1).skills.get()


@pytest.fixture
def cohort(skill) -> Cohort:
    course = Intervention.objects.create(name="AI foundations", kind="course", provider="Government Digital")
    course.target_skills.add(skill)
    return Cohort.objects.create(
        intervention=course, name="Spring", starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2026, 3, 27)
    )


def test_an_admin_creates_and_replaces_an_intervention_with_costs(skill, odp_admin, staff_member):
    api = client_for(odp_admin)
    body = {
        "name": "Casework apprenticeship",
        "kind": "apprenticeship",
        "provider": "Open University",
        "target_skills": [skill.pk],
        "cost_items": [
            {"category": "delivery", "amount": "12000.00"},
            {"category": "participant_time", "amount": "850.50", "per_participant": True, "description": "Days"},
        ],
    }

    created = api.post(f"{BASE}/interventions/", body, format="json")
    pk = created.json()["id"]
    replaced = api.put(f"{BASE}/interventions/{pk}/", {**body, "cost_items": [], "target_skills": []}, format="json")
    read = client_for(staff_member).get(f"{BASE}/interventions/{pk}/")

    assert created.status_code == 201, created.content
    assert created.json()["cost_items"] == [
        {"category": "delivery", "description": "", "amount": "12000.00", "per_participant": False},
        {"category": "participant_time", "description": "Days", "amount": "850.50", "per_participant": True},
    ]
    assert created.json()["target_skills"] == [skill.pk]
    assert replaced.status_code == 200
    assert (replaced.json()["cost_items"], replaced.json()["target_skills"]) == ([], [])
    assert read.status_code == 200
    assert Intervention.objects.get(pk=pk).cost_items.count() == 0


def test_intervention_errors_are_field_errors(cohort, odp_admin):
    body = {
        "name": "AI foundations",
        "kind": "webinar",
        "provider": "x",
        "cost_items": [{"category": "delivery", "amount": "-1"}],
    }

    response = client_for(odp_admin).post(f"{BASE}/interventions/", body, format="json")
    duplicate = client_for(odp_admin).post(
        f"{BASE}/interventions/", {"name": "AI foundations", "kind": "course", "provider": "x"}, format="json"
    )

    assert response.status_code == 400
    assert sorted(e["field"] for e in response.json()["errors"]) == ["cost_items.0.amount", "kind"]
    assert duplicate.status_code == 400
    assert duplicate.json()["errors"][0]["field"] == "name"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "interventions/", {"name": "x", "kind": "course", "provider": "x"}),
        ("put", "interventions/{intervention}/", {"name": "x", "kind": "course", "provider": "x"}),
        ("post", "cohorts/", {"name": "x", "starts_on": "2026-01-01", "ends_on": "2026-02-01"}),
        ("post", "cohorts/{cohort}/upload-enrolments/", {}),
        ("post", "enrolments/", {"status": "enrolled"}),
    ],
)
def test_only_admins_write(cohort, staff_member, head_of_profession, method, path, body):
    url = f"{BASE}/{path.format(intervention=cohort.intervention_id, cohort=cohort.pk)}"
    for member in (staff_member, head_of_profession):
        response = getattr(client_for(member), method)(url, body, format="json")
        assert response.status_code == 403, response.content
    assert Intervention.objects.get().name == "AI foundations"


def test_cohorts_are_created_through_the_service(cohort, odp_admin):
    api = client_for(odp_admin)
    body = {"intervention": cohort.intervention_id, "name": "Autumn", "starts_on": "2026-09-01"}

    created = api.post(f"{BASE}/cohorts/", {**body, "ends_on": "2026-11-30"}, format="json")
    backwards = api.post(f"{BASE}/cohorts/", {**body, "name": "Later", "ends_on": "2026-08-01"}, format="json")
    listed = api.get(f"{BASE}/cohorts/", {"intervention": cohort.intervention_id}).json()

    assert created.status_code == 201
    assert backwards.status_code == 400
    assert backwards.json()["errors"][0]["field"] == "ends_on"
    assert [c["name"] for c in listed["results"]] == ["Spring", "Autumn"]


def test_enrolments_are_set_by_admins_and_seen_in_scope(cohort, odp_admin, staff_member, passport_office, dwp):
    manager = MemberFactory(organisation=passport_office)
    staff_member.line_manager = manager
    staff_member.save()
    outsider = MemberFactory(organisation=dwp)
    api = client_for(odp_admin)

    enrolled = api.post(
        f"{BASE}/enrolments/", {"cohort": cohort.pk, "member": staff_member.pk, "status": "enrolled"}, format="json"
    )
    completed = api.post(
        f"{BASE}/enrolments/",
        {"cohort": cohort.pk, "member": staff_member.pk, "status": "completed", "completed_on": "2026-03-27"},
        format="json",
    )
    no_date = api.post(
        f"{BASE}/enrolments/", {"cohort": cohort.pk, "member": outsider.pk, "status": "completed"}, format="json"
    )

    assert enrolled.status_code == completed.status_code == 201
    assert Enrolment.objects.get().status == "completed"
    assert no_date.status_code == 400
    assert no_date.json()["errors"][0]["field"] == "completed_on"
    enrolment_id = enrolled.json()["id"]
    for member, sees in [(staff_member, True), (manager, True), (outsider, False), (odp_admin, True)]:
        listed = client_for(member).get(f"{BASE}/enrolments/", {"cohort": cohort.pk}).json()
        detail = client_for(member).get(f"{BASE}/enrolments/{enrolment_id}/")
        assert (listed["count"], detail.status_code) == ((1, 200) if sees else (0, 404))


def test_enrolment_csv_upload_is_all_or_nothing(cohort, odp_admin, staff_member):
    MemberFactory(user__username="casey")
    api = client_for(odp_admin)
    url = f"{BASE}/cohorts/{cohort.pk}/upload-enrolments/"
    bad = (
        b"username,status,completed_on\n"
        b"staff,enrolled,\n"
        b"nobody,enrolled,\n"
        b"casey,finished,\n"
        b"casey,completed,31/03/2026\n"
    )
    good = b"username,status,completed_on\nstaff,enrolled,\ncasey,completed,2026-03-27\n"

    rejected = api.post(url, {"file": SimpleUploadedFile("e.csv", bad)}, format="multipart")
    accepted = api.post(url, {"file": SimpleUploadedFile("e.csv", good)}, format="multipart")

    assert rejected.status_code == 400
    errors = rejected.json()["errors"]
    assert [(e["field"], e["row"], e["column"], e["code"]) for e in errors] == [
        ("file", 3, "username", "invalid_row"),
        ("file", 4, "status", "invalid_row"),
        ("file", 5, "username", "invalid_row"),
        ("file", 5, "completed_on", "invalid_row"),
    ]
    assert accepted.status_code == 200
    assert accepted.json() == {"imported": 2}
    assert sorted(Enrolment.objects.values_list("member__user__username", "status")) == [
        ("casey", "completed"),
        ("staff", "enrolled"),
    ]


def test_costs_are_decimal_pounds(cohort, odp_admin):
    body = {
        "name": "Coaching",
        "kind": "coaching",
        "provider": "x",
        "cost_items": [{"category": "travel", "amount": 5}],
    }

    client_for(odp_admin).post(f"{BASE}/interventions/", body, format="json")

    assert Intervention.objects.get(name="Coaching").cost_items.get().amount == Decimal("5.00")
