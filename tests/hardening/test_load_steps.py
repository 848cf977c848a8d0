"""The load benchmark's arithmetic (benchmarks/journeystats.py, no locust): the step shape, the break point
(p95 over 1 s or more than 1% errors), the best step held with p95 under 250 ms, and CPU per request (#8)."""

from __future__ import annotations

import math

from benchmarks import journeystats
from benchmarks.journeystats import JourneyConfig, summarise_step


def _config(**kwargs) -> JourneyConfig:
    accounts = {k: ["synthetic-1"] for k in ("staff", "heads_of_profession", "admins", "requesters", "coordinators")}
    return JourneyConfig(
        password="x", skill_ids=[1], theme_slugs=["a"], service_areas=["tax"], search_words=["w"], **accounts, **kwargs
    )


def _step(step: int, rps: float, p95: float, failures: int = 0, **kwargs):
    seconds = 30.0
    requests = int(rps * seconds)
    times = [p95 / 2] * (requests - requests // 20) + [p95] * (requests // 20)  # the 95th percentile is p95/2..p95
    times[-requests // 20 - 1] = p95  # exactly 5% + 1 at p95, so the nearest-rank p95 is p95
    return summarise_step(step, step * 25, seconds, times, failures, 1.0, **kwargs)


def test_the_shape_adds_users_each_step_and_stops_after_the_last():
    cfg = _config(step_users=25, step_seconds=45, max_steps=3)

    assert [journeystats.users_at(cfg, t) for t in (0, 44.9, 45, 90, 134.9)] == [25, 25, 50, 75, 75]
    assert journeystats.users_at(cfg, 135) is None


def test_break_point_is_the_first_step_past_one_second_or_one_percent_errors():
    held, slow, broken_by_errors, broken_by_time = (
        _step(1, 10, 120),
        _step(2, 20, 400),
        _step(3, 30, 500, failures=10),  # 10 of 900 is 1.1%
        _step(4, 40, 1200),
    )

    assert [s.broken for s in (held, slow, broken_by_errors, broken_by_time)] == [False, False, True, True]
    assert journeystats.break_point([held, slow, broken_by_errors, broken_by_time]) is broken_by_errors
    assert journeystats.break_point([held, slow]) is None
    assert _step(5, 10, 900, failures=3).broken is False  # 3 of 300 is exactly 1%: not past it


def test_sustained_is_the_busiest_step_under_250_ms_before_the_break():
    steps = [_step(1, 10, 100), _step(2, 20, 240), _step(3, 30, 300), _step(4, 5, 2000), _step(5, 50, 100)]

    best = journeystats.best_sustained(steps)

    assert best is steps[1] and best.rps == 20
    assert journeystats.best_sustained([_step(1, 10, 260)]) is None


def test_cpu_per_request_and_the_table():
    step = _step(1, 20, 100, cores={"server": 1.0, "database": 0.2, "worker": 0.0, "load": 0.1, "machine": 1.5})

    assert step.cpu_ms_per_request("server") == 50.0
    assert step.cpu_ms_per_request("database") == 10.0
    assert math.isnan(_step(1, 20, 100).cpu_ms_per_request("server"))
    row = journeystats.step_table([step]).splitlines()[2]
    assert row.startswith("| 1 | 25 | 20.0 | 600 | 0 | 0.00 |") and "| 50, 10, 0, 5 | 1.50 | held |" in row
