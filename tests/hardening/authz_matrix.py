"""The authorisation matrix (authz_matrix.yaml) read into cases, the world they run against, and the URLconf
walk that proves the matrix names every URL.

The world is the demo data (``seed_demo``: one sign-in per role, as docs/demo-accounts.md lists them) plus a
few records the demo lacks (a requester's draft surge request, a responder's unavailable period, a published
annual report). Matrix cases name records by key (``idea.dwp_organisation``); ``OBJECTS`` says which record
each key is, found by what makes it interesting (whose it is, which organisation, which state), not by id."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.urls import URLPattern, URLResolver, get_resolver, reverse

MATRIX_PATH = Path(__file__).with_name("authz_matrix.yaml")

# Matrix column -> demo sign-in (None: not signed in). One per role the issue names.
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "staff": "staff",
    "manager": "manager",
    "hop": "hop.homeoffice",
    "la_member": "la.member",
    "partner": "partner.member",
    "requester": "requester",
    "coordinator": "coordinator",
    "responder": "responder",
    "admin": "admin",
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Outcomes other than a bare status code.
LOGIN = "login"  # a page redirecting to the sign-in page
REDIRECT = "redirect"  # a redirect anywhere else (the action was done, or the next step)


# --- The world ------------------------------------------------------------------------------------------------


def _member(username: str) -> Any:
    from odp.models import Member

    return Member.objects.get(user__username=username)


def _first(queryset: Any, what: str) -> Any:
    found = queryset.order_by("pk").first()
    if found is None:
        raise LookupError(f"The authorisation world has no {what}: did the demo data change?")
    return found


def _idea(what: str, **filters: Any) -> Callable[[], int]:
    def find() -> int:
        from innovation.models import Idea

        return _first(Idea.objects.filter(**filters), what).pk

    return find


def _surge(what: str, **filters: Any) -> Callable[[], int]:
    def find() -> int:
        from srrt.models import SurgeRequest

        return _first(SurgeRequest.objects.filter(**filters), what).pk

    return find


def _comment_on_public_idea() -> int:
    from innovation.models import Comment

    return _first(
        Comment.objects.filter(
            idea__visibility="civil_service", idea__status="accepted", idea__is_hidden=False, is_hidden=False
        ),
        "comment on a public idea",
    ).pk


def _self_assessment(username: str) -> Callable[[], int]:
    def find() -> int:
        from skills.models import Assessment

        return _first(Assessment.objects.filter(member__user__username=username, rater_kind="self"), "assessment").pk

    return find


def _dwp_self_assessment() -> int:
    from skills.models import Assessment

    return _first(Assessment.objects.filter(member__organisation__slug="dwp", rater_kind="self"), "DWP assessment").pk


def _model_pk(model_path: str, what: str, **filters: Any) -> Callable[[], int]:
    def find() -> int:
        from django.apps import apps

        return _first(apps.get_model(model_path).objects.filter(**filters), what).pk

    return find


def _org(slug: str) -> Callable[[], int]:
    return _model_pk("odp.Organisation", slug, slug=slug)


def _case_study_slug() -> str:
    from innovation.models import CaseStudy

    return _first(CaseStudy.objects.filter(status="published", audience="public"), "published case study").slug


def _responder_period() -> int:
    from srrt.models import UnavailablePeriod

    return _first(UnavailablePeriod.objects.filter(responder__member__user__username="responder"), "period").pk


def _assignment_on_active() -> int:
    from srrt.models import Assignment

    return _first(Assignment.objects.filter(request_id=_ACTIVE_DWP()), "assignment on the active DWP request").pk


def _published_year() -> int:
    from reporting.models import ReportVersion

    return _first(ReportVersion.objects.filter(status="published"), "published annual report").report.year


def _published_number() -> int:
    from reporting.models import ReportVersion

    return _first(ReportVersion.objects.filter(status="published"), "published annual report").number


def _idea_of_public_comment() -> int:
    from innovation.models import Comment

    return Comment.objects.get(pk=_comment_on_public_idea()).idea_id


def _dwp_recommendation() -> int:
    from srrt.models import Recommendation

    return _first(Recommendation.objects.filter(request__organisation__slug="dwp"), "DWP recommendation").pk


def _request_of_dwp_recommendation() -> int:
    from srrt.models import Recommendation

    return Recommendation.objects.get(pk=_dwp_recommendation()).request_id


def _other_responder() -> int:
    from srrt.models import Responder

    return _first(Responder.objects.exclude(member__user__username="responder"), "another responder").pk


def _objective_year() -> int:
    from reporting.models import Objective

    return _first(Objective.objects.all(), "objective").year


def _objective_of_kpi() -> int:
    from reporting.models import Kpi

    return _first(Kpi.objects.all(), "KPI").objective_id


_ACTIVE_DWP = _surge("active DWP surge request", organisation__slug="dwp", status="active")

OBJECTS: dict[str, Callable[[], Any]] = {
    # Organisations: the head of profession leads the Home Office (HM Passport Office below it); the requester
    # raises for HMRC; DWP is nobody's in the matrix but admin's.
    "org.home_office": _org("home-office"),
    "org.passport_office": _org("hm-passport-office"),
    "org.dwp": _org("dwp"),
    "member.staff": lambda: _member("staff").pk,
    "member.dwp": _model_pk("odp.Member", "DWP member", organisation__slug="dwp", user__username__startswith="dwp."),
    # Ideas
    "idea.staff_draft": _idea("staff's draft idea", author__user__username="staff", status="draft"),
    "idea.staff_organisation": _idea(
        "staff's idea seen only in their organisation",
        author__user__username="staff",
        visibility="organisation",
        status__in=["submitted", "under_review"],
    ),
    "idea.dwp_organisation": _idea(
        "DWP idea seen only inside DWP",
        organisation__slug="dwp",
        visibility="organisation",
        status__in=["submitted", "under_review", "accepted", "in_progress"],
        is_hidden=False,
    ),
    "idea.dwp_draft": _idea("DWP draft", organisation__slug="dwp", status="draft"),
    "idea.dwp_submitted": _idea(
        "DWP submitted civil-service idea",
        organisation__slug="dwp",
        status="submitted",
        visibility="civil_service",
        is_hidden=False,
    ),
    "idea.dwp_partners": _idea(
        "DWP accepted idea shared with partners",
        organisation__slug="dwp",
        status="accepted",
        visibility="partners",
        is_hidden=False,
    ),
    "comment.public": _comment_on_public_idea,
    "idea.of_comment": _idea_of_public_comment,
    "moderation_report.any": _model_pk("innovation.Report", "moderation report"),
    "plan.home_office": _model_pk("innovation.InnovationPlan", "Home Office plan", organisation__slug="home-office"),
    "plan.dwp": _model_pk("innovation.InnovationPlan", "DWP plan", organisation__slug="dwp"),
    "commitment.home_office": _model_pk(
        "innovation.Commitment", "Home Office commitment", plan__organisation__slug="home-office"
    ),
    "commitment.dwp": _model_pk("innovation.Commitment", "DWP commitment", plan__organisation__slug="dwp"),
    "case_study.public": _case_study_slug,
    # Skills
    "skill.any": _model_pk("skills.Skill", "skill"),
    "assessment.staff": _self_assessment("staff"),
    "assessment.dwp": _dwp_self_assessment,
    "framework.any": _model_pk("skills.Framework", "framework"),
    "version.published": _model_pk("skills.FrameworkVersion", "published version", status="published"),
    "profile.any": _model_pk("skills.RoleProfile", "role profile"),
    "intervention.any": _model_pk("skills.Intervention", "intervention"),
    "cohort.any": _model_pk("skills.Cohort", "cohort"),
    "enrolment.any": _model_pk("skills.Enrolment", "enrolment"),
    "run.any": _model_pk("skills.MetricsRun", "metrics run"),
    "opportunity.passport_office": _model_pk(
        "skills.Opportunity",
        "HMPO opportunity for its own staff",
        organisation__slug="hm-passport-office",
        audience="organisation",
        status="open",
    ),
    "opportunity.hmrc_organisation": _model_pk(
        "skills.Opportunity",
        "HMRC opportunity for its own staff",
        organisation__slug="hmrc",
        audience="organisation",
        status="open",
    ),
    "opportunity.central": _model_pk(
        "skills.Opportunity",
        "central-government-only opportunity",
        organisation__slug="dwp",
        audience="central_government",
        status="open",
    ),
    "opportunity.across": _model_pk(
        "skills.Opportunity",
        "opportunity across the divide",
        organisation__slug="kent-county-council",
        audience="across_the_divide",
        status="open",
    ),
    # SRRT
    "surge.requester_draft": _surge("requester's draft", requester__user__username="requester", status="draft"),
    "surge.requester_submitted": _surge(
        "requester's submitted request", requester__user__username="requester", status="submitted"
    ),
    "surge.dwp_active": _ACTIVE_DWP,
    "surge.hmrc_closed": _surge("closed HMRC request", organisation__slug="hmrc", status="closed"),
    "assignment.dwp_active": _assignment_on_active,
    "recommendation.dwp_closed": _dwp_recommendation,
    "surge.of_dwp_recommendation": _request_of_dwp_recommendation,
    "responder.responder": _model_pk("srrt.Responder", "the demo responder", member__user__username="responder"),
    "responder.other": _other_responder,
    "period.responder": _responder_period,
    "peak.any": _model_pk("srrt.CalendarPeak", "calendar peak"),
    # Reporting
    "report_version.draft": _model_pk("reporting.ReportVersion", "draft report version", status="draft"),
    "section.draft": _model_pk("reporting.Section", "section of the draft", version__status="draft"),
    "report.published_year": _published_year,
    "report.published_number": _published_number,
    "objective.any": _model_pk("reporting.Objective", "objective"),
    "objective.year": _objective_year,
    "kpi.any": _model_pk("reporting.Kpi", "KPI"),
    "kpi.objective": _objective_of_kpi,
}


def build_world() -> dict[str, Any]:
    """Seed the demo data and add what the demo lacks. Call inside a transaction the caller rolls back."""
    import os

    from django.core.management import call_command

    from reporting.annual_report import services as report_services
    from srrt.models import Responder, SurgeRequest, UnavailablePeriod
    from tests.srrt.factories import SurgeRequestFactory

    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    requester = _member("requester")
    if not SurgeRequest.objects.filter(requester=requester, status="draft").exists():
        SurgeRequestFactory(
            requester=requester, organisation=requester.organisation, title="Draft: authz world", status="draft"
        )
    responder = Responder.objects.get(member__user__username="responder")
    today = datetime.date.today()
    UnavailablePeriod.objects.get_or_create(
        responder=responder,
        start_date=today + datetime.timedelta(days=200),
        end_date=today + datetime.timedelta(days=205),
        defaults={"reason": "Leave"},
    )
    _publish_report(report_services, _member("admin"), _member("admin2"))
    _check_roles()
    return {key: find() for key, find in OBJECTS.items()}


# What each column's sign-in must be, so a change to the demo accounts fails here rather than quietly testing
# a different role: the roles odp.access gives them, and the kind of organisation they belong to.
_COLUMN_ROLES: dict[str, tuple[set[str], str | None]] = {
    "staff": ({"staff"}, "executive_agency"),
    "manager": ({"staff", "line_manager"}, "executive_agency"),
    "hop": ({"staff", "head_of_profession"}, "ministerial_department"),
    "la_member": ({"staff"}, "local_authority"),
    "partner": ({"staff"}, "private_partner"),
    "requester": ({"staff", "department_requester"}, None),
    "coordinator": ({"staff", "srrt_coordinator"}, None),
    "responder": ({"staff", "srrt_responder"}, None),
    "admin": ({"staff", "odp_admin"}, None),
}


def _check_roles() -> None:
    from odp import access

    for column, (roles, kind) in _COLUMN_ROLES.items():
        member = _member(ROLES[column] or "")
        held = set(access.roles_of(member))
        # Line manager follows from having reports, which several demo sign-ins have; only two columns care.
        assert held - {"line_manager"} == roles - {"line_manager"}, f"{column} holds {sorted(held)}"
        if column in ("staff", "manager"):
            assert ("line_manager" in held) == (column == "manager"), f"{column} holds {sorted(held)}"
        assert kind is None or member.organisation.kind == kind, f"{column} is in a {member.organisation.kind}"


def _publish_report(services: Any, author: Any, approver: Any) -> None:
    from reporting.models import ReportVersion

    if ReportVersion.objects.filter(status="published").exists():
        return
    version = services.start_report(author, year=2024)
    for section in version.sections.all():
        services.update_section(author, section, title=section.title, body="The profession kept its promises.")
    services.submit(author, version)
    services.approve(approver, version)
    # Who may download the PDF is the question here, not how it is drawn (tests/reporting/test_report_pdf.py):
    # stand in for the rendering job, which runs only after the world's transaction would commit.
    ReportVersion.objects.filter(pk=version.pk).update(pdf=b"%PDF-1.7 authz world", pdf_status="ready")


# --- The matrix -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One call (URL name, method, arguments) and what each role must get."""

    group: str
    name: str
    method: str
    args: tuple[tuple[str, str], ...]
    expect: dict[str, int | str]
    query: tuple[tuple[str, str], ...] = ()
    data: tuple[tuple[str, Any], ...] = ()
    path: str | None = None  # a literal path instead of a URL name (the admin site, the API's catch-all)
    note: str = ""

    @property
    def id(self) -> str:
        where = " ".join(f"{k}={v}" for k, v in self.args + self.query)
        return f"{self.name} {self.method}{' ' + where if where else ''}"

    def url(self, world: dict[str, Any]) -> str:
        def value(raw: str) -> Any:
            return world.get(raw, raw)

        base = self.path or reverse(self.name, kwargs={k: value(v) for k, v in self.args})
        if self.query:
            from urllib.parse import urlencode

            base += "?" + urlencode({k: value(v) for k, v in self.query})
        return base

    def body(self, world: dict[str, Any]) -> dict[str, Any]:
        return {k: world.get(v, v) if isinstance(v, str) else v for k, v in self.data}


_CALL = re.compile(r"^(?P<method>[A-Z]+)(?P<rest>(?:\s+\S+=\S+)*)\s*$")


def _expectations(raw: dict[str, Any], where: str) -> dict[str, int | str]:
    unknown = set(raw) - set(ROLES) - {"*"}
    if unknown:
        raise ValueError(f"{where}: unknown roles {sorted(unknown)}")
    default = raw.get("*")
    expect: dict[str, int | str] = {}
    for role in ROLES:
        outcome = raw.get(role, default)
        if outcome is None:
            raise ValueError(f"{where}: no outcome for {role} and no '*' default")
        if not (isinstance(outcome, int) or outcome in (LOGIN, REDIRECT)):
            raise ValueError(f"{where}: outcome {outcome!r} is not a status code, {LOGIN!r} or {REDIRECT!r}")
        expect[role] = outcome
    return expect


def load_matrix(path: Path = MATRIX_PATH) -> list[Case]:
    """Every case in the matrix file. The file groups URL names by app; each name lists its calls."""
    document = yaml.safe_load(path.read_text())
    cases: list[Case] = []
    for group, names in document["urls"].items():
        for name, calls in names.items():
            for entry in calls:
                where = f"{group}/{name}"
                match = _CALL.match(entry["call"])
                if not match or match["method"] not in METHODS:
                    raise ValueError(f"{where}: cannot read call {entry['call']!r}")
                pairs = tuple(tuple(p.split("=", 1)) for p in match["rest"].split())
                cases.append(
                    Case(
                        group=group,
                        name=name,
                        method=match["method"],
                        args=pairs,  # type: ignore[arg-type]
                        expect=_expectations(entry["expect"], f"{where} {entry['call']}"),
                        query=tuple((entry.get("query") or {}).items()),
                        data=tuple((entry.get("data") or {}).items()),
                        path=entry.get("path"),
                        note=entry.get("note", ""),
                    )
                )
    return cases


# --- The URLconf ----------------------------------------------------------------------------------------------


@dataclass
class Route:
    """One URL pattern: its name (or route when unnamed) and, for API views, the methods it answers."""

    name: str
    route: str
    methods: set[str] = field(default_factory=set)


_ADMIN_PREFIX = "django-admin/"


def routes() -> Iterator[Route]:
    """Every URL pattern in the project, the Django admin site folded into one route."""
    admin_seen = False
    for route, pattern in _walk(get_resolver().url_patterns, ""):
        if route.startswith(_ADMIN_PREFIX):
            if not admin_seen:
                admin_seen = True
                yield Route(name=_ADMIN_PREFIX, route=_ADMIN_PREFIX)
            continue
        yield Route(name=_qualified_name(pattern), route=route, methods=_api_methods(pattern.callback))


def _walk(patterns: list[Any], prefix: str, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _qualified_name(pattern: URLPattern) -> str:
    return pattern.name or str(pattern.pattern)


def _api_methods(callback: Any) -> set[str]:
    """What a DRF view answers (its viewset action map or its handlers); empty for plain Django views."""
    actions = getattr(callback, "actions", None)
    if actions:
        return {m.upper() for m in actions} & set(METHODS)
    cls = getattr(callback, "cls", None)
    if cls is None:
        return set()
    return {m.upper() for m in cls.http_method_names if hasattr(cls, m)} & set(METHODS)
