"""The index as every process sees it: the Chroma store (shared truth) and this machine's
catalog and lexical index (derived), kept in step.

Writing an article: note it in the journal, write its chunks, log it, then commit it to the
catalog in one transaction; only then does any question see it. A replaced article leaves
the catalog in the same transaction, and its chunks leave the store afterwards. A run killed
anywhere leaves the journal saying what to undo or finish (`repair`).

Reading: before each question, `sync` checks (at most every `sync_interval_s`) whether others
changed the index. On an embedded index the catalog file is shared, and a change by another
process is seen by SQLite itself; the Chroma client is then reopened to see the new vectors.
On a Chroma server each machine reads the change log from where it stopped and applies only
those articles.
"""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.dates import weekdays_named
from assistant.errors import IngestBusyError, StoreUnavailableError, listed
from assistant.ingest.documents import Article, story_id
from assistant.ingest.loading import is_ingested
from assistant.search.catalog import Catalog, CatalogArticle, weekday_mask
from assistant.search.lexical import TERMS_VERSION, content_terms
from assistant.search.lexical_index import LexicalChunk, LexicalIndex, drop
from assistant.search.store import (
    DERIVED_FOLDER,
    ChunkStore,
    LogEntry,
    StoredChunk,
    is_index_folder,
    reopen_embedded,
)

log = logging.getLogger(__name__)
SKEW_NS = 30 * 1_000_000_000  # clocks of writers on other machines may lag this much
_THREAD_LOCKS: dict[str, threading.Lock] = {}  # ingest lock file -> this process's turn


@dataclass(frozen=True)
class Written:
    """An article stored, and the one it replaced (same path, older text), if any.

    `rewrites` is set when the text is the one already stored (same doc id) and this version
    reads it differently (another title, outlet, date or story): the earlier reading's chunk
    count, so that its chunks past the new last one go too. `fingerprint`: the file's as it was
    read (`loading.fingerprint`), listed with the article."""

    article: Article
    replaces: str | None = None
    rewrites: int = 0
    fingerprint: str | None = None


def read_anew(stored: CatalogArticle, article: Article) -> bool:
    """Whether `article`, the same text as `stored`, is now read differently: its title,
    outlet, date, chunks or story (an index built by an earlier version of the cleaner)."""
    published = article.published.isoformat() if article.published else None
    if (stored.title, stored.outlet, stored.published, stored.chunks) != (
        article.title,
        article.outlet,
        published,
        len(article.chunks),
    ):
        return True
    return stored.story is not None and stored.story != article.story_id


Entry = tuple[CatalogArticle, list[LexicalChunk]]


def _day(published: str | None) -> int:
    return int(published.replace("-", "")[:8]) if published else 0


def catalog_entry(article: Article) -> Entry:
    """An article as the catalog lists it and the lexical index holds its chunks."""
    text = " ".join(chunk.text for chunk in article.chunks)
    published = article.published.isoformat() if article.published else None
    entry = CatalogArticle(
        doc_id=article.doc_id,
        path=str(article.path),
        title=article.title,
        outlet=article.outlet,
        published=published,
        chunks=len(article.chunks),
        weekdays=weekday_mask(weekdays_named(text)),
        story=article.story_id,
    )
    chunks = [
        LexicalChunk(
            f"{article.doc_id}:{i}",
            article.doc_id,
            " ".join(content_terms(chunk.text)),
            article.outlet or "",
            _day(published),
        )
        for i, chunk in enumerate(article.chunks)
    ]
    return entry, chunks


@dataclass
class _LexicalChanges:
    """What a read of the change log changes in the lexical index, in the log's order: the
    chunks of each article added (the last version of it wins), and the articles removed."""

    written: dict[str, list[LexicalChunk]] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)

    def remove(self, doc_id: str) -> None:
        self.written.pop(doc_id, None)
        self.removed.add(doc_id)


def stored_entry(doc_id: str, chunks: Sequence[StoredChunk]) -> Entry:
    """The same, for an article read back from the store (another machine wrote it)."""
    article = stored_article(doc_id, chunks[0].metadata, [c.text for c in chunks])
    return article, [stored_lexical(article, c.chunk_id, c.text) for c in chunks]


def stored_article(doc_id: str, first: dict[str, Any], texts: Sequence[str]) -> CatalogArticle:
    """The catalog's entry of an article read back from the store: the metadata of its first
    chunk and the texts of its chunks, in order."""
    outlet = str(first.get("outlet") or "") or None
    return CatalogArticle(
        doc_id=doc_id,
        path=str(first.get("path", "")),
        title=str(first.get("title", "")),
        outlet=outlet,
        published=str(first.get("published") or "") or None,
        chunks=len(texts),
        weekdays=weekday_mask(weekdays_named(" ".join(texts))),
        story=story_id(outlet, texts),
    )


def stored_lexical(article: CatalogArticle, chunk_id: str, text: str) -> LexicalChunk:
    """A chunk of an article read back from the store, as the lexical index holds it."""
    return LexicalChunk(chunk_id, article.doc_id, " ".join(content_terms(text)), article.outlet or "", _day(article.published))


@dataclass
class _Held:
    """An article as a full read of the store holds it until every chunk is read: the listed
    keys of its first chunk, and its chunks' positions, ids and where their texts lie in the
    read's spill file (not their quotes and offsets, most of what a chunk stores)."""

    first: int
    meta: dict[str, Any]
    chunks: list[tuple[int, str, int, int]]  # position, id, offset and length of its text


class _Spill:
    """The chunks' texts a full read holds until it lists their articles (a story id hashes all
    of an article's texts, and the store returns them in no order), kept in a file beside the
    derived files instead of in memory: at 1.53 million chunks they were 1.6 GB of the read's
    peak. The file has no name (`tempfile.TemporaryFile`), so a read killed midway leaves
    nothing behind."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        try:
            self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115  # closed by __exit__
        except OSError as exc:
            raise StoreUnavailableError(f"cannot read the store into {folder}: {exc}") from exc
        self._size = 0

    def add(self, texts: Sequence[str]) -> list[tuple[int, int]]:
        """Keep these texts; where each lies (offset, length)."""
        encoded = [t.encode("utf-8") for t in texts]
        places = []
        for data in encoded:
            places.append((self._size, len(data)))
            self._size += len(data)
        try:
            self._file.write(b"".join(encoded))
            self._file.flush()
        except OSError as exc:  # a full disk
            raise StoreUnavailableError(f"cannot read the store into {self._folder}: {exc}") from exc
        return places

    def text(self, offset: int, length: int) -> str:
        return os.pread(self._file.fileno(), length, offset).decode("utf-8")

    def __enter__(self) -> _Spill:
        return self

    def __exit__(self, *_: object) -> None:
        self._file.close()


def _listed(chunk: StoredChunk) -> dict[str, Any]:
    """What the catalog lists of an article, from one of its chunks."""
    return {k: chunk.metadata[k] for k in ("path", "title", "outlet", "published") if k in chunk.metadata}


def _base(settings: Settings, home: str) -> Path:
    """This machine's folder of derived files for a store: `index_dir/lexical`, and for a
    Chroma server a folder of its own named by the server's store (`ChunkStore.home`), not by
    its address, so that a server moved to another port or name is not taken for a new one."""
    base = Path(settings.index_dir) / DERIVED_FOLDER
    return base / f"server-{home}" if settings.chroma_url else base


def catalog_path(settings: Settings, home: str, generation: str) -> Path:
    """Where this machine keeps its list of the articles of a chunk collection."""
    return _base(settings, home) / f"{generation}.sqlite3"


def lexical_path(settings: Settings, home: str, generation: str) -> Path:
    """Where this machine keeps the lexical index of a chunk collection."""
    return _base(settings, home) / f"{generation}.tantivy"


def _derived(settings: Settings, store: ChunkStore) -> tuple[Catalog, LexicalIndex]:
    """This machine's catalog and lexical index of `store`'s chunk collection."""
    return (
        Catalog(catalog_path(settings, store.home, store.generation)),
        LexicalIndex(lexical_path(settings, store.home, store.generation)),
    )


def _adopt_address_folder(settings: Settings, store: ChunkStore) -> None:
    """Derived files kept by the server's address (as versions before 2026-12-02 did) move to the
    store's own folder when they hold as many chunks as the store: a million-chunk replica
    keeps its files instead of reading every chunk again."""
    if not settings.chroma_url:
        return
    address = "".join(ch if ch.isalnum() else "_" for ch in settings.chroma_url.split("://")[-1])
    old, new = Path(settings.index_dir) / DERIVED_FOLDER / address, _base(settings, store.home)
    if not old.is_dir() or new.exists() or not (old / f"{store.generation}.sqlite3").exists():
        return
    catalog = Catalog(old / f"{store.generation}.sqlite3")
    try:
        same = catalog.get_state("loaded") is not None and catalog.chunk_count() == store.count()
    finally:
        catalog.close()
    if same:
        old.rename(new)
        log.info("derived files of %s moved to %s", settings.chroma_url, new)


@cache
def _process_token(pid: int) -> str:
    """What marks a process's changes in a catalog others read: not the process id alone, which
    two containers sharing an index folder both have as 1 (a forked child has its own id, and
    so its own token)."""
    return f"{pid}-{uuid.uuid4().hex[:12]}"


def _change_mark() -> str:
    return f"{_process_token(os.getpid())}:{time.time_ns()}"


def _is_mine(change: str | None) -> bool:
    return bool(change) and str(change).split(":")[0] == _process_token(os.getpid())


def _must_load(catalog: Catalog) -> bool:
    """Whether this machine's catalog and lexical index are to be filled from the store: a new
    machine, an index made before catalogs existed, or a lexical index of stems that
    `content_terms` no longer makes (its TERMS_VERSION): a question's "meet" would not find the
    "met" it holds."""
    return catalog.get_state("loaded") is None or catalog.get_state("terms") != TERMS_VERSION


def _check_not_articles(index_dir: Path) -> None:
    """Refuse an index folder that holds articles and nothing of an index: `--index-dir corpus`
    (meant for `ingest corpus`) would otherwise write the store's files among the articles,
    and a later walk of the folder would meet them. A README beside an index is not an article."""
    if not index_dir.is_dir() or is_index_folder(index_dir):
        return
    articles = sorted(
        p.name
        for p in index_dir.iterdir()
        if is_ingested(p) and not p.name.lower().startswith("readme") and p.is_file()
    )
    if articles:
        raise StoreUnavailableError(
            f"the index folder {index_dir} holds articles ({listed(articles, 3)}), not an index: name a new or "
            "empty folder as the index folder (--index-dir, ASSISTANT_INDEX_DIR or Settings.index_dir), and give "
            "the articles' folder to `assistant ingest` (Assistant.ingest)"
        )


class ArticleIndex:
    def __init__(self, settings: Settings, manifest: dict[str, str | int], check: bool = True) -> None:
        """`check=False` opens an index built with other settings (to rebuild it)."""
        _check_not_articles(Path(settings.index_dir))
        self.settings = settings
        self._manifest = manifest
        self._lock = threading.RLock()
        self.store = ChunkStore(settings, manifest, check=check)
        _adopt_address_folder(settings, self.store)
        self.catalog, self.lexical = _derived(settings, self.store)
        self._checked_at = 0.0
        self._seen_change = self.catalog.get_state("last_change")
        self._listeners: list[Any] = []
        if _must_load(self.catalog):
            self._load_everything()

    @property
    def embedded(self) -> bool:
        return not self.settings.chroma_url

    def on_change(self, listener: Any) -> None:
        """Call `listener()` after this index learns of a change (its own or another's)."""
        self._listeners.append(listener)

    def _changed(self, local: bool = False) -> None:
        if local:
            self._seen_change = _change_mark()
            self.catalog.set_state("last_change", self._seen_change)
        for listener in self._listeners:
            listener()

    # --- reading -------------------------------------------------------------------------------
    def sync(self, force: bool = False) -> bool:
        """Catch up with changes made by other processes; True when something changed."""
        now = time.monotonic()
        if not force and now - self._checked_at < self.settings.sync_interval_s:
            # the lexical index is a file every process reads: another's commit is read now
            return self.lexical.refresh()
        with self._lock:
            self._checked_at = now
            if self.store.current_generation() != self.store.generation:
                self._switch_to_current()
                return True
            # Another process using this index folder (a terminal ingest beside the page, or a
            # second app process on one machine with a Chroma server) marks what it changes in
            # the catalog they share; on a server, other machines' changes come from its log.
            changed = False if self.embedded else self._read_log()
            change = self.catalog.get_state("last_change")
            if change == self._seen_change:
                return changed
            self._seen_change = change
            if not _is_mine(change):
                if self.embedded:
                    self._reopen_store()  # this process's client has not seen those vectors
                self.lexical.reload()
            self._changed()
            return True

    def _reopen_store(self) -> None:
        if self.embedded:
            reopen_embedded()
        self.store = ChunkStore(self.settings, self._manifest, generation=self.store.generation, check=False)

    def _switch_to_current(self) -> None:
        log.info("the index was rebuilt by another process; opening the new one")
        self.catalog.close()
        if self.embedded:
            reopen_embedded()
        self.store = ChunkStore(self.settings, self._manifest)
        self.catalog, self.lexical = _derived(self.settings, self.store)
        self._seen_change = self.catalog.get_state("last_change")
        if _must_load(self.catalog):
            self._load_everything()
        self._changed()

    def _read_log(self) -> bool:
        last = int(self.catalog.get_state("log_ts") or "0")
        seen = set(filter(None, (self.catalog.get_state("log_seen") or "").split(",")))
        entries = [
            e
            for e in self.store.changes_since(max(0, last - SKEW_NS))
            if e.id not in seen and e.generation == self.store.generation
        ]
        changed = False
        lexical = _LexicalChanges()
        for entry in entries:
            if entry.origin != self.catalog.origin:
                changed |= self._apply(entry, lexical)
        if lexical.written or lexical.removed:  # one commit for all: one an article took 0.1 s each
            self.lexical.write([c for chunks in lexical.written.values() for c in chunks], removed=lexical.removed)
        if entries:
            newest = max(e.ts for e in entries)
            recent = {e.id for e in entries if e.ts >= newest - SKEW_NS} | {
                s for s in seen if int(s.split("-")[0]) >= newest - SKEW_NS
            }
            self.catalog.set_state("log_ts", str(newest))
            self.catalog.set_state("log_seen", ",".join(sorted(recent)))
        if changed:
            self._changed()
        return changed

    def _apply(self, entry: LogEntry, lexical: _LexicalChanges) -> bool:
        """Bring one article of another machine's change into this catalog (idempotent), and
        note what the lexical index is to change, written once for the whole log read (before
        the log's place is moved on, so a process stopped in between reads it again)."""
        if entry.op == "remove":
            lexical.remove(entry.doc_id)  # again too: a read stopped before its lexical commit left it
            if self.catalog.article(entry.doc_id) is None:
                return False
            self.catalog.remove([entry.doc_id])
            return True
        if entry.op == "move":
            self.catalog.move(entry.doc_id, entry.path)
            return True
        if entry.op == "add":
            chunks = self.store.chunks_of(entry.doc_id)
            if len(chunks) != entry.chunks:
                return False  # removed since, or still being written: a later entry says
            chunks.sort(key=lambda c: int(c.metadata.get("chunk_index", 0)))
            article, written = stored_entry(entry.doc_id, chunks)
            replaced = [entry.replaces] if entry.replaces and self.catalog.article(entry.replaces) else []
            if entry.replaces:  # whatever the catalog says: a read stopped before its lexical commit
                lexical.remove(entry.replaces)  # listed it gone, and the next read must still drop it
            lexical.written[entry.doc_id] = written
            self.catalog.put([article], removed=replaced)
            return True
        return False

    def _load_everything(self) -> None:
        """Fill this catalog from the store: a new machine's first start, or an index built
        before catalogs existed. The one full read; every later change comes from the log. It
        holds each chunk's id and where its text lies in a spill file (`_Spill`), not what else
        the store keeps of it (quotes, offsets), and lists the articles only once all is read:
        another process answering meanwhile still has every article, and a read killed before
        the listing changes nothing."""
        started = time.time_ns()
        with _Spill(self.lexical.folder.parent) as spill:
            self._load_through(spill, started)

    def _load_through(self, spill: _Spill, started: int) -> None:
        held: dict[str, _Held] = {}
        for page in self.store.scan():
            for chunk, (offset, length) in zip(page, spill.add([c.text for c in page]), strict=True):
                doc_id = str(chunk.metadata.get("doc_id"))
                index = int(chunk.metadata.get("chunk_index", 0))
                article = held.get(doc_id)
                if article is None:
                    article = held[doc_id] = _Held(index, _listed(chunk), [])
                elif index < article.first:
                    article.first, article.meta = index, _listed(chunk)
                article.chunks.append((index, chunk.chunk_id, offset, length))
        # What this machine's journal says a killed ingest left in the store: an article it
        # never committed, or one it removed (its chunks outlived it); the next ingest cleans them.
        unfinished = {d for d, _ in self.catalog.pending()} | set(self.catalog.doomed())
        unfinished = {d for d in unfinished if self.catalog.article(d) is None}
        listed = []
        for doc_id, article in held.items():
            if doc_id not in unfinished:
                article.chunks.sort()
                listed.append(stored_article(doc_id, article.meta, [spill.text(o, n) for _, _, o, n in article.chunks]))
        kept = self._one_version_each(listed)
        self.catalog.clear()
        self.lexical.clear()
        for start in range(0, len(kept), 500):
            part = kept[start : start + 500]
            lexical = []
            for entry in part:
                for _, chunk_id, offset, length in held.pop(entry.doc_id).chunks:
                    lexical.append(stored_lexical(entry, chunk_id, spill.text(offset, length)))
            self.lexical.write(lexical)
            self.catalog.put(part)
        self.catalog.set_state("log_ts", str(started))
        self.catalog.set_state("terms", TERMS_VERSION)
        self.catalog.set_state("loaded", str(started))

    def _one_version_each(self, articles: list[CatalogArticle]) -> list[CatalogArticle]:
        """Two versions of one file in the store are an update whose writer was killed before
        it removed the old one (its next ingest will). Drop, as the machines that read the log
        do, a version a later "add" replaced; and one the log never announced (half written)
        where another version of its file was. Two articles of one path that neither explains
        are both kept (the next ingest of that file keeps the one it holds)."""
        by_path: dict[str, list[str]] = {}
        for article in articles:
            by_path.setdefault(article.path, []).append(article.doc_id)
        shared = [ids for ids in by_path.values() if len(ids) > 1]
        versions = {d for ids in shared for d in ids}
        if not versions:
            return articles
        announced: dict[str, int] = {}  # doc id -> when the log last added or moved it
        replaced: dict[str, int] = {}  # doc id -> when an "add" last named it as replaced
        for change in self.store.changes_since(0, generation=self.store.generation):
            if change.op in ("add", "move") and change.doc_id in versions:
                announced[change.doc_id] = change.ts
            if change.replaces in versions:
                replaced[change.replaces] = change.ts
        older = set()
        for ids in shared:
            for d in ids:
                if d in replaced and replaced[d] >= announced.get(d, 0):
                    older.add(d)  # a later "add" replaced it (an "add" of it after that undid it)
                elif d not in announced and any(other in announced for other in ids):
                    older.add(d)  # never announced beside a version that was: half written
        return [article for article in articles if article.doc_id not in older]

    # --- writing ---------------------------------------------------------------------------
    @contextmanager
    def writing(self, then: str = "try again (an ingest that stopped goes on where it left off)") -> Iterator[None]:
        """Hold this index's ingest lock (one ingest at a time per index folder); catch up with
        other processes' changes and repair what a killed run left first. Another thread of this process waits its turn; another
        process gets IngestBusyError at once (`then`: what its message tells the user to do
        once that ingest is done)."""
        lock_path = (Path(self.settings.index_dir) / "ingest.lock").resolve()
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with _THREAD_LOCKS.setdefault(str(lock_path), threading.Lock()), open(lock_path, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise IngestBusyError(
                    f"another ingest ({holder}) is writing to the index at {self.store.where}; "
                    f"wait for it to finish, then {then}"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}")
            handle.flush()
            try:
                # What the ingest judges (unchanged, moved, already indexed) it judges by the
                # catalog: caught up first with what other processes and machines changed.
                self.sync(force=True)
                with self.lexical.writing():
                    self.repair()
                    yield
            finally:
                handle.seek(0)
                handle.truncate()
                fcntl.flock(handle, fcntl.LOCK_UN)

    def repair(self) -> list[str]:
        """Undo what a killed ingest left half done; returns the doc ids cleaned away."""
        cleaned = []
        superseded = []
        for doc_id, replaces in self.catalog.pending():
            if self.catalog.article(doc_id) is not None:
                if replaces and self.catalog.article(replaces) is None:
                    superseded.append(replaces)  # the catalog was filled from the store since
                continue  # it was committed: only the journal line was left
            self.store.delete_articles([doc_id])
            self.lexical.remove([doc_id])
            self.store.log("remove", doc_id, self.catalog.origin)
            cleaned.append(doc_id)
            if replaces and self.catalog.article(replaces) is not None:
                chunks = self.store.chunks_of(replaces)  # the old version stays: index it again
                if chunks:
                    chunks.sort(key=lambda c: int(c.metadata.get("chunk_index", 0)))
                    article, lexical = stored_entry(replaces, chunks)
                    self.lexical.write(lexical)
                    # Other machines may have taken the new version, which the log announced
                    # as replacing this one: announce this one again.
                    self.store.log("add", replaces, self.catalog.origin, chunks=len(chunks), path=article.path)
        doomed = [d for d in dict.fromkeys(self.catalog.doomed() + superseded) if self.catalog.article(d) is None]
        if doomed:
            self.store.delete_articles(doomed)
            self.lexical.remove(doomed)
            self.store.log_many([("remove", d, 0, "") for d in doomed], self.catalog.origin)
            cleaned.extend(doomed)
        self.catalog.forget_journal([d for d, _ in self.catalog.pending()] + self.catalog.doomed())
        if cleaned:
            log.warning("repaired %d article(s) a stopped ingest left half written", len(cleaned))
            self._changed(local=True)  # the others' readers hold what was cleaned away
        return cleaned

    def write(self, batch: Sequence[tuple[Written, np.ndarray]]) -> None:
        """Store a batch of articles: visible to questions all at once, when complete."""
        if not batch:
            return
        origin = self.catalog.origin
        self.catalog.begin([(w.article.doc_id, w.replaces) for w, _ in batch])
        self.store.write([(w.article, vectors) for w, vectors in batch])
        # An article read anew keeps its chunk ids; the earlier reading's chunks past its new
        # last one go before the catalog lists the new reading. Killed before that, the catalog
        # still lists the earlier one, so the next ingest reads the file anew again.
        self.store.delete_chunks(
            [
                f"{w.article.doc_id}:{i}"
                for w, _ in batch
                for i in range(len(w.article.chunks), w.rewrites)
            ]
        )
        replaced = [w.replaces for w, _ in batch if w.replaces]
        # Each "add" names the version it replaces: a machine that reads it drops that one, so
        # a writer killed before the removal below leaves no other machine with both.
        self.store.log_many(
            [("add", w.article.doc_id, len(w.article.chunks), str(w.article.path)) for w, _ in batch],
            origin,
            replaces={w.article.doc_id: w.replaces for w, _ in batch if w.replaces},
        )
        entries = [catalog_entry(w.article) for w, _ in batch]
        with self._lock:
            self.lexical.write([c for _, chunks in entries for c in chunks], removed=replaced)
            self._seen_change = _change_mark()
            self.catalog.put(
                [article for article, _ in entries],
                removed=replaced,
                done_pending=[w.article.doc_id for w, _ in batch],
                doomed=replaced,
                change=self._seen_change,  # killed after this, the others still hear of it
                readings=[(w.article.doc_id, str(w.article.path), w.fingerprint) for w, _ in batch if w.fingerprint],
            )
        if replaced:
            self.store.delete_articles(replaced)
            self.store.log_many([("remove", d, 0, "") for d in replaced], origin)
            self.catalog.forget_journal(replaced)
        self._changed(local=True)

    def move(self, doc_id: str, path: str) -> None:
        """The same article found at another path (a renamed or moved file)."""
        self.store.move_article(doc_id, path)
        self.catalog.move(doc_id, path)
        self.store.log("move", doc_id, self.catalog.origin, path=path)
        self._changed(local=True)

    def remove(self, doc_ids: Sequence[str]) -> None:
        """Forget these articles. An ingest of this process takes the removal into its session;
        otherwise the removal holds the ingest lock (another process's ingest: IngestBusyError,
        where the lexical index's writer lock would fail)."""
        if not doc_ids:
            return
        if self.lexical.in_session:
            self._remove(doc_ids)
            return
        with self.writing(then="remove it again" if len(doc_ids) == 1 else "remove them again"):
            self._remove(doc_ids)

    def _remove(self, doc_ids: Sequence[str]) -> None:
        with self._lock:
            self.catalog.put([], removed=doc_ids, doomed=doc_ids)
            self.lexical.remove(doc_ids)
        self.store.delete_articles(doc_ids)
        self.store.log_many([("remove", d, 0, "") for d in doc_ids], self.catalog.origin)
        self.catalog.forget_journal(doc_ids)
        self._changed(local=True)

    # --- rebuilding ------------------------------------------------------------------------
    def beside(self) -> ArticleIndex:
        """A new, empty index beside this one (for `--rebuild`); `go_live` switches to it."""
        for stale in self.store.stale_generations():  # rebuilds that never went live
            self.store.drop_generation(stale)
            _drop_files(self.settings, self.store.home, stale)
        new = object.__new__(ArticleIndex)
        new.settings = self.settings
        new._manifest = self._manifest
        new._lock = threading.RLock()
        new.store = self.store.new_generation()
        new.catalog, new.lexical = _derived(self.settings, new.store)
        new.catalog.set_state("loaded", str(time.time_ns()))
        new.catalog.set_state("terms", TERMS_VERSION)
        new.catalog.set_state("log_ts", str(time.time_ns()))
        new._checked_at = 0.0
        new._seen_change = None
        new._listeners = []
        return new

    def discard(self) -> None:
        """Drop this rebuild, which never went live: its chunks and this machine's files of it."""
        generation = self.store.generation
        if self.store.current_generation() == generation:
            raise RuntimeError("the index in use cannot be discarded")
        self.catalog.close()
        self.store.drop_self()
        _drop_files(self.settings, self.store.home, generation)

    def go_live(self) -> None:
        """Make this (rebuilt) index the one every process reads; drop the old one."""
        previous = self.store.make_current(self.catalog.origin)
        self.store.drop_generation(previous)
        _drop_files(self.settings, self.store.home, previous)


def _drop_files(settings: Settings, home: str, generation: str) -> None:
    """This machine's catalog and lexical index of a chunk collection that is gone."""
    catalog = catalog_path(settings, home, generation)
    for suffix in ("", "-wal", "-shm"):
        Path(str(catalog) + suffix).unlink(missing_ok=True)
    drop(lexical_path(settings, home, generation))
