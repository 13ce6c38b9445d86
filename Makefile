# Accord's two commands: `make demo` runs it, `make test` proves it. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export ACCORD_DATABASE_URL ?= sqlite:///./accord.db

.PHONY: demo test test-fast lint bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime dependencies only (what `make demo` needs).
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

# Everything the suite needs: test tools, datasets, and the training extra (TRL on CPU torch).
$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,train]'
	touch $@ $(VENV)/.runtime

demo: $(VENV)/.runtime
	$(BIN)/accord demo

test: $(VENV)/.test
	scripts/test.sh

test-fast: $(VENV)/.test
	scripts/test.sh -m "not slow"

lint: $(VENV)/.test
	$(BIN)/ruff check src tests bench

bench: $(VENV)/.test
	$(BIN)/python bench/loop.py

# PNGs of the workbench, the reviewer screen and the dashboard (demo data on a temporary
# SQLite database, Debian's Chromium), saved to docs/screenshots/ for the README.
screenshots: $(VENV)/.test
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
