# Thi đua — developer commands. Needs only python3 (>= 3.11), make and git.
#   make demo   set up, load the demo data into SQLite (var/) and serve http://127.0.0.1:8000
#   make test   set up and run the whole test suite
# See README.md.

PY ?= python3
VENV = .venv
BIN = $(VENV)/bin
PYTHON = $(BIN)/python
MANAGE = $(PYTHON) manage.py
STAMP = $(VENV)/.installed
DEMO_ADDR ?= 127.0.0.1:8000
# Extra pytest arguments, e.g. make test PYTEST_ARGS='-m "not browser" -x'
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup demo test lint format messages clean

help:
	@echo "make demo      set up, migrate, load demo data, serve on http://$(DEMO_ADDR)"
	@echo "make test      set up and run the whole test suite (PYTEST_ARGS=... to narrow it)"
	@echo "make lint      ruff check and ruff format --check"
	@echo "make format    ruff format and ruff check --fix"
	@echo "make messages  refresh locale/vi/LC_MESSAGES/django.po (needs GNU gettext)"
	@echo "make clean     remove the virtualenv, caches, compiled translations, collected static"

# The virtualenv, rebuilt only when pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Thi đua needs Python >= 3.11; run make PY=python3.11 ...")'
	$(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e ".[dev]"
	@touch $@

setup: $(STAMP)
	$(MANAGE) compile_translations

# DEBUG stays off: WhiteNoise serves the collected files from var/static, exactly as in
# production, so runserver needs no --insecure. runserver is Django's development server; a
# production installation runs a WSGI server behind nginx (docs/deployment.md).
demo: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo "Thi đua: http://$(DEMO_ADDR)/  (Ctrl+C to stop; logins above and in README.md)"
	@# The task worker (imports run as background tasks) lives as long as the server.
	$(MANAGE) db_worker --interval 1 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(DEMO_ADDR)

# Browser tests run when /usr/bin/chromium exists and are skipped with a reason otherwise;
# THIDUA_REQUIRE_BROWSER=1 turns that skip into a failure. WhiteNoise serves static files from
# the finders in tests (no collectstatic needed).
test: setup
	THIDUA_STATIC_FINDERS=1 $(PYTHON) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# For maintainers: extract new strings into the .po file (needs xgettext from GNU gettext).
messages: $(STAMP)
	@command -v xgettext >/dev/null || { echo "make messages needs GNU gettext (apt-get install gettext)"; exit 1; }
	$(MANAGE) makemessages -l vi --no-obsolete --ignore 'var/*' --ignore 'bench/*' --ignore 'docs/*'
	$(MANAGE) compile_translations

# Keeps var/ (the SQLite database and the local secret key); delete var/ to start afresh.
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info build dist var/static var/screenshots
	find . -path ./.git -prune -o \( -name __pycache__ -o -name '*.mo' \) -print0 | xargs -0 rm -rf
