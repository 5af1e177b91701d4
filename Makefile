# The two commands of the README: `make demo` and `make test`.
VENV ?= .venv
export ZHIFA_VENV := $(VENV)
PYTEST_ARGS ?=

.PHONY: demo test setup setup-test lint bench

demo: setup
	$(VENV)/bin/zhifa demo

# The browser tests run on their own: Playwright keeps an event loop in its process, which other tests must not share.
test: setup-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest -m "not e2e" $(PYTEST_ARGS)
	$(VENV)/bin/python -m pytest -m e2e -n 0 $(PYTEST_ARGS)

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

lint: setup-test
	$(VENV)/bin/ruff check .

bench: setup-test
	for script in bench/*.py; do $(VENV)/bin/python $$script || exit 1; done
