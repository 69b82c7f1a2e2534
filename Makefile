# Qulaq make targets (CONTRACT §4). Every target sets up what it needs first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test test-fast lint audit kafka kafka-stop postgres postgres-stop bench train eval eval-external eval-signals clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

demo: setup
	@bash scripts/demo.sh

test: setup
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not kafka and not postgres and not browser"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

# Known vulnerabilities in the pinned requirements and what they pull in (needs PyPI).
audit: setup
	$(BIN)/pip-audit --requirement requirements.txt --progress-spinner off

kafka:
	@bash scripts/kafka.sh start

kafka-stop:
	@bash scripts/kafka.sh stop

postgres:
	@bash scripts/postgres.sh start

postgres-stop:
	@bash scripts/postgres.sh stop

bench: setup
	$(BIN)/python -m bench

train: setup
	$(BIN)/python -m sentiment.train

eval: setup
	$(BIN)/python -m sentiment.evaluate

# The committed models on public sets outside ../shared/data's training and dev splits
# (../shared/data/external/NAME/data.csv; sources in sentiment/models/MODEL_CARD.md).
eval-external: setup
	$(BIN)/python -m sentiment.external

eval-signals: setup
	$(BIN)/python -m signals.evaluate

clean:
	rm -rf .qulaq build dist *.egg-info
