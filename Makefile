# Inquiry: `make run` to try it, `make test` to check it. `make help` lists everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
WORKERS ?= 2
AXE    := tests/.npm/node_modules/axe-core/axe.min.js

.DEFAULT_GOAL := help
.PHONY: help install install-test run serve db demo test lint format translations bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e ".[test]"
	@touch $@

install: $(VENV)/.installed ## Create .venv and install Inquiry (with its translations)
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -d translations; fi

install-test: install $(VENV)/.installed-test ## Install, plus what the tests need
	@if [ ! -f $(AXE) ] && command -v npm >/dev/null; then \
		npm install -s --no-audit --no-fund --prefix tests/.npm axe-core@4 >/dev/null; fi

db: install ## Apply database migrations (instance/inquiry.sqlite unless DATABASE_URL is set)
	$(BIN)/inquiry db upgrade

demo: db ## Seed the demo network once and print its logins and join codes
	$(BIN)/inquiry demo

run: demo ## Set everything up and serve the demo on http://127.0.0.1:$(PORT)
	@echo "Serving Inquiry on http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	@# The render worker makes PDFs beside the web workers, at a lower priority.
	$(BIN)/inquiry render-worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c python:inquiry.core.serving --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --error-logfile - \
		"inquiry:create_app()"

lint: install-test ## Check style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint ## Install, lint and run the whole test suite (DATABASE_URL=postgresql://... for PostgreSQL)
	$(BIN)/pytest

translations: install-test ## Extract, update and compile the message catalogs
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --sort-by-file --no-wrap -o translations/messages.pot .
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q update --no-wrap --no-fuzzy-matching -i translations/messages.pot -d translations && \
		$(BIN)/pybabel -q compile -d translations; fi

bench: install-test ## Run the benchmarks in bench/ (about 15 minutes), append to bench/RESULTS.md, print how the goals stand
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/report_time.py
	$(BIN)/python bench/member_floor.py
	$(BIN)/python bench/load_faults.py
	$(BIN)/python bench/pdf_contention.py
	$(BIN)/python bench/network_scale.py
	@echo "Performance goals, from this run:"
	@grep -E '^- (question page|send) at [0-9]+ concurrent' bench/RESULTS.md | tail -n 4
	@grep -E '^- send p99 under PDF load' bench/RESULTS.md | tail -n 1
	@grep -E '^\| /workspace/(rollup)? \|' bench/RESULTS.md | tail -n 2

clean: ## Remove .venv and caches (keeps instance/ and its data)
	rm -rf $(VENV) tests/.npm .pytest_cache .ruff_cache
