# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app learnpath
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format typecheck bench bench-load bench-faults setup browser clean mutate videos

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)  ## create the venv and install pinned dependencies

run: $(STAMP)  ## migrate, load content/, create demo accounts, serve on http://127.0.0.1:5000 with a job worker
	$(FLASK) demo --content content
	@echo "Serving on http://$(HOST):$(PORT) with a job worker  (Ctrl+C stops both)"
	@# The worker runs beside the server; Ctrl+C reaches both, and the trap stops the worker
	@# whichever way the server ends (a busy port too), so nothing is left running.
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(FLASK) worker & worker=$$!; \
	$(FLASK) run --host $(HOST) --port $(PORT)

browser:  ## Debian's chromium for the end-to-end tests (skipped when absent)
	@test -x /usr/bin/chromium || { (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "could not install chromium: browser tests will be skipped"; }

lint: $(STAMP) typecheck  ## ruff, the layer contracts (pyproject.toml [tool.importlinter]), mypy
	$(BIN)/ruff check learnpath tests tools $(wildcard benchmarks)
	$(BIN)/ruff format --check learnpath tests tools $(wildcard benchmarks)
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)  ## mypy over the package ([tool.mypy] in pyproject.toml)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format learnpath tests tools $(wildcard benchmarks)
	$(BIN)/ruff check --fix learnpath tests tools $(wildcard benchmarks)

test: $(STAMP) browser lint  ## set up, lint, run the whole suite
	$(BIN)/pytest -q

# What each shipped program's placement pays off (flask payoff; about 2-5 s per learner here).
PAYOFF_PROGRAMS = team-lead-path data-literacy-essentials data-literacy-northwind-cohort \
	information-security-basics project-management-foundations secure-finance-operations

bench: $(STAMP)  ## benchmarks print their figures
	$(BIN)/python benchmarks/bench_irt.py
	$(BIN)/python benchmarks/bench_calibration.py
	$(BIN)/python benchmarks/bench_planning.py
	$(BIN)/python benchmarks/bench_path_page.py
	$(BIN)/python benchmarks/bench_move_learners.py --learners 300
	$(BIN)/python benchmarks/bench_assign.py --learners 5000
	$(BIN)/python benchmarks/bench_studio.py  # rule preview over 10,000 learners, studio pages
	$(BIN)/python benchmarks/bench_quiz_http.py --workers 8 --threads 1  # needs PostgreSQL on 127.0.0.1:5432
	-$(BIN)/python benchmarks/bench_api.py  # needs PostgreSQL on 127.0.0.1:5432
	for p in $(PAYOFF_PROGRAMS); do $(BIN)/flask --app learnpath payoff $$p --learners 200 --vary ''; done  # benchmarks/README.md

videos: $(STAMP)  ## the video modules' narrated videos and captions, from their transcripts (apt-get install ffmpeg espeak-ng)
	$(BIN)/python -m tools.make_videos

bench-load: $(STAMP)  ## 200 concurrent learners' placements, gunicorn 4 workers, PostgreSQL on 127.0.0.1:5432 (several minutes)
	$(BIN)/python benchmarks/bench_quiz_http.py --learners 200 --workers 4 --threads 4

bench-faults: $(STAMP)  ## PostgreSQL stopped and started under 40 learners (its own throwaway cluster on port 5439)
	$(BIN)/python benchmarks/bench_faults.py

mutate: $(STAMP)  ## mutation testing of permissions and promises (slow; docs/testing.md): MUTATE_ARGS="--only GLOB --jobs 2"
	nice $(BIN)/python tools/mutate.py $(MUTATE_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .mutation
