"""No personal data in URLs or logs (#8, item 6).

URLs end up in access logs, browser history and (same-origin) Referer headers, so a route may carry ids but
never an email, a name or a national insurance number; the GET forms are listed here with what each can carry
(the audit log's filter by person is POSTed and the address names them by id). Logs are checked
twice: here through the journeys that touch people (sign-in, ideas, comments, notifications, every scheduled
job), and in tests/hardening/test_headers.py over the walk of every URL as every owner."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from innovation import services as idea_services
from innovation import workflow
from innovation.models import Idea
from odp.celery import app
from odp.models import Notification
from skills.selectors import ODP_FRAMEWORK_SLUG
from tests.factories import TEST_PASSWORD, MemberFactory
from tests.hardening.site_walk import routes
from tests.services import free_port
from tests.skills.factories import FrameworkFactory, published_version

# Path parameters a route may take: ids, and values from fixed sets. Nothing a person is called or known by.
ID_PARAMS = re.compile(r"^(pk|id|object_id|content_type_id|[a-z_]+_(id|pk))$")
FIXED_SET_PARAMS = {
    "year": "a report or plan year",
    "number": "a report version number",
    "step": "a question page's slug from a fixed list",
    "kind": "an export format from a fixed list",
    "fmt": "a download format from a fixed list",
    "app_label": "a Django app's label (admin)",
    "slug": "a published case study, slugged from its public title and idea id",
    "path": "the rest of an unknown /api/v1/ path (answered with a 404)",
    "url": "the rest of an unknown admin path (answered with a 404)",
}
PERSONAL = re.compile(r"email|name|user|nino|national|insurance|phone|person|staff", re.IGNORECASE)

# Every GET form and its fields. A new one must be added here after asking: can it carry a person's name?
GET_FORMS = {
    "innovation/browse.html": {"q", "theme", "organisation", "status", "service_area", "sort"},  # q: idea text
    "skills/careers/opportunities.html": {"q", "kind", "offered_by", "job_family", "remote", "sort"},  # q: jobs
    "reporting/dashboards/organisation.html": {"organisation"},
    "reporting/dashboards/profession.html": {"organisation_kind", "grade", "job_family", "snapshot_date"},
    "srrt/analysis.html": {"year"},
    # (The audit log's "changed by" filter takes a username or email address, so it is a POST: see below.)
}


def test_no_route_takes_an_email_a_name_or_any_personal_identifier():
    unexplained = {}
    for route in routes():
        for param in route.params:
            if PERSONAL.search(param) or not (ID_PARAMS.match(param) or param in FIXED_SET_PARAMS):
                unexplained[route.pattern] = param
    assert unexplained == {}
    # The only free-text path parameter is the case study slug, and case studies are published, public text.
    slugs = sorted(r.pattern for r in routes() if "slug" in r.params)
    assert slugs == [
        "api/v1/^case-studies/(?P<slug>[^/.]+)/$",
        "api/v1/^case-studies/(?P<slug>[^/.]+)/publish/$",
        "ideas/case-studies/<slug:slug>/",
    ]


def test_every_get_form_is_known_and_none_can_carry_a_persons_name():
    templates = Path(settings.BASE_DIR) / "templates"
    found = {}
    for template in sorted(templates.rglob("*.html")):
        html = template.read_text()
        for form in re.findall(r'<form[^>]*method="get"[^>]*>(.*?)</form>', html, re.S | re.I):
            fields = set(re.findall(r"form\.([a-z_]+)", form)) - {"errors", "fields", "non_field_errors"}
            found[str(template.relative_to(templates))] = fields
    assert found == GET_FORMS


# Logs: a member whose name, email and username would stand out anywhere.

NAME = ("Zephyrine", "Quillfeather-Marchbanks")
EMAIL = "zephyrine.quillfeather@homeoffice.example.gov.uk"
USERNAME = "zephyrine.quillfeather"


@pytest.fixture
def distinctive(passport_office, head_of_profession):
    return MemberFactory(
        organisation=passport_office,
        user__username=USERNAME,
        user__email=EMAIL,
        user__first_name=NAME[0],
        user__last_name=NAME[1],
    )


def _leaks(records: list[logging.LogRecord]) -> list[str]:
    needles = (EMAIL, USERNAME, NAME[0], NAME[1], " ".join(NAME), USERNAME.split(".")[0])
    leaks = []
    for record in records:
        text = f"{record.name} {record.getMessage()} {record.args!r}"
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        leaks += [f"{record.name}: {text[:300]!r}" for needle in needles if needle.lower() in text.lower()]
    return leaks


def test_journeys_and_jobs_that_touch_a_person_log_nothing_that_names_them(
    distinctive, head_of_profession, staff_member, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    client = Client()

    # Signing in: wrong passwords (axes logs them), then the right one.
    for _ in range(2):
        client.post(reverse("login"), {"username": USERNAME, "password": "wrong-password"})
    assert client.post(reverse("login"), {"username": USERNAME, "password": TEST_PASSWORD}).status_code == 302

    # Raising an idea (its title names the author); a colleague comments; the reviewer is notified and
    # emailed (the outbox runs the jobs inline after commit).
    with django_capture_on_commit_callbacks(execute=True):
        idea = idea_services.idea_save_draft(
            by=distinctive,
            answers={
                "title": f"Idea from {NAME[0]}",
                "problem": "Callers wait too long.",
                "proposed_change": "Call them back.",
                "service_area": "passports",
            },
        )
        workflow.idea_submit(idea=idea, by=distinctive)
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.comment_add(idea=Idea.objects.get(pk=idea.pk), by=staff_member, body="Good idea.")
    assert Notification.objects.filter(recipient=head_of_profession).exists()
    assert any(head_of_profession.user.email in m.to for m in mail.outbox), "the reviewer's email job should have run"

    # Pages and API answers of every kind: found, not found, refused, a bad token.
    for path in ("/", reverse("ideas-detail", args=[idea.pk]), "/ideas/999999/", "/audit/", "/api/v1/me/"):
        client.get(path)
    Client().get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-real-token")
    client.post(reverse("logout"))

    # Every scheduled job, once (the nightly metrics need a published framework to measure against).
    published_version(n_skills=2, framework=FrameworkFactory(slug=ODP_FRAMEWORK_SLUG))
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        app.tasks[entry["task"]].apply(throw=True)

    assert any(r.name == "django.request" for r in caplog.records), "the 404 above should have been logged"
    assert any(r.name.startswith("axes") for r in caplog.records), "axes should have logged the failures"
    assert _leaks(caplog.records) == []


def _access_log_format() -> str:
    import yaml

    compose = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())
    formats = [a.split("=", 1)[1] for a in compose["services"]["web"]["command"] if a.startswith("--access-logformat=")]
    assert len(formats) == 1, "the web service must set its access log format"
    dockerfile = (Path(settings.BASE_DIR) / "docker" / "Dockerfile").read_text()
    assert '"--access-logformat", ' + json.dumps(formats[0]) in dockerfile, "the image must log the same way"
    return formats[0]


def test_the_access_log_keeps_the_path_but_never_the_query_string_or_referer(tmp_path):
    """gunicorn, as docker-compose and the image run it: a GET filter naming someone (the audit log's actor)
    and a Referer carrying one must not reach the access log."""
    log_format = _access_log_format()
    access_log = tmp_path / "access.log"
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "odp.settings.test", "ALLOWED_HOSTS": "127.0.0.1"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "odp.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--access-logfile={access_log}",
            f"--access-logformat={log_format}",
            "--workers=1",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        query = urllib.parse.urlencode({"actor": EMAIL})
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz?{query}", headers={"Referer": f"http://127.0.0.1/audit/?{query}"}
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback)
                    assert response.status == 200
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        for _ in range(50):
            if access_log.exists() and access_log.read_text().strip():
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    line = access_log.read_text()
    assert '"GET /healthz HTTP/1.1" 200' in line
    assert "actor" not in line and "zephyrine" not in line.lower() and "%40" not in line


def test_the_audit_filter_takes_a_person_by_post_and_addresses_them_by_id(client, odp_admin, distinctive):
    from odp.audit import record
    from odp.models import AuditEvent

    record(action=AuditEvent.Action.UPDATE, obj=distinctive.organisation, actor=distinctive.user, note="renamed")
    record(action=AuditEvent.Action.SIGN_IN, obj=odp_admin.user, actor=odp_admin.user)
    client.force_login(odp_admin.user)

    chosen = client.post(reverse("audit-log"), {"object_type": "", "actor": EMAIL.upper()})

    assert chosen.status_code == 302
    assert chosen.url == f"{reverse('audit-log')}?actor={distinctive.user.pk}"
    listing = client.get(chosen.url).content.decode()
    assert "renamed" in listing and "Signed in" not in listing
    assert f'value="{USERNAME}"' in listing  # the box still says who, in the page, not the address
    assert '<form method="post"' in listing

    unknown = client.post(reverse("audit-log"), {"object_type": "", "actor": "nobody@example.gov.uk"})
    assert unknown.status_code == 200
    assert "Enter the username or email address of someone who has used the service" in unknown.content.decode()
