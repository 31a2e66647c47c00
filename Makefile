# Two entry points for a fresh machine: `make demo` and `make test`. Both create .venv.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit validate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/reconciler validate
	$(BIN)/reconciler demo

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check reconciler tests bench
	$(BIN)/ruff format --check reconciler tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest --cov=reconciler --cov-report=term-missing:skip-covered -q

validate: $(STAMP)
	$(BIN)/reconciler validate

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
