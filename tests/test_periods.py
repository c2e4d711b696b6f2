"""The reporting period a question asks about (assistant/answer/periods.py): a quarter or a month
that no cited article writes is a near miss, refused, in whatever form the articles write it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.answer.periods import AskedPeriod, asked_periods, writes_period
from assistant.dates import DateMention
from assistant.search.embedding import MiniLMEmbedder
from tests.test_relative_time import dated_bot


@pytest.mark.parametrize(
    ("question", "quarters"),
    [
        ("How much did Northwind earn in the fourth quarter?", [4]),
        ("What was Southgate's first-quarter profit?", [1]),
        ("What were Q3 sales?", [3]),
        ("How did 2Q revenue compare with the third fiscal quarter?", [3, 2]),
        ("How much did Northwind earn last quarter?", []),
        ("Who won the first round?", []),
    ],
)
def test_the_quarters_a_question_asks_about(question: str, quarters: list[int]) -> None:
    assert sorted(p.quarter for p in asked_periods(question) if p.quarter) == sorted(quarters)


def test_a_month_is_asked_about_only_without_a_day() -> None:
    assert asked_periods("What was inflation in August?", DateMention(month=8)) == [AskedPeriod("August", month=8)]
    assert asked_periods("What happened on August 3?", DateMention(month=8, day=3)) == []


@pytest.mark.parametrize(
    ("text", "quarter", "written"),
    [
        ("Net profit rose in the second quarter.", 2, True),
        ("Its second-quarter profit fell.", 2, True),
        ("Q2 revenue grew 4%.", 2, True),
        ("Revenue for April-June grew 4%.", 2, True),
        ("Revenue for the three months to June 30 grew 4%.", 2, True),
        ("Revenue for the quarter ended June rose.", 2, True),
        ("Net profit rose to 412 million in January-March.", 2, False),
        ("Revenue for the quarter to June 30 rose 2.1%.", 3, False),
        ("Revenue for the three months to September 30 grew 5.5%.", 3, True),
        ("Sales in the first three months of the year rose.", 1, True),
        ("It expects a stronger final quarter.", 4, True),
        ("It lost money in the fourth round of talks.", 4, False),
    ],
)
def test_a_quarter_is_written_in_any_of_its_forms(text: str, quarter: int, written: bool) -> None:
    assert writes_period(AskedPeriod("", quarter=quarter), text) is written


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Inflation rose to 3.1% in August.", True),
        ("Prices rose in Aug. after the tax change.", True),
        ("Title 2026-08-12", True),  # published in August
        ("Inflation rose to 3.1% in July.", False),
        ("Prices rose 2% in June 2026-07-14", False),
        ("Prices rose 3.1% last month. Title 2026-09-10", True),  # published in September
        ("Prices rose 3.1% last month. Title 2026-10-10", False),  # September's
    ],
)
def test_a_month_is_written_by_its_name_or_the_day_an_article_was_published(text: str, written: bool) -> None:
    assert writes_period(AskedPeriod("August", month=8), text) is written


def test_a_quarter_no_cited_article_writes_is_refused(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """Asked for Northwind's fourth-quarter profit of articles on its second and third, the answer
    stated both (a review of many similar stories); the third quarter, written as "the three
    months to September 30", is answered."""
    bot = dated_bot(tmp_path, embedder, [
        ("q2.txt", "Northwind profit slips", "Retail Week", "2026-07-24",
         "LONDON, July 24 - Northwind Stores said pre-tax profit fell to 84 million pounds in the second quarter, "
         "as price cuts squeezed margins.\nRevenue for the quarter to June 30 rose 2.1% to 2.31 billion pounds."),
        ("q3.txt", "Northwind returns to growth", "Retail Week", "2026-10-23",
         "LONDON, Oct 23 - Northwind Stores said pre-tax profit was 80 million pounds for the three months to "
         "September 30, and revenue grew 5.5% to 2.44 billion pounds.\nIts shares rose 4%. Chief executive Anna "
         "Price said Northwind would make its fourth store opening of the year in Leeds."),
        ("strike.txt", "Dockworkers strike at Northgate", "Coastal Courier", "2026-03-01",
         "About 1,400 dockworkers walked off the job at Northgate port on Friday, demanding a 9 percent pay rise."),
    ])
    fourth = bot.ask("How much pre-tax profit did Northwind make in the fourth quarter?", as_of=date(2026, 11, 1))
    assert fourth.abstained and "never mention the fourth quarter" in fourth.text, fourth.text
    third = bot.ask("How much pre-tax profit did Northwind make in the third quarter?", as_of=date(2026, 11, 1))
    assert not third.abstained and "80 million pounds" in third.text, third.text


@pytest.mark.parametrize(
    ("question", "text", "written"),
    [
        ("How many flights were cancelled on the second day of the strike?", "310 flights were cancelled on the first day.", False),
        ("How many flights were cancelled on the second day of the strike?", "On day two, 200 more flights were cancelled.", True),
        ("How many flights were cancelled on the second day of the strike?", "On the strike's second day, 200 were.", True),
        ("Who won the second round in Lyon?", "Belaid won the runoff with 52% of the vote.", True),
        ("Who won the second round in Lyon?", "Belaid led after the first round.", False),
        ("How did sales do in the first half?", "Sales in the first six months of the year rose 4%.", True),
        ("What was agreed on the final day of the summit?", "On the last day of the summit, leaders agreed a fund.", True),
    ],
)
def test_the_nth_of_a_unit_is_written_in_any_of_its_forms(question: str, text: str, written: bool) -> None:
    """"The second day" of articles on the first day of a strike stated the first day's 310 flights
    (a review of near misses); a second round is a runoff."""
    (period,) = asked_periods(question)
    assert writes_period(period, text) is written


def test_no_ordinal_of_no_unit_is_asked_about() -> None:
    assert asked_periods("When was the first time he won?") == []
    assert asked_periods("Who is the second mediator?") == []
    # the day a strike began: "walked off the job on Monday, grounding 212 flights"
    assert asked_periods("How many flights were cancelled on the first day of the strike?") == []
