# The maintainer's commands. `make html` and `make test` are all a fresh
# machine needs: both create .venv and install the project on first use.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican
OUTPUT ?= output
PORT ?= 8000
BASE_STAMP := $(VENV)/.base-installed
TEST_STAMP := $(VENV)/.test-installed
# pytest-xdist workers: more than the cores, because many tests wait on processes and browsers
# (docs/testing.md); TEST_WORKERS=0 runs the tests in one process.
TEST_WORKERS ?= 4
PYTEST_PARALLEL := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS))

.PHONY: help html serve publish clean test test-fast docs lint check-links github report fix-redirects \
        scheduler worker beat runs bench venv check-install lint-content screenshots

help:
	@echo "make html          build the site into $(OUTPUT)/ (creates $(VENV) on first use)"
	@echo "make serve         preview the built site on http://127.0.0.1:$(PORT)/"
	@echo "make publish       build with publishconf.py (set SITEURL)"
	@echo "make test          lint and run the full test suite"
	@echo "make test-fast     lint and the tests without the slow and browser markers (the inner loop)"
	@echo "make docs          regenerate docs/verdicts.md, docs/configuration.md, docs/cli.md"
	@echo "make check-install a fresh venv with only the base install runs every command (CI stage)"
	@echo "make lint-content  list catalog warnings (plain http:// links, ...) with file:line"
	@echo "make check-links   check every external link of the built site into the store"
	@echo "make github        refresh GitHub metadata for catalog projects"
	@echo "make report        write the link-health report into var/reports/"
	@echo "make fix-redirects rewrite permanently moved URLs in content/ (prints a diff)"
	@echo "make scheduler     local Redis + Celery worker + beat, all in one"
	@echo "make worker / beat Celery worker (QUEUES=celery,state) / beat against LINKCHECK_BROKER_URL"
	@echo "make runs          progress of scheduled check runs (chunks done/total)"
	@echo "make screenshots   every page at 360/1280 px, light/dark, 3 data states -> test-artifacts/"
	@echo "make bench         run the benchmarks in benchmarks/"
	@echo "make clean         remove $(OUTPUT)/ and caches"

$(BASE_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e .
	@touch $@

$(TEST_STAMP): $(BASE_STAMP) pyproject.toml
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test,bench]'
	@touch $@

venv: $(BASE_STAMP)

html: $(BASE_STAMP)
	$(PELICAN) content -o $(OUTPUT) -s pelicanconf.py

serve: $(BASE_STAMP)
	@test -d $(OUTPUT) || $(MAKE) html
	$(PELICAN) --listen -o $(OUTPUT) -s pelicanconf.py -b 127.0.0.1 -p $(PORT)

publish: $(BASE_STAMP)
	$(PELICAN) content -o $(OUTPUT) -s publishconf.py

clean:
	rm -rf $(OUTPUT) .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

test-fast: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not slow and not browser"

# The generated documents; tests fail when a committed one is out of date.
docs: $(BASE_STAMP)
	$(BIN)/python -m linkcheck.engine.reasons > docs/verdicts.md
	$(BIN)/python -m linkcheck.settings > docs/configuration.md
	$(BIN)/python -m linkcheck.cli.reference > docs/cli.md

# Builds its own throw-away venv (no extras): independent of $(VENV).
check-install:
	PY=$(PY) bash scripts/plain-install-check.sh

lint-content: $(BASE_STAMP)
	$(BIN)/python -m linkcheck lint-content

check-links: $(BASE_STAMP)
	@test -d $(OUTPUT) || $(MAKE) html
	$(BIN)/python -m linkcheck check $(OUTPUT) content

github: $(BASE_STAMP)
	$(BIN)/python -m linkcheck github

report: $(BASE_STAMP)
	$(BIN)/python -m linkcheck report

fix-redirects: $(BASE_STAMP)
	$(BIN)/python -m linkcheck fix --redirects

scheduler: $(BASE_STAMP)
	$(BIN)/python -m linkcheck scheduler $(ARGS)

# QUEUES=celery on check-only machines; the machine holding the store and the
# site runs the `state` queue (docs/operations.md).
QUEUES ?= celery,state
worker: $(BASE_STAMP)
	$(BIN)/celery -A linkcheck worker --loglevel=INFO -Q $(QUEUES)

beat: $(BASE_STAMP)
	$(BIN)/celery -A linkcheck beat --loglevel=INFO

runs: $(BASE_STAMP)
	$(BIN)/python -m linkcheck runs $(ARGS)

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench_linkcheck.py
	$(BIN)/python benchmarks/bench_linkcheck.py --links 100000 --hosts 2000
	$(BIN)/python benchmarks/bench_scheduled.py
	$(BIN)/python benchmarks/bench_pathological.py
	$(BIN)/python benchmarks/bench_github.py

# Visual review (issue 16): PNGs in test-artifacts/screenshots/<state>/ (git-ignored).
screenshots: $(TEST_STAMP)
	$(BIN)/python scripts/screenshots.py $(if $(STATE),--state $(STATE))
