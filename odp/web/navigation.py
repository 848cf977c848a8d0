"""The service navigation: which links a visitor sees, decided by their roles through ``odp.access``."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from odp import access


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


# (label, URL name, policy action; None means every member). Order is the order on screen.
_ITEMS: tuple[tuple[str, str, str | None], ...] = (
    ("Home", "home", None),
    ("My skills", "web-skills-mine", "skills.view"),
    ("My team", "web-skills-team", "skills.confirm"),
    ("Careers", "careers-paths", "careers.view"),
    ("Skills framework", "web-skills-framework", "skills.manage_framework"),
    ("Ideas", "ideas-browse", None),
    ("Review ideas", "ideas-review", "ideas.review"),
    ("Moderate ideas", "ideas-moderation", "ideas.moderate"),
    ("Surge requests", "srrt-requests", "srrt.request"),
    ("Surge triage", "srrt-triage", "srrt.triage"),
    ("SRRT roster", "srrt-responders", "srrt.triage"),
    ("Your deployments", "srrt-deployments", "srrt.respond"),
    ("SRRT usage", "srrt-analysis", "srrt.analyse"),
    ("Dashboard", "reporting-dashboard", "dashboard.organisation"),
    ("Profession dashboard", "reporting-profession", "dashboard.profession"),
    ("Objectives and KPIs", "reporting-objectives", "reports.manage_kpis"),
    ("Annual report", "reporting-reports", "reports.author"),
    ("Notifications", "notifications", None),
    ("Audit log", "audit-log", "audit.view"),
)


def navigation_for(request: HttpRequest) -> list[NavItem]:
    member = access.member_for(getattr(request, "user", None))
    if member is None:
        return []
    visible = [(label, reverse(name)) for label, name, action in _ITEMS if action is None or access.can(member, action)]
    # A section stays current on its sub-pages: the item whose URL is the longest prefix of the path wins
    # (so /skills/team/5/ is "My team", not "My skills"); the home page only on itself.
    path = request.path
    matches = [url for _, url in visible if path == url or (url != "/" and path.startswith(url))]
    current = max(matches, key=len, default=None)
    return [NavItem(label=label, url=url, current=url == current) for label, url in visible]
