"""Configuration: the production profile passes Django's deploy checks, migrations match the models."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent.parent


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _production_env(**overrides: str) -> dict[str, str]:
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="odp.settings.production",
        SECRET_KEY="k" * 24 + "-production-test-key-" + "9" * 24,
    )
    env.update(overrides)
    return env


def test_production_profile_passes_check_deploy_with_no_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_session_ends_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_oidc_backend_matches_people_on_issuer_and_subject(settings, db):
    from odp.auth.oidc import IssuerSubjectOIDCBackend
    from tests.factories import UserFactory

    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_RP_CLIENT_ID = "odp-hub"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_ISSUER = "https://idp.homeoffice.example"
    known = UserFactory(oidc_issuer="https://idp.homeoffice.example", oidc_subject="abc-123", email="a@example.gov.uk")
    UserFactory(oidc_issuer="https://idp.other.example", oidc_subject="abc-123")
    backend = IssuerSubjectOIDCBackend()

    assert list(backend.filter_users_by_claims({"sub": "abc-123", "email": "someone-else@example.gov.uk"})) == [known]
    assert not backend.filter_users_by_claims({"email": "a@example.gov.uk"}).exists()
    created = backend.create_user({"sub": "new-999", "email": "new@example.gov.uk", "given_name": "Priya"})
    assert (created.oidc_issuer, created.oidc_subject, created.has_usable_password()) == (
        "https://idp.homeoffice.example",
        "new-999",
        False,
    )


def test_every_scheduled_job_exists(settings):
    from odp.celery import app

    missing = [name for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry["task"] not in app.tasks]
    assert missing == []
