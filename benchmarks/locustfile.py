"""Locust users for the reporting benchmark: heads of profession and ODP admins reading their dashboards, and the
public reading the published annual report. `python -m benchmarks.reporting` drives them through
benchmarks/load.py; to drive them by hand against a server of your own:

    ODP_BENCH_LOAD_CONFIG=config.json locust -f benchmarks/locustfile.py --host http://127.0.0.1:8000

config.json holds the fields of ``benchmarks.loadstats.LoadConfig``. Signed-in users sign in through the real
sign-in form once, then send the session cookie themselves: the production profile marks cookies Secure and the
load comes over plain loopback HTTP (as from a TLS-terminating proxy, with X-Forwarded-Proto: https), where a
cookie jar would hold them back. Every non-2xx answer, a redirect included, is a failure."""

from __future__ import annotations

import itertools
import os
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from locust import HttpUser, between, task
from locust.exception import StopUser

from benchmarks.loadstats import (
    HOP_API,
    HOP_DASHBOARD,
    PROFESSION,
    PROFESSION_ALL,
    PROFESSION_DATE,
    PROFESSION_FAMILY,
    PROFESSION_GRADE,
    PROFESSION_KIND,
    REPORT,
    SIGN_IN,
    THINK_TIME,
    LoadConfig,
)

CONFIG: LoadConfig | None = None  # set by benchmarks/load.py, or read from ODP_BENCH_LOAD_CONFIG
SIGNED_IN = {"count": 0}


def config() -> LoadConfig:
    global CONFIG
    if CONFIG is None:
        CONFIG = LoadConfig.from_file(os.environ["ODP_BENCH_LOAD_CONFIG"])
    return CONFIG


def _cookie(response, suffix: str) -> tuple[str, str] | None:
    """The (name, value) of a cookie set by this response whose name ends with ``suffix`` ("sessionid" matches the
    production "__Secure-sessionid" and the plain one)."""
    for header in response.raw.headers.getlist("Set-Cookie"):
        for name, morsel in SimpleCookie(header).items():
            if name.endswith(suffix) and morsel.value:
                return name, morsel.value
    return None


class Reader(HttpUser):
    abstract = True
    wait_time = between(*THINK_TIME)

    def on_start(self) -> None:
        if config().behind_tls_proxy:
            self.client.headers["X-Forwarded-Proto"] = "https"

    def fetch(self, path: str, name: str, **params: str) -> None:
        url = f"{path}?{urlencode(params)}" if params else path
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if not 200 <= response.status_code < 300:
                response.failure(f"HTTP {response.status_code}")


class SignedInReader(Reader):
    abstract = True
    username_field = ""

    def on_start(self) -> None:
        super().on_start()
        cfg = config()
        username = getattr(cfg, self.username_field)
        form = self.client.get("/sign-in/", name=f"{SIGN_IN} (form)", allow_redirects=False)
        csrf = _cookie(form, "csrftoken")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if form.status_code != 200 or csrf is None or token is None:
            raise StopUser(f"No sign-in form (HTTP {form.status_code})")
        scheme = "https" if cfg.behind_tls_proxy else urlsplit(self.host).scheme
        origin = f"{scheme}://{urlsplit(self.host).netloc}"
        with self.client.post(
            "/sign-in/",
            data={"username": username, "password": cfg.password, "csrfmiddlewaretoken": token.group(1)},
            headers={"Cookie": f"{csrf[0]}={csrf[1]}", "Origin": origin, "Referer": f"{origin}/sign-in/"},
            name=SIGN_IN,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            session = _cookie(response, "sessionid")
            if response.status_code != 302 or session is None:
                response.failure(f"Sign-in refused (HTTP {response.status_code})")
                raise StopUser(f"{username} could not sign in")
        self.client.cookies.clear()
        self.client.headers["Cookie"] = f"{session[0]}={session[1]}"
        SIGNED_IN["count"] += 1


class HeadOfProfession(SignedInReader):
    """Their own organisation's dashboard (and its child bodies), as a page and through the API."""

    username_field = "hop_username"
    fixed_count = 8

    @task(2)
    def dashboard(self) -> None:
        self.fetch("/reporting/dashboard/", HOP_DASHBOARD)

    @task(1)
    def api(self) -> None:
        self.fetch("/api/v1/reporting/dashboard/", HOP_API)


class OdpAdmin(SignedInReader):
    """The profession dashboard, unfiltered and with each filter (organisation kind, grade, job family, an
    earlier snapshot date) and all four together."""

    username_field = "admin_username"
    fixed_count = 8

    def on_start(self) -> None:
        super().on_start()
        cfg = config()
        dates = cfg.snapshot_dates[1:] or cfg.snapshot_dates  # an earlier snapshot where there is one
        self.kinds = itertools.cycle(cfg.organisation_kinds)
        self.grades = itertools.cycle(cfg.grades)
        self.families = itertools.cycle(cfg.job_families)
        self.dates = itertools.cycle(dates)

    @task(3)
    def unfiltered(self) -> None:
        self.fetch("/reporting/profession/", PROFESSION)

    @task(1)
    def by_kind(self) -> None:
        self.fetch("/reporting/profession/", PROFESSION_KIND, organisation_kind=next(self.kinds))

    @task(1)
    def by_grade(self) -> None:
        self.fetch("/reporting/profession/", PROFESSION_GRADE, grade=next(self.grades))

    @task(1)
    def by_job_family(self) -> None:
        self.fetch("/reporting/profession/", PROFESSION_FAMILY, job_family=next(self.families))

    @task(1)
    def by_snapshot_date(self) -> None:
        self.fetch("/reporting/profession/", PROFESSION_DATE, snapshot_date=next(self.dates))

    @task(1)
    def all_filters(self) -> None:
        self.fetch(
            "/reporting/profession/",
            PROFESSION_ALL,
            organisation_kind=next(self.kinds),
            grade=next(self.grades),
            job_family=next(self.families),
            snapshot_date=next(self.dates),
        )


class PublicReader(Reader):
    """Anyone, not signed in, reading the published annual report."""

    fixed_count = 4

    @task
    def report(self) -> None:
        self.fetch(f"/annual-report/{config().report_year}/", REPORT)
