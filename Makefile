# The two commands: `make demo` and `make test`. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= small
VENDOR := src/yunong/web/static/vendor

.PHONY: setup demo test lint bench serve clean screenshots

STANDARDS := .cache/standards

setup: $(VENV)/.installed $(VENDOR)/.installed $(STANDARDS)/.installed
	@scripts/setup-system

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

$(VENDOR)/.installed: package.json package-lock.json scripts/vendor-assets
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	scripts/vendor-assets
	touch $@

$(STANDARDS)/.installed: scripts/fetch-standards
	scripts/fetch-standards
	touch $@

demo: setup
	$(BIN)/yunong demo --scale $(SCALE)
	$(BIN)/yunong serve

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: setup lint
	YUNONG_TEST_PG_URL="$${YUNONG_TEST_PG_URL:-$$(scripts/ensure-postgres)}" \
		$(BIN)/pytest -n 2 --dist loadgroup --durations=25

bench: setup
	$(BIN)/python -m bench

# The pictures in docs/screenshots, from a small demo built in a temporary directory.
screenshots: setup
	$(BIN)/python -m tests.screenshots

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var .pytest_cache .mypy_cache .ruff_cache
