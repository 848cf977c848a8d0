"""`make bench`, reporting part: the dashboards and the published annual report at full scale, served by gunicorn
with the production profile and loaded by 20 concurrent users from a second process (locust) on loopback.

Targets (issue 7): head of profession and admin dashboards p95 under 250 ms with 20 concurrent users on the
2-core machine; the published report page p95 under 100 ms; PDF generation under 30 s.

On the benchmark database (refused if it holds any member that is not synthetic) it:

1. makes sure of the bench sign-ins: a head of profession for the largest synthetic organisation (with its child
   bodies, where the data has any) and two ODP admins, with a password made up for this run;
2. publishes the annual report for the latest snapshot's year through the real services, once (later runs reuse
   it): a draft with every section written (figures and charts by token), submitted by one admin, approved by a
   second and published now, so its frozen page and figures come from the full-scale data;
3. times the report's PDF (the function the Celery task runs, inline);
4. collects static files and starts gunicorn as production runs it (production settings, DEBUG off, 3 gthread
   workers of 4 threads) on a free loopback port, then runs benchmarks/load.py in its own process: 8 heads of
   profession (their dashboard, and the dashboard API), 8 ODP admins (the profession dashboard, unfiltered and with
   each filter) and 4 members of the public (the published report), each waiting about 1 s (0.5 to 1.5 s) between
   requests; measured for --seconds after everyone has signed in and a warm-up;
5. prints per page the requests, failures (any non-2xx), median and p95, against the targets, and stops
   gunicorn whatever happens.

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/odp_bench python -m benchmarks.reporting
"""

from __future__ import annotations

import argparse
import atexit
import datetime
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odp.settings.dev")
if __name__ == "__main__":
    # Jobs run inline in this process: a broker from the environment may have a worker bound to another database.
    os.environ["REDIS_URL"] = ""
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # WeasyPrint logs every layout step at INFO
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks import loadstats, scale  # noqa: E402
from odp.audit import acting_as  # noqa: E402
from odp.models import Grade, JobFamily, Member, Organisation, OrganisationKind, Role  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD_TARGET_MS = 250.0
REPORT_TARGET_MS = 100.0
PDF_TARGET_S = 30.0
# As production runs (docker-compose.yml, .env.example): WEB_CONCURRENCY=3 workers, 4 threads each.
WORKERS = 3
THREADS = 4
TARGETS: dict[str, float] = {
    loadstats.HOP_DASHBOARD: DASHBOARD_TARGET_MS,
    loadstats.HOP_API: DASHBOARD_TARGET_MS,
    loadstats.PROFESSION: DASHBOARD_TARGET_MS,
    loadstats.PROFESSION_KIND: DASHBOARD_TARGET_MS,
    loadstats.PROFESSION_GRADE: DASHBOARD_TARGET_MS,
    loadstats.PROFESSION_FAMILY: DASHBOARD_TARGET_MS,
    loadstats.PROFESSION_DATE: DASHBOARD_TARGET_MS,
    loadstats.PROFESSION_ALL: DASHBOARD_TARGET_MS,
    loadstats.REPORT: REPORT_TARGET_MS,
}


@dataclass(frozen=True)
class Accounts:
    organisation: Organisation
    organisation_ids: list[int]
    hop: Member
    admin: Member
    second_admin: Member


def largest_organisation() -> tuple[Organisation, list[int]]:
    """The top-level organisation whose tree (itself and its child bodies) has the most synthetic members."""
    members = dict(
        Member.objects.filter(user__username__startswith=scale.SYNTHETIC_PREFIX)
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    best: tuple[int, Organisation, list[int]] | None = None
    for organisation in Organisation.objects.filter(parent__isnull=True).order_by("pk"):
        tree = sorted(Organisation.objects.subtree_ids([organisation.pk]))
        size = sum(members.get(pk, 0) for pk in tree)
        if best is None or size > best[0]:
            best = (size, organisation, tree)
    if best is None or best[0] == 0:
        raise SystemExit("No synthetic members here: run `make bench` (benchmarks.bench generates them) first.")
    return best[1], best[2]


def _member_with(role: str, organisation: Organisation, exclude: set[int]) -> Member:
    scope = organisation if role in Role.organisation_scoped() else None
    return scale.role_holder(role, scope=scope, home=organisation, exclude=exclude)


def prepare(password: str | None = None) -> Accounts:
    """The bench sign-ins, each given ``password`` (when set) so the load process can sign in with it."""
    scale.ensure_synthetic_only()
    organisation, tree = largest_organisation()
    with transaction.atomic():
        hop = _member_with(Role.HEAD_OF_PROFESSION, organisation, set())
        admin = _member_with(Role.ODP_ADMIN, organisation, {hop.pk})
        second = _member_with(Role.ODP_ADMIN, organisation, {hop.pk, admin.pk})
        if password is not None:
            for member in (hop, admin, second):
                member.user.set_password(password)
                member.user.save(update_fields=["password"])
    return Accounts(organisation, tree, hop, admin, second)


def ensure_history(weeks: int = 13) -> list[datetime.date]:
    """At least two published snapshots, so the trend has two points and the snapshot date filter picks an older
    one: with only today's, the metrics job publishes one ``weeks`` earlier (about a minute at full scale, once)."""
    from skills import metrics
    from skills.models import PublishedSnapshot

    dates = list(PublishedSnapshot.objects.order_by("-snapshot_date").values_list("snapshot_date", flat=True))
    if not dates:
        raise SystemExit("No published snapshot here: run benchmarks.bench (the metrics job) first.")
    if len(dates) == 1:
        earlier = dates[0] - datetime.timedelta(weeks=weeks)
        print(f"Publishing an earlier snapshot ({earlier}) for the trend and the date filter (once)...", flush=True)
        started = time.perf_counter()
        run = metrics.compute(metrics.request_run(by=None, snapshot_date=earlier))
        if run.status != "succeeded":
            raise SystemExit(f"The metrics run for {earlier} did not succeed ({run.status}).")
        print(f"Published in {time.perf_counter() - started:.0f}s.", flush=True)
        dates.append(earlier)
    return dates


def report_year() -> int:
    from skills.models import PublishedSnapshot

    latest = PublishedSnapshot.objects.order_by("-snapshot_date").first()
    return latest.snapshot_date.year if latest else timezone.localdate().year


def published_report(accounts: Accounts, year: int):
    """The year's published version: made once through the real services (draft, every section written,
    submitted by one admin, approved and published by another), then reused."""
    from reporting.annual_report import services
    from reporting.annual_report.demo import TEXT
    from reporting.models import AnnualReport, ReportVersion, VersionStatus

    existing = AnnualReport.objects.filter(year=year).first()
    if existing is not None:
        version = ReportVersion.objects.filter(report=existing, status=VersionStatus.PUBLISHED).first()
        if version is None:
            raise SystemExit(f"The {year} report here is not published; this benchmark only publishes its own.")
        print(f"Reusing the published {year} annual report (version {version.number}).", flush=True)
        return version, None
    started = time.perf_counter()
    author, approver = accounts.admin, accounts.second_admin
    with transaction.atomic():
        with acting_as(author.user):
            version = services.start_report(author, year=year, title=f"Operational Delivery Profession {year}")
            for section in version.sections.all():
                services.update_section(author, section, title=section.title, body=TEXT[section.kind])
            services.submit(author, version)
        with acting_as(approver.user):
            version = services.approve(approver, version)
    # Publishing queued the PDF job; with no broker it ran inline once the transaction committed.
    version = ReportVersion.objects.get(pk=version.pk)
    if version.status != VersionStatus.PUBLISHED:
        raise SystemExit(f"The report did not publish (status {version.status}).")
    return version, time.perf_counter() - started


def time_pdf(version) -> tuple[float, int]:
    """Seconds and bytes of the report's PDF, made by the function the Celery task runs, from the frozen HTML."""
    from reporting.annual_report import pdf, services
    from reporting.models import PdfStatus, ReportVersion

    if version.pdf_status != PdfStatus.READY:
        services.render_pdf(version.pk)  # the stored PDF the public page links to
    fresh = ReportVersion.objects.select_related("report").defer("pdf").get(pk=version.pk)
    started = time.perf_counter()
    content = pdf.render(fresh)
    return time.perf_counter() - started, len(content)


def steady_state() -> None:
    """VACUUM ANALYZE the tables the pages read, as autovacuum has in a running service: freshly generated rows
    leave the visibility map empty, and index-only scans would then visit the table for every row."""
    from innovation.models import Idea
    from skills.models import CapabilityMetric

    with connection.cursor() as cursor:
        for model in (Idea, CapabilityMetric):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# The server.


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(*, web: bool = True) -> dict[str, str]:
    """The production profile as docker-compose runs it, on loopback: DEBUG off, a secret made up for this run,
    HTTPS assumed from X-Forwarded-Proto (as behind the TLS proxy) rather than redirected to; for ``web``, serial
    query plans, as compose's web service sets (the worker keeps PostgreSQL's default)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")}
    env.update(
        DJANGO_SETTINGS_MODULE="odp.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=os.environ.get("DATABASE_URL", ""),
        REDIS_URL="",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    if web:
        env["DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER"] = "0"
    else:
        env.pop("DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER", None)
    return env


class Server:
    """gunicorn in its own process group, stopped (the whole group) on stop(), at exit and on SIGTERM."""

    def __init__(
        self,
        workers: int,
        log: Path,
        cache_seconds: int | None = None,
        threads: int = 1,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.cache_seconds = cache_seconds
        self.extra_env = extra_env or {}
        self.threads = threads
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        env = {**server_environment(), **self.extra_env}
        if self.cache_seconds is not None:
            env["DASHBOARD_CACHE_SECONDS"] = str(self.cache_seconds)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "odp.wsgi:application", f"--bind=127.0.0.1:{self.port}"]
        worker_class = "gthread" if self.threads > 1 else "sync"
        command += [f"--workers={self.workers}", f"--worker-class={worker_class}", f"--threads={self.threads}"]
        command += ["--timeout=60", "--log-level=warning"]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own command line)
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        atexit.register(self.stop)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            if self._answers():
                return
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {timeout:.0f}s:\n{self.log_tail()}")

    def describe(self) -> str:
        if self.threads > 1:
            return f"{self.workers} gthread workers x {self.threads} threads"
        return f"{self.workers} sync workers"

    def _answers(self) -> bool:
        request = urllib.request.Request(f"{self.url}/healthz", headers={"X-Forwarded-Proto": "https"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 (our own loopback server)
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        group = os.getpgid(process.pid)  # the group gunicorn leads: its master and workers, nothing else
        os.killpg(group, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            process.wait(timeout=10)


def run_load(server: Server, cfg: loadstats.LoadConfig, seconds: float, warmup: float, work: Path) -> dict:
    config_path, out_path = work / "load-config.json", work / "load-results.json"
    config_path.write_text(json.dumps(asdict(cfg)))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "benchmarks.load", "--host", server.url, "--config", str(config_path)]
    command += ["--seconds", str(seconds), "--warmup", str(warmup), "--out", str(out_path)]
    result = subprocess.run(command, cwd=ROOT, env=env, timeout=seconds + warmup + 300, check=False)  # noqa: S603
    if result.returncode != 0 or not out_path.exists():
        raise SystemExit(f"The load process failed ({result.returncode}). Server log:\n{server.log_tail()}")
    return json.loads(out_path.read_text())


def load_config(accounts: Accounts, password: str, year: int) -> loadstats.LoadConfig:
    from skills.models import PublishedSnapshot

    dates = [
        d.isoformat()
        for d in PublishedSnapshot.objects.order_by("-snapshot_date").values_list("snapshot_date", flat=True)
    ]
    return loadstats.LoadConfig(
        password=password,
        hop_username=accounts.hop.user.username,
        admin_username=accounts.admin.user.username,
        report_year=year,
        snapshot_dates=dates,
        organisation_kinds=[OrganisationKind.EXECUTIVE_AGENCY, OrganisationKind.MINISTERIAL_DEPARTMENT],
        grades=[Grade.EO, Grade.HEO, Grade.G7],
        job_families=[JobFamily.CASEWORK, JobFamily.CUSTOMER_SERVICE, JobFamily.OPERATIONAL_MANAGEMENT],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="measured time under load")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of load before measuring")
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads per worker (1: sync workers)")
    parser.add_argument(
        "--cache-seconds", type=int, default=None, help="the server's DASHBOARD_CACHE_SECONDS (0: none)"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The reporting benchmark needs PostgreSQL (the full-scale data lives there).")
    try:
        scale.ensure_synthetic_only()
    except scale.NotSynthetic as exc:
        raise SystemExit(str(exc)) from exc

    password = secrets.token_urlsafe(24)
    accounts = prepare(password)
    ensure_history()
    year = report_year()
    version, publish_seconds = published_report(accounts, year)
    pdf_seconds, pdf_bytes = time_pdf(version)
    cfg = load_config(accounts, password, year)
    steady_state()
    connection.close()  # the server's workers and this process should not hold more connections than needed

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally below on `kill`
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="odp-bench-reporting-") as tmp:
        work = Path(tmp)
        server = Server(args.workers, work / "gunicorn.log", args.cache_seconds, args.threads)
        try:
            server.start()
            print(f"gunicorn on {server.url} ({server.describe()}, production settings); "
                  f"{cfg.hop_users + cfg.admin_users + cfg.public_users} users for "
                  f"{args.warmup:.0f}s warm-up + {args.seconds:.0f}s measured...", flush=True)  # fmt: skip
            result = run_load(server, cfg, args.seconds, args.warmup, work)
        finally:
            server.stop()
    load_after = os.getloadavg()

    pages = result["pages"]
    order = list(TARGETS) + sorted(set(pages) - set(TARGETS))
    rows = [
        loadstats.summarise(
            name, pages.get(name, {}).get("times", []), pages.get(name, {}).get("failures", 0), TARGETS.get(name)
        )
        for name in order
    ]
    total = sum(r.requests for r in rows)
    cache_seconds = args.cache_seconds if args.cache_seconds is not None else settings.DASHBOARD_CACHE_SECONDS

    print()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"PostgreSQL {connection.cursor().connection.info.server_version / 10000:.0f}; load average "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after (1 min)")  # fmt: skip
    print(f"Data: {scale.synthetic_member_count():,} members; head of profession for {accounts.organisation.name} "
          f"({len(accounts.organisation_ids)} organisation(s) in scope); {len(cfg.snapshot_dates)} published "
          f"snapshot(s); annual report {year}")  # fmt: skip
    print(f"Load: {result['users']} concurrent users from a second process (locust), think time "
          f"{result['think_time'][0]:g} to {result['think_time'][1]:g} s; {total:,} requests in "
          f"{result['seconds']:.0f}s ({total / max(result['seconds'], 1):.1f}/s); gunicorn {server.describe()}, "
          f"production settings, dashboard cache {cache_seconds} s")  # fmt: skip
    if publish_seconds is not None:
        print(f"Publishing the report (freeze, and its PDF inline) took {publish_seconds:.1f}s.")
    print()
    print(loadstats.table(rows))
    pdf_ok = pdf_seconds < PDF_TARGET_S
    print()
    print(f"PDF of the annual report ({pdf_bytes / 1024:,.0f} KB): {pdf_seconds:.1f}s, target < {PDF_TARGET_S:.0f}s: "
          f"{'PASS' if pdf_ok else 'FAIL'}")  # fmt: skip
    for name, error in sorted(result.get("errors", {}).items()):
        print(f"First failure of {name}: {error}")
    missed = [r.name for r in rows if r.passed is False] + ([] if pdf_ok else ["PDF generation"])
    print()
    print("All targets met." if not missed else f"Targets missed: {', '.join(missed)}.")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
