# Runder Tisch Integration: the one place where commands live.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Runtime files of this instance (database of the embedded default, broker, beat schedule,
# gunicorn's control socket and pid file, logs): a second checkout or instance on the same
# host uses its own.
VAR_DIR ?= $(CURDIR)/var
export VAR_DIR
export DJANGO_SETTINGS_MODULE := roundtable.settings

.PHONY: help venv ldap setup run test lint fmt check messages bench screenshots clean restore-drill load-run

help:
	@echo "make run    – set up and start the portal with demo data on http://$(HOST):$(PORT)/"
	@echo "make test   – set up and run the whole test suite"
	@echo "make lint   – ruff, djLint, import-linter (layers) and migration check"
	@echo "make bench  – run the benchmarks (needs PostgreSQL and Redis)"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	set -o pipefail; $(PIP) install --quiet -r requirements-dev.txt 2>&1 \
	    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
	@touch $@

venv: $(VENV)/.installed

# The directory login (LDAP_SERVER_URI, docs/operations.md) needs python-ldap, which compiles
# against libldap2-dev and libsasl2-dev: requirements-ldap.txt is installed when LDAP_SERVER_URI
# is set (and then must build) and, for the directory tests, wherever those packages are.
# Without them and without LDAP_SERVER_URI the portal runs without it and those tests skip.
ldap: venv
	@if [ -f $(VENV)/.ldap-installed ] && [ $(VENV)/.ldap-installed -nt requirements-ldap.txt ]; then :; \
	elif [ -n "$$LDAP_SERVER_URI" ] || { [ -f /usr/include/ldap.h ] && [ -f /usr/include/sasl/sasl.h ]; }; then \
	  { set -o pipefail; $(PIP) install --quiet -r requirements-ldap.txt 2>&1 \
	      | { grep -v "is ignored: it is neither a file nor a directory" || true; }; } \
	  && touch $(VENV)/.ldap-installed \
	  || { echo "python-ldap did not build: the directory login needs libldap2-dev, libsasl2-dev,"; \
	       echo "the Python headers and gcc (apt-get install libldap2-dev libsasl2-dev gcc)"; exit 1; }; \
	else echo "libldap2-dev/libsasl2-dev missing: no directory login (LDAP_SERVER_URI); its tests are skipped."; fi

# Everything a fresh checkout needs before it can serve or test.
setup: venv ldap
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv --verbosity 0; \
	else echo "gettext (msgfmt) is missing: the English translation is not compiled; German works."; fi
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py collectstatic --noinput --verbosity 0

$(VAR_DIR)/demo_password:
	@mkdir -p $(VAR_DIR)
	@$(PY) -c "import secrets; print(secrets.token_urlsafe(12))" > $@
	@chmod 600 $@

# Web server (gunicorn) and two Celery workers, one per queue: "mail" (e-mails,
# notifications, suggestion runs, sweeps; with the one beat) and "reports" (PDFs), so a
# burst of reports never holds up an e-mail. Ctrl-C stops all three.
CELERY := $(VENV)/bin/celery -A roundtable worker --loglevel INFO --without-gossip --without-mingle
run: setup $(VAR_DIR)/demo_password
	@export DEMO_PASSWORD="$${DEMO_PASSWORD:-$$(cat $(VAR_DIR)/demo_password)}"; \
	$(PY) manage.py seed_demo --open ideenwerkstatt && \
	$(CELERY) --queues mail --concurrency 2 --hostname mail.$(PORT)@%h \
	    --beat --schedule $(VAR_DIR)/celerybeat-schedule --pidfile $(VAR_DIR)/worker-mail.pid \
	    > $(VAR_DIR)/worker.log 2>&1 & mail=$$!; \
	$(CELERY) --queues reports --concurrency 1 --hostname reports.$(PORT)@%h \
	    --pidfile $(VAR_DIR)/worker-reports.pid > $(VAR_DIR)/worker-reports.log 2>&1 & reports=$$!; \
	trap 'kill $$mail $$reports 2>/dev/null; wait $$mail $$reports 2>/dev/null' EXIT INT TERM; \
	echo; echo "Runder Tisch Integration: http://$(HOST):$(PORT)/"; \
	echo "Demo logins: mitarbeiter, moderation, ausschuss, admin, extern – password: $$DEMO_PASSWORD"; \
	echo "Worker logs: $(VAR_DIR)/worker.log, $(VAR_DIR)/worker-reports.log"; echo; \
	$(VENV)/bin/gunicorn roundtable.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 \
	    --reuse-port --access-logfile - --timeout 60 \
	    --control-socket $(VAR_DIR)/gunicorn.ctl --pid $(VAR_DIR)/gunicorn.pid \
	    --logger-class roundtable.operations.gunicorn_logging.PortalLogger

# Two test processes (pytest-xdist; each its own var/test/gwN, test database and Redis key
# prefix): the whole suite on 2 shared cores took 35 min instead of 46 in one process.
# TEST_WORKERS=0 runs it in one process (for --pdb, say).
TEST_WORKERS ?= 2
test: setup
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

fmt: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: venv
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

# Benchmarks of issues 6 and 16 on PostgreSQL and Redis (BENCH_DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/rt_bench, created and dropped by each run; BENCH_REDIS_URL,
# default redis://127.0.0.1:6379/12). Figures: bench/results.json and docs/benchmarks.md.
BENCH_SECONDS ?= 10
bench: venv
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get -o DPkg::Lock::Timeout=600 install -y wrk; \
	    else sudo apt-get -o DPkg::Lock::Timeout=600 install -y wrk; fi; }
	$(PY) -m bench list-page --ideas 1000 --seconds $(BENCH_SECONDS)
	$(PY) -m bench list-page --ideas 10000 --seconds $(BENCH_SECONDS)
	$(PY) -m bench list-page --ideas 100000 --seconds $(BENCH_SECONDS)
	$(PY) -m bench list-live --ideas 10000 --seconds $(BENCH_SECONDS)
	$(PY) -m bench list-live --ideas 100000 --seconds $(BENCH_SECONDS)
	$(PY) -m bench board --ideas 2000
	$(PY) -m bench report --ideas 1000 --concepts 50
	$(PY) -m bench suggest --ideas 2000
	$(PY) -m bench export --ideas 10000
	$(PY) -m bench table

screenshots: setup
	$(PY) docs/make_screenshots.py

clean:
	rm -rf var/test var/staticfiles

# Operations (docs/operations.md): back up a seeded PostgreSQL database with its files,
# restore it into an empty one, compare every table's row count and a report's SHA-256.
restore-drill: venv
	PY=$(PY) deploy/restore_drill.sh

# Load and fault run (bench/load_run.py, needs PostgreSQL; restarting it needs pg_ctlcluster):
# LOAD_ARGS="--ideas 1000 --clients 16 --restart-postgres"
LOAD_ARGS ?= --ideas 200 --clients 16 --restart-postgres
load-run: venv
	$(PY) -m bench load-run $(LOAD_ARGS)
