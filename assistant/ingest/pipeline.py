"""Bringing files into the index: new, changed, unchanged, gone."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from assistant.ingest.documents import Article, build_article
from assistant.ingest.loading import SUPPORTED_SUFFIXES, UnreadableFileError
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.store import ChunkStore
from assistant.types import FileOutcome, FileResult, IngestReport

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]  # (chunks embedded, chunks to embed)


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Files to ingest from files and folders (recursive), and what was passed over."""
    files: list[Path] = []
    skipped: list[FileResult] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(
                    part.startswith(".") for part in child.relative_to(path).parts
                ):
                    if child.suffix.lower() in SUPPORTED_SUFFIXES:
                        files.append(child.resolve())
                    elif child.name.lower() not in ("readme", "license"):
                        skipped.append(
                            FileResult(
                                str(child), "skipped", f"unsupported file type {child.suffix or '(none)'}"
                            )
                        )
        elif path.is_file():
            files.append(path.resolve())
        else:
            skipped.append(FileResult(str(path), "skipped", "no such file or folder"))
    return list(dict.fromkeys(files)), skipped


def embedding_text(article: Article, chunk_text: str) -> str:
    """What the model embeds for a chunk: the headline gives a passage its context."""
    return f"{article.title}\n{chunk_text}"


def ingest(
    paths: Iterable[Path],
    store: ChunkStore,
    embedder: MiniLMEmbedder,
    chunk_tokens: int,
    chunk_overlap: int,
    prune: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    files, passed_over = expand(paths)
    report = IngestReport(results=list(passed_over))
    for result in passed_over:
        log.warning("skipped %s: %s", result.path, result.reason)
    indexed = store.articles()
    by_path = {a.path: a for a in indexed.values()}
    to_add: list[tuple[Article, str | None]] = []
    ids_in_batch: dict[str, str] = {}
    for file in files:
        try:
            article = build_article(file, chunk_tokens, chunk_overlap)
        except UnreadableFileError as exc:
            log.warning("skipped %s: %s", file, exc)
            report.results.append(FileResult(str(file), "skipped", str(exc)))
            continue
        previous = by_path.get(str(file))
        if previous is not None and previous.doc_id == article.doc_id:
            report.results.append(FileResult(str(file), "unchanged", doc_id=article.doc_id))
            continue
        twin = indexed.get(article.doc_id)
        twin_path = twin.path if twin is not None else ids_in_batch.get(article.doc_id)
        if twin_path is not None and twin_path != str(file):
            reason = f"same text as {twin_path}, already indexed"
            report.results.append(FileResult(str(file), "skipped", reason, article.doc_id))
            continue
        ids_in_batch[article.doc_id] = str(file)
        to_add.append((article, previous.doc_id if previous else None))
    _embed_and_store(to_add, store, embedder, report, progress)
    if prune:
        for stored in indexed.values():
            if not Path(stored.path).exists():
                store.delete_article(stored.doc_id)
                report.results.append(FileResult(stored.path, "removed", doc_id=stored.doc_id))
    return report


def _embed_and_store(
    to_add: list[tuple[Article, str | None]],
    store: ChunkStore,
    embedder: MiniLMEmbedder,
    report: IngestReport,
    progress: Progress | None,
    batch_chunks: int = 256,
) -> None:
    """Embed every new chunk in one length-sorted pass, then write them in bulk.

    Sorting all chunks by length, not each article's, keeps padding (the main
    waste of a batched encoder) lowest; one bulk write avoids Chroma's
    per-call overhead.
    """
    texts = [embedding_text(article, chunk.text) for article, _ in to_add for chunk in article.chunks]
    order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for start in range(0, len(order), batch_chunks):
        batch = order[start : start + batch_chunks]
        vectors[batch] = embedder.embed([texts[k] for k in batch])
        if progress is not None:
            progress(min(start + batch_chunks, len(order)), len(order))
    batches = []
    offset = 0
    for article, replaced in to_add:
        if replaced is not None:
            store.delete_article(replaced)
        batches.append((article, vectors[offset : offset + len(article.chunks)]))
        offset += len(article.chunks)
        outcome: FileOutcome = "updated" if replaced is not None else "added"
        report.results.append(FileResult(str(article.path), outcome, doc_id=article.doc_id))
    store.add(batches)
