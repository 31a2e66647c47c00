# Two entry points for a fresh machine: `make demo` and `make test`. Both create .venv.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit validate bench clean lock acceptance screenshots

# Dependencies come from a lock file with hashes (requirements/dev.lock); the package itself
# is installed on top without resolving anything again. Refresh the locks with `make lock`.
$(STAMP): pyproject.toml requirements/dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
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

# The acceptance suite alone: on a sandbox it starts, or on AWS with RECONCILER_ACCEPTANCE=1
# and the variables of docs/acceptance.md. `make test` runs it too (on the sandbox).
acceptance: $(STAMP)
	$(BIN)/pytest -v tests/acceptance

# The README's catalogue pictures, taken again by the browser tests (they need Chromium).
screenshots: $(STAMP)
	RECONCILER_ARTIFACTS=docs/images $(BIN)/pytest -q tests/site/test_site_browser.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage

# Regenerate the lock files after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.10 --generate-hashes \
		-o requirements/runtime.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.10 \
		--generate-hashes -o requirements/dev.lock
