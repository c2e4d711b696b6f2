"""The page's one Assistant, opened on first use: building the page (`import app`) opens nothing."""

from __future__ import annotations

import threading
from pathlib import Path

from assistant.assistant import Assistant
from assistant.config import Settings


class OpenOnFirstUse:
    """Opens the index (and loads the embedding model) when first asked, once, for every thread.

    An empty index gets the articles of `sample_corpus` first, when that folder exists, unless
    the page is read-only (`settings.read_only`): then nothing is written to the index.
    """

    def __init__(self, settings: Settings, sample_corpus: Path | None = None) -> None:
        self.settings = settings
        self.sample_corpus = sample_corpus
        self._bot: Assistant | None = None
        self._lock = threading.Lock()

    def get(self) -> Assistant:
        with self._lock:
            if self._bot is None:
                self._bot = open_for_page(self.settings, self.sample_corpus)
            return self._bot


def open_for_page(settings: Settings, sample_corpus: Path | None) -> Assistant:
    """Open the index; an empty one gets the sample articles (when the folder is there), but
    for a read-only page, which writes nothing."""
    bot = Assistant(settings)
    if settings.read_only or sample_corpus is None or not sample_corpus.is_dir():
        return bot
    if bot.article_count() == 0:  # a count the catalog keeps: no listing of a large index
        print(f"The index is empty; adding the sample articles from {sample_corpus} …")
        print(bot.ingest([sample_corpus]).summary())
    return bot
