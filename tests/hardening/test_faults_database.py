"""Fault injection on the database: PostgreSQL restarted, then crashed, under a steady stream of writes to the
service running under gunicorn. Every write the service acknowledged is there afterwards, and the same gunicorn
processes serve again as soon as the database is back: no restart of the app.

The test runs a PostgreSQL cluster of its own (initdb on a free loopback port), never the suite's shared server,
so it runs the same whichever database the suite itself uses."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter

import pytest

from tests.hardening.faults import Gunicorn, ThrowawayPostgres, http_request, manage
from tests.services import wait_for

pytestmark = pytest.mark.services

WRITERS = 3
SETUP = """
from odp.models import Member, Organisation, User
from rest_framework.authtoken.models import Token
organisation = Organisation.objects.create(name="HM Passport Office", slug="hm-passport-office")
tokens = []
for n in range({writers}):
    user = User.objects.create_user(username=f"writer{{n}}", email=f"writer{{n}}@example.gov.uk")
    Member.objects.create(user=user, organisation=organisation)
    tokens.append(Token.objects.create(user=user).key)
print(json.dumps(tokens))
"""


@pytest.fixture
def database(transactional_db):
    cluster = ThrowawayPostgres()
    try:
        cluster.start()
        cluster.load_schema()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def app(database, tmp_path):
    server = Gunicorn(database.url, tmp_path / "gunicorn.log")
    server.start()
    yield server
    server.stop()


class Writers:
    """Threads drafting ideas through the API as fast as the service answers (each its own member and token)."""

    def __init__(self, port: int, tokens: list[str]) -> None:
        self.port = port
        self.tokens = tokens
        self.acknowledged: list[tuple[int, str, float]] = []  # (idea id, title, when)
        self.outcomes: Counter = Counter()
        self.last: dict[int, list[int | str]] = {n: [] for n in range(len(tokens))}
        self.sent: list[tuple[float, float, int | str]] = []  # (request sent, answer received, outcome)
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._write, args=(n,), daemon=True) for n in range(len(tokens))]
        self.lock = threading.Lock()

    def _write(self, n: int) -> None:
        sent = 0
        while not self.stopping.is_set():
            title = f"Writer {n} idea {sent}"
            sent += 1
            started = time.monotonic()
            try:
                status, body = http_request(self.port, "POST", "/api/v1/ideas/", {"title": title}, self.tokens[n])
            except OSError as error:
                status, body = type(error).__name__, None
            with self.lock:
                self.outcomes[status] += 1
                self.sent.append((started, time.monotonic(), status))
                self.last[n].append(status)
                if status == 201:
                    assert body["title"] == title
                    self.acknowledged.append((body["id"], title, time.monotonic()))
            time.sleep(0.12)  # about 8 a second each: under the API's per-user throttle

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def failed_since(self, moment: float, until: float = float("inf")) -> list[int | str]:
        """Failures of requests sent after ``moment`` and answered before ``until``."""
        with self.lock:
            return [
                status for sent, answered, status in self.sent if moment < sent and answered < until and status != 201
            ]

    def acknowledged_since(self, moment: float) -> int:
        with self.lock:
            return sum(1 for *_, when in self.acknowledged if when > moment)


def test_postgresql_restarted_and_crashed_under_writes_loses_no_acknowledged_write(database, app):
    output = manage(database.url, "shell", "-v", "0", "-c", "import json\n" + SETUP.format(writers=WRITERS))
    tokens = json.loads(output.strip().splitlines()[-1])
    pids = app.worker_pids()
    assert len(pids) == 2
    writers = Writers(app.port, tokens)
    writers.start()
    try:
        wait_for(lambda: writers.acknowledged_since(0) >= 20, timeout=60, what="the first writes")

        windows = []  # from each time the database is back until it goes down again (or the end)
        for mode in ("fast", "immediate"):  # a clean restart, then a crash with recovery from the log
            down = time.monotonic()
            if windows:
                windows[-1][1] = down
            database.stop(mode)
            time.sleep(1)  # writes fail while it is down
            wait_for(lambda down=down: writers.failed_since(down), timeout=30, what="a write to fail while it is down")
            database.start()
            wait_for(database.answers, timeout=30, what="the database to answer queries")
            back = time.monotonic()
            windows.append([back, float("inf")])
            wait_for(
                lambda back=back: writers.acknowledged_since(back) >= 20,
                timeout=60,
                what=f"writes to succeed again after the {mode} restart; gunicorn log:\n{app.output()[-3000:]}",
            )
    finally:
        writers.stop()

    # The same gunicorn workers recovered by themselves, at once: every request sent once the database was back
    # succeeded (a stale pooled connection is health-checked and replaced, not used to fail a request).
    assert app.worker_pids() == pids
    assert [writers.failed_since(back, until) for back, until in windows] == [[], []], app.output()[-6000:]
    assert all(statuses[-5:] == [201] * 5 for statuses in writers.last.values()), writers.last
    # Every acknowledged write is in the database; any failure was an honest error, never a 2xx.
    rows = database.psql("SELECT id, title FROM innovation_idea ORDER BY id")
    stored = {(int(pk), title) for pk, title in (line.split("|", 1) for line in rows.splitlines())}
    acknowledged = {(pk, title) for pk, title, _ in writers.acknowledged}
    assert acknowledged <= stored, sorted(acknowledged - stored)
    assert set(writers.outcomes) - {201} <= {500, 503, "ConnectionResetError", "RemoteDisconnected"}, writers.outcomes
    print(f"PostgreSQL restart and crash under writes: {dict(writers.outcomes)}; {len(stored)} rows stored")
