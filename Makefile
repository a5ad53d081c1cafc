# LÖV-portalen. A new user needs two commands: `make run` and `make test`.
# docker-compose.yml runs the same commands as the targets under "Production shape".

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The BankID simulator's port; the development settings expect 8190 (LOV_BANKID_URL).
BANKID_PORT ?= 8190
DEMO_ORGANISATIONS ?= 60

.PHONY: help install run test e2e lint format messages release serve worker beat bench bankid-simulator clean

help:
	@echo "make run    install, migrate, load LÖV and demo data, serve http://$(HOST):$(PORT)"
	@echo "make test   run the whole test suite in parallel (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set;"
	@echo "            the browser tests in tests/e2e run when chromium is installed)"
	@echo "make e2e    only the browser tests; screenshots and printouts go to artifacts/"
	@echo "make lint   ruff check, ruff format --check and the migrations check"
	@echo "make bankid-simulator  a local BankID (RP API v6.0) on 127.0.0.1:$(BANKID_PORT) for signing;"
	@echo "            run it next to make run (its page, where you approve orders, is at /)"
	@echo "make bench  load benchmark (PostgreSQL, Redis, wrk): writes docs/benchmarks.md"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_lov
	$(BIN)/python manage.py seed_demo --organisations $(DEMO_ORGANISATIONS) --if-empty
	@echo "Signing with BankID: start the local BankID in another terminal with 'make bankid-simulator'"
	@echo "(approve orders on http://127.0.0.1:$(BANKID_PORT)/)."
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# One worker per core (pytest-xdist); each gets its own test database and Redis database.
# A file's tests stay on one worker (module fixtures such as the browser are made once).
TEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=25 $(PYTEST_ARGS)

# Only the browser tests (Chromium): journeys, axe-core scan, keyboard, reflow, print.
e2e: install
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Site strings (templates/, lov_portal/) go to locale/, each app's to <app>/locale/.
APPS := organisations agreements commitments meetings
messages: install
	$(BIN)/python manage.py makemessages -l en --no-location --no-obsolete \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' \
		$(foreach app,$(APPS),--ignore '$(app)/*')
	for app in $(APPS); do \
		mkdir -p $$app/locale && (cd $$app && env -u DJANGO_SETTINGS_MODULE \
		../$(BIN)/django-admin makemessages -l en --no-location --no-obsolete) || exit 1; \
	done
	$(BIN)/python manage.py compilemessages --ignore '.venv/*' --ignore 'var/*'

# --- Production shape (the same commands run in docker-compose.yml) --------------------------
release: install
	$(BIN)/python manage.py migrate --noinput && $(BIN)/python manage.py load_lov && $(BIN)/python manage.py sync_schedule && $(BIN)/python manage.py collectstatic --noinput

serve: install
	$(BIN)/gunicorn lov_portal.wsgi:application --config gunicorn.conf.py

worker: install
	$(BIN)/celery -A lov_portal worker --loglevel=INFO --concurrency=2

beat: install
	$(BIN)/celery -A lov_portal beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler

# Load benchmark against a bare Django view, then the first uncached render of each public page
# on the database it leaves; writes docs/benchmarks.md. Needs PostgreSQL and
# Redis as on CI (postgres@127.0.0.1:5432, REDIS_URL) and wrk, installed here if missing.
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
		command -v apt-get >/dev/null 2>&1 || { echo "wrk is needed (apt-get install wrk)"; exit 1; }; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get install -y --no-install-recommends wrk \
			|| { $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends wrk; }; \
	}
	$(BIN)/python bench/load.py $(BENCH_ARGS)
	$(BIN)/python bench/first_render.py

# A local BankID for development: `make run` points LOV_BANKID_URL at it and trusts the CA it
# keeps in var/bankid-simulator/ (DEBUG). BANKID_ARGS="--hints noClient,started,userSign,complete"
# scripts every order's hint codes.
bankid-simulator: install
	$(BIN)/python manage.py bankid_simulator --port $(BANKID_PORT) $(BANKID_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
