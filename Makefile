# ODP Hub: the two commands are `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SERVICES := scripts/services.sh
HOST ?= 127.0.0.1
PORT ?= 8000

# Given DATABASE_URL/REDIS_URL are used as they are; otherwise `make test` starts its own on loopback.
TEST_DATABASE_URL = $(or $(DATABASE_URL),$(shell $(SERVICES) env | sed -n 's/^DATABASE_URL=//p'))
TEST_REDIS_URL = $(or $(REDIS_URL),$(shell $(SERVICES) env | sed -n 's/^REDIS_URL=//p'))

.PHONY: help run test bench setup assets migrate seed lint format check services-start services-stop browser clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.bench-installed: $(VENV)/.installed pyproject.toml
	$(PIP) install -q --group bench
	@touch $@

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PY) scripts/requirements.py > $(VENV)/requirements.txt
	$(PIP) install -q -r $(VENV)/requirements.txt --group dev
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/app.css: node_modules/.installed $(shell find static/src scripts/build-assets.mjs -type f 2>/dev/null)
	npm run --silent build

setup: $(VENV)/.installed node_modules/.installed static/build/app.css ## Install Python and npm dependencies, build GOV.UK assets

assets: node_modules/.installed ## Rebuild the GOV.UK Frontend assets
	npm run --silent build

migrate: setup ## Apply migrations to the embedded SQLite database
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0

seed: migrate ## Load the demo data (idempotent)
	$(PY) manage.py seed_demo

run: seed ## Set up, migrate, seed and serve on http://127.0.0.1:8000 (SQLite, jobs inline)
	$(PY) manage.py runserver $(HOST):$(PORT)

services-start: ## Start PostgreSQL and Redis on loopback for the tests
	$(SERVICES) start

services-stop: ## Stop the test PostgreSQL and Redis
	$(SERVICES) stop

browser: ## Install Debian's chromium for the browser journeys and Pango for WeasyPrint's report PDFs
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
	@{ ldconfig -p | grep -q libpangoft2-1.0; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; }

lint: setup ## Ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: setup ## Django system checks, migrations check and the production deploy check
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=odp.settings.production SECRET_KEY=$$(printf 'x%.0s' {1..64}) \
	  $(PY) manage.py check --deploy --fail-level WARNING

test: setup browser ## Set up and run lint and the whole suite on real PostgreSQL, Redis, Celery and Chromium
	@if [ -z "$(DATABASE_URL)" ] || [ -z "$(REDIS_URL)" ]; then $(SERVICES) start; fi
	$(VENV)/bin/ruff check .
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(VENV)/bin/pytest $(PYTEST_ARGS)

BENCH_DATABASE_URL = $(subst /odp,/odp_bench,$(TEST_DATABASE_URL))
BENCH_MEMBERS ?= 290000
# Valid generated cases per API operation and role in the long fuzzing run, plus half as many invalid (CI: 1 + 1).
BENCH_FUZZ_EXAMPLES ?= 10

bench: setup $(VENV)/.bench-installed services-start ## Full-scale benchmark on PostgreSQL (290,000 members): metrics, ideas, reporting, load
	@psql "$(subst /odp_bench,/postgres,$(BENCH_DATABASE_URL))" -tAc "SELECT 1 FROM pg_database WHERE datname='odp_bench'" | grep -q 1 \
	  || psql "$(subst /odp_bench,/postgres,$(BENCH_DATABASE_URL))" -qc "CREATE DATABASE odp_bench"
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) manage.py migrate --noinput -v 0
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m benchmarks.bench --members $(BENCH_MEMBERS)
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m benchmarks.ideas
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m benchmarks.reporting
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m benchmarks.journeys
	DATABASE_URL="$(BENCH_DATABASE_URL)" ODP_FUZZ_EXAMPLES=$(BENCH_FUZZ_EXAMPLES) \
	  $(VENV)/bin/pytest tests/hardening/test_fuzz_api.py -q -s -p no:randomly -k as_each_role

clean: ## Remove the virtualenv, node_modules, built assets and the SQLite database
	rm -rf $(VENV) node_modules static/build var
