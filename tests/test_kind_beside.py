"""Answers of the kind asked: a "how many" question is answered by a number that stands beside the
question's words, not one elsewhere in the sentence; a "who" question by a name other than the
question's own (assistant/answer/candidates.py `asks_who`, `gives_a_name`, `beside`; near_misses.py
`uncounted_beside`, `unnamed`, `counts_another`; spans.py `counted_after`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.candidates import asks_who, beside, gives_a_name
from assistant.answer.corroboration import SentenceVectors
from assistant.answer.near_misses import counts_another, uncounted_beside
from assistant.answer.spans import counted_after, counted_thing, load_span_model
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


@pytest.mark.parametrize(
    ("sentence", "number", "counted"),
    [
        ("Floods forced about 2,300 residents to leave their homes.", "2,300", ("residents",)),
        ("China operates 11 large dams on the upper river.", "11", ("large", "dams")),
        ("It was chosen by a seven-member jury.", "seven", ("member", "jury")),
        ("The chain will close 12 of its 38 stores.", "12", ("stores",)),
        ("Pilots grounded 212 of the carrier's 340 scheduled flights.", "212", ("scheduled", "flights")),
        # nothing told of what it counts: it may count anything
        ("The death toll rose to 12 on Monday.", "12", None),
        ("Twelve were killed and 40 injured.", "40", None),
        ("Four of them were children.", "Four", None),
        ("Quintela scored 27 times in 38 games.", "27", None),
        ("About 39 of the 43 previous Super Bowl Most Valuable Players came.", "39", None),
    ],
)
def test_what_a_number_counts(sentence: str, number: str, counted: tuple[str, ...] | None) -> None:
    assert counted_after(sentence, sentence.index(number) + len(number)) == counted


def test_a_count_of_another_thing_beside_the_thing_asked(embedder: MiniLMEmbedder) -> None:
    words = SentenceVectors(embedder.embed)
    homes = "Floods forced about 2,300 residents to leave their homes, officials said."
    assert counts_another("homes", [homes], words)
    assert counts_another("elephants", ["Customs seized 7.2 tonnes of pangolin scales and 460 kilograms of elephant ivory."], words)
    # a number that counts the thing asked, in its words or in others near in meaning
    assert not counts_another("homes", [homes, "The water damaged 640 homes in the old town."], words)
    assert not counts_another("houses", ["The fire destroyed 120 houses, leaving 300 homes without power."], words)
    assert not counts_another("cars", ["Fourteen vehicles and their cars were involved."], words)
    # a sentence that counts without writing the thing asked may count it in other words
    assert not counts_another("jobs", ["The bank will cut 500 positions."], words)
    assert not counts_another("units", ["Shares rose 4.2 percent after the glasses sold out in the United States."], words)
    # a number that tells nothing of what it counts may count it
    assert not counts_another("homes", ["The number of flooded homes rose to 640, and 2,300 residents left."], words)


def test_the_thing_a_question_counts() -> None:
    assert counted_thing("How many measles cases had the county confirmed?") == "cases"
    assert counted_thing("How many US troops are stationed there?") == "troops"
    assert counted_thing("How many Halvern branches will Northgate close?") == "branches"
    assert counted_thing("How many people were hurt?") is None


def test_the_short_answer_counts_the_thing_asked(embedder: MiniLMEmbedder) -> None:
    """"How many surgeries were postponed at Hospital Regional de Talca?" led with "two" of "two
    operating theatres remained closed …, forcing the postponement of about 40 surgeries"
    (development news); the count of the surgeries leads now."""
    sentence = (
        "At Kilmore General Hospital, two operating theatres remained closed after ceiling panels fell during the quake, "
        "forcing the postponement of about 40 non-urgent surgeries, a hospital spokeswoman said."
    )
    question = "How many surgeries were postponed at Kilmore General Hospital?"
    found = load_span_model().best(sentence, question, "number", frozenset(content_terms(question)))
    assert found is not None and found.candidate.text.endswith("40"), found
    # a count in other words stays where none counts the thing in its own
    sentence = "Cases have climbed to 263, officials said on Friday, as mobile teams gave more than 5,800 shots in two days."
    question = "How many vaccinations did the mobile teams give?"
    found = load_span_model().best(sentence, question, "number", frozenset(content_terms(question)))
    assert found is not None and found.candidate.text.endswith("5,800"), found


FLOODS = (
    "Savinja Valley News\n\nFlood forces thousands from homes\n\nSeptember 15, 2025\n\n"
    "CELJE, Sept. 15 - Rescue crews in army helicopters lifted people from rooftops on Sunday after the river broke "
    "through flood barriers in and around Velenje, forcing about 2,300 residents to leave their homes, regional officials said.\n\n"
    "The river peaked shortly after midnight, well above the level at which barriers are raised.\n\n"
    "Schools in the valley will stay closed until Wednesday.\n"
)


def test_asked_how_many_of_a_sentence_that_counts_another_thing_the_answer_refuses(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"How many homes in Celje were flooded?" was answered "about 2,300" of "forcing about 2,300
    residents to leave their homes" (development news)."""
    bot = bot_over(tmp_path, embedder, {"floods.txt": FLOODS})
    answer = bot.ask("How many homes in Velenje were flooded?")
    assert answer.abstained, answer.text
    assert answer.text.startswith("The articles don't say. The sentences nearest the question give no number of homes."), answer.text
    answer = bot.ask("How many residents had to leave their homes?")
    assert not answer.abstained, answer.text
    assert answer.short_answer is not None and "2,300" in answer.short_answer, answer.text
