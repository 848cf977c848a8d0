"""The demo year's draft report: every section written with figure tokens that all resolve, ready to submit."""

from __future__ import annotations

import pytest

from reporting.annual_report import demo
from reporting.annual_report.checklist import check
from reporting.models import AnnualReport, VersionStatus

pytestmark = pytest.mark.django_db


def test_the_demo_report_is_a_complete_draft_that_passes_the_checklist(odp_admin):
    assert demo.seed() == {"annual reports": 1}
    version = AnnualReport.objects.get(year=demo.DEMO_YEAR).versions.get()
    assert version.status == VersionStatus.DRAFT and version.author == odp_admin
    assert all(section.body.strip() for section in version.sections.all())
    assert all("{{ figure:" in section.body for section in version.sections.exclude(kind="membership"))
    result = check(version)
    assert result.errors == [], result.errors
    assert demo.seed() == {}  # idempotent
    assert AnnualReport.objects.count() == 1


def test_the_demo_report_quotes_the_demo_years_kpis_that_have_values(odp_admin):
    from reporting import objectives_demo
    from reporting.kpis import kpi_progress
    from reporting.models import Kpi

    objectives_demo.seed()
    demo.seed()
    version = AnnualReport.objects.get(year=demo.DEMO_YEAR).versions.get()
    body = version.sections.get(kind="objectives").body
    valued = [k for k in Kpi.objects.filter(objective__year=demo.DEMO_YEAR) if kpi_progress(k).number is not None]
    assert valued
    assert all(f"{{{{ kpi:{k.pk} }}}}" in body for k in valued)
    assert check(version).errors == []
