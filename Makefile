# GENDES groups: run it locally, and test it.
#
#   make run    the app with demo data on http://127.0.0.1:8000 (DEBUG, embedded SQLite)
#   make test   ruff, migrations check and the whole pytest suite (browser tests included)
#
# Both create .venv and node_modules when they are missing or out of date.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
ADDRPORT ?= 127.0.0.1:8000
PYTEST_ARGS ?= -ra --screenshot=only-on-failure --output=test-results
DEMO_PASSWORD := gendes-demo
# Only for the test run: tests need a key, and must run with the production defaults
# (DEBUG off), like the deployed site.
TEST_SECRET_KEY := test-only-not-secret-9f1c2e7a4b6d8e0f3a5c7e9b1d3f5a7c9e1b3d5f7a9c

.PHONY: help run test install venv npm messages migrate seed-if-empty demo-logins \
	lint format migrations-check pytest clean load

help:
	@echo "make run    install what is missing, migrate, add demo data to an empty database,"
	@echo "            and serve on http://$(ADDRPORT) (DEBUG=true, SQLite unless DATABASE_URL)"
	@echo "make test   ruff check, ruff format --check, makemigrations --check, pytest"
	@echo "            (PostgreSQL when DATABASE_URL is set, else SQLite)"
	@echo "make format reformat the code with ruff"
	@echo "make load   the load test against gunicorn on PostgreSQL at --scale 100 (README)"
	@echo "make clean  remove .venv, node_modules, collected static files and test results"

# --- Installation (each step only when its inputs changed) -------------------------------

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "Python 3.11 or newer is needed; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." \
			"Run e.g. 'make run PYTHON=python3.12'." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	@touch $@

# npm ci writes node_modules/.package-lock.json; it is newer than package-lock.json after.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

venv: $(VENV)/.installed
npm: node_modules/.package-lock.json
install: venv npm

# The .mo files are committed: compile only when one is missing or its .po was edited since
# (a fresh clone writes both within the same second, so that is not "edited").
messages: venv
	@needed=""; \
	for po in $$(find locale -name '*.po' 2>/dev/null); do \
		mo="$${po%.po}.mo"; \
		if [ ! -f "$$mo" ] || [ $$(stat -c %Y "$$po") -gt $$(( $$(stat -c %Y "$$mo") + 2 )) ]; then \
			needed="$$needed $$po"; \
		fi; \
	done; \
	if [ -n "$$needed" ]; then \
		echo "Compiling translations:$$needed"; \
		command -v msgfmt >/dev/null || { \
			echo "msgfmt is missing: install gettext (apt-get install gettext)" >&2; exit 1; }; \
		DEBUG=true $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules; \
	fi

# --- make run ------------------------------------------------------------------------------

run: export DEBUG = true
run: install messages migrate seed-if-empty demo-logins
	$(MANAGE) setup_schedules
	@# The task worker (alert emails, escalation, schedules) beside the server; both stop
	@# together with Ctrl-C.
	$(MANAGE) qcluster & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver $(ADDRPORT)

migrate: venv
	$(MANAGE) migrate --noinput

# An explicit check rather than relying on seed_demo's refusal: any user means "not empty".
seed-if-empty: venv
	@users=$$($(MANAGE) shell --no-imports -c \
		"from django.contrib.auth import get_user_model; print('users', get_user_model().objects.count())" \
		| tail -n 1); \
	case "$$users" in \
		"users 0") echo "Empty database: adding demo data (manage.py seed_demo)"; \
			$(MANAGE) seed_demo ;; \
		"users "*) echo "The database already has $${users#users } user(s): no demo data added." ;; \
		*) echo "Could not count the users in the database." >&2; exit 1 ;; \
	esac

demo-logins:
	@echo
	@echo "GENDES on http://$(ADDRPORT)/ -- demo logins (password: $(DEMO_PASSWORD))"
	@echo "  admin         superuser (every page, and Django admin at /admin/)"
	@echo "  coordinator   coordinator of every demo site"
	@echo "  facilitator   facilitator of groups at one site"
	@echo "  facilitator2  facilitator of groups at another site"
	@echo "  partner       partner-support worker"
	@echo "Second factor (TOTP) of every demo user: secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	@echo "  (RFC 6238's test secret; add it to an authenticator app, or oathtool --totp -b ...)"
	@echo "(These exist when seed_demo filled the database; Ctrl-C stops the server.)"
	@echo

# --- make test -----------------------------------------------------------------------------

test: install lint migrations-check pytest

migrations-check pytest: export DEBUG = false
migrations-check pytest: export SECRET_KEY ?= $(TEST_SECRET_KEY)
# Playwright's sync API runs an event loop in the main thread (see tests/e2e/conftest.py).
pytest: export DJANGO_ALLOW_ASYNC_UNSAFE = true

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: venv
	$(MANAGE) makemigrations --check --dry-run

pytest: venv npm
	@if [ -n "$${DATABASE_URL:-}" ]; then echo "pytest on the DATABASE_URL database"; \
		else echo "pytest on SQLite (in memory; set DATABASE_URL for PostgreSQL)"; fi
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The load test (README "Performance"): PostgreSQL seeded at --scale 100 in LOAD_DB, gunicorn
# with 2 workers, locust idle then with 50 simulated staff. Not part of `make test`.
load: install messages
	$(VENV)/bin/pip install --disable-pip-version-check --quiet -r requirements-load.txt
	bash tests/load/run

clean:
	rm -rf $(VENV) node_modules staticfiles test-results
