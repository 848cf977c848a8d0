"""benchmarks/reporting.py's pieces that can be checked without a full-scale load run (that is `make bench`):
the percentile and table it prints, and that it never touches a database holding real people."""

from __future__ import annotations

import math

import pytest

from benchmarks import loadstats, scale


def test_percentile_is_nearest_rank_on_the_recorded_times():
    times = [float(n) for n in range(1, 101)]  # 1..100 ms
    assert loadstats.percentile(times, 0.95) == 95.0
    assert loadstats.percentile(times, 0.5) == 50.0
    assert loadstats.percentile(times, 1.0) == 100.0
    assert loadstats.percentile([7.0, 3.0, 5.0], 0.5) == 5.0  # unsorted input
    assert loadstats.percentile([42.0], 0.95) == 42.0
    assert math.isnan(loadstats.percentile([], 0.95))
    with pytest.raises(ValueError):
        loadstats.percentile(times, 0)


def test_a_slow_tail_fails_the_target_and_any_failure_fails_the_page():
    fast = [10.0] * 95 + [400.0] * 5  # the slowest 5% are past the target: p95 is still 10
    assert loadstats.summarise("Page", fast, 0, 250).passed is True
    slow = [10.0] * 94 + [400.0] * 6
    assert loadstats.summarise("Page", slow, 0, 250).p95_ms == 400.0
    assert loadstats.summarise("Page", slow, 0, 250).passed is False
    assert loadstats.summarise("Page", fast, 1, 250).passed is False
    assert loadstats.summarise("Page", [], 0, 250).passed is False  # nothing measured is not a pass
    assert loadstats.summarise("Sign in", fast, 0, None).passed is None


def test_table_rows_carry_counts_times_and_verdicts():
    text = loadstats.table(
        [
            loadstats.summarise("Head of profession dashboard", [100.0, 120.0, 300.0], 0, 250),
            loadstats.summarise("Published report", [20.0, 30.0], 0, 100),
            loadstats.summarise("Unjudged", [], 0, None),
        ]
    )
    lines = text.splitlines()
    assert lines[0].startswith("| page")
    assert len(lines) == 5
    hop = lines[2].split("|")
    assert [c.strip() for c in hop[1:-1]] == [
        "Head of profession dashboard",
        "3",
        "0",
        "120",
        "300",
        "< 250 ms",
        "FAIL",
    ]
    report = lines[3].split("|")
    assert [c.strip() for c in report[1:-1]] == ["Published report", "2", "0", "20", "30", "< 100 ms", "PASS"]
    assert [c.strip() for c in lines[4].split("|")[1:-1]] == ["Unjudged", "0", "0", "-", "-", "", ""]


def test_setup_refuses_a_database_with_real_members(staff_member):
    from benchmarks import reporting as bench
    from odp.models import RoleAssignment

    with pytest.raises(scale.NotSynthetic):
        bench.prepare()
    assert not RoleAssignment.objects.filter(member__user__username__startswith=scale.SYNTHETIC_PREFIX).exists()
