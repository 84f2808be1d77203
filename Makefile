# crmkit-course: two commands for everyone.
#   make lab   — set up .venv if needed, build the datasets if missing, open JupyterLab on notebooks/
#   make test  — set up .venv if needed and run the whole test suite (pytest + nbval over notebooks)
# Both are idempotent: the environment is reinstalled only when pyproject.toml or constraints.txt change.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.crmkit-installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test datasets exercises bench clean-venv

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

datasets/customers.csv: | $(STAMP)
	$(PY) -m crmkit.datasets build --out datasets

datasets: $(STAMP)
	$(PY) -m crmkit.datasets build --out datasets

# LAB_ARGS lets a test (tests/test_lab.py) or a user add flags, e.g. LAB_ARGS="--port=8890".
LAB_ARGS ?=
lab: $(STAMP) datasets/customers.csv
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks \
		$(ROOT_FLAG) $(LAB_ARGS)

test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile --nbval-lax --nbval-current-env --nbval-cell-timeout=300 --cov=crmkit --cov-report=term:skip-covered --cov-fail-under=90

exercises: $(STAMP)
	$(PY) -m crmkit.grading build

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean-venv:
	rm -rf $(VENV)
