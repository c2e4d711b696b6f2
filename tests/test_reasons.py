"""Why something happened: the statement that gives the reason leads, and an article that says no
reason was given is not taken for one that gives it (assistant/answer/reasons.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.reasons import (
    asks_why,
    cause_before,
    gives_cause,
    gives_reason,
    reason_after,
    withholds_reason,
)
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.lexical import content_terms
from tests.conftest import bot_over


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Why was the Kessel Bridge closed?", True),
        ("What caused the outage at the plant?", True),
        ("What set off the fishermen's protest?", True),
        ("What started the Cedar Hollow fire?", True),
        ("What was the main reason for the delay?", True),
        ("How come the vote was postponed?", True),
        ("What did the mayor say about the delay?", False),
        ("What made the headlines on Monday?", False),
        ("Who started the petition?", False),
    ],
)
def test_a_question_that_asks_why(question: str, asks: bool) -> None:
    assert asks_why(question) is asks


@pytest.mark.parametrize(
    ("sentence", "reason", "cause", "withheld"),
    [
        ("The council postponed the vote because of flooding at the town hall.", True, True, False),
        ("The company cut 300 jobs, citing falling sales.", True, True, False),
        ("The bridge was closed after engineers found cracks in a girder.", True, False, False),
        ("The delay was due to heavy rain.", True, True, False),
        ("The festival had been due to open on Saturday.", False, False, False),
        ("It gave no further details.", False, False, True),
        ("The agency has not explained that delay.", False, False, True),
        ("He left without giving a reason.", False, False, True),
        ("The cause of the fire has not been determined.", False, False, True),
        ("Investigators are trying to determine what caused the derailment.", False, False, True),
        ("The cause of the outage is under investigation.", False, False, True),
        ("The finance director, Erik Dahl, left the company last month.", False, False, False),
    ],
)
def test_a_sentence_that_gives_a_reason_or_says_none_was_given(sentence: str, reason: bool, cause: bool, withheld: bool) -> None:
    assert (gives_reason(sentence), gives_cause(sentence), withholds_reason(sentence)) == (reason, cause, withheld)


def test_a_reason_counts_for_the_event_it_follows() -> None:
    """"... postponed 200 operations after a ransomware attack" tells why the operations were called
    off; "The fire forced the cancellation of the festival" does not tell why the festival was."""
    operations = set(content_terms("Why has the hospital called off planned operations?"))
    assert reason_after("The hospital has postponed 200 planned operations after a ransomware attack.", operations)
    festival = set(content_terms("Why was the Harvest Festival cancelled?"))
    assert not reason_after("The fire has also forced the cancellation of the Harvest Festival.", festival)
    assert cause_before("The fire near Pinecrest was started by a power line.", "a power line")
    assert not cause_before("The fire near Pinecrest was started by a power line.", "Pinecrest")


FESTIVAL = (
    "Valley Courier\n\nWildfire smoke cancels Harvest Festival\n\nSeptember 14, 2025\n\n"
    "The Cedar Hollow fire has also forced the cancellation of the Harvest Festival in Pinecrest, which had been "
    "due to open on Saturday. The festival draws about 20,000 visitors each year to the town's fairground. "
    "Stalls, rides and a craft market had already been set up on the fairground. "
    "Organisers said the decision was made to cancel because air quality in the valley had reached hazardous levels. "
    "Refunds will be paid automatically to ticket holders within two weeks.\n"
)

DEPARTURE = (
    "Valley Courier\n\nHalvorsen finance chief leaves\n\nSeptember 12, 2025\n\n"
    "Halvorsen's finance director, Erik Dahl, left the company last month after six years in the job, the "
    "timber group said on Friday. It gave no further details. Dahl joined Halvorsen from the accounting firm "
    "Berg & Lund in 2019. His deputy, Maren Holt, will run the finance department until a successor is named.\n"
)


def test_asked_why_the_statement_that_gives_the_reason_leads(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"Why was the Harvest Festival cancelled?" led with the sentence that reports the
    cancellation, and the organisers' "because air quality ... had reached hazardous levels" came
    third (a review of why questions: 1 of 13 reasons told in a sentence of their own stated
    first)."""
    bot = bot_over(tmp_path, embedder, {"festival.txt": FESTIVAL})
    answer = bot.ask("Why was the Pinecrest Harvest Festival cancelled?")
    assert not answer.abstained, answer.text
    assert answer.text.startswith("Organisers said the decision was made to cancel because air quality"), answer.text


def test_asked_why_of_an_article_that_says_no_reason_was_given_the_answer_refuses(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"Why did Erik Dahl leave Halvorsen?" was answered with "... left the company last month"
    and "It gave no further details." (a review of why questions: 0 of 21 questions whose
    articles give no reason refused)."""
    bot = bot_over(tmp_path, embedder, {"departure.txt": DEPARTURE})
    answer = bot.ask("Why did finance director Erik Dahl quit Halvorsen?")
    assert answer.abstained, answer.text
    assert answer.text.startswith("The articles don't say. The sentences nearest the question give no reason."), answer.text
    kept = bot.ask("Who will run Halvorsen's finance department until a successor is named?")
    assert not kept.abstained and "Maren Holt" in kept.text, kept.text


def test_asked_what_caused_something_a_name_near_it_is_no_short_answer(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"What started the Cedar Hollow fire?" led with "Pinecrest [1]." of "... destroyed 11 homes
    near Pinecrest, was started by a power line" (a review of why questions)."""
    fire = (
        "Valley Courier\n\nPower line started Cedar Hollow fire, investigators say\n\nSeptember 19, 2025\n\n"
        "The Cedar Hollow fire, which has burned more than 14,000 acres and destroyed 11 homes near Pinecrest, "
        "was started by a power line, state fire investigators said on Friday. Crews expect to contain the fire "
        "by the end of next week.\n"
    )
    bot = bot_over(tmp_path, embedder, {"fire.txt": fire})
    answer = bot.ask("What started the Cedar Hollow fire?")
    assert not answer.abstained, answer.text
    assert not answer.text.startswith("Pinecrest"), answer.text
    assert answer.short_answer in (None, "a power line"), answer.short_answer
