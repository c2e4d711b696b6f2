"""Token counting with tiktoken's cl100k_base, found offline."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import tiktoken

ENCODING_NAME = "cl100k_base"


def _bundled_cache_dir() -> Path:
    import llama_index.core

    return Path(llama_index.core.__file__).parent / "_static" / "tiktoken_cache"


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    # tiktoken downloads encodings unless its cache already holds them;
    # llama-index-core ships cl100k_base in its package data.
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(_bundled_cache_dir()))
    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    """Tokens of `text`; special tokens' text ("<|endoftext|>") counts as ordinary text."""
    return len(encoding().encode_ordinary(text))
