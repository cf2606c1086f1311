# Newsroom: `make run` serves the site with demo content, `make test` runs every test.
# Both create the virtualenv and install on first use.

PYTHON ?= python3
# Where `make run` serves the site.
ADDRPORT ?= 127.0.0.1:8000
# Passed to pytest by `make test`, e.g. PYTEST_ARGS="tests/images -x".
PYTEST_ARGS ?=
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test bench bench-scale bench-wordpress faults lint format migrations-check clean-db

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Newsroom needs Python 3.11 or newer: install it, or run make with PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# The interface's compiled catalogues, rebuilt when a catalogue changes: what
# `manage.py compilemessages` runs, without starting Django. Needs Debian's gettext.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	@command -v msgfmt >/dev/null || { echo "Compiling the translations needs gettext: apt-get install gettext"; exit 1; }
	msgfmt --check-format -o $@ $<

# exec: make stays the parent of rundev, which stops with it (see rundev.py).
run: $(INSTALLED) $(CATALOGUES) ## Serve the site with demo content on http://127.0.0.1:8000
	DEBUG=1 EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend exec $(PY) manage.py rundev $(ADDRPORT)

test: $(INSTALLED) $(CATALOGUES) ## Run every test (PostgreSQL, browser, lint) and print pytest's summary
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(INSTALLED) ## Measure page weight, throughput/latency, and the proxy (nginx, wrk)
	$(PY) -m bench.measure
	$(PY) -m bench.proxy

ARTICLES ?= 100000
COMMENTS ?= 1000000
bench-scale: $(INSTALLED) ## Every page on the demo and on a large archive (seeded once)
	$(PY) -m bench.measure --scale --articles $(ARTICLES) --comments $(COMMENTS)

POSTS ?= 10000
PICTURES ?= 300
bench-wordpress: $(INSTALLED) ## Import a generated WordPress export of POSTS posts, timed
	$(PY) bench/wordpress_import.py --posts $(POSTS) --pictures $(PICTURES)

faults: $(INSTALLED) ## Faults under load (database outage, SMTP down, full media): a table, 2-5 min
	$(PY) -m bench.faults

lint: $(INSTALLED) ## ruff, template formatting and the one-way app imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check --tabwidth 2 templates
	$(VENV)/bin/lint-imports

format: $(INSTALLED) ## Format Python (ruff) and templates (djhtml)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml --tabwidth 2 templates

migrations-check: $(INSTALLED) ## Fail when a model change has no migration
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

clean-db: ## Delete the embedded PostgreSQL data (the demo site starts afresh)
	rm -rf .postgres media
