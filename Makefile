# The two commands (see README.md): `make run` and `make test`; `make serve` and
# `make backup` for a production machine (README, "Running it for real").
# Each creates or reuses .venv and installs the pinned dependencies (constraints.txt).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SERVE_STAMP := $(VENV)/.serve-stamp
MANAGE := $(BIN)/python manage.py
HOST   ?= 127.0.0.1:8000

.PHONY: run test lint typecheck install system-deps messages audit serve serve-prepare backup bench

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Production: the portal and the sentry extra, without the test tools.
$(SERVE_STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[sentry]"
	touch $(SERVE_STAMP)

system-deps:
	@sh scripts/system-deps.sh

messages: $(STAMP) system-deps
	DEBUG=1 $(MANAGE) compilemessages --ignore=.venv --verbosity 0

run: messages
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) createcachetable
	DEBUG=1 $(MANAGE) seed_demo --if-empty
	@echo "\nOpen http://$(HOST)/ (admin: http://$(HOST)/admin/); the worker sends the mail.\n"
	@sh scripts/run-dev.sh $(HOST)

# Production, DEBUG off: SECRET_KEY, ALLOWED_HOSTS etc. come from the environment or .env
# (see .env.example). Everything but the server itself, for an upgrade under systemd:
# `make serve-prepare && systemctl restart remigration-web remigration-worker`.
serve-prepare: $(SERVE_STAMP)
	@sh scripts/system-deps.sh serve
	DEBUG=0 $(MANAGE) migrate --noinput
	DEBUG=0 $(MANAGE) createcachetable
	DEBUG=0 $(MANAGE) collectstatic --noinput --verbosity 0
	DEBUG=0 $(MANAGE) compilemessages --ignore=.venv --verbosity 0

# The portal in the foreground under gunicorn and the background worker beside it, as
# deploy/remigration-web.service and remigration-worker.service run them; Ctrl-C stops both.
serve: serve-prepare
	@DEBUG=0 sh scripts/serve.sh

# A restorable dump of the database into BACKUP_DIR (or OUTPUT=dir); see README.
backup: $(SERVE_STAMP)
	$(MANAGE) backup $(if $(OUTPUT),--output $(OUTPUT))

lint: $(STAMP) typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive . --exclude ./.venv,./tests,./bench --severity-level medium
	$(BIN)/djlint templates --lint --quiet

# mypy with django-stubs; what is checked, and how strictly, is [tool.mypy] in pyproject.toml.
typecheck: $(STAMP)
	$(BIN)/mypy .

# DATABASE_URL=postgres://postgres@127.0.0.1:5432/test make test  runs the suite on PostgreSQL.
test: messages lint
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# Known vulnerabilities in the pinned dependencies. Needs the PyPI/OSV vulnerability service,
# which this project's CI machine cannot reach, so it is not part of `make test`; --strict
# makes it fail, rather than pass silently, when a package could not be checked.
audit: $(STAMP)
	$(BIN)/pip install --quiet pip-audit==2.10.1
	$(BIN)/pip-audit --strict --progress-spinner off -r constraints.txt --no-deps --disable-pip

# Every benchmark in one go, each on a PostgreSQL database of its own (bench_*, dropped and
# made anew), and docs/benchmarks.md written from the figures (bench/suite.py; ~30 min).
# BENCH_QUICK=1: a smoke run of a few minutes; BENCH_MILLION=1: growth also at 1M cases.
bench: messages
	$(BIN)/python bench/suite.py
