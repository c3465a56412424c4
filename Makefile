# Every target installs what it needs into .venv first, so each works on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install serve test test-fast lint lint-specs bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# what pip does for an installed package and what a first start would do: bytecode, and each spec
	@# parsed and resolved into the user's cache (platform/spec.py), so that `make serve` starts warm
	$(BIN)/python -m compileall -q mockserver
	$(BIN)/python -W ignore -c 'from mockserver.server import MockServer; MockServer()'
	touch $(STAMP)

# make serve PORT=9090; the MOCKSERVER_* environment variables work too (README, "Commands")
serve: install
	$(BIN)/mockserver serve $(if $(PORT),--port $(PORT))

# the whole suite, one worker per core (each worker has its own session server)
test: install
	$(BIN)/python -m pytest -n auto

# the inner loop: everything but live servers, subprocesses and schemathesis runs
test-fast: install
	$(BIN)/python -m pytest -m "not slow and not fuzz"

SPECTRAL_DIR ?= $(HOME)/.cache/mockserver/spectral
SPECTRAL     := $(SPECTRAL_DIR)/node_modules/.bin/spectral

lint: install
	$(BIN)/openapi-spec-validator specs/*.yaml
	$(BIN)/ruff check mockserver tests
	$(BIN)/mypy

# Spectral's spectral:oas ruleset over the specs (about a minute: Productive's filter tree is large)
lint-specs:
	@if command -v npm >/dev/null 2>&1; then \
		test -x $(SPECTRAL) || npm install --silent --no-audit --no-fund --prefix $(SPECTRAL_DIR) @stoplight/spectral-cli@6; \
		$(SPECTRAL) lint --quiet --fail-severity warn --ruleset .spectral.yaml specs/*.yaml; \
	else echo "spectral: skipped (npm is not installed)"; fi

bench: install
	$(BIN)/python -m mockserver.bench

clean:
	rm -rf $(VENV) .pytest_cache
