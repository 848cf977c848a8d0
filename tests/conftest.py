"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest

from odp.models import Member, Organisation, OrganisationKind, Role
from tests.factories import MemberFactory, OrganisationFactory, grant
from tests.services import CeleryWorker, RedisServer


@pytest.fixture
def home_office(db) -> Organisation:
    return OrganisationFactory(name="Home Office", slug="home-office", kind=OrganisationKind.MINISTERIAL_DEPARTMENT)


@pytest.fixture
def passport_office(home_office) -> Organisation:
    return OrganisationFactory(
        name="HM Passport Office",
        slug="hm-passport-office",
        kind=OrganisationKind.EXECUTIVE_AGENCY,
        parent=home_office,
    )


@pytest.fixture
def dwp(db) -> Organisation:
    return OrganisationFactory(
        name="Department for Work and Pensions", slug="dwp", kind=OrganisationKind.MINISTERIAL_DEPARTMENT
    )


@pytest.fixture
def staff_member(passport_office) -> Member:
    return MemberFactory(organisation=passport_office, user__username="staff")


@pytest.fixture
def head_of_profession(home_office) -> Member:
    member = MemberFactory(organisation=home_office, user__username="hop", grade="G6")
    grant(member, Role.HEAD_OF_PROFESSION, home_office)
    return member


@pytest.fixture
def odp_admin(dwp) -> Member:
    member = MemberFactory(organisation=dwp, user__username="admin", grade="G7")
    grant(member, Role.ODP_ADMIN)
    return member


# Real processes: a Redis the test can stop and start, and a Celery worker consuming from it.


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def broker(settings, redis_server):
    """Point the relay at the test's own Redis (not yet started)."""
    settings.REDIS_URL = redis_server.url
    settings.CELERY_BROKER_URL = redis_server.url
    return redis_server


@pytest.fixture
def worker(transactional_db, tmp_path, redis_server):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    celery_worker = CeleryWorker(
        redis_server.url,
        tmp_path / "worker.log",
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        },
    )
    celery_worker.mail_dir = mail_dir
    yield celery_worker
    celery_worker.stop()
