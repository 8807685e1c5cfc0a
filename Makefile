# occurisk — every entry point a person or CI uses. `make run` is the main job.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
VERSION ?= 30.1
export DAGSTER_HOME := $(CURDIR)
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: install os-packages run pipeline test lint check-defs bench db-start db-stop clean

# Bytecode is compiled once here: where PYTHONDONTWRITEBYTECODE is set (this machine's default) no process
# writes it, and each one compiled every module it imported again (dbt's own import: 3.5 → 2.0 s of CPU).
$(BIN)/occurisk: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	uv sync --frozen --compile-bytecode
	$(BIN)/python -m compileall -q -j 0 occurisk_assets api
	@touch $@

dbt_project/target/manifest.json: $(BIN)/occurisk $(shell find dbt_project -name '*.sql' -o -name '*.yml' 2>/dev/null | grep -v '/target/')
	$(BIN)/occurisk dbt-parse

install: $(BIN)/occurisk dbt_project/target/manifest.json

run: install
	$(BIN)/occurisk pipeline --version $(VERSION)
	$(BIN)/occurisk up

pipeline: install
	$(BIN)/occurisk pipeline --version $(VERSION)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Load and validate the code location as `dg` does, on a throwaway instance (no database needed).
check-defs: install
	@home=$$(mktemp -d) && trap 'rm -rf "$$home"' EXIT && \
	printf 'telemetry:\n  enabled: false\n' > $$home/dagster.yaml && \
	DAGSTER_HOME=$$home VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg check defs

# Debian packages the tests and benchmarks need (CI starts from a clean image as root): Chromium for the
# browser tests (Playwright cannot download its own browser here), CJK fonts so Korean pages render, wrk for
# the load benchmark, espeak-ng to make speech for the transcription test, DejaVu fonts so PDF exports carry
# any script; Prometheus and Alertmanager (promtool, amtool) for the monitoring tests (api/monitoring/);
# redis-server for the overload limits shared by replicas (tests/api/test_overload_shared.py).
# Installed when missing.
OS_PACKAGES := chromium fonts-noto-cjk wrk espeak-ng fonts-dejavu-core prometheus prometheus-alertmanager \
	redis-server
os-packages:
	@missing=$$(for p in $(OS_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing OS packages:" $$missing; \
		if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Two pytest-xdist workers by default: each test file whole on one of them (its module fixtures and file
# order kept), each worker with its own PostgreSQL, built platform and browser. A serial run keeps about one
# of the two cores busy (docs/benchmarks.md "Test suite time"). Files are handed out in collection order,
# the release-building ones first (tests/conftest.py): xdist's default reorder by test count put them last.
# TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= 2
test: install os-packages lint check-defs
	@$(BIN)/pytest $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder); \
	status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

bench: install os-packages
	$(BIN)/python bench/run_all.py

db-start: install
	$(BIN)/occurisk db start

db-stop: install
	$(BIN)/occurisk db stop

clean:
	-$(BIN)/occurisk db stop
	rm -rf .occurisk dbt_project/target dbt_project/logs storage history schedules logs
