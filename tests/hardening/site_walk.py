"""Walk every GET-able URL of the project with real objects in its path.

The world is the demo data (``seed_demo``'s seeders: every kind of record, one sign-in per role) plus the few
records the demo does not make (a published annual report, an unavailable period, a notification). Each route
names the demo account that should reach the real page and how to fill its path from the world; routes that
cannot be filled are listed in ``UNFILLED`` with the reason. ``routes()`` reads the URLconf itself, so a new
route that is in neither table fails the walk's coverage test."""

from __future__ import annotations

import datetime
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.admin.sites import site as admin_site
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

ANONYMOUS = "anonymous"
SUPERUSER = "superuser"


@dataclass(frozen=True)
class Route:
    name: str  # the URL name, or for unnamed admin routes "<admin model label>:<pattern>"
    pattern: str
    params: tuple[str, ...]
    callback: Callable[..., Any]
    unnamed: bool = False

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("django-admin/")


def _params(pattern: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(re.findall(r"<(?:\w+:)?(\w+)>", pattern)))


def routes() -> list[Route]:
    """Every URL pattern in the URLconf, with its full pattern and the names of its path parameters."""

    def walk(patterns: list, prefix: str) -> Iterator[Route]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                full = prefix + str(p.pattern)
                model_admin = getattr(p.callback, "model_admin", None)
                name = p.name or (f"{model_admin.model._meta.label_lower}:{p.pattern}" if model_admin else full)
                yield Route(name, full, _params(full), p.callback, unnamed=p.name is None)

    return list(walk(get_resolver().url_patterns, ""))


class World:
    """Lookups into the seeded demo world, by the demo account that owns or may see each record."""

    def __init__(self) -> None:
        from odp.models import Member

        self.members = {m.user.username: m for m in Member.objects.select_related("user", "organisation")}

    def member(self, username: str):
        return self.members[username]

    # ideas
    def idea(self, *, author: str | None = None, status: str | None = None, **filters: Any):
        from innovation.models import Idea

        qs = Idea.objects.filter(**filters)
        if author:
            qs = qs.filter(author=self.member(author))
        if status:
            qs = qs.filter(status=status)
        return qs.order_by("pk").first()


def _first(model_label: str, **filters: Any):
    return apps.get_model(model_label).objects.filter(**filters).order_by("pk").first()


def build_extra_records(world: World) -> None:
    """What the demo does not make but some pages need: a published annual report (with its PDF) and a
    correction in draft, a draft framework version, an unavailable period, a notification, and the records
    only the Django admin shows."""
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from odp.notifications import notify
    from reporting.annual_report import services as report_services
    from reporting.models import ReportVersion
    from skills import services as skills_services
    from skills.models import Framework
    from srrt import services as srrt_services
    from srrt.models import Assignment, EndingSoonReminder, Responder

    draft = ReportVersion.objects.filter(status="draft").order_by("pk").first()
    if draft is not None:
        report_services.submit(world.member("admin"), draft)
        report_services.approve(world.member("admin2"), draft)
        report_services.render_pdf(draft.pk)
        # A correction in draft, so the admin's version pages have a draft to show too.
        report_services.start_correction(world.member("admin"), draft, change_note="Corrected a figure.")
    # A draft framework version beside the published one, for the publish page.
    skills_services.version_create_draft(framework=Framework.objects.order_by("pk").first(), by=world.member("admin"))
    responder = Responder.objects.get(member=world.member("responder"))
    today = timezone.localdate()
    srrt_services.unavailable_period_add(
        by=world.member("responder"),
        responder=responder,
        start_date=today + datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=62),
        reason="Leave",
    )
    notify(recipient=world.member("staff"), subject="A comment", body="Someone commented.", link="/ideas/")
    # Records only the Django admin shows: a group, an API token, a failed sign-in (axes), a reminder sent.
    Group.objects.create(name="Service desk")
    Token.objects.create(user=world.member("staff").user)
    # (A username nobody in the walk signs in as: a sign-in clears that username's failures.)
    Client().post(reverse("login"), {"username": "walk-typo", "password": "not-the-password"})
    EndingSoonReminder.objects.create(assignment=Assignment.objects.order_by("pk").first(), sent_on=today, recipients=1)


Kwargs = dict[str, Any]
Filler = Callable[[World], list[Kwargs]]


def one(**kwargs: Any) -> Filler:
    return lambda w: [kwargs]


def pk(model_label: str, param: str = "pk", field_name: str = "pk", **filters: Any) -> Filler:
    def fill(w: World) -> list[Kwargs]:
        obj = _first(model_label, **filters)
        return [{param: getattr(obj, field_name)}] if obj is not None else []

    return fill


def each(param: str, values: list[Any], base: Filler | None = None) -> Filler:
    def fill(w: World) -> list[Kwargs]:
        bases = base(w) if base else [{}]
        return [{**b, param: v} for b in bases for v in values]

    return fill


def _idea_steps() -> list[str]:
    from innovation.forms import STEPS

    return [s.slug for s in STEPS]


def _srrt_steps() -> list[str]:
    from srrt.forms import STEPS

    return [s.slug for s in STEPS]


def _draft_idea(w: World) -> list[Kwargs]:
    return [{"idea_id": w.idea(author="staff", status="draft").pk}]


def _staff_idea(status: str) -> Filler:
    return lambda w: [{"idea_id": w.idea(author="staff", status=status).pk}]


def _idea_in(org_slug: str, status: str, param: str = "idea_id") -> Filler:
    """An idea of the organisation or its child bodies (a head of profession reviews both)."""
    return lambda w: [{param: w.idea(status=status, organisation__in=_family(org_slug)).pk}]


def _family(org_slug: str) -> list[int]:
    from odp.models import Organisation

    return list(Organisation.objects.filter(Q(slug=org_slug) | Q(parent__slug=org_slug)).values_list("pk", flat=True))


def _request(username: str, status: str, param: str = "pk") -> Filler:
    def fill(w: World) -> list[Kwargs]:
        from srrt.models import SurgeRequest

        qs = SurgeRequest.objects.filter(status=status).order_by("pk")
        if username:
            qs = qs.filter(requester=w.member(username))
        return [{param: qs.first().pk}]

    return fill


def _staffing(w: World) -> list[Kwargs]:
    from srrt.models import Assignment

    assignment = Assignment.objects.filter(request__status__in=["approved", "active"]).order_by("pk").first()
    return [{"pk": assignment.request_id, "assignment_pk": assignment.pk}]


def _unavailable(w: World, with_responder: bool) -> list[Kwargs]:
    from srrt.models import UnavailablePeriod

    period = UnavailablePeriod.objects.filter(responder__member=w.member("responder")).get()
    return [{"pk": period.responder_id, "period_pk": period.pk} if with_responder else {"period_pk": period.pk}]


def _team_assessment(w: World) -> list[Kwargs]:
    from skills.models import Assessment

    qs = Assessment.objects.filter(member__line_manager=w.member("manager"), rater_kind="self").order_by("-pk")
    return [{"assessment_id": qs.first().pk}]


def _staff_skill(w: World) -> list[Kwargs]:
    from skills.models import Assessment

    return [{"skill_id": Assessment.objects.filter(member=w.member("staff")).order_by("pk").first().skill_id}]


def _career_profile(w: World) -> list[Kwargs]:
    from skills.careers.paths import career_paths

    return [{"profile_id": career_paths(w.member("staff")).all[0].profile.pk}]


def _plan_edit(w: World) -> list[Kwargs]:
    from innovation.models import InnovationPlan

    plan = InnovationPlan.objects.filter(organisation=w.member("hop.homeoffice").organisation).first()
    org = w.member("hop.homeoffice").organisation
    return [{"organisation_id": org.pk, "year": plan.year if plan else timezone.localdate().year}]


def _report_version(status: str) -> Filler:
    def fill(w: World) -> list[Kwargs]:
        from reporting.models import ReportVersion

        return [{"version_id": ReportVersion.objects.filter(status=status).order_by("pk").first().pk}]

    return fill


def _report_section(w: World) -> list[Kwargs]:
    from reporting.models import Section

    section = Section.objects.filter(version__status="draft").order_by("pk").first()
    return [{"version_id": section.version_id, "section_id": section.pk}]


def _published_year(w: World, *, with_number: bool = False) -> list[Kwargs]:
    from reporting.models import ReportVersion

    version = ReportVersion.objects.filter(status="published").select_related("report").order_by("pk").first()
    kwargs: Kwargs = {"year": version.report.year}
    if with_number:
        kwargs["number"] = version.number
    return [kwargs]


def _objective(w: World) -> list[Kwargs]:
    from reporting.models import Objective

    o = Objective.objects.order_by("pk").first()
    return [{"year": o.year, "objective_id": o.pk}]


def _kpi(w: World) -> list[Kwargs]:
    from reporting.models import Kpi

    k = Kpi.objects.order_by("pk").first()
    return [{"objective_id": k.objective_id, "kpi_id": k.pk}]


def _objective_year(w: World) -> list[Kwargs]:
    from reporting.models import Objective

    return [{"year": Objective.objects.order_by("pk").first().year}]


def _comment_report(w: World) -> list[Kwargs]:
    from innovation.models import Comment

    c = Comment.objects.filter(idea__status="accepted", idea__visibility="civil_service").order_by("pk").first()
    return [{"idea_id": c.idea_id, "comment_id": c.pk}]


def _api_comment_report(w: World) -> list[Kwargs]:
    kw = _comment_report(w)[0]
    return [{"pk": kw["idea_id"], "comment_id": kw["comment_id"]}]


def _reported_comment(w: World) -> list[Kwargs]:
    from innovation.models import Report

    return [{"comment_id": Report.objects.exclude(comment=None).order_by("pk").first().comment_id}]


def _reported_idea(param: str) -> Filler:
    def fill(w: World) -> list[Kwargs]:
        from innovation.models import Report

        return [{param: Report.objects.exclude(idea=None).order_by("pk").first().idea_id}]

    return fill


def _commitment(w: World) -> list[Kwargs]:
    from innovation.models import Commitment

    c = Commitment.objects.order_by("pk").first()
    return [{"pk": c.plan_id, "commitment_id": c.pk}]


def _recommendation(w: World) -> list[Kwargs]:
    from srrt.models import Recommendation

    r = Recommendation.objects.order_by("pk").first()
    return [{"pk": r.request_id, "recommendation_pk": r.pk}]


def _decided_idea(param: str) -> Filler:
    def fill(w: World) -> list[Kwargs]:
        from innovation.models import CaseStudy

        return [{param: CaseStudy.objects.filter(status="published").order_by("pk").first().idea_id}]

    return fill


# url name -> (the demo account that should get the real page, how to fill the path)
FILL: dict[str, tuple[str, Filler]] = {
    # core
    "home": ("staff", one()),
    "login": (ANONYMOUS, one()),
    "logout": ("staff", one()),  # POST only: a GET is 405, and must not end the session
    "signed-out": (ANONYMOUS, one()),
    "audit-log": ("admin", one()),
    "notifications": ("staff", one()),
    "accessibility": (ANONYMOUS, one()),
    "privacy": (ANONYMOUS, one()),
    "cookies": (ANONYMOUS, one()),
    "feedback": (ANONYMOUS, one()),
    "healthz": (ANONYMOUS, one()),
    "readyz": (ANONYMOUS, one()),
    # skills
    "web-skills-mine": ("staff", one()),
    "web-skills-assess": ("staff", _staff_skill),
    "web-skills-history": ("staff", _staff_skill),
    "web-skills-team": ("manager", one()),
    "web-skills-respond": ("manager", _team_assessment),
    "web-skills-framework": ("admin", one()),
    "web-skills-draft-create": ("admin", one()),
    "web-skills-import": ("admin", one()),
    "web-skills-version": ("admin", pk("skills.FrameworkVersion", "version_id")),
    "web-skills-version-publish": ("admin", pk("skills.FrameworkVersion", "version_id", status="draft")),
    "web-skills-version-export": (
        "admin",
        each("kind", ["csv", "json", "profiles"], pk("skills.FrameworkVersion", "version_id")),
    ),
    "web-skills-interventions": ("admin", one()),
    "web-skills-intervention-create": ("admin", one()),
    "web-skills-intervention": ("admin", pk("skills.Intervention", "intervention_id")),
    "web-skills-intervention-edit": ("admin", pk("skills.Intervention", "intervention_id")),
    "web-skills-cohort-create": ("admin", pk("skills.Intervention", "intervention_id")),
    "web-skills-cohort": ("admin", pk("skills.Cohort", "cohort_id")),
    "web-skills-metrics": ("admin", one()),
    "web-skills-metrics-run-now": ("admin", one()),
    "web-skills-metrics-run": ("admin", pk("skills.MetricsRun", "run_id")),
    "web-skills-roi": ("admin", one()),
    "web-skills-roi-evaluate": ("admin", pk("skills.Cohort", "cohort_id")),
    "careers-paths": ("staff", one()),
    "careers-path": ("staff", _career_profile),
    "careers-learning": ("staff", pk("skills.Intervention", "intervention_id")),
    "careers-opportunities": ("staff", one()),
    "careers-saved": ("staff", one()),
    "careers-offer": ("hop.homeoffice", one()),
    "careers-opportunity": ("staff", pk("skills.Opportunity", "opportunity_id", status="open")),
    "careers-opportunity-save": ("staff", pk("skills.Opportunity", "opportunity_id", status="open")),
    "careers-opportunity-close": ("admin", pk("skills.Opportunity", "opportunity_id", status="open")),
    "careers-alerts": ("staff", one()),
    # ideas
    "ideas-browse": ("staff", one()),
    "ideas-mine": ("staff", one()),
    "ideas-email": ("staff", one()),
    "ideas-export": ("admin", one()),
    "ideas-new": ("staff", one()),
    "ideas-detail": ("staff", _staff_idea("submitted")),
    "ideas-question": ("staff", each("step", _idea_steps(), _draft_idea)),
    "ideas-check": ("staff", _draft_idea),
    "ideas-submitted": ("staff", _staff_idea("submitted")),
    "ideas-delete": ("staff", _draft_idea),
    "ideas-endorse": ("manager", _staff_idea("submitted")),
    "ideas-follow": ("manager", _staff_idea("submitted")),
    "ideas-comment": ("manager", _staff_idea("submitted")),
    "ideas-report": ("manager", _staff_idea("submitted")),
    "ideas-report-comment": ("staff", _comment_report),
    "ideas-review": ("hop.homeoffice", one()),
    "ideas-moderation": ("admin", one()),
    "ideas-moderate-idea": ("admin", _reported_idea("idea_id")),
    "ideas-moderate-comment": ("admin", _reported_comment),
    "ideas-decide": ("hop.homeoffice", _idea_in("home-office", "submitted")),
    "ideas-case-study-edit": ("admin", _decided_idea("idea_id")),
    "ideas-adopt": ("hop.dwp", _decided_idea("idea_id")),
    "ideas-plans": ("hop.homeoffice", one()),
    "ideas-plan": ("hop.homeoffice", pk("innovation.InnovationPlan", "plan_id")),
    "ideas-plan-edit": ("hop.homeoffice", _plan_edit),
    "ideas-case-studies": (ANONYMOUS, one()),
    "ideas-case-study": (ANONYMOUS, pk("innovation.CaseStudy", "slug", "slug", status="published")),
    # surge requests
    "srrt-requests": ("requester", one()),
    "srrt-new": ("requester", one()),
    "srrt-request": ("requester", _request("requester", "submitted")),
    "srrt-question": ("requester", each("step", _srrt_steps(), _request("requester", "submitted"))),
    "srrt-check": ("requester", _request("requester", "submitted")),
    "srrt-submitted": ("requester", _request("requester", "submitted")),
    "srrt-cancel": ("requester", _request("requester", "submitted")),
    "srrt-decide": ("coordinator", _request("", "submitted")),
    "srrt-staffing": ("coordinator", _request("", "approved")),
    "srrt-assignment-remove": ("coordinator", _staffing),
    "srrt-triage": ("coordinator", one()),
    "srrt-responders": ("coordinator", one()),
    "srrt-responder-add": ("coordinator", one()),
    "srrt-responder": ("coordinator", pk("srrt.Responder")),
    "srrt-unavailable-remove": ("coordinator", lambda w: _unavailable(w, True)),
    "srrt-peaks": ("coordinator", one()),
    "srrt-peak-add": ("coordinator", one()),
    "srrt-peak-edit": ("coordinator", pk("srrt.CalendarPeak")),
    "srrt-deployments": ("responder", one()),
    "srrt-my-unavailable-remove": ("responder", lambda w: _unavailable(w, False)),
    "srrt-deployment": ("coordinator", _request("", "active")),
    "srrt-analysis": ("coordinator", one()),
    # reporting
    "reporting-reports": ("admin", one()),
    "reporting-report-version": ("admin", _report_version("draft")),
    "reporting-report-action": ("admin", _report_version("draft")),
    "reporting-report-preview": ("admin", _report_version("draft")),
    "reporting-report-section": ("admin", _report_section),
    "reporting-dashboard": ("hop.homeoffice", one()),
    "reporting-profession": ("admin", one()),
    "reporting-objectives": ("admin", one()),
    "reporting-objectives-year": ("admin", _objective_year),
    "reporting-objective-add": ("admin", _objective_year),
    "reporting-objective-edit": ("admin", _objective),
    "reporting-kpi-add": ("admin", pk("reporting.Objective", "objective_id")),
    "reporting-kpi-edit": ("admin", _kpi),
    "reporting-kpi-value": ("admin", pk("reporting.Kpi", "kpi_id", source="manual")),
    "annual-reports": (ANONYMOUS, one()),
    "annual-report": (ANONYMOUS, _published_year),
    "annual-report-version": (ANONYMOUS, lambda w: _published_year(w, with_number=True)),
    "annual-report-pdf": (ANONYMOUS, _published_year),
    "annual-report-version-pdf": (ANONYMOUS, lambda w: _published_year(w, with_number=True)),
    "annual-report-data": (ANONYMOUS, each("fmt", ["csv", "ods", "zip"], _published_year)),
    "annual-report-version-data": (
        ANONYMOUS,
        each("fmt", ["csv", "ods", "zip"], lambda w: _published_year(w, with_number=True)),
    ),
    "profession": (ANONYMOUS, one()),
    # API
    "api-me": ("staff", one()),
    "organisation-list": ("staff", one()),
    "organisation-detail": ("staff", lambda w: [{"pk": w.member("staff").organisation_id}]),
    "member-list": ("hop.homeoffice", one()),
    "member-detail": ("hop.homeoffice", lambda w: [{"pk": w.member("hop.homeoffice").pk}]),
    "idea-list": ("staff", one()),
    "idea-review-queue": ("hop.homeoffice", one()),
    "idea-similar": ("staff", one()),
    "idea-detail": ("staff", lambda w: [{"pk": w.idea(author="staff", status="submitted").pk}]),
    "idea-adoptions": ("staff", _decided_idea("pk")),
    "idea-case-study": ("admin", _decided_idea("pk")),
    "idea-comments": ("staff", lambda w: [{"pk": w.idea(author="staff", status="submitted").pk}]),
    "idea-decision": ("hop.homeoffice", _idea_in("home-office", "submitted", "pk")),
    "idea-endorse": ("manager", lambda w: [{"pk": w.idea(author="staff", status="submitted").pk}]),
    "idea-follow": ("manager", lambda w: [{"pk": w.idea(author="staff", status="submitted").pk}]),
    "idea-move": ("hop.homeoffice", _idea_in("home-office", "submitted", "pk")),
    "idea-report": ("manager", lambda w: [{"pk": w.idea(author="staff", status="submitted").pk}]),
    "idea-report-comment": ("staff", _api_comment_report),
    "idea-submit": ("staff", lambda w: [{"pk": w.idea(author="staff", status="draft").pk}]),
    "case-study-list": (ANONYMOUS, one()),
    "case-study-detail": (ANONYMOUS, pk("innovation.CaseStudy", "slug", "slug", status="published")),
    "case-study-publish": ("admin", pk("innovation.CaseStudy", "slug", "slug", status="published")),
    "innovation-plan-list": ("hop.homeoffice", one()),
    "innovation-plan-detail": ("hop.homeoffice", pk("innovation.InnovationPlan")),
    "innovation-plan-commitment": ("hop.homeoffice", _commitment),
    "innovation-plan-commitments": ("hop.homeoffice", pk("innovation.InnovationPlan")),
    "api-moderation-reports": ("admin", one()),
    "api-moderation-dismiss": ("admin", pk("innovation.Report")),
    "api-moderation-idea": ("admin", _reported_idea("pk")),
    "api-moderation-comment": ("admin", lambda w: [{"pk": _reported_comment(w)[0]["comment_id"]}]),
    "skills-me": ("staff", one()),
    "skills-career-paths-me": ("staff", one()),
    "skills-framework-list": ("staff", one()),
    "skills-framework-detail": ("staff", pk("skills.Framework")),
    "skills-version-list": ("staff", one()),
    "skills-version-import-file": ("admin", one()),
    "skills-version-detail": ("staff", pk("skills.FrameworkVersion")),
    "skills-version-export": ("admin", pk("skills.FrameworkVersion")),
    "skills-version-publish": ("admin", pk("skills.FrameworkVersion")),
    "skills-version-role-profiles": ("staff", pk("skills.FrameworkVersion")),
    "skills-skill-list": ("staff", one()),
    "skills-skill-detail": ("staff", pk("skills.Skill")),
    "skills-role-profile-list": ("staff", one()),
    "skills-role-profile-detail": ("staff", pk("skills.RoleProfile")),
    "skills-assessment-list": ("staff", one()),
    "skills-assessment-detail": (
        "staff",
        lambda w: [{"pk": _first("skills.Assessment", member=w.member("staff")).pk}],
    ),
    "skills-assessment-respond": ("manager", lambda w: [{"pk": _team_assessment(w)[0]["assessment_id"]}]),
    "skills-confirmation-list": ("manager", one()),
    "skills-intervention-list": ("admin", one()),
    "skills-intervention-detail": ("admin", pk("skills.Intervention")),
    "skills-cohort-list": ("admin", one()),
    "skills-cohort-detail": ("admin", pk("skills.Cohort")),
    "skills-cohort-upload-enrolments": ("admin", pk("skills.Cohort")),
    "skills-enrolment-list": ("admin", one()),
    "skills-enrolment-detail": ("admin", pk("skills.Enrolment")),
    "skills-metrics-run-list": ("admin", one()),
    "skills-metrics-run-detail": ("admin", pk("skills.MetricsRun")),
    "skills-metric-list": ("admin", one()),
    "skills-roi-list": ("admin", one()),
    "skills-opportunity-list": ("staff", one()),
    "skills-opportunity-detail": ("staff", pk("skills.Opportunity", status="open")),
    "skills-opportunity-save": ("staff", pk("skills.Opportunity", status="open")),
    "srrt-analytics": ("coordinator", one()),
    "srrt-request-list": ("requester", one()),
    "srrt-request-detail": ("requester", _request("requester", "submitted")),
    "srrt-request-appraisals": ("coordinator", _request("", "closed")),
    "srrt-request-assignments": ("coordinator", _request("", "approved")),
    "srrt-request-close-out": ("coordinator", _request("", "closed")),
    "srrt-request-deployment": ("coordinator", _request("", "active")),
    "srrt-request-extensions": ("coordinator", _request("", "active")),
    "srrt-request-move": ("coordinator", _request("", "submitted")),
    "srrt-request-recommendation-done": ("coordinator", _recommendation),
    "srrt-request-recommendations": ("coordinator", _request("", "closed")),
    "srrt-request-shortlist": ("coordinator", _request("", "approved")),
    "srrt-request-submit": ("requester", _request("requester", "submitted")),
    "srrt-request-triage": ("coordinator", _request("", "submitted")),
    "srrt-responder-list": ("coordinator", one()),
    "srrt-responder-detail": ("coordinator", pk("srrt.Responder")),
    "reporting-report-list": (ANONYMOUS, one()),
    "reporting-report-detail": (ANONYMOUS, _published_year),
    "reporting-objective-list": ("admin", one()),
    "reporting-objective-detail": ("admin", pk("reporting.Objective")),
    "reporting-kpi-list": ("admin", one()),
    "reporting-kpi-detail": ("admin", pk("reporting.Kpi")),
    "reporting-api-dashboard": ("hop.homeoffice", one()),
    "api-not-found": ("staff", one(path="no-such-thing/")),
    "api-schema": ("staff", one()),
    "api-docs": ("staff", one()),
}

# Routes whose owner is meant to get a 404 (everything else the owner asks for must exist).
EXPECTED_404 = {
    "api-not-found": "the catch-all under /api/v1/ answers unknown API paths with the JSON 404",
    "django-admin/(?P<url>.*)$": "the Django admin's catch-all answers unknown admin paths with a 404",
}


def admin_fill(route: Route) -> list[Kwargs] | str:
    """Django admin routes: the first record of the route's model, or why there is none."""
    if not route.params:
        return [{}]
    model_admin = getattr(route.callback, "model_admin", None)
    if route.params == ("object_id",) and model_admin is not None:
        obj = model_admin.model._default_manager.order_by("pk").first()
        if obj is None:
            return f"no {model_admin.model._meta.label} record in the demo world"
        return [{"object_id": str(obj.pk)}]
    if route.name == "auth_user_password_change":
        return [{"id": _first("odp.User").pk}]
    if "url" in route.params:  # the admin's catch-all: unknown admin paths
        return [{"url": "no-such-page/"}]
    if route.name == "view_on_site":
        return "admin 'view on site' redirects to a model's get_absolute_url; no admin model here defines one"
    if route.name == "app_list":
        labels = sorted({m._meta.app_label for m in admin_site._registry})
        return [{"app_label": label} for label in labels]
    return f"admin route with parameters {route.params} the walk does not know how to fill"


def path_for(route: Route, kwargs: Kwargs) -> str:
    if route.is_admin and "url" in kwargs:
        return f"/django-admin/{kwargs['url']}"
    if route.unnamed:
        # An unnamed admin route (``<object_id>/``, which redirects to the change page): build it by hand.
        return "/" + route.pattern.replace("<path:object_id>", str(kwargs["object_id"]))
    name = f"admin:{route.name}" if route.is_admin else route.name
    return reverse(name, kwargs=kwargs)


@dataclass
class Visit:
    route: str
    path: str
    who: str
    owner: str
    status: int
    headers: dict[str, str]
    seconds: float = 0.0


@dataclass
class WalkResult:
    visits: list[Visit] = field(default_factory=list)
    unfilled: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    log_records: list[logging.LogRecord] = field(default_factory=list)
    people: list[tuple[str, str]] = field(default_factory=list)  # (email, full name) of every member


def _client_for(who: str, world: World, clients: dict[str, Client]) -> Client:
    if who not in clients:
        client = Client()
        if who == SUPERUSER:
            from odp.models import User

            user, _ = User.objects.get_or_create(
                username="walk-superuser", defaults={"is_staff": True, "is_superuser": True}
            )
            client.force_login(user)
        elif who != ANONYMOUS:
            client.force_login(world.member(who).user)
        clients[who] = client
    return clients[who]


def filled_routes(world: World) -> Iterator[tuple[Route, str | None, list[Kwargs] | str]]:
    """Every route with the account that should reach it and its path parameters filled from the world: a
    non-empty list of kwargs, or (a str) why it cannot be filled. The owner is None for a route FILL lacks."""
    for route in routes():
        if route.is_admin:
            owner: str | None = SUPERUSER
            filled = admin_fill(route)
        elif route.name in FILL:
            owner, filler = FILL[route.name]
            try:
                filled = filler(world)
            except (AttributeError, IndexError, ObjectDoesNotExist) as exc:  # a lookup found nothing
                filled = f"no record in the world to fill it with ({exc})"
        else:
            yield route, None, "no entry in FILL"
            continue
        yield route, owner, filled or "no record in the world to fill it with"


def walk(world: World, *, also_as: tuple[str, ...] = (ANONYMOUS,)) -> WalkResult:
    """GET every route, filled from the world, as its owner and as each of ``also_as`` (the Django admin as a
    superuser and anonymously only: any other member is refused it by the same ``is_staff`` check)."""
    result = WalkResult()
    clients: dict[str, Client] = {}
    for route, owner, filled in filled_routes(world):
        if owner is None:
            result.unknown.append(route.name)
            continue
        if isinstance(filled, str):
            result.unfilled[route.name] = filled
            continue
        for kwargs in filled:
            path = path_for(route, kwargs)
            others = (ANONYMOUS,) if route.is_admin else also_as
            for who in dict.fromkeys((owner, *others)):
                cache.clear()  # API throttles count in the cache; every request here should be a real one
                client = _client_for(who, world, clients)
                started = time.perf_counter()
                response = client.get(path)
                result.visits.append(
                    Visit(
                        route.name,
                        path,
                        who,
                        owner,
                        response.status_code,
                        dict(response.headers.items()),
                        time.perf_counter() - started,
                    )
                )
    return result
