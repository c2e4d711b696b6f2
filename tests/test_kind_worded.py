"""The kind of answer a question's noun asks for, without "how much" or "when": "What salary was he
earning?" asks for a sum, "What sell-on percentage did the club keep?" for a share, "What time did
the earthquake hit?" for a time of day (assistant/answer/answer_types.py); sentences with none of
that kind only circle the question."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.answer_types import expected_answer_type
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import bot_over


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What salary was Zabaleta earning before his contract was terminated?", "amount of money"),
        ("What fine did the regulator impose on the airline?", "amount of money"),
        ("What revenue range did Kestrel forecast for the fourth quarter?", "amount of money"),
        ("What weekly wage will Quintela earn at Northgate?", "amount of money"),
        ("What was Kestrel's automotive revenue in the third quarter?", "amount of money"),
        ("What profit did Orbweave make last year?", "amount of money"),
        ("What did the expedition cost?", "amount of money"),
        ("What would it cost to run the Games, according to the bid company?", "amount of money"),
        ("What was the tram originally supposed to cost?", "amount of money"),
        ("What did the report say about the cost of living?", None),
        ("What profit margin did Kestrel report?", None),
        # a change of it may be a percentage, and a share of it is one
        ("What wage increase is the union asking for?", None),
        ("What revenue share does the league keep?", None),
        ("What was the revenue growth in the quarter?", None),
        ("What share of revenue did the fund get?", "percentage"),
        ("What sell-on percentage did Maresia keep in the Quintela deal?", "percentage"),
        ("What was the percentage of people that voted in favour of the act?", "percentage"),
        ("What time did the earthquake hit on Tuesday?", "time of day"),
        ("At what time did the train leave the tracks?", "time of day"),
        ("What time frame did the court set for the appeal?", None),
        ("What timeline did the ministry give?", None),
    ],
)
def test_the_kind_a_question_s_noun_asks_for(question: str, kind: str | None) -> None:
    found = expected_answer_type(question)
    assert (found.name if found else None) == kind


@pytest.mark.parametrize(
    ("sentence", "holds_it"),
    [
        ("The quake struck at 11:17 p.m. on Tuesday.", True),
        ("The lander touched down at 16:47 GMT.", True),
        ("The storm came ashore at about 3 a.m.", True),
        ("Rescuers reached the village shortly before dawn.", True),
        ("The blast was heard at midnight.", True),
        # the day of an event is no time of it
        ("Tuesday night's earthquake damaged 4,000 homes.", False),
        ("The train left the tracks on Thursday.", False),
    ],
)
def test_a_time_of_day_as_news_writes_it(sentence: str, holds_it: bool) -> None:
    kind = expected_answer_type("What time did it happen?")
    assert kind is not None and kind.found_in(sentence) is holds_it


QUAKE = (
    "Andes Daily\n\nChile declares catastrophe zone after Maule quake\n\nNovember 21, 2025\n\n"
    "SANTIAGO, Nov. 21 -- Chile's government on Thursday declared a catastrophe zone in six communes of the Maule "
    "region hit by Tuesday night's earthquake, freeing up emergency funds and placing the armed forces in charge of "
    "security. The magnitude 7.1 quake killed 14 people and damaged about 4,000 homes, the national disaster agency "
    "said.\n\n"
    "The quake also damaged an overpass on the Route 5 highway near Molina, and the public works ministry restricted "
    "traffic to a single lane in each direction.\n"
)


def test_asked_the_time_of_sentences_that_write_none_the_answer_refuses(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"What time did the earthquake hit on Tuesday?" was answered at 0.72 with the sentence of the
    catastrophe zone declared after "Tuesday night's earthquake" (development news)."""
    bot = bot_over(tmp_path, embedder, {"quake.txt": QUAKE})
    answer = bot.ask("What time did the earthquake hit on Tuesday?")
    assert answer.abstained, answer.text
    assert answer.text.startswith("The articles don't say. The sentences nearest the question give no time of day."), answer.text


def test_asked_the_time_a_time_of_day_answers(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    timed = QUAKE.replace("The quake also damaged", "The quake struck at 11:17 p.m. on Tuesday. It also damaged")
    bot = bot_over(tmp_path, embedder, {"quake.txt": timed})
    answer = bot.ask("What time did the earthquake hit on Tuesday?")
    assert not answer.abstained, answer.text
    assert "11:17 p.m." in answer.text, answer.text


SALE = (
    "Basque Cycling News\n\nVinalia ends Zabaleta contract\n\nMarch 4, 2026\n\n"
    "BILBAO, March 4 - Equipo Sierra Nevada-Vinalia said on Wednesday it had terminated Iker Zabaleta's contract, "
    "which was due to run until the end of 2027, after the rider missed three team camps. Zabaleta, 29, joined the "
    "team from a rival Spanish squad in 2024 and won two stages of the Tour of the Basque Country last year.\n\n"
    "His agent said the rider would appeal to the sport's arbitration court.\n"
)


def test_asked_a_salary_of_sentences_that_write_no_sum_the_answer_refuses(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"What salary was Iker Zabaleta earning … before his contract was terminated?" was answered
    at 0.76 with the sentence that says the contract was terminated (development news)."""
    bot = bot_over(tmp_path, embedder, {"cycling.txt": SALE})
    question = "What salary was Iker Zabaleta earning at Equipo Sierra Nevada-Vinalia before his contract was terminated?"
    answer = bot.ask(question)
    assert answer.abstained, answer.text
    assert "give no amount of money" in answer.text, answer.text
    paid = SALE.replace(
        "His agent said the rider", "Zabaleta was earning about 450,000 euros a year at Sierra Nevada-Vinalia, his agent said. The agent said the rider"
    )
    (tmp_path / "paid").mkdir()
    answer = bot_over(tmp_path / "paid", embedder, {"cycling.txt": paid}).ask(question)
    assert not answer.abstained, answer.text
    assert "450,000 euros a year" in answer.text, answer.text
