"""The journeys load benchmark without locust (so the benchmark's parent process never imports it): the load's
configuration, the step shape's arithmetic, and each step's summary (requests a second, p50, p95, error rate)
judged against the break point and the sustained target, printed as a table."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from benchmarks.loadstats import percentile

# Users by journey, as the issue sets them: 80% staff, 15% heads of profession, 4% admins, 1% surge.
WEIGHTS = {"staff": 80, "head_of_profession": 15, "admin": 4, "surge": 1}
# A person reading a page and clicking on: uniform 1 to 3 s between one user's pages. A redirect after a form is
# followed at once, as a browser does.
THINK_TIME = (1.0, 3.0)
SUSTAINED_P95_MS = 250.0
BREAK_P95_MS = 1000.0
BREAK_ERROR_RATE = 0.01


@dataclass
class JourneyConfig:
    password: str
    staff: list[str]
    heads_of_profession: list[str]
    admins: list[str]
    requesters: list[str]
    coordinators: list[str]
    skill_ids: list[int]
    theme_slugs: list[str]
    service_areas: list[str]
    search_words: list[str]
    snapshot_dates: list[str] = field(default_factory=list)
    organisation_kinds: list[str] = field(default_factory=list)
    grades: list[str] = field(default_factory=list)
    job_families: list[str] = field(default_factory=list)
    # The shape: `step_users` more users every `step_seconds`, measured over the step's last `measure_seconds`.
    step_users: int = 25
    step_seconds: float = 45
    measure_seconds: float = 30
    max_steps: int = 12
    spawn_rate: float = 5
    think_time: tuple[float, float] = THINK_TIME
    behind_tls_proxy: bool = True
    # Whose CPU time to measure: gunicorn's and the Celery worker's process groups, the database's backends.
    server_pgid: int = 0
    worker_pgid: int = 0
    database: str = ""

    @classmethod
    def from_file(cls, path: str) -> JourneyConfig:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        data["think_time"] = tuple(data.get("think_time", THINK_TIME))
        return cls(**data)


def users_at(cfg: JourneyConfig, run_seconds: float) -> int | None:
    """The users wanted ``run_seconds`` into the run: ``step_users`` for each step begun; None once every step
    has run (the shape then stops the test)."""
    step = int(run_seconds // cfg.step_seconds)
    if step >= cfg.max_steps:
        return None
    return cfg.step_users * (step + 1)


@dataclass(frozen=True)
class StepResult:
    step: int
    users: int
    seconds: float  # measured
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    load_average: float  # 1 minute, read at the end of the step
    # Cores used over the measured window by: gunicorn, the PostgreSQL backends of the benchmark's database, the
    # Celery worker, the load process, and the whole machine (others' work included). Empty when not measured.
    cores: dict[str, float] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    def cpu_ms_per_request(self, part: str) -> float:
        """CPU milliseconds ``part`` spent per request (cores used x 1000 / requests a second)."""
        if part not in self.cores or not self.rps:
            return math.nan
        return self.cores[part] * 1000 / self.rps

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0

    @property
    def broken(self) -> bool:
        """Past the break point: p95 over 1 s or more than 1% of requests failed (or nothing answered)."""
        return self.requests == 0 or self.p95_ms > BREAK_P95_MS or self.error_rate > BREAK_ERROR_RATE

    @property
    def sustained(self) -> bool:
        """Held: p95 under 250 ms and errors within 1%."""
        return self.requests > 0 and self.p95_ms < SUSTAINED_P95_MS and self.error_rate <= BREAK_ERROR_RATE


def summarise_step(
    step: int,
    users: int,
    seconds: float,
    times_ms: Sequence[float],
    failures: int,
    load_average: float,
    cores: dict[str, float] | None = None,
) -> StepResult:
    return StepResult(
        cores=cores or {},
        step=step,
        users=users,
        seconds=seconds,
        requests=len(times_ms),
        failures=failures,
        p50_ms=percentile(times_ms, 0.5),
        p95_ms=percentile(times_ms, 0.95),
        p99_ms=percentile(times_ms, 0.99),
        load_average=load_average,
    )


def best_sustained(steps: Sequence[StepResult]) -> StepResult | None:
    """The step with the most requests a second among those held (p95 < 250 ms), before the break point."""
    held = []
    for s in steps:
        if s.broken:
            break
        if s.sustained:
            held.append(s)
    return max(held, key=lambda s: s.rps, default=None)


def break_point(steps: Sequence[StepResult]) -> StepResult | None:
    return next((s for s in steps if s.broken), None)


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0f}"


def step_table(steps: Sequence[StepResult]) -> str:
    """A Markdown table, as benchmarks/README.md records it."""
    lines = [
        "| step | users | requests/s | requests | errors | error % | p50 ms | p95 ms | p99 ms | load avg | "
        "CPU ms/request: web, database, worker, locust | machine busy cores | verdict |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in steps:
        verdict = "BREAK" if s.broken else ("held" if s.sustained else "over 250 ms")
        cpu = ", ".join(_ms(s.cpu_ms_per_request(p)) for p in ("server", "database", "worker", "load"))
        busy = f"{s.cores['machine']:.2f}" if "machine" in s.cores else "-"
        lines.append(
            f"| {s.step} | {s.users} | {s.rps:.1f} | {s.requests} | {s.failures} | {100 * s.error_rate:.2f} | "
            f"{_ms(s.p50_ms)} | {_ms(s.p95_ms)} | {_ms(s.p99_ms)} | {s.load_average:.1f} | {cpu} | {busy} | "
            f"{verdict} |"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class PageRow:
    name: str
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float


def page_table(rows: Sequence[PageRow]) -> str:
    width = max([len("page"), *(len(r.name) for r in rows)])
    lines = [
        f"| {'page':<{width}} | requests | failures | p50 ms | p95 ms |",
        f"|{'-' * (width + 2)}|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r.name:<{width}} | {r.requests} | {r.failures} | {_ms(r.p50_ms)} | {_ms(r.p95_ms)} |")
    return "\n".join(lines)
