"""News that is not the plain story: interviews, explainers, bulleted key points and correction
notes, as a review of such articles met them (2026-12-07)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answer.evidence import asks
from assistant.ingest.cleaning import analyze
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import bot_over, open_assistant

ARTICLES = [
    ("holt.txt", 'Coach Maren Holt: "The team is ready for the final"', "Sportsdesk Daily", "2024-05-30",
     "Maren Holt has coached the national women's handball team since 2022. She spoke to Sportsdesk Daily two "
     "days before Sunday's European final against Denmark.\n\n"
     "Interviewer: Who will captain the team in the final?\n\n"
     "Holt: Sara Lindqvist. She has been our best player all season.\n\n"
     "Interviewer: How many tickets has the federation sold for the final?\n\n"
     "Holt: All of them. The arena holds 15,200 people and it sold out in four hours.\n\n"
     "Interviewer: What is the prize money for the winners?\n\n"
     "Holt: The winners receive 450,000 euros, which goes straight into youth handball."),
    ("parking.txt", "Lindholm council sets out new parking rules", "Evening Dispatch", "2024-05-21",
     "Lindholm council has approved new parking rules for the town centre after a consultation that drew 2,300 "
     "responses.\n\nKey points\n"
     "• Residents' permits rise to 120 euros a year\n"
     "• Free parking on Sundays is scrapped\n\n"
     "The changes take effect on July 1, the council said.\n\n"
     "Related\n"
     "• Lindholm bakery wins national bread award\n"),
    ("strike.txt", "Rail strike: what you need to know", "National Post-Standard", "2024-09-02",
     "Train drivers across the country will walk out this week. Here is what the dispute is about and how it "
     "affects you.\n\nWhy are drivers striking?\n\n"
     "The union wants a 9 percent pay rise. The operators have offered 5 percent over two years, tied to "
     "changes in rostering.\n\nWhat happens next?\n\n"
     "The transport minister has invited both sides to talks on Tuesday. If there is no deal, the union says "
     "it will strike again on September 19."),
    ("quake.txt", "Live: Magnitude 6.4 earthquake strikes Valdoria province", "Meridian News", "2024-04-15",
     "Live updates as rescuers search for survivors after a strong earthquake hit Valdoria province on Monday.\n\n"
     "06:10 GMT — A magnitude 6.2 earthquake has struck Valdoria province, the seismology institute says. The "
     "epicentre was near the town of Carrowmere.\n\n"
     "06:55 GMT — The regional governor says at least 12 people have died and dozens are injured.\n\n"
     "08:20 GMT — The seismology institute has revised the magnitude upward to 6.4.\n\n"
     "13:30 GMT — The civil protection agency now says 31 people have died and 212 were injured.\n\n"
     "14:15 GMT — The prime minister has declared a state of emergency in Valdoria for 30 days."),
    ("plant.txt", "Voltra picks Greyhaven for battery plant", "Coastal Courier", "2024-03-14",
     "Voltra will build its first battery plant in Greyhaven, creating 400 jobs, the company said on Thursday.\n\n"
     "The site was chosen over a rival bid from the city of Portmund, Voltra's chief executive, Sanne de Wit, "
     "said.\n\n"
     "Correction: An earlier version of this article said the plant would create 40 jobs. It will create 400 "
     "jobs. The article also misspelled the chief executive's surname as de Witt."),
]


@pytest.fixture(scope="module")
def forms_bot(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Iterator[Assistant]:
    folder = tmp_path_factory.mktemp("forms")
    for name, title, outlet, day, text in ARTICLES:
        (folder / name).write_text(f"Title: {title}\nSource: {outlet}\nDate: {day}\n\n{text}\n", encoding="utf-8")
    bot = open_assistant(tmp_path_factory.mktemp("forms-index"), embedder)
    bot.ingest([folder])
    yield bot


@pytest.mark.parametrize(
    ("sentence", "is_a_question"),
    [
        ("Interviewer: Who will captain the team in the final?", True),
        ('"Why did you lie?"', True),
        ("Holt: Sara Lindqvist.", False),
        ("He asked whether the plant would open.", False),
        ("Reporter: Minister, how many patients are now waiting for surgery?", True),
        ("Consider this instance of the problem: Is there a route of at most 2000 kilometres?", False),  # SQuAD's
    ],
)
def test_a_question_an_article_asks_is_told_from_a_statement(sentence: str, is_a_question: bool) -> None:
    assert asks(sentence) is is_a_question


def test_an_interview_is_answered_by_the_reply_not_the_question(forms_bot: Assistant) -> None:
    """"Who will captain the handball team in the European final?" was answered with the
    interviewer's question, "Interviewer: Who will captain the team in the final?" [1]."""
    captain = forms_bot.ask("Who will captain the handball team in the European final?")
    assert not captain.abstained and "Sara Lindqvist" in captain.text, captain.text
    assert "Interviewer:" not in captain.text, captain.text
    prize = forms_bot.ask("What is the prize money for the handball winners?")
    assert not prize.abstained and "450,000 euros" in prize.text and "Interviewer:" not in prize.text, prize.text


def test_bulleted_key_points_inside_a_story_are_story() -> None:
    """"How much will residents' parking permits cost?" was refused: a bulleted item ends in no
    stop and is short, so it was dropped as a headline. A list that ends the text (other stories'
    headlines) is not story."""
    layout = analyze(ARTICLES[1][4])
    body = [line.text for line in layout.body]
    assert "Residents' permits rise to 120 euros a year" in body  # without its bullet
    assert "Free parking on Sundays is scrapped" in body
    assert not any("bakery" in line for line in body)
    # the items stay in their place before a heading that asks
    asked = analyze("The council approved new rules on Monday after a long debate.\n\n• Residents' permits rise "
                    "to 120 euros a year\n\nWhat happens next?\n\nThe changes take effect on July 1, the council said.")
    assert [line.text for line in asked.body][1:3] == ["Residents' permits rise to 120 euros a year", "What happens next?"]


def test_a_bulleted_key_point_answers(forms_bot: Assistant) -> None:
    permits = forms_bot.ask("How much will residents' parking permits cost in Lindholm?")
    assert not permits.abstained and "120 euros" in permits.text, permits.text
    quote = permits.citations[0].quote
    assert quote.startswith("Residents"), quote  # the bullet is not quoted


def test_a_correction_note_is_not_stated(forms_bot: Assistant) -> None:
    """The note's "said the plant would create 40 jobs" was stated beside the story's 400, and the
    chief executive's misspelt name led "How is her name spelt?"."""
    layout = analyze(ARTICLES[4][4])
    assert not any(line.text.startswith("Correction:") for line in layout.body)
    assert any(reason == "correction note" for _, reason in layout.dropped)
    jobs = forms_bot.ask("How many jobs will the Voltra battery plant create?")
    assert not jobs.abstained and "400 jobs" in jobs.text and "40 jobs" not in jobs.text, jobs.text


def test_an_explainer_is_answered_by_the_paragraph_under_its_heading(forms_bot: Assistant) -> None:
    """An explainer's short headings ("Why are drivers striking?") were dropped as headlines, so
    the paragraph under one lost what it answers; a longer one was quoted as its own answer."""
    layout = analyze(ARTICLES[2][4])
    assert "Why are drivers striking?" in [line.text for line in layout.body]
    why = forms_bot.ask("Why are the train drivers striking?")
    assert not why.abstained and "9 percent pay rise" in why.text.split("[1]")[0], why.text
    assert "Why are drivers striking?" not in why.text, why.text


def test_an_opinion_piece_s_words_are_marked_as_opinion(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """A column's "The charge has failed." was stated as plain fact (a review of news formats):
    an answer that cites an article titled as a column or an editorial says which citations are
    opinion."""
    bot = bot_over(tmp_path, embedder, {
        "column.txt": "Title: Opinion: The Brennan Falls congestion charge has failed\nSource: Valley Voice\nDate: 2024-04-02\n\n"
        "Colm Ferris writes a weekly column for the Valley Voice.\n\n"
        "A year after Brennan Falls began charging drivers 6 euros to enter the old town, the congestion charge has "
        "failed. Small shops in the old town are closing because shoppers now drive to the retail park instead.\n",
        "news.txt": "Title: Congestion charge raises 4 million euros\nSource: Valley Voice\nDate: 2024-03-28\n\n"
        "The Brennan Falls congestion charge raised 4 million euros in its first year, the town council said.\n",
    })
    failed = bot.ask("Why are small shops in the Brennan Falls old town closing?")
    assert [c.title.startswith("Opinion:") for c in failed.citations] == [True, True], failed.text
    assert failed.text.endswith("([1] and [2] quote an opinion piece.)"), failed.text
    raised = bot.ask("How much did the Brennan Falls congestion charge raise in its first year?")
    assert "4 million euros" in raised.text and "opinion" not in raised.text, raised.text


def test_a_live_blog_is_answered_by_its_latest_entry(forms_bot: Assistant) -> None:
    """A live blog's first entry led every answer: the magnitude its seismologists revised
    (6.2, then 6.4), the death toll of its morning (a review of news formats)."""
    magnitude = forms_bot.ask("What was the magnitude of the Valdoria earthquake?")
    assert not magnitude.abstained and "6.4" in magnitude.text.split("[1]")[0], magnitude.text
    died = forms_bot.ask("How many people died in the Valdoria earthquake?")
    assert not died.abstained and died.text.startswith("31 people [1]. 13:30 GMT"), died.text
    emergency = forms_bot.ask("How long will the state of emergency in Valdoria last?")  # a later entry of another thing
    assert "30 days" in emergency.text.split("[1]")[0], emergency.text


def test_a_live_blog_with_its_newest_entry_first_is_read_by_its_times(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """Live blogs often put the newest entry first, under a time on a line of its own that was
    dropped as a time stamp, or write the day before the time ("Friday, 7:30 a.m.:"): the first
    entry in the text is not the earliest (a held-out check of news formats, 2026-12-07)."""
    quake = (
        "Title: Live updates: Strong earthquake strikes western Anatolia\nSource: Global Wire\nDate: 2025-07-21\n\n"
        "8:55 p.m.\n\nThe death toll has risen to 41, the national disaster agency said.\n\n"
        "The agency also said the quake's magnitude had been revised upward to 6.4.\n\n"
        "2:10 p.m.\n\nAt least 12 people have died, the interior minister told reporters.\n\n"
        "11:48 a.m.\n\nA magnitude 6.1 earthquake struck western Anatolia at 11:26 a.m. local time.\n"
    )
    layout = analyze(quake.split("\n\n", 1)[1])
    assert "8:55 p.m." in [line.text for line in layout.body]  # a live blog's times are story
    bot = bot_over(tmp_path, embedder, {
        "quake.txt": quake,
        "fire.txt": "Title: Pine Ridge fire live\nSource: Sierra Foothills News\nDate: 2025-08-29\n\n"
        "Thursday, 9:15 a.m.: A fire near Pine Ridge Road has burned about 300 acres, according to Cal Fire.\n\n"
        "Thursday, 6:05 p.m.: Cal Fire now estimates the fire at 8,700 acres.\n\n"
        "Friday, 7:30 a.m.: Overnight mapping puts the Pine Ridge fire at 11,450 acres.\n",
    })
    magnitude = bot.ask("What was the magnitude of the western Anatolia earthquake?")
    assert "6.4" in magnitude.text.split("[1]")[0], magnitude.text
    acres = bot.ask("How many acres has the Pine Ridge fire burned?")
    assert "11,450" in acres.text.split("[1]")[0], acres.text


def test_an_update_settles_how_things_stand(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"Has the missing hiker been found?" of a story of the search with an UPDATE that he was
    found alive was answered with the search (a review of news formats); the update, told later
    and saying otherwise, now leads (`synthesis._told_later`)."""
    bot = bot_over(tmp_path, embedder, {
        "hiker.txt": "Title: Search under way for hiker missing on Ben Corran\nSource: Highland Record\nDate: 2024-10-05\n\n"
        "Mountain rescue teams are searching for a 34-year-old hiker who has been missing on Ben Corran since "
        "Friday afternoon.\n\nThe man, named by police as Euan Baird, set off alone from the Glen Tarra car park "
        "at about 11am on Friday.\n\nUPDATE, Sunday 6 October: Euan Baird was found alive by a mountain rescue "
        "team on Sunday morning near the summit ridge. He was taken to hospital with hypothermia.\n",
        "other.txt": "Title: Ferry timetable changes\nSource: Highland Record\nDate: 2024-10-04\n\n"
        "The Ben Corran ferry will run twice a day from November, the operator said.\n",
    })
    found = bot.ask("Has the missing hiker on Ben Corran been found?")
    assert "found alive" in found.text.split("[1]")[0], found.text
    started = bot.ask("Where did Euan Baird set off from?")  # not how things stand: the story answers
    assert "Glen Tarra" in started.text.split("[1]")[0], started.text
