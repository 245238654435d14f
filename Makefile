# The README's two commands: `make demo` and `make test`. Both create and use
# .venv themselves; nothing outside this checkout is read or written.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := .demo

.PHONY: demo test lint typecheck unit peers bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installed marker: re-install when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	@bash scripts/demo.sh

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.installed
	$(BIN)/mypy

# Peers the tests run against, installed into the checkout (.npm-peers/, ignored).
peers:
	@bash scripts/npm-peers.sh

unit: $(VENV)/.installed peers
	$(BIN)/python -m pytest -q -n auto --maxprocesses 4

test: lint typecheck unit

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DEMO) .npm-peers build dist .pytest_cache .mypy_cache .ruff_cache
