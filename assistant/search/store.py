"""The Chroma store of chunks, embedded on disk or on a Chroma server, and its change log.

Each chunk's metadata carries its article's description and the offsets of its sentences,
so answers and citations need nothing but the store. Chunks are written in slices of the
client's own `max_batch_size`.

A chunk's text and metadata are kept in its LlamaIndex node (the `_node_content` metadata
LlamaIndex reads back), beside only the keys questions filter on: Chroma indexes every document
for its own full-text search (trigrams in SQLite), which this project never uses (its lexical
index is tantivy's), and every metadata key for filtering; the two cost two fifths of
ingestion's CPU beside the encoder. Indexes written by earlier versions hold the text as
documents and every key on its own; both read the same.

Beside the chunks, a small collection `<name>__log` holds the change log: one entry per
article added, moved or removed (the entries of one write share a record), with a nanosecond
timestamp, so that every process using the store (page replicas on one Chroma server, the page
and a terminal ingest) can bring its own lexical index up to date by reading only what changed
(replicas on one server run the same version: an earlier one cannot read these records). Its
metadata names the chunk collection in use ("current"): a rebuild writes a new one beside it
and switches the name when it is complete.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import shutil
import socket
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import httpx
import numpy as np
from chromadb.config import Settings as ChromaSettings
from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
from llama_index.core.vector_stores.utils import node_to_metadata_dict
from llama_index.vector_stores.chroma import ChromaVectorStore

from assistant.config import INDEX_MARKER, Settings, shown_url
from assistant.errors import (
    AssistantError,
    DiskFullError,
    IndexMismatchError,
    ServerUnreachableError,
    StoreUnavailableError,
)
from assistant.ingest.documents import Article

log = logging.getLogger(__name__)

MANIFEST_KEYS = ("embedding_model", "chunk_tokens", "chunk_overlap", "cleaner")
READ_RULES_KEY = "read_rules"  # cleaning.READ_RULES of the index's making: told, never a mismatch
# Pages of the full read. Chroma reads a page at an offset by passing over every row before it
# (1.1 s of the 1.5 s a page of 1,000 chunks took at offset 1.4 million, 0.18 s at 0), so a read
# by pages costs the square of the store's size over the page: pages of 1,000 read 1.5 million
# chunks in about 25 minutes, pages of 10,000 in a tenth of the passing-over. A page of 10,000
# chunks' texts and keys is about 30 MB; ids alone, 50,000 a page.
SCAN_PAGE = 10_000
ID_PAGE = 50_000
# The keys Chroma stores of a chunk: those questions filter on, and LlamaIndex's node (which
# holds the chunk's text and all its metadata). Every key costs Chroma an index entry to write.
STORED_KEYS = ("doc_id", "outlet", "published_day", "_node_content", "_node_type")
# Metadata neither embedded nor shown to an LLM.
PRIVATE_KEYS = ["sentences", "quotes", "path", "published_day", "url", "authors", "modified", "language", "header"]
DERIVED_FOLDER = "lexical"  # this machine's catalog and lexical index, inside the index folder

LOG_SUFFIX = "__log"
LOG_RECORD_ENTRIES = 1000  # change-log entries a log record holds


def is_index_folder(folder: Path) -> bool:
    """A folder that holds an index of the assistant: Chroma's file of an embedded store, or
    the derived files every index has (the only ones of an index on a Chroma server)."""
    if (folder / INDEX_MARKER).exists():
        return True
    derived = folder / DERIVED_FOLDER  # with a catalog in it: not any folder named "lexical"
    return derived.is_dir() and any(p for pattern in ("*.sqlite3", "server-*/*.sqlite3") for p in derived.glob(pattern))


# Manifest keys no setting changes: the version of the reading of files they record.
_VERSION_KEYS = {"cleaner": "the reading of files (cleaner version)"}


def rules_order(rules: str) -> tuple[str, int]:
    """A READ_RULES stamp as it sorts: its day, then its number that day ("2026-12-06.10" after
    "2026-12-06.9", which the text alone puts first)."""
    day, _, number = rules.partition(".")
    return day, int(number) if number.isdigit() else 0


@dataclass(frozen=True)
class LogEntry:
    """One change: `op` is "add", "remove", "move" or "switch" (a rebuild went live)."""

    id: str
    ts: int
    op: str
    doc_id: str
    origin: str
    generation: str
    chunks: int = 0
    path: str = ""
    replaces: str = ""  # an "add" of an updated article: the doc id of the version it replaces


@dataclass(frozen=True)
class StoredChunk:
    chunk_id: str
    text: str
    metadata: dict[str, Any]


def chunk_metadata(article: Article, chunk_index: int) -> dict[str, Any]:
    chunk = article.chunks[chunk_index]
    spans = []
    quotes = []
    for (local_start, local_end), sentence in zip(chunk.local_offsets(), chunk.sentences):
        src_start, src_end = article.source_span(sentence.start, sentence.end)
        spans.append([local_start, local_end, src_start, src_end])
        quotes.append(article.source.source[src_start:src_end])
    meta: dict[str, Any] = {
        "doc_id": article.doc_id,
        "path": str(article.path),
        "title": article.title,
        "chunk_index": chunk_index,
        "sentences": json.dumps(spans),
    }
    if article.source.is_html:
        meta["quotes"] = json.dumps(quotes)  # HTML: the source slices differ from the plain text
    if article.outlet:
        meta["outlet"] = article.outlet
    if article.published:
        meta["published"] = article.published.isoformat()
        meta["published_day"] = int(article.published.strftime("%Y%m%d"))
    if article.url:
        meta["url"] = article.url
    if article.authors:
        meta["authors"] = "; ".join(article.authors)
    if article.modified:
        meta["modified"] = article.modified.isoformat()
    if article.language:
        meta["language"] = article.language
    if article.header and chunk_index == 0:
        meta["header"] = article.header
    return meta


# How many candidates Chroma's HNSW graph keeps while it searches a question's nearest chunks
# (Chroma's default: 100). At 100 the approximate search missed one of the 20 nearest chunks for
# 6-10 of 250 SQuAD questions (recall@20 0.998-0.999 on 1,894 chunks, two builds), so two builds
# of one folder could rank a question's passages differently; at 400 it found every one, and 99 %
# of them on 200,000 vectors (benchmarks/vector_search.py).
SEARCH_EF = 400


class ChunkStore:
    def __init__(
        self,
        settings: Settings,
        manifest: dict[str, str | int],
        generation: str | None = None,
        check: bool = True,
    ) -> None:
        """Open the chunk collection in use (or `generation`, created if missing)."""
        self._client = _connect(settings)
        self._settings = settings
        self.name = settings.collection
        self._manifest = {k: manifest[k] for k in MANIFEST_KEYS}
        self._read_rules = manifest.get(READ_RULES_KEY)
        self.where = shown_url(settings.chroma_url) if settings.chroma_url else str(settings.index_dir)
        try:
            self.max_batch = int(self._client.get_max_batch_size())
            self._log = self._client.get_or_create_collection(
                self.name + LOG_SUFFIX, metadata={"current": self.name}, embedding_function=None
            )
            # Which server's store this is, whatever address it is reached at: its change log's id
            # (the same across restarts, ports and host names; new if the log is made anew).
            self.home = str(self._log.id) if settings.chroma_url else ""
            self.generation = generation or str((self._log.metadata or {}).get("current") or self.name)
            self._collection = self._client.get_or_create_collection(
                self.generation,
                metadata=self._made_with(),
                configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}},
                embedding_function=None,
            )
            hnsw = (self._collection.configuration or {}).get("hnsw") or {}
            if int(hnsw.get("ef_search") or 0) < SEARCH_EF:  # an index made before: searched as wide
                self._collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
        except Exception as exc:  # chromadb raises many unrelated types here
            raise StoreUnavailableError(f"cannot open the Chroma collection at {self.where}: {exc}") from exc
        if check:
            self._check_manifest()
        self.vector_store = ChromaVectorStore(chroma_collection=self._collection)

    def _made_with(self) -> dict[str, str | int]:
        """What a chunk collection made now records of its making: the manifest and the rules."""
        return {**self._manifest, **({READ_RULES_KEY: self._read_rules} if self._read_rules else {})}

    def read_by_older_rules(self) -> bool:
        """Whether the articles were read by title, outlet and date rules older than this
        version's (`cleaning.READ_RULES`), or by rules that recorded no version."""
        stored = (self._collection.metadata or {}).get(READ_RULES_KEY)
        return self._read_rules is not None and (stored is None or rules_order(str(stored)) < rules_order(str(self._read_rules)))

    def record_rules_read(self) -> None:
        """Record that every article of the index was read by this version's title, outlet
        and date rules (an ingest that read each of them again): the notice of older rules ends."""
        if self._read_rules is None:
            return
        metadata = dict(self._collection.metadata or {})
        metadata[READ_RULES_KEY] = self._read_rules
        try:
            self._collection.modify(metadata=metadata)
        except Exception as exc:  # chromadb raises many unrelated types here
            raise StoreUnavailableError(f"cannot update the Chroma collection at {self.where}: {exc}") from exc

    def _check_manifest(self) -> None:
        stored = self._collection.metadata or {}
        differing = [key for key, value in self._manifest.items() if key in stored and stored[key] != value]
        if not differing:
            return
        settings = [key for key in differing if key not in _VERSION_KEYS]
        versions = [key for key in differing if key in _VERSION_KEYS]
        differences = [f"{key}: index has {stored[key]!r}, settings ask for {self._manifest[key]!r}" for key in settings]
        differences += [f"{_VERSION_KEYS[key]}: the index's {stored[key]!r}, this version's {self._manifest[key]!r}" for key in versions]
        if versions:
            made = "by another version of the assistant" + (" and with other settings" if settings else "")
            instead = "naming the folders of its articles (the version that made it lists them: `assistant articles`)"
        else:
            made, instead = "with other settings", "or open it with the settings it was built with"
        raise IndexMismatchError(
            f"the index at {self.where} was built {made} ({'; '.join(differences)}). "
            f"Rebuild it with `assistant ingest --rebuild PATH...`, {instead}."
        )

    # --- generations ---------------------------------------------------------------------
    def current_generation(self) -> str:
        """The chunk collection in use now (another process may have switched it)."""
        log = self._client.get_collection(self.name + LOG_SUFFIX, embedding_function=None)
        return str((log.metadata or {}).get("current") or self.name)

    def new_generation(self) -> ChunkStore:
        """A new, empty chunk collection beside the one in use, for a rebuild."""
        name = f"{self.name}__{time.time_ns()}"
        return ChunkStore(self._settings, self._made_with(), generation=name)

    def make_current(self, origin: str) -> str:
        """Switch every reader to this collection; returns the one it replaced."""
        previous = self.current_generation()
        self._log.modify(metadata={"current": self.generation})
        self.log("switch", "", origin)
        return previous

    def drop_generation(self, generation: str) -> None:
        if generation != self.generation:
            self._delete(generation)

    def drop_self(self) -> None:
        """Delete this collection (a rebuild's that never went live)."""
        self._delete(self.generation)

    def _delete(self, generation: str) -> None:
        with contextlib.suppress(Exception):  # already gone: nothing to drop
            self._client.delete_collection(generation)
        if not self._settings.chroma_url:
            sweep_segment_folders(Path(self._settings.index_dir))

    def stale_generations(self) -> list[str]:
        """Collections of unfinished rebuilds, and the one a rebuild replaced when the run that
        made it current was killed before dropping it: neither in use nor the log."""
        prefix = self.name + "__"
        kept = (self.generation, self.current_generation(), self.name + LOG_SUFFIX)
        return [
            c.name
            for c in self._client.list_collections()
            if (c.name == self.name or c.name.startswith(prefix)) and c.name not in kept
        ]

    # --- chunks ----------------------------------------------------------------------------
    def write(self, articles: Sequence[tuple[Article, np.ndarray]]) -> None:
        """Store articles' chunks with their embeddings, in slices the client accepts.

        Chunk ids are `doc_id:i`, so writing an article again (a resumed run, or two machines
        ingesting the same file) replaces its chunks instead of duplicating them."""
        ids: list[str] = []
        vectors: list[list[float]] = []
        metadatas: list[dict[str, Any]] = []
        for article, embeddings in articles:
            for i in range(len(article.chunks)):
                chunk_id, meta = _record(article, i)
                ids.append(chunk_id)
                metadatas.append(meta)
                vectors.append(embeddings[i].tolist())
        for start in range(0, len(ids), self.max_batch):
            end = start + self.max_batch
            self._collection.upsert(
                ids=ids[start:end],
                embeddings=vectors[start:end],  # type: ignore[arg-type]
                metadatas=metadatas[start:end],  # type: ignore[arg-type]
            )

    def delete_articles(self, doc_ids: Sequence[str]) -> None:
        for doc_id in doc_ids:
            self._collection.delete(where={"doc_id": doc_id})

    def delete_chunks(self, chunk_ids: Sequence[str]) -> None:
        for start in range(0, len(chunk_ids), self.max_batch):
            self._collection.delete(ids=list(chunk_ids[start : start + self.max_batch]))

    def chunks_of(self, doc_id: str) -> list[StoredChunk]:
        got = self._collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
        return _chunks(got)

    def holds(self, article: Article) -> bool:
        """Whether the store holds `article`'s chunks as `write` would write them now: the same
        texts and every key of their metadata (a fetched page's address, its authors, ...), which
        the catalog does not list. One read of the article's chunks."""
        records = [_record(article, i) for i in range(len(article.chunks))]
        now = [_stored_chunk(chunk_id, None, meta) for chunk_id, meta in records]
        return self.chunks([chunk_id for chunk_id, _ in records]) == now

    def chunks(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        """The chunks with these ids that exist, in the order asked."""
        if not chunk_ids:
            return []
        got = self._collection.get(ids=list(chunk_ids), include=["documents", "metadatas"])
        by_id = {c.chunk_id: c for c in _chunks(got)}
        return [by_id[cid] for cid in chunk_ids if cid in by_id]

    def scan(self) -> Iterator[list[StoredChunk]]:
        """Every chunk, a page at a time, each once (a new replica's first load, never a
        question). Pages by offset move under another machine's writes meanwhile: a deletion
        shifts later chunks before the offset, an addition repeats one. So a chunk seen is not
        yielded again, and once the pages are read, those the store holds that they missed are
        read by id (again, until none is missed or three rounds are done)."""
        seen: set[str] = set()
        offset = 0
        while True:
            got = self._collection.get(limit=SCAN_PAGE, offset=offset, include=["documents", "metadatas"])
            chunks = _chunks(got)
            if not chunks:
                break
            offset += len(chunks)
            fresh = [c for c in chunks if c.chunk_id not in seen]
            seen.update(c.chunk_id for c in fresh)
            if fresh:
                yield fresh
        for _ in range(3):
            missed = [chunk_id for chunk_id in self.all_ids() if chunk_id not in seen]
            if not missed:
                return
            for start in range(0, len(missed), SCAN_PAGE):
                chunks = self.chunks(missed[start : start + SCAN_PAGE])
                seen.update(c.chunk_id for c in chunks)
                if chunks:
                    yield chunks

    def move_article(self, doc_id: str, path: str) -> None:
        got = self._collection.get(where={"doc_id": doc_id}, include=["metadatas"])
        ids = list(got["ids"])
        if not ids:
            return
        metadatas = []
        for meta in got["metadatas"] or []:
            meta = dict(meta)
            if "path" in meta:  # an earlier version's chunk: its metadata in keys of its own too
                meta["path"] = path
            content = json.loads(str(meta.get("_node_content", "{}")))
            if isinstance(content.get("metadata"), dict):
                content["metadata"]["path"] = path
                meta["_node_content"] = json.dumps(content, ensure_ascii=False)
            metadatas.append(meta)
        for start in range(0, len(ids), self.max_batch):
            self._collection.update(
                ids=ids[start : start + self.max_batch],
                metadatas=metadatas[start : start + self.max_batch],  # type: ignore[arg-type]
            )

    def embeddings(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these chunks, of those this client can read: an embedded
        client opened before another process committed a chunk finds its metadata but not its
        vector until it is reopened, and Chroma then fails the whole read ("Error finding id";
        a question asked while a terminal ingest commits found such a chunk by its words)."""
        try:
            got = self._collection.get(ids=list(chunk_ids), include=["embeddings"])  # type: ignore[list-item]
        except chromadb.errors.InternalError as exc:
            if self._settings.chroma_url:
                raise
            log.info("vectors of %d chunks not readable by this client yet (%s)", len(chunk_ids), exc)
            return {}
        vectors = got["embeddings"] if got["embeddings"] is not None else []
        return {cid: np.asarray(vector, dtype=np.float32) for cid, vector in zip(got["ids"], vectors)}

    def count(self) -> int:
        return int(self._collection.count())

    def load_vectors(self, dim: int) -> None:
        """Have Chroma read the vector index now: an embedded store reads it from disk at its first
        query (3-14 s at a million chunks), which would otherwise be the first question's wait."""
        if self.count():
            self._collection.query(query_embeddings=[[0.0] * (dim - 1) + [1.0]], n_results=1, include=[])

    def all_ids(self) -> list[str]:
        """Every chunk id (tests, repairs and the full read; never on the question path)."""
        ids: list[str] = []
        offset = 0
        while True:
            got = self._collection.get(limit=ID_PAGE, offset=offset, include=[])
            if not got["ids"]:
                return ids
            ids.extend(got["ids"])
            offset += len(got["ids"])

    # --- the change log ----------------------------------------------------------------------
    def log(self, op: str, doc_id: str, origin: str, chunks: int = 0, path: str = "") -> None:
        self.log_many([(op, doc_id, chunks, path)], origin)

    def log_many(
        self, entries: Sequence[tuple[str, str, int, str]], origin: str, replaces: dict[str, str] | None = None
    ) -> None:
        """Append entries to the change log: one record for up to LOG_RECORD_ENTRIES of them
        (a record costs Chroma about as much to store as a chunk; one an article was a seventh
        of ingestion's CPU beside the encoder on short articles). An entry is (op, doc id,
        chunks, path); `replaces` maps an added doc id to the one it replaces (an updated
        article), kept in a key of the record's own that an earlier version does not read."""
        if not entries:
            return
        now = time.time_ns()
        for start in range(0, len(entries), LOG_RECORD_ENTRIES):
            part = entries[start : start + LOG_RECORD_ENTRIES]
            metadata: dict[str, Any] = {
                "ts": now,
                "origin": origin,
                "generation": self.generation,
                "first": start,
                "entries": json.dumps([list(entry) for entry in part], ensure_ascii=False),
            }
            replaced = {e[1]: replaces[e[1]] for e in part if e[0] == "add" and replaces and replaces.get(e[1])}
            if replaced:
                metadata["replaces"] = json.dumps(replaced, ensure_ascii=False)
            self._log.add(ids=[f"{now:020d}-{origin[:12]}-r{start:05d}"], embeddings=[[1.0]], metadatas=[metadata])

    def changes_since(self, ts: int, page: int = 1000, generation: str | None = None) -> list[LogEntry]:
        """Log entries at or after `ts` (nanoseconds), oldest first, read a page at a time (one
        read of tens of thousands of records exceeds the server's SQL variable limit); with
        `generation`, only that one's."""
        ids: list[str] = []
        metadatas: list[Any] = []
        where: dict[str, Any] = {"ts": {"$gte": ts}}
        if generation is not None:
            where = {"$and": [where, {"generation": generation}]}
        while True:
            got = self._log.get(
                where=where, include=["metadatas"], limit=page, offset=len(ids)  # type: ignore[arg-type]
            )
            ids.extend(got["ids"])
            metadatas.extend(got["metadatas"] or [])
            if len(got["ids"]) < page:
                break
        entries = [entry for record_id, meta in zip(ids, metadatas) for entry in _log_entries(str(record_id), meta)]
        return sorted(entries, key=lambda e: (e.ts, e.id))


def _log_entries(record_id: str, meta: Any) -> list[LogEntry]:
    """The entries of one log record; a record of an earlier version holds one, in its keys."""
    ts, origin = int(meta["ts"]), str(meta["origin"])
    if "entries" in meta:
        first = int(meta.get("first") or 0)
        rows = [
            (f"{ts:020d}-{origin[:12]}-{first + k:05d}", *entry)
            for k, entry in enumerate(json.loads(str(meta["entries"])))
        ]
    else:
        rows = [(record_id, meta["op"], meta["doc_id"], meta.get("chunks") or 0, meta.get("path") or "")]
    replaces = json.loads(str(meta["replaces"])) if "replaces" in meta else {}
    return [
        LogEntry(
            id=entry_id,
            ts=ts,
            op=str(op),
            doc_id=str(doc_id),
            origin=origin,
            generation=str(meta["generation"]),
            chunks=int(chunks),
            path=str(path),
            replaces=str(replaces.get(doc_id, "")) if op == "add" else "",
        )
        for entry_id, op, doc_id, chunks, path in rows
    ]


def _record(article: Article, chunk_index: int) -> tuple[str, dict[str, Any]]:
    """A chunk's id and the metadata Chroma stores for it: its LlamaIndex node, whose text is
    the chunk's, and the keys a `where` filters on."""
    node = TextNode(
        id_=f"{article.doc_id}:{chunk_index}",
        text=article.chunks[chunk_index].text,
        metadata=chunk_metadata(article, chunk_index),
        excluded_embed_metadata_keys=PRIVATE_KEYS,
        excluded_llm_metadata_keys=PRIVATE_KEYS,
        # LlamaIndex writes the source node's id into the "doc_id" metadata key.
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=article.doc_id)},
    )
    meta = node_to_metadata_dict(node, remove_text=False, flat_metadata=False)
    return node.node_id, {k: ("" if meta[k] is None else meta[k]) for k in STORED_KEYS if k in meta}


def _chunks(got: Any) -> list[StoredChunk]:
    metadatas = got["metadatas"] or []
    documents = got["documents"] or [None] * len(metadatas)
    return [_stored_chunk(str(cid), text, meta) for cid, text, meta in zip(got["ids"], documents, metadatas)]


def _stored_chunk(chunk_id: str, document: str | None, meta: Any) -> StoredChunk:
    """A chunk as stored: its text and metadata from its LlamaIndex node, and from the Chroma
    document and keys of its own where an earlier version wrote them there."""
    node = json.loads(str(meta.get("_node_content") or "{}"))
    public = dict(node.get("metadata") or {})
    public.update((k, v) for k, v in dict(meta).items() if not k.startswith("_"))
    text = document if document is not None else node.get("text")
    return StoredChunk(chunk_id, str(text or ""), public)


def _connect(settings: Settings) -> Any:
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        host, port = url.hostname or "127.0.0.1", url.port or (443 if url.scheme == "https" else 8000)
        problem, answered = _heartbeat_problem(url.scheme, host, port, settings.chroma_timeout_s)
        failure: Exception | None = None
        if problem is None:
            try:
                client = chromadb.HttpClient(host=host, port=port, ssl=url.scheme == "https", settings=chroma_settings)
                # Chroma's client waits for ever; a server that hangs (as one whose disk is full
                # does on a write) would freeze every command and the page.
                session = getattr(getattr(client, "_server", None), "_session", None)
                if isinstance(session, httpx.Client):  # chromadb 1.x's HTTP client
                    session.timeout = httpx.Timeout(settings.chroma_timeout_s, connect=10.0)
                client.heartbeat()
                return client
            except Exception as exc:  # chromadb's: a ValueError, whatever failed
                failure = exc
                slow = any(isinstance(cause, httpx.TimeoutException) for cause in _causes(exc))
                problem = (
                    f"it answered its heartbeat but not the next request within {settings.chroma_timeout_s:g} s "
                    "(chroma_timeout_s); is it overloaded?"
                    if slow
                    else f"a Chroma server answers, but not as this client (chromadb {chromadb.__version__}) "
                    f"expects ({exc.__class__.__name__}: {exc}); is it another Chroma version?"
                )
        unreachable = StoreUnavailableError if answered or failure is not None else ServerUnreachableError
        raise unreachable(
            f"cannot reach the Chroma server at {shown_url(settings.chroma_url)}: {problem}. "
            "Is `chroma run` started there? Unset ASSISTANT_CHROMA_URL to use the embedded store."
        ) from failure
    index_dir = Path(settings.index_dir)
    if index_dir.exists() and not index_dir.is_dir():
        raise StoreUnavailableError(
            f"the index folder {index_dir} is a file, not a folder: name another (--index-dir, "
            "ASSISTANT_INDEX_DIR or Settings.index_dir), or move the file away"
        )
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(index_dir), settings=chroma_settings)
    except Exception as exc:  # permission, corrupt files, locked database, a full disk
        storage = storage_error(index_dir, exc, "the index cannot be opened")
        raise storage or StoreUnavailableError(f"cannot open the index folder {index_dir}: {exc}") from exc


def sweep_segment_folders(index_dir: Path) -> list[str]:
    """Remove the vector index folders of deleted collections from an embedded store; returns
    their names. Chroma 1.x deletes a collection's records but leaves its HNSW folder on disk
    (chroma-core/chroma#5259), so every rebuild that went live, or was dropped, would leave a
    whole vector index behind. A folder goes only when it is named like a segment, holds an HNSW
    index, and is no segment of Chroma's own list (read from its SQLite file, read-only)."""
    database = index_dir / INDEX_MARKER
    try:
        with contextlib.closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as db:
            live = {str(row[0]) for row in db.execute("SELECT id FROM segments")}
    except sqlite3.Error:  # not the layout this was written for: leave everything as it is
        return []
    swept = []
    for folder in index_dir.iterdir():
        if folder.name in live or not _SEGMENT_FOLDER.fullmatch(folder.name):
            continue
        if folder.is_dir() and (folder / "header.bin").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            swept.append(folder.name)
    return swept


LOW_DISK_BYTES = 16 << 20  # free room under which a failed write is taken for a full disk
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def _of_folder(error: OSError, folder: Path) -> bool:
    """Whether the error is about a file in `folder`, or names none (a file of the articles that
    may not be read is not an index that cannot be written)."""
    if not error.filename:
        return True
    try:
        return Path(os.fsdecode(error.filename)).resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError):
        return True


def storage_error(
    index_dir: Path, error: BaseException, what: str, server: str | None = None
) -> AssistantError | None:
    """The error to show when `what` failed because the index's folder cannot take the write:
    a read-only folder or file system, or a full disk (an OSError or SQLite error that says so,
    or any failure while the disk has almost no room left: Chroma reports a full disk during a
    write as "Error in compaction: Failed to apply logs to the metadata segment"). With a Chroma
    `server` (its URL), an error the server sent back is about the server's disk, not this
    machine's, and a server that stopped answering is said as such (`server_error`). None when
    neither is the cause."""
    causes = list(_causes(error))
    if server is not None:
        lost = server_error(error, server, what)
        if lost is not None:
            return lost
        sent = " ".join(str(e) for e in causes if type(e).__module__.split(".")[0] == "chromadb").lower()
        if sent:
            return _server_storage_error(server, error, what, sent)
    said = " ".join(str(e) for e in causes).lower()
    where = index_dir if index_dir.exists() else index_dir.parent
    try:
        disk = os.statvfs(where)
        free: int | None = disk.f_bavail * disk.f_frsize
        read_only_disk = bool(disk.f_flag & os.ST_RDONLY)
    except OSError:
        free, read_only_disk = None, False
    denied = any(isinstance(e, OSError) and e.errno in _READ_ONLY and _of_folder(e, index_dir) for e in causes)
    if read_only_disk or denied or "readonly" in said or "read-only" in said:
        return StoreUnavailableError(
            f"the index folder {index_dir} cannot be written, so {what} ({type(error).__name__}: "
            f"{error}): the assistant writes to its index even to answer (Chroma's SQLite file); "
            "name a folder it can write to (--index-dir, ASSISTANT_INDEX_DIR or Settings.index_dir)"
        )
    full = any(isinstance(e, OSError) and e.errno == errno.ENOSPC for e in causes) or "disk is full" in said
    if not full and (free is None or free >= LOW_DISK_BYTES):
        return None
    # With room left, the device ran out of something else (its files or a quota): say no number.
    room = f" ({free / (1 << 20):,.1f} MB free)" if free is not None and free < LOW_DISK_BYTES else ""
    return DiskFullError(
        f"the disk holding the index {index_dir} is full{room}, so {what} "
        f"({type(error).__name__}: {error}). Nothing stored is lost: free some space and run the "
        "same command again"
    )


def index_error(
    index_dir: Path, error: BaseException, what: str, server: str | None = None
) -> AssistantError | None:
    """`storage_error` of an error the index raised: Chroma's, SQLite's (the catalog), a Chroma
    server's connection, a file's inside the index folder, or one naming a path in it (tantivy's
    errors are plain ValueErrors that name their file). None
    for any other (a file named elsewhere that cannot be written, a fault of the code), which
    the index's disk or folder must not be blamed for."""
    home = index_dir.resolve()
    for cause in _causes(error):
        module = type(cause).__module__.split(".")[0]
        if module in ("chromadb", "httpx", "httpcore") or isinstance(cause, sqlite3.Error):
            return storage_error(index_dir, error, what, server=server)
        name = getattr(cause, "filename", None) if isinstance(cause, OSError) else None
        if name and Path(os.fsdecode(name)).resolve().is_relative_to(home):
            return storage_error(index_dir, error, what, server=server)
        if str(home) in str(cause) or (index_dir.is_absolute() and str(index_dir) in str(cause)):
            return storage_error(index_dir, error, what, server=server)  # tantivy's, naming its file
    return None


def server_error(error: BaseException, server: str | None, what: str) -> StoreUnavailableError | None:
    """The error to show when `what` failed because the Chroma `server` stopped answering (it is
    down, or hangs: Chroma's server stops answering writes once its disk is full); None for
    anything else."""
    if server is None:
        return None
    lost = next((e for e in _causes(error) if isinstance(e, httpx.TransportError)), None)
    if lost is None:
        return None
    how = (
        f"did not answer within {_lost_timeout(lost)}"
        if isinstance(lost, httpx.TimeoutException)
        else "cannot be reached"
    )
    return StoreUnavailableError(
        f"the Chroma server at {shown_url(server)} {how} ({type(lost).__name__}), so {what}. Is `chroma run` "
        "still running there, with room on its disk? Nothing stored is lost: try again once it "
        "answers (an ingest goes on where it stopped)"
    )


def _lost_timeout(error: httpx.TimeoutException) -> str:
    """The time a request waited before `error` (connecting, sending or reading), as words."""
    phase = {httpx.ConnectTimeout: "connect", httpx.WriteTimeout: "write", httpx.PoolTimeout: "pool"}
    try:
        seconds = error.request.extensions.get("timeout", {}).get(phase.get(type(error), "read"))
    except RuntimeError:  # no request attached
        seconds = None
    return f"{seconds:g} s" if isinstance(seconds, (int, float)) else "its time limit"


def _server_storage_error(server: str, error: BaseException, what: str, said: str) -> AssistantError | None:
    """A Chroma server's own disk full or read-only (SQLite's "database or disk is full",
    "attempt to write a readonly database", an OS error it passed on); None for anything else."""
    if "disk is full" in said or "no space left" in said:
        return DiskFullError(
            f"the Chroma server at {shown_url(server)} reports that its disk is full, so {what} "
            f"({type(error).__name__}: {error}). Nothing stored is lost: free some space on the "
            "server's machine (its `chroma run --path` folder) and run the same command again"
        )
    if "compaction" in said:  # the server failed to apply a write to its own files
        return StoreUnavailableError(
            f"the Chroma server at {shown_url(server)} could not store the writes, so {what} "
            f"({type(error).__name__}: {error}). Is its disk full? Its log says why. Nothing stored "
            "is lost: once it has room, run the same command again"
        )
    if "readonly" in said or "read-only" in said:
        return StoreUnavailableError(
            f"the Chroma server at {shown_url(server)} cannot write its data folder, so {what} "
            f"({type(error).__name__}: {error}): give `chroma run --path` a folder it can write to"
        )
    return None


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error` and the errors it was raised from or while handling, each once."""
    met: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in met:
        met.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def free_bytes(index_dir: Path) -> int:
    """Bytes of an embedded store's SQLite file that deleted records left free (a rebuild frees
    the old index's): SQLite reuses them for later writes but gives them back to the disk only
    when vacuumed. 0 when there is no such file."""
    database = index_dir / INDEX_MARKER
    if not database.is_file():
        return 0
    try:
        with contextlib.closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as db:
            pages = db.execute("PRAGMA freelist_count").fetchone()[0]
            size = db.execute("PRAGMA page_size").fetchone()[0]
    except sqlite3.Error:
        return 0
    return int(pages) * int(size)


_SEGMENT_FOLDER = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def reopen_embedded() -> None:
    """Forget this process's embedded Chroma clients, so the next open reads what other
    processes wrote (an embedded client keeps its vector index in memory)."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def _heartbeat_problem(scheme: str, host: str, port: int, timeout: float) -> tuple[str | None, bool]:
    """What keeps the server at host:port from answering its heartbeat, asked with a time limit
    (Chroma's client asks the server things as it is made, with none, and says only that it
    could not connect, for a wrong host, a closed port and a server of another kind alike),
    None when a Chroma server answers; and whether anything answered HTTP there at all."""
    try:
        reply = httpx.get(
            f"{'https' if scheme == 'https' else 'http'}://{host}:{port}/api/v2/heartbeat",
            timeout=httpx.Timeout(timeout, connect=10.0),
        )
    except httpx.TimeoutException:
        return f"it did not answer within {timeout:g} s (chroma_timeout_s); is it overloaded, or its disk full?", False
    except httpx.HTTPError as exc:
        for cause in _causes(exc):
            if isinstance(cause, socket.gaierror):
                return f"no host is named {host!r}", False
            if isinstance(cause, ConnectionRefusedError):
                return f"nothing listens on port {port} of {host}", False
        return str(exc) or exc.__class__.__name__, False
    if reply.status_code in (401, 403, 407):
        return (
            f"it asks for credentials (HTTP {reply.status_code}), and this assistant sends none: "
            "reach the server where it takes requests without them (a private network, or a tunnel)"
        ), True
    try:
        beat = reply.json()
    except ValueError:
        beat = None
    if reply.status_code != 200 or not isinstance(beat, dict) or "nanosecond heartbeat" not in beat:
        return f"something else answers on that port (HTTP {reply.status_code} to Chroma's heartbeat), not a Chroma server", True
    return None, True
