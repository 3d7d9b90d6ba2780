# khabar: `make serve` runs the site, `make test` runs the whole suite.
# Both create .venv and install what they need on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PORT ?= 8000

.PHONY: install serve test test-sqlite test-postgres browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,postgres]"
	touch $(INSTALLED)

install: $(INSTALLED)

serve: install
	PORT=$(PORT) $(BIN)/khabar serve

# Debian's Chromium for the browser tests; they skip with a message where it cannot be installed.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests…"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "chromium could not be installed: browser tests will be skipped"; \
	fi

test: install browser test-sqlite test-postgres

test-sqlite:
	env -u KHABAR_TEST_DATABASE_URL $(BIN)/python -m pytest

# Runs the suite again on PostgreSQL when KHABAR_TEST_DATABASE_URL names one (.ci/run sets it).
test-postgres:
	@if [ -n "$$KHABAR_TEST_DATABASE_URL" ]; then \
		echo "Running the suite again on $$KHABAR_TEST_DATABASE_URL"; \
		$(BIN)/python -m pytest -m "not e2e"; \
	else \
		echo "KHABAR_TEST_DATABASE_URL not set: PostgreSQL run skipped"; \
	fi

bench: install
	@command -v nginx >/dev/null && command -v wrk >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk >/dev/null)
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) var .pytest_cache
