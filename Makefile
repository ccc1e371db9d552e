# Two entry points: `make run` (the archive on the SQLite default) and `make test` (the suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	scripts/ensure-system-deps
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --only-binary=neonize -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/wa-archive run --all

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: $(STAMP)
	scripts/ensure-postgres
	$(MAKE) --no-print-directory lint
	$(BIN)/pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python bench/write_bench.py
	$(BIN)/python bench/decode_bench.py
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/history_bench.py

clean:
	rm -rf $(VENV)
