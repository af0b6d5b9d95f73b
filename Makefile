# Micro-credential adviser. `make help` lists the verbs.
SHELL := /bin/bash
PY := .venv/bin/python
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install db train run run-cluster lint test test-fast validate bench bench-cluster profile bench-slack bench-catalog review-screenshots bench-review nlu-eval eval-advice clean lock

help: ## list the verbs
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: ## create .venv (Python 3.10) and install the pinned dependencies when they changed
	@scripts/install.sh

db: install ## create and seed the credential database (var/credentials.db, or DATABASE_URL)
	@$(PY) -m bot.cli seed

train: install ## train the model into models/ when the training data changed
	@$(PY) -m bot.nlu.training

run: install ## start actions (5055), Rasa (5005), the web server (8080) and the review app (8090); Ctrl-C stops
	@$(PY) -m bot.run

SERVERS ?= 2
run-cluster: install ## SERVERS=N Rasa and action servers behind HAProxy, on PostgreSQL, Redis (and RabbitMQ: EVENT_BROKER_URL)
	@$(PY) -m bot.cluster --servers $(SERVERS)

lint: install ## ruff (lint and format check), the import contracts and the architecture check
	@.venv/bin/ruff check bot actions bench tests scripts
	@.venv/bin/ruff format --check bot actions bench tests scripts
	@set -o pipefail; .venv/bin/lint-imports --no-cache | tail -n +13
	@$(PY) scripts/check_architecture.py

test: lint ## lint first, then the whole test suite: unit, actions, data validation, stories, end to end, browser
	@$(PY) -m pytest

test-fast: lint ## lint, then unit and action tests only (no model, no servers)
	@$(PY) -m pytest -m "not e2e and not browser and not slow"

validate: install ## rasa data validate
	@.venv/bin/rasa data validate --fail-on-warnings

bench: install ## latency and throughput at 1 and 20 concurrent conversations, against Rasa's starter bot
	@$(PY) -m bench.conversations

bench-cluster: install ## the cluster's msg/s and p50/p95 at 20 and 50 conversations, 1 and 2 servers, and events lost when a server is killed
	@$(PY) -m bench.cluster $(ARGS)

profile: install ## where the servers' CPU time goes under bench's load (py-spy on the real servers)
	@$(PY) -m bench.profile $(ARGS)

bench-slack: install ## the Slack relay's acknowledgement time, p50/p99, at 20 concurrent events
	@$(PY) -m bench.slack_ack

bench-catalog: install ## recommendation query p50/p95 at 1k, 10k, 100k synthetic credentials, SQLite and PostgreSQL
	@$(PY) -m bench.catalog

bench-review: install ## the review app's filtered list p95 at 10,000 conversations, SQLite and PostgreSQL
	@$(PY) -m bench.review

nlu-eval: install ## NLU quality: 5-fold CV, held-out F1, noise drop, out-of-scope false-accept (about 5 min)
	@$(PY) -m bench.nlu_eval

eval-advice: install ## advice quality on the evaluation conversations in tests/advice_eval/ (real servers; a few minutes)
	@$(PY) -m bench.advice_eval

review-screenshots: install ## the README's pictures of the review app (the benchmark's synthetic conversations, Chromium)
	@PYTHONPATH=. $(PY) scripts/review_screenshots.py

clean: ## remove the trained model, local databases and caches (keeps .venv)
	rm -rf models var .rasa .pytest_cache results

lock: ## re-pin requirements.lock from what is installed in .venv
	@(echo "# Exact versions installed by 'make install' (Python 3.10). Regenerate with 'make lock'."; \
	  .venv/bin/pip freeze --exclude-editable) > requirements.lock
