"""Requests for an overview, answered with each article's opening sentence (the real reader,
the real index of the sample articles)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import NOT_IN_ARTICLES, Assistant
from assistant.answer.overview import overview_topic
from assistant.config import Settings
from assistant.ingest.documents import build_article


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Tell me about the port strike", "the port strike"),
        ("Can you tell me more about NATO?", "NATO"),
        ("summarize the news on the Chile Bolivia talks.", "the Chile Bolivia talks"),
        ("Give me a quick summary of the talks", "the talks"),
        ("What's the latest news on Ukraine?", "Ukraine"),
        ("What's new with the wind farm?", "the wind farm"),
        ("Any news on the wind farm?", "the wind farm"),
        ("What do the articles say about Iran?", "Iran"),
        # Questions that ask for one thing are not requests for an overview.
        ("What happened to Apollo 13?", None),
        ("Tell me who won the election", None),
        ("Who told Macron about the response?", None),
        ("Summarize", None),
    ],
)
def test_what_asks_for_an_overview(question: str, topic: str | None) -> None:
    assert overview_topic(question) == topic


def test_an_overview_is_each_articles_opening_sentence(sample_bot: Assistant) -> None:
    answer = sample_bot.ask("Tell me about the Putin Macron phone call")
    assert not answer.abstained and answer.short_answer is None
    cited = {c.doc_id: c for c in answer.citations}
    assert len(cited) >= 2, answer.text  # more than one article's account
    settings = Settings()
    for citation in cited.values():
        article = build_article(Path(citation.path), settings.chunk_tokens, settings.chunk_overlap)
        opening = article.chunks[0].sentences[0]
        assert (citation.char_start, citation.quote) == (article.source_span(opening.start, opening.end)[0], opening.text)
    assert len(answer.statements) == len(cited)  # one statement an article


def test_an_overview_of_what_the_articles_do_not_cover_is_refused(sample_bot: Assistant) -> None:
    answer = sample_bot.ask("Tell me about the World Cup final")
    assert answer.abstained and not answer.citations
    assert answer.text == f"{NOT_IN_ARTICLES} No article uses the words World, Cup or final."


@pytest.mark.parametrize(
    ("request_", "lacking"),
    [
        ("Give me an update on the Ukrainian grain deal", "No article uses the word grain."),
        ("Give me an overview of the Olympics", "No article uses the word Olympics."),
    ],
)
def test_a_refused_overview_names_the_topics_words_not_the_requests(
    sample_bot: Assistant, request_: str, lacking: str
) -> None:
    answer = sample_bot.ask(request_)
    assert answer.abstained and answer.text == f"{NOT_IN_ARTICLES} {lacking}"
