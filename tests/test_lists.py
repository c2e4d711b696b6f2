"""Questions whose answer is a list: the sentence that lists the things asked for leads, and a
short answer is not one of them alone (assistant/answer/lists.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.lists import asked_kind, asks_for_a_list, counts_unnamed, list_in
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.lexical import content_terms
from tests.conftest import bot_over


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Which countries signed the accord?", True),
        ("What roads did the ice storm close?", True),
        ("Which hospitals would be affected by the walkout?", True),
        ("Who were the three candidates?", True),
        ("Name the players who were injured.", True),
        ("Which two religions did Tesla express respect for?", True),
        ("Which company supplies the city's body cameras?", False),
        ("What share of voters cast their ballots online?", False),
        ("What did the mayor say about the roads?", False),
        ("Who is the chief executive?", False),
    ],
)
def test_a_question_that_asks_for_a_list(question: str, asks: bool) -> None:
    assert asks_for_a_list(question) is asks


def test_the_kind_a_list_question_asks_for() -> None:
    assert asked_kind("Which hospitals would be affected by the walkout?") == frozenset({"hospit"})
    assert asked_kind("Who were the three candidates?") == frozenset({"candid"})
    assert asked_kind("Name the players who were injured.") == frozenset()


@pytest.mark.parametrize(
    ("sentence", "items"),
    [
        (
            "The walkout would affect St. Agnes Hospital, Northgate General and Bramley Children's Hospital, the union said.",
            ["St. Agnes Hospital", "Northgate General", "Bramley Children's Hospital"],
        ),
        ("Brandt named three: the 4, the 11 and the 27.", ["the 4", "the 11", "the 27"]),
        ("State Route 9, Highway 14 and Mill Creek Road were closed on Monday.", ["State Route 9", "Highway 14", "Mill Creek Road"]),
        (
            "The cuts include the elimination of the orchestra program; a reduction in the number of late buses from six "
            "to two; and a freeze on new textbook purchases.",
            ["a reduction in the number of late buses from six to two", "a freeze on new textbook purchases"],
        ),
        ("The tram connects Gueliz and Sidi Youssef Ben Ali.", ["Gueliz", "Sidi Youssef Ben Ali"]),
    ],
)
def test_a_sentence_that_gives_a_list(sentence: str, items: list[str]) -> None:
    found = list_in(sentence)
    assert found is not None
    listed = [sentence[a:b] for a, b in found.items]
    assert listed[-len(items) :] == items, listed


@pytest.mark.parametrize(
    "sentence",
    [
        "The mayor, who took office in May, said the plan was good and the budget fine.",
        "Putin and Macron spoke on Friday about the crisis.",
        "The company employs about 9,000 people.",
    ],
)
def test_a_sentence_that_gives_no_list(sentence: str) -> None:
    assert list_in(sentence) is None


STRIKE = (
    "Valley Courier\n\nNurses to strike at three hospitals\n\nMay 20, 2025\n\n"
    "Three hospitals in the county would be affected by a 48-hour walkout by nurses next week, after talks on pay "
    "broke down, the nurses' union said on Tuesday. "
    "They are St. Agnes Hospital, Northgate General and Bramley Children's Hospital. "
    "About 2,400 nurses are members of the union.\n"
)


def test_asked_for_a_list_the_sentence_that_lists_them_leads(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"Which hospitals would the walkout affect?" led with the sentence that names "three
    hospitals", or with "Northgate General and Bramley Children's Hospital" as its short answer,
    leaving out St. Agnes (a review of list questions: 9 of 42 answered with the list)."""
    bot = bot_over(tmp_path, embedder, {"strike.txt": STRIKE})
    answer = bot.ask("Which hospitals would be affected by the nurses' walkout?")
    assert not answer.abstained, answer.text
    assert answer.text.startswith("They are St. Agnes Hospital, Northgate General and Bramley Children's Hospital. [1]"), answer.text
    assert answer.short_answer is None


def test_asked_for_a_list_one_part_of_it_is_no_short_answer(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"Which hospitals would be affected?" led with "Northgate General and Bramley Children's
    Hospital [1]." of a sentence that names three (a review of list questions)."""
    vote = (
        "Northgate Herald\n\nNurses vote to strike at three hospitals\n\nFebruary 10, 2025\n\n"
        "NORTHGATE, Feb. 9 - Nurses at three of the city's hospitals voted overwhelmingly on Monday to go on strike "
        "next month unless the health authority meets their demands, their union said. "
        "The walkout would affect St. Agnes Hospital, Northgate General and Bramley Children's Hospital, which together "
        "employ about 4,200 nurses. Of those who voted, 91 percent backed the strike, according to the Northgate Nurses Union.\n"
    )
    bot = bot_over(tmp_path, embedder, {"vote.txt": vote})
    answer = bot.ask("Which hospitals would be affected by the nurses' walkout?")
    assert answer.short_answer is None, answer.short_answer
    assert answer.text.startswith("The walkout would affect St. Agnes Hospital, Northgate General and Bramley"), answer.text


def test_a_list_of_names_is_told_from_the_words_before_it() -> None:
    """"At Fécamp, under two Italian abbots, William of Volpiano and John of Ravenna, …" lists the
    two abbots, not "under two Italian abbots" with them: read so, the short answer "William of
    Volpiano and John of Ravenna" was taken for part of a list and dropped (SQuAD validation)."""
    sentence = "At Fécamp, under two Italian abbots, William of Volpiano and John of Ravenna, the system was developed."
    found = list_in(sentence)
    assert found is not None
    assert [sentence[a:b] for a, b in found.items] == ["William of Volpiano", "John of Ravenna"]


@pytest.mark.parametrize(
    ("question", "sentence", "unnamed"),
    [
        ("Which cities will hold marches?", "The coalition announced marches planned in at least 12 cities.", True),
        ("Who are the three judges on the panel?", "Disputes will go to an arbitration panel of three judges.", True),
        ("Which cities will hold marches?", "Marches are planned in Lisbon, Porto and Coimbra.", False),
        ("What are the two integer responses to a decision problem?", "The multiplication of two integers is one.", False),
    ],
)
def test_a_sentence_that_counts_the_things_asked_for_without_naming_them(question: str, sentence: str, unnamed: bool) -> None:
    assert counts_unnamed(sentence, asked_kind(question), set(content_terms(question))) is unnamed


def test_asked_for_a_list_of_articles_that_only_count_them_the_answer_refuses(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"Which cities will hold marches on the Nov. 22 day of protest?" was answered at 0.95 with
    "… with marches planned in at least 12 cities." (constructed news)."""
    protest = (
        "Lisbon Daily\n\nTenants plan second day of protest\n\nOctober 1, 2025\n\n"
        "Thousands of tenants marched through Lisbon on Saturday to demand a cap on rents. The coalition of tenants' "
        "groups announced a second national day of protest for Nov. 22, with marches planned in at least 12 cities. "
        "The housing minister has rejected calls for rent controls.\n"
    )
    bot = bot_over(tmp_path, embedder, {"protest.txt": protest})
    answer = bot.ask("Which cities will hold marches on the Nov. 22 national day of protest?")
    assert answer.abstained, answer.text
    assert answer.text.startswith("The articles don't say. The sentences nearest the question give no names of them."), answer.text


def test_a_list_that_goes_on_in_the_next_sentence_is_stated_with_it(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"What roads did the ice storm close?" led with "State Route 9, Highway 14 and Mill Creek
    Road were closed …" and stated "Pine Pass and Old Quarry Road were also shut …" after the
    story's opening sentence, or not at all (a review of list questions)."""
    storm = (
        "Valley Post\n\nIce storm closes roads across the upper valley\n\nJanuary 22, 2026\n\n"
        "GRANTSVILLE, Jan. 22 - A powerful ice storm swept across the upper valley overnight, bringing down power "
        "lines and forcing officials to close several of the region's main roads on Thursday. "
        "About 30,000 homes lost power at the height of the storm.\n\n"
        "State Route 9, Highway 14 and Mill Creek Road were closed from early morning after crews found sheets of ice "
        "and fallen trees, the state transportation department said. "
        "Pine Pass and Old Quarry Road were also shut because of fallen power lines. "
        "Schools in the valley will stay closed on Friday.\n"
    )
    bot = bot_over(tmp_path, embedder, {"storm.txt": storm})
    answer = bot.ask("What roads did the ice storm close in the upper valley?")
    assert [s.text.split(",")[0][:14] for s in answer.statements[:2]] == ["State Route 9", "Pine Pass and "], answer.text
