# Medvirk's two commands: `make run` and `make test`. Everything else is for developers.
# Nothing here needs more than Python 3.11+, make and git on the machine.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run worker test test-browser bench lint translations messages clean

help:
	@echo "make run           set up, load the demo municipality and serve http://127.0.0.1:$(PORT)"
	@echo "make worker        run only the background worker, started again if it dies"
	@echo "make test          set up and run the whole suite (lint, types, tests)"
	@echo "make test-browser  run the browser tests in Chromium (/usr/bin/chromium) with axe-core"
	@echo "make bench         print performance figures as a table"
	@echo "make messages      extract new strings into the .po catalogues (needs GNU gettext)"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Medvirk needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps, so that a second `make run` does not reinstall.
$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

# Compiled catalogues (.mo) are built from the committed .po files, never committed.
translations: $(VENV)/.runtime
	@$(PY) -m medvirk.core.i18n_compile

# The background worker, started again whenever it dies. It stops for good when it exits
# by itself: on Ctrl-C, or on SIGTERM, which the loop passes on to it.
WORKER ?= $(PY) manage.py run_tasks
SUPERVISE_WORKER = trap 'kill $$pid 2>/dev/null; wait $$pid; exit 0' TERM; \
	while :; do \
		$(WORKER) & pid=$$!; wait $$pid; status=$$?; \
		if [ $$status -eq 0 ]; then exit 0; fi; \
		echo "The background worker stopped (exit status $$status); starting it again in 2 seconds." >&2; \
		sleep 2; \
	done

# The background worker runs next to the development server and stops with it.
run: $(VENV)/.runtime translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_questionnaires
	$(PY) manage.py load_demo
	( $(SUPERVISE_WORKER) ) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Only the background worker, as `make run` runs it (for a server started some other way).
worker: $(VENV)/.runtime translations
	@$(SUPERVISE_WORKER)

test: $(VENV)/.dev translations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -m "not browser" --numprocesses=auto

test-browser: $(VENV)/.dev translations
	$(VENV)/bin/pytest -m browser

bench: $(VENV)/.dev translations
	$(PY) -m bench

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.runtime
	cd medvirk && ../$(PY) ../manage.py makemessages -l nb -l nn -l en --no-obsolete --no-location

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
