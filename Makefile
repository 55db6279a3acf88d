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
# The course's own environment: 00_start_here's set-up check asserts the exact versions only here.
export LSTM_COURSE_ENV := 1
# PyTorch's CPU-only wheels: used when reachable (no CUDA download on a learner's Linux machine); machines
# that reach only PyPI, as the course's, take torch from PyPI or their own wheel folder instead.
TORCH_CPU_INDEX := https://download.pytorch.org/whl/cpu

.PHONY: lab test lint unit notebooks notebooks-portable install clean book slides site-test lab-test charlm \
	other-pythons lab-zh translations

install: $(STAMP)

# The package with every extra, at the course's exact versions (constraints.txt: the outputs replay with them).
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { echo "make: the course's \
	environment is Python 3.11; run make PYTHON=/path/to/python3.11 (3.12 and 3.13: README)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	index=$$($(PYTHON) -c "import urllib.request as u; u.urlopen('$(TORCH_CPU_INDEX)/torch/', timeout=10)" \
		2>/dev/null && echo "--extra-index-url $(TORCH_CPU_INDEX)"); \
	echo "torch from: $${index:-PyPI (PyTorch's CPU index not reachable)}"; \
	$(BIN)/python -m pip install -e ".[dev]" -c constraints.txt $$index
	touch $(STAMP)

# The course's JupyterLab settings live in lab/ (no news pop-up, no update check, no extension manager:
# nothing is fetched from the internet); your own ~/.jupyter settings still take precedence.
LAB_CONFIG_PATH := $(CURDIR)/lab$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))

lab: $(STAMP)
	JUPYTER_CONFIG_PATH="$(LAB_CONFIG_PATH)" $(BIN)/jupyter lab --ip=127.0.0.1 \
		$(if $(filter 0,$(shell id -u)),--allow-root) notebooks/00_start_here.ipynb

# The Chinese edition (中文版, README.zh-CN.md): the same course in a Chinese JupyterLab, from notebooks_zh/
# (generated from the translations in book/locales by `make translations`).
LAB_ZH_CONFIG_PATH := $(CURDIR)/lab/zh:$(LAB_CONFIG_PATH)

lab-zh: $(STAMP)
	JUPYTER_CONFIG_PATH="$(LAB_ZH_CONFIG_PATH)" $(BIN)/jupyter lab --ip=127.0.0.1 \
		$(if $(filter 0,$(shell id -u)),--allow-root) notebooks_zh/00_start_here.ipynb

# After an edit of English prose: re-extract the messages into book/locales/zh_CN (a changed sentence
# becomes fuzzy until a translator checks it), then regenerate notebooks_zh/, README.zh-CN.md,
# book/translating.zh-CN.md and lstm_utils/data/sections.zh_CN.json (book/translating.md says how an
# English edit reaches the Chinese edition).
translations: $(STAMP)
	$(BIN)/python book/i18n.py extract
	$(BIN)/python book/i18n.py notebooks

lint: $(STAMP)
	$(BIN)/ruff check .

unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 --doctest-modules tests lstm_utils

# The package on Python 3.12 and 3.13 with NumPy only (3.12 with the oldest NumPy it accepts): every test
# and doctest that needs no framework, in .venv-3.12 and .venv-3.13 (tests/other_pythons.sh; a Python
# that is not installed is skipped with the reason).
other-pythons:
	bash tests/other_pythons.sh

notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval notebooks \
		--sanitize-with tests/nbval_sanitize.cfg -n 2 --dist loadfile

# The same strict replay, compared with the same stored outputs, as another CPU would run it: one thread,
# PyTorch's non-vectorised kernels (ATEN_CPU_CAPABILITY=default), oneDNN, MKL and OpenBLAS at SSE level. A figure
# a notebook prints must survive this replay too (README, "Writing a notebook").
PORTABLE_ENV := OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 ATEN_CPU_CAPABILITY=default \
	ONEDNN_MAX_CPU_ISA=SSE41 MKL_ENABLE_INSTRUCTIONS=SSE4_2 OPENBLAS_CORETYPE=Nehalem

notebooks-portable: $(STAMP)
	$(PORTABLE_ENV) $(BIN)/python -m pytest --nbval notebooks -p no:cacheprovider \
		--sanitize-with tests/nbval_sanitize.cfg -n 2 --dist loadfile

# Retrain notebook 22's shipped character-level language model (lstm_utils/data/charlm.*): seeded, about
# three minutes on two cores; the settings and the training log are written beside the weights.
charlm: $(STAMP)
	$(BIN)/python -m lstm_utils.charlm_train

# The website and slides (book/README in book/build.py): JavaScript from npm, installed from the lockfile.
NODE_STAMP := book/node_modules/.installed

$(NODE_STAMP): book/package.json book/package-lock.json
	cd book && npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

book: $(STAMP) $(NODE_STAMP)
	$(BIN)/python book/build.py book

slides: $(STAMP) $(NODE_STAMP)
	$(BIN)/python book/build.py slides

# Every page and deck in headless Chromium (skipped with a reason where /usr/bin/chromium is missing,
# failed instead under CI=true).
site-test: book slides
	LSTM_SITE_TEST=1 $(BIN)/python -m pytest tests/test_site.py -p no:cacheprovider

# JupyterLab started as `make lab` starts it (temporary folders), notebooks 12 and 00 run in headless
# Chromium (skipped with a reason where /usr/bin/chromium is missing, failed instead under CI=true).
lab-test: $(STAMP)
	LSTM_LAB_TEST=1 $(BIN)/python -m pytest tests/test_lab.py -p no:cacheprovider

test: lint unit other-pythons notebooks notebooks-portable lab-test site-test

clean:
	rm -rf $(VENV) .venv-3.12 .venv-3.13 _build .pytest_cache .hypothesis book/node_modules
