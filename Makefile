# Two commands on a fresh Debian machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.deps-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONUNBUFFERED := 1

.PHONY: run test test-fast test-scale test-reliability lint format bench system-deps clean

$(PY):
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-dev)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

# Debian packages the suite needs: chromium for browser tests, a JRE for
# openapi-generator. Installed only when missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

run: $(STAMP)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	@$(PY) manage.py demo_account
	@echo "Web: http://$(HOST):$(PORT)/  API docs: http://$(HOST):$(PORT)/docs  (Ctrl-C stops server and worker)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(PY) manage.py qcluster & \
	  $(PY) manage.py runserver $(HOST):$(PORT) --noreload

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: $(STAMP) system-deps lint
	$(PY) -m pytest -m "not scale" -p no:cacheprovider --ignore=tests/reliability

test-fast: $(STAMP) lint
	$(PY) -m pytest -m "not scale and not e2e and not live" -p no:cacheprovider

# The API and worker tests again, on PostgreSQL and Redis started here on loopback.
test-scale: $(STAMP)
	bash scripts/scale-services.sh start
	@set -a; source var/scale/env; set +a; \
	  $(PY) -m pytest -p no:cacheprovider -m "not e2e" tests/verifications tests/apikeys tests/core tests/scale tests/sharing tests/marketplace $$(ls -d tests/provenance 2>/dev/null); \
	  status=$$?; bash scripts/scale-services.sh stop; exit $$status

# Hostile files, faults, conformance, authorisation, abuse limits, headers (< 10 min).
test-reliability: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider tests/reliability

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) var
