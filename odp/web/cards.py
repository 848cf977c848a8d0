"""The home page's "what you can do" cards: one per role the member holds, in a fixed order."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.text import get_text_list

from odp import access
from odp.models import Member, Organisation, Role


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Card:
    role: str
    title: str
    description: str
    links: list[Link] = field(default_factory=list)


def _organisations(member: Member, role: Role) -> list[Organisation]:
    """The organisations a scoped role was granted for (child bodies are covered without being listed)."""
    return list(
        Organisation.objects.filter(role_assignments__member=member, role_assignments__role=role).order_by("name")
    )


def _names(organisations: list[Organisation]) -> str:
    return get_text_list([o.name for o in organisations], "and")


def _staff(member: Member) -> Card:
    return Card(
        role=Role.STAFF,
        title="Your skills and ideas",
        description=(
            f"See the skills your role expects, assess yourself against them, and raise ideas to improve "
            f"services at {member.organisation.name}."
        ),
        links=[
            Link("Your skills", reverse("web-skills-mine")),
            Link("Your career paths and opportunities", reverse("careers-paths")),
            Link("Your notifications", reverse("notifications")),
        ],
    )


def _line_manager(member: Member) -> Card:
    reports = member.reports.filter(is_active=True).count()
    people = "person who reports" if reports == 1 else "people who report"
    return Card(
        role=Role.LINE_MANAGER,
        title="Your team",
        description=f"Confirm or adjust the self-assessments of the {reports} {people} to you.",
        links=[Link("Self-assessments waiting for you", reverse("web-skills-team"))],
    )


def _head_of_profession(member: Member) -> Card:
    organisations = _organisations(member, Role.HEAD_OF_PROFESSION)
    return Card(
        role=Role.HEAD_OF_PROFESSION,
        title=f"Head of profession for {_names(organisations)}",
        description=(
            "Review ideas against their response dates, and see capability, innovation plans and surge "
            "support use for your organisation and the bodies within it."
        ),
        links=[
            Link("Your dashboard", reverse("reporting-dashboard")),
            Link("Offer an opportunity", reverse("careers-offer")),
            Link("The profession's objectives and KPIs", reverse("reporting-objectives")),
        ],
    )


def _odp_admin(member: Member) -> Card:
    return Card(
        role=Role.ODP_ADMIN,
        title="Run the profession",
        description=(
            "Manage skills framework versions, interventions, objectives and the annual report, and see "
            "profession-wide dashboards."
        ),
        links=[
            Link("Profession dashboard", reverse("reporting-profession")),
            Link("Skills framework", reverse("web-skills-framework")),
            Link("Learning interventions", reverse("web-skills-interventions")),
            Link("Capability metrics", reverse("web-skills-metrics")),
            Link("Return on investment", reverse("web-skills-roi")),
            Link("Objectives and KPIs", reverse("reporting-objectives")),
            Link("Annual report", reverse("reporting-reports")),
            Link("SRRT usage", reverse("srrt-analysis")),
            Link("Audit log", reverse("audit-log")),
        ],
    )


def _srrt_coordinator(member: Member) -> Card:
    return Card(
        role=Role.SRRT_COORDINATOR,
        title="Surge and Rapid Response Team",
        description="Triage surge requests, match and assign responders, and track deployments to close.",
        links=[
            Link("Surge requests to triage", reverse("srrt-triage")),
            Link("Responder roster", reverse("srrt-responders")),
            Link("Calendar peaks", reverse("srrt-peaks")),
            Link("Who uses the SRRT and why", reverse("srrt-analysis")),
        ],
    )


def _srrt_responder(member: Member) -> Card:
    return Card(
        role=Role.SRRT_RESPONDER,
        title="Your surge availability",
        description="Keep your clearance, skills and availability current, and see your assignments.",
        links=[Link("Your deployments", reverse("srrt-deployments"))],
    )


def _requester(member: Member) -> Card:
    organisations = _organisations(member, Role.DEPARTMENT_REQUESTER)
    return Card(
        role=Role.DEPARTMENT_REQUESTER,
        title=f"Request surge support for {_names(organisations)}",
        description="Ask the Surge and Rapid Response Team for help, and answer the last-resort questions.",
        links=[
            Link("Your surge requests", reverse("srrt-requests")),
            Link("Request surge support", reverse("srrt-new")),
        ],
    )


_BUILDERS = {
    Role.STAFF: _staff,
    Role.LINE_MANAGER: _line_manager,
    Role.HEAD_OF_PROFESSION: _head_of_profession,
    Role.ODP_ADMIN: _odp_admin,
    Role.SRRT_COORDINATOR: _srrt_coordinator,
    Role.SRRT_RESPONDER: _srrt_responder,
    Role.DEPARTMENT_REQUESTER: _requester,
}


def cards_for(member: Member) -> list[Card]:
    roles = access.roles_of(member)
    return [build(member) for role, build in _BUILDERS.items() if role in roles]
