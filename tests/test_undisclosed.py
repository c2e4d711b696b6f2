"""What the articles say was not made known: a question that asks for it is refused with the
sentence that says so, and another article that gives it answers instead
(assistant/answer/undisclosed.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.undisclosed import asked_unknown, withholds
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import bot_over


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("Which German club approached Quintela?", "identity"),
        ("Who will direct the new centre?", "identity"),
        ("What company bought the stake?", "identity"),
        ("How much did Halvern pay for the stake?", "amount"),
        ("How many people were injured?", "number"),
        ("When will the bridge reopen?", "time"),
        ("Where is the engineer being held?", "place"),
        ("What share of its workforce is Nightjar laying off?", None),
        ("Why did the plant close?", None),
        ("What did Putin say NATO ignored?", None),
        ("Did the council approve the rates increase?", None),
    ],
)
def test_what_a_question_asks_that_news_may_withhold(question: str, unknown: str | None) -> None:
    assert asked_unknown(question) == unknown


@pytest.mark.parametrize(
    ("question", "sentence", "withheld"),
    [
        ("Which German club approached Quintela?", "Quintela had turned down an approach from an unnamed German club in July.", True),
        ("Which customer delayed its orders?", "Kestrel has not identified the customer whose delayed orders prompted the warning.", True),
        ("Which U.S. media company also bid?", "Voltaris beat a bid from a U.S. media company that the league did not name.", True),
        ("Who are the two men arrested?", "The two, aged 24 and 31, have not been named.", True),
        ("How much did Halvern pay for the stake?", "The financial terms were not disclosed.", True),
        ("How much did Halvern pay for the stake?", "It bought the stake for an undisclosed sum.", True),
        ("How many people were hurt in the blast?", "Police did not say how many people were hurt.", True),
        # "how much" of a question no money word makes one of money: a quantity, withheld as a sum is
        ("How much did TeleNova Sport offer for the rights?", "TeleNova did not say how much it had offered for the rights.", True),
        ("How many jobs will be cut?", "The company did not say how much the restructuring would cost.", False),
        ("How many residents were evacuated?", "Authorities gave no figure for the number of people evacuated.", True),
        ("When will the hearing be held?", "No date has been set for the hearing.", True),
        ("When will the road reopen?", "The road remains closed, and there is no timeline for reopening it.", True),
        ("Where is the engineer being held?", "He was held at an undisclosed location.", True),
        ("Which hacking group carried out the attack?", "No group has claimed responsibility for the attack.", True),
        ("Which hacking group carried out the attack?", "The company has not attributed the attack to any group.", True),
        ("Who will replace Anselm as transport minister?", "Prime Minister Jonas Reimer has yet to name a successor to Anselm.", True),
        ("Who will replace Anselm as transport minister?", "No replacement has been announced.", True),
        ("Who won the race?", "No one has claimed the prize money yet.", False),
        # the answer is given beside what is withheld
        ("How much did Halvern pay for the stake?", "Halvern paid $40 million for the stake; the other terms were not disclosed.", False),
        # another thing is withheld: what would be shut, not what would be reviewed
        (
            "How many branches will Northgate review?",
            'She said about 45 branches would be "reviewed," but she declined to say how many would be shut.',
            False,
        ),
        ("Who is Quintela's agent?", "Quintela's agent, Rafael Menezes, said he had turned down an approach from an unnamed German club.", False),
        ("Which contractor was hired?", "The ministry said it had hired a new contractor.", False),
        ("Who were the victims?", "The victims were named as John Smith and Ann Lee.", False),
    ],
)
def test_a_sentence_that_says_what_was_asked_was_not_made_known(question: str, sentence: str, withheld: bool) -> None:
    unknown = asked_unknown(question)
    assert unknown is not None
    assert (withholds(sentence, unknown, question) is not None) is withheld


TRANSFER = (
    "Leeds Ledger\n\nNorthgate sign Brazilian striker Quintela\n\nAugust 26, 2025\n\n"
    "LEEDS, Aug 26 - Northgate Athletic have completed the signing of Brazilian striker Davi Quintela from "
    "Portuguese side Maresia for a fee of 48 million euros, both clubs announced on Tuesday. "
    'Quintela\'s agent, Rafael Menezes, said the Brazilian had turned down an approach from an unnamed German club '
    'in July because he "always wanted England." '
    "Quintela, 23, scored 19 league goals last season.\n"
)


def test_asked_for_what_the_articles_say_was_not_made_known_the_answer_refuses_citing_them(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"Which German club approached Quintela in July?" was answered at 0.85 with the sentence
    that says the club was not named (constructed news); the refusal cites that sentence."""
    bot = bot_over(tmp_path, embedder, {"transfer.txt": TRANSFER})
    answer = bot.ask("Which German club approached Quintela in July?")
    assert answer.abstained, answer.text
    assert answer.text.startswith("The articles don't say. Quintela's agent, Rafael Menezes, said the Brazilian had turned down"), answer.text
    assert answer.text.endswith("[1]"), answer.text
    [citation] = answer.citations
    source = (tmp_path / "articles" / "transfer.txt").read_text(encoding="utf-8")
    assert source[citation.char_start : citation.char_end] == citation.quote
    assert "an unnamed German club" in citation.quote
    answered = bot.ask("Who is Davi Quintela's agent?")  # the same sentence answers what it gives
    assert not answered.abstained and "Rafael Menezes" in answered.text, answered.text


def test_asked_for_what_one_article_withholds_and_another_gives_the_other_answers(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"Who sold the 30 percent stake in Nordkap Batteries to Halvorsen?" was answered with "…
    from an investor it did not name", while the other outlet names the seller (a review of
    withheld facts)."""
    oslo = (
        "Nordic Business Wire\n\nHalvorsen buys stake in Nordkap Batteries\n\nMarch 10, 2025\n\n"
        "OSLO, March 10 - Halvorsen Industrial has bought a 30 percent stake in battery maker Nordkap Batteries from "
        "an investor it did not name, the engineering group said on Tuesday. "
        "Analysts said the stake would strengthen Halvorsen's position in grid-scale storage.\n"
    )
    stockholm = (
        "Stockholm Finance Daily\n\nBrannvik exits Nordkap\n\nMarch 11, 2025\n\n"
        "STOCKHOLM, March 11 - Swedish private-equity firm Brannvik Capital has sold its 30 percent holding in Nordkap "
        "Batteries to Halvorsen Industrial, the firm said on Wednesday. "
        "Brannvik first invested in the battery maker in 2019.\n"
    )
    bot = bot_over(tmp_path, embedder, {"oslo.txt": oslo, "stockholm.txt": stockholm})
    answer = bot.ask("Who sold the 30 percent stake in Nordkap Batteries to Halvorsen?")
    assert not answer.abstained, answer.text
    first = answer.statements[1] if answer.short_answer else answer.statements[0]
    assert "Brannvik Capital has sold its 30 percent holding" in first.text, answer.text


def test_a_sentence_after_the_lead_that_withholds_what_the_lead_does_not_tell_refuses(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"How many people were injured in the Corvane Chemicals explosion?" was answered with the
    story's opening sentence ("… killed two workers"), though the article says no figure for the
    injured was released (a review of withheld facts)."""
    blast = (
        "Dunmere Courier\n\nTwo killed in Corvane Chemicals blast\n\nSeptember 10, 2025\n\n"
        "DUNMERE, Sept 10 - Investigators began examining the wreckage of the Corvane Chemicals plant in Dunmere on "
        "Wednesday after a late-night explosion on Tuesday killed two workers. "
        "Fire crews brought the blaze under control within three hours. "
        "Authorities have not released a figure for the injured. "
        "The plant employs about 220 people.\n"
    )
    bot = bot_over(tmp_path, embedder, {"blast.txt": blast})
    answer = bot.ask("How many people were injured in the Corvane Chemicals explosion?")
    assert answer.abstained, answer.text
    assert answer.text.startswith("The articles don't say. Authorities have not released a figure for the injured. [1]"), answer.text
    killed = bot.ask("How many workers were killed in the Corvane Chemicals explosion?")
    assert not killed.abstained and "killed two workers" in killed.text, killed.text


def test_a_first_question_whose_pronoun_names_no_one_asks_who_is_meant_not_what_was_withheld(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"who approached him", asked first, names no one for "him": the refusal asks who is meant,
    and cites nothing, though the nearest sentence withholds who approached Quintela."""
    bot = bot_over(tmp_path, embedder, {"transfer.txt": TRANSFER})
    answer = bot.ask("who approached him")
    assert answer.abstained and not answer.citations, answer.text
    assert answer.text.endswith("who do you mean?"), answer.text
