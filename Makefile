# Two commands on a fresh machine: `make run` serves Cotrace, `make test` runs every test.
# Each creates the virtual environment and installs what it needs on first use.

PYTHON ?= python3
VENV := .venv
# The size of the generated store the benchmarks read (bench/generate.py): `make bench EVENTS=50000` to try fast.
EVENTS ?= 1000000
BIN := $(VENV)/bin

.PHONY: run test bench lint lint-imports clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/cotrace demo --if-empty
	$(BIN)/cotrace serve

test: $(BIN)/.installed
	$(BIN)/pytest

bench: $(BIN)/.installed
	$(BIN)/python bench/record_decisions.py
	$(BIN)/python bench/seal_cost.py
	$(BIN)/python bench/verify_pack.py
	$(BIN)/python bench/generate.py --events $(EVENTS)
	$(BIN)/python bench/commands.py --events $(EVENTS)
	$(BIN)/python bench/pages.py --events $(EVENTS)
	$(BIN)/python bench/rebuild.py --events $(EVENTS)

lint: lint-imports
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# The layers run one way (docs/architecture.md): the contracts are in pyproject.toml.
lint-imports: $(BIN)/.installed
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) instance
