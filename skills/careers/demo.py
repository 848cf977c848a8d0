"""Demo career opportunities for `seed_demo` (called from skills.demo.seed): about thirty roles, secondments,
apprenticeships and learning events from central departments, two local authorities and the illustrative
partner. Some are shared across the central/local divide, some only within central government or the offering
organisation, and some are past their closing date (two already closed; the rest close on the next daily run).
Idempotent: skipped once any opportunity exists. The links to apply are illustrative (example.org)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from odp.models import Organisation
from skills.models import FrameworkVersion, Opportunity, OpportunityStatus, RoleProfile

A, C, OWN = "across_the_divide", "central_government", "organisation"
ROLE, SECONDMENT, APPRENTICESHIP, EVENT = "role", "secondment", "apprenticeship", "learning_event"

# (organisation slug, title, kind, job family, role level, grade or band, location ("" = remote only), remote,
#  days until closing (negative: already past), audience, summary)
# fmt: off
OPPORTUNITIES: tuple[tuple, ...] = (
    ("manchester-city-council", "Senior revenues and benefits caseworker (secondment)", SECONDMENT, "casework", 3,
     "Grade 7 (local government), comparable to HEO", "Manchester", True, 26, A,
     "Twelve months with the council's revenues and benefits team: complex council tax support and housing benefit "
     "cases, coaching newer caseworkers, and joining up with DWP on Universal Credit migration."),
    ("manchester-city-council", "Customer contact team leader", ROLE, "customer_service", 3,
     "Grade 6 (local government), comparable to HEO", "Manchester", False, 19, A,
     "Lead a team of twelve advisers answering council tax, waste and housing enquiries by phone and web chat."),
    ("manchester-city-council", "Housing options adviser", ROLE, "casework", 2,
     "Grade 5 (local government), comparable to EO", "Manchester", False, 33, A,
     "Assess homelessness applications and agree personal housing plans with residents."),
    ("manchester-city-council", "Digital service improvement secondment", SECONDMENT, "operational_improvement", 2,
     "Comparable to EO or HEO", "Manchester", True, 40, A,
     "Six months redesigning the council's online forms with a multidisciplinary team."),
    ("manchester-city-council", "Council tax recovery officer", ROLE, "compliance", 2,
     "Grade 5 (local government)", "Manchester", False, 14, OWN,
     "For Manchester City Council staff: recover unpaid council tax fairly, with support for residents in debt."),
    ("manchester-city-council", "Welfare rights caseworker", ROLE, "casework", 2,
     "Grade 5 (local government)", "Manchester", False, -6, A,
     "Help residents claim the benefits they are entitled to. (Closing date passed.)"),
    ("kent-county-council", "Adult social care contact centre adviser", ROLE, "customer_service", 2,
     "KR6 (Kent scheme), comparable to EO", "Maidstone", False, 22, A,
     "First point of contact for residents asking about care and support."),
    ("kent-county-council", "Blue Badge assessment caseworker", ROLE, "casework", 2,
     "KR6 (Kent scheme), comparable to EO", "Maidstone", True, 29, A,
     "Decide Blue Badge applications against the national eligibility criteria."),
    ("kent-county-council", "Border traffic resilience planner (secondment)", SECONDMENT, "planning_performance", 3,
     "KR9 (Kent scheme), comparable to SEO", "Maidstone", False, 35, A,
     "Plan for cross-Channel disruption with Border Force, National Highways and Kent Police."),
    ("kent-county-council", "Customer service apprenticeship (level 3)", APPRENTICESHIP, "customer_service", 1,
     "Apprentice rate", "Maidstone", False, -12, A,
     "An 18-month apprenticeship in the council's contact centre. (Closing date passed.)"),
    ("northgate-contact-services", "Contact centre quality coach", ROLE, "customer_service", 3,
     "Team coach band, comparable to HEO", "Sunderland", True, 24, A,
     "Coach advisers on a government helpline contract: call listening, feedback and calibration."),
    ("northgate-contact-services", "Workforce planning analyst", ROLE, "planning_performance", 2,
     "Analyst band, comparable to EO", "", True, 30, A,
     "Forecast call demand and schedule advisers across three sites for public sector clients."),
    ("northgate-contact-services", "Open day: a week on a public service helpline", EVENT, "customer_service", 2,
     "Any grade", "Sunderland", False, 11, A,
     "Shadow advisers for a day and see how a partner runs a government contact centre."),
    ("dwp", "Universal Credit case manager", ROLE, "casework", 3, "HEO", "Leeds", False, 21, C,
     "Manage complex Universal Credit cases and support a team of work coaches."),
    ("dwp", "Service centre team leader", ROLE, "operational_management", 3, "HEO", "Newcastle upon Tyne", False,
     28, C, "Lead a team of twelve processing pension credit claims."),
    ("dwp", "Operational delivery apprenticeship (level 4)", APPRENTICESHIP, "operational_management", 2, "EO",
     "Blackpool", False, 45, A,
     "A 15-month apprenticeship in leading operational delivery, open to colleagues in partner organisations."),
    ("dwp", "Fraud and error investigator", ROLE, "compliance", 2, "EO", "Sheffield", False, -20, C,
     "Investigate suspected benefit fraud. (Closed.)"),
    ("hmrc", "Customer compliance caseworker", ROLE, "compliance", 2, "EO", "Bristol", True, 18, C,
     "Check tax returns and correct errors with customers."),
    ("hmrc", "Secondment to a local authority revenues team", SECONDMENT, "compliance", 3, "HEO", "Manchester",
     False, 37, A, "Bring HMRC's debt management approach to a council's revenues team for nine months."),
    ("hmrc", "Contact centre adviser (self assessment peak)", ROLE, "customer_service", 2, "AO", "Cardiff", False,
     9, OWN, "For HMRC staff: answer self assessment calls over the January peak."),
    ("home-office", "Operational performance analyst", ROLE, "planning_performance", 3, "SEO", "Croydon", True, 31,
     C, "Build the performance reporting for the visa and passport operations."),
    ("hm-passport-office", "Senior passport examiner", ROLE, "casework", 3, "HEO", "Liverpool", False, 16, OWN,
     "For Home Office staff: decide complex passport applications and coach examiners."),
    ("hm-passport-office", "Passport examiner", ROLE, "casework", 2, "EO", "Durham", False, -3, OWN,
     "Decide passport applications. (Closing date passed.)"),
    ("uk-visas-and-immigration", "Visa decision maker", ROLE, "casework", 2, "EO", "Sheffield", False, 27, C,
     "Decide visit and work visa applications against the Immigration Rules."),
    ("border-force", "Border Force officer", ROLE, "border_security", 2, "AO", "Dover", False, 23, C,
     "Protect the border at Dover's Eastern Docks."),
    ("hm-prison-and-probation-service", "Probation services officer", ROLE, "custody_probation", 2,
     "Band 4", "Manchester", False, 34, A,
     "Supervise people on probation, working with local councils' housing and social care teams."),
    ("hm-courts-and-tribunals-service", "Tribunal caseworker", ROLE, "casework", 3, "HEO", "Birmingham", True, 25,
     C, "Make case management decisions for the employment tribunal."),
    ("companies-house", "Continuous improvement practitioner", ROLE, "operational_improvement", 3, "HEO",
     "Cardiff", True, 30, A, "Lead improvement projects across registration services."),
    ("cabinet-office", "Leading operational teams: masterclass", EVENT, "operational_management", 3, "HEO to G7",
     "", True, 13, A, "A half-day online masterclass for team leaders in central and local government."),
    ("cabinet-office", "Using AI tools well: open webinar", EVENT, "casework", 2, "Any grade", "", True, 8, A,
     "An hour on using AI assistants safely in casework, open to partners and local government."),
    ("driver-and-vehicle-licensing-agency", "Customer service adviser", ROLE, "customer_service", 2, "AO",
     "Swansea", False, -30, C, "Answer driver and vehicle enquiries. (Closed.)"),
)
# fmt: on
ALREADY_CLOSED = {"Fraud and error investigator", "Customer service adviser"}


def seed(version: FrameworkVersion) -> int:
    if Opportunity.objects.exists():
        return 0
    organisations = {o.slug: o for o in Organisation.objects.all()}
    profiles = {(p.job_family, p.role_level): p for p in RoleProfile.objects.filter(version=version)}
    today = timezone.localdate()
    now = timezone.now()
    rows = []
    for n, (slug, title, kind, family, level, grade, location, remote, days, audience, summary) in enumerate(
        OPPORTUNITIES, start=1
    ):
        if slug not in organisations or (family, level) not in profiles:
            continue
        closed = title in ALREADY_CLOSED
        rows.append(
            Opportunity(
                title=title,
                organisation=organisations[slug],
                kind=kind,
                summary=summary,
                location=location,
                is_remote=remote,
                grade=grade,
                closing_on=today + datetime.timedelta(days=days),
                role_profile=profiles[(family, level)],
                apply_url=f"https://careers.example.org/{slug}/{n}",
                apply_contact="" if n % 3 else f"recruitment@{slug}.example.org",
                audience=audience,
                status=OpportunityStatus.CLOSED if closed else OpportunityStatus.OPEN,
                closed_at=now if closed else None,
            )
        )
    Opportunity.objects.bulk_create(rows)
    return len(rows)
