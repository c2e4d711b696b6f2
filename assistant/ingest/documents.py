"""From a file to an article: cleaned, described, split into chunks with exact offsets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant.ingest import cleaning, metadata
from assistant.ingest.chunking import Chunk, chunk_sentences, story_sentences
from assistant.ingest.loading import SourceText, UnreadableFileError, load


@dataclass(frozen=True)
class Article:
    doc_id: str
    path: Path
    title: str
    outlet: str | None
    published: date | None
    source: SourceText
    chunks: tuple[Chunk, ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.source.source_span(start, end)


def content_id(text: str) -> str:
    """A stable id from the article's text, blind to line endings and outer whitespace."""
    normalized = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


def build_article(path: Path, chunk_tokens: int, chunk_overlap: int) -> Article:
    """Read and prepare one article; raises UnreadableFileError with the reason."""
    source = load(path)
    layout = cleaning.analyze(source.plain)
    if not layout.body:
        raise UnreadableFileError("no story text found (only headings, links or page furniture)")
    meta = metadata.extract(source, layout)
    sentences = story_sentences(source.plain, layout.body, chunk_tokens)
    chunks = chunk_sentences(sentences, chunk_tokens, chunk_overlap)
    return Article(
        doc_id=content_id(source.source),
        path=path,
        title=meta.title,
        outlet=meta.outlet,
        published=meta.published,
        source=source,
        chunks=tuple(chunks),
    )
