"""Tools for the fault-injection tests: a Celery worker whose pool process can be SIGKILLed, a pause planted in the
database that holds a job at a chosen statement (so it is killed mid-job, deterministically), and helpers to read
the processes. Everything is real: real Redis, real worker processes, the test's real database."""

# ruff: noqa: S608 - the triggers are built from the tests' own SQL fragments, never outside input
from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
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
        raise ValueError(f"Pauses are built for PostgreSQL and SQLite only, not {self.vendor}.")

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


PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))  # as scripts/services.sh finds them


def _as_postgres(*command: str) -> list[str]:
    # initdb and pg_ctl refuse to run as root (scripts/services.sh does the same).
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


class ThrowawayPostgres:
    """A PostgreSQL cluster of the test's own on a free loopback port, which the test may restart or crash at will
    (the suite's shared server must never be touched). Same settings as the suite's: no fsync, commits
    acknowledged once in the write-ahead log."""

    def __init__(self) -> None:
        from tests.services import free_port

        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="odp-faults-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        subprocess.run(
            [
                *_as_postgres(
                    str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"
                ),
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/odp"

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off -c max_connections=50"
        subprocess.run(
            [
                *_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60"),
                "-o",
                options,
                "start",
            ],
            check=True,
            capture_output=True,
        )

    def answers(self) -> bool:
        try:
            return self.psql("SELECT 1").strip() == "1"
        except subprocess.CalledProcessError:
            return False

    def stop(self, mode: str = "fast") -> None:
        """``fast`` ends every session and shuts down cleanly; ``immediate`` is a crash (recovery on next start)."""
        subprocess.run(
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"),
            check=True,
            capture_output=True,
        )

    def psql(self, sql: str, database: str = "odp") -> str:
        result = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database, "-tAqc", sql],
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout

    def load_schema(self) -> None:
        """The service's schema: copied from the test database when that is PostgreSQL (a second), else migrated."""
        self.psql("CREATE DATABASE odp", database="postgres")
        if connection.vendor == "postgresql":
            s = connection.settings_dict
            dump = subprocess.run(
                [
                    "pg_dump",
                    "--schema-only",
                    "--no-owner",
                    "-h",
                    s["HOST"],
                    "-p",
                    str(s["PORT"]),
                    "-U",
                    s["USER"],
                    s["NAME"],
                ],
                check=True,
                capture_output=True,
                env={**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""},
            )
            subprocess.run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    "-d",
                    "odp",
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                ],
                input=dump.stdout,
                check=True,
                capture_output=True,
            )
        else:
            manage(self.url, "migrate", "--noinput", "-v", "0")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"),
                capture_output=True,
            )
        shutil.rmtree(self.root, ignore_errors=True)


def app_env(database_url: str) -> dict[str, str]:
    """The test profile (DEBUG off, jobs inline) pointed at another database."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "odp.settings.test", "DATABASE_URL": database_url, "REDIS_URL": ""}


def manage(database_url: str, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=app_env(database_url),
        input=stdin,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


class Gunicorn:
    """The service under gunicorn (sync workers, as docker-compose runs it) on a free loopback port."""

    def __init__(self, database_url: str, log_path: Path, workers: int = 2) -> None:
        from tests.services import free_port

        self.database_url = database_url
        self.log_path = log_path
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "odp.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--timeout=30",
                "--access-logfile=-",
            ],
            cwd=ROOT,
            env=app_env(self.database_url),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(self._answers, timeout=60, what=f"gunicorn to serve; log:\n{self.output()}")

    def _answers(self) -> bool:
        try:
            return http_request(self.port, "GET", "/healthz")[0] == 200
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        return children_of(self.process.pid)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None
        self._log.close()


def http_request(
    port: int, method: str, path: str, body: dict | None = None, token: str = "", timeout: float = 10
) -> tuple[int, dict | str]:
    """One request on a fresh connection: (status, JSON body or text)."""
    headers = {"Host": "127.0.0.1", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        client.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = client.getresponse()
        raw = response.read().decode(errors="replace")
    finally:
        client.close()
    try:
        return response.status, json.loads(raw)
    except ValueError:
        return response.status, raw
