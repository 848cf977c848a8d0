"""KPI progress and RAG (both directions, missing and withheld data) and the KPI services' rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from odp.models import AuditEvent
from reporting import services
from reporting.figures import Figure
from reporting.kpis import kpi_progress, progress_for, rag_for
from reporting.models import MANUAL_SOURCE, Direction, Kpi, Objective
from skills.models import CapabilityMetric, MetricScope, MetricsRun, PublishedSnapshot, RunStatus

pytestmark = pytest.mark.django_db
H, L = Direction.HIGHER, Direction.LOWER


@pytest.mark.parametrize(
    ("value", "baseline", "target", "direction", "rag", "percent"),
    [
        (Decimal(80), Decimal(60), Decimal(80), H, "green", Decimal("100.0")),
        (Decimal(90), Decimal(60), Decimal(80), H, "green", Decimal("150.0")),
        (Decimal(70), Decimal(60), Decimal(80), H, "amber", Decimal("50.0")),
        (Decimal("69.9"), Decimal(60), Decimal(80), H, "red", Decimal("49.5")),
        (Decimal(50), Decimal(60), Decimal(80), H, "red", Decimal("-50.0")),
        # Lower is better: 40 days down to 20.
        (Decimal(20), Decimal(40), Decimal(20), L, "green", Decimal("100.0")),
        (Decimal(15), Decimal(40), Decimal(20), L, "green", Decimal("125.0")),
        (Decimal(30), Decimal(40), Decimal(20), L, "amber", Decimal("50.0")),
        (Decimal(35), Decimal(40), Decimal(20), L, "red", Decimal("25.0")),
        (Decimal(45), Decimal(40), Decimal(20), L, "red", Decimal("-25.0")),
        (None, Decimal(40), Decimal(20), L, "grey", None),
    ],
)
def test_rag_rule(value, baseline, target, direction, rag, percent):
    assert rag_for(value=value, baseline=baseline, target=target, direction=direction) == (rag, percent)


@pytest.fixture
def objective() -> Objective:
    return Objective.objects.create(year=2026, order=1, text="Build the profession's capability")


def kpi(objective, **fields) -> Kpi:
    defaults = {"name": "KPI", "unit": "%", "baseline": Decimal(60), "target": Decimal(80), "direction": H}
    return Kpi.objects.create(objective=objective, **(defaults | fields))


def test_figure_sourced_kpi_reads_its_years_figure(objective, home_office):
    run = MetricsRun.objects.create(snapshot_date=datetime.date(2026, 6, 30), status=RunStatus.SUCCEEDED)
    PublishedSnapshot.objects.create(snapshot_date=run.snapshot_date, run=run, published_at=timezone.now())
    common = {"run": run, "snapshot_date": run.snapshot_date, "rows_assessed": 0, "sum_level": 0, "sum_gap": 0}
    CapabilityMetric.objects.create(
        **common,
        scope=MetricScope.PROFESSION,
        members_in_scope=20,
        members_assessed=15,
        rows_in_scope=80,
        rows_meeting=60,
        sum_index=60.0,
    )
    CapabilityMetric.objects.create(
        **common,
        scope=MetricScope.ORGANISATION,
        organisation=home_office,
        members_in_scope=3,
        members_assessed=1,
        rows_in_scope=12,
        rows_meeting=1,
        sum_index=1.0,
    )
    coverage = kpi(objective, source="skills.coverage", baseline=Decimal(50), target=Decimal(90))
    progress = kpi_progress(coverage)
    assert isinstance(progress.value, Figure) and progress.value.value == Decimal("75.0")
    assert (progress.rag, progress.rag_label, progress.percent_to_target) == (
        "amber",
        "At least half way",
        Decimal("62.5"),
    )
    assert progress.display("%") == "75.0%"
    # For a small organisation the figure is withheld: grey, shown as "fewer than 5".
    scoped = kpi_progress(coverage, organisation_ids=[home_office.pk])
    assert (scoped.rag, scoped.number, scoped.display("%")) == ("grey", None, "fewer than 5")


def test_missing_data_is_grey(objective):
    no_snapshot = kpi(objective, source="skills.share_meeting_expected")
    manual_without_value = kpi(objective, source=MANUAL_SOURCE)
    results = progress_for(Kpi.objects.select_related("objective"))
    assert results[no_snapshot.pk].rag == "grey" and results[no_snapshot.pk].display("%") == "not available"
    assert results[manual_without_value.pk].rag_label == "No data"


def test_manual_kpi_lower_is_better(objective):
    days = kpi(
        objective,
        source=MANUAL_SOURCE,
        unit="days",
        baseline=Decimal(40),
        target=Decimal(20),
        direction=L,
        manual_value=Decimal(18),
        evidence="Sample of 200 decisions",
    )
    progress = kpi_progress(days)
    assert (progress.value, progress.rag, progress.display("days")) == (Decimal(18), "green", "18 days")


def test_only_admins_write(objective, head_of_profession):
    with pytest.raises(PermissionDenied):
        services.objective_save(by=head_of_profession, year=2026, text="Anything")
    assert Objective.objects.count() == 1


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"baseline": Decimal(60), "target": Decimal(60)}, "target"),
        ({"baseline": Decimal(60), "target": Decimal(50)}, "target"),
        ({"direction": L}, "target"),
        ({"source": "skills.no_such_figure"}, "source"),
        ({"source": MANUAL_SOURCE, "manual_value": Decimal(70), "evidence": "  "}, "evidence"),
    ],
)
def test_kpi_rules_give_field_errors_and_save_nothing(objective, odp_admin, answers, field):
    base = {
        "name": "Coverage",
        "unit": "%",
        "baseline": Decimal(60),
        "target": Decimal(80),
        "direction": H,
        "source": "skills.coverage",
        "manual_value": None,
        "evidence": "",
    }
    with pytest.raises(ValidationError) as raised:
        services.kpi_save(by=odp_admin, objective=objective, answers=base | answers)
    assert field in raised.value.error_dict
    assert not Kpi.objects.exists()


def test_manual_value_records_who_and_when(objective, odp_admin):
    created = services.kpi_save(
        by=odp_admin,
        objective=objective,
        answers={
            "name": "Members who would recommend the profession",
            "unit": "%",
            "baseline": Decimal(55),
            "target": Decimal(70),
            "direction": H,
            "source": MANUAL_SOURCE,
        },
    )
    assert created.entered_by is None and kpi_progress(created).rag == "grey"
    updated = services.kpi_record_value(by=odp_admin, kpi=created, value=Decimal("64"), evidence="Annual survey")
    updated.refresh_from_db()
    assert (updated.manual_value, updated.entered_by, updated.evidence) == (Decimal(64), odp_admin, "Annual survey")
    assert updated.entered_at is not None
    assert kpi_progress(updated).rag == "amber"
    assert AuditEvent.objects.filter(object_type="reporting.kpi", object_id=str(created.pk)).count() == 2
    figure_kpi = kpi(objective, source="ideas.submitted", unit="count")
    with pytest.raises(ValidationError):
        services.kpi_record_value(by=odp_admin, kpi=figure_kpi, value=Decimal(1), evidence="x")
