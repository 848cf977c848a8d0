#!/usr/bin/env bash
# Start, stop or describe the PostgreSQL and Redis servers that `make test` runs on loopback.
# Installs the Debian packages when they are missing (we run as root on the project's machines).
set -euo pipefail

cmd=${1:-}
STATE_DIR=${ODP_SERVICES_DIR:-/tmp/odp-hub-services}
PG_PORT=${ODP_PG_PORT:-54329}
REDIS_PORT=${ODP_REDIS_PORT:-63799}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR="$STATE_DIR/postgres"  # owned by the postgres user: data, socket and log
PGDATA="$PG_DIR/data"

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]} (run as root, or install them: apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

pg_running() { [ -d "$PGDATA" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }
redis_running() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; }

start() {
  apt_install postgresql postgresql-contrib redis-server
  mkdir -p "$STATE_DIR"
  chmod 755 "$STATE_DIR"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    chown -R postgres:postgres "$PG_DIR"
    # initdb refuses to run as root. Trust on loopback only: this server holds nothing but test data.
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! pg_running; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_DIR/postgres.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
  fi
  if ! redis_running; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
      --dir "$STATE_DIR" --pidfile "$STATE_DIR/redis.pid" --logfile "$STATE_DIR/redis.log"
    for _ in $(seq 50); do redis_running && break; sleep 0.1; done
  fi
  redis_running || { echo "Redis did not start; see $STATE_DIR/redis.log" >&2; exit 1; }
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='odp'" | grep -q 1 \
    || psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE odp" >/dev/null
  echo "PostgreSQL on 127.0.0.1:$PG_PORT and Redis on 127.0.0.1:$REDIS_PORT are running."
}

stop() {
  if pg_running; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null; fi
  if redis_running; then redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
  echo "Stopped the test PostgreSQL and Redis."
}

env_vars() {
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/odp"
  echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  env) env_vars ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
