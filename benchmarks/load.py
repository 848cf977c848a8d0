"""The load process of the reporting benchmark (run by benchmarks/reporting.py, never inside the server's
process): locust users from benchmarks/locustfile.py, all started at once, signed in, warmed up, then measured
for a fixed time. Writes every measured request's time (ms) and failure count per page as JSON.

    python -m benchmarks.load --host http://127.0.0.1:PORT --config config.json --seconds 60 --out results.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict

# locust patches the standard library with gevent on import, before anything here opens a socket; Django never
# loads in this process.
import gevent
import locust  # noqa: F401
from locust.env import Environment

from benchmarks import locustfile
from benchmarks.loadstats import THINK_TIME, LoadConfig


def run(host: str, cfg: LoadConfig, seconds: float, warmup: float) -> dict:
    locustfile.CONFIG = cfg
    locustfile.HeadOfProfession.fixed_count = cfg.hop_users
    locustfile.OdpAdmin.fixed_count = cfg.admin_users
    locustfile.PublicReader.fixed_count = cfg.public_users
    users = [locustfile.HeadOfProfession, locustfile.OdpAdmin, locustfile.PublicReader]
    total = cfg.hop_users + cfg.admin_users + cfg.public_users
    signed_in_users = cfg.hop_users + cfg.admin_users

    times: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)
    errors: dict[str, str] = {}
    measuring = {"on": False}

    def record(name: str, response_time: float, exception: BaseException | None, **_kwargs) -> None:
        if not measuring["on"]:
            return
        times[name].append(response_time)
        if exception is not None:
            failures[name] += 1
            errors.setdefault(name, str(exception)[:200])

    env = Environment(user_classes=users, host=host)
    env.events.request.add_listener(record)
    runner = env.create_local_runner()
    try:
        runner.start(total, spawn_rate=total)
        deadline = time.monotonic() + 180
        while locustfile.SIGNED_IN["count"] < signed_in_users:
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"Only {locustfile.SIGNED_IN['count']} of {signed_in_users} users signed in; "
                    f"locust errors: {dict(env.stats.errors) or 'none'}"
                )
            gevent.sleep(0.2)
        gevent.sleep(warmup)  # every worker has served each page and holds a database connection
        measuring["on"] = True
        started = time.monotonic()
        gevent.sleep(seconds)
        measuring["on"] = False
        measured = time.monotonic() - started
    finally:
        runner.quit()
    return {
        "users": total,
        "seconds": measured,
        "think_time": list(THINK_TIME),
        "pages": {name: {"times": times[name], "failures": failures[name]} for name in times},
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", required=True)
    parser.add_argument("--config", required=True, help="JSON with the fields of loadstats.LoadConfig")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    result = run(args.host, LoadConfig.from_file(args.config), args.seconds, args.warmup)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f)
    sys.exit(0)


if __name__ == "__main__":
    main()
