"""How rare a word stem is in English at large, whatever the index holds.

An index's own IDF depends on its size and topic: in a folder of three articles on one story
the story's words are in every chunk and weigh nothing, in a million chunks the same words
weigh a lot. The reader also reads weights that mean the same in every index: -log10 of the
stem's frequency in English (wordfreq's "large" English list, words stemmed as the lexical index
stems them, frequencies summed per stem; written by training/build_background.py).

wordfreq is by Robyn Speer; its word lists are CC BY-SA 4.0 (built from Wikipedia, subtitles,
news, books, web text, Twitter and Reddit), and so is the table derived from them."""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

import numpy as np

TABLE = Path(__file__).with_name("data") / "english_stems.tsv.gz"
UNSEEN = 8.5  # a stem the list lacks: rarer than its rarest (10^-8)


class _Table:
    """Lines `stem<TAB>weight`, sorted by the stem's UTF-8 bytes, searched in place: a question
    looks up a handful of stems, so building a dict of 224,000 (0.4 s) would not pay."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._ends = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == 10)
        self._starts = np.concatenate(([0], self._ends[:-1] + 1))

    def __len__(self) -> int:
        return len(self._ends)

    def line(self, i: int) -> tuple[bytes, bytes]:
        stem, _, weight = self._raw[self._starts[i] : self._ends[i]].partition(b"\t")
        return stem, weight

    def get(self, stem: str) -> float | None:
        key = stem.encode("utf-8")
        low, high = 0, len(self)
        while low < high:
            middle = (low + high) // 2
            found, weight = self.line(middle)
            if found < key:
                low = middle + 1
            elif found > key:
                high = middle
            else:
                return float(weight)
        return None


@lru_cache(maxsize=1)
def _table() -> _Table:
    return _Table(gzip.decompress(TABLE.read_bytes()))


def rarity(stem: str) -> float:
    """-log10 of the stem's frequency in English (1.27 for "the", 8.5 unseen)."""
    found = _table().get(stem)
    return UNSEEN if found is None else found
