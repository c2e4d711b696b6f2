"""A question that asks an event's effect on something ("How did the strike affect school
breakfast programs?") is answered by sentences that tell of that something, and refused where
none the answer would state writes half its words (assistant/answer/candidates.py `effect_on`,
near_misses.py `untold_effect`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.candidates import effect_on
from assistant.answer.near_misses import untold_effect
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import bot_over


@pytest.mark.parametrize(
    ("question", "affected"),
    [
        ("How did the teachers' strike affect school breakfast programs in New Brunswick?", "school breakfast programs"),
        ("How will the Halvern deal affect Northgate's credit card business?", "credit card business"),
        ("How will the Northgate takeover change mortgage rates for Halvern customers?", "mortgage rates for customers"),
        ("How has the insolvency hit the chain's suppliers?", "chain's suppliers"),
        # what changed comes first: no effect on anything asked
        ("How will the customs checks on timber containers change after the seizure?", ""),
        ("How did Meridia's estimate change once compensation claims were counted?", ""),
        # a pronoun or a name alone is nothing an article must write
        ("How did the war affect him?", ""),
        ("How did the ruling affect Orbweave?", ""),
        ("What did the strike affect?", ""),
    ],
)
def test_what_a_question_asks_the_effect_on(question: str, affected: str) -> None:
    assert effect_on(question) == [w for w in affected.split() if w != "for"]


def test_sentences_that_tell_of_what_was_affected() -> None:
    affected = effect_on("How did the teachers' strike affect school breakfast programs in New Brunswick?")
    assert not untold_effect(affected, ["School breakfast programs were suspended at about 300 schools."])
    # half the words in one sentence is enough: "breakfasts" and "schools" are the same words
    assert not untold_effect(affected, ["Charities handed out breakfasts outside the closed schools."])
    # the words scattered over sentences, or a third of them, tell of no programs
    assert untold_effect(affected, ["About 300 schools were shut.", "Parents were paid $30 a day."]) == ["breakfast", "programs"]
    assert untold_effect(affected, ["About 300 schools were shut, the union said."]) == ["breakfast", "programs"]


STRIKE = (
    "Atlantic Canada News\n\nNew Brunswick teachers walk out\n\nOctober 20, 2025\n\n"
    "FREDERICTON, Oct. 20 - Public school teachers across New Brunswick walked off the job on Monday, shutting "
    "about 300 schools and leaving roughly 98,000 students at home in the province's first teachers' strike in "
    "more than 30 years.\n\n"
    "The strike began after talks with the provincial government broke down late on Saturday, following 14 "
    "months of bargaining over pay and class sizes.\n\n"
    "The province said it would pay parents $30 a day for each child aged 12 and under while schools remain "
    "closed. In Moncton, the YMCA said its emergency day camp for school-age children filled all 150 places "
    "within two hours.\n"
)


def test_asked_an_effect_on_what_the_articles_never_tell_of_the_answer_refuses(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"How did the teachers' strike affect school breakfast programs in New Brunswick?" was
    answered at 0.62 with the sentence that tells of the strike's start (development news; 10 such
    near misses there: "How will the Halvern deal affect Northgate's credit card business?")."""
    bot = bot_over(tmp_path, embedder, {"strike.txt": STRIKE})
    answer = bot.ask("How did the teachers' strike affect school breakfast programs in New Brunswick?")
    assert answer.abstained, answer.text
    assert answer.text.startswith(
        "The articles don't say. The sentences nearest the question never mention breakfast or programs."
    ), answer.text


def test_asked_an_effect_on_what_the_articles_tell_of_the_answer_gives_it(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    told = STRIKE.replace(
        "The province said",
        "School breakfast programs, which feed about 20,000 children, were suspended until the strike ends. The province said",
    )
    bot = bot_over(tmp_path, embedder, {"strike.txt": told})
    answer = bot.ask("How did the teachers' strike affect school breakfast programs in New Brunswick?")
    assert not answer.abstained, answer.text
    assert "breakfast programs, which feed about 20,000 children" in answer.text, answer.text
