"""The lexical index on disk: BM25 over the chunks' stems, in tantivy.

Chosen by measurement over SQLite FTS5 (benchmarks/README.md, "The lexical index"): the same
BM25 ranking, but tantivy finds the top hits without scoring every chunk that shares a word
with the question (block-max WAND), so a query stays under a millisecond at 100k chunks where
FTS5 took 28-43 ms and grew with the corpus. Its commits are atomic; many processes read an
index while one writes it.

Each chunk is one document: its id, its article's id (to delete an article's chunks), its
stems as the answer step makes them (`lexical.content_terms`, space-separated), and the
article's outlet and day of publication for filters. Nothing is stored that the Chroma store
already holds.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import tantivy

from assistant.errors import StoreUnavailableError
from assistant.search.lexical import bm25_idf, content_terms

WRITER_HEAP = 64_000_000
MAX_SHARE = 0.2  # a term in more chunks than this is too common to search by


@dataclass(frozen=True)
class LexicalChunk:
    chunk_id: str
    doc_id: str
    terms: str  # stems separated by spaces
    outlet: str = ""
    published_day: int = 0  # yyyymmdd; 0: no date


@dataclass(frozen=True)
class LexicalHit:
    chunk_id: str
    doc_id: str
    score: float  # BM25, higher is better


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("chunk_id", stored=True, tokenizer_name="raw")
    builder.add_text_field("doc_id", stored=True, tokenizer_name="raw")
    builder.add_text_field("terms", stored=False, tokenizer_name="whitespace")
    builder.add_text_field("outlet", stored=False, tokenizer_name="raw")
    builder.add_text_field("outlet_terms", stored=False, tokenizer_name="whitespace")
    builder.add_integer_field("published_day", stored=False, indexed=True, fast=True)
    return builder.build()


class LexicalIndex:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._schema = _schema()
        self._lock = threading.Lock()
        self._writer: tantivy.IndexWriter | None = None  # kept open during a `writing()` session
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._index = tantivy.Index(self._schema, path=str(folder), reuse=True)
        except (OSError, ValueError) as exc:
            raise StoreUnavailableError(f"cannot open the lexical index {folder}: {exc}") from exc

    def reload(self) -> None:
        """See what was committed since (by this process or another)."""
        self._index.reload()

    def count(self) -> int:
        return int(self._index.searcher().num_docs)

    def document_frequency(self, term: str) -> int:
        """Chunks whose text, or whose outlet's name, holds `term` (the larger of the two: an
        outlet's name counts as a word of its chunks for the answer step, not for ranking)."""
        searcher = self._index.searcher()
        return max(int(searcher.doc_freq("terms", term)), int(searcher.doc_freq("outlet_terms", term)))

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Keep one writer open for the writes of a session (an ingest): each write is still
        its own commit, but the writer is not re-created and its merges are waited for once,
        at the end. Only one process writes at a time (the caller holds the ingest lock)."""
        with self._lock:
            self._writer = self._index.writer(heap_size=WRITER_HEAP, num_threads=1)
        try:
            yield
        finally:
            with self._lock:
                writer, self._writer = self._writer, None
                writer.wait_merging_threads()

    @property
    def in_session(self) -> bool:
        """Whether this process holds a `writing()` session (an ingest) now."""
        return self._writer is not None

    def write(self, chunks: Sequence[LexicalChunk], removed: Iterable[str] = ()) -> None:
        """Replace the chunks of these articles and remove those of `removed`, in one commit."""
        with self._lock, self._session() as writer:
            try:
                for doc_id in dict.fromkeys([*removed, *(c.doc_id for c in chunks)]):
                    writer.delete_documents_by_term("doc_id", doc_id)
                for chunk in chunks:
                    writer.add_document(
                        tantivy.Document(
                            chunk_id=chunk.chunk_id,
                            doc_id=chunk.doc_id,
                            terms=chunk.terms,
                            outlet=chunk.outlet.casefold(),
                            outlet_terms=" ".join(content_terms(chunk.outlet)),
                            published_day=chunk.published_day,
                        )
                    )
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
        self._index.reload()

    def remove(self, doc_ids: Iterable[str]) -> None:
        self.write([], removed=doc_ids)

    def clear(self) -> None:
        with self._lock, self._session() as writer:
            writer.delete_all_documents()
            writer.commit()
        self._index.reload()

    @contextmanager
    def _session(self) -> Iterator[tantivy.IndexWriter]:
        """The open session's writer, or one for this write alone (closed after its merges)."""
        if self._writer is not None:
            yield self._writer
            return
        writer = self._index.writer(heap_size=WRITER_HEAP, num_threads=1)
        yield writer
        writer.wait_merging_threads()

    def search(
        self,
        terms: Sequence[str],
        limit: int,
        outlet: str | None = None,
        day_from: int | None = None,
        day_to: int | None = None,
        max_share: float = MAX_SHARE,
    ) -> list[LexicalHit]:
        """The `limit` chunks best matching any of `terms` by BM25, among those of that outlet
        published in that range of days (inclusive; a chunk without a date is outside any).

        Terms found in more than `max_share` of all chunks are left out while rarer ones
        remain (stop words by frequency): their weight is near zero, yet each chunk holding
        one would count as a hit and take a place that a passage found by meaning deserves."""
        searcher = self._index.searcher()
        total = max(int(searcher.num_docs), 1)
        present = [t for t in dict.fromkeys(terms) if t and searcher.doc_freq("terms", t) > 0]
        unique = [t for t in present if searcher.doc_freq("terms", t) <= max_share * total] or present
        if not unique or limit < 1:
            return []
        words = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self._schema, "terms", t)) for t in unique]
        )
        clauses = [(tantivy.Occur.Must, words)]
        if outlet:
            named = tantivy.Query.term_query(self._schema, "outlet", outlet.casefold())
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(named, 0.0)))
        if day_from is not None or day_to is not None:
            dated = tantivy.Query.range_query(
                self._schema,
                "published_day",
                tantivy.FieldType.Integer,
                lower_bound=day_from if day_from is not None else 1,
                upper_bound=day_to if day_to is not None else 99_991_231,
            )
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(dated, 0.0)))
        query = tantivy.Query.boolean_query(clauses) if len(clauses) > 1 else words
        hits = []
        for score, address in searcher.search(query, limit).hits:
            doc = searcher.doc(address)
            hits.append(LexicalHit(str(doc["chunk_id"][0]), str(doc["doc_id"][0]), float(score)))
        return hits


def drop(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


class IndexVocabulary:
    """The answer step's IDF weights from the lexical index's own document frequencies: one
    lookup per term, remembered until the index changes."""

    def __init__(self, index: LexicalIndex, cache_size: int = 100_000) -> None:
        self._index = index
        self._cache: dict[str, int] = {}
        self._count: int | None = None
        self._cache_size = cache_size

    def invalidate(self, index: LexicalIndex | None = None) -> None:
        if index is not None:
            self._index = index
        self._cache = {}
        self._count = None

    def _frequency(self, term: str) -> int:
        found = self._cache.get(term)
        if found is None:
            if len(self._cache) >= self._cache_size:
                self._cache = {}
            found = self._cache[term] = self._index.document_frequency(term)
        return found

    def seen(self, term: str) -> bool:
        return self._frequency(term) > 0

    def idf(self, term: str) -> float:
        if self._count is None:
            self._count = self._index.count()
        return bm25_idf(self._frequency(term), self._count)
