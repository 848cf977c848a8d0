"""Objectives and KPIs pages: who may see and change them, errors by their fields, RAG shown in words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from reporting.models import MANUAL_SOURCE, Kpi, Objective

pytestmark = pytest.mark.django_db

KPI = {
    "name": "Members with a skills assessment",
    "source": "skills.coverage",
    "unit": "%",
    "baseline": "40",
    "target": "70",
    "direction": "higher",
    "manual_value": "",
    "evidence": "",
    "order": "1",
}


def client_for(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


@pytest.fixture
def objective() -> Objective:
    return Objective.objects.create(year=2026, order=1, text="Every member knows their skills")


def test_admin_adds_an_objective_and_a_kpi(odp_admin, objective):
    admin = client_for(odp_admin)
    response = admin.post("/reporting/objectives/2026/add/", {"text": "Ideas get a timely answer", "order": "2"})
    assert response.status_code == 302 and Objective.objects.filter(year=2026).count() == 2
    response = admin.post(f"/reporting/objectives/o/{objective.pk}/kpis/add/", KPI)
    assert response.status_code == 302
    kpi = Kpi.objects.get()
    assert (kpi.source, kpi.baseline, kpi.target) == ("skills.coverage", Decimal(40), Decimal(70))
    page = admin.get("/reporting/objectives/2026/").content.decode()
    assert "Members with a skills assessment" in page and "Ideas get a timely answer" in page
    # No snapshot yet: shown in words, not colour alone.
    assert 'govuk-tag govuk-tag--grey">No data</strong>' in page
    assert "not available" in page
    assert admin.get("/reporting/objectives/").url == "/reporting/objectives/2026/"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target": "40"}, "Target must be different from the baseline"),
        ({"source": "skills.made_up"}, "Select a figure from the list, or enter the value yourself"),
        ({"source": MANUAL_SOURCE, "manual_value": "55"}, "Enter the evidence for the value"),
        ({"baseline": "lots"}, "Baseline must be a number, like 72.5"),
    ],
)
def test_kpi_errors_shown_by_their_fields_and_nothing_saved(odp_admin, objective, changes, message):
    response = client_for(odp_admin).post(f"/reporting/objectives/o/{objective.pk}/kpis/add/", KPI | changes)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and page.count(message) == 2  # in the summary and by the field
    assert "<title>Error:" in page
    assert not Kpi.objects.exists()


def test_manual_value_entry_records_who_and_when(odp_admin, objective):
    kpi = Kpi.objects.create(
        objective=objective,
        name="Members who recommend the profession",
        unit="%",
        baseline=Decimal(50),
        target=Decimal(70),
        direction="higher",
        source=MANUAL_SOURCE,
    )
    admin = client_for(odp_admin)
    response = admin.post(f"/reporting/objectives/kpis/{kpi.pk}/value/", {"manual_value": "71", "evidence": ""})
    assert response.status_code == 200 and "Enter the evidence for the value" in response.content.decode()
    response = admin.post(
        f"/reporting/objectives/kpis/{kpi.pk}/value/", {"manual_value": "71", "evidence": "Members' survey, May 2026"}
    )
    assert response.status_code == 302
    kpi.refresh_from_db()
    assert (kpi.manual_value, kpi.entered_by) == (Decimal(71), odp_admin)
    page = admin.get("/reporting/objectives/2026/").content.decode()
    assert "Value recorded" in page  # the banner on the next page
    assert "Target met" in page and "71.0%" in page and "Members&#x27; survey, May 2026" in page
    assert f"by {odp_admin}" in page


def test_heads_of_profession_read_but_do_not_change(head_of_profession, staff_member, objective):
    hop = client_for(head_of_profession)
    page = hop.get("/reporting/objectives/2026/")
    assert page.status_code == 200 and "Every member knows their skills" in page.content.decode()
    assert "Add an objective" not in page.content.decode()
    assert hop.get("/reporting/objectives/2026/add/").status_code == 404
    assert hop.post(f"/reporting/objectives/o/{objective.pk}/kpis/add/", KPI).status_code == 404
    assert not Kpi.objects.exists()
    assert client_for(staff_member).get("/reporting/objectives/2026/").status_code == 404
    assert Client().get("/reporting/objectives/2026/").status_code == 302  # to sign in
