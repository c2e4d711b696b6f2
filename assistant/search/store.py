"""The Chroma store of chunks: embedded on disk, or a Chroma server.

Each chunk's metadata carries its article's description and the offsets of its
sentences, so answers and citations need nothing but the store.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from llama_index.core.schema import BaseNode, NodeRelationship, RelatedNodeInfo, TextNode
from llama_index.vector_stores.chroma import ChromaVectorStore

from assistant.config import Settings
from assistant.errors import IndexMismatchError, StoreUnavailableError
from assistant.ingest.documents import Article

MANIFEST_KEYS = ("embedding_model", "chunk_tokens", "chunk_overlap", "cleaner")
# Metadata neither embedded nor shown to an LLM.
_INTERNAL_KEYS = ("sentences", "quotes", "path", "published_day", "url", "authors", "modified", "language")


@dataclass(frozen=True)
class StoredArticle:
    doc_id: str
    path: str
    title: str
    outlet: str | None
    published: str | None
    chunks: int


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
    return meta


class ChunkStore:
    def __init__(self, settings: Settings, manifest: dict[str, str | int], fresh: bool = False) -> None:
        """Open the collection; `fresh` empties it first, whatever settings built it."""
        self._client = _connect(settings)
        self._name = settings.collection
        self._manifest = {k: manifest[k] for k in MANIFEST_KEYS}
        self._where = settings.chroma_url or str(settings.index_dir)
        if fresh and self._name in {c.name for c in self._client.list_collections()}:
            self._client.delete_collection(self._name)
        try:
            self._collection = self._client.get_or_create_collection(
                self._name,
                metadata=dict(self._manifest),
                configuration={"hnsw": {"space": "cosine"}},
            )
        except Exception as exc:  # chromadb raises many unrelated types here
            raise StoreUnavailableError(f"cannot open the Chroma collection at {self._where}: {exc}") from exc
        self._check_manifest()
        self.vector_store = ChromaVectorStore(chroma_collection=self._collection)

    def _check_manifest(self) -> None:
        stored = self._collection.metadata or {}
        differences = [
            f"{key}: index has {stored.get(key)!r}, settings ask for {value!r}"
            for key, value in self._manifest.items()
            if key in stored and stored[key] != value
        ]
        if differences:
            raise IndexMismatchError(
                f"the index at {self._where} was built with other settings ("
                + "; ".join(differences)
                + "). Rebuild it with `assistant ingest --rebuild PATH...`, "
                "or open it with the settings it was built with."
            )

    def add(self, articles: Sequence[tuple[Article, np.ndarray]]) -> None:
        """Store articles' chunks with their embeddings (one row per chunk), in bulk."""
        nodes: list[BaseNode] = [
            TextNode(
                id_=f"{article.doc_id}:{i}",
                text=chunk.text,
                metadata=chunk_metadata(article, i),
                embedding=embeddings[i].tolist(),
                excluded_embed_metadata_keys=[*_INTERNAL_KEYS],
                excluded_llm_metadata_keys=[*_INTERNAL_KEYS],
                # LlamaIndex writes the source node's id into the "doc_id" metadata key.
                relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=article.doc_id)},
            )
            for article, embeddings in articles
            for i, chunk in enumerate(article.chunks)
        ]
        if nodes:
            self.vector_store.add(nodes)

    def embeddings(self, chunk_ids: Sequence[str]) -> list[np.ndarray]:
        got = self._collection.get(ids=list(chunk_ids), include=["embeddings"])  # type: ignore[list-item]
        by_id = dict(zip(got["ids"], got["embeddings"] if got["embeddings"] is not None else []))
        return [np.asarray(by_id[cid], dtype=np.float32) for cid in chunk_ids]

    def delete_article(self, doc_id: str) -> None:
        self._collection.delete(where={"doc_id": doc_id})

    def _all(self, include: Sequence[str]) -> Any:
        return self._collection.get(include=list(include))  # type: ignore[arg-type]

    def articles(self) -> dict[str, StoredArticle]:
        """Indexed articles by doc id."""
        found: dict[str, StoredArticle] = {}
        counts: dict[str, int] = {}
        for meta in self._all(["metadatas"])["metadatas"] or []:
            doc_id = str(meta["doc_id"])
            counts[doc_id] = counts.get(doc_id, 0) + 1
            found[doc_id] = StoredArticle(
                doc_id=doc_id,
                path=str(meta["path"]),
                title=str(meta["title"]),
                outlet=_optional(meta.get("outlet")),
                published=_optional(meta.get("published")),
                chunks=0,
            )
        return {
            doc_id: StoredArticle(**{**a.__dict__, "chunks": counts[doc_id]}) for doc_id, a in found.items()
        }

    def nodes(self) -> list[TextNode]:
        """Every chunk as a LlamaIndex node (for the BM25 index)."""
        got = self._all(["documents", "metadatas"])
        return [
            TextNode(id_=chunk_id, text=text or "", metadata=_public_metadata(meta))
            for chunk_id, text, meta in zip(got["ids"], got["documents"] or [], got["metadatas"] or [])
        ]


def _public_metadata(meta: Any) -> dict[str, Any]:
    return {k: v for k, v in dict(meta).items() if not k.startswith("_")}


def _optional(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _connect(settings: Settings) -> Any:
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:  # connection errors come in many types
            raise StoreUnavailableError(
                f"cannot reach the Chroma server at {settings.chroma_url} ({exc.__class__.__name__}). "
                "Is `chroma run` started there? Unset ASSISTANT_CHROMA_URL to use the embedded store."
            ) from exc
        return client
    index_dir = Path(settings.index_dir)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(index_dir), settings=chroma_settings)
    except Exception as exc:  # permission, corrupt files, locked database
        raise StoreUnavailableError(f"cannot open the index folder {index_dir}: {exc}") from exc
