"""The page's one Assistant, opened on first use: building the page (`import app`) opens nothing."""

from __future__ import annotations

import threading
from pathlib import Path

from assistant.assistant import Assistant
from assistant.config import Settings


class OpenOnFirstUse:
    """Opens the index (and loads the embedding model) when first asked, once, for every thread.

    An empty index gets the articles of `sample_corpus` first, when that folder exists.
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
    """Open the index; an empty one gets the sample articles (when the folder is there)."""
    bot = Assistant(settings)
    if sample_corpus is not None and sample_corpus.is_dir() and not bot.articles():
        print(f"The index is empty; adding the sample articles from {sample_corpus} …")
        print(bot.ingest([sample_corpus]).summary())
    return bot
