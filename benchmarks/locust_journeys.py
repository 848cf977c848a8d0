"""The load process of the journeys benchmark (run by benchmarks/journeys.py, never inside the server's process):
locust users following realistic journeys through the real pages and forms, weighted 80% staff, 15% heads of
profession, 4% ODP admins and 1% surge (a requester or a coordinator), added in steps until the break point.
Writes every measured request's time (ms) and failures, per step and page, as JSON.

    python -m benchmarks.locust_journeys --host http://127.0.0.1:PORT --config config.json --out results.json

Each user signs in through the real sign-in form with an account of its own (CSRF token and cookie), keeps the
cookies the server sets itself (the production profile's cookies are Secure and __Secure- prefixed and the load
comes over loopback HTTP, with X-Forwarded-Proto: https as from the TLS proxy, where a cookie jar would hold them
back) and posts every form with its CSRF token, Origin and Referer. A form answered with anything but its
redirect is a failure, as is any page that is not 2xx."""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

# locust patches the standard library with gevent on import, before anything here opens a socket.
import gevent
from locust import LoadTestShape, task
from locust.contrib.fasthttp import FastHttpUser
from locust.env import Environment
from locust.exception import StopUser

from benchmarks.journeystats import WEIGHTS, JourneyConfig, users_at

CONFIG: JourneyConfig | None = None
SIGN_IN = "Sign in"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEA_LINK = re.compile(r'href="/ideas/(\d+)/"')
DECIDE_LINK = re.compile(r'href="/ideas/(\d+)/decide/"')
TRIAGE_LINK = re.compile(r'href="/srrt/requests/(\d+)/triage/"')
_accounts: dict[str, itertools.cycle] = {}


def config() -> JourneyConfig:
    global CONFIG
    if CONFIG is None:
        CONFIG = JourneyConfig.from_file(os.environ["ODP_BENCH_JOURNEYS_CONFIG"])
    return CONFIG


def _next_account(kind: str, usernames: list[str]) -> str:
    if kind not in _accounts:
        _accounts[kind] = itertools.cycle(usernames)
    return next(_accounts[kind])


class FormFailed(Exception):
    pass


class Person(FastHttpUser):
    """A signed-in person with a browser: pages, forms with their CSRF token, redirects followed."""

    abstract = True
    # As from the TLS-terminating proxy: X-Forwarded-Proto, and a connection per request (nginx speaks HTTP/1.0
    # to its upstream by default). Kept-alive connections would also pin each user to one gunicorn worker and race
    # its 2 s keep-alive timeout against the 1 to 3 s think time: a POST sent as the server closes the connection
    # fails with no answer (a GET is retried by the client).
    default_headers = {"X-Forwarded-Proto": "https", "Connection": "close"}
    kind = ""
    accounts = ""  # the JourneyConfig field listing this kind of user's sign-ins

    def wait_time(self) -> float:
        low, high = config().think_time
        return random.uniform(low, high)

    def on_start(self) -> None:
        cfg = config()
        if not cfg.behind_tls_proxy:
            self.default_headers = {"Connection": "close"}
        netloc = urlsplit(self.host).netloc
        self.origin = f"{'https' if cfg.behind_tls_proxy else urlsplit(self.host).scheme}://{netloc}"
        self.username = _next_account(self.kind, getattr(cfg, self.accounts))
        self.cookies: dict[str, str] = {}
        token = self.form_token("/sign-in/", f"{SIGN_IN} (form)")
        location = self.submit("/sign-in/", {"username": self.username, "password": cfg.password}, token, SIGN_IN)
        if location is None:
            raise StopUser(f"{self.username} could not sign in")

    # Pages and forms.

    def _headers(self, **extra: str) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**({"Cookie": cookie} if cookie else {}), **extra}

    def _keep_cookies(self, response) -> None:
        for header in response.headers.getlist("set-cookie") if response.headers else []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)

    def page(self, path: str, name: str, **params: str) -> str | None:
        url = f"{path}?{urlencode(params)}" if params else path
        with self.client.get(
            url, headers=self._headers(), name=name, allow_redirects=False, catch_response=True
        ) as response:
            self._keep_cookies(response)
            if not 200 <= response.status_code < 300:
                response.failure(f"HTTP {response.status_code} {response.error or ''}".strip())
                return None
            return response.text

    def form_token(self, path: str, name: str) -> str | None:
        html = self.page(path, name)
        found = TOKEN.search(html or "")
        return found.group(1) if found else None

    def submit(self, path: str, data: dict, token: str | None, name: str) -> str | None:
        """POST a form; the redirect's location, or None (a failure) if the form did not redirect."""
        if token is None:
            return None
        headers = self._headers(Origin=self.origin, Referer=f"{self.origin}{path}", **{"Content-Type": _FORM})
        body = {**data, "csrfmiddlewaretoken": token}
        with self.client.post(
            path, data=urlencode(body, doseq=True), headers=headers, name=name, allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            self._keep_cookies(response)
            location = response.headers.get("Location") if response.headers else None
            if response.status_code != 302 or not location:
                detail = re.findall(r'govuk-error-message">\s*<span[^>]*>[^<]*</span>([^<]+)', response.text or "")
                response.failure(f"HTTP {response.status_code} {detail[:2] or response.error or ''}")
                return None
            return urlsplit(location).path + (f"?{urlsplit(location).query}" if urlsplit(location).query else "")

    def answer(self, path: str, data: dict, form_name: str, post_name: str, think: bool = True) -> str:
        """One question page: read it, think, answer it; the page it leads to."""
        token = self.form_token(path, form_name)
        if think:
            self.wait()
        location = self.submit(path, data, token, post_name)
        if location is None:
            raise FormFailed(path)
        return location


_FORM = "application/x-www-form-urlencoded"


class StaffMember(Person):
    """Self-assessment and ideas: the home page, my skills and a self-assessment, my ideas, browsing and searching
    ideas and reading one, and now and then raising an idea through every question page to submission. By requests
    (a journey is several), about: self-assessment 31%, browsing and reading ideas 26%, raising an idea 22%, home
    8%, my skills 8% (and after every self-assessment), my ideas 5%."""

    weight = WEIGHTS["staff"]
    kind = "staff"
    accounts = "staff"

    @task(6)
    def home(self) -> None:
        self.page("/", "Home")

    @task(6)
    def my_skills(self) -> None:
        self.page("/skills/", "My skills")

    @task(8)
    def self_assess(self) -> None:
        skill = random.choice(config().skill_ids)
        path = f"/skills/{skill}/assess/"
        try:
            location = self.answer(
                path,
                {"level": str(random.randint(1, 4)), "evidence": "Led the team's weekly casework quality checks."},
                "Self-assessment (form)",
                "Self-assessment (save)",
            )
        except FormFailed:
            return
        self.page(location, "My skills")

    @task(4)
    def my_ideas(self) -> None:
        self.page("/ideas/yours/", "My ideas")

    @task(10)
    def browse_ideas(self) -> None:
        cfg = config()
        if random.random() < 0.5:
            html = self.page("/ideas/", "Browse ideas")
        else:
            html = self.page("/ideas/", "Search ideas", q=random.choice(cfg.search_words), sort="relevance")
        ids = IDEA_LINK.findall(html or "")
        if ids:
            self.wait()
            self.page(f"/ideas/{random.choice(ids)}/", "An idea")

    @task(1)
    def raise_idea(self) -> None:
        cfg = config()
        answers = [
            (
                "problem",
                {"problem": "Applicants phone to ask where their case is; the calls take staff from casework."},
            ),
            ("change", {"proposed_change": "Text each applicant when their case moves to a new stage."}),
            ("benefits", {"hours_saved_per_year": "1200", "cost_saved_per_year": "25000", "customer_outcome": ""}),
            ("service-area", {"service_area": random.choice(cfg.service_areas)}),
            ("themes", {"themes": random.sample(cfg.theme_slugs, k=min(2, len(cfg.theme_slugs)))}),
            ("visibility", {"visibility": "civil_service"}),
        ]
        try:
            title = f"Text applicants at each stage of their case ({random.randint(1, 10**6)})"
            location = self.answer("/ideas/new/", {"title": title}, "Raise an idea: question", "Raise an idea: answer")
            for step, data in answers:
                expected = re.search(r"/ideas/(\d+)/questions/([\w-]+)/", location)
                if expected is None or expected.group(2) != step:
                    raise FormFailed(location)
                location = self.answer(location, data, "Raise an idea: question", "Raise an idea: answer")
            check = location  # /ideas/<id>/check/
            location = self.answer(check, {}, "Raise an idea: check answers", "Raise an idea: submit")
        except FormFailed:
            return
        self.page(location, "Raise an idea: submitted")


class HeadOfProfession(Person):
    """Their organisation's dashboard (page and API), the review queue and the decision page of an idea in it."""

    weight = WEIGHTS["head_of_profession"]
    kind = "head_of_profession"
    accounts = "heads_of_profession"

    @task(3)
    def dashboard(self) -> None:
        self.page("/reporting/dashboard/", "HoP dashboard")

    @task(1)
    def dashboard_api(self) -> None:
        self.page("/api/v1/reporting/dashboard/", "HoP dashboard API")

    @task(2)
    def review_queue(self) -> None:
        html = self.page("/ideas/review/", "Review queue")
        ids = DECIDE_LINK.findall(html or "")
        if ids:
            self.wait()
            self.page(f"/ideas/{random.choice(ids)}/decide/", "Review an idea")

    @task(1)
    def home(self) -> None:
        self.page("/", "Home")


class OdpAdmin(Person):
    """The profession dashboard unfiltered and with filters, the metrics runs and the ROI results."""

    weight = WEIGHTS["admin"]
    kind = "admin"
    accounts = "admins"

    @task(3)
    def profession(self) -> None:
        self.page("/reporting/profession/", "Profession dashboard")

    @task(2)
    def profession_filtered(self) -> None:
        cfg = config()
        filters = {
            "organisation_kind": random.choice(cfg.organisation_kinds),
            "grade": random.choice(cfg.grades),
            "job_family": random.choice(cfg.job_families),
            "snapshot_date": random.choice(cfg.snapshot_dates),
        }
        chosen = dict(random.sample(sorted(filters.items()), k=random.randint(1, 2)))
        self.page("/reporting/profession/", "Profession dashboard, filtered", **chosen)

    @task(1)
    def runs(self) -> None:
        self.page("/skills/metrics/", "Metrics runs")

    @task(1)
    def roi(self) -> None:
        self.page("/skills/roi/", "ROI results")


class SurgeUser(Person):
    """Half requesters (their requests, and a new surge request through every question to submission), half
    coordinators (the triage queue and the triage page of a request in it)."""

    weight = WEIGHTS["surge"]
    kind = "surge"
    _count = itertools.count()

    def on_start(self) -> None:
        self.requester = next(self._count) % 2 == 0
        self.kind = "requester" if self.requester else "coordinator"
        self.accounts = "requesters" if self.requester else "coordinators"
        super().on_start()

    @task
    def work(self) -> None:
        if self.requester:
            self.page("/srrt/requests/", "Surge: your requests")
            self.wait()
            self.raise_request()
        else:
            html = self.page("/srrt/triage/", "Surge: triage queue")
            ids = TRIAGE_LINK.findall(html or "")
            if ids:
                self.wait()
                self.page(f"/srrt/requests/{random.choice(ids)}/triage/", "Surge: triage a request")

    def raise_request(self) -> None:
        cfg = config()
        start = datetime.date.today() + datetime.timedelta(days=21)
        last_resort = {}
        for option in ("overtime", "redeployment", "recruitment", "contractors", "mutual_aid"):
            tried = option != "mutual_aid"
            last_resort[f"last_resort_{option}"] = "tried" if tried else "not_considered"
            last_resort[f"why_{option}"] = "It cannot cover 20,000 applications a week." if tried else ""
        answers = [
            ("demand-type", {"demand_type": "system_outage"}),
            (
                "what-happened",
                {"what_happened": "Our case system failed for nine days.", "why_now": "A backlog grows."},
            ),
            ("volume", {"forecast_volume": "60000", "normal_capacity": "40000", "volume_unit": "applications a week"}),
            (
                "dates",
                {
                    "start_date_day": str(start.day),
                    "start_date_month": str(start.month),
                    "start_date_year": str(start.year),
                    "expected_duration_days": "42",
                },
            ),
            ("people", {"people_needed": "12"}),
            ("skills", {"skills_needed": [str(s) for s in cfg.skill_ids[:2]]}),
            ("locations", {"locations": "Durham", "region": "north_east", "international": "no"}),
            ("clearance", {"clearance_required": "3"}),
            ("last-resort", last_resort),
            ("plan", {"in_forecast_or_plan": "no"}),
        ]
        try:
            location = self.answer(
                "/srrt/requests/new/", {"title": "Passport backlog after outage"}, "Surge: question", "Surge: answer"
            )
            for step, data in answers:
                if not location.endswith(f"/questions/{step}/"):
                    raise FormFailed(location)
                location = self.answer(location, data, "Surge: question", "Surge: answer")
            location = self.answer(location, {}, "Surge: check answers", "Surge: submit")
        except FormFailed:
            return
        self.page(location, "Surge: submitted")


USERS = [StaffMember, HeadOfProfession, OdpAdmin, SurgeUser]


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of one process, from /proc (0 when it has gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def cpu_sample(cfg: JourneyConfig) -> dict:
    """CPU seconds used so far by each process of the server (gunicorn's process group), the Celery worker's
    group and the PostgreSQL backends serving the benchmark's database (their parallel workers included), by this
    load process and by the whole machine, with the time: ``cores_between`` turns two samples into cores used."""
    groups = {"server": cfg.server_pgid, "worker": cfg.worker_pgid}
    sample: dict = {"server": {}, "worker": {}, "database": {}}
    backends: set[int] = set()
    processes: list[tuple[int, int, str]] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
            pgid = os.getpgid(int(entry))
        except OSError:
            continue
        processes.append((int(entry), pgid, cmdline))
        if cmdline.startswith("postgres: ") and f" {cfg.database} " in cmdline:
            backends.add(int(entry))
    for pid, pgid, cmdline in processes:
        for name, group in groups.items():
            if group and pgid == group:
                sample[name][pid] = _cpu_seconds(pid)
        leader = re.search(r"parallel worker for PID (\d+)", cmdline)
        if pid in backends or (leader and int(leader.group(1)) in backends):
            sample["database"][pid] = _cpu_seconds(pid)
    sample["load"] = {os.getpid(): _cpu_seconds(os.getpid())}
    with open("/proc/stat", encoding="ascii") as f:
        busy = [int(v) for v in f.readline().split()[1:]]
    sample["machine"] = {0: (sum(busy) - busy[3] - busy[4]) / _TICKS}  # all but idle and iowait
    sample["time"] = time.monotonic()
    return sample


def cores_between(start: dict, end: dict) -> dict[str, float]:
    """Cores used by each part between two samples: a process that started since counts from zero; one that has
    ended since (a database backend whose connection reached its maximum age) is missed, so this errs low."""
    wall = end["time"] - start["time"]
    if wall <= 0:
        return {}
    return {
        part: sum(cpu - start[part].get(pid, 0.0) for pid, cpu in end[part].items()) / wall
        for part in end
        if part != "time"
    }


class Recorder:
    """Every request's time, by step and page, kept only inside each step's measured window (its last
    ``measure_seconds``, after the step's users have signed in and settled)."""

    def __init__(self, cfg: JourneyConfig) -> None:
        self.cfg = cfg
        self.started: float | None = None
        self.steps: dict[int, dict] = {}
        self.errors: dict[str, str] = {}
        self.cpu_at_start: dict[int, dict] = {}

    def window(self, now: float) -> int | None:
        if self.started is None:
            return None
        elapsed = now - self.started
        step = int(elapsed // self.cfg.step_seconds)
        into = elapsed - step * self.cfg.step_seconds
        return step if into >= self.cfg.step_seconds - self.cfg.measure_seconds else None

    def record(self, name: str, response_time: float, exception: BaseException | None, **_kwargs) -> None:
        if exception is not None:
            self.errors.setdefault(name, str(exception)[:300])
        step = self.window(time.monotonic())
        if step is None:
            return
        data = self.steps.setdefault(step, {"pages": defaultdict(lambda: {"times": [], "failures": 0})})
        if name.startswith(SIGN_IN):  # not counted, but a sign-in still hashing in the window slows the rest
            data["late_sign_ins"] = data.get("late_sign_ins", 0) + (name == SIGN_IN)
            return
        pages = data["pages"]
        pages[name]["times"].append(response_time)
        if exception is not None:
            pages[name]["failures"] += 1

    def sample_cpu(self) -> None:
        """At the first tick of a step's measured window, the CPU used so far (once per step)."""
        step = self.window(time.monotonic())
        if step is not None and step not in self.cpu_at_start and self.cfg.database:
            self.cpu_at_start[step] = cpu_sample(self.cfg)

    def close(self, step: int, users: int) -> dict:
        data = self.steps.setdefault(step, {"pages": {}})
        data.update(users=users, seconds=self.cfg.measure_seconds, load_average=os.getloadavg()[0])
        start = self.cpu_at_start.get(step)
        if start is not None:
            data["cores"] = cores_between(start, cpu_sample(self.cfg))
        return data


def _broken(step: dict) -> bool:
    times = [t for p in step["pages"].values() for t in p["times"]]
    failures = sum(p["failures"] for p in step["pages"].values())
    if not times:
        return True
    p95 = sorted(times)[max(1, -(-95 * len(times) // 100)) - 1]
    return p95 > 1000 or failures / len(times) > 0.01


class StepShape(LoadTestShape):
    """``step_users`` more users every ``step_seconds``; stops after the step past the break point."""

    def __init__(self, cfg: JourneyConfig, recorder: Recorder) -> None:
        super().__init__()
        self.cfg = cfg
        self.recorder = recorder
        self.closed = -1

    def tick(self) -> tuple[int, float] | None:
        run_time = self.get_run_time()
        if self.recorder.started is None:
            self.recorder.started = time.monotonic()
        step = int(run_time // self.cfg.step_seconds)
        self.recorder.sample_cpu()
        while self.closed < step - 1:
            self.closed += 1
            data = self.recorder.close(self.closed, self.cfg.step_users * (self.closed + 1))
            print(_progress(self.closed, data), flush=True)
            if _broken(data):
                return None
        users = users_at(self.cfg, run_time)
        if users is None:
            return None
        return users, self.cfg.spawn_rate


def _progress(step: int, data: dict) -> str:
    times = [t for p in data["pages"].values() for t in p["times"]]
    failures = sum(p["failures"] for p in data["pages"].values())
    ordered = sorted(times)
    p95 = ordered[max(1, -(-95 * len(ordered) // 100)) - 1] if ordered else float("nan")
    return (
        f"  step {step + 1}: {data['users']} users, {len(times) / data['seconds']:.1f} requests/s, "
        f"p95 {p95:.0f} ms, {failures} failures, load average {data['load_average']:.1f}, "
        f"{data.get('late_sign_ins', 0)} sign-ins still finishing in the measured window"
    )


def run(host: str, cfg: JourneyConfig) -> dict:
    global CONFIG
    CONFIG = cfg
    recorder = Recorder(cfg)
    shape = StepShape(cfg, recorder)
    env = Environment(user_classes=USERS, host=host, shape_class=shape)
    env.events.request.add_listener(recorder.record)
    runner = env.create_local_runner()
    deadline = time.monotonic() + cfg.max_steps * cfg.step_seconds + 120
    try:
        runner.start_shape()
        gevent.sleep(1)
        while runner.shape_greenlet is not None and time.monotonic() < deadline:
            gevent.sleep(0.5)
    finally:
        runner.quit()
    steps = []
    for step in sorted(recorder.steps):
        data = recorder.steps[step]
        if "users" not in data:  # a window cut short when the test stopped
            continue
        steps.append({"step": step + 1, **data, "pages": dict(data["pages"])})
    totals = {
        name: {"requests": s.num_requests, "failures": s.num_failures} for (name, _), s in env.stats.entries.items()
    }
    return {
        "steps": steps,
        "errors": recorder.errors,
        "totals": totals,
        "think_time": list(cfg.think_time),
        "weights": WEIGHTS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", required=True)
    parser.add_argument("--config", required=True, help="JSON with the fields of journeystats.JourneyConfig")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    result = run(args.host, JourneyConfig.from_file(args.config))
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f)
    sys.exit(0)


if __name__ == "__main__":
    main()
