"""Tools for the fault-injection tests: a Celery worker whose pool process can be SIGKILLed, a pause planted in the
database that holds a job at a chosen statement (so it is killed mid-job, deterministically), and helpers to read
the processes. Everything is real: real Redis, real worker processes, the test's real database."""

# ruff: noqa: S608 - the triggers are built from the tests' own SQL fragments, never outside input
from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from tests.services import ROOT, wait_for, worker_database_url


def children_of(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (from /proc), oldest first."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its closing parenthesis.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


class Worker:
    """A real ``celery worker`` on both queues. ``pool="prefork"`` (one pool process, as production runs it, with
    concurrency 1) lets a test SIGKILL the process running a job while the parent lives on; ``pool="solo"`` runs
    jobs in the main process, so killing it loses the whole worker. Runs in its own process group, so nothing it
    started outlives the test."""

    def __init__(self, broker_url: str, log_path: Path, *, pool: str = "prefork", extra_env: dict | None = None):
        self.broker_url = broker_url
        self.log_path = log_path
        self.pool = pool
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self._logs: list = []

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.hardening.worker_settings",
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": self.broker_url,
            **self.extra_env,
        }
        pool = ["--pool=prefork", "--concurrency=1"] if self.pool == "prefork" else ["--pool=solo"]
        log = self.log_path.open("ab")
        self._logs.append(log)
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "odp", "worker", "-Q", "interactive,batch", *pool),
                *("--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: "ready." in self.output(), timeout=60, what=f"the worker to start:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def pool_process(self) -> int:
        assert self.process is not None and self.pool == "prefork"
        wait_for(lambda: children_of(self.process.pid), timeout=30, what="the worker's pool process")
        return children_of(self.process.pid)[0]

    def kill_pool_process(self) -> int:
        """SIGKILL the pool process (running the current job); the parent lives and forks a new one."""
        pid = self.pool_process()
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill(self) -> None:
        """SIGKILL the whole worker: parent and pool processes at once, as a lost machine or `kill -9` would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        if self.process:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # pool processes a warm shutdown left behind
        self.process = None
        for log in self._logs:
            log.close()
        self._logs = []

    def count(self, text: str) -> int:
        return self.output().count(text)


class Pause:
    """A trigger planted in the test database that holds a job inside one statement, so a test can kill the job
    exactly there. While ``armed``, a row matching ``when`` (SQL over NEW) stops the statement before it writes:

    - PostgreSQL: the trigger waits for an advisory lock the test holds (the statement's session is blocked);
    - SQLite (one file shared with the worker): the trigger runs a cross join too large to finish, holding the
      file's write lock; the kill ends it.

    Disarm it as soon as the job is killed, so the redelivered job passes. ``drop`` removes every trace."""

    KEY = 80_808

    def __init__(self, table: str, event: str, when: str) -> None:
        self.table, self.event, self.when = table, event, when
        self.vendor = connection.vendor

    def plant(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE odp_fault_armed (armed INTEGER)")
            cursor.execute("INSERT INTO odp_fault_armed VALUES (1)")
            if self.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_lock(%s)", [self.KEY])
                cursor.execute(
                    f"""
                    CREATE FUNCTION odp_fault_pause() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF EXISTS (SELECT 1 FROM odp_fault_armed) AND ({self.when}) THEN
                            PERFORM pg_advisory_xact_lock_shared({self.KEY});
                        END IF;
                        RETURN NEW;
                    END $$
                    """
                )
                cursor.execute(
                    f"CREATE TRIGGER odp_fault_pause BEFORE {self.event} ON {self.table} "
                    "FOR EACH ROW EXECUTE FUNCTION odp_fault_pause()"
                )
            else:
                cursor.execute("CREATE TABLE odp_fault_burn (x INTEGER)")
                cursor.execute(
                    "INSERT INTO odp_fault_burn SELECT a.x FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3 "
                    "UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8) a"
                )
                for _ in range(7):  # 8 x 2^7 = 1,024 rows: the trigger's triple cross join is 10^9 rows
                    cursor.execute("INSERT INTO odp_fault_burn SELECT x FROM odp_fault_burn")
                cursor.execute(
                    f"CREATE TRIGGER odp_fault_pause BEFORE {self.event} ON {self.table} FOR EACH ROW "
                    f"WHEN EXISTS (SELECT 1 FROM odp_fault_armed) AND ({self.when}) BEGIN "
                    "SELECT sum(a.x * b.x + c.x) FROM odp_fault_burn a, odp_fault_burn b, odp_fault_burn c; END"
                )

    def holding(self) -> bool:
        """Is a statement held at the pause right now? On SQLite any writer holds the write lock for a moment, so
        the lock must stay taken across half a second (callers also check the job's recorded progress)."""
        if self.vendor == "sqlite":
            if not self._write_locked():
                return False
            time.sleep(0.5)
            return self._write_locked()
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = %s",
                    [self.KEY],
                )
                return cursor.fetchone()[0] > 0
        raise NotImplementedError(self.vendor)

    def _write_locked(self) -> bool:
        # Another connection holds the file's write lock (the held statement's); ours is refused at once.
        probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()

    def disarm(self) -> None:
        """Let held and later statements through (on PostgreSQL a killed job's statement then finishes in its
        orphaned session, as it would in production)."""
        deadline = time.monotonic() + 30
        while True:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM odp_fault_armed")
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [self.KEY])

    def drop(self) -> None:
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_unlock_all()")
                cursor.execute(f"DROP TRIGGER IF EXISTS odp_fault_pause ON {self.table}")
                cursor.execute("DROP FUNCTION IF EXISTS odp_fault_pause()")
            else:
                cursor.execute("DROP TRIGGER IF EXISTS odp_fault_pause")
                cursor.execute("DROP TABLE IF EXISTS odp_fault_burn")
            cursor.execute("DROP TABLE IF EXISTS odp_fault_armed")
