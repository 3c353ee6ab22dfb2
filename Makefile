# Two commands on a fresh machine: `make run` serves Cotrace, `make test` runs every test.
# Each creates the virtual environment and installs what it needs on first use: `make run` only what
# serving needs (stamp .runtime), `make test` the test tools too (stamp .installed).

PYTHON ?= python3
VENV := .venv
# The size of the generated store the benchmarks read (bench/generate.py): `make bench EVENTS=50000` to try fast.
EVENTS ?= 1000000
# The PostgreSQL database `make bench` fills with the same store (created if missing), beside SQLite's.
BENCH_POSTGRESQL ?= postgresql+psycopg://postgres@127.0.0.1:5432/cotrace_bench_$(EVENTS)
BIN := $(VENV)/bin
# `make run PORT=5050` when 5000 is taken.
PORT ?= 5000
# The processes `make test` runs the tests in (pytest-xdist): `make test TEST_PROCESSES=1` for one.
TEST_PROCESSES ?= 2

.PHONY: run test bench lint lint-imports clean

$(BIN)/.runtime: pyproject.toml
	@echo "Installing what Cotrace needs to run into $(VENV) (the first time only: about a minute)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --progress-bar off --upgrade pip
	$(BIN)/pip install --progress-bar off -e .
	touch $@

$(BIN)/.installed: $(BIN)/.runtime
	@echo "Installing the test tools into $(VENV) (the first time only)"
	$(BIN)/pip install --progress-bar off -e '.[test]'
	touch $@

# The demo prints its sign-in address at the port served, unless COTRACE_BASE_URL says otherwise.
run: $(BIN)/.runtime
	COTRACE_BASE_URL="$${COTRACE_BASE_URL:-http://127.0.0.1:$(PORT)}" $(BIN)/cotrace demo --if-empty
	$(BIN)/cotrace serve --port $(PORT)

test: $(BIN)/.installed
	$(BIN)/pytest -n $(TEST_PROCESSES)

bench: $(BIN)/.installed
	$(BIN)/python bench/record_decisions.py
	$(BIN)/python bench/seal_cost.py
	$(BIN)/python bench/verify_pack.py
	$(BIN)/python bench/generate.py --events $(EVENTS)
	$(BIN)/python bench/commands.py --events $(EVENTS)
	$(BIN)/python bench/pages.py --events $(EVENTS)
	$(BIN)/python bench/rebuild.py --events $(EVENTS)
	$(BIN)/python bench/commands.py --events $(EVENTS) --database-url $(BENCH_POSTGRESQL)
	$(BIN)/python bench/pages.py --events $(EVENTS) --database-url $(BENCH_POSTGRESQL)
	$(BIN)/python bench/rebuild.py --events $(EVENTS) --database-url $(BENCH_POSTGRESQL)
	$(BIN)/python bench/evidence_pages.py
	$(BIN)/python bench/crash_rounds.py

lint: lint-imports
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# The layers run one way (docs/architecture.md): the contracts are in pyproject.toml.
lint-imports: $(BIN)/.installed
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) instance
