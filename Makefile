# Two commands do everything (see README):  make report  |  make test
# The virtual environment is created on first use from requirements.lock (exact pins).

PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
ARGS    ?=

.PHONY: report test test-fast test-spark java bench bench-stages lint env browser clean-env

report: $(STAMP)
	$(BIN)/rednote-report build $(ARGS)

test: $(STAMP) browser java
	$(BIN)/ruff check analysis tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(ARGS)

# The fast path while iterating: no notebook runs, no browser; two workers.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser and not spark" -n 2 $(ARGS)

# Only the Spark engine's tests (part of `make test` too): pyspark is in the lock; Java 17 first.
test-spark: $(STAMP) java
	$(BIN)/python -m pytest -m spark $(ARGS)

# Java 17 for Spark, from Debian's packages where it is missing.
java:
	@command -v java >/dev/null 2>&1 && exit 0; \
	command -v dpkg-query >/dev/null 2>&1 || { echo "java: not a Debian system; install Java 17+ yourself"; exit 0; }; \
	SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); echo "installing openjdk-17-jre-headless"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null

# Benchmarks: all engines at all sizes, Parquet only (about an hour with 10M; ARGS="--sizes 10k" for a quick look).
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --sizes 10k,100k,1m,10m --engines polars,pandas,duckdb --no-jsonl $(ARGS)

# The same stages under pytest-benchmark, in one process, engines side by side per stage
# (ARGS="--bench-size 1m" for another size).
bench-stages: $(STAMP)
	$(BIN)/python -m pytest benchmarks --bench-engines polars,pandas,duckdb --benchmark-group-by=group $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check analysis tests benchmarks
	$(BIN)/lint-imports

env: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

# Headless Chromium for the browser tests, and a CJK font so Chinese text draws (not as
# boxes) in its screenshots — from Debian's packages (Playwright's own browser download
# cannot be used offline). Needs root or sudo; installs only what is missing. Elsewhere
# install Chromium yourself: the browser tests fail loudly without it.
BROWSER_PKGS := chromium fonts-noto-cjk
browser:
	@command -v dpkg-query >/dev/null 2>&1 || { echo "browser: not a Debian system; install Chromium yourself"; exit 0; }; \
	missing=""; for p in $(BROWSER_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	[ -z "$$missing" ] || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); echo "installing$$missing"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; }

clean-env:
	rm -rf $(VENV)
