"""The published reports API: public read of frozen content only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from reporting.annual_report import services
from tests.reporting.report_support import published_report, second_admin, written_report

pytestmark = pytest.mark.django_db

URL = "/api/v1/reporting/reports/"


def test_anyone_reads_published_reports_but_not_drafts(odp_admin, dwp):
    api = APIClient()
    draft = written_report(odp_admin, year=2025)
    services.submit(odp_admin, draft)
    published = published_report(odp_admin, second_admin(dwp), year=2026)

    listing = api.get(URL)
    assert listing.status_code == 200
    assert [r["year"] for r in listing.json()["results"]] == [2026]
    assert api.get(f"{URL}2025/").status_code == 404

    detail = api.get(f"{URL}2026/").json()
    assert detail["version"] == 1
    assert detail["html"] == published.frozen_html
    assert detail["html_url"].endswith("/annual-report/2026/v1/")
    assert {t["name"] for t in detail["tables"]} >= {"figures", "kpis"}
    assert [v["version"] for v in detail["versions"]] == [1]
    assert "pdf" not in detail
