# Tasks for the reading guide. CI runs `make test` (see .ci/run).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# -n: nitpicky, every reference must resolve; -W: warnings are errors;
# --keep-going: report every warning before failing; -c .: conf.py lives at the top.
SPHINXOPTS ?= -n -W --keep-going -c .

.PHONY: html test lint anchors clean

# One virtual environment; a stamp per dependency group, renewed when pyproject.toml changes.
$(VENV)/.docs $(VENV)/.dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=25.1"
	$(BIN)/python -m pip install -q --group $(patsubst .%,%,$(notdir $@))
	touch $@

html: $(VENV)/.docs
	$(BIN)/python tools/convert.py
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) docs _build/html

test: $(VENV)/.dev
	$(BIN)/python -m pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check tools tests conf.py
	$(BIN)/ruff format --check tools tests conf.py
	$(BIN)/mypy tools

# Add newly published anchors to tests/anchors.json (never changes a recorded one).
anchors: $(VENV)/.docs
	$(BIN)/python tools/convert.py --record-anchors

clean:
	rm -rf _build
