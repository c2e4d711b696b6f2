"""How much something rose or fell: worked out from the two ends a sentence gives, or the change
it writes itself (assistant/answer/changes.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.changes import Change, asks_change, changes_in
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import bot_over


def stated_change(sentence: str, question: str = "") -> str | None:
    """The first change `sentence` writes out, as `changes_in` reads it."""
    return next((f.written for f in changes_in(sentence, question) if f.written is not None), None)


def given_change(sentence: str) -> Change | None:
    """The first change `sentence` gives by its two ends, as `changes_in` reads it."""
    return next((f.change for f in changes_in(sentence) if f.change is not None), None)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("By how much did car thefts increase?", True),
        ("How much did unemployment fall last year?", True),
        ("What was the increase in bus fares?", True),
        ("How many fewer homicides were there?", True),
        ("How much higher is the new bid?", True),
        ("How much did the city spend on the bridge?", False),
        ("How much did the company lose in the quarter?", False),
        ("How many people died in the fire?", False),
    ],
)
def test_a_question_that_asks_for_a_change(question: str, asks: bool) -> None:
    assert asks_change(question) is asks


@pytest.mark.parametrize(
    ("sentence", "told"),
    [
        ("There were 612 car thefts in 2024, up from 466.", "Up 146 (31.3 percent), from 466 to 612"),
        ("The jobless rate rose to 4.1 percent in March from 3.8 percent.", "Up 0.3 percentage points, from 3.8 percent to 4.1 percent"),
        ("Fares went from $2.50 to $2.75 on Monday.", "Up $0.25 (10 percent), from $2.50 to $2.75"),
        ("The budget fell from $2.3 million last year to $1.9 million.", "Down $0.4 million (17.4 percent), from $2.3 million to $1.9 million"),
        ("Visitors reached 31,000, compared with 28,500 a year earlier.", "Up 2,500 (8.8 percent), from 28,500 to 31,000"),
        ("The rate was 5%, down from 7%.", "Down 2 percentage points, from 7% to 5%"),
    ],
)
def test_a_change_is_worked_out_from_its_two_ends(sentence: str, told: str) -> None:
    change = given_change(sentence)
    assert change is not None and change.told() == told


@pytest.mark.parametrize(
    "sentence",
    [
        "Output was measured from 2019 to 2023.",  # years are no ends
        "The rate fell to 4.1 percent.",  # one end
        "Prices rose 4 percent to $3.10 from $2.98.",  # the change is written: it is the answer
        "The office is open from 9 to 5.",  # no change
    ],
)
def test_no_change_is_worked_out_where_a_sentence_gives_no_two_ends_of_one(sentence: str) -> None:
    assert given_change(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "question", "written"),
    [
        ("Prices rose 4 percent to $3.10.", "", "4 percent"),
        ("Catches have fallen by about 30 percent since 2019.", "", "about 30 percent"),
        ("The contract raises the top hourly wage by $2.40, to $31.15.", "", "$2.40"),
        ("The city recorded 14 homicides, two fewer than in 2023.", "", "two fewer"),
        ("The repairs cost $2.3 million, $400,000 more than the first estimate.", "", "$400,000 more"),
        # the way the question asks: the day's jump, not the next day's fall
        ("Shares fell 1.8 percent on Thursday after the stock's 17 percent jump on Wednesday.", "How much did it rise?", "17 percent"),
        ("Shares fell 1.8 percent on Thursday after the stock's 17 percent jump on Wednesday.", "How far did it drop?", "1.8 percent"),
    ],
)
def test_a_change_written_out_is_read_as_written(sentence: str, question: str, written: str) -> None:
    assert stated_change(sentence, question) == written


@pytest.mark.parametrize(
    ("sentence", "written"),
    [
        ("Diesel use on the farms doubled last year.", "doubled"),
        ("Hotel bookings rose fourfold in May.", "fourfold"),
        ("Grain shipments fell by a third.", "by a third"),
    ],
)
def test_a_change_written_as_a_multiple_is_a_change(sentence: str, written: str) -> None:
    """"doubled" and "rose fourfold" were no change: "By how much did diesel use rise?" was refused
    ("give no figure of a change"; a held-out check of questions on changes)."""
    assert stated_change(sentence) == written


def test_each_change_of_a_sentence_is_told_with_its_clause() -> None:
    """"Enrolment rose to 5,430 from 5,000, while the number of teachers fell to 300 from 353":
    asked how many fewer teachers, the answer led with the enrolment's "Up 430" (a held-out check
    of questions on changes); each change is read with its own clause, and "fewer" asks for a fall."""
    sentence = "Enrolment rose to 5,430 from 5,000, while the number of teachers fell to 300 from 353."
    found = changes_in(sentence)
    assert [f.change.told() for f in found if f.change] == [
        "Up 430 (8.6 percent), from 5,000 to 5,430",
        "Down 53 (15 percent), from 353 to 300",
    ]
    assert "teachers" in found[1].clause and "teachers" not in found[0].clause
    (fall,) = changes_in(sentence, "How many fewer teachers does the district have?")
    assert fall.change is not None and fall.change.told().startswith("Down 53")
    # a comparison that opens its clause is of the clause before it
    (homicides,) = changes_in("The city recorded 14 homicides, two fewer than in 2023.")
    assert homicides.written == "two fewer" and "homicides" in homicides.clause


def test_asked_by_how_much_something_rose_the_answer_works_out_the_change(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"By how much did car thefts increase?" led with "612", the new level, and left the
    subtraction to the reader (a review of questions on changes: 0 of 10 answered with the change
    worked out), or was refused: "No article uses the word increase"."""
    crime = (
        "Lakeside Courier\n\nCar thefts jump in Lakeside as other crime falls\n\nFebruary 12, 2025\n\n"
        "Car thefts rose sharply in Lakeside last year, the police department's annual report shows. "
        "The city recorded 612 car thefts in 2024, up from 466 in 2023. The city recorded 14 homicides, two "
        "fewer than in 2023. Police Chief Rosa Lind said most stolen cars were older models.\n"
    )
    bot = bot_over(tmp_path, embedder, {"crime.txt": crime})
    thefts = bot.ask("By how much did car thefts in Lakeside increase in 2024?")
    assert thefts.text.startswith("Up 146 (31.3 percent), from 466 to 612 [1]."), thefts.text
    assert thefts.short_answer is None  # no level of it


def test_asked_by_how_much_something_fell_of_articles_that_give_no_change_the_answer_refuses(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"By how much did robberies fall?" of an article that gives this year's robberies alone was
    answered with that figure's sentence (a review of questions on changes: 0 of 8 such near
    misses refused). What something rose to is some answer: not refused."""
    crime = (
        "Lakeside Courier\n\nCrime report: robberies and burglaries\n\nFebruary 12, 2025\n\n"
        "Robberies fell in Lakeside last year, the police department's annual report shows. The city recorded "
        "212 robberies in 2024. Police Chief Rosa Lind said robberies fell because more officers patrolled the "
        "downtown at night. Burglaries rose to 1,140 last year, the report says.\n"
    )
    bot = bot_over(tmp_path, embedder, {"crime.txt": crime})
    robberies = bot.ask("By how much did robberies in Lakeside fall in 2024?")
    assert robberies.abstained and robberies.text.startswith(
        "The articles don't say. The sentences nearest the question give no figure of a change."
    ), robberies.text
    burglaries = bot.ask("By how much did burglaries in Lakeside rise in 2024?")
    assert not burglaries.abstained and "1,140" in burglaries.text, burglaries.text
