"""Objectives and KPIs API: admins write, heads of profession and admins read, progress computed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from reporting.models import MANUAL_SOURCE, Kpi, Objective

pytestmark = pytest.mark.django_db
OBJECTIVES, KPIS = "/api/v1/reporting/objectives/", "/api/v1/reporting/kpis/"


def api_for(member) -> APIClient:
    api = APIClient()
    api.force_authenticate(member.user)
    return api


def test_admin_creates_objective_and_kpis_and_reads_progress(odp_admin):
    api = api_for(odp_admin)
    created = api.post(OBJECTIVES, {"year": 2026, "text": "Ideas get a timely answer", "order": 1}, format="json")
    assert created.status_code == 201
    objective_id = created.json()["id"]
    kpi = {
        "objective": objective_id,
        "name": "Staff who recommend raising ideas",
        "unit": "%",
        "baseline": "40",
        "target": "60",
        "direction": "higher",
        "source": MANUAL_SOURCE,
        "manual_value": "55",
        "evidence": "People survey 2026, question 14",
    }
    response = api.post(KPIS, kpi, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["entered_by"] == odp_admin.user.username and body["entered_at"]
    assert body["progress"] == {
        "value": "55.00",
        "display": "55.0%",
        "as_at": None,
        "suppressed": False,
        "percent_to_target": "75.0",
        "rag": "amber",
        "rag_label": "At least half way",
    }
    figure_kpi = {
        **kpi,
        "name": "Median days to decision",
        "unit": "days",
        "baseline": "30",
        "target": "20",
        "direction": "lower",
        "source": "ideas.median_days_to_decision",
        "manual_value": None,
        "evidence": "",
    }
    assert api.post(KPIS, figure_kpi, format="json").json()["progress"]["rag"] == "grey"
    listed = api.get(KPIS, {"year": 2026}).json()
    assert listed["count"] == 2
    assert api.get(KPIS, {"year": 2025}).json()["count"] == 0
    assert api.get(OBJECTIVES, {"year": 2026}).json()["results"][0]["kpis"] == sorted(
        Kpi.objects.values_list("pk", flat=True)
    )


def test_rule_breaches_are_field_errors_and_nothing_is_saved(odp_admin):
    objective = Objective.objects.create(year=2026, text="Build capability")
    kpi = {
        "objective": objective.pk,
        "name": "Coverage",
        "unit": "%",
        "baseline": "50",
        "target": "50",
        "direction": "higher",
        "source": "skills.nothing",
    }
    response = api_for(odp_admin).post(KPIS, kpi, format="json")
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"target", "source"} <= fields
    assert not Kpi.objects.exists()


def test_heads_of_profession_read_only_and_staff_not_at_all(head_of_profession, staff_member):
    objective = Objective.objects.create(year=2026, text="Build capability")
    Kpi.objects.create(
        objective=objective,
        name="Coverage",
        unit="%",
        baseline=Decimal(40),
        target=Decimal(70),
        direction="higher",
        source="skills.coverage",
    )
    hop = api_for(head_of_profession)
    assert hop.get(KPIS).json()["results"][0]["progress"]["display"] == "not available"
    assert hop.post(OBJECTIVES, {"year": 2026, "text": "Mine"}, format="json").status_code == 403
    assert hop.delete(f"{OBJECTIVES}{objective.pk}/").status_code == 403
    assert Objective.objects.count() == 1
    assert api_for(staff_member).get(KPIS).status_code == 403
    assert APIClient().get(OBJECTIVES).status_code in (401, 403)


def test_admin_updates_and_deletes(odp_admin):
    api = api_for(odp_admin)
    objective = Objective.objects.create(year=2026, text="Build capability")
    response = api.put(
        f"{OBJECTIVES}{objective.pk}/", {"year": 2026, "text": "Build digital capability"}, format="json"
    )
    assert response.status_code == 200 and response.json()["text"] == "Build digital capability"
    assert api.delete(f"{OBJECTIVES}{objective.pk}/").status_code == 204
    assert not Objective.objects.exists()
