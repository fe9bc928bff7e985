# 代表选举与履职管理系统 — two commands: `make demo` and `make test` (README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=

.PHONY: demo test bench install install-test system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

system-deps:
	@bash scripts/ensure-system-deps.sh

demo: install
	$(BIN)/election db upgrade
	$(BIN)/election seed demo
	@echo "访问 http://$(HOST):$(PORT)/ ，按 Ctrl+C 停止"
	$(BIN)/election serve --with-scheduler --host $(HOST) --port $(PORT)

# the test files run on every core (pytest-xdist): each process has its own PostgreSQL cluster, Redis and Chromium;
# a file's tests stay together, in order, in one process
TEST_PROCESSES ?= auto
test: install-test system-deps
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)

# one table for every benchmark at province size (bench/run_all.py; each piece in its own process)
bench: install-test system-deps
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
