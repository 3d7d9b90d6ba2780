# khabar: `make serve` runs the site, `make test` runs the whole suite.
# Both create .venv and install what they need on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PORT ?= 8000

.PHONY: install serve test contracts test-sqlite test-postgres test-redis browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list (or the extras named here) changes. The redis extra is
# always installed (a few small packages), so setting KHABAR_REDIS_URL needs no other step.
$(INSTALLED): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,postgres,redis]"
	touch $(INSTALLED)

install: $(INSTALLED)

# --demo: a new site opens on the demo news (a bare `khabar serve`, as in production, never loads it).
serve: install
	PORT=$(PORT) $(BIN)/khabar serve --demo

# Debian's Chromium for the browser tests. Where it cannot be installed they skip with a message,
# except under CI=true, where a missing browser fails the run (a skip there would hide it).
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests…"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "chromium could not be installed"; \
	fi
	@if [ ! -x /usr/bin/chromium ]; then \
		case "$$(echo "$$CI" | tr A-Z a-z)" in \
			1|true|yes|on) echo "CI=$$CI: /usr/bin/chromium is missing, so the browser tests cannot run" >&2; exit 1;; \
			*) echo "/usr/bin/chromium is missing: the browser tests will be skipped";; \
		esac; \
	fi

test: install browser contracts test-sqlite test-postgres test-redis

# DESIGN.md's arrows between the parts, as import-linter contracts in .importlinter.
contracts: install
	$(BIN)/lint-imports

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

# tests/test_redis_tasks.py runs a real RQ worker through Redis in both runs above. Here the parts
# that keep state in the cache (rate limits, confirmation slots) run once more with Redis as the
# cache of the test process, when KHABAR_TEST_REDIS_URL names a Redis (.ci/run sets it).
test-redis:
	@if [ -n "$$KHABAR_TEST_REDIS_URL" ]; then \
		cache="$${KHABAR_TEST_REDIS_CACHE_URL:-redis://127.0.0.1:6379/8}"; \
		echo "Running the comment, newsletter, most-read and push tests again with the Redis cache at $$cache"; \
		KHABAR_REDIS_URL="$$cache" $(BIN)/python -m pytest -m "not e2e" tests/comments tests/newsletter tests/mostread tests/push \
			--ignore=tests/newsletter/test_crash_recovery.py; \
	else \
		echo "KHABAR_TEST_REDIS_URL not set: Redis cache run skipped"; \
	fi

bench: install
	@command -v nginx >/dev/null && command -v wrk >/dev/null && \
		[ -e /usr/lib/nginx/modules/ngx_http_cache_purge_module.so ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk \
			libnginx-mod-http-cache-purge >/dev/null)
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) var .pytest_cache .import_linter_cache
