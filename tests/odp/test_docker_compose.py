"""The production-like stack, checked by reading: Docker does not run on the build machines.

docker-compose.yml must wire gunicorn, Celery worker and beat to healthy PostgreSQL and Redis; every variable
the stack or the settings read must be documented in .env.example; the Dockerfile it builds must exist and
build what the settings expect."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
APP_SERVICES = ("web", "worker", "beat", "migrate")
# ${VAR}, ${VAR:-default}, ${VAR:?message}; $$ is compose's escape for a literal $ (left to the container).
COMPOSE_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)")
SETTINGS_VARIABLE = re.compile(r"env_(?:str|bool|int|list)\(\s*\"([A-Z_][A-Z0-9_]*)\"")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def documented() -> dict[str, str]:
    """NAME=value lines of .env.example (comments and blank lines skipped)."""
    variables = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, sep, value = stripped.partition("=")
        assert sep, f"Not NAME=value in .env.example: {line!r}"
        variables[name] = value
    return variables


def command_of(service: dict) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def healthcheck_test(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def load_healthcheck_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docker_healthcheck", ROOT / "docker" / "healthcheck.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_services_present(services):
    assert {"web", "worker", "beat", "db", "redis", "migrate"} <= set(services)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_the_production_profile_from_env_file(services, name):
    service = services[name]
    env_file = service["env_file"]
    assert env_file == ".env" or env_file == [".env"]
    assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "odp.settings.production"


@pytest.mark.parametrize("name", ("web", "worker", "beat"))
def test_app_services_wait_for_healthy_db_redis_and_migrations(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_runs_once_after_the_database(services):
    migrate = services["migrate"]
    assert "manage.py migrate" in command_of(migrate)
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"


def test_web_is_gunicorn_with_a_healthz_healthcheck(services):
    web = services["web"]
    assert command_of(web).startswith("gunicorn odp.wsgi:application")
    check = healthcheck_test(web)
    assert "docker/healthcheck.py" in check
    script = (ROOT / "docker" / "healthcheck.py").read_text()
    assert "/healthz" in script
    assert reverse("healthz") == "/healthz"
    assert web["ports"]


def test_only_web_requests_run_serial_query_plans(services):
    assert services["web"]["environment"]["DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER"] == "0"
    for name in ("worker", "beat", "migrate"):
        assert "DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER" not in services[name].get("environment", {})


def test_worker_consumes_both_queues_and_beat_runs(services):
    worker = command_of(services["worker"])
    assert worker.startswith("celery -A odp worker")
    queues = re.search(r"-Q (\S+)", worker)
    assert queues is not None
    assert set(queues.group(1).split(",")) == {"interactive", "batch"}
    assert command_of(services["beat"]).startswith("celery -A odp beat")


def test_database_and_redis_have_healthchecks(services):
    assert services["db"]["image"] == "postgres:15"
    assert "pg_isready" in healthcheck_test(services["db"])
    assert services["redis"]["image"] == "redis:7"
    assert "redis-cli ping" in healthcheck_test(services["redis"])


def test_database_password_is_required_not_defaulted(services):
    assert services["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_every_compose_variable_is_documented():
    used = set(COMPOSE_VARIABLE.findall(COMPOSE.read_text()))
    assert used, "expected ${...} interpolation in docker-compose.yml"
    assert used <= set(documented()), f"undocumented: {sorted(used - set(documented()))}"


def test_every_setting_read_from_the_environment_is_documented():
    read = set()
    for module in (ROOT / "odp" / "settings").glob("*.py"):
        read |= set(SETTINGS_VARIABLE.findall(module.read_text()))
    assert "SECRET_KEY" in read
    missing = read - set(documented())
    assert not missing, f"read by settings but not in .env.example: {sorted(missing)}"


def test_the_variables_the_brief_names_are_documented():
    required = {
        "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SITE_URL",
        "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "LOG_LEVEL",
        "OIDC_ENABLED", "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_ISSUER",
        "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
    }  # fmt: skip
    assert required <= set(documented())


def test_env_example_holds_no_usable_secret():
    """Copied unedited, the production profile must refuse to start rather than run with a known key."""
    variables = documented()
    assert variables["SECRET_KEY"] == ""
    assert variables["POSTGRES_PASSWORD"] == ""
    assert variables["OIDC_RP_CLIENT_SECRET"] == ""
    assert variables["EMAIL_HOST_PASSWORD"] == ""
    assert variables["WEB_CONCURRENCY"].isdigit()


def test_env_file_is_git_ignored():
    assert ".env" in (ROOT / ".gitignore").read_text().split()


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_build_from_an_existing_dockerfile(services, name):
    build = services[name]["build"]
    dockerfile = ROOT / build.get("context", ".") / build["dockerfile"]
    assert dockerfile.is_file()


def test_dockerfile_builds_assets_installs_and_collects_static():
    text = (ROOT / "docker" / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", text, flags=re.MULTILINE)
    assert stages[-1] == "python:3.11-slim"
    assert "npm ci" in text
    assert "npm run build" in text
    assert "collectstatic --noinput" in text
    assert "COPY --from=assets /src/static/build static/build" in text
    assert re.search(r"^USER (?!root)\S+", text, flags=re.MULTILINE), "the app must not run as root"
    assert "DJANGO_SETTINGS_MODULE=odp.settings.production" in text


def test_dockerfile_copies_only_files_that_exist():
    text = (ROOT / "docker" / "Dockerfile").read_text()
    for line in re.findall(r"^COPY (?!--from)(.+)$", text, flags=re.MULTILINE):
        *sources, _ = line.split()
        for source in sources:
            assert (ROOT / source).exists(), f"COPY source missing: {source}"


def test_dockerfile_dockerignore_keeps_secrets_and_local_state_out():
    ignored = (ROOT / "docker" / "Dockerfile.dockerignore").read_text().split()
    assert {".env", ".git", ".venv", "node_modules", "var"} <= set(ignored)


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        ("odp-hub.example,www.odp-hub.example", "odp-hub.example"),
        (".odp-hub.example", "odp-hub.example"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_healthcheck_probes_an_allowed_host(allowed_hosts, host):
    assert load_healthcheck_script().probe_host(allowed_hosts) == host


@override_settings(
    ALLOWED_HOSTS=["odp-hub.example"],
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_healthcheck_request_passes_the_production_https_redirect_and_host_check(client):
    """The probe's headers get a 200 from /healthz under production's redirect and host rules."""
    request = load_healthcheck_script().build_request("odp-hub.example")
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in request.header_items()}

    assert client.get("/healthz", **headers).status_code == 200
    assert client.get("/healthz", HTTP_HOST="odp-hub.example").status_code == 301
