"""What this machine knows is in the store: complete articles, their chunks' terms in an
SQLite FTS5 index (the lexical retriever and the IDF of the answer step), the ingest journal
that lets a killed run be repaired, and how far the store's change log has been read.

One SQLite file in WAL mode: many processes read it while one ingest writes, and a reader
sees an article only once its whole row set is committed. Nothing here is read in full on
open or on a question; every lookup is by key or through the FTS5 index.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import StoreUnavailableError
from assistant.search.lexical import bm25_idf

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    doc_id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    outlet TEXT,
    published TEXT,
    chunks INTEGER NOT NULL,
    weekdays INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS articles_by_path ON articles(path);
CREATE INDEX IF NOT EXISTS articles_by_date ON articles(published, title);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL,
    terms TEXT NOT NULL,
    outlet_terms TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5(
    terms, outlet_terms, content='chunks', content_rowid='id',
    tokenize="unicode61 remove_diacritics 0 tokenchars '_'"
);
CREATE VIRTUAL TABLE IF NOT EXISTS term_counts USING fts5vocab(chunk_terms, 'row');
CREATE TABLE IF NOT EXISTS pending (doc_id TEXT PRIMARY KEY, replaces TEXT);
CREATE TABLE IF NOT EXISTS doomed (doc_id TEXT PRIMARY KEY);
"""


@dataclass(frozen=True)
class CatalogArticle:
    doc_id: str
    path: str
    title: str
    outlet: str | None
    published: str | None
    chunks: int
    weekdays: int = 0  # bit d set: the article names weekday d (Monday = 0)


@dataclass(frozen=True)
class ChunkTerms:
    """One chunk as the lexical index holds it: stems separated by spaces."""

    chunk_id: str
    terms: str
    outlet_terms: str = ""


@dataclass(frozen=True)
class LexicalHit:
    chunk_id: str
    doc_id: str
    score: float  # BM25, higher is better


class Catalog:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._local = threading.local()
            self._db().executescript(_SCHEMA)
            with self._write() as db:
                db.execute(
                    "INSERT OR IGNORE INTO state VALUES ('schema', ?), ('origin', ?)",
                    (str(SCHEMA_VERSION), uuid.uuid4().hex),
                )
        except sqlite3.Error as exc:
            raise StoreUnavailableError(f"cannot open the lexical index {path}: {exc}") from exc
        self.origin = self.get_state("origin") or ""

    # --- connections -------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        """This thread's connection (SQLite connections are not shared between threads)."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=60000")
            self._local.db = db
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of it is visible to readers, or none."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        self._local.writes = getattr(self._local, "writes", 0) + 1  # this thread's own commits

    def data_version(self) -> int:
        """Changes whenever another connection (another process) commits."""
        return int(self._db().execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # --- state -------------------------------------------------------------------------
    def get_state(self, key: str) -> str | None:
        row = self._db().execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_state(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (key, value))

    # --- articles ----------------------------------------------------------------------
    def article(self, doc_id: str) -> CatalogArticle | None:
        row = self._db().execute(
            "SELECT doc_id, path, title, outlet, published, chunks, weekdays FROM articles WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        return CatalogArticle(*row) if row else None

    def articles_at(self, path: str) -> list[CatalogArticle]:
        rows = self._db().execute(
            "SELECT doc_id, path, title, outlet, published, chunks, weekdays FROM articles WHERE path = ?",
            (path,),
        )
        return [CatalogArticle(*row) for row in rows]

    def articles(self, offset: int = 0, limit: int | None = None) -> list[CatalogArticle]:
        """A page of the articles, by published date then title."""
        rows = self._db().execute(
            "SELECT doc_id, path, title, outlet, published, chunks, weekdays FROM articles "
            "ORDER BY coalesce(published, ''), title, doc_id LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        )
        return [CatalogArticle(*row) for row in rows]

    def paths(self) -> dict[str, str]:
        """Path -> doc id of every article (what an ingest compares the files against)."""
        return {str(p): str(d) for d, p in self._db().execute("SELECT doc_id, path FROM articles")}

    def _counts(self) -> tuple[int, int]:
        """(articles, chunks), counted again only after a commit (counting a million rows
        takes tens of milliseconds; a question needs the numbers every time)."""
        version = (self.data_version(), getattr(self._local, "writes", 0))
        cached = getattr(self._local, "counts", None)
        if cached is None or cached[0] != version:
            db = self._db()
            articles = int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
            chunks = int(db.execute("SELECT count(*) FROM chunks").fetchone()[0])
            cached = self._local.counts = (version, (articles, chunks))
        return cached[1]  # type: ignore[no-any-return]

    def article_count(self) -> int:
        return self._counts()[0]

    def is_empty(self) -> bool:
        return self._db().execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None

    def known(self, doc_ids: Iterable[str]) -> set[str]:
        """Those of `doc_ids` that are complete articles here."""
        wanted = list(dict.fromkeys(doc_ids))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            marks = ",".join("?" * len(part))
            found.update(
                str(r[0])
                for r in self._db().execute(f"SELECT doc_id FROM articles WHERE doc_id IN ({marks})", part)
            )
        return found

    def weekdays(self, doc_id: str) -> frozenset[int]:
        row = self._db().execute("SELECT weekdays FROM articles WHERE doc_id = ?", (doc_id,)).fetchone()
        mask = int(row[0]) if row else 0
        return frozenset(d for d in range(7) if mask & (1 << d))

    def put(
        self,
        articles: Sequence[tuple[CatalogArticle, Sequence[ChunkTerms]]],
        removed: Iterable[str] = (),
        done_pending: Iterable[str] = (),
        doomed: Iterable[str] = (),
    ) -> None:
        """Add (or replace) complete articles and remove others, in one transaction."""
        with self._write() as db:
            for doc_id in removed:
                _delete(db, doc_id)
            for article, chunks in articles:
                _delete(db, article.doc_id)
                db.execute(
                    "INSERT INTO articles (doc_id, path, title, outlet, published, chunks, weekdays) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.doc_id,
                        article.path,
                        article.title,
                        article.outlet,
                        article.published,
                        article.chunks,
                        article.weekdays,
                    ),
                )
                for chunk in chunks:
                    cursor = db.execute(
                        "INSERT INTO chunks (chunk_id, doc_id, terms, outlet_terms) VALUES (?, ?, ?, ?)",
                        (chunk.chunk_id, article.doc_id, chunk.terms, chunk.outlet_terms),
                    )
                    db.execute(
                        "INSERT INTO chunk_terms (rowid, terms, outlet_terms) VALUES (?, ?, ?)",
                        (cursor.lastrowid, chunk.terms, chunk.outlet_terms),
                    )
            db.executemany("DELETE FROM pending WHERE doc_id = ?", [(d,) for d in done_pending])
            db.executemany("INSERT OR IGNORE INTO doomed VALUES (?)", [(d,) for d in doomed])

    def move(self, doc_id: str, path: str) -> None:
        with self._write() as db:
            db.execute("UPDATE articles SET path = ? WHERE doc_id = ?", (path, doc_id))

    def remove(self, doc_ids: Iterable[str]) -> None:
        with self._write() as db:
            for doc_id in doc_ids:
                _delete(db, doc_id)

    def clear(self) -> None:
        with self._write() as db:
            db.execute("DELETE FROM articles")
            db.execute("DELETE FROM chunks")
            db.execute("INSERT INTO chunk_terms(chunk_terms) VALUES ('delete-all')")
            db.execute("DELETE FROM pending")
            db.execute("DELETE FROM doomed")
            db.execute("DELETE FROM state WHERE key NOT IN ('schema', 'origin')")

    # --- the ingest journal ----------------------------------------------------------------
    def begin(self, entries: Iterable[tuple[str, str | None]]) -> None:
        """Note articles about to be written to the store, before the first chunk is."""
        with self._write() as db:
            db.executemany("INSERT OR REPLACE INTO pending VALUES (?, ?)", list(entries))

    def pending(self) -> list[tuple[str, str | None]]:
        return [(str(d), r) for d, r in self._db().execute("SELECT doc_id, replaces FROM pending")]

    def doomed(self) -> list[str]:
        return [str(r[0]) for r in self._db().execute("SELECT doc_id FROM doomed")]

    def forget_journal(self, doc_ids: Iterable[str]) -> None:
        with self._write() as db:
            for doc_id in doc_ids:
                db.execute("DELETE FROM pending WHERE doc_id = ?", (doc_id,))
                db.execute("DELETE FROM doomed WHERE doc_id = ?", (doc_id,))

    # --- the lexical index -----------------------------------------------------------------
    def chunk_count(self) -> int:
        return self._counts()[1]

    def document_frequency(self, term: str) -> int:
        """Chunks that hold `term`; remembered until the index changes (a common term's
        count reads its whole posting list)."""
        version = (self.data_version(), getattr(self._local, "writes", 0))
        cache: tuple[tuple[int, int], dict[str, int]] | None = getattr(self._local, "frequencies", None)
        if cache is None or cache[0] != version or len(cache[1]) > 200_000:
            cache = self._local.frequencies = (version, {})
        frequencies = cache[1]
        found = frequencies.get(term)
        if found is None:
            row = self._db().execute("SELECT doc FROM term_counts WHERE term = ?", (term,)).fetchone()
            found = frequencies[term] = int(row[0]) if row else 0
        return found

    def search(
        self,
        terms: Sequence[str],
        limit: int,
        outlet: str | None = None,
        published_from: str | None = None,
        published_to: str | None = None,
        max_share: float = 0.2,
    ) -> list[LexicalHit]:
        """The `limit` chunks best matching any of `terms` by BM25, among the articles of that
        outlet published in that range (ISO dates, inclusive; an article without a date is
        outside any range). Outlet terms weigh nothing here: they only count for IDF. Terms
        found in more than `max_share` of all chunks are left out while rarer ones remain:
        their weight is near zero and they would make the query read most of the index."""
        unique = [t for t in dict.fromkeys(terms) if t and '"' not in t]
        if not unique:
            return []
        total = max(self.chunk_count(), 1)
        frequencies = {t: self.document_frequency(t) for t in unique}
        present = [t for t in unique if frequencies[t] > 0]
        chosen = [t for t in present if frequencies[t] <= max_share * total] or present
        if not chosen:
            return []
        match = "terms : (" + " OR ".join(f'"{t}"' for t in chosen) + ")"
        sql = (
            "SELECT c.chunk_id, c.doc_id, bm25(chunk_terms, 1.0, 0.0) AS s FROM chunk_terms "
            "JOIN chunks c ON c.id = chunk_terms.rowid"
        )
        clauses, params = ["chunk_terms MATCH ?"], [match]
        if outlet or published_from or published_to:
            sql += " JOIN articles a ON a.doc_id = c.doc_id"
            if outlet:
                clauses.append("lower(a.outlet) = lower(?)")
                params.append(outlet)
            if published_from:
                clauses.append("a.published >= ?")
                params.append(published_from)
            if published_to:
                clauses.append("a.published <= ?")
                params.append(published_to)
        sql += " WHERE " + " AND ".join(clauses) + " ORDER BY s LIMIT ?"
        rows = self._db().execute(sql, [*params, limit])
        return [LexicalHit(str(c), str(d), -float(s)) for c, d, s in rows]


def _delete(db: sqlite3.Connection, doc_id: str) -> None:
    rows = db.execute("SELECT id, terms, outlet_terms FROM chunks WHERE doc_id = ?", (doc_id,)).fetchall()
    db.executemany(
        "INSERT INTO chunk_terms (chunk_terms, rowid, terms, outlet_terms) VALUES ('delete', ?, ?, ?)", rows
    )
    db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
    db.execute("DELETE FROM articles WHERE doc_id = ?", (doc_id,))


class CatalogVocabulary:
    """The answer step's IDF weights from the lexical index's own document frequencies:
    one indexed lookup per term, cached until the index changes."""

    def __init__(self, catalog: Catalog, cache_size: int = 100_000) -> None:
        self._catalog = catalog
        self._cache: dict[str, int] = {}
        self._count: int | None = None
        self._cache_size = cache_size

    def invalidate(self, catalog: Catalog | None = None) -> None:
        if catalog is not None:
            self._catalog = catalog
        self._cache = {}
        self._count = None

    def _frequency(self, term: str) -> int:
        found = self._cache.get(term)
        if found is None:
            if len(self._cache) >= self._cache_size:
                self._cache = {}
            found = self._cache[term] = self._catalog.document_frequency(term)
        return found

    def seen(self, term: str) -> bool:
        return self._frequency(term) > 0

    def idf(self, term: str) -> float:
        if self._count is None:
            self._count = self._catalog.chunk_count()
        return bm25_idf(self._frequency(term), self._count)


def weekday_mask(days: Iterable[int]) -> int:
    mask = 0
    for day in days:
        mask |= 1 << day
    return mask

