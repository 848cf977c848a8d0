"""`make bench`, load part: realistic journeys against the whole service at full scale, stepped up until it breaks.

gunicorn with the production profile (3 gthread workers x 4 threads, as docker-compose runs it), PostgreSQL,
Redis and a real Celery worker on it (so the jobs the journeys enqueue, such as telling reviewers about a new
idea or coordinators about a surge request, are processed), loaded from a second process by locust
(benchmarks/locust_journeys.py): 80% staff (home, my skills, a self-assessment through its form, my ideas,
browsing, searching and reading ideas, now and then raising one through every question page to submission), 15%
heads of profession (their dashboard page and API, the review queue and an idea's decision page), 4% ODP admins
(the profession dashboard unfiltered and filtered, the metrics runs, the ROI results) and 1% surge (a requester
raising a surge request through every question to submission, or a coordinator reading the triage queue and a
request's triage page). Each user waits 1 to 3 s between pages.

The shape adds --step-users users every --step-seconds and measures each step's last --measure-seconds (after its
new users have signed in): requests a second, p50, p95, p99 and the error rate. It stops after the step that
passes the break point (p95 over 1 s or more than 1% errors) and prints a table per step, the best step held with
p95 under 250 ms, and the break point. Target (issue 8): at least 200 requests a second sustained.

On the benchmark database (refused if it holds any member that is not synthetic) it signs in only bench accounts
it makes among the synthetic members (a password made up for the run): staff spread over the organisations by
size, a head of profession for each of the largest organisations, ODP admins, department requesters and SRRT
coordinators. Their writes (self-assessments, ideas, surge requests) stay with those accounts; the ideas and surge
requests the run raised are deleted afterwards (--keep keeps them), so the other benchmarks' data is unchanged
but for a few hundred synthetic members' self-assessed levels.

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/odp_bench python -m benchmarks.journeys
"""

from __future__ import annotations

import argparse
import atexit
import datetime
import json
import math
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odp.settings.dev")
if __name__ == "__main__":
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # This process only prepares accounts: jobs its own writes queue run inline, not on the benchmark's broker.
    BROKER = os.environ.pop("REDIS_URL", "")
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks import journeystats, reporting, scale  # noqa: E402
from benchmarks.journeystats import JourneyConfig, PageRow, StepResult  # noqa: E402
from odp.models import Grade, JobFamily, Member, Organisation, OrganisationKind, Role, User  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STAFF = 400
HEADS_OF_PROFESSION = 12
ADMINS = 4
REQUESTERS = 2
COORDINATORS = 2
# The benchmark's own Redis database on the service's Redis, so no other worker takes its jobs.
REDIS_DB = 7
SEARCH_WORDS = ["passport", "reminders", "backlog", "appointments", "casework", "text customers", "deadline",
                "contact centres", "forms", "applications"]  # fmt: skip


@dataclass(frozen=True)
class Accounts:
    staff: list[Member]
    heads_of_profession: list[Member]
    admins: list[Member]
    requesters: list[Member]
    coordinators: list[Member]

    def everyone(self) -> list[Member]:
        return [*self.staff, *self.heads_of_profession, *self.admins, *self.requesters, *self.coordinators]


def _synthetic():
    return Member.objects.filter(user__username__startswith=scale.SYNTHETIC_PREFIX, is_active=True)


def _organisations_by_size() -> list[tuple[Organisation, int]]:
    sizes = dict(_synthetic().values_list("organisation_id").annotate(n=Count("pk")).order_by())
    organisations = Organisation.objects.filter(pk__in=sizes)
    return sorted(((o, sizes[o.pk]) for o in organisations), key=lambda pair: (-pair[1], pair[0].pk))


def prepare(password: str) -> Accounts:
    """The bench sign-ins, all given ``password`` (hashed once: every account gets the same hash)."""
    scale.ensure_synthetic_only()
    by_size = _organisations_by_size()
    if not by_size:
        raise SystemExit("No synthetic members here: run `make bench` (benchmarks.bench generates them) first.")
    total = sum(n for _, n in by_size)
    with transaction.atomic():
        taken: set[int] = set()
        hops = []
        for organisation, _ in by_size[:HEADS_OF_PROFESSION]:
            hop = scale.role_holder(Role.HEAD_OF_PROFESSION, scope=organisation, home=organisation, exclude=taken)
            hops.append(hop)
            taken.add(hop.pk)
        largest = by_size[0][0]

        def holders(role: str, count: int, scoped: bool = False) -> list[Member]:
            found = []
            for i in range(count):
                home = by_size[(i + 1) % len(by_size)][0]
                member = scale.role_holder(
                    role, scope=home if scoped else None, home=home if scoped else largest, exclude=taken
                )
                found.append(member)
                taken.add(member.pk)
            return found

        admins = holders(Role.ODP_ADMIN, ADMINS)
        requesters = holders(Role.DEPARTMENT_REQUESTER, REQUESTERS, scoped=True)
        coordinators = holders(Role.SRRT_COORDINATOR, COORDINATORS)
        # Staff: spread over the organisations by size (at least one each), members without any role.
        staff: list[Member] = []
        for organisation, size in by_size:
            want = max(1, round(STAFF * size / total))
            staff += list(
                _synthetic()
                .filter(organisation=organisation, role_assignments__isnull=True)
                .exclude(pk__in=taken)
                .select_related("user")
                .order_by("pk")[:want]
            )
        accounts = Accounts(staff, hops, admins, requesters, coordinators)
        hashed = make_password(password)
        User.objects.filter(pk__in=[m.user_id for m in accounts.everyone()]).update(password=hashed, is_active=True)
    return Accounts(*([Member.objects.select_related("user").get(pk=m.pk) for m in group] for group in (
        staff, hops, admins, requesters, coordinators)))  # fmt: skip


def journey_config(accounts: Accounts, password: str, args: argparse.Namespace) -> JourneyConfig:
    from innovation.models import ServiceArea, Theme
    from skills import selectors
    from skills.models import PublishedSnapshot

    version = selectors.current_version()
    if version is None:
        raise SystemExit("No published skills framework here: run benchmarks.bench first.")
    dates = [d.isoformat() for d in PublishedSnapshot.objects.order_by("-snapshot_date").values_list(
        "snapshot_date", flat=True)]  # fmt: skip

    def names(group: list[Member]) -> list[str]:
        return [m.user.username for m in group]

    return JourneyConfig(
        password=password,
        staff=names(accounts.staff),
        heads_of_profession=names(accounts.heads_of_profession),
        admins=names(accounts.admins),
        requesters=names(accounts.requesters),
        coordinators=names(accounts.coordinators),
        skill_ids=list(version.skills.order_by("pk").values_list("pk", flat=True)),
        theme_slugs=list(Theme.objects.order_by("slug").values_list("slug", flat=True)),
        service_areas=list(ServiceArea.values),
        search_words=SEARCH_WORDS,
        snapshot_dates=dates or [timezone.localdate().isoformat()],
        organisation_kinds=[OrganisationKind.EXECUTIVE_AGENCY, OrganisationKind.MINISTERIAL_DEPARTMENT],
        grades=[Grade.AO, Grade.EO, Grade.HEO, Grade.G7],
        job_families=[JobFamily.CASEWORK, JobFamily.CUSTOMER_SERVICE, JobFamily.OPERATIONAL_MANAGEMENT],
        step_users=args.step_users,
        step_seconds=args.step_seconds,
        measure_seconds=args.measure_seconds,
        max_steps=args.max_steps,
        spawn_rate=args.spawn_rate,
    )


def broker_url() -> str:
    """The service's Redis (REDIS_URL, or the loopback one `make test` starts), with the benchmark's own db."""
    url = BROKER if __name__ == "__main__" else os.environ.get("REDIS_URL", "")
    if not url:
        services = [str(ROOT / "scripts" / "services.sh"), "env"]
        found = subprocess.run(services, capture_output=True, text=True, check=False).stdout  # noqa: S603
        url = next((line.split("=", 1)[1] for line in found.splitlines() if line.startswith("REDIS_URL=")), "")
    if not url:
        raise SystemExit("No Redis: set REDIS_URL or start the loopback services (make services-start).")
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{REDIS_DB}", "", ""))


class Worker:
    """A Celery worker on the benchmark's broker, as docker-compose runs it (both queues), in its own process
    group, stopped (the whole group) on stop() and at exit."""

    def __init__(self, env: dict[str, str], log: Path, concurrency: int) -> None:
        self.env, self.log, self.concurrency = env, log, concurrency
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        celery = Path(sys.executable).with_name("celery")
        command = [str(celery), "-A", "odp", "worker", "-Q", "interactive,batch", "--loglevel=INFO"]
        command += [f"--concurrency={self.concurrency}", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own command line)
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        atexit.register(self.stop)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"The Celery worker exited ({self.process.returncode}):\n{self.tail()}")
            if b" ready." in self.log.read_bytes():
                return
            time.sleep(0.5)
        raise SystemExit(f"The Celery worker was not ready within {timeout:.0f}s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def tasks_succeeded(self) -> int:
        try:
            return self.log.read_text(errors="replace").count(" succeeded in ")
        except OSError:
            return 0

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        group = os.getpgid(process.pid)
        os.killpg(group, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            process.wait(timeout=10)


def run_load(server: reporting.Server, cfg: JourneyConfig, work: Path) -> dict:
    config_path, out_path = work / "journeys-config.json", work / "journeys-results.json"
    config_path.write_text(json.dumps(asdict(cfg)))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "benchmarks.locust_journeys", "--host", server.url]
    command += ["--config", str(config_path), "--out", str(out_path)]
    limit = cfg.max_steps * cfg.step_seconds + 300
    result = subprocess.run(command, cwd=ROOT, env=env, timeout=limit, check=False)  # noqa: S603
    if result.returncode != 0 or not out_path.exists():
        raise SystemExit(f"The load process failed ({result.returncode}). Server log:\n{server.log_tail()}")
    return json.loads(out_path.read_text())


def outbox_since(since: datetime.datetime) -> dict[str, int]:
    """The jobs the run queued through the outbox, by status (sent to the broker, completed by the worker...)."""
    from odp.models import OutboxMessage

    rows = OutboxMessage.objects.filter(created_at__gte=since).values_list("status").annotate(n=Count("pk"))
    return dict(rows.order_by())


def clean_up(accounts: Accounts, since: datetime.datetime) -> tuple[int, int]:
    """Delete the ideas and surge requests the run raised (by its accounts, since it started)."""
    from innovation.models import Idea
    from srrt.models import SurgeRequest

    with transaction.atomic():
        ideas = Idea.objects.filter(author__in=accounts.staff, created_at__gte=since)
        surge = SurgeRequest.objects.filter(requester__in=accounts.requesters, created_at__gte=since)
        return ideas.delete()[1].get("innovation.Idea", 0), surge.delete()[1].get("srrt.SurgeRequest", 0)


def steps_from(result: dict) -> list[StepResult]:
    steps = []
    for data in result["steps"]:
        pages = data["pages"].values()
        times = [t for p in pages for t in p["times"]]
        failures = sum(p["failures"] for p in pages)
        steps.append(journeystats.summarise_step(
            data["step"], data["users"], data["seconds"], times, failures, data["load_average"],
            data.get("cores")))  # fmt: skip
    return steps


def pages_of(result: dict, step: int) -> list[PageRow]:
    data = next(d for d in result["steps"] if d["step"] == step)
    rows = []
    for name, page in sorted(data["pages"].items()):
        s = journeystats.summarise_step(step, 0, 1, page["times"], page["failures"], 0)
        rows.append(PageRow(name, s.requests, s.failures, s.p50_ms, s.p95_ms))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--step-users", type=int, default=25, help="users added at each step")
    parser.add_argument("--step-seconds", type=float, default=45, help="length of each step")
    parser.add_argument("--measure-seconds", type=float, default=30, help="measured at the end of each step")
    parser.add_argument("--max-steps", type=int, default=12, help="stop after this many steps if nothing breaks")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started a second within a step")
    parser.add_argument("--workers", type=int, default=reporting.WORKERS, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=reporting.THREADS, help="threads per gunicorn worker")
    parser.add_argument("--worker-concurrency", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--keep", action="store_true", help="keep the ideas and surge requests the run raised")
    args = parser.parse_args()
    if args.measure_seconds >= args.step_seconds:
        parser.error("--measure-seconds must be shorter than --step-seconds (new users sign in first)")
    if connection.vendor != "postgresql":
        raise SystemExit("The journeys benchmark needs PostgreSQL (the full-scale data lives there).")
    try:
        scale.ensure_synthetic_only()
    except scale.NotSynthetic as exc:
        raise SystemExit(str(exc)) from exc
    from innovation.models import Idea

    if not Idea.objects.filter(reference__startswith="IDEA-SYN-").exists():
        # Without them, browsing, searching and reading ideas would measure empty pages.
        raise SystemExit("No benchmark ideas here: run `python -m benchmarks.ideas` first (make bench does).")

    password = secrets.token_urlsafe(24)
    accounts = prepare(password)
    cfg = journey_config(accounts, password, args)
    reporting.steady_state()
    broker = broker_url()
    members = scale.synthetic_member_count()
    database = connection.settings_dict["NAME"]
    started_at = timezone.now()
    connection.close()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="odp-bench-journeys-") as tmp:
        work = Path(tmp)
        env = {"REDIS_URL": broker}
        server = reporting.Server(args.workers, work / "gunicorn.log", threads=args.threads, extra_env=env)
        worker = Worker(
            {**reporting.server_environment(web=False), **env}, work / "celery.log", args.worker_concurrency
        )
        try:
            worker.start()
            server.start()
            cfg.server_pgid, cfg.worker_pgid = os.getpgid(server.process.pid), os.getpgid(worker.process.pid)
            cfg.database = database
            print(f"gunicorn on {server.url} ({server.describe()}, production settings), a Celery worker "
                  f"({args.worker_concurrency} processes) on {broker}; +{cfg.step_users} users every "
                  f"{cfg.step_seconds:.0f}s (measured over the last {cfg.measure_seconds:.0f}s), up to "
                  f"{cfg.max_steps} steps...", flush=True)  # fmt: skip
            result = run_load(server, cfg, work)
            time.sleep(5)  # the jobs queued by the last requests
            jobs = worker.tasks_succeeded()
            server_log = server.log_tail(400).splitlines()
        finally:
            server.stop()
            worker.stop()
    load_after = os.getloadavg()
    outbox = outbox_since(started_at)
    removed = None if args.keep else clean_up(accounts, started_at)

    steps = steps_from(result)
    best = journeystats.best_sustained(steps)
    broke = journeystats.break_point(steps)
    print()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"PostgreSQL {connection.cursor().connection.info.server_version / 10000:.0f}; load average "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after (1 min)")  # fmt: skip
    print(f"Data: {members:,} members; accounts: {len(accounts.staff)} staff, {len(accounts.heads_of_profession)} "
          f"heads of profession, {len(accounts.admins)} admins, {len(accounts.requesters)} requesters, "
          f"{len(accounts.coordinators)} coordinators")  # fmt: skip
    print(f"Load: users weighted {result['weights']}, think time {cfg.think_time[0]:g} to {cfg.think_time[1]:g} s; "
          f"jobs queued through the outbox by status {outbox or 'none'}; the Celery worker ran {jobs}")  # fmt: skip
    if removed is not None:
        print(f"Removed what the run raised: {removed[0]} ideas, {removed[1]} surge requests.")
    print()
    print(journeystats.step_table(steps))
    late = {d["step"]: d["late_sign_ins"] for d in result["steps"] if d.get("late_sign_ins")}
    if late:
        print(f"Sign-ins (0.4 s of hashing each) still finishing inside a measured window, by step: {late}")
    print()
    if best is not None:
        print(f"Sustained with p95 under {journeystats.SUSTAINED_P95_MS:.0f} ms: {best.rps:.1f} requests/s "
              f"({best.users} users, p95 {best.p95_ms:.0f} ms, step {best.step}).")  # fmt: skip
    else:
        print(f"No step held p95 under {journeystats.SUSTAINED_P95_MS:.0f} ms.")
    if broke is not None:
        print(f"Break point: step {broke.step}, {broke.users} users, {broke.rps:.1f} requests/s, p95 "
              f"{broke.p95_ms:.0f} ms, errors {100 * broke.error_rate:.2f}%.")  # fmt: skip
    else:
        print(f"No break point within {len(steps)} steps (p95 stayed under 1 s, errors under 1%).")
    measured = [s for s in steps if "server" in s.cores and s.rps]
    if measured:
        top = max(measured, key=lambda s: s.rps)
        parts = {p: top.cpu_ms_per_request(p) for p in ("server", "database", "worker", "load")}
        per_request = sum(parts.values())
        print(f"CPU per request at step {top.step} ({top.rps:.1f} requests/s): web {parts['server']:.1f} ms, "
              f"database {parts['database']:.1f} ms, worker {parts['worker']:.1f} ms, load generator "
              f"{parts['load']:.1f} ms: {per_request:.1f} ms, so {os.cpu_count()} cores serve at most "
              f"{1000 * (os.cpu_count() or 1) / per_request:.0f} requests/s with nothing else running "
              f"(the machine's busy cores then: {top.cores.get('machine', math.nan):.2f}).")  # fmt: skip
    shown = best or (steps[0] if steps else None)
    if shown is not None:
        print()
        print(f"Pages at step {shown.step} ({shown.users} users):")
        print(journeystats.page_table(pages_of(result, shown.step)))
    if broke is not None and broke is not shown:
        print()
        print(f"Pages at the break point, step {broke.step} ({broke.users} users):")
        print(journeystats.page_table(pages_of(result, broke.step)))
    for name, error in sorted(result.get("errors", {}).items()):
        print(f"First failure of {name}: {error}")
    # Why connections failed (HTTP 0 above), when gunicorn says: a worker timed out, crashed or was killed.
    notable = [line for line in server_log if any(w in line for w in ("WORKER TIMEOUT", "CRITICAL", "ERROR", "Error"))]
    if notable:
        print(f"gunicorn logged {len(notable)} error lines; the first:")
        print("\n".join(notable[:12]))
    target = 200.0
    print()
    print(f"Target: at least {target:.0f} requests/s sustained: "
          f"{'MET' if best is not None and best.rps >= target else 'NOT MET'}.")  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()
