# Two commands on a fresh machine: `make serve` and `make test`.
# Every target installs what it needs, idempotently; stamps make repeat runs instant.

PYTHON      ?= python3
VENV        := .venv
PY          := $(VENV)/bin/python
STAMP_PY    := $(VENV)/.installed-$(shell cat requirements.lock | cksum | cut -d' ' -f1)
STAMP_NPM   := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)
CHROMIUM    := /usr/bin/chromium
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SITE_DIR    ?= site
CLINIC      ?=
# mkdocs (default), properdocs or zensical; the other two install from their own lock on first use.
GENERATOR   ?= mkdocs
export NO_MKDOCS_2_WARNING := 1
# Bytecode, pytest's rewritten test modules included, goes to one ignored folder and never
# beside the sources; every pytest worker and site build after the first then starts sooner.
export PYTHONPYCACHEPREFIX := $(CURDIR)/.cache/pycache
export PYTHONDONTWRITEBYTECODE :=

.PHONY: help serve site lint check test test-generators bench-scale fmt lock clean

help:
	@echo "make serve   build and serve at http://127.0.0.1:8000 with live reload"
	@echo "make site    build the static site into $(SITE_DIR)/ (GENERATOR=mkdocs|properdocs|zensical)"
	@echo "make check   lint, types and the fast tests, no build or browser (under a minute)"
	@echo "make test    run every test (unit, content, build, browser and test-generators) on both cores"
	@echo "make test-generators  build with ProperDocs and Zensical too and compare"
	@echo "make lint    check the content files without building"

# Debian's python3 lacks venv/ensurepip until python3-venv is installed; a failed attempt
# leaves a .venv without pip, so a venv is only trusted once its pip runs.
$(STAMP_PY): requirements.lock
	@$(PY) -m pip --version >/dev/null 2>&1 || { \
	  rm -rf $(VENV); \
	  $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	    rm -rf $(VENV); \
	    command -v apt-get >/dev/null || { echo "Install Python's venv module (python3-venv)." >&2; exit 1; }; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv && \
	    $(PYTHON) -m venv $(VENV); }; }
	$(PY) -m pip install --quiet --disable-pip-version-check --requirement requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

# The pinned Pyodide runtime, self-hosted in the built site (never from a CDN).
$(STAMP_NPM): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-*
	@touch $@

# Browser tests drive Debian's Chromium; Playwright never downloads a browser here.
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "Install Chromium at $(CHROMIUM) to run the browser tests." >&2; exit 1; }
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

lint: $(STAMP_PY)
	$(PY) -m macros lint

site: $(STAMP_PY) $(STAMP_NPM)
	$(PY) -m macros build --generator $(GENERATOR) --site-dir $(SITE_DIR) $(if $(CLINIC),--clinic $(CLINIC))

serve: $(STAMP_PY) $(STAMP_NPM)
	$(PY) -m macros serve --generator $(GENERATOR) $(if $(CLINIC),--clinic $(CLINIC))

# The staging tests link the pinned Pyodide files, so a fresh clone needs npm here too.
check: $(STAMP_PY) $(STAMP_NPM)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	HYPOTHESIS_PROFILE=quick $(PY) -m pytest -m "not slow" -n 2

# Everything without a browser on both cores (each worker takes whole files, so a file's
# module-scoped builds are made once); then the browser tests and the other generators' in one
# process each. Two Chromiums, each starting Pyodide on every calculator page, made timing
# tests flaky on a 2-core machine.
test: $(STAMP_PY) $(STAMP_NPM) $(CHROMIUM)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest -n 2 --dist loadfile -m "not browser and not generators"
	$(PY) -m pytest -m "browser and not generators"
	$(MAKE) test-generators

# The same handbook from ProperDocs and Zensical, compared with the default build and driven
# in Chromium; each generator installs into its own .venv-<name> from its lock first.
test-generators: $(STAMP_PY) $(STAMP_NPM) $(CHROMIUM)
	$(PY) -m pytest -m generators

# Build cost and page weight at 46 and 1,000 conditions against plain Material: a measurement,
# not a test (benchmarks/bench_scale.py). Compiled modules are kept, as in any repeat build.
bench-scale: $(STAMP_PY) $(STAMP_NPM) $(CHROMIUM)
	env -u PYTHONDONTWRITEBYTECODE $(PY) benchmarks/bench_scale.py --runs 2

fmt: $(STAMP_PY)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

lock: $(STAMP_PY)
	$(PY) -m pip freeze --all --exclude pip --exclude setuptools > requirements.lock.new
	@sed -i '1i # Exact versions of every Python package, direct and transitive. Regenerate with `make lock`.' requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(SITE_DIR) .serve .pytest_cache .hypothesis .mypy_cache
