"""Hybrid retrieval through LlamaIndex: Chroma vectors + BM25 over the on-disk (tantivy) lexical index,
fused by reciprocal rank.

A question that names a date ("on January 28", "in February") lifts passages of
articles published then, or that mention that day; one that names a weekday ("the
Tuesday call") lifts articles published on such a day or that name it.

A question in relative time (assistant/relative_time.py), given the day it is asked: an
explicit window ("yesterday", "last week") keeps only articles published in it; recency ("the
latest") lifts newer articles by a prior on the fused ranking (RecencyPrior) and leaves out
those published after that day; a bare weekday lifts articles of the last such day.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

import numpy as np
from llama_index.core import VectorStoreIndex
from llama_index.core.retrievers import BaseRetriever, VectorIndexRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters

from assistant.dates import DateMention, mentioned_date, month_names, month_reported
from assistant.relative_time import TimeFrame
from assistant.search.embedding import MiniLMEmbedder, passage_text
from assistant.search.index import ArticleIndex
from assistant.search.lexical import content_terms
from assistant.search.llama_embedding import LlamaIndexMiniLM

RRF_K = 60
LEXICAL_THREADS = 4  # questions whose lexical part may run at once
DATE_BONUS = 1.0 / (RRF_K + 1)


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to an outlet and/or a range of published dates (inclusive), and
    leave out articles by id (the evals ask near misses as if an article had never been added)."""

    outlet: str | None = None
    published_from: date | None = None
    published_to: date | None = None
    exclude_doc_ids: frozenset[str] = frozenset()

    def for_llama_index(self) -> MetadataFilters | None:
        parts: list[MetadataFilter] = []
        if self.outlet:
            parts.append(MetadataFilter(key="outlet", value=self.outlet, operator=FilterOperator.EQ))
        if self.published_from:
            parts.append(
                MetadataFilter(
                    key="published_day", value=_day(self.published_from), operator=FilterOperator.GTE
                )
            )
        if self.published_to:
            parts.append(
                MetadataFilter(
                    key="published_day", value=_day(self.published_to), operator=FilterOperator.LTE
                )
            )
        if self.exclude_doc_ids:
            parts.append(
                MetadataFilter(key="doc_id", value=sorted(self.exclude_doc_ids), operator=FilterOperator.NIN)
            )
        return MetadataFilters(filters=parts) if parts else None  # type: ignore[arg-type]

    def within(self, first: date | None, last: date | None) -> Filters:
        """These filters narrowed to articles published from `first` to `last` (inclusive)."""
        start = max((d for d in (self.published_from, first) if d is not None), default=None)
        end = min((d for d in (self.published_to, last) if d is not None), default=None)
        return replace(self, published_from=start, published_to=end)


def _day(value: date) -> int:
    return int(value.strftime("%Y%m%d"))


@dataclass(frozen=True)
class RecencyPrior:
    """What "the latest" adds to a passage's fused score, in units of DATE_BONUS (being first in
    one of the two rankings): `weight / (1 + r)` for the r-th newest publication day among the
    candidates ("rank"), or `weight * 0.5 ** (age in days / half_life_days)` ("age"). Undated
    articles get nothing; articles published after the day asked are not read at all.
    Chosen by measurement: benchmarks/recency.py."""

    form: Literal["rank", "age"] = "rank"
    weight: float = 1.0
    half_life_days: float = 7.0

    def bonuses(self, published: dict[str, date], as_of: date) -> dict[str, float]:
        """Bonus per key of `published` (each published on or before `as_of`)."""
        if self.form == "age":
            return {
                key: self.weight * DATE_BONUS * 0.5 ** ((as_of - day).days / self.half_life_days)
                for key, day in published.items()
            }
        newest_first = sorted(set(published.values()), reverse=True)
        return {key: self.weight * DATE_BONUS / (1 + newest_first.index(day)) for key, day in published.items()}


DEFAULT_RECENCY = RecencyPrior()


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with every signal the answer step may weigh."""

    chunk_id: str
    text: str
    metadata: dict[str, Any]
    fused: float
    cosine: float
    bm25: float = 0.0
    date_match: bool = False

    @property
    def doc_id(self) -> str:
        return str(self.metadata["doc_id"])

    def sentence_spans(self) -> list[tuple[int, int, int, int]]:
        """(local_start, local_end, source_start, source_end) of each sentence."""
        return [tuple(s) for s in json.loads(self.metadata["sentences"])]  # type: ignore[misc]

    def source_quotes(self) -> list[str] | None:
        raw = self.metadata.get("quotes")
        return json.loads(raw) if raw else None

    def excerpt(self, source_starts: Collection[int]) -> Passage:
        """The passage cut down to the sentences that start at `source_starts` in the source
        file, in their order, "…" where sentences were left out; each keeps its offsets."""
        spans, quotes = self.sentence_spans(), self.source_quotes()
        pieces: list[str] = []
        kept_spans: list[list[int]] = []
        kept_quotes: list[str] = []
        length, previous = 0, -2
        for i, (start, end, src_start, src_end) in enumerate(spans):
            if src_start not in source_starts:
                continue
            gap = " " if i == previous + 1 else (" … " if pieces else "… ")
            if pieces or i > 0:
                pieces.append(gap)
                length += len(gap)
            pieces.append(self.text[start:end])
            kept_spans.append([length, length + end - start, src_start, src_end])
            length += end - start
            previous = i
            if quotes:
                kept_quotes.append(quotes[i])
        if previous < len(spans) - 1 and pieces:
            pieces.append(" …")
        metadata = {**self.metadata, "sentences": json.dumps(kept_spans), "excerpt": True}
        if quotes:
            metadata["quotes"] = json.dumps(kept_quotes)
        return replace(self, text="".join(pieces), metadata=metadata)


@dataclass
class RetrievalResult:
    passages: list[Passage]
    query_embedding: np.ndarray
    date: DateMention | None = None
    ranked_doc_ids: list[str] = field(default_factory=list)
    frame: TimeFrame | None = None
    # The time frame changed what was read: a window filtered, a dated candidate was lifted or
    # one published after the day asked was left out. Only then does the answer name that day.
    frame_mattered: bool = False
    outlet: str | None = None  # the outlet the question named: only its articles were read
    filters: Filters | None = None  # what was read: the caller's filters and the outlet named


def _distinct(ranked: Sequence[str], nodes: dict[str, NodeWithScore], top_k: int) -> list[str]:
    """The first `top_k` chunks of `ranked`, each text once per outlet. A page saved twice (its
    copies differ only around the story), or an article beside its update, holds the same
    chunks: both would be read, each cited as if a second report said it, and a passage that
    says something else would lose its place. The best-ranked copy is kept; the same text from
    another outlet (a wire story two papers print) stays, as two outlets did publish it."""
    seen: set[tuple[object, str]] = set()
    chosen: list[str] = []
    for chunk_id in ranked:
        node = nodes[chunk_id].node
        key = (node.metadata.get("outlet"), " ".join(node.get_content().split()))
        if key in seen:
            continue
        seen.add(key)
        chosen.append(chunk_id)
        if len(chosen) == top_k:
            break
    return chosen


def published_date(metadata: dict[str, Any]) -> date | None:
    """The day a passage's article was published, if it says."""
    value = metadata.get("published")
    return date.fromisoformat(str(value)) if value else None


def _date_matches(
    mention: DateMention, passage_meta: dict[str, Any], text: str, article_weekdays: frozenset[int], lead: str = ""
) -> bool:
    """Published that day, or printing it; a weekday counts when any part of the article names it.
    A month alone ("What was inflation in April?") is the month an article reports, the first its
    lead (`lead`, its first chunk) names as a period: a month's figures are mostly reported in the
    next one ("rose to 2.7% in April", published on May 13), and the report published in April
    gave March's. A month after the one it was published in, or long before it, is no month it
    reports ("are expected to meet in Santiago in September", in June). Only an article whose
    lead names no month so matches by the month it was published in (a review of many similar
    stories)."""
    published = published_date(passage_meta)
    if mention.only_month is not None:
        reported = month_reported(lead or text, published)
        if reported is not None:
            year = mention.year
            return reported == mention.month and (
                year is None or str(year) in text or (published is not None and published.year in (year, year + 1))
            )
    if published and mention.matches(published):
        return True
    if mention.weekday is not None:
        return mention.weekday in article_weekdays
    if mention.day is None or mention.month is None:
        return False
    lowered = text.lower()
    names = [name for name in month_names(mention.month) if len(name) > 3]
    return any(f"{name} {mention.day}" in lowered or f"{mention.day} {name}" in lowered for name in names)


class LexicalRetriever(BaseRetriever):
    """BM25 over the on-disk lexical index, as a LlamaIndex retriever: the chunks' text and
    metadata come from the store, only for the hits of complete articles."""

    def __init__(self, index: ArticleIndex, top_k: int) -> None:
        super().__init__()
        self._articles = index
        self.top_k = top_k
        self.filters = Filters()

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return self.search(query_bundle.query_str, self.filters)

    def search(self, query: str, f: Filters) -> list[NodeWithScore]:
        """The hits of `query` among the chunks `f` admits (thread-safe: no state is set). The
        index applies every filter before it keeps its top `top_k`, as the vector search does:
        an article left out, or another outlet's, leaves its places to the next hits. The
        store's metadata is checked again, as Chroma's filter compares it: both sides read the
        same articles whatever the lexical index holds."""
        hits = self._articles.lexical.search(
            content_terms(query),
            self.top_k,
            outlet=f.outlet,
            day_from=_day(f.published_from) if f.published_from else None,
            day_to=_day(f.published_to) if f.published_to else None,
            exclude=f.exclude_doc_ids,
        )
        complete = self._articles.catalog.known(hit.doc_id for hit in hits)
        scores = {hit.chunk_id: hit.score for hit in hits if hit.doc_id in complete}
        return [
            NodeWithScore(node=TextNode(id_=c.chunk_id, text=c.text, metadata=c.metadata), score=scores[c.chunk_id])
            for c in self._articles.store.chunks(list(scores))
            if str(c.metadata.get("doc_id")) not in f.exclude_doc_ids
            and (not f.outlet or c.metadata.get("outlet") == f.outlet)
        ]


class HybridRetriever:
    def __init__(
        self,
        index: ArticleIndex,
        embedder: MiniLMEmbedder,
        candidates: int,
        recency: RecencyPrior = DEFAULT_RECENCY,
    ) -> None:
        self.recency = recency
        self._articles = index
        self._embedder = embedder
        self._embed_model = LlamaIndexMiniLM(embedder)
        self._candidates = candidates
        self._lexical = LexicalRetriever(index, candidates)
        # The lexical search and its fetch of the hits' text run beside the query's embedding
        # and the vector search: against a Chroma server each is a round trip of its own.
        self._beside = ThreadPoolExecutor(max_workers=LEXICAL_THREADS, thread_name_prefix="lexical")
        self._index = VectorStoreIndex.from_vector_store(index.store.vector_store, embed_model=self._embed_model)
        self._store_seen = index.store

    @property
    def searching(self) -> ArticleIndex:
        return self._articles

    def use(self, index: ArticleIndex) -> None:
        """Search `index` from now on (a rebuilt one)."""
        self._articles = index
        self._lexical = LexicalRetriever(index, self._candidates)

    def _vector_index(self) -> VectorStoreIndex:
        store = self._articles.store
        if store is not self._store_seen:  # reopened after another process wrote to it
            self._index = VectorStoreIndex.from_vector_store(store.vector_store, embed_model=self._embed_model)
            self._store_seen = store
        return self._index

    def retrieve(
        self,
        query: str,
        top_k: int,
        filters: Filters | None = None,
        date_hint: DateMention | None = None,
        frame: TimeFrame | None = None,
        date_from_query: bool = True,
    ) -> RetrievalResult:
        """The `top_k` best passages; `frame`: the question's relative time (module docstring);
        the day the query names is `date_hint`, else the query's own (`date_from_query`)."""
        filters = filters or Filters()
        if frame is not None and frame.kind == "window":
            filters = filters.within(frame.published_from, frame.published_to)
        mention = date_hint or (mentioned_date(query) if date_from_query else None)
        if self._articles.catalog.is_empty() or (
            filters.published_from and filters.published_to and filters.published_from > filters.published_to
        ):
            query_embedding = self._embedder.embed_query(query)
            return RetrievalResult([], query_embedding, mention, frame=frame, frame_mattered=frame is not None)
        lexical = self._beside.submit(self._lexical.search, query, filters)
        query_embedding = self._embedder.embed_query(query)
        bundle = QueryBundle(query_str=query, embedding=query_embedding.tolist())
        vector_hits = VectorIndexRetriever(
            self._vector_index(),
            similarity_top_k=self._candidates,
            filters=filters.for_llama_index(),
        ).retrieve(bundle)
        # Chunks of an article still being written, or of one replaced a moment ago, are not
        # the index's until the catalog commits them: a question sees whole articles only.
        complete = self._articles.catalog.known(str(h.node.metadata["doc_id"]) for h in vector_hits)
        vector_hits = [h for h in vector_hits if str(h.node.metadata["doc_id"]) in complete]
        bm25_hits = [hit for hit in lexical.result() if (hit.score or 0) > 0]
        return self._fuse(vector_hits, bm25_hits, query_embedding, mention, top_k, frame)

    def _fuse(
        self,
        vector_hits: Sequence[NodeWithScore],
        bm25_hits: Sequence[NodeWithScore],
        query_embedding: np.ndarray,
        mention: DateMention | None,
        top_k: int,
        frame: TimeFrame | None = None,
    ) -> RetrievalResult:
        fused: dict[str, float] = {}
        nodes: dict[str, NodeWithScore] = {}
        cosine: dict[str, float] = {}
        bm25: dict[str, float] = {}
        for rank, hit in enumerate(vector_hits):
            fused[hit.node.node_id] = fused.get(hit.node.node_id, 0.0) + 1.0 / (RRF_K + rank + 1)
            nodes[hit.node.node_id] = hit
            # The Chroma adapter reports exp(-cosine distance).
            cosine[hit.node.node_id] = 1.0 + math.log(max(hit.score or 1e-9, 1e-9))
        for rank, hit in enumerate(bm25_hits):
            fused[hit.node.node_id] = fused.get(hit.node.node_id, 0.0) + 1.0 / (RRF_K + rank + 1)
            nodes.setdefault(hit.node.node_id, hit)
            bm25[hit.node.node_id] = float(hit.score or 0.0)
        date_match: dict[str, bool] = {}
        if mention is not None:
            leads = self._leads(nodes) if mention.month is not None and mention.day is None else {}
            for chunk_id, hit in nodes.items():
                doc_id = str(hit.node.metadata["doc_id"])
                weekdays = self._articles.catalog.weekdays(doc_id)
                date_match[chunk_id] = _date_matches(
                    mention, hit.node.metadata, hit.node.get_content(), weekdays, leads.get(doc_id, "")
                )
                if date_match[chunk_id]:
                    fused[chunk_id] += DATE_BONUS
        mattered = self._apply_frame(frame, nodes, fused) if frame is not None else False
        ranked = sorted(fused, key=lambda cid: fused[cid], reverse=True)
        ranked_docs: list[str] = []
        for chunk_id in ranked:
            doc_id = str(nodes[chunk_id].node.metadata["doc_id"])
            if doc_id not in ranked_docs:
                ranked_docs.append(doc_id)
        chosen = _distinct(ranked, nodes, top_k)
        missing = [cid for cid in chosen if cid not in cosine]
        if missing:
            vectors = self._articles.store.embeddings(missing)
            unread = [cid for cid in missing if cid not in vectors]
            if unread:  # committed by another process a moment ago: embedded again, as ingest did
                texts = [passage_text(str(nodes[cid].node.metadata.get("title") or ""), nodes[cid].node.get_content()) for cid in unread]
                vectors.update(zip(unread, self._embedder.embed(texts)))
            for cid in missing:
                cosine[cid] = float(np.dot(vectors[cid], query_embedding))
        passages = [
            Passage(
                chunk_id=cid,
                text=nodes[cid].node.get_content(),
                metadata=dict(nodes[cid].node.metadata),
                fused=fused[cid],
                cosine=cosine[cid],
                bm25=bm25.get(cid, 0.0),
                date_match=date_match.get(cid, False),
            )
            for cid in chosen
        ]
        return RetrievalResult(passages, query_embedding, mention, ranked_docs, frame, mattered)

    def _leads(self, nodes: dict[str, NodeWithScore]) -> dict[str, str]:
        """The first chunk's text of each article these hits are of: what the article reports."""
        doc_ids = {str(hit.node.metadata["doc_id"]) for hit in nodes.values()}
        leads = {d: nodes[f"{d}:0"].node.get_content() for d in doc_ids if f"{d}:0" in nodes}
        missing = [f"{d}:0" for d in doc_ids if d not in leads]
        leads.update({c.chunk_id.rpartition(":")[0]: c.text for c in self._articles.store.chunks(missing)})
        return leads

    def _apply_frame(self, frame: TimeFrame, nodes: dict[str, NodeWithScore], fused: dict[str, float]) -> bool:
        """Recency or a weekday's last day on the fused scores (in place), candidates published
        after the day asked dropped; True when the frame changed anything. A window was a filter."""
        if frame.kind == "window":
            return True
        published = {cid: published_date(hit.node.metadata) for cid, hit in nodes.items()}
        future = [cid for cid, day in published.items() if day is not None and day > frame.as_of]
        for cid in future:
            del fused[cid]
        if frame.kind == "asked":
            return bool(future)
        dated = {cid: day for cid, day in published.items() if day is not None and day <= frame.as_of}
        if frame.kind == "recent":
            for cid, bonus in self.recency.bonuses(dated, frame.as_of).items():
                fused[cid] += bonus
            return bool(future or dated)
        assert frame.first is not None
        days = {frame.first, frame.first + timedelta(days=1)}
        lifted = [cid for cid, day in dated.items() if day in days]
        for cid in lifted:
            fused[cid] += DATE_BONUS
        return bool(future or lifted)
