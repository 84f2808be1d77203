# crmkit-course: two commands for everyone.
#   make lab   — set up .venv if needed and open JupyterLab on notebooks/ (the data ship inside crmkit)
#   make test  — set up .venv if needed and run the whole test suite (pytest + nbval over notebooks)
# Both are idempotent: the environment is reinstalled only when pyproject.toml or constraints.txt change.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.crmkit-installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test datasets exercises bench clean-venv slides handouts

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -c constraints.txt -e '.[lab,grading,dev]'
	@touch $(STAMP)

# Rebuild the classroom data shipped inside the package (crmkit/datasets/classroom/*.csv.gz) and the
# data dictionary datasets/README.md after a generator change; FORCE=1 overwrites files that differ.
datasets: $(STAMP)
	$(PY) -m crmkit.datasets build $(if $(FORCE),--force,)

# LAB_ARGS lets a test (tests/test_lab.py) or a user add flags, e.g. LAB_ARGS="--port=8890".
LAB_ARGS ?=
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks \
		$(ROOT_FLAG) $(LAB_ARGS)

test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile --nbval-lax --nbval-current-env --nbval-cell-timeout=300 --cov=crmkit --cov-report=term:skip-covered --cov-fail-under=90

exercises: $(STAMP)
	$(PY) -m crmkit.grading build

# Offline reveal.js decks, one per lesson (both editions) -> build/slides/ (reveal.js etc. via npm once).
slides: $(STAMP)
	$(PY) tools/slides.py

# Executed HTML + A4 PDF per lesson (both editions) -> build/handouts/ (printed by Debian's Chromium).
handouts: $(STAMP)
	$(PY) tools/handouts.py

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean-venv:
	rm -rf $(VENV)
