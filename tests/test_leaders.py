"""Who leads what: a name is the body's leader only where a sentence ties the two (leaders.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.draft import NOT_IN_ARTICLES
from assistant.answer.leaders import AskedLeader, asked_leader, names_a_leader
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import bot_over


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Who leads Labour Centre?", AskedLeader("leader", "Labour Centre")),
        ("Who heads the Axarquia Growers' Union?", AskedLeader("head", "the Axarquia Growers' Union")),
        ("who co-founded Norrvik Biosciences", AskedLeader("founder", "Norrvik Biosciences")),
        ("Who is the chief executive of Vantor Labs?", AskedLeader("chief executive", "Vantor Labs")),
        ("Who was the former director of the museum?", AskedLeader("director", "the museum")),
        ("Who said the talks failed?", None),
        ("Who runs the only hotel in Feldmatt?", None),  # running a hotel is no office
        ("What did the leader of Labour Centre say?", None),
    ],
)
def test_a_question_asking_who_leads_a_body_is_read_as_office_and_body(question: str, asked: AskedLeader | None) -> None:
    assert asked_leader(question) == asked


@pytest.mark.parametrize(
    ("question", "stated"),
    [
        ("Who leads the Green Baltic Alliance?", ["The Green Baltic Alliance, led by Rasmus Kuusk, won 10 seats."]),
        ("Who chairs the Dunedin Ratepayers Alliance?", ["Graham Pike, chair of the Dunedin Ratepayers Alliance, said on Friday the group had asked a lawyer."]),
        ("Who chairs the State Electoral Office?", ["The count was completed at 1:40 a.m., the office's chairwoman, Helena Saar, told a news conference."]),
        ("Who leads the Lisbon Landlords' Association?", ["The association condemned the plan.", "Its president, Alvaro Mendes, said owners were made scapegoats."]),
        ("Who heads the Vaslui County public health directorate?", ['"We are seeing the consequences," said Dr. Sorina Mateescu, who heads the directorate.']),
        ("Who founded the University of Chicago?", ["The University of Chicago was founded in 1890 by John D. Rockefeller."]),
        # an office written bare, in a story that names the body: its head
        ("Who is the chief executive of Vantor Labs?", ["Shares of Vantor Labs rose 4.2 percent.", "Chief executive Marisol Okafor said the company was humbled."]),
        # the body by the noun of its kind
        ("Who heads Green Corridors Vietnam?", ["Green Corridors Vietnam is a wildlife group.", '"The investigation stopped with a driver," said Le Thi Mai Anh, the group\'s director.']),
    ],
)
def test_a_sentence_that_ties_a_name_to_the_body_names_its_leader(question: str, stated: list[str]) -> None:
    asked = asked_leader(question)
    assert asked is not None and names_a_leader(asked, question, stated)


@pytest.mark.parametrize(
    ("question", "stated"),
    [
        # the office is another body's, far from the one asked of
        ("Who leads Labour Centre?", ["The Green Baltic Alliance, led by Rasmus Kuusk, won 10 seats, and Labour Centre took 7."]),
        ("Who chairs the State Electoral Office?", ["Fiona Tautahi, who chairs the council's governance committee, said turnout rose.", "Turnout was 61.4 percent, according to the State Electoral Office."]),
        # a name, no office
        ("Who founded Norrvik Biosciences?", ["The study cost about $210 million, Norrvik Biosciences said, a third of it paid by the Global Antibiotic Access Partnership."]),
        # the office and the body, but the name is the question's own
        ("Who leads the Red Party group on Trondheim's council?", ["On the council, opponents led by the Red Party have called for a referendum."]),
        # an office that is another's: a company's, a commission's
        ("Who is the chief executive of Vantor Labs?", ["Vantor Labs shares rose.", "Northgate chief executive Marisol Okafor said the deal was off."]),
        ("Who is the director of the Hollis Museum?", ["The Tate's director, Dr. Ngozi Eromosele, praised the Hollis Museum."]),
    ],
)
def test_a_sentence_that_names_someone_near_the_body_does_not_name_its_leader(question: str, stated: list[str]) -> None:
    asked = asked_leader(question)
    assert asked is not None and not names_a_leader(asked, question, stated)


ELECTION = """Baltic Wire

Homeland First surges in Estonia's election

March 3, 2026

TALLINN, March 3 - Estonia's ruling Reform Party won the most seats in Sunday's parliamentary election, but the nationalist Homeland First came third with 21 seats. The Green Baltic Alliance, led by Rasmus Kuusk, won 10 seats, and Labour Centre took 7. Turnout was 61.4 percent, the State Electoral Office said.
"""


def test_who_leads_a_party_the_articles_give_no_leader_of_is_refused(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"Who leads Labour Centre?" was answered "Rasmus Kuusk" at 0.88 from the sentence that
    says he leads another party (a development-news near miss)."""
    bot = bot_over(tmp_path, embedder, {"election.txt": ELECTION})
    answered = bot.ask("Who leads the Green Baltic Alliance?")
    assert not answered.abstained and answered.text.startswith("Rasmus Kuusk [1]."), answered.text
    refused = bot.ask("Who leads Labour Centre?")
    assert refused.abstained, refused.text
    assert refused.text.startswith(f"{NOT_IN_ARTICLES} The sentences nearest the question give no leader of Labour Centre."), refused.text
    assert refused.confidence < 0.1
    told = ELECTION.replace("and Labour Centre took 7.", "and Labour Centre, whose leader is Mari Tamm, took 7.")
    (tmp_path / "articles" / "election.txt").write_text(told, encoding="utf-8")
    bot.ingest([tmp_path / "articles"])
    now = bot.ask("Who leads Labour Centre?")
    assert not now.abstained and "Mari Tamm" in now.text, now.text
