"""The same retrieval suite against the embedded store and a real `chroma run` server."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.ingest.loading import read_text
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import CORPUS


@pytest.fixture(scope="module", params=["embedded", "server"])
def backend_bot(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder
) -> Assistant:
    values: dict[str, object] = {"index_dir": tmp_path_factory.mktemp("backend"), "collection": "suite"}
    if request.param == "server":
        values["chroma_url"] = request.getfixturevalue("chroma_server")
    bot = Assistant(Settings.from_mapping(values), embedder=embedder)
    assert len(bot.ingest([CORPUS]).added) == 5
    return bot


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("What did Putin say NATO ignored?", "indivisibility of security"),
        ("Who initiated the February 12 call?", "initiative of the French side"),
        ("How many Russian troops are deployed around the border with Ukraine?", "100,000"),
    ],
)
def test_retrieval_and_citations(backend_bot: Assistant, question: str, fact: str) -> None:
    answer = backend_bot.ask(question)
    assert fact in answer.text
    for citation in answer.citations:
        assert read_text(Path(citation.path))[citation.char_start : citation.char_end] == citation.quote


def test_articles_and_reingest(backend_bot: Assistant) -> None:
    assert len(backend_bot.articles()) == 5
    assert len(backend_bot.ingest([CORPUS]).unchanged) == 5


def test_abstention(backend_bot: Assistant) -> None:
    assert backend_bot.ask("What did Macron say about gas prices?").abstained
