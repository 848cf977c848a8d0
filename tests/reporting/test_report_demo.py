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
