"""A synthetic profession at full scale, for benchmarks: organisations sized like real departments, a grade
mix, job families, a 40-skill framework whose role profiles expect every skill, current assessments for most
members plus older history, and interventions with cohorts.

Members and users are streamed in with PostgreSQL COPY; the ~12 million assessments are generated inside
PostgreSQL (INSERT ... SELECT over generate_series), which is faster than streaming them from Python."""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from odp.models import Grade, JobFamily, Member, Organisation, OrganisationKind, Region, RoleAssignment, User
from odp.sql import table as _t
from skills import coverage
from skills.models import (
    Assessment,
    Cohort,
    CurrentLevel,
    Enrolment,
    Expectation,
    Framework,
    FrameworkVersion,
    Intervention,
    MemberCoverage,
    ProficiencyLevel,
    RoleProfile,
    Skill,
    SkillGroup,
    VersionStatus,
)

SYNTHETIC_PREFIX = "synthetic-"
FRAMEWORK_SLUG = "odp-skills"

# (name, kind, share of the profession): sized roughly like the real operational workforces.
ORGANISATIONS: list[tuple[str, str, float]] = [
    ("Department for Work and Pensions", OrganisationKind.MINISTERIAL_DEPARTMENT, 0.27),
    ("HM Revenue and Customs", OrganisationKind.NON_MINISTERIAL_DEPARTMENT, 0.17),
    ("HM Prison and Probation Service", OrganisationKind.EXECUTIVE_AGENCY, 0.14),
    ("Border Force", OrganisationKind.EXECUTIVE_AGENCY, 0.035),
    ("HM Passport Office", OrganisationKind.EXECUTIVE_AGENCY, 0.02),
    ("UK Visas and Immigration", OrganisationKind.EXECUTIVE_AGENCY, 0.03),
    ("HM Courts and Tribunals Service", OrganisationKind.EXECUTIVE_AGENCY, 0.05),
    ("Driver and Vehicle Licensing Agency", OrganisationKind.EXECUTIVE_AGENCY, 0.02),
    ("Driver and Vehicle Standards Agency", OrganisationKind.EXECUTIVE_AGENCY, 0.015),
    ("Rural Payments Agency", OrganisationKind.EXECUTIVE_AGENCY, 0.008),
    ("Companies House", OrganisationKind.EXECUTIVE_AGENCY, 0.004),
    ("Insolvency Service", OrganisationKind.EXECUTIVE_AGENCY, 0.006),
    ("HM Land Registry", OrganisationKind.NON_MINISTERIAL_DEPARTMENT, 0.02),
    ("Valuation Office Agency", OrganisationKind.EXECUTIVE_AGENCY, 0.01),
    ("Student Loans Company", OrganisationKind.ARMS_LENGTH_BODY, 0.01),
    ("Legal Aid Agency", OrganisationKind.EXECUTIVE_AGENCY, 0.004),
    ("Disclosure and Barring Service", OrganisationKind.ARMS_LENGTH_BODY, 0.003),
    ("Crown Prosecution Service", OrganisationKind.NON_MINISTERIAL_DEPARTMENT, 0.01),
    ("Office of the Public Guardian", OrganisationKind.EXECUTIVE_AGENCY, 0.004),
    ("Home Office", OrganisationKind.MINISTERIAL_DEPARTMENT, 0.03),
    ("Ministry of Justice", OrganisationKind.MINISTERIAL_DEPARTMENT, 0.01),
    ("Ministry of Defence", OrganisationKind.MINISTERIAL_DEPARTMENT, 0.03),
    ("Foreign, Commonwealth and Development Office", OrganisationKind.MINISTERIAL_DEPARTMENT, 0.01),
    ("Department for Education", OrganisationKind.MINISTERIAL_DEPARTMENT, 0.006),
    ("Department for Transport", OrganisationKind.MINISTERIAL_DEPARTMENT, 0.004),
    ("Department of Health and Social Care", OrganisationKind.MINISTERIAL_DEPARTMENT, 0.004),
    ("Department for Environment, Food and Rural Affairs", OrganisationKind.MINISTERIAL_DEPARTMENT, 0.006),
    ("Department for Business and Trade", OrganisationKind.MINISTERIAL_DEPARTMENT, 0.004),
    ("Cabinet Office", OrganisationKind.MINISTERIAL_DEPARTMENT, 0.005),
    ("Government Property Agency", OrganisationKind.EXECUTIVE_AGENCY, 0.002),
    ("UK Health Security Agency", OrganisationKind.EXECUTIVE_AGENCY, 0.008),
    ("Medicines and Healthcare products Regulatory Agency", OrganisationKind.EXECUTIVE_AGENCY, 0.003),
    ("Environment Agency", OrganisationKind.ARMS_LENGTH_BODY, 0.01),
    ("Natural England", OrganisationKind.ARMS_LENGTH_BODY, 0.003),
    ("Maritime and Coastguard Agency", OrganisationKind.EXECUTIVE_AGENCY, 0.003),
    ("Vehicle Certification Agency", OrganisationKind.EXECUTIVE_AGENCY, 0.001),
    ("Planning Inspectorate", OrganisationKind.EXECUTIVE_AGENCY, 0.002),
    ("National Savings and Investments", OrganisationKind.NON_MINISTERIAL_DEPARTMENT, 0.002),
    ("Office for National Statistics", OrganisationKind.NON_MINISTERIAL_DEPARTMENT, 0.006),
    ("Intellectual Property Office", OrganisationKind.EXECUTIVE_AGENCY, 0.003),
    ("Criminal Injuries Compensation Authority", OrganisationKind.EXECUTIVE_AGENCY, 0.001),
    ("Child Maintenance Service", OrganisationKind.EXECUTIVE_AGENCY, 0.01),
    ("Jobcentre Plus Operations", OrganisationKind.EXECUTIVE_AGENCY, 0.02),
    ("Scottish Government Operations", OrganisationKind.ARMS_LENGTH_BODY, 0.01),
    ("Welsh Government Operations", OrganisationKind.ARMS_LENGTH_BODY, 0.005),
    ("Manchester City Council", OrganisationKind.LOCAL_AUTHORITY, 0.003),
    ("Kent County Council", OrganisationKind.LOCAL_AUTHORITY, 0.003),
    ("Northgate Contact Services Ltd (illustrative partner)", OrganisationKind.PRIVATE_PARTNER, 0.002),
]
GRADE_MIX = [
    (Grade.AA, 0.05), (Grade.AO, 0.40), (Grade.EO, 0.30), (Grade.HEO, 0.13), (Grade.SEO, 0.07),
    (Grade.G7, 0.035), (Grade.G6, 0.01), (Grade.SCS1, 0.004), (Grade.SCS2, 0.0008), (Grade.SCS3, 0.0002),
]  # fmt: skip
ROLE_LEVEL_BY_GRADE = {"AA": 1, "AO": 1, "EO": 2, "HEO": 3, "SEO": 3, "G7": 4, "G6": 4, "SCS1": 5, "SCS2": 5, "SCS3": 5}
SKILL_GROUPS = ["Customer service", "Casework and decisions", "Demand and workforce", "Continuous improvement",
                "Leadership and people", "Digital", "Data", "AI and automation"]  # fmt: skip
SKILLS_PER_GROUP = 5
ASSESSED_SHARE = 0.92  # share of member × skill pairs with a current rating
HISTORY_SHARE = 0.30  # share of rated pairs with an older self-assessment too


@dataclass
class ScaleReport:
    members: int
    assessments: int
    current_levels: int
    seconds: float


class NotSynthetic(Exception):
    pass


def ensure_synthetic_only() -> None:
    """Refuse to touch a database that holds real people."""
    real = Member.objects.exclude(user__username__startswith=SYNTHETIC_PREFIX).count()
    if real:
        raise NotSynthetic(
            f"This database holds {real} members that are not synthetic; generate_scale_data only runs on a "
            "database of its own (for example the benchmark database that `make bench` creates)."
        )


def role_holder(role: str, *, scope: Organisation | None, home: Organisation, exclude: set[int]) -> Member:
    """A synthetic member holding ``role`` (for ``scope``, where the role is scoped to an organisation), for the
    benchmarks' sign-ins: the one who already holds it, or else the role is granted now to a member of ``home``
    without roles, so every run signs in as the same people."""
    synthetic = Member.objects.filter(user__username__startswith=SYNTHETIC_PREFIX, is_active=True).exclude(
        pk__in=exclude
    )
    held = synthetic.filter(role_assignments__role=role)
    if scope is not None:
        held = held.filter(role_assignments__organisation=scope)
    found = held.order_by("pk").first()
    if found is not None:
        return found
    member = synthetic.filter(organisation=home, role_assignments__isnull=True).order_by("pk").first()
    if member is None:
        raise SystemExit(f"No synthetic member of {home} without a role to make {role}.")
    RoleAssignment.objects.create(member=member, role=role, organisation=scope)
    return member


def synthetic_member_count() -> int:
    return Member.objects.filter(user__username__startswith=SYNTHETIC_PREFIX).count()


def _progress(label: str) -> Callable[[float], None]:
    started = time.monotonic()

    def show(fraction: float) -> None:
        width = 30
        done = int(width * fraction)
        bar = "#" * done + "-" * (width - done)
        end = "\n" if fraction >= 1 else ""
        prefix = "\r" if sys.stderr.isatty() else ""
        if sys.stderr.isatty() or fraction >= 1 or int(fraction * 100) % 25 == 0:
            sys.stderr.write(f"{prefix}{label:<28} [{bar}] {fraction:5.0%} {time.monotonic() - started:6.1f}s{end}")
            if not sys.stderr.isatty() and fraction < 1:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return show


def _framework() -> FrameworkVersion:
    framework, _ = Framework.objects.get_or_create(
        slug=FRAMEWORK_SLUG, defaults={"name": "ODP skills framework (synthetic benchmark copy)"}
    )
    version = FrameworkVersion.objects.create(
        framework=framework, number=1, status=VersionStatus.PUBLISHED, published_at=timezone.now(), is_illustrative=True
    )
    for value, name in enumerate(["Awareness", "Working", "Practitioner", "Expert"], start=1):
        ProficiencyLevel.objects.create(version=version, value=value, name=name, is_threshold=value == 2)
    descriptors = {str(v): f"Level {v} descriptor" for v in range(1, 5)}
    skills = []
    for position, group_name in enumerate(SKILL_GROUPS):
        group = SkillGroup.objects.create(version=version, code=f"G{position + 1}", name=group_name, position=position)
        for n in range(SKILLS_PER_GROUP):
            skills.append(
                Skill(
                    version=version,
                    group=group,
                    code=f"S{position + 1}{n + 1}",
                    name=f"{group_name} skill {n + 1}",
                    descriptors=descriptors,
                    is_digital=position >= 5,
                    is_ai=position == 7,
                    position=n,
                )
            )
    Skill.objects.bulk_create(skills)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_t(Skill)} SET lineage = id WHERE version_id = %s", [version.pk])
    skills = list(version.skills.all())
    for family in JobFamily.values:
        for role_level in range(1, 6):
            profile = RoleProfile.objects.create(version=version, job_family=family, role_level=role_level)
            Expectation.objects.bulk_create(
                Expectation(profile=profile, skill=s, expected_level=min(4, max(1, (role_level + i % 3) // 2 + 1)))
                for i, s in enumerate(skills)
            )
    return version


def _organisations() -> list[tuple[int, float]]:
    result = []
    for name, kind, share in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            name=name, defaults={"slug": f"{SYNTHETIC_PREFIX}{slugify(name)}"[:80], "kind": kind}
        )
        result.append((org.pk, share))
    return result


def _member_rows(count: int, first_id: int, orgs: list[tuple[int, float]], rng: random.Random) -> Iterator[tuple]:
    org_ids, org_weights = zip(*orgs, strict=True)
    grades, grade_weights = zip(*GRADE_MIX, strict=True)
    families = JobFamily.values
    regions = Region.values
    org_choice = rng.choices(org_ids, weights=org_weights, k=count)
    grade_choice = rng.choices(grades, weights=grade_weights, k=count)
    now = timezone.now()
    for i in range(count):
        pk = first_id + i
        grade = grade_choice[i]
        yield (pk, pk, org_choice[i], grade, families[pk % len(families)], ROLE_LEVEL_BY_GRADE[grade], None,
               regions[pk % len(regions)], True, now)  # fmt: skip


def _copy(table: str, columns: list[str], rows: Iterator[tuple], total: int, label: str) -> None:
    show = _progress(label)
    raw = connection.connection  # the psycopg 3 connection under Django's wrapper
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for n, row in enumerate(rows, start=1):
            copy.write_row(row)
            if n % 20000 == 0:
                show(n / total)
    show(1.0)


def _reset_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {_t(model)}")


def _assessments(version: FrameworkVersion, first_member: int, last_member: int) -> None:
    """Current ratings for ~92% of member × skill pairs, levels tending to rise with role level, and older
    self-assessments for some of them; generated in chunks of members for a progress bar."""
    show = _progress("Assessments")
    chunk = 20000
    span = last_member - first_member + 1
    with connection.cursor() as cursor:
        for start in range(first_member, last_member + 1, chunk):
            end = min(start + chunk - 1, last_member)
            cursor.execute(
                f"""
                INSERT INTO {_t(Assessment)}
                    (member_id, skill_id, lineage, version_id, level, rater_kind, rated_by_id, rated_at,
                     rationale, responds_to_id)
                SELECT m.id, s.id, s.lineage, s.version_id,
                       LEAST(4, GREATEST(1, FLOOR(m.role_level * 0.6 + random() * 2.6)::int)),
                       CASE WHEN random() < 0.6 THEN 'line_manager' ELSE 'self' END,
                       NULL, now() - random() * interval '300 days', '', NULL
                FROM {_t(Member)} m CROSS JOIN {_t(Skill)} s
                WHERE s.version_id = %s AND m.id BETWEEN %s AND %s AND random() < %s
                """,
                [version.pk, start, end, ASSESSED_SHARE],
            )
            cursor.execute(
                f"""
                INSERT INTO {_t(CurrentLevel)} (member_id, lineage, assessment_id, level, rater_kind, rated_at)
                SELECT member_id, lineage, id, level, rater_kind, rated_at FROM {_t(Assessment)}
                WHERE member_id BETWEEN %s AND %s
                """,
                [start, end],
            )
            cursor.execute(
                f"""
                INSERT INTO {_t(Assessment)}
                    (member_id, skill_id, lineage, version_id, level, rater_kind, rated_by_id, rated_at,
                     rationale, responds_to_id)
                SELECT a.member_id, a.skill_id, a.lineage, a.version_id, GREATEST(1, a.level - 1), 'self', NULL,
                       a.rated_at - interval '400 days', '', NULL
                FROM {_t(CurrentLevel)} c JOIN {_t(Assessment)} a ON a.id = c.assessment_id
                WHERE c.member_id BETWEEN %s AND %s AND random() < %s
                """,
                [start, end, HISTORY_SHARE],
            )
            show((end - first_member + 1) / span)


def _interventions(first_member: int, last_member: int, version: FrameworkVersion) -> None:
    skills = list(version.skills.order_by("pk"))
    today = timezone.localdate()
    with connection.cursor() as cursor:
        for i, name in enumerate(["Operational delivery apprenticeship", "AI foundations", "Leading teams"]):
            intervention = Intervention.objects.create(name=f"{name} (synthetic)", kind="course", provider="Synthetic")
            intervention.target_skills.set(skills[i * 10 : i * 10 + 5])
            for c in range(4):
                starts = today.replace(day=1) - timezone.timedelta(days=120 * (c + 2))
                cohort = Cohort.objects.create(
                    intervention=intervention,
                    name=f"Cohort {c + 1}",
                    starts_on=starts,
                    ends_on=starts + timezone.timedelta(days=90),
                )
                cursor.execute(
                    f"""
                    INSERT INTO {_t(Enrolment)} (cohort_id, member_id, status, completed_on)
                    SELECT %s, id, 'completed', %s FROM {_t(Member)}
                    WHERE id BETWEEN %s AND %s AND id %% 97 = %s
                    """,
                    [cohort.pk, cohort.ends_on, first_member, last_member, i * 4 + c],
                )


def generate(members: int, *, seed: int = 20261129) -> ScaleReport:
    if connection.vendor != "postgresql":
        raise RuntimeError("Full-scale data needs PostgreSQL (it uses COPY and generate_series).")
    ensure_synthetic_only()
    started = time.monotonic()
    rng = random.Random(seed)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Generated rows are consistent by construction: skip per-row foreign key triggers while loading.
            cursor.execute("SET LOCAL session_replication_role = replica")
        version = _framework()
        orgs = _organisations()
        first_id = (Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        first_user = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        first_id = max(first_id, first_user)
        now = timezone.now()
        users = (
            (pk, "!", None, False, f"{SYNTHETIC_PREFIX}{pk}", "Synthetic", f"Member {pk}", "", False, True, now, "", "")
            for pk in range(first_id, first_id + members)
        )
        _copy(_t(User), [f.column for f in User._meta.concrete_fields], users, members, "Users (COPY)")
        member_columns = [f.column for f in Member._meta.concrete_fields]
        _copy(_t(Member), member_columns, _member_rows(members, first_id, orgs, rng), members, "Members (COPY)")
        _reset_sequence(User)
        _reset_sequence(Member)
        _assessments(version, first_id, first_id + members - 1)
        _interventions(first_id, first_id + members - 1, version)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # What skills.services keeps up to date with every rating, worked out once for the bulk-loaded levels.
    coverage.refresh_all()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {_t(MemberCoverage)}")
    return ScaleReport(
        members=synthetic_member_count(),
        assessments=Assessment.objects.count(),
        current_levels=CurrentLevel.objects.count(),
        seconds=time.monotonic() - started,
    )
