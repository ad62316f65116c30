# The two commands of the README:  `make demo`  (catalog up + pipeline + URLs)  and  `make test`.
# Both install what they need, idempotently. Everything else here is a convenience.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo test up down status reset lock browser bench bench-flow leak-corpus bench-load bench-scale

# The pipeline's virtualenv, pinned by constraints.txt. The search service is installed too so
# its tests can import it (it also runs in CKAN's own virtualenv).
$(STAMP): pyproject.toml constraints.txt catalog_config/search_service/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]' -e catalog_config/search_service
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/senate-catalog demo

# Headless Chromium and Thai fonts for the test that renders a steward report (Debian packages).
browser:
	@dpkg -s chromium fonts-thai-tlwg >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-thai-tlwg; \
	  else echo "Please run: sudo apt-get install chromium fonts-thai-tlwg"; exit 2; fi; }

# Start the `test` stack instance (own ports and data), run every test, stop the stack even
# when tests fail, and exit with pytest's status.
test: $(STAMP) browser
	@export SENATE_STACK_INSTANCE=test SENATE_REQUIRE_STACK=1 SENATE_REQUIRE_BROWSER=1; \
	$(BIN)/senate-catalog stack up && $(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	$(BIN)/senate-catalog stack down; exit $$rc

up down status: $(STAMP)
	$(BIN)/senate-catalog stack $@

reset: $(STAMP)
	$(BIN)/senate-catalog stack reset --yes

# Re-pin both virtualenvs after changing pyproject.toml or catalog_config/ckan-requirements.txt.
lock: $(STAMP)
	{ echo "# pip freeze of the pipeline's virtualenv (.venv) after \`pip install -e '.[test]'\` (Python 3.11)."; \
	  echo "# Used as a constraints file so installs are reproducible. Regenerate: make lock"; \
	  $(BIN)/pip freeze --exclude-editable; } > constraints.txt
	{ echo "# pip freeze of CKAN's virtualenv after installing ckan-requirements.txt (Python 3.11)."; \
	  echo "# Regenerate: make lock"; \
	  .stack/ckan-venv/bin/pip freeze --exclude-editable; } > catalog_config/ckan-constraints.txt

# The validation benchmark: 100k, 1M and 5M rows x 9 columns; the Table Schema checker,
# the whole validation stage and frictionless, each timed against pyarrow's CSV reader in a fresh
# process. Table, "Done when" verdicts, out/benchmark/benchmark.json and validation-scaling.png.
bench: $(STAMP)
	$(BIN)/python -m flows.benchmark --rows 100000 --rows 1000000 --rows 5000000 --out out/benchmark

# The personal-data leak corpus (tests/validation/leak_corpus.yaml): recall and precision of the
# detector; fails unless every written form is caught and no look-alike is.
leak-corpus: $(STAMP)
	$(BIN)/python -m tests.validation.leak_corpus

# The orchestration benchmark: Prefect server start (cold, warm) and the catalog flow (cold cache,
# warm no-change run), as ratios against a bare import of the flow, on the demo stack.
bench-flow: $(STAMP)
	$(BIN)/senate-catalog stack up && $(BIN)/python -m flows.benchmark_flow --out out/benchmark

# The load benchmark: 20 concurrent anonymous clients for 20 s (Thai package_search with facets,
# package_show, datastore_search, dataset and home pages) against the stack's CKAN (gunicorn),
# and against a temporary `ckan run` with the same ini: requests/s, p50/p99, ratios.
bench-load: $(STAMP)
	$(BIN)/senate-catalog stack up && \
	$(BIN)/python -m flows.benchmark_load --clients 20 --seconds 20 --compare-dev --out out/benchmark

# The scale benchmark: N generated datasets (100-2,000 rows, a third with a foreign key to a
# shared code list) in a scratch project, run cold, warm, after one change and after the code
# list changed, on the demo stack; package_search p50/p99 at that size; out/benchmark/scale.json.
# Everything it published is purged from the catalog afterwards.
N ?= 1000
bench-scale: $(STAMP)
	$(BIN)/senate-catalog stack up && \
	$(BIN)/python -m flows.benchmark_scale --datasets $(N) --out out/benchmark
