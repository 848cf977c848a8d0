"""`make bench`, ideas part: search, similar ideas and the review queue at 100,000 ideas on PostgreSQL.

Targets (issue 5): search and the similar-ideas lookup p95 under 150 ms; the review queue p95 under 150 ms.
Each measure calls the selector the page calls, the way the page calls it (the member looked up afresh, the
first page of results and its count), over varied queries, and reports p50 and p95.

The ideas are generated once, inside PostgreSQL (INSERT ... SELECT over generate_series), and reused on later
runs. Authors are the synthetic members `make bench` generates; on a database without them (for example
`odp_bench_ideas`), a smaller synthetic profession is streamed in with COPY first. A database holding any
real member is refused, like `generate_scale_data`.

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/odp_bench_ideas python -m benchmarks.ideas
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odp.settings.dev")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks import scale  # noqa: E402
from innovation import selectors  # noqa: E402
from innovation.models import Idea, IdeaStatus, Theme  # noqa: E402
from odp.models import Member, Organisation, OrganisationKind, Role, RoleAssignment, User  # noqa: E402
from odp.sql import table as _t  # noqa: E402

SYNTHETIC_REFERENCE = "IDEA-SYN-"
TARGET_MS = 150.0
# Members streamed in when the database has no synthetic profession yet (the ideas only need authors).
OWN_MEMBERS = 20_000

# The vocabulary of front-line ideas: titles are an action, a thing and a context; problems a sentence built
# from a situation, an effect and who it affects. Enough variety that searches match hundreds to thousands.
ACTIONS = [
    "Text customers",
    "Email applicants",
    "Automate reminders",
    "Simplify the form",
    "Pre-fill details",
    "Share case notes",
    "Triage calls",
    "Book appointments online",
    "Scan documents",
    "Use a chatbot",
    "Publish waiting times",
    "Check eligibility first",
    "Verify identity digitally",
    "Route enquiries",
    "Batch similar cases",
    "Standardise letters",
    "Cut duplicate checks",
    "Join up records",
    "Offer video calls",
    "Translate guidance",
    "Flag vulnerable customers",
    "Track progress live",
    "Reuse evidence",
    "Schedule staff to demand",
    "Call back at set times",
    "Close cases faster",
]
THINGS = [
    "passport applications",
    "benefit claims",
    "tax returns",
    "visa decisions",
    "driving licences",
    "court hearings",
    "probation appointments",
    "pension queries",
    "customs declarations",
    "universal credit journals",
    "child maintenance cases",
    "student loan queries",
    "land registrations",
    "vehicle tax refunds",
    "housing benefit changes",
    "council tax bills",
    "prison visits",
    "legal aid applications",
    "DBS checks",
    "company filings",
    "appeals",
    "complaints",
]
CONTEXTS = [
    "at each stage",
    "before the deadline",
    "in contact centres",
    "for first-time applicants",
    "during peak season",
    "across offices",
    "with local councils",
    "for overseas customers",
    "after a missed payment",
    "in the evenings",
    "for urgent cases",
    "with partner organisations",
]
SITUATIONS = [
    "Customers ring us several times",
    "Staff re-key the same details",
    "Letters go out with errors",
    "Appointments are missed",
    "Queues build up every Monday",
    "Evidence is requested twice",
    "Cases wait for a manual check",
    "Calls are transferred between teams",
    "Forms are returned incomplete",
    "Vulnerable customers are not spotted early",
]
EFFECTS = [
    "which adds weeks to decisions",
    "so backlogs grow",
    "costing thousands of staff hours a year",
    "and complaints rise",
    "which frustrates customers and staff",
    "so payments are delayed",
    "and work is duplicated",
    "so demand peaks are hard to staff",
]
WHO = ["It affects older customers most.", "It affects people applying for the first time.",
       "It affects staff in every region.", "It affects disabled customers.", "It affects small businesses.",
       "It affects people without internet access.", "It affects families with children."]  # fmt: skip
# (share, status, visibility weights are separate): most ideas of earlier years are decided.
STATUS_MIX = [
    (0.06, IdeaStatus.DRAFT), (0.04, IdeaStatus.SUBMITTED), (0.04, IdeaStatus.UNDER_REVIEW),
    (0.005, IdeaStatus.ROUTED), (0.12, IdeaStatus.ACCEPTED), (0.34, IdeaStatus.NOT_TAKEN_FORWARD),
    (0.045, IdeaStatus.MERGED), (0.1, IdeaStatus.IN_PROGRESS), (0.16, IdeaStatus.IMPLEMENTED),
    (0.09, IdeaStatus.BENEFITS_REALISED),
]  # fmt: skip

SEARCHES = ["passport", "text customers", "chatbot", "universal credit", "appointments missed",
            "duplicate checks", "vulnerable customers", "contact centres", "pasport aplications",
            "reminders before the deadline", "court hearings video", "tax", "letters errors",
            "evidence requested twice", "automate", "translate guidance for overseas customers"]  # fmt: skip
SIMILAR = [
    ("Send texts to passport applicants", "Applicants ring to ask where their passport is."),
    ("Chatbot for benefit claims", "Customers wait on the phone for simple questions about claims."),
    ("Book court hearings online", ""),
    ("Video calls for probation appointments", "Appointments are missed because travel is expensive."),
    ("Stop asking for the same evidence twice", "Staff request documents we already hold."),
    ("Reminders before the tax deadline", "People miss the deadline and pay penalties."),
    ("Flag vulnerable customers early", "Vulnerable customers are not spotted until they complain."),
    ("Better rota planning for Mondays", "Queues build up every Monday morning in contact centres."),
    ("Pre-fill vehicle tax refund forms", ""),
    ("Translate council tax letters", "Letters are not understood by customers whose first language differs."),
]


def synthetic_idea_count() -> int:
    return Idea.objects.filter(author__user__username__startswith=scale.SYNTHETIC_PREFIX).count()


def ensure_synthetic_only() -> None:
    """Refuse a database that holds real people (and so, possibly, their ideas)."""
    scale.ensure_synthetic_only()


def _own_members(count: int, seed: int) -> None:
    """A smaller synthetic profession (users and members only) when `make bench` has not generated one."""
    rng = random.Random(seed)
    orgs = scale._organisations()
    first_id = max(
        (Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1,
        (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1,
    )
    now = timezone.now()
    users = (
        (
            pk,
            "!",
            None,
            False,
            f"{scale.SYNTHETIC_PREFIX}{pk}",
            "Synthetic",
            f"Member {pk}",
            "",
            False,
            True,
            now,
            "",
            "",
        )
        for pk in range(first_id, first_id + count)
    )
    scale._copy(_t(User), [f.column for f in User._meta.concrete_fields], users, count, "Users (COPY)")
    columns = [f.column for f in Member._meta.concrete_fields]
    scale._copy(_t(Member), columns, scale._member_rows(count, first_id, orgs, rng), count, "Members (COPY)")
    scale._reset_sequence(User)
    scale._reset_sequence(Member)


def _pick(words: list[str]) -> str:
    """A random element of a literal text array, chosen per row."""
    items = ",".join("'" + w.replace("'", "''") + "'" for w in words)
    return f"(ARRAY[{items}])[1 + floor(random() * {len(words)})::int]"


def _status_case() -> str:
    whens, cumulative = [], 0.0
    for share, status in STATUS_MIX:
        cumulative += share
        whens.append(f"WHEN r < {cumulative:.4f} THEN '{status}'")
    return f"CASE {' '.join(whens)} ELSE '{IdeaStatus.NOT_TAKEN_FORWARD}' END"


def generate(ideas: int, *, seed: int = 20261129) -> float:
    """Insert ``ideas`` synthetic ideas (and their themes); returns the seconds it took."""
    ensure_synthetic_only()
    started = time.monotonic()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
            cursor.execute(
                f"""CREATE TEMPORARY TABLE bench_authors ON COMMIT DROP AS
                    SELECT row_number() OVER (ORDER BY m.id) AS n, m.id, m.organisation_id
                    FROM {_t(Member)} m JOIN {_t(User)} u ON u.id = m.user_id
                    WHERE u.username LIKE %s""",
                [f"{scale.SYNTHETIC_PREFIX}%"],
            )
            cursor.execute("SELECT count(*) FROM bench_authors")
            authors = cursor.fetchone()[0]
            first = (Idea.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
            # The search document is kept by the trigger of migration 0006, as for every other write.
            cursor.execute(
                f"""
                INSERT INTO {
                    _t(Idea)
                } (id, merged_into_id, reference, title, problem, proposed_change, customer_outcome, service_area,
                    visibility, organisation_id, origin_organisation_id, author_id, status, created_at, updated_at,
                    submitted_at, decision_due_on, decided_at, endorsement_count, is_hidden, hidden_reason)
                SELECT s.g, CASE WHEN s.status = 'merged' THEN s.g - 1 END,
                       CASE WHEN s.status = 'draft' THEN NULL ELSE %(ref)s || lpad(s.g::text, 7, '0') END,
                       s.title, s.problem, 'Change the process so that ' || lower(s.title) || '.', '',
                       s.area, s.visibility, a.organisation_id, a.organisation_id, a.id, s.status,
                       s.created, s.created,
                       CASE WHEN s.status = 'draft' THEN NULL ELSE s.created + interval '1 day' END,
                       CASE WHEN s.status = 'draft' THEN NULL ELSE (s.created + interval '43 days')::date END,
                       CASE WHEN s.status IN ('submitted', 'under_review', 'draft') THEN NULL
                            ELSE s.created + (random() * 40 + 2) * interval '1 day' END,
                       CASE WHEN s.status = 'draft' THEN 0 ELSE floor(power(random(), 3) * 60)::int END,
                       random() < 0.005, ''
                FROM (
                    SELECT g, CASE WHEN g = %(first)s AND raw_status = 'merged' THEN 'accepted'
                                   ELSE raw_status END AS status, title, problem, area, visibility, created, author_n
                    FROM (SELECT g, {_status_case()} AS raw_status,
                           {_pick(ACTIONS)} || ' for ' || {_pick(THINGS)} || ' ' || {_pick(CONTEXTS)} AS title,
                           {_pick(SITUATIONS)} || ' about ' || {_pick(THINGS)} || ', ' || {_pick(EFFECTS)}
                               || '. ' || {_pick(WHO)} AS problem,
                           {
                    _pick(
                        [
                            "benefits",
                            "borders",
                            "passports",
                            "tax",
                            "justice",
                            "licensing",
                            "contact_centres",
                            "casework",
                            "local_services",
                            "other",
                        ]
                    )
                } AS area,
                           CASE WHEN random() < 0.6 THEN 'civil_service' WHEN random() < 0.6 THEN 'organisation'
                                ELSE 'partners' END AS visibility,
                           now() - power(random(), 1.5) * interval '1400 days' AS created,
                           1 + floor(random() * %(authors)s)::int AS author_n
                    FROM (SELECT g, random() AS r FROM generate_series(%(first)s, %(last)s) g) numbered
                    ) raw
                ) s JOIN bench_authors a ON a.n = s.author_n
                """,
                {"ref": SYNTHETIC_REFERENCE, "authors": authors, "first": first, "last": first + ideas - 1},
            )
            # Some submissions are still within their response period; the rest of the queue is overdue.
            cursor.execute(
                f"""UPDATE {_t(Idea)} SET submitted_at = now() - random() * interval '50 days'
                    WHERE status IN ('submitted', 'under_review', 'routed') AND reference LIKE %s""",
                [f"{SYNTHETIC_REFERENCE}%"],
            )
            cursor.execute(
                f"""UPDATE {_t(Idea)} SET decision_due_on = (submitted_at + interval '43 days')::date
                    WHERE status IN ('submitted', 'under_review', 'routed') AND reference LIKE %s""",
                [f"{SYNTHETIC_REFERENCE}%"],
            )
            themes = list(Theme.objects.values_list("pk", flat=True))
            through = Idea.themes.through
            cursor.execute(
                f"""INSERT INTO {_t(through)} (idea_id, theme_id)
                    SELECT DISTINCT i.id, (%(themes)s::bigint[])[1 + ((i.id * k) %% %(n)s)]
                    FROM {_t(Idea)} i CROSS JOIN generate_series(1, 2) k
                    WHERE i.reference LIKE %(ref)s OR (i.reference IS NULL AND i.id >= %(first)s)""",
                {"themes": themes, "n": len(themes), "ref": f"{SYNTHETIC_REFERENCE}%", "first": first},
            )
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{Idea._meta.db_table}', 'id'), max(id)) FROM {_t(Idea)}"
            )
        _roles()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {_t(Idea)}")
        cursor.execute(f"ANALYZE {_t(Idea.themes.through)}")
    return time.monotonic() - started


def _roles() -> None:
    """A head of profession for the largest organisation, and an ODP admin, among the synthetic members."""
    largest = scale.ORGANISATIONS[0][0]
    organisation = Organisation.objects.get(name=largest)
    members = Member.objects.filter(user__username__startswith=scale.SYNTHETIC_PREFIX, organisation=organisation)
    hop, admin = members.order_by("pk")[:2]
    RoleAssignment.objects.get_or_create(member=hop, role=Role.HEAD_OF_PROFESSION, organisation=organisation)
    RoleAssignment.objects.get_or_create(member=admin, role=Role.ODP_ADMIN, organisation=None)


@dataclass
class Measure:
    name: str
    samples: list[float]
    rows: int

    def p(self, q: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _fresh(pk: int) -> Member:
    """The member as a request finds them: looked up again, role caches empty."""
    return Member.objects.select_related("user", "organisation").get(pk=pk)


def _time(name: str, runs: int, call: Callable[[int], int]) -> Measure:
    for i in range(5):  # warm the connection and the planner's caches
        call(i)
    samples, rows = [], 0
    for i in range(runs):
        started = time.perf_counter()
        rows += call(i)
        samples.append((time.perf_counter() - started) * 1000)
    return Measure(name, samples, rows // max(runs, 1))


def _page_of(queryset, per_page: int) -> int:
    """What a list page does: count the results (get_page needs the number of pages), then fetch page one."""
    page = selectors.paginate(queryset, 1, per_page=per_page)
    return len(list(page.object_list))


def measure(runs: int) -> list[Measure]:
    largest = Organisation.objects.get(name=scale.ORGANISATIONS[0][0])
    staff = Member.objects.filter(
        user__username__startswith=scale.SYNTHETIC_PREFIX, organisation=largest, role_assignments__isnull=True
    ).order_by("-pk")[0]
    partner = (
        Member.objects.filter(
            user__username__startswith=scale.SYNTHETIC_PREFIX, organisation__kind=OrganisationKind.LOCAL_AUTHORITY
        )
        .order_by("pk")
        .first()
    ) or staff
    hop = RoleAssignment.objects.filter(role=Role.HEAD_OF_PROFESSION, organisation=largest).first().member
    admin = RoleAssignment.objects.filter(role=Role.ODP_ADMIN).first().member
    sorts = ["relevance", "newest", "most_endorsed"]

    def search(member_pk: int) -> Callable[[int], int]:
        def call(i: int) -> int:
            filters = selectors.IdeaFilters(q=SEARCHES[i % len(SEARCHES)], sort=sorts[i % len(sorts)])
            return _page_of(selectors.browse(_fresh(member_pk), filters), selectors.PAGE_SIZE)

        return call

    def filtered(i: int) -> int:
        theme = ["digital-and-ai", "customer-experience", "demand-management", ""][i % 4]
        status = ["", "implemented", "accepted"][i % 3]
        sort = ["newest", "most_endorsed", "recently_decided"][i % 3]
        filters = selectors.IdeaFilters(theme=theme, status=status, sort=sort)
        return _page_of(selectors.browse(_fresh(staff.pk), filters), selectors.PAGE_SIZE)

    def similar(member_pk: int) -> Callable[[int], int]:
        def call(i: int) -> int:
            title, problem = SIMILAR[i % len(SIMILAR)]
            # As the author types: the first runs see only the title, later ones the problem too.
            if i % 3 == 0:
                problem = ""
            return len(selectors.similar_ideas(_fresh(member_pk), title=title, problem=problem))

        return call

    def queue(member_pk: int) -> Callable[[int], int]:
        return lambda i: _page_of(selectors.review_queue(_fresh(member_pk)), 50)

    return [
        _time("Search, staff member (first page and count)", runs, search(staff.pk)),
        _time("Search, local authority member", runs, search(partner.pk)),
        _time("Search, ODP admin", runs, search(admin.pk)),
        _time("Browse with filters, no search words", runs, filtered),
        _time("Similar ideas while writing, staff member", runs, similar(staff.pk)),
        _time("Similar ideas while writing, ODP admin", runs, similar(admin.pk)),
        _time("Review queue, head of profession (DWP)", runs, queue(hop.pk)),
        _time("Review queue, ODP admin (every organisation)", runs, queue(admin.pk)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200, help="timed calls per measure")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The ideas benchmark needs PostgreSQL (full-text search, pg_trgm, COPY).")
    try:
        ensure_synthetic_only()
    except scale.NotSynthetic as exc:
        raise SystemExit(str(exc)) from exc
    if not scale.synthetic_member_count():
        print(f"No synthetic members here: streaming in {OWN_MEMBERS:,} as authors...", flush=True)
        with transaction.atomic():
            _own_members(OWN_MEMBERS, seed=20261129)
    existing = synthetic_idea_count()
    if existing == 0:
        print(f"Generating {args.ideas:,} synthetic ideas (once; later runs reuse them)...", flush=True)
        seconds = generate(args.ideas)
        print(f"Generated in {seconds:.1f}s.", flush=True)
    elif existing != args.ideas:
        print(f"Note: reusing {existing:,} synthetic ideas already in this database.")
    total = Idea.objects.count()
    awaiting = Idea.objects.filter(status__in=IdeaStatus.awaiting_decision()).count()
    results = measure(args.runs)

    print()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"PostgreSQL {connection.cursor().connection.info.server_version / 10000:.0f}")  # fmt: skip
    print(f"Data: {total:,} ideas ({awaiting:,} awaiting a decision), {scale.synthetic_member_count():,} members; "
          f"{args.runs} timed calls per measure over varied queries")  # fmt: skip
    print()
    print(f"| {'measure':<46} | {'p50 ms':>7} | {'p95 ms':>7} | {'rows':>5} | {'target':>8} |")
    print(f"|{'-' * 48}|{'-' * 9}|{'-' * 9}|{'-' * 7}|{'-' * 10}|")
    missed = []
    for result in results:
        targeted = not result.name.startswith("Browse")
        target = f"< {TARGET_MS:.0f}" if targeted else ""
        p95 = result.p(0.95)
        print(f"| {result.name:<46} | {result.p(0.5):>7.1f} | {p95:>7.1f} | {result.rows:>5} | {target:>8} |")
        if targeted and p95 >= TARGET_MS:
            missed.append(result.name)
    print()
    print("All targets met." if not missed else f"Targets missed: {', '.join(missed)}.")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
