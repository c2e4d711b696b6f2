"""Which of two events came first, and how long after one the other came (answer/timeline.py).
"Which came first, the arrests or the appointment of the mediator?" was refused, and "Which came
first, the audit or the resignation?" answered with two sentences that each give a weekday of
another week, so the order could not be read (a review of questions on the order of events)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answer.timeline import OrderQuestion, asked_order, asked_span, event_day
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import bot_over


@pytest.mark.parametrize(
    ("question", "order"),
    [
        ("Which came first, the arrests or the end of the strike?", OrderQuestion("first", "the arrests", "the end of the strike")),
        ("What happened first: the fire or the resignation?", OrderQuestion("first", "the fire", "the resignation")),
        ("How long after the strike began was a mediator appointed?", OrderQuestion("after", "the strike began", "a mediator appointed")),
        ("How many days before the vote did the council hold hearings?", OrderQuestion("before", "the vote", "the council hold hearings")),
        ("How many days passed between the breach and the resignation?", OrderQuestion("between", "the breach", "the resignation")),
        # a held-out check of these questions: read as any other question
        ("Did the arrests happen before or after the mediator was appointed?", OrderQuestion("first", "the arrests", "the mediator was appointed")),
        ("Was the vote before or after the hearings?", OrderQuestion("first", "the vote", "the hearings")),
        ("How long did the strike last?", None),
        ("Which came first in the race?", None),
    ],
)
def test_the_events_a_question_asks_to_order(question: str, order: OrderQuestion | None) -> None:
    assert asked_order(question) == order


@pytest.mark.parametrize(
    ("sentence", "published", "day"),
    [
        ("Police arrested 14 people on Saturday outside the main gate.", date(2025, 4, 6), date(2025, 4, 5)),
        ("A mediator, former judge Elin Strand, was appointed on April 8.", date(2025, 4, 13), date(2025, 4, 8)),
        ("The plant opened on December 30.", date(2025, 1, 4), date(2024, 12, 30)),  # printed the next year
        ("The bridge will reopen on Monday.", date(2025, 3, 3), None),  # still to come
        ("Power stopped on Tuesday, exactly a week after the dam opened.", date(2025, 3, 12), None),  # dated from another
        ("Hearings were held on March 3 and March 5.", date(2025, 3, 6), None),  # two days
        ("The council met to discuss the budget.", date(2025, 3, 6), None),
    ],
)
def test_the_day_a_sentence_gives_its_event(sentence: str, published: date, day: date | None) -> None:
    assert event_day(sentence, published) == day


@pytest.fixture(scope="module")
def strike_bot(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Assistant:
    stories = {
        "begins.txt": ("Dock workers strike at Carrow", "2025-04-02",
                       "Dock workers at the Port of Carrow walked out on Tuesday over pay, halting container traffic."),
        "arrests.txt": ("Fourteen arrested at Carrow port gate", "2025-04-06",
                        "Police arrested 14 people on Saturday outside the main gate of the Port of Carrow."),
        "mediator.txt": ("Judge to mediate Carrow dispute", "2025-04-09",
                         "Former judge Elin Strand was appointed mediator in the Carrow port dispute on April 8."),
    }
    texts = {name: f"Title: {title}\nOutlet: Coastline Times\nDate: {day}\n\n{body}\n" for name, (title, day, body) in stories.items()}
    return bot_over(tmp_path_factory.mktemp("timeline"), embedder, texts)


def test_which_came_first_says_the_order_and_cites_both(strike_bot: Assistant) -> None:
    answer = strike_bot.ask("Which came first, the appointment of the mediator or the arrests at the Carrow port?")
    assert answer.text.startswith(
        "The arrests at the Carrow port came first, on 2025-04-05; the appointment of the mediator on 2025-04-08 [1][2]."
    ), answer.text
    assert "arrested 14 people" in answer.citations[0].quote and "appointed mediator" in answer.citations[1].quote


def test_before_or_after_is_asked_as_which_came_first(strike_bot: Assistant) -> None:
    answer = strike_bot.ask("Did the arrests at the Carrow port happen before or after the mediator was appointed?")
    assert answer.text.startswith("The arrests at the Carrow port came first, on 2025-04-05; the mediator was appointed on 2025-04-08 [1][2]."), answer.text


def test_how_long_after_one_event_another_came_is_the_days_between(strike_bot: Assistant) -> None:
    answer = strike_bot.ask("How long after the Carrow dock workers walked out was a mediator appointed?")
    assert answer.text.startswith("7 days, from 2025-04-01 to 2025-04-08 [1][2]."), answer.text


@pytest.mark.parametrize(
    ("question", "span"),
    [
        ("How long did the strike last?", OrderQuestion("after", "the strike began", "the strike ended")),
        ("How many days did the lockout go on?", OrderQuestion("after", "the lockout began", "the lockout ended")),
        ("How long was the Kessel Bridge closed?", OrderQuestion("after", "the Kessel Bridge closed", "the Kessel Bridge reopened")),
        ("How many days were flights suspended?", OrderQuestion("after", "flights suspended", "flights resumed")),
        ("How long is the bridge?", None),
        ("How long was the mayor in office?", None),
    ],
)
def test_how_long_something_lasted_is_asked_from_its_start_to_its_end(question: str, span: OrderQuestion | None) -> None:
    assert asked_span(question) == span


def test_how_long_something_lasted_is_the_days_from_its_start_to_its_end(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"How long was the Kessel Bridge closed?" was answered with the sentence of its closing and
    the sentence of its reopening, and no span (a review of questions on durations: 6 of 6 whose
    articles give only the two days)."""
    closed = (
        "Title: Kessel Bridge closed after cracks found\nOutlet: Valley Ledger\nDate: 2025-02-11\n\n"
        "Halden County closed the Kessel Bridge to all traffic on February 10 after an inspection found cracks "
        "in a steel girder.\n"
    )
    reopened = (
        "Title: Kessel Bridge reopens\nOutlet: Valley Ledger\nDate: 2025-04-01\n\n"
        "The Kessel Bridge reopened to cars and trucks on March 31 after repairs to the cracked girder.\n"
    )
    bot = bot_over(tmp_path, embedder, {"closed.txt": closed, "reopened.txt": reopened})
    answer = bot.ask("How long was the Kessel Bridge closed?")
    assert answer.text.startswith("49 days"), answer.text
    assert "from 2025-02-10 to 2025-03-31 [1][2]." in answer.text, answer.text
