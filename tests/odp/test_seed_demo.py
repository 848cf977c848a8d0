"""``manage.py seed_demo``: idempotent, deterministic, realistic, and only ever in the embedded profile."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F
from django.test import RequestFactory

from odp import access
from odp.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, ORGANISATIONS, build_people
from odp.demo.plan import username_prefix
from odp.models import (
    AuditEvent,
    Grade,
    JobFamily,
    Member,
    Organisation,
    OrganisationKind,
    Role,
    RoleAssignment,
    RoleLevel,
    User,
)

DOCS = Path(settings.BASE_DIR) / "docs" / "demo-accounts.md"
FRONT_LINE = {Grade.AA, Grade.AO, Grade.EO}
SCS = {Grade.SCS1, Grade.SCS2, Grade.SCS3}


def run_seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, object]:
    """Everything the seed writes, in a form two runs can be compared by."""
    return {
        "organisations": sorted(Organisation.objects.values_list("slug", "name", "kind", "parent__slug")),
        "users": sorted(User.objects.values_list("username", "first_name", "last_name", "email", "password")),
        "members": sorted(
            Member.objects.values_list(
                "user__username",
                "organisation__slug",
                "grade",
                "job_family",
                "role_level",
                "region",
                "line_manager__user__username",
            )
        ),
        "roles": sorted(RoleAssignment.objects.values_list("member__user__username", "role", "organisation__slug")),
        "audit_events": AuditEvent.objects.count(),
    }


@pytest.fixture(scope="module")
def seeded_world(django_db_setup, django_db_blocker) -> Iterator[str]:
    """seed_demo run once for the module, in a transaction rolled back at its end; each test runs in a savepoint
    inside it (``db``), so a test that seeds again or changes a record leaves the next test the world as seeded.
    (Seeding took seconds, and most of the tests here only read.) Tests that need an empty database are in
    test_seed_demo_fresh.py: in this module they would see the world."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run_seed()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_world, db) -> str:
    """The seeded world; seed_demo's output from seeding it."""
    return seeded_world


def member(username: str) -> Member:
    return Member.objects.select_related("organisation", "line_manager__user").get(user__username=username)


# Idempotent and deterministic


def test_second_run_changes_nothing(seeded):
    before = snapshot()

    output = run_seed()

    assert snapshot() == before
    assert "already up to date" in output


def test_counts_are_the_plan(seeded):
    people = build_people()
    assert Organisation.objects.count() == len(ORGANISATIONS)
    assert Member.objects.count() == len(people)
    assert User.objects.count() == len(people)
    assert 300 <= len(people) <= 600


def test_plan_is_deterministic():
    first = [vars(p) for p in build_people()]
    second = [vars(p) for p in build_people()]

    assert first == second


def test_database_matches_the_plan(seeded):
    stored = {
        row[0]: row[1:]
        for row in Member.objects.values_list(
            "user__username",
            "organisation__slug",
            "grade",
            "job_family",
            "role_level",
            "region",
            "line_manager__user__username",
        )
    }
    planned = {
        p.username: (p.organisation, p.grade, p.job_family, p.role_level, p.region, p.manager) for p in build_people()
    }
    assert stored == planned


def test_usernames_and_prefixes_are_unique():
    usernames = [p.username for p in build_people()]
    prefixes = [username_prefix(spec) for spec in ORGANISATIONS]
    assert len(usernames) == len(set(usernames))
    assert len(prefixes) == len(set(prefixes))


def test_drift_is_corrected_and_summarised_once(seeded):
    expected = snapshot()
    staff = member("staff")
    staff.grade = Grade.G7
    staff.line_manager = None
    staff.save()
    User.objects.filter(username="admin").update(password="!")
    events_before = AuditEvent.objects.count()

    output = run_seed()

    assert member("staff").grade == Grade.EO
    assert member("staff").line_manager.user.username == "manager"
    assert User.objects.get(username="admin").check_password(DEMO_PASSWORD)
    assert "Updated: 1 members, 1 line_managers" in output
    summaries = AuditEvent.objects.filter(object_repr="Demo data (seed_demo)")
    assert AuditEvent.objects.count() == events_before + 1
    assert summaries.count() == 2
    current = snapshot()
    # Only the password hash (fresh salt) and the audit trail differ from the first run.
    for key in ("organisations", "members", "roles"):
        assert current[key] == expected[key]


def test_one_summary_audit_event_with_no_actor(seeded):
    run_seed()

    summary = AuditEvent.objects.get(object_repr="Demo data (seed_demo)")
    assert summary.actor is None
    assert summary.action == AuditEvent.Action.CREATE
    assert summary.changes["members"] == [0, len(build_people())]
    # The core records are the system's; the skills demo is attributed to the demo admin who "imported" it.
    assert not AuditEvent.objects.filter(object_type__startswith="odp.").exclude(actor=None).exists()


# Organisations


@pytest.mark.parametrize(
    ("slug", "kind", "parent"),
    [
        ("hmrc", OrganisationKind.NON_MINISTERIAL_DEPARTMENT, None),
        ("valuation-office-agency", OrganisationKind.EXECUTIVE_AGENCY, "hmrc"),
        ("dwp", OrganisationKind.MINISTERIAL_DEPARTMENT, None),
        ("home-office", OrganisationKind.MINISTERIAL_DEPARTMENT, None),
        ("hm-passport-office", OrganisationKind.EXECUTIVE_AGENCY, "home-office"),
        ("border-force", OrganisationKind.EXECUTIVE_AGENCY, "home-office"),
        ("uk-visas-and-immigration", OrganisationKind.EXECUTIVE_AGENCY, "home-office"),
        ("hm-prison-and-probation-service", OrganisationKind.EXECUTIVE_AGENCY, "ministry-of-justice"),
        ("hm-courts-and-tribunals-service", OrganisationKind.EXECUTIVE_AGENCY, "ministry-of-justice"),
        ("driver-and-vehicle-licensing-agency", OrganisationKind.EXECUTIVE_AGENCY, "department-for-transport"),
        ("driver-and-vehicle-standards-agency", OrganisationKind.EXECUTIVE_AGENCY, "department-for-transport"),
        ("companies-house", OrganisationKind.EXECUTIVE_AGENCY, "department-for-business-and-trade"),
        ("insolvency-service", OrganisationKind.EXECUTIVE_AGENCY, "department-for-business-and-trade"),
        ("rural-payments-agency", OrganisationKind.EXECUTIVE_AGENCY, "department-for-environment-food-rural-affairs"),
        ("hm-land-registry", OrganisationKind.NON_MINISTERIAL_DEPARTMENT, None),
        ("student-loans-company", OrganisationKind.ARMS_LENGTH_BODY, "department-for-education"),
        ("cabinet-office", OrganisationKind.MINISTERIAL_DEPARTMENT, None),
        ("ministry-of-defence", OrganisationKind.MINISTERIAL_DEPARTMENT, None),
        ("foreign-commonwealth-development-office", OrganisationKind.MINISTERIAL_DEPARTMENT, None),
        ("department-of-health-and-social-care", OrganisationKind.MINISTERIAL_DEPARTMENT, None),
        ("manchester-city-council", OrganisationKind.LOCAL_AUTHORITY, None),
        ("kent-county-council", OrganisationKind.LOCAL_AUTHORITY, None),
        ("northgate-contact-services", OrganisationKind.PRIVATE_PARTNER, None),
    ],
)
def test_organisation_kinds_and_parents(seeded, slug, kind, parent):
    organisation = Organisation.objects.select_related("parent").get(slug=slug)
    assert organisation.kind == kind
    assert (organisation.parent.slug if organisation.parent else None) == parent


def test_private_partner_is_labelled_illustrative(seeded):
    partner = Organisation.objects.get(kind=OrganisationKind.PRIVATE_PARTNER)
    assert "illustrative" in partner.name


# Demo sign-ins


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_each_demo_account_signs_in_with_the_demo_password(seeded, account):
    request = RequestFactory().post("/accounts/login/")

    user = authenticate(request, username=account.username, password=DEMO_PASSWORD)

    assert user is not None
    assert user.username == account.username
    assert not user.is_superuser
    assert user.member.organisation.slug == account.organisation


@pytest.mark.parametrize(
    ("username", "role"),
    [
        ("staff", Role.STAFF),
        ("manager", Role.LINE_MANAGER),
        ("hop.homeoffice", Role.HEAD_OF_PROFESSION),
        ("hop.dwp", Role.HEAD_OF_PROFESSION),
        ("admin", Role.ODP_ADMIN),
        ("admin2", Role.ODP_ADMIN),
        ("coordinator", Role.SRRT_COORDINATOR),
        ("responder", Role.SRRT_RESPONDER),
        ("requester", Role.DEPARTMENT_REQUESTER),
        ("la.member", Role.STAFF),
        ("partner.member", Role.STAFF),
    ],
)
def test_each_demo_account_has_its_role(seeded, username, role):
    assert role in member(username).roles


def test_staff_is_a_passport_office_eo_managed_by_manager(seeded):
    staff = member("staff")
    assert staff.organisation.slug == "hm-passport-office"
    assert staff.grade == Grade.EO
    assert staff.line_manager.user.username == "manager"
    assert Role.LINE_MANAGER not in staff.roles


def test_manager_has_reports_and_a_manager(seeded):
    manager = member("manager")
    assert manager.reports.count() >= 3
    assert manager.line_manager is not None
    assert manager.line_manager.organisation_id == manager.organisation_id


def test_home_office_head_of_profession_covers_its_bodies(seeded):
    scope = access.head_of_profession_organisation_ids(member("hop.homeoffice"))
    names = set(Organisation.objects.filter(pk__in=scope).values_list("name", flat=True))

    assert {"Home Office", "HM Passport Office", "Border Force", "UK Visas and Immigration"} <= names
    assert "Department for Work and Pensions" not in names


def test_dwp_head_of_profession_covers_dwp_only(seeded):
    scope = access.head_of_profession_organisation_ids(member("hop.dwp"))
    assert set(Organisation.objects.filter(pk__in=scope).values_list("slug", flat=True)) == {"dwp"}


def test_requester_covers_hmrc_and_its_agency(seeded):
    scope = access.requester_organisation_ids(member("requester"))
    assert set(Organisation.objects.filter(pk__in=scope).values_list("slug", flat=True)) == {
        "hmrc",
        "valuation-office-agency",
    }


def test_generated_members_cannot_sign_in(seeded):
    named = {a.username for a in DEMO_ACCOUNTS}
    generated = User.objects.exclude(username__in=named)
    assert generated.exists()
    assert not any(u.has_usable_password() for u in generated)


def test_docs_list_every_demo_account_and_the_password():
    text = DOCS.read_text()
    assert DEMO_PASSWORD in text
    for account in DEMO_ACCOUNTS:
        assert f"`{account.username}`" in text
    assert len(DEMO_PASSWORD) > 12


def test_command_prints_the_sign_ins(seeded):
    for account in DEMO_ACCOUNTS:
        assert account.username in seeded
    assert DEMO_PASSWORD in seeded


# A plausible profession


def test_grade_mix_is_plausible(seeded):
    grades = Counter(Member.objects.values_list("grade", flat=True))
    total = sum(grades.values())

    assert (grades[Grade.AO] + grades[Grade.EO]) / total > 0.5
    assert sum(grades[g] for g in SCS) / total < 0.02
    assert grades[Grade.HEO] + grades[Grade.SEO] < grades[Grade.AO] + grades[Grade.EO]
    assert grades[Grade.G7] + grades[Grade.G6] < grades[Grade.HEO] + grades[Grade.SEO]


def test_big_operational_bodies_hold_most_members(seeded):
    operational = {
        "dwp",
        "hmrc",
        "hm-prison-and-probation-service",
        "border-force",
        "hm-passport-office",
        "uk-visas-and-immigration",
    }
    in_operational = Member.objects.filter(organisation__slug__in=operational).count()
    assert in_operational / Member.objects.count() > 0.5


def test_front_line_staff_report_to_an_heo_or_seo_in_their_organisation(seeded):
    front_line = Member.objects.filter(grade__in=FRONT_LINE)
    assert front_line.count() > 200
    assert not front_line.filter(line_manager=None).exists()
    assert not front_line.exclude(line_manager__grade__in=[Grade.HEO, Grade.SEO]).exists()
    assert not Member.objects.exclude(line_manager=None).exclude(line_manager__organisation=F("organisation")).exists()


def test_managers_are_more_senior_than_their_reports(seeded):
    order = list(Grade.values)
    pairs = Member.objects.exclude(line_manager=None).values_list("grade", "line_manager__grade")
    assert all(order.index(manager) > order.index(grade) for grade, manager in pairs)


@pytest.mark.parametrize(
    ("slug", "family"),
    [
        ("border-force", JobFamily.BORDER_AND_SECURITY),
        ("hm-prison-and-probation-service", JobFamily.CUSTODY_AND_PROBATION),
        ("uk-visas-and-immigration", JobFamily.CASEWORK),
    ],
)
def test_front_line_job_families_fit_the_organisation(seeded, slug, family):
    families = Counter(
        Member.objects.filter(organisation__slug=slug, grade__in=FRONT_LINE).values_list("job_family", flat=True)
    )
    assert families.most_common(1)[0][0] == family


def test_role_levels_follow_grade(seeded):
    for grade, level, reports in Member.objects.annotate(n=Count("reports")).values_list("grade", "role_level", "n"):
        if grade in SCS or grade == Grade.G6:
            assert level == RoleLevel.SENIOR_LEADER
        elif reports or grade in {Grade.SEO, Grade.G7}:
            assert level == RoleLevel.LEADER
        elif grade in {Grade.AA, Grade.AO}:
            assert level <= RoleLevel.PRACTITIONER
        else:
            assert RoleLevel.PRACTITIONER <= level <= RoleLevel.SENIOR_PRACTITIONER
