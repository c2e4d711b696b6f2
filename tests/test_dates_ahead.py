"""Questions about when something still to come will happen: answered by a sentence that writes a
day, a month or a time ahead, refused where the answer would write none
(assistant/answer/candidates.py `asks_when_ahead`, `dated`; near_misses.py `undated`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.candidates import asks_when_ahead, dated
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import bot_over


@pytest.mark.parametrize(
    ("question", "ahead"),
    [
        ("When will the bridge reopen?", True),
        ("When is the ruling expected?", True),
        ("When does Kestrel plan to seek approval?", True),
        ("When is Ashen Crown III now expected to come out?", True),
        ("When did the bridge close?", False),
        ("When was he born?", False),
        ("When is the vote?", False),
    ],
)
def test_a_question_about_when_something_still_to_come_will_happen(question: str, ahead: bool) -> None:
    assert asks_when_ahead(question) is ahead


@pytest.mark.parametrize(
    ("sentence", "dates"),
    [
        ("The bridge will reopen next week.", True),
        ("Work will finish by the end of the year.", True),
        ("It would file a complaint within two weeks.", True),
        ("A creditors' committee will be formed in the coming weeks.", True),
        ("It plans to apply in the first quarter of 2027.", True),
        ("The vote is on Oct. 21.", True),
        ("TALCA, Chile, Nov. 20 -- Two operating theatres remained closed.", False),  # a dateline dates the story
        ("An appeal had been lodged with the court.", False),
    ],
)
def test_a_sentence_that_dates_something(sentence: str, dates: bool) -> None:
    assert dated(sentence) is dates


@pytest.mark.parametrize(
    ("sentence", "ahead"),
    [
        ("The bridge will reopen on Monday.", True),
        ("Tessier is due to be sentenced on Feb. 9.", True),
        ("The bridge will stay closed until March.", True),
        ("The council expects a decision next week.", True),
        # a date the sentence waits for, in the past tense
        ("Justice Miriam Okafor set a sentencing hearing for Feb. 9 and ordered a pre-sentence report.", True),
        ("Roadworks must be finished by Oct. 30, the ministry said.", True),
        ("On 18 November 2015, Sky announced Sky Q, a range of products and services to be available in 2016.", True),
        # a date of the past answers no "When will …?"
        ("Residents of four of the six villages were allowed home on Wednesday after the blaze was contained.", False),
        ("Electricity was restored to Nampula city on Friday, but Angoche and Moma remained without power.", False),
        ("The outbreak has revived debate over a bill, stalled in parliament since 2023.", False),
    ],
)
def test_a_sentence_that_dates_something_still_to_come(sentence: str, ahead: bool) -> None:
    assert dated(sentence)
    assert dated(sentence, ahead=True) is ahead


def test_a_date_beside_the_words_it_dates() -> None:
    sentence = "The proposal will go to a vote in the municipal assembly on Oct. 21."
    assert dated(sentence, frozenset({"vote"}))
    assert not dated("On Oct. 21 the mayor, who took office after a long campaign, met unions.", frozenset({"vote"}))


QUAKE = (
    "Santiago Morning Dispatch\n\nTalca residents sleep outdoors as aftershocks continue\n\nNovember 22, 2024\n\n"
    "TALCA, Nov. 22 -- Three nights after the earthquake that killed three people in the Maule region, hundreds of "
    "Talca residents were still sleeping in tents and cars on Friday, unwilling to return to cracked homes as "
    "aftershocks continued to rattle the city.\n\n"
    "The National Seismological Center said it had recorded more than 110 aftershocks since the magnitude 6.4 quake "
    "late on Tuesday.\n\n"
    "Municipal engineers have inspected about 1,300 buildings in Talca so far and expect to finish within ten days, "
    "city official Marcela Ortiz said.\n\n"
    "At the Hospital Regional de Talca, two operating theatres remained closed after ceiling panels fell during the "
    "quake, forcing the postponement of about 40 non-urgent surgeries, the hospital's director, Dr. Andres Riquelme, "
    "said.\n\n"
    "Electricity had been restored to all but about 3,000 customers, according to the regional distributor.\n"
)


def test_asked_when_something_will_happen_of_articles_that_give_no_date_the_answer_refuses(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"When will the two closed operating theatres at Hospital Regional de Talca reopen?" was
    answered at 0.94 with "… two operating theatres remained closed …" (development news)."""
    bot = bot_over(tmp_path, embedder, {"quake.txt": QUAKE})
    answer = bot.ask("When will the two closed operating theatres at Hospital Regional de Talca reopen?")
    assert answer.abstained, answer.text
    assert answer.text.startswith("The articles don't say. The sentences nearest the question give no date."), answer.text


SHELTERS = (
    "Aegean Wire\n\nMost Samos evacuees return home\n\nAugust 13, 2025\n\n"
    "SAMOS, Greece, Aug. 13 - Residents of four of the six villages evacuated during the Samos wildfire were "
    "allowed home on Wednesday after firefighters said the blaze was under control, although crews remained on "
    "watch for flare-ups in the hills above Marathokampos.\n\n"
    "Civil protection officials said about 2,300 people had been evacuated since Sunday, most of them to hotels and "
    "a sports hall in the island's capital.\n\n"
    "The fire service said 280 firefighters and 11 water-dropping aircraft had fought the blaze.\n"
)


def test_asked_when_something_will_happen_of_a_date_of_the_past_the_answer_refuses(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"When will residents of the two remaining evacuated villages be allowed home?" was answered
    at 0.95 with the sentence that tells of the other four villages allowed home on Wednesday
    (development news; 9 such near misses there, "Electricity was restored to Nampula city on
    Friday" of "When will electricity be restored to Angoche and Moma?" among them)."""
    bot = bot_over(tmp_path, embedder, {"samos.txt": SHELTERS})
    answer = bot.ask("When will residents of the two remaining evacuated villages be allowed home?")
    assert answer.abstained, answer.text
    assert answer.text.startswith("The articles don't say. The sentences nearest the question give no date."), answer.text
    ahead = SHELTERS.replace("The fire service said", "Residents of the other two villages will be allowed home on Friday, officials said. The fire service said")
    (tmp_path / "ahead").mkdir()
    answer = bot_over(tmp_path / "ahead", embedder, {"samos.txt": ahead}).ask(
        "When will residents of the two remaining evacuated villages be allowed home?"
    )
    assert not answer.abstained, answer.text
    assert "on Friday" in answer.text, answer.text


def test_asked_when_something_will_happen_a_date_in_a_later_statement_answers(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """The lead writes no date, the statement that says when does: answered, not refused."""
    plan = (
        "Lisbon Daily\n\nLisbon mayor proposes rental licence freeze\n\nOctober 1, 2025\n\n"
        "LISBON, Oct. 1 - Lisbon's mayor proposed freezing new short-term rental licences in seven more parishes. "
        "Mayor Rui Ferraz said the freeze, if approved by the municipal assembly, would cover parishes including "
        "Arroios and Estrela. "
        "The proposal will go to a vote in the municipal assembly on Oct. 21.\n"
    )
    bot = bot_over(tmp_path, embedder, {"plan.txt": plan, "quake.txt": QUAKE})
    answer = bot.ask("When will the municipal assembly vote on the mayor's rental licence freeze?")
    assert not answer.abstained, answer.text
    assert "Oct. 21" in answer.text, answer.text
