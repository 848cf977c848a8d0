"""The reporting benchmark's load run without locust (so the benchmark's parent process and the tests never import
it): the pages' names, the load's configuration, and the summaries per page (requests, failures, median and p95
against a target) printed as a table, from the response times the load process recorded (milliseconds)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# About 1 s between one user's requests (uniform 0.5 to 1.5 s), like a person reading and clicking.
THINK_TIME = (0.5, 1.5)

HOP_DASHBOARD = "Head of profession dashboard"
HOP_API = "Dashboard API, head of profession"
PROFESSION = "Profession dashboard, no filters"
PROFESSION_KIND = "Profession dashboard, organisation kind"
PROFESSION_GRADE = "Profession dashboard, grade"
PROFESSION_FAMILY = "Profession dashboard, job family"
PROFESSION_DATE = "Profession dashboard, snapshot date"
PROFESSION_ALL = "Profession dashboard, all four filters"
REPORT = "Published annual report"
SIGN_IN = "Sign in"


@dataclass
class LoadConfig:
    password: str
    hop_username: str
    admin_username: str
    report_year: int
    snapshot_dates: list[str] = field(default_factory=list)  # ISO dates of published snapshots, newest first
    organisation_kinds: list[str] = field(default_factory=lambda: ["executive_agency"])
    grades: list[str] = field(default_factory=lambda: ["EO"])
    job_families: list[str] = field(default_factory=lambda: ["casework"])
    hop_users: int = 8
    admin_users: int = 8
    public_users: int = 4
    behind_tls_proxy: bool = True  # send X-Forwarded-Proto: https, as the production profile expects

    @classmethod
    def from_file(cls, path: str) -> LoadConfig:
        with open(path, encoding="utf-8") as f:
            return cls(**json.load(f))


def percentile(samples: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (0 < q <= 1): the smallest sample with at least q of all samples at or below
    it. Exact on the recorded times, unlike locust's own rounded histogram. NaN for no samples."""
    if not samples:
        return math.nan
    if not 0 < q <= 1:
        raise ValueError("q must be in (0, 1]")
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


@dataclass(frozen=True)
class PageResult:
    name: str
    requests: int
    failures: int
    median_ms: float
    p95_ms: float
    target_ms: float | None  # None: shown, not judged

    @property
    def passed(self) -> bool | None:
        """A page passes when every request succeeded and its p95 is under the target."""
        if self.target_ms is None:
            return None
        return self.requests > 0 and self.failures == 0 and self.p95_ms < self.target_ms

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: ""}[self.passed]


def summarise(name: str, times_ms: Sequence[float], failures: int, target_ms: float | None) -> PageResult:
    """``times_ms`` holds every request's time, failed ones included (a slow error still counts as slow)."""
    return PageResult(
        name=name,
        requests=len(times_ms),
        failures=failures,
        median_ms=percentile(times_ms, 0.5),
        p95_ms=percentile(times_ms, 0.95),
        target_ms=target_ms,
    )


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0f}"


def table(results: Iterable[PageResult]) -> str:
    """A Markdown table, as benchmarks/README.md records it."""
    rows = list(results)
    width = max([len("page"), *(len(r.name) for r in rows)])
    lines = [
        f"| {'page':<{width}} | {'requests':>8} | {'failures':>8} | {'median ms':>9} | {'p95 ms':>6} | "
        f"{'target p95':>10} | {'result':>6} |",
        f"|{'-' * (width + 2)}|{'-' * 10}|{'-' * 10}|{'-' * 11}|{'-' * 8}|{'-' * 12}|{'-' * 8}|",
    ]
    for r in rows:
        target = f"< {r.target_ms:.0f} ms" if r.target_ms is not None else ""
        lines.append(
            f"| {r.name:<{width}} | {r.requests:>8} | {r.failures:>8} | {_ms(r.median_ms):>9} | {_ms(r.p95_ms):>6} | "
            f"{target:>10} | {r.verdict:>6} |"
        )
    return "\n".join(lines)
