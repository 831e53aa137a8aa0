# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: install run central test test-sqlite test-postgres browser-deps lint translations-extract clean

install: $(VENV)/.installed static/vendor/.installed static/vendor/pictograms.svg kiosk/translations/.compiled

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Front-end packages come from the npm registry and are served from static/vendor.
static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/
	cp node_modules/jsqr/dist/jsQR.js static/vendor/
	touch $@

# The kiosk's pictograms: the Tabler icons it names (kiosk/checkin/icons.py), as one sprite.
static/vendor/pictograms.svg: static/vendor/.installed $(VENV)/.installed kiosk/checkin/icons.py
	$(BIN)/python -c 'from kiosk.checkin.icons import write_sprite; write_sprite("node_modules/@tabler/icons/icons/outline", "$@")'

kiosk/translations/.compiled: $(VENV)/.installed $(wildcard kiosk/translations/*/LC_MESSAGES/messages.po)
	$(BIN)/pybabel compile --use-fuzzy -d kiosk/translations -f --statistics
	touch $@

run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(BIN)/python -m kiosk.serve

# The central server: PostgreSQL (DATABASE_URL), gunicorn with WORKERS processes, limits in Redis.
WORKERS ?= 4
CENTRAL_PORT ?= 8000
central: install
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL=postgresql://... for the central server."; exit 1; }
	HLM_ROLE=central $(FLASK) db upgrade
	HLM_ROLE=central $(BIN)/gunicorn --workers $(WORKERS) --bind 0.0.0.0:$(CENTRAL_PORT) app:app

# Browser tests drive Debian's Chromium; install it when we can (root) and it is missing.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Chromium and fonts for the browser tests (apt-get)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-dejavu-core fonts-noto-core >/dev/null; \
	fi
	@# zbar decodes the printed QR codes in the stand's tests (pyzbar loads libzbar0).
	@if ! ldconfig -p | grep -q 'libzbar\.so\.0' && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing libzbar0 for the QR decoding tests (apt-get)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libzbar0 >/dev/null; \
	fi

test: install browser-deps test-sqlite test-postgres

test-sqlite:
	$(BIN)/pytest

# The same suite against the PostgreSQL server of this machine (browser tests run once, above).
test-postgres:
	HLM_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -m "not browser"

lint: install
	$(BIN)/ruff check .

translations-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --omit-header -o kiosk/translations/messages.pot .
	$(BIN)/pybabel update -i kiosk/translations/messages.pot -d kiosk/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) node_modules static/vendor
