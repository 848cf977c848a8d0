"""Helpers for the annual report tests: a second admin, and a report with every section written."""

from __future__ import annotations

from odp.models import Member, Role
from reporting.annual_report import services
from reporting.models import ReportVersion
from tests.factories import MemberFactory, grant

BODY = "The profession raised {{ figure:ideas.submitted }} ideas this year.\n\nWe are **proud** of our people."


def second_admin(organisation) -> Member:
    member = MemberFactory(organisation=organisation, user__username="admin2", grade="G6")
    grant(member, Role.ODP_ADMIN)
    return member


def written_report(author: Member, *, year: int = 2026, body: str = BODY) -> ReportVersion:
    version = services.start_report(author, year=year)
    for section in version.sections.all():
        services.update_section(author, section, title=section.title, body=body)
    return version


def published_report(author: Member, approver: Member, *, year: int = 2026, body: str = BODY) -> ReportVersion:
    version = written_report(author, year=year, body=body)
    services.submit(author, version)
    services.approve(approver, version)
    version.refresh_from_db()
    return version
