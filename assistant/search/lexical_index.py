"""The lexical index on disk: BM25 over the chunks' stems, in tantivy.

Chosen by measurement over SQLite FTS5 (benchmarks/README.md, "The lexical index"): the same
BM25 ranking, but tantivy finds the top hits without scoring every chunk that shares a word
with the question (block-max WAND), so a query stays under a millisecond at 100k chunks where
FTS5 took 28-43 ms and grew with the corpus. Its commits are atomic; many processes read an
index while one writes it.

Each chunk is one document: its id, its article's id (to delete an article's chunks), its
stems as the answer step makes them (`lexical.content_terms`, space-separated), and the
article's outlet (exactly as written, as the Chroma store's filter compares it) and day of
publication for filters. Nothing is stored that the Chroma store already holds.

A deleted chunk stays in its segment, marked deleted, until tantivy merges that segment with
others (its merge policy decides when; the Python binding offers no way to ask for a merge), and
tantivy's `doc_freq` still counts it while `num_docs` does not: after removals a term's count
could exceed the number of chunks, and its IDF turn negative. Where the two differ, the count of
live chunks holding a term is counted (`_live_frequency`). tantivy's own BM25, which ranks the
hits, takes both its N and its n with the deleted chunks (N >= n, so its IDF stays positive):
weights slightly stale until a merge, as in Lucene, and the same for every chunk of a query.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
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
        self._seen_commit = self._last_commit()

    def reload(self) -> None:
        """See what was committed since (by this process or another)."""
        self._index.reload()
        self._seen_commit = self._last_commit()

    def refresh(self) -> bool:
        """See another process's commit now, not when tantivy's watcher next polls for it (a
        question asked right after a terminal ingest read the index without its articles, and
        refused: "No article uses the words Kapexpextus, dam or open"); True when there was a
        commit since the last look. One stat of the index's meta file."""
        if self._last_commit() == self._seen_commit:
            return False
        self.reload()
        return True

    def _last_commit(self) -> tuple[int, int, int] | None:
        try:
            meta = (self.folder / "meta.json").stat()
        except OSError:
            return None
        return meta.st_ino, meta.st_mtime_ns, meta.st_size

    def count(self) -> int:
        return int(self._index.searcher().num_docs)

    def document_frequency(self, term: str) -> int:
        """Live chunks whose text, or whose outlet's name, holds `term` (the larger of the two:
        an outlet's name counts as a word of its chunks for the answer step, not for ranking)."""
        searcher = self._index.searcher()
        return max(self._live_frequency(searcher, "terms", term), self._live_frequency(searcher, "outlet_terms", term))

    def _live_frequency(self, searcher: tantivy.Searcher, field: str, term: str) -> int:
        """Live chunks holding `term` in `field`. tantivy's `doc_freq` counts deleted chunks too
        (module docstring): it is only an upper bound, exact when nothing holding the term was
        deleted. A term it finds nowhere costs nothing more; any other is counted by a query,
        which skips deleted chunks: at a million chunks 0.14-0.16 ms a term at p50 and 0.6-0.75
        at p95, against 0.002 for `doc_freq` (the answer step keeps what it looked up)."""
        stale = int(searcher.doc_freq(field, term))
        if stale == 0:
            return 0
        query = tantivy.Query.term_query(self._schema, field, term)
        counted = searcher.search(query, 1, count=True).count  # type: ignore[attr-defined]  # not in its stub
        return min(stale, int(counted or 0))

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
                            outlet=chunk.outlet,
                            outlet_terms=" ".join(content_terms(chunk.outlet)),
                            published_day=chunk.published_day,
                        )
                    )
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
        self.reload()

    def remove(self, doc_ids: Iterable[str]) -> None:
        self.write([], removed=doc_ids)

    def clear(self) -> None:
        with self._lock, self._session() as writer:
            writer.delete_all_documents()
            writer.commit()
        self.reload()

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
        exclude: Collection[str] = (),
    ) -> list[LexicalHit]:
        """The `limit` chunks best matching any of `terms` by BM25, among those of that outlet
        published in that range of days (inclusive; a chunk without a date is outside any).

        Terms found in more than `max_share` of all chunks are left out while rarer ones
        remain (stop words by frequency): their weight is near zero, yet each chunk holding
        one would count as a hit and take a place that a passage found by meaning deserves.

        `outlet` is compared exactly, as the Chroma store compares it (the caller has resolved
        a user's spelling to the catalog's). Chunks of the articles `exclude` are left out
        before the top `limit` are chosen, so that `limit` others take their places."""
        if limit < 1:
            return []
        searcher = self._index.searcher()
        total = max(int(searcher.num_docs), 1)
        stale = {t: int(searcher.doc_freq("terms", t)) for t in dict.fromkeys(terms) if t}
        present = [t for t, df in stale.items() if df > 0]
        # `doc_freq` counts deleted chunks too: a term under the share by it is under it; one
        # over it is counted among the live chunks before it is left out.
        unique = [
            t
            for t in present
            if stale[t] <= max_share * total or self._live_frequency(searcher, "terms", t) <= max_share * total
        ] or present
        if not unique:
            return []
        words = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self._schema, "terms", t)) for t in unique]
        )
        clauses = [(tantivy.Occur.Must, words)]
        if outlet:
            named = tantivy.Query.term_query(self._schema, "outlet", outlet)
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(named, 0.0)))
        if exclude:
            left_out = tantivy.Query.term_set_query(self._schema, "doc_id", sorted(set(exclude)))
            clauses.append((tantivy.Occur.MustNot, left_out))
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
        # Both count live chunks; another process's commit between the two reads could still
        # leave a term in more chunks than the count read first, and its IDF below zero.
        return bm25_idf(min(self._frequency(term), self._count), self._count)
