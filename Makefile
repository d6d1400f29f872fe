# The clinic assistant. `make run` starts it, `make test` tests it; both set up
# everything they need first (Python 3.10 venv, pinned dependencies, spaCy model,
# secrets in .env, a trained model).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Rasa's command line with the speed-ups the server runs with (addons/rasa_cli.py)
RASA := $(PY) -m addons.rasa_cli
MODEL := models/current.tar.gz

export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Python keeps the bytecode of our own modules and pytest its rewritten test modules in
# __pycache__ (git-ignored): with PYTHONDONTWRITEBYTECODE set (some machines and CI images
# set it) every process compiled them again, pytest's collection alone ~12 s of CPU a run.
unexport PYTHONDONTWRITEBYTECODE
# Rasa and TensorFlow: load .env into the environment of every recipe.
WITH_ENV := set -a; [ -f .env ] && . ./.env; set +a;

.PHONY: help install env model holdout-model train embeddings validate run run-prod shell test test-fast test-durations test-unit test-integration test-lane-servers test-lane-evaluations test-stories test-nlu eval-nlu eval-triage eval-triage-served eval-dialogue check bench loadtest clean

help:
	@echo "make run    - start the assistant (Rasa :5005, actions :5055, web page :8000)"
	@echo "make test   - run every check and test (make test-fast first)"
	@echo "make test-fast - the tests needing no trained model, servers, PostgreSQL, Redis or browser (< 60 s)"
	@echo "make check  - static checks (ruff: ruff.toml; mypy: mypy.ini)"
	@echo "make bench  - measure accuracy, latency, throughput, training time and memory"
	@echo "make eval-nlu  - understanding on real questions and off-domain requests, against a baseline"
	@echo "make eval-triage - warning signs: recall and false alarms on real and written reports"
	@echo "make eval-dialogue - booking conversations as patients write them, on the real stack"
	@echo "make run-prod  - the production topology: HAProxy, 2 Rasa, 2 action servers, PostgreSQL, Redis"
	@echo "make loadtest  - 200 conversations x 20 messages, faults and a 20-minute soak on that topology"
	@echo "make train | validate | shell | clean"

# SETUP_DONE=1: set-up already ran in this `make` (make test's parallel step).
ifndef SETUP_DONE
install:
	@scripts/bootstrap.sh

env: install
	@$(PY) -m clinic init-env
	@$(WITH_ENV) $(PY) -m clinic migrate
	@$(WITH_ENV) $(PY) -m clinic seed-demo
	@$(WITH_ENV) $(PY) -m clinic demo-staff
else
install env: ;
endif

model: env
	@$(WITH_ENV) $(PY) scripts/ensure_model.py

train: env
	@$(WITH_ENV) $(PY) scripts/ensure_model.py --force

# Every training example's sentence embeddings into the training cache, nothing trained
# (scripts/embed_examples.py): a training after it runs no encoder.
embeddings: install
	@$(WITH_ENV) $(PY) scripts/embed_examples.py

validate: install
	$(RASA) data validate

run: model
	@echo
	@echo "  Try the assistant:   http://127.0.0.1:8000/"
	@echo "  REST channel:        http://127.0.0.1:5005/webhooks/rest/webhook"
	@echo "  Rasa HTTP API:       http://127.0.0.1:5005/  (?token=RASA_AUTH_TOKEN from .env)"
	@echo "  Action server:       http://127.0.0.1:5055/  (token: ACTION_SERVER_TOKEN in .env)"
	@echo "  Stop with Ctrl-C."
	@echo
	@$(VENV)/bin/honcho start -f Procfile

run-prod: model
	@scripts/install_debian_package.sh /usr/sbin/haproxy haproxy "the production topology"
	@$(WITH_ENV) $(PY) -m ops run

shell: model
	@$(WITH_ENV) $(PY) -m addons.action_server & pid=$$!; trap "kill $$pid" EXIT; \
	  $(WITH_ENV) $(RASA) shell --model $(MODEL) --endpoints endpoints.yml

# Three steps, each two lanes on the machine's two cores; each lane's log is printed when
# it is done. 1. The static checks and the fast tier beside the sentence embeddings of
# every training example (the encoders are most of a training's CPU: they go into the
# training cache, clinic/nlu/embedding_cache.py). 2. The main and the held-out model side
# by side, both reading their vectors from the cache. 3. The tests that start servers or
# a browser (much of their time is spent waiting on those processes) and the checks that
# read the trained model, beside the other slow tests and the evaluations with their
# floors. The fast tests do not run again.
test: env
	@scripts/install_debian_package.sh /usr/bin/chromium chromium "the browser tests"
	@scripts/install_debian_package.sh /usr/sbin/haproxy haproxy "the production topology"
	@$(MAKE) --no-print-directory -j2 --output-sync=target embeddings check test-fast SETUP_DONE=1
	@$(ONE_THREAD_EACH) $(MAKE) --no-print-directory -j2 --output-sync=target model holdout-model SETUP_DONE=1
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-lane-servers test-lane-evaluations SETUP_DONE=1

# The two trainings side by side: each one's numerical libraries (NumPy's and SciPy's
# OpenBLAS, scikit-learn's OpenMP) on one thread, or their threads only spin beside the
# other training (measured alone: 142 -> 122 s, 236 -> 155 s of CPU; in make test the step
# ~210 -> ~165 s). Not for the other steps: with it the server, browser and slow tests
# (TensorFlow's OpenMP too) took ~20 % longer in a rehearsal (978 s against 917 s).
ONE_THREAD_EACH := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

# make test's last two lanes, each one step after another (sub-makes of one goal each)
test-lane-servers:
	@$(MAKE) --no-print-directory test-integration
	@$(MAKE) --no-print-directory validate
	@$(MAKE) --no-print-directory test-stories
	@$(MAKE) --no-print-directory test-nlu

test-lane-evaluations:
	@$(MAKE) --no-print-directory test-unit PYTEST_MARK="not fast and not integration"
	@$(MAKE) --no-print-directory eval-nlu EVAL_NLU_FLAGS=--check
	@$(MAKE) --no-print-directory eval-triage EVAL_TRIAGE_FLAGS="--check --as-typed"
	@$(MAKE) --no-print-directory eval-triage-served EVAL_TRIAGE_FLAGS=--check

# The tests that start the real servers or Chromium (tier `integration`, tests/conftest.py).
test-integration:
	$(WITH_ENV) $(PY) -m pytest -m integration

# Every test tier (tests/conftest.py marks the tiers); PYTEST_MARK selects some.
test-unit:
	$(WITH_ENV) $(PY) -m pytest $(if $(PYTEST_MARK),-m "$(PYTEST_MARK)")

# The tests that need no trained model and no services (tier `fast`, tests/conftest.py):
# no PostgreSQL or Redis URL reaches them, so one that needs a service without being
# marked for it skips (fails in CI) instead of reaching one.
test-fast: install
	$(WITH_ENV) env -u TEST_POSTGRES_URL -u TEST_REDIS_URL $(PY) -m pytest -m fast -q

# Re-record which tests and fixtures are slow (tests/durations.json, read by tests/conftest.py):
# every test outside the service tiers, timed. Run it quietly after adding slow tests.
test-durations: install
	$(WITH_ENV) env -u TEST_POSTGRES_URL -u TEST_REDIS_URL CLINIC_RECORD_DURATIONS=1 $(PY) -m pytest -m fast -q

# Static checks: ruff (rules in ruff.toml) and mypy (mypy.ini: clinic, actions, addons, console,
# ops), both pinned in requirements-dev.txt; first in make test. mypy keeps its cache in
# .mypy_cache, so a second run checks only what changed.
check: install $(VENV)/.dev-tools
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# the tools are (re)installed when requirements-dev.txt changes; the stamp is in .venv
$(VENV)/.dev-tools: requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

test-stories:
	$(WITH_ENV) $(RASA) test core --e2e --stories tests/test_stories.yml --model $(MODEL) \
	  --fail-on-prediction-errors --out build/story-results

holdout-model: env
	@$(WITH_ENV) $(PY) scripts/nlu_holdout.py train

test-nlu: install
	$(WITH_ENV) $(PY) scripts/nlu_holdout.py check

# Real questions and off-domain requests (evaluation/), beside a TF-IDF baseline trained
# in the same run; make test adds --check (fails below the floors in scripts/eval_nlu.py).
eval-nlu: model
	$(WITH_ENV) $(PY) scripts/eval_nlu.py $(EVAL_NLU_FLAGS)

# Warning-sign triage on real and written reports (evaluation/triage/): recall, emergency
# recall, false alarms, every dev miss; make test adds --check (floors in scripts/eval_triage.py).
eval-triage: install
	$(WITH_ENV) $(PY) scripts/eval_triage.py $(EVAL_TRIAGE_FLAGS)

# The same reports read through the trained model, as the assistant reads a message (rules,
# the classifier's own urgent_symptom, the learned second opinion); its own floors.
eval-triage-served: model
	$(WITH_ENV) $(PY) scripts/eval_triage.py --served $(EVAL_TRIAGE_FLAGS)

# Booking dialogue on the patient conversations (tests/conversations/, real stack): how many
# reach the state the patient wanted, re-asks, safety. make test runs the same conversations
# through pytest (tests/conversations/test_conversations.py, floor CONVERSATIONS_FLOOR).
eval-dialogue: model
	$(WITH_ENV) $(PY) scripts/eval_dialogue.py $(EVAL_DIALOGUE_FLAGS)

bench: model
	@scripts/install_debian_package.sh /usr/sbin/haproxy haproxy "the production topology"
	$(WITH_ENV) $(PY) -m bench

loadtest: model
	@scripts/install_debian_package.sh /usr/sbin/haproxy haproxy "the production topology"
	$(WITH_ENV) $(PY) -m loadtest

clean:
	rm -rf build results var .pytest_cache .cache/embeddings .cache/baseline
