"""The review rule, the checklist, scheduled publication and corrections."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from odp.models import AuditEvent
from reporting.annual_report import services
from reporting.annual_report.checklist import check
from reporting.annual_report.rendering import render_version
from reporting.models import SECTION_ORDER, ReportVersion, VersionStatus
from tests.reporting.report_support import published_report, second_admin, written_report

pytestmark = pytest.mark.django_db


def test_a_new_report_has_every_section_in_the_fixed_order(odp_admin):
    version = services.start_report(odp_admin, year=2026)
    assert [s.kind for s in version.sections.all()] == SECTION_ORDER
    assert version.status == VersionStatus.DRAFT and version.number == 1


def test_only_admins_write_reports(staff_member, head_of_profession):
    for member in (staff_member, head_of_profession):
        with pytest.raises(PermissionDenied):
            services.start_report(member, year=2026)


def test_the_checklist_blocks_empty_sections_and_unknown_tokens(odp_admin):
    version = services.start_report(odp_admin, year=2026)
    first, *rest = version.sections.all()
    services.update_section(odp_admin, first, title=first.title, body="Our {{ figure:no.such.figure }} and {{ wat }}")
    result = check(version)
    messages = [i.message for i in result.errors]
    assert "The section has no text" in messages
    assert len([m for m in messages if m == "The section has no text"]) == len(rest)
    assert any("{{ figure:no.such.figure }}" in m for m in messages)
    assert any("{{ wat }}" in m for m in messages)
    with pytest.raises(ValidationError) as raised:
        services.submit(odp_admin, version)
    assert any("The section has no text" in m for m in raised.value.messages)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_warnings_do_not_block(odp_admin):
    version = written_report(odp_admin)
    result = check(version)
    assert result.passes
    assert any("No case studies" in w.message for w in result.warnings)
    services.submit(odp_admin, version)
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW


def test_a_chart_token_resolves_and_an_unknown_chart_is_an_error(odp_admin):
    version = written_report(odp_admin, body="{{ chart:ideas }}\n\nText {{ chart:nonsense }}")
    messages = [i.message for i in check(version).errors]
    assert any("{{ chart:nonsense }}" in m for m in messages)
    assert not any("chart:ideas" in m for m in messages)


def test_the_author_cannot_approve_their_own_version(odp_admin, dwp):
    version = written_report(odp_admin)
    services.submit(odp_admin, version)
    with pytest.raises(PermissionDenied, match="a second admin must approve"):
        services.approve(odp_admin, version)
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW and version.approved_by is None
    services.approve(second_admin(dwp), version)
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    actions = set(AuditEvent.objects.filter(object_type="reporting.reportversion").values_list("action", flat=True))
    assert {"report.submitted", "report.approved", "report.published"} <= actions


def test_a_draft_cannot_be_approved_without_review(odp_admin, dwp):
    version = written_report(odp_admin)
    with pytest.raises(ValidationError):
        services.approve(second_admin(dwp), version)


def test_scheduled_publication_waits_for_its_time_and_runs_once(odp_admin, dwp):
    version = written_report(odp_admin)
    services.submit(odp_admin, version)
    when = timezone.now() + datetime.timedelta(days=2)
    services.approve(second_admin(dwp), version, publish_at=when)
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED and not version.frozen_html
    assert services.publish_due(timezone.now()) == 0
    assert services.publish_due(when + datetime.timedelta(minutes=1)) == 1
    assert services.publish_due(when + datetime.timedelta(minutes=2)) == 0
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED and version.frozen_html


def test_a_correction_is_a_new_version_with_a_required_note(odp_admin, dwp):
    approver = second_admin(dwp)
    first = published_report(odp_admin, approver)
    with pytest.raises(ValidationError):
        services.start_correction(odp_admin, first, change_note="  ")
    second = services.start_correction(odp_admin, first, change_note="Corrected the number of ideas.")
    assert second.number == 2 and second.status == VersionStatus.DRAFT
    assert [s.body for s in second.sections.all()] == [s.body for s in first.sections.all()]
    services.submit(odp_admin, second)
    services.approve(approver, second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED and first.frozen_html
    assert second.status == VersionStatus.PUBLISHED
    assert ReportVersion.objects.filter(report=first.report).count() == 2


def test_a_published_version_cannot_be_edited(odp_admin, dwp):
    version = published_report(odp_admin, second_admin(dwp))
    section = version.sections.first()
    with pytest.raises(ValidationError):
        services.update_section(odp_admin, section, title="New", body="Changed")


def test_markdown_is_sanitised(odp_admin, dwp):
    body = "Hello <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    version = published_report(odp_admin, second_admin(dwp), body=body)
    assert "<script" not in version.frozen_html
    assert "javascript:" not in version.frozen_html
    assert "onerror" not in version.frozen_html
    assert "Hello" in version.frozen_html


def test_a_kpi_token_shows_its_value_and_a_kpi_without_a_value_blocks(odp_admin):
    from decimal import Decimal

    from reporting.models import MANUAL_SOURCE, Kpi, Objective

    objective = Objective.objects.create(year=2026, text="Grow the profession's capability")
    valued = Kpi.objects.create(
        objective=objective, name="Members trained", unit="people", baseline=Decimal(100), target=Decimal(500),
        source=MANUAL_SOURCE, manual_value=Decimal(420),
    )  # fmt: skip
    empty = Kpi.objects.create(
        objective=objective, name="Mentors", unit="people", baseline=Decimal(1), target=Decimal(50),
        source=MANUAL_SOURCE,
    )  # fmt: skip
    other_year = Kpi.objects.create(
        objective=Objective.objects.create(year=2025, text="Old"), name="Old", unit="count",
        baseline=Decimal(1), target=Decimal(2), source=MANUAL_SOURCE, manual_value=Decimal(2),
    )  # fmt: skip
    version = written_report(odp_admin, body=f"Trained {{{{ kpi:{valued.pk} }}}} people.")
    assert check(version).passes
    html = render_version(version).html
    assert "420 people" in html and "target 500 people" in html

    section = version.sections.first()
    services.update_section(
        odp_admin, section, title=section.title, body=f"{{{{ kpi:{empty.pk} }}}} and {{{{ kpi:{other_year.pk} }}}}"
    )
    messages = [i.message for i in check(version).errors]
    assert "KPI “Mentors” has no value" in messages
    assert any(f"kpi:{other_year.pk}" in m for m in messages)
