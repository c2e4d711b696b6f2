"""Answers of the kind asked: a "how many" question is answered by a number that stands beside the
question's words, not one elsewhere in the sentence; a "who" question by a name other than the
question's own (assistant/answer/candidates.py `asks_who`, `gives_a_name`, `beside`; near_misses.py
`uncounted_beside`, `unnamed`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.candidates import asks_who, beside, gives_a_name
from assistant.answer.near_misses import uncounted_beside
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.lexical import content_terms
from tests.conftest import bot_over


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("Who heads the union?", True),
        ("Whom did the council appoint?", True),
        ("Whose complaint set off the inquiry?", True),
        ("Which company owns the mine?", False),  # "which group" is also a kind of animal
        ("According to Tesla, what had the spies who entered his room looked at?", False),
        ("How many people were hurt?", False),
        ("What did the union say?", False),
    ],
)
def test_a_question_answered_by_a_name(question: str, who: bool) -> None:
    assert asks_who(question) is who


def _stems(text: str) -> frozenset[str]:
    return frozenset(content_terms(text))


def test_a_name_other_than_the_question_s_own() -> None:
    asked = _stems("Who heads the Axarquia Growers' Union?")
    assert gives_a_name("Union president Antonio Ruano said the protest would go ahead.", asked)
    assert gives_a_name("The fossil was discovered in 2022 by a local rancher, Ernesto Quiroga, near the union's farms.", asked)
    assert gives_a_name("Tesla explained the principle.", asked)  # a sentence's first word may be a name
    assert not gives_a_name("The Axarquia Growers' Union has confirmed its tractor protest for Thursday.", asked)
    # a dateline names where the story was filed, not who
    assert not gives_a_name("MALAGA, Oct. 24 - The union has confirmed its protest.", asked)


def test_beside() -> None:
    sentence = "Kestrel employs about 14,800 people worldwide."
    at = sentence.index("14,800")
    assert beside(sentence, [(at, at + 6)], _stems("people"), 1)
    assert not beside(sentence, [(at, at + 6)], _stems("worldwide"), 0)
    assert beside(sentence, [(at, at + 6)], _stems("worldwide"), 2)


TRANSFER = (
    "Lisbon Sports Daily\n\nMaresia move fast to replace Quintela\n\nAugust 27, 2025\n\n"
    "PORTO, Aug. 27 - Maresia moved quickly to replace their top scorer on Wednesday, announcing the season-long "
    "loan of Nigerian forward Samuel Okoro-Bello from Belgian club Royal Daelen, with an option to buy.\n\n"
    "Davi Quintela completed his move to England on Tuesday after passing a medical. Quintela, the league's top "
    "scorer last season, scored many of his goals for Maresia from the penalty spot, and the club sold 40,000 "
    "replica shirts bearing his name.\n\n"
    "Sporting director Claire Hennessy said the negotiations had taken most of the summer and that three other "
    "clubs had asked about the forward.\n\n"
    "Maresia open their league season at home on Sunday.\n"
)


def test_asked_how_many_of_a_sentence_whose_number_counts_something_else_the_answer_refuses(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"How many goals did Quintela score for Maresia last season?" was answered with the sentence
    that writes his goals and, ten words on, the shirts the club sold (the development news's near
    misses of the kind: "How many teachers are on strike?" of "… thousands of teachers …")."""
    bot = bot_over(tmp_path, embedder, {"transfer.txt": TRANSFER})
    answer = bot.ask("How many goals did Quintela score for Maresia last season?")
    assert answer.abstained, answer.text
    assert answer.text.startswith("The articles don't say. The sentences nearest the question give no number of goals."), answer.text
    for question, count in (("How many replica shirts did the club sell?", "40,000"), ("How many other clubs asked about the forward?", "three")):
        answer = bot.ask(question)
        assert not answer.abstained, answer.text
        assert answer.short_answer is not None and count in answer.short_answer, answer.text


def test_a_number_beside_the_question_s_words() -> None:
    question = "How many people does Kestrel employ?"
    assert not uncounted_beside(question, ["Kestrel employs about 14,800 people worldwide."])
    assert uncounted_beside(question, ["Kestrel, which was founded in 1952 by two engineers, makes 40 kinds of jet engine parts."])
    # the question's names are the story's: a number beside them counts nothing asked
    assert uncounted_beside(question, ["Kestrel shares rose 4 percent on Friday."])
    # a number written into a word with what it counts
    assert not uncounted_beside("How many tiers does the school system have?", ["Generally, education follows the three-tier model."])
    assert not uncounted_beside(
        "How many former MVP honorees were present for a pregame ceremony?",
        ["In honor of the 50th Super Bowl, the pregame ceremony featured the on-field introduction of 39 of the 43 previous Super Bowl Most Valuable Players."],
    )
    # nor does the question's own number
    asked = "How many of the 112 unvaccinated pupils have since been vaccinated?"
    assert uncounted_beside(asked, ["The directorate said 112 of its pupils were unvaccinated."])
    assert not uncounted_beside(asked, ["The directorate said 40 of the 112 unvaccinated pupils have since been vaccinated."])


OFFICE = (
    "Southern Iberia Farm Review\n\nGrowers confirm tractor protest\n\nOctober 24, 2025\n\n"
    "MALAGA, Oct. 24 - The Axarquia Growers' Union has confirmed its tractor protest for next week, and the "
    "regional agriculture office said it would meet union leaders on Monday. The protest is over water limits that "
    "the regional government set for farms in September. The union, which heads a coalition of fruit growers' "
    "groups, says the limits threaten this year's avocado and mango harvests.\n\n"
    "The city council said it would deploy 25 inspectors to check for illegal pool filling.\n"
)


def test_asked_who_of_sentences_that_name_no_one_the_answer_refuses(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"Who heads the Axarquia Growers' Union?" was answered at 0.79 with the sentence that names
    the union and its protest, and no one (development news). Asked who leads a body, it is now
    refused as naming no head (leaders.py); asked who else, as naming no one."""
    bot = bot_over(tmp_path, embedder, {"farms.txt": OFFICE})
    answer = bot.ask("Who heads the Axarquia Growers' Union?")
    assert answer.abstained, answer.text
    assert answer.text.startswith(
        "The articles don't say. The sentences nearest the question give no head of the Axarquia Growers' Union."
    ), answer.text
    answer = bot.ask("Who will the Axarquia Growers' Union meet on Monday?")
    assert answer.abstained, answer.text
    assert answer.text.startswith("The articles don't say. The sentences nearest the question give no name."), answer.text


def test_asked_who_a_name_answers(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    named = OFFICE.replace(
        "The city council said",
        "Union president Antonio Ruano said the growers would not call off the protest. The city council said",
    )
    bot = bot_over(tmp_path, embedder, {"farms.txt": named})
    answer = bot.ask("Who heads the Axarquia Growers' Union?")
    assert not answer.abstained, answer.text
    assert "Antonio Ruano" in answer.text, answer.text
