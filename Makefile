# CCS developer entry points; each is a thin call into scripts/.
# Pass extra arguments with ARGS, e.g. make test ARGS="-k tenants -x"
SHELL := /bin/bash
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test bench setup

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-6s %s\n", $$1, $$2}'

setup: ## prepare .venv, PostgreSQL, Redis and .env (idempotent)
	@bash scripts/setup_env.sh

run: ## set up, load demo data, serve on http://localhost:8000 with worker and beat (PORT=8001 to change)
	@bash scripts/run.sh

test: ## run all tests, browser tests included (ARGS go to pytest)
	@bash scripts/test.sh $(ARGS)

bench: ## run the benchmark command (ARGS go to manage.py bench)
	@bash scripts/bench.sh $(ARGS)
