"""A question that asks the name of someone or something it describes ("What is the name of the
driver of the derailed train?") is answered by a name beside that description, and refused where
the sentences nearest it tell of the one described without naming them (assistant/answer/
candidates.py `named_thing`, near_misses.py `nameless_beside`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.candidates import named_thing
from assistant.answer.near_misses import nameless_beside, names_it_next
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.lexical import content_terms
from tests.conftest import bot_over


def _stems(text: str) -> frozenset[str]:
    return frozenset(content_terms(text))


@pytest.mark.parametrize(
    ("question", "described"),
    [
        ("What is the name of the driver of the derailed Adamov train?", "driver"),
        ("What were the names of the elderly couple killed in San Clemente?", "elderly couple"),
        ("What is the full name of the director of Phat Dat Hung Import-Export Co.?", "director"),
        # a name after the description starts a clause that says more of it
        ("What is the name of the app Orbweave makes?", "app"),
        # names are the story's, numbers say which one: neither is what is named
        ("What is the name of the Mostoprojekt Pomorze spokesman who spoke about the sensors?", "spokesman"),
        ("What was the name of the 71-year-old man from Lasko who died?", "man"),
        ("What is the name of the roofing subcontractor one suspect worked for?", "roofing subcontractor one suspect"),
        ("What was the name of the research ship?", "research ship"),
        # other questions describe nothing to name
        ("Who is the driver?", ""),
        ("What did the driver say?", ""),
        ("What is the name's origin?", ""),
    ],
)
def test_what_a_question_asks_the_name_of(question: str, described: str) -> None:
    assert named_thing(question) == _stems(described)


def test_a_name_beside_what_is_described() -> None:
    question = "What is the name of the driver of the derailed Adamov train?"
    described = named_thing(question)
    assert not nameless_beside(question, described, ["The train's driver, Jan Novak, 52, was treated for shock."])
    assert not nameless_beside(question, described, ["Driver Jan Novak was treated for shock."])
    # a name far from the driver, or only the question's own names, names no driver
    assert nameless_beside(
        question,
        described,
        ["The driver was treated for shock after the crowded morning commuter train derailed north of Brno on Thursday."],
    )
    assert nameless_beside(question, described, ["The Adamov train's driver was treated for shock."])
    # a dateline tells where the story was filed
    assert nameless_beside(question, described, ["ADAMOV, Feb. 13 - The driver was treated for shock."])


def test_the_sentence_after_the_lead_names_what_it_told_of() -> None:
    question = "What is the name of the tanker that ran aground?"
    described = named_thing(question)
    lead = "A loaded oil tanker ran aground on a reef off the Hustadvika coast early on Sunday."
    assert names_it_next(question, described, lead, "The Liberian-flagged Silver Merope, carrying 84,000 tonnes of crude, struck the reef.")
    assert names_it_next(question, described, "The storm closed the port.", "The tanker Silver Merope struck the reef.")
    # a first word is capital in any sentence; a name far into the sentence names something else
    assert not names_it_next(question, described, lead, "Police said the crew had been lifted off by helicopter.")
    assert not names_it_next(question, described, lead, "The crew of 22 were lifted off by two helicopters from Kristiansund.")
    # a lead that never tells of a tanker: the name that opens the next sentence is not its name
    assert not names_it_next(question, described, "The storm closed the port.", "The Liberian-flagged Silver Merope struck the reef.")


DERAILMENT = (
    "Central European Wire\n\nCommuter train derails near Brno\n\nFebruary 13, 2025\n\n"
    "ADAMOV, Czech Republic, Feb. 13 - A crowded morning commuter train derailed in the Svitava valley north "
    "of Brno on Thursday, injuring 23 people, four of them seriously, emergency services said. The train's "
    "driver was taken to hospital with a broken arm, and the rail safety inspection office said it had opened "
    "an investigation.\n\n"
    "The line between Brno and Adamov was closed for the rest of the day while cranes lifted the two derailed "
    "carriages back onto the track. Regional buses carried passengers between the stations.\n\n"
    "Transport Minister Martin Kucera visited the site in the afternoon and said the cause would be known "
    "within weeks.\n"
)


def test_asked_the_name_of_someone_the_articles_do_not_name_the_answer_refuses(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"What is the name of the driver of the derailed Adamov train?" was answered at 0.63 with the
    story's lead, which names the valley, the city and no driver (development news's near misses
    of the kind: "the body of a 71-year-old resident of Lasko", "a roofing subcontractor")."""
    bot = bot_over(tmp_path, embedder, {"derailment.txt": DERAILMENT})
    answer = bot.ask("What is the name of the driver of the derailed Adamov train?")
    assert answer.abstained, answer.text
    assert answer.text.startswith("The articles don't say. The sentences nearest the question give no name."), answer.text


def test_asked_the_name_of_someone_the_articles_name_the_answer_gives_it(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    named = DERAILMENT.replace("The train's driver was", "The train's driver, Jan Novak, was")
    bot = bot_over(tmp_path, embedder, {"derailment.txt": named})
    answer = bot.ask("What is the name of the driver of the derailed Adamov train?")
    assert not answer.abstained, answer.text
    assert "Jan Novak" in answer.text, answer.text


STEAM = (
    "Engineering Weekly\n\nSteam's second life\n\nMarch 3, 2025\n\n"
    "The weight of boilers and condensers generally makes the power-to-weight ratio of a steam plant lower than "
    "that of an internal combustion engine. For mobile applications steam has been largely superseded by internal "
    "combustion engines or electric motors. Recent concerns about fuel sources and pollution have incited a "
    "renewed interest in steam power in the modern era, both in cogeneration and as a prime mover. This is "
    "becoming known as the Advanced Steam movement.\n\n"
    "Steam power still drives most of the world's electricity, since power stations use steam turbines. Ships "
    "gave up steam power for the diesel engine in the modern era.\n"
)


def test_asked_the_name_of_something_the_next_sentence_names_the_answer_states_it(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """News and encyclopaedias tell of a thing, then name it ("… a renewed interest in steam …"
    then "This is becoming known as the Advanced Steam movement."): the sentence after the lead
    is stated where it names what the question describes, not refused (SQuAD's held-out
    articles)."""
    bot = bot_over(tmp_path, embedder, {"steam.txt": STEAM})
    answer = bot.ask("What is the name of the movement that seeks renewed use of steam power in the modern era?")
    assert not answer.abstained, answer.text
    assert "Advanced Steam movement" in answer.text, answer.text


TANKER = (
    "Norwegian Sea Gazette\n\nTanker runs aground off Norway's west coast\n\nJanuary 18, 2026\n\n"
    "KRISTIANSUND, Norway, Jan. 18 - A loaded oil tanker ran aground on a reef off the Hustadvika coast of "
    "western Norway early on Sunday, spilling heavy fuel oil into the sea.\n\n"
    "The Liberian-flagged Silver Merope, carrying about 84,000 tonnes of crude oil, struck the reef at 3:40 a.m., "
    "the Norwegian Coastal Administration said. Its cargo tanks appeared to be intact.\n\n"
    "All 22 crew members were lifted off the ship by two rescue helicopters, and seven oil-recovery vessels "
    "were on their way to the reef.\n"
)


def test_asked_the_name_of_what_the_lead_tells_of_the_next_sentence_that_names_it_answers(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """News tells of "a loaded oil tanker" in its lead and names it in the next sentence: that
    sentence is stated, not a refusal that nothing names a tanker (the constructed news's "What is
    the name of the tanker that ran aground?", answered wrongly with the lead alone before)."""
    bot = bot_over(tmp_path, embedder, {"tanker.txt": TANKER})
    answer = bot.ask("What is the name of the oil tanker that ran aground off the Hustadvika coast?")
    assert not answer.abstained, answer.text
    assert "Silver Merope" in answer.text, answer.text
