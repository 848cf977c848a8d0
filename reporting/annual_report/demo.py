"""The demo year's annual report: a draft by `admin` with every section written (figures by token), ready for
`admin` to submit and `admin2` to approve and publish. Idempotent: skipped once the year has a report."""

from __future__ import annotations

from django.db import transaction

from odp.audit import acting_as
from odp.models import Member
from reporting.annual_report import services
from reporting.models import AnnualReport, SectionKind

DEMO_YEAR = 2026

TEXT: dict[str, str] = {
    SectionKind.FOREWORD: (
        "Operational delivery is where government meets the people it serves. This year our members raised "
        "{{ figure:ideas.submitted }} ideas to improve services, and more of them than ever assessed their skills "
        "against the profession's framework.\n\n"
        "This report sets out how we did against our objectives, what membership offers and what our people achieved."
    ),
    SectionKind.IN_NUMBERS: (
        "- Capability index: {{ figure:skills.capability_index }}\n"
        "- Members who have assessed their skills: {{ figure:skills.coverage }}\n"
        "- Ideas submitted: {{ figure:ideas.submitted }}\n"
        "- Surge deployments: {{ figure:srrt.deployments }}"
    ),
    SectionKind.OBJECTIVES: (
        "We set objectives for capability, innovation and resilience. Progress against each is measured from the "
        "same published figures as the rest of this report.\n\n"
        "{{ figure:skills.share_meeting_expected }} of assessed members meet the expected level for their grade."
    ),
    SectionKind.CAPABILITY: (
        "Skills at or above the expected level: {{ figure:skills.share_meeting_expected }} overall and "
        "{{ figure:skills.digital_share_meeting_expected }} for digital and AI skills.\n\n{{ chart:skills }}"
    ),
    SectionKind.INNOVATION: (
        "Ideas went from the front line to practice: {{ figure:ideas.implemented }} were implemented, with a median "
        "of {{ figure:ideas.median_days_to_decision }} to a decision, realising "
        "{{ figure:ideas.benefits_realised_hours }} of benefits.\n\n{{ chart:ideas }}"
    ),
    SectionKind.SRRT: (
        "The surge and rapid response team supported {{ figure:srrt.deployments }} deployments. "
        "{{ figure:srrt.share_foreseeable }} of requests were for foreseeable peaks, so departments are planning to "
        "absorb more of their own peaks through cross-training and flexible rostering.\n\n{{ chart:srrt }}"
    ),
    SectionKind.MEMBERSHIP: (
        "Members get a shared skills framework, development opportunities across government, a place to share and "
        "adopt ideas, and a network that helps each other when demand peaks."
    ),
    SectionKind.CAREERS: (
        "There were {{ figure:careers.cross_divide_opportunities }} opportunities open across departmental "
        "boundaries.\n\nAnyone working in operational delivery in government is already part of the profession: "
        "sign in to ODP Hub with your work account to assess your skills and find opportunities."
    ),
}


def seed() -> dict[str, int]:
    """Create the demo year's draft report. Returns counts of what was created."""
    author = Member.objects.filter(user__username="admin").first()
    if author is None or AnnualReport.objects.filter(year=DEMO_YEAR).exists():
        return {}
    with transaction.atomic(), acting_as(author.user):
        version = services.start_report(author, year=DEMO_YEAR)
        for section in version.sections.all():
            body = TEXT[section.kind]
            if section.kind == SectionKind.OBJECTIVES:
                body += _kpi_lines()
            services.update_section(author, section, title=section.title, body=body)
        _choose_case_studies(author, version)
    return {"annual reports": 1}


def _kpi_lines() -> str:
    """A line per demo-year KPI that has a value (a KPI without one would be a checklist error)."""
    from reporting.kpis import kpi_progress
    from reporting.models import Kpi

    lines = []
    for kpi in Kpi.objects.filter(objective__year=DEMO_YEAR).select_related("objective"):
        if kpi_progress(kpi).number is not None:
            lines.append(f"- {kpi.name}: {{{{ kpi:{kpi.pk} }}}}")
    return "\n\n" + "\n".join(lines) if lines else ""


def _choose_case_studies(author: Member, version) -> None:
    from innovation.models import CaseStudy, CaseStudyAudience

    studies = list(
        CaseStudy.objects.filter(
            status=CaseStudy.Status.PUBLISHED, is_hidden=False, audience=CaseStudyAudience.PUBLIC
        ).values_list("pk", flat=True)[:3]
    )
    section = version.sections.get(kind=SectionKind.INNOVATION)
    services.update_section(author, section, title=section.title, body=section.body, case_study_ids=studies)
