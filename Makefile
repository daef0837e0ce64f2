# Two entry points: `make demo` (install, ingest the sample corpus, serve the page) and
# `make test` (install what the tests need, run them). Everything else supports those two.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
UV      = $(BIN)/uv
UV_VERSION = 0.13.8
export UV_NATIVE_TLS = 1
export HF_HUB_OFFLINE = 1
# Debian packages the test suite needs; installed only when missing: a throwaway PostgreSQL +
# PostGIS server for the store tests, Chromium for the dashboard's browser tests, Java for Spark.
APT_PACKAGES ?= postgresql-15 postgresql-15-postgis-3 chromium openjdk-17-jre-headless

.PHONY: demo test check lint install install-test assets spark system-deps gazetteer eval train lock clean

demo: install assets gazetteer
	$(BIN)/watchfloor demo

test: install-test system-deps assets spark
	$(BIN)/ruff check src tests
	REQUIRE_POSTGRES_TESTS=1 REQUIRE_SPARK_TESTS=1 $(BIN)/pytest

check: test

lint: install-test
	$(BIN)/ruff check src tests

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The lock files pin every package version; the stamps re-run an install when a lock changes.
$(VENV)/.main-installed: requirements/main.lock pyproject.toml | $(UV)
	$(UV) pip install --quiet --python $(BIN)/python -r requirements/main.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

$(VENV)/.test-installed: requirements/test.lock $(VENV)/.main-installed
	$(UV) pip install --quiet --python $(BIN)/python -r requirements/test.lock
	touch $@

install: $(VENV)/.main-installed

# Spark is an optional extra with its own venv (pyspark is large); `watchfloor spark ...` runs
# from .venv-spark/bin/watchfloor, and the tests drive it there in a subprocess.
spark: .venv-spark/.installed

.venv-spark/.installed: requirements/main.lock pyproject.toml | $(UV)
	test -x .venv-spark/bin/python || $(PYTHON) -m venv .venv-spark
	$(UV) pip install --quiet --python .venv-spark/bin/python -r requirements/main.lock pyspark==4.3.0
	$(UV) pip install --quiet --python .venv-spark/bin/python --no-deps -e .
	touch $@

# The dashboard's third-party front-end code (Leaflet, Cytoscape, world-atlas...) comes from npm,
# pinned by package-lock.json, into node_modules/; nothing of it is committed.
assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install-test: $(VENV)/.test-installed

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

gazetteer: install
	$(BIN)/watchfloor gazetteer build

# Run every benchmark on ../shared and rewrite docs/benchmarks.md from the figures.
EVAL_DIR = build/eval
eval: install gazetteer
	mkdir -p $(EVAL_DIR)
	$(BIN)/watchfloor eval newsroom --cases ../shared/newsroom-dev/cases --json-out $(EVAL_DIR)/newsroom.json
	$(BIN)/watchfloor eval case --data ../shared/data/case2021_task2/dev_half.tsv --json-out $(EVAL_DIR)/case.json
	$(BIN)/watchfloor eval geo --data ../shared/data/geoparsing/lgl.xml --json-out $(EVAL_DIR)/geo-lgl.json
	$(BIN)/watchfloor eval geo --data ../shared/data/geoparsing/GeoVirus.xml --json-out $(EVAL_DIR)/geo-geovirus.json
	$(BIN)/watchfloor eval muc4 --gold ../shared/data/muc4/gtt_processed/dev.json \
		--pred ../shared/data/muc4/metric_check/pred_b_dropped.json --json-out $(EVAL_DIR)/muc4-check.json
	$(BIN)/watchfloor eval muc4 --gold ../shared/data/muc4/gtt_processed/dev.json \
		--full-slots ../shared/data/muc4/full_slots/dev_tst1_tst2.jsonl --json-out $(EVAL_DIR)/muc4.json
	$(BIN)/watchfloor eval fusion --json-out $(EVAL_DIR)/fusion.json
	$(BIN)/watchfloor eval fusion --scale 1000000 --json-out $(EVAL_DIR)/fusion-scale.json
	$(BIN)/watchfloor eval wikievents --data ../shared/data/wikievents/dev.jsonl --json-out $(EVAL_DIR)/wikievents.json
	$(BIN)/watchfloor eval relations --data ../shared/data/mmp_militant_relations --json-out $(EVAL_DIR)/relations.json
	$(BIN)/watchfloor eval actors --data tests/resolve/data/mentions.tsv --json-out $(EVAL_DIR)/actors.json
	$(BIN)/watchfloor bench --articles 96 --min-words 400 --json-out $(EVAL_DIR)/bench.json
	$(BIN)/watchfloor eval render --results $(EVAL_DIR) --out docs/benchmarks.md

# Train the event-type classifier and the MUC-4 role filler shipped as package data (reads
# ../shared/data; fixed seeds; about 10 minutes on 2 cores). Prints the cross-validated figures.
train: install
	$(BIN)/python -m watchfloor.train.event_classifier --data ../shared/data/case2021_task2 \
		--embedding --rules --out src/watchfloor/pipeline/data/event_classifier
	$(BIN)/python -m watchfloor.train.muc4_roles --data ../shared/data \
		--out src/watchfloor/eval/data/muc4_roles \
		--incidents-out src/watchfloor/eval/data/muc4_incidents

# Regenerate the lock files after editing requirements/*.in.
lock: | $(UV)
	$(UV) pip compile --quiet --python-version 3.11 requirements/main.in -o requirements/main.lock
	$(UV) pip compile --quiet --python-version 3.11 requirements/test.in -o requirements/test.lock

clean:
	rm -rf $(VENV) .venv-spark build node_modules src/*.egg-info .pytest_cache .ruff_cache
