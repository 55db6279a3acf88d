# The course's two commands: `make lab` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Quiet, bit-stable TensorFlow: the same clean outputs for learners (make lab) and tests (make test).
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export KERAS_BACKEND := tensorflow
export PYTHONHASHSEED := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: lab test lint unit notebooks install clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e ".[dev]"
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) \
		notebooks/00_start_here.ipynb

lint: $(STAMP)
	$(BIN)/ruff check .

unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 --doctest-modules tests lstm_utils

notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval notebooks \
		--sanitize-with tests/nbval_sanitize.cfg -n 2 --dist loadfile

test: lint unit notebooks

clean:
	rm -rf $(VENV) _build .pytest_cache .hypothesis
