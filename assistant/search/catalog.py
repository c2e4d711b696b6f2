"""What this machine knows is in the store: the complete articles (what questions may see),
the ingest journal that lets a killed run be repaired, and how far the store's change log
has been read.

One SQLite file in WAL mode: many processes read it while one ingest writes, and a reader
sees an article only once its row is committed. Nothing here is read in full on open or on
a question; every lookup is by key (the chunks' terms are in the lexical index, tantivy).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import StoreUnavailableError

SCHEMA_VERSION = 1
_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS articles (
        doc_id TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        title TEXT NOT NULL,
        outlet TEXT,
        published TEXT,
        chunks INTEGER NOT NULL,
        weekdays INTEGER NOT NULL DEFAULT 0,
        story TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS articles_by_path ON articles(path)",
    "CREATE INDEX IF NOT EXISTS articles_by_date ON articles(published, title)",
    "CREATE TABLE IF NOT EXISTS pending (doc_id TEXT PRIMARY KEY, replaces TEXT)",
    # The articles ingests have read by this version's title, outlet and date rules, in an index
    # read by older ones (`note_read`): a notice of older rules counts them over several runs.
    "CREATE TABLE IF NOT EXISTS reread (doc_id TEXT PRIMARY KEY, rules TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS doomed (doc_id TEXT PRIMARY KEY)",
    # How each article's file was when it was read (loading.fingerprint: its bytes and the code
    # that read it), bound to the article's listing then (_as_listed): a file found so again, its
    # article listed so still, is unchanged without being read again. Gone with the article's row
    # (_delete); a listing an older version rewrote no longer matches, and its file is read anew.
    "CREATE TABLE IF NOT EXISTS readings (doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, fingerprint TEXT NOT NULL)",
    # How many articles and chunks: kept by triggers in the transaction that changes them, so a
    # question reads two numbers instead of counting a million rows after every commit.
    """CREATE TABLE IF NOT EXISTS totals (
        id INTEGER PRIMARY KEY CHECK (id = 0), articles INTEGER NOT NULL, chunks INTEGER NOT NULL
    )""",
    "INSERT OR IGNORE INTO totals SELECT 0, count(*), coalesce(sum(chunks), 0) FROM articles",
    """CREATE TRIGGER IF NOT EXISTS totals_insert AFTER INSERT ON articles BEGIN
        UPDATE totals SET articles = articles + 1, chunks = chunks + NEW.chunks WHERE id = 0;
    END""",
    """CREATE TRIGGER IF NOT EXISTS totals_delete AFTER DELETE ON articles BEGIN
        UPDATE totals SET articles = articles - 1, chunks = chunks - OLD.chunks WHERE id = 0;
    END""",
    """CREATE TRIGGER IF NOT EXISTS totals_update AFTER UPDATE OF chunks ON articles BEGIN
        UPDATE totals SET chunks = chunks - OLD.chunks + NEW.chunks WHERE id = 0;
    END""",
]
# The outlets and how many articles each has, kept the same way: a question that names one
# (assistant/search/outlets.py) reads a few rows, not every article. A catalog written before
# this table existed is counted once, when it is first opened with it.
_OUTLETS = [
    "CREATE TABLE outlets (outlet TEXT PRIMARY KEY, articles INTEGER NOT NULL)",
    "INSERT INTO outlets SELECT outlet, count(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet",
    """CREATE TRIGGER outlets_insert AFTER INSERT ON articles WHEN NEW.outlet IS NOT NULL BEGIN
        INSERT INTO outlets VALUES (NEW.outlet, 1)
            ON CONFLICT (outlet) DO UPDATE SET articles = articles + 1;
    END""",
    """CREATE TRIGGER outlets_delete AFTER DELETE ON articles WHEN OLD.outlet IS NOT NULL BEGIN
        UPDATE outlets SET articles = articles - 1 WHERE outlet = OLD.outlet;
        DELETE FROM outlets WHERE outlet = OLD.outlet AND articles <= 0;
    END""",
]

# An article row's columns, in CatalogArticle's order.
_COLUMNS = "doc_id, path, title, outlet, published, chunks, weekdays, story"


@dataclass(frozen=True)
class CatalogArticle:
    doc_id: str
    path: str
    title: str
    outlet: str | None
    published: str | None
    chunks: int
    weekdays: int = 0  # bit d set: the article names weekday d (Monday = 0)
    story: str | None = None  # documents.story_id: the same for the same outlet's story in any file


class Catalog:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._local = threading.local()
            with self._write() as db:  # one transaction: a catalog is created whole, or not
                for statement in _SCHEMA:
                    db.execute(statement)
                if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'outlets'").fetchone():
                    for statement in _OUTLETS:
                        db.execute(statement)
                # A catalog written before stories were kept: its articles' stories are unknown
                # (NULL), so only pages ingested from now on are matched by story.
                columns = {str(row[1]) for row in db.execute("PRAGMA table_info(articles)")}
                if "story" not in columns:
                    db.execute("ALTER TABLE articles ADD COLUMN story TEXT")
                db.execute("CREATE INDEX IF NOT EXISTS articles_by_story ON articles(story)")
                db.execute(
                    "INSERT OR IGNORE INTO state VALUES ('schema', ?), ('origin', ?)",
                    (str(SCHEMA_VERSION), uuid.uuid4().hex),
                )
        except sqlite3.Error as exc:
            raise StoreUnavailableError(f"cannot open the article catalog {path}: {exc}") from exc
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
            f"SELECT {_COLUMNS} FROM articles WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        return CatalogArticle(*row) if row else None

    def with_story(self, story: str) -> list[CatalogArticle]:
        """The articles that hold this story (`CatalogArticle.story`): one, or none; more only
        when the file that held it went and was not pruned before a copy was read."""
        rows = self._db().execute(
            f"SELECT {_COLUMNS} FROM articles "
            "WHERE story = ? ORDER BY doc_id",
            (story,),
        )
        return [CatalogArticle(*row) for row in rows]

    def articles_at(self, path: str) -> list[CatalogArticle]:
        rows = self._db().execute(
            f"SELECT {_COLUMNS} FROM articles WHERE path = ?",
            (path,),
        )
        return [CatalogArticle(*row) for row in rows]

    def articles(self, offset: int = 0, limit: int | None = None) -> list[CatalogArticle]:
        """A page of the articles, by published date then title."""
        rows = self._db().execute(
            f"SELECT {_COLUMNS} FROM articles "
            "ORDER BY coalesce(published, ''), title, doc_id LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        )
        return [CatalogArticle(*row) for row in rows]

    def articles_under(self, folder: str) -> list[CatalogArticle]:
        """The articles whose files are in `folder` (an absolute path), at any depth: a range of
        the path index, not a read of every article."""
        below = folder.rstrip(os.sep) + os.sep
        rows = self._db().execute(
            f"SELECT {_COLUMNS} FROM articles WHERE path >= ? AND path < ? ORDER BY path",
            (below, below[:-1] + chr(ord(os.sep) + 1)),
        )
        return [CatalogArticle(*row) for row in rows]

    def paths(self) -> dict[str, str]:
        """Path -> doc id of every article (what an ingest compares the files against)."""
        return {str(p): str(d) for d, p in self._db().execute("SELECT doc_id, path FROM articles")}

    def shared_paths(self) -> set[str]:
        """The paths more than one article is listed at (a run killed after a file moved over
        another's, before the other was removed)."""
        rows = self._db().execute("SELECT path FROM articles GROUP BY path HAVING count(*) > 1")
        return {str(p) for (p,) in rows}

    def _counts(self) -> tuple[int, int]:
        """(articles, chunks), kept by the catalog's triggers."""
        row = self._db().execute("SELECT articles, chunks FROM totals WHERE id = 0").fetchone()
        return int(row[0]), int(row[1])

    def article_count(self) -> int:
        return self._counts()[0]

    def chunk_count(self) -> int:
        return self._counts()[1]

    def outlets(self) -> list[str]:
        """Every outlet some article is from."""
        return [str(r[0]) for r in self._db().execute("SELECT outlet FROM outlets ORDER BY outlet")]

    def is_empty(self) -> bool:
        return self._db().execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None

    def note_read(self, doc_ids: Iterable[str], rules: str) -> int:
        """Record that these articles were read by the rules `rules` (records of other rules
        go); how many articles the catalog lists that no ingest has read by them yet."""
        with self._write() as db:
            db.execute("DELETE FROM reread WHERE rules != ?", (rules,))
            db.executemany("INSERT OR IGNORE INTO reread VALUES (?, ?)", [(d, rules) for d in set(doc_ids)])
        row = self._db().execute("SELECT count(*) FROM articles WHERE doc_id NOT IN (SELECT doc_id FROM reread)")
        return int(row.fetchone()[0])

    def forget_read(self) -> None:
        """The index records its rules: no article is left to count."""
        with self._write() as db:
            db.execute("DELETE FROM reread")

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

    def undated(self, outlet: str | None = None) -> int:
        """How many articles (of `outlet`) state no publication day: a range of days reads none of them."""
        of_outlet, given = ("", ()) if outlet is None else (" AND outlet = ?", (outlet,))
        return int(self._db().execute(f"SELECT count(*) FROM articles WHERE published IS NULL{of_outlet}", given).fetchone()[0])

    def published_around(
        self, first: str, last: str, until: str, outlet: str | None = None, since: str | None = None
    ) -> tuple[str | None, str | None]:
        """The publication days (ISO) nearest a span of days that holds no article: the latest
        before `first`, and the earliest after `last` up to `until`; None where there is none.
        With `outlet` and `since`, of that outlet's articles published on `since` or later only."""
        db = self._db()
        of_outlet, given = ("", ()) if outlet is None else (" AND outlet = ?", (outlet,))
        before = db.execute(
            f"SELECT max(published) FROM articles WHERE published < ? AND published >= ?{of_outlet}",
            (first, since or "", *given),
        ).fetchone()[0]
        after = db.execute(
            f"SELECT min(published) FROM articles WHERE published > ? AND published <= ? AND published >= ?{of_outlet}",
            (last, until, since or "", *given),
        ).fetchone()[0]
        return before, after

    def put(
        self,
        articles: Sequence[CatalogArticle],
        removed: Iterable[str] = (),
        done_pending: Iterable[str] = (),
        doomed: Iterable[str] = (),
        change: str | None = None,
        readings: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        """Add (or replace) complete articles and remove others, in one transaction; with
        `change`, the "last_change" mark other processes watch is set in it too, so that no
        article is listed that they are not told of. `readings`: (doc id, path, fingerprint) of
        the files the articles were read from (`note_reading`)."""
        with self._write() as db:
            if change is not None:
                db.execute("INSERT OR REPLACE INTO state VALUES ('last_change', ?)", (change,))
            for doc_id in removed:
                _delete(db, doc_id)
            for article in articles:
                _delete(db, article.doc_id)
                db.execute(
                    f"INSERT INTO articles ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.doc_id,
                        article.path,
                        article.title,
                        article.outlet,
                        article.published,
                        article.chunks,
                        article.weekdays,
                        article.story,
                    ),
                )
            db.executemany("DELETE FROM pending WHERE doc_id = ?", [(d,) for d in done_pending])
            db.executemany("INSERT OR IGNORE INTO doomed VALUES (?)", [(d,) for d in doomed])
            listed = {article.doc_id: article for article in articles}
            db.executemany(
                "INSERT OR REPLACE INTO readings VALUES (?, ?, ?)",
                [(d, p, _as_listed(f, listed[d])) for d, p, f in readings if d in listed and listed[d].path == p],
            )

    def note_reading(self, doc_id: str, path: str, fingerprint: str) -> None:
        """Record that the article `doc_id`, as listed at `path` now, was read from a file with
        this fingerprint (`loading.fingerprint`)."""
        with self._write() as db:  # this thread's connection: `article` reads in the transaction
            article = self.article(doc_id)
            if article is not None and article.path == path:
                db.execute("INSERT OR REPLACE INTO readings VALUES (?, ?, ?)", (doc_id, path, _as_listed(fingerprint, article)))

    def read_as(self, doc_id: str, path: str, fingerprint: str) -> bool:
        """Whether the article `doc_id`, listed at `path`, was read from a file with this
        fingerprint and is listed as that reading listed it: the same bytes read by the same
        code, so the same reading. An article another version rewrote since (a process of an
        older version on the same index, which knows no fingerprints) is listed otherwise."""
        row = self._db().execute("SELECT path, fingerprint FROM readings WHERE doc_id = ?", (doc_id,)).fetchone()
        article = self.article(doc_id)
        if row is None or article is None or not row[0] == article.path == path:
            return False
        return str(row[1]) == _as_listed(fingerprint, article)

    def move(self, doc_id: str, path: str) -> None:
        with self._write() as db:
            db.execute("UPDATE articles SET path = ? WHERE doc_id = ?", (path, doc_id))
            db.execute("DELETE FROM readings WHERE doc_id = ?", (doc_id,))

    def remove(self, doc_ids: Iterable[str]) -> None:
        with self._write() as db:
            for doc_id in doc_ids:
                _delete(db, doc_id)

    def clear(self) -> None:
        """Forget every article before a fill from the store; the ingest journal stays, for the
        next ingest to repair what a killed one left in the store."""
        with self._write() as db:
            db.execute("DELETE FROM articles")
            db.execute("DELETE FROM readings")
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


def _as_listed(fingerprint: str, article: CatalogArticle) -> str:
    """A file's fingerprint bound to the catalog's listing of the article read from it."""
    listing = repr((article.title, article.outlet, article.published, article.chunks, article.weekdays, article.story))
    return hashlib.blake2b(f"{fingerprint}\0{listing}".encode(), digest_size=16).hexdigest()


def _delete(db: sqlite3.Connection, doc_id: str) -> None:
    db.execute("DELETE FROM articles WHERE doc_id = ?", (doc_id,))
    db.execute("DELETE FROM readings WHERE doc_id = ?", (doc_id,))


def weekday_mask(days: Iterable[int]) -> int:
    mask = 0
    for day in days:
        mask |= 1 << day
    return mask

