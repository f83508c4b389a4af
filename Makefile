# Two commands for a fresh machine with Python 3.11 and make:  `make demo`  and  `make test`.
# One development virtualenv for both, with the test requirements: `seed_demo` itself needs only
# requirements.txt (a server installs just that), so the demo is not tied to the test tools.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: demo test venv lint format messages clean deploy-check

$(VENV)/.installed: requirements.txt requirements-test.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Cần Python 3.11 ($(PYTHON))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

venv: $(VENV)/.installed

demo: venv
	DJANGO_SETTINGS_MODULE=district_site.settings.dev SITE_PORT=$(PORT) $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=district_site.settings.dev SITE_PORT=$(PORT) $(PY) manage.py seed_demo
	DJANGO_SETTINGS_MODULE=district_site.settings.dev SITE_PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The slowest tests are listed at the end of every run, so that CI's log says what to trim.
PYTEST_ARGS ?= --durations=20
# Two steps. Most tests run in TEST_WORKERS processes (pytest-xdist; each has its own SQLite
# file or PostgreSQL test database and media folder, district_site/settings/test.py). `load`,
# not `loadscope`: each process runs its share in pytest-django's order, transactional tests
# last, because they empty the tables (tests/conftest.py, migrated_rows); handing out whole
# modules ran such a module's flush before other modules' tests in the same process. The
# browser and deploy tests then run alone in one process: they time real servers and Chromium,
# and with the other process's load beside them a browser test once raced Wagtail's autosave.
# `make test TEST_WORKERS=0` runs the first step in this process.
TEST_WORKERS ?= 2
PARALLEL := -m "not browser and not deploy" -n $(TEST_WORKERS) --dist load
SERIAL := -m "browser or deploy"
# pytest's exit code 5 is "no test selected" (a PYTEST_ARGS path without browser tests, say).
test: venv
	@status=0; \
	$(PY) -m pytest $(PARALLEL) $(PYTEST_ARGS) || { s=$$?; [ $$s -eq 5 ] || status=$$s; }; \
	$(PY) -m pytest $(SERIAL) $(PYTEST_ARGS) || { s=$$?; [ $$s -eq 5 ] || status=$$s; }; \
	exit $$status

# The production stack on loopback (docs/deploy.md): nginx, two gunicorn app servers and the
# worker against this machine's PostgreSQL and Redis, with the whole demo; stops what it starts.
DEPLOY_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/deploy_check
deploy-check: venv
	DATABASE_URL=$(DEPLOY_DATABASE_URL) DEPLOY_CHECK_SEED=demo $(PY) -m pytest tests/ops/test_deploy_stack.py -s -v

# Style, then the layers of docs/architecture.md (.importlinter). CI runs this before the tests.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Check the Vietnamese catalogues' placeholders and recompile them (the .mo files are committed,
# so running the site needs no gettext).
messages: venv
	$(PY) locale/tools/vi_catalogue.py check
	$(PY) manage.py compilemessages -l vi --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 media test-artifacts
