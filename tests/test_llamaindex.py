"""The assistant inside LlamaIndex: its query engine and retriever used through LlamaIndex's own
interfaces (query, aquery, streaming, retrieve, RetrieverQueryEngine, QueryEngineTool) on the
sample corpus, offline. MockLLM is LlamaIndex's own stand-in LLM, passed explicitly."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from llama_index.core import Settings as LlamaSettings
from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import Response, StreamingResponse
from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.response_synthesizers.no_text import NoText
from llama_index.core.schema import QueryBundle
from llama_index.core.tools import QueryEngineTool, ToolMetadata

from assistant import Assistant, Filters
from assistant.errors import QuestionError
from assistant.ingest.loading import read_text
from tests.conftest import CITATION_FIELDS

QUESTION = "What did Putin say NATO ignored?"


def assert_citation_nodes(response: Response | StreamingResponse, text: str) -> None:
    assert response.source_nodes
    for source in response.source_nodes:
        meta = source.node.metadata
        assert set(meta) == CITATION_FIELDS
        assert source.node.get_content() == meta["text"]  # the quote as read; `quote` is the exact slice
        assert read_text(Path(meta["path"]))[meta["char_start"] : meta["char_end"]] == meta["quote"]
        assert f"[{meta['marker']}]" in text


def test_query_engine_answers_with_citations_as_source_nodes(sample_bot: Assistant) -> None:
    engine = sample_bot.as_query_engine()
    assert isinstance(engine, BaseQueryEngine)
    expected = sample_bot.ask(QUESTION)
    response = engine.query(QUESTION)
    assert isinstance(response, Response)
    assert response.response == expected.text and "indivisibility" in response.response
    assert [n.node.metadata for n in response.source_nodes] == [c.to_dict() for c in expected.citations]
    assert_citation_nodes(response, response.response)
    assert response.metadata is not None
    assert response.metadata["mode"] == "extractive" and response.metadata["abstained"] is False
    assert response.metadata["answer"] == expected.to_dict()

    again = asyncio.run(engine.aquery(QueryBundle(QUESTION)))
    assert isinstance(again, Response) and again.response == expected.text


def test_query_engine_streams_then_fills_in_the_sources(sample_bot: Assistant) -> None:
    expected = sample_bot.ask(QUESTION)
    response = sample_bot.as_query_engine(streaming=True).query(QUESTION)
    assert isinstance(response, StreamingResponse)
    assert response.source_nodes == []  # known once the answer is complete
    pieces = list(response.response_gen)
    assert len(pieces) >= 2 and "".join(pieces) == expected.text
    assert_citation_nodes(response, expected.text)
    assert response.metadata is not None and response.metadata["answer"] == expected.to_dict()


def test_query_engine_abstains_filters_and_refuses_empty_questions(sample_bot: Assistant) -> None:
    refused = sample_bot.as_query_engine().query("What did Macron say about gas prices?")
    assert isinstance(refused, Response) and refused.metadata is not None
    assert refused.metadata["abstained"] is True and refused.source_nodes == []

    xinhua = sample_bot.as_query_engine(filters=Filters(outlet="Xinhua")).query(
        "What did Putin and Macron discuss on January 28?"
    )
    assert xinhua.source_nodes and {n.node.metadata["outlet"] for n in xinhua.source_nodes} == {"Xinhua"}

    for streaming in (False, True):
        with pytest.raises(QuestionError, match="empty"):
            sample_bot.as_query_engine(streaming=streaming).query("   ")


def test_query_engine_as_an_agent_tool(sample_bot: Assistant) -> None:
    tool = QueryEngineTool(
        query_engine=sample_bot.as_query_engine(),
        metadata=ToolMetadata(name="news", description="Answers about the indexed news articles."),
    )
    output = tool.call("Who initiated the February 12 call?")
    assert "initiative of the French side" in output.content


def test_retriever_returns_the_hybrid_passages(sample_bot: Assistant) -> None:
    retriever = sample_bot.as_retriever()
    assert isinstance(retriever, BaseRetriever)
    question = "Did Putin and Macron discuss nuclear energy?"
    nodes = retriever.retrieve(question)
    passages = sample_bot.retrieve(question)
    assert [n.node.node_id for n in nodes] == [p.chunk_id for p in passages]
    assert len(nodes) == sample_bot.settings.top_k
    assert "nuclear energy" in nodes[0].node.get_content()
    scores = [n.score or 0.0 for n in nodes]
    assert scores == sorted(scores, reverse=True)
    for node in nodes:
        meta = node.node.metadata
        source = read_text(Path(meta["path"]))
        assert meta["title"] and meta["sentences"]
        for sentence in meta["sentences"]:
            assert source[sentence["char_start"] : sentence["char_end"]] == sentence["quote"]
        assert meta["char_start"] == meta["sentences"][0]["char_start"]
    assert len(sample_bot.as_retriever(top_k=2).retrieve(QueryBundle(question))) == 2
    # LlamaIndex's own name for it is taken too (a TypeError before), and two that disagree are refused
    assert len(sample_bot.as_retriever(similarity_top_k=2).retrieve(QueryBundle(question))) == 2
    with pytest.raises(QuestionError, match="disagree"):
        sample_bot.as_retriever(top_k=3, similarity_top_k=2)


def test_retriever_query_engine_built_on_the_retriever(sample_bot: Assistant) -> None:
    retriever = sample_bot.as_retriever(top_k=3)
    question = "How many Russian troops are deployed around the border with Ukraine?"
    expected_ids = [n.node.node_id for n in retriever.retrieve(question)]
    llm_before = LlamaSettings._llm

    # NoText writes no answer and calls no LLM; LlamaIndex's constructor still looks for a default
    # one, so LlamaIndex's MockLLM is passed.
    no_text = RetrieverQueryEngine(retriever, response_synthesizer=NoText(llm=MockLLM())).query(question)
    assert [n.node.node_id for n in no_text.source_nodes] == expected_ids

    # MockLLM echoes its prompt: the passages reach the synthesizer, without offsets or paths.
    echoed = RetrieverQueryEngine.from_args(retriever, llm=MockLLM(), response_mode="compact").query(question)
    assert [n.node.node_id for n in echoed.source_nodes] == expected_ids
    prompt = str(echoed)
    assert "100,000" in prompt and "title: " in prompt
    assert "char_start" not in prompt and "sentences" not in prompt
    assert LlamaSettings._llm is llm_before  # nothing set globally
