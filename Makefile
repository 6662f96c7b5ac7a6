# Alliance Grants. `make run` serves the demo; `make test` runs the whole suite.
# Both install first (idempotent): a .venv with the pinned Python packages and the npm assets.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.package-lock.json

.PHONY: install run test test-fast lint format migrations-check clean

install: $(PY_STAMP) $(NPM_STAMP)

$(PY_STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (set PYTHON=python3.11)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(NPM_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install
	DEBUG=True $(BIN)/alliance demo

# In parallel, one worker per CPU (pytest-xdist): each worker has its own test database.
test: install
	$(BIN)/pytest -n auto

test-fast: install
	$(BIN)/pytest -n auto -m "not browser"

lint: install
	$(BIN)/ruff check alliance tests bench
	$(BIN)/ruff format --check alliance tests bench
	$(BIN)/mypy alliance tests

format: install
	$(BIN)/ruff format alliance tests bench
	$(BIN)/ruff check --fix alliance tests bench

migrations-check: install
	$(BIN)/alliance makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules staticfiles var .pytest_cache .mypy_cache .ruff_cache
