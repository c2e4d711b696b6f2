"""The assistant inside LlamaIndex apps: a query engine and a retriever.

This is the one module where LlamaIndex types face the user; the rest of the public API speaks
`Answer`, `Citation` and `Passage`. Compose them like any LlamaIndex component (routers,
agents' query-engine tools, `RetrieverQueryEngine`):

    engine = bot.as_query_engine()              # or streaming=True, filters=Filters(...)
    response = engine.query("What did Putin say NATO ignored?")
    response.response                            # the cited answer text
    response.source_nodes[0].node.metadata       # marker, quote, char_start, char_end, outlet, ...

    retriever = bot.as_retriever()               # the hybrid retriever (vectors + lexical)
    nodes = retriever.retrieve("nuclear energy")

Each source node of an answer is one citation: its text is the quote as read (`Citation.text`:
for a page, without its tags and entities), and its metadata the citation's fields (`marker`,
`doc_id`, `title`, `outlet`, `published`, `path`, `quote`, `char_start`, `char_end`): `quote` is
the source's text verbatim, `path`'s text from `char_start` to `char_end`. A retrieved node is one passage: its text the passage, its
metadata the article's fields, the span of the source file it covers and its sentences, each
with its quote and offsets. `Response.metadata` carries `mode`, `abstained`, `notice`,
`unsupported` and the whole `Answer.to_dict()` as `answer`.

Streaming: `response_gen` yields the text as it is written; when it ends, `source_nodes` and
`metadata` are filled in. With an LLM the pieces are its raw reply and the verified answer
(markers renumbered, unsupported sentences listed) is `metadata["answer"]["answer"]`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator, Iterator
from datetime import date
from itertools import chain
from typing import TYPE_CHECKING, Any

from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import RESPONSE_TYPE, Response, StreamingResponse
from llama_index.core.callbacks import CallbackManager
from llama_index.core.prompts.mixin import PromptMixinType
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from assistant.errors import AssistantError
from assistant.search.retrieval import Filters, Passage
from assistant.types import Answer, Citation

if TYPE_CHECKING:
    from assistant.assistant import Assistant

# Metadata an LLM reading a node need not see (offsets, ids, file paths).
HIDDEN_FROM_LLM = ["marker", "doc_id", "path", "char_start", "char_end", "sentences", "chunk_id", "quote", "text"]


def citation_node(citation: Citation) -> NodeWithScore:
    """One citation as a node: the quote as read as its text, the citation's fields as its metadata."""
    node = TextNode(
        id_=f"{citation.doc_id}:{citation.char_start}-{citation.char_end}",
        text=citation.text,
        metadata=citation.to_dict(),
        excluded_llm_metadata_keys=HIDDEN_FROM_LLM,
        excluded_embed_metadata_keys=HIDDEN_FROM_LLM,
    )
    return NodeWithScore(node=node, score=None)


def passage_node(passage: Passage) -> NodeWithScore:
    """One retrieved passage as a node, scored by the fused rank score."""
    quotes = passage.source_quotes()
    sentences = [
        {
            "quote": quotes[i] if quotes else passage.text[start:end],
            "char_start": src_start,
            "char_end": src_end,
        }
        for i, (start, end, src_start, src_end) in enumerate(passage.sentence_spans())
    ]
    meta = passage.metadata
    metadata: dict[str, Any] = {
        "doc_id": passage.doc_id,
        "title": meta.get("title"),
        "outlet": meta.get("outlet"),
        "published": meta.get("published"),
        "path": meta.get("path"),
        "chunk_id": passage.chunk_id,
        "char_start": sentences[0]["char_start"] if sentences else None,
        "char_end": sentences[-1]["char_end"] if sentences else None,
        "sentences": sentences,
    }
    node = TextNode(
        id_=passage.chunk_id,
        text=passage.text,
        metadata=metadata,
        excluded_llm_metadata_keys=HIDDEN_FROM_LLM,
        excluded_embed_metadata_keys=HIDDEN_FROM_LLM,
    )
    return NodeWithScore(node=node, score=passage.fused)


def response_metadata(answer: Answer) -> dict[str, Any]:
    return {
        "mode": answer.mode,
        "abstained": answer.abstained,
        "notice": answer.notice,
        "unsupported": list(answer.unsupported),
        "answer": answer.to_dict(),
    }


class AssistantRetriever(BaseRetriever):
    """The assistant's hybrid retriever (vectors + lexical, fused, dates preferred) as a
    LlamaIndex retriever; `top_k` passages (default: the `top_k` setting)."""

    def __init__(
        self,
        bot: Assistant,
        top_k: int | None = None,
        filters: Filters | None = None,
        callback_manager: CallbackManager | None = None,
        as_of: date | None = None,
    ) -> None:
        super().__init__(callback_manager=callback_manager)
        self._bot = bot
        self._top_k = top_k
        self._filters = filters
        self._as_of = as_of

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        passages = self._bot.retrieve(
            query_bundle.query_str, filters=self._filters, top_k=self._top_k, as_of=self._as_of
        )
        return [passage_node(p) for p in passages]


class AssistantQueryEngine(BaseQueryEngine):
    """The assistant as a LlamaIndex query engine: grounded, cited answers (see the module doc)."""

    def __init__(
        self,
        bot: Assistant,
        streaming: bool = False,
        filters: Filters | None = None,
        callback_manager: CallbackManager | None = None,
        as_of: date | None = None,
    ) -> None:
        super().__init__(callback_manager=callback_manager)
        self._bot = bot
        self._streaming = streaming
        self._filters = filters
        self._as_of = as_of  # the day questions are asked ("yesterday", "the latest"); None: today

    def _get_prompt_modules(self) -> PromptMixinType:
        return {}  # the prompts are files in prompts/, checked at load time

    def retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return AssistantRetriever(self._bot, filters=self._filters, as_of=self._as_of).retrieve(query_bundle)

    def _query(self, query_bundle: QueryBundle) -> RESPONSE_TYPE:
        if not self._streaming:
            answer = self._bot.ask(query_bundle.query_str, filters=self._filters, as_of=self._as_of)
            return Response(
                response=answer.text,
                source_nodes=[citation_node(c) for c in answer.citations],
                metadata=response_metadata(answer),
            )
        stream = self._bot.ask_stream(query_bundle.query_str, filters=self._filters, as_of=self._as_of)
        first = next(stream)  # errors (an empty question, an empty index) surface here, not mid-stream
        sources: list[NodeWithScore] = []
        metadata: dict[str, Any] = {}
        return StreamingResponse(
            response_gen=_pieces(first, stream, sources, metadata), source_nodes=sources, metadata=metadata
        )

    async def _aquery(self, query_bundle: QueryBundle) -> RESPONSE_TYPE:
        return await asyncio.to_thread(self._query, query_bundle)


def _pieces(
    first: str | Answer,
    stream: Iterator[str | Answer],
    sources: list[NodeWithScore],
    metadata: dict[str, Any],
) -> Generator[str, None, None]:
    """The text pieces of the answer; at its end, its citations go into `sources` and its
    metadata into `metadata` (the StreamingResponse's own list and dict). As the command line
    shows it: an answer that is not the text streamed (the offline answer after an LLM that
    failed, before or mid-reply; a reply that checking changed) follows it, said as such."""
    from assistant.answer.llm import what_follows_the_stream

    shown = ""
    for piece in chain([first], stream):
        if isinstance(piece, Answer):
            sources.extend(citation_node(c) for c in piece.citations)
            metadata.update(response_metadata(piece))
            rest = what_follows_the_stream(shown, piece)
            if rest:
                yield rest
            return
        shown += piece
        yield piece
    raise AssistantError("the answer ended without a result; please ask again")
