#!/usr/bin/env bash
# Makes sure a PostgreSQL server is running on this machine for the test suite, installing it
# from Debian's packages when it is missing, and prints the URL of a fresh test database.
# Runs as root (CI) or as a user who may sudo; idempotent.
set -euo pipefail

PORT="${ACCORD_TEST_PG_PORT:-5432}"
DB="${ACCORD_TEST_PG_DB:-accord_test}"
ROLE="accord"
PASSWORD="accord-test-only"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "installing PostgreSQL from Debian's packages…" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

if ! pg_isready -q -h 127.0.0.1 -p "$PORT"; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -q "^$version/main$"; then
    as_root pg_createcluster "$version" main -p "$PORT" >&2
  fi
  as_root pg_ctlcluster "$version" main start >&2 || true
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 0.5; done
  pg_isready -h 127.0.0.1 -p "$PORT" >&2
fi

psql_admin() { as_root su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname='$ROLE'")" != "1" ]; then
  psql_admin "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'" >&2
fi
# Each test process drops its own database WITH (FORCE) when it ends; an autovacuum worker
# still inside that database then belongs to no role of ours, and only pg_signal_backend lets
# the drop end it (without it the drop fails at random at the very end of a run).
psql_admin "GRANT pg_signal_backend TO $ROLE" >&2
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname='$DB'")" != "1" ]; then
  psql_admin "CREATE DATABASE $DB OWNER $ROLE" >&2
fi
echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
