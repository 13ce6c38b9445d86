#!/usr/bin/env bash
# The whole suite, on SQLite and on a real PostgreSQL server (started here when none runs).
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not slow" tests/web
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/ruff check src tests bench
# The type checker over src/ ([tool.pyright] in pyproject.toml); any error stops the suite.
.venv/bin/pyright

# Browser tests drive Debian's Chromium through Playwright (no browser download needed).
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests"
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

if [ -z "${ACCORD_TEST_POSTGRES_URL:-}" ]; then
  ACCORD_TEST_POSTGRES_URL=$(scripts/postgres-for-tests.sh | tail -n 1)
  export ACCORD_TEST_POSTGRES_URL
fi
echo "PostgreSQL for tests: ${ACCORD_TEST_POSTGRES_URL%%:accord-test-only*}:***@${ACCORD_TEST_POSTGRES_URL#*@}"

export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1
exec .venv/bin/pytest -n 2 --dist loadfile "$@"
