"""/healthz: the process is up. /readyz: the database and broker answer, or 503 naming what is down."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.utils import load_backend

from odp import health


@pytest.fixture
def unreachable_database(monkeypatch) -> Iterator[None]:
    """A real connection to a database that is not there: same engine, nowhere to connect to."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-directory/odp.sqlite3"
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="1")
        settings_dict.setdefault("OPTIONS", {})["connect_timeout"] = 2
    unreachable = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="unreachable")
    monkeypatch.setattr(health, "connection", unreachable)
    yield
    unreachable.close()


def test_healthz_is_200_without_touching_dependencies(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_200_when_the_database_answers(client, db):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["failing"] == []
    assert body["checks"]["database"] == {"ok": True, "detail": "ok"}
    assert body["checks"]["broker"]["ok"] is True


def test_readyz_is_503_naming_the_broker_when_redis_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["broker"]
    assert body["checks"]["broker"] == {"ok": False, "detail": "ConnectionError"}
    assert body["checks"]["database"]["ok"] is True


def test_readyz_is_503_naming_the_database_when_it_cannot_be_reached(client, db, unreachable_database):
    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database"]
    assert body["checks"]["database"] == {"ok": False, "detail": "OperationalError"}


def test_readyz_does_not_reveal_connection_details(client, db, unreachable_database, settings):
    settings.REDIS_URL = "redis://odp:s3cret@127.0.0.1:1/0"

    response = client.get("/readyz")

    assert response.json()["failing"] == ["database", "broker"]
    assert "s3cret" not in response.content.decode()
    assert "nonexistent-directory" not in response.content.decode()


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_probes_are_get_only(client, db, url):
    assert client.post(url).status_code == 405
