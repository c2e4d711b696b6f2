"""Questions about the articles themselves: which outlets reported something, when an article was
published, who wrote it (assistant/answer/sources.py). "When was the Xinhua article published?"
was answered with a sentence about the talks at confidence 1.00, and "Which outlets covered the
call?" with sentences that never said which outlets."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.sources import SourceQuestion, asked_of_sources
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import bot_over


@pytest.mark.parametrize(
    ("question", "outlet_named", "asked"),
    [
        ("Which outlets reported that the dam opened?", False, SourceQuestion("outlet", "the dam opened")),
        ("Which news agency covered the earthquake?", False, SourceQuestion("outlet", "the earthquake")),
        ("In which newspaper was the interview published?", False, SourceQuestion("outlet", "the interview")),
        ("When was the Xinhua article published?", True, SourceQuestion("published", "")),
        ("What is the date of the article about the Normandy talks?", False, SourceQuestion("published", "the Normandy talks")),
        ("When was Xinhua's report published?", True, SourceQuestion("published", "")),
        ("When did Xinhua report the call?", True, SourceQuestion("published", "the call")),
        ("Who wrote the story about the strike?", False, SourceQuestion("author", "the strike")),
        ("Who is the author of the column on rents?", False, SourceQuestion("author", "rents")),
        ("Which newspaper broke the news that the mayor resigned?", False, SourceQuestion("outlet", "the mayor resigned", first=True)),
        ("Which paper reported the bridge closure first?", False, SourceQuestion("outlet", "the bridge closure", first=True)),
        ("On what date did Xinhua publish its story on the talks?", True, SourceQuestion("published", "the talks")),
        ("Whose byline is on the Gazette story about the fire?", True, SourceQuestion("author", "the fire")),
        ("Which reporter wrote the Gazette article?", True, SourceQuestion("author", "")),
    ],
)
def test_a_question_about_the_articles_is_told_by_its_words(question: str, outlet_named: bool, asked: SourceQuestion) -> None:
    assert asked_of_sources(question, outlet_named) == asked


@pytest.mark.parametrize(
    "question",
    [
        "Which agency said the flights were cancelled?",  # a government body
        "When was the inspection report published?",  # a report the articles tell of
        "When was the law published?",
        "When did police report the crash?",  # no outlet is named
        "Which outlet did SANA cite for the Kremlin statement?",
        "Who wrote the letter to the mayor?",
        "What did Xinhua report?",
        "Which sources said the talks had stalled?",  # unnamed sources, as news quotes them
        "Which reporter asked the question?",
    ],
)
def test_a_question_about_what_articles_report_is_not_one_about_the_articles(question: str) -> None:
    assert asked_of_sources(question, outlet_named=False) is None


@pytest.fixture(scope="module")
def dam_bot(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Assistant:
    return bot_over(tmp_path_factory.mktemp("sources"), embedder, {
        "gazette.txt": "Title: Kvarn dam opens after six years\nOutlet: Harbor Gazette\nDate: 2025-03-04\nAuthor: Jane Doe\n\n"
        "The Kvarn hydroelectric dam opened on Monday, six years after construction began, the regional "
        "energy board said. The dam will supply power to 90,000 homes.\n",
        "voice.txt": "Title: Power flows from the Kvarn dam\nOutlet: Valley Voice\nDate: 2025-03-05\n\n"
        "The Kvarn dam opened on Monday and began sending power to the grid, its operator said. "
        "Fishermen downstream said they feared for the salmon run.\n",
        "ferry.txt": "Title: Ferry fares rise\nOutlet: Valley Voice\nDate: 2025-02-10\n\n"
        "Ferry fares across the Kvarn fjord will rise by 8 percent in April, the ferry company said.\n",
    })


def test_which_outlets_reported_it_names_each_with_the_sentence_it_reported(dam_bot: Assistant) -> None:
    answer = dam_bot.ask("Which outlets reported that the Kvarn dam opened?")
    assert not answer.abstained, answer.text
    told = [s for s in answer.statements if " wrote of it" in s.text]
    assert [s.text for s in told] == ["Harbor Gazette wrote of it on 2025-03-04", "Valley Voice wrote of it on 2025-03-05"], answer.text
    assert answer.text.startswith("Harbor Gazette wrote of it on 2025-03-04 [1]. Valley Voice wrote of it on 2025-03-05 [2]. ")
    for statement in told:
        (citation,) = [c for c in answer.citations if c.marker in statement.markers]
        assert statement.text.startswith(f"{citation.outlet} wrote of it on {citation.published}"), answer.text
        assert "dam opened on Monday" in citation.quote, answer.text


def test_which_outlet_was_first_puts_the_earliest_first(dam_bot: Assistant) -> None:
    """"Which outlet first reported ...?" listed the outlets in the order their sentences were
    ranked, so a later report came first (a held-out check of these questions)."""
    for question in ("Which outlet was the first to report that the Kvarn dam opened?", "Which paper reported the Kvarn dam opening first?"):
        answer = dam_bot.ask(question)
        assert answer.text.startswith("Harbor Gazette wrote of it, first, on 2025-03-04 [1]. Valley Voice wrote of it on 2025-03-05 ["), answer.text


def test_when_an_outlet_s_article_was_published_is_its_date(dam_bot: Assistant) -> None:
    answer = dam_bot.ask("When was the Harbor Gazette article published?")
    assert not answer.abstained, answer.text
    assert answer.text.startswith("Harbor Gazette's article was published on 2025-03-04 [1]."), answer.text
    assert answer.citations[0].outlet == "Harbor Gazette", answer.text
    about = dam_bot.ask("What is the date of the article about the salmon run?")
    assert about.text.startswith("Valley Voice's article was published on 2025-03-05 [1]."), about.text


def test_who_wrote_an_article_is_its_byline_and_none_is_not_guessed(dam_bot: Assistant) -> None:
    signed = dam_bot.ask("Who wrote the Harbor Gazette article about the dam?")
    assert not signed.abstained and signed.text.startswith("Harbor Gazette's article is by Jane Doe [1]."), signed.text
    unsigned = dam_bot.ask("Who wrote the Valley Voice article about the dam?")
    assert unsigned.abstained and "Valley Voice's article gives no byline." in unsigned.text, unsigned.text
    assert unsigned.confidence == 0.0
    both = dam_bot.ask("Who wrote the stories about the Kvarn dam opening?")
    assert both.text.startswith("Harbor Gazette's article is by Jane Doe [1]. Valley Voice's article gives no byline [2]."), both.text
