# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: run test setup serve worker lint format check-deploy migrations-check bench clean

## run: set up, migrate, seed, create the demo trust and users, then serve on
## http://127.0.0.1:8000 with the background worker (email) beside it; Ctrl-C stops both
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed
	$(PY) manage.py setup_demo
	$(PY) scripts/run_services.py 127.0.0.1:8000

## worker: the background worker alone (it sends the email queued by the web server)
worker: setup
	$(PY) manage.py db_worker

## test: set up and run the whole suite (browser tests need Chromium; see the README)
test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(STAMP) .env

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed; $(PYTHON) is $$($(PYTHON) --version 2>&1)." >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

.env:
	cp .env.example .env

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: setup
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache .hypothesis
