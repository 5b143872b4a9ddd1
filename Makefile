# Two commands do all the set-up on a fresh clone:
#   make run    create .venv, install graphkit, build the bundled examples (every format)
#   make test   the same venv plus the dev tools, then the whole test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
OUT ?= graphkit-out

.PHONY: run test install dev browser cypher-lint benchmarks clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

run: $(VENV)/.installed
	$(VENV)/bin/graphkit build examples --out $(OUT)

# Browser tests drive Debian's Chromium; install it when missing and we may (root).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not installed and not root: browser tests will be skipped"; fi; \
	fi

# Neo4j's Cypher front end (npm, pinned in tools/cypher-lint/package-lock.json) checks every
# statement graphkit sends: tests/test_cypher_frontend.py.
cypher-lint:
	npm install --prefix tools/cypher-lint --no-audit --no-fund --loglevel=error

test: $(VENV)/.dev-installed browser cypher-lint
	$(PY) -m pytest

benchmarks: $(VENV)/.dev-installed
	$(PY) benchmarks/extract.py
	$(PY) benchmarks/names.py
	$(PY) benchmarks/build.py
	$(PY) benchmarks/store_copy.py
	$(PY) benchmarks/centrality.py
	$(PY) benchmarks/maps.py

clean:
	rm -rf $(OUT) .pytest_cache test-artifacts
