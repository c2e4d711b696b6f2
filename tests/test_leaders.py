"""Who leads what: a name is the body's leader only where a sentence ties the two (leaders.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answer.draft import NOT_IN_ARTICLES
from assistant.answer.evidence import EvidenceSentence, evidence_sentences
from assistant.answer.leaders import AskedLeader, asked_leader, names_a_leader
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.retrieval import Passage
from tests.conftest import bot_over


def _story(*sentences: str) -> list[EvidenceSentence]:
    """The sentences of one story, in order, read as the answer reads a retrieved passage."""
    spans, at = [], 0
    for sentence in sentences:
        spans.append([at, at + len(sentence), at, at + len(sentence)])
        at += len(sentence) + 1
    passage = Passage("story-0", " ".join(sentences), {"doc_id": "story", "sentences": json.dumps(spans)}, 0.0, 0.0)
    return evidence_sentences([passage])


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Who leads Labour Centre?", AskedLeader("leader", "Labour Centre")),
        ("Who heads the Axarquia Growers' Union?", AskedLeader("head", "the Axarquia Growers' Union")),
        ("who co-founded Norrvik Biosciences", AskedLeader("founder", "Norrvik Biosciences")),
        ("Who is the chief executive of Lumen Optics?", AskedLeader("chief executive", "Lumen Optics")),
        ("Who was the former director of the museum?", AskedLeader("director", "the museum")),
        # the office to come; the body up to the words that say more of it
        ("Who will captain Sri Lanka in the one-day series against New Zealand?", AskedLeader("captain", "Sri Lanka")),
        ("Who will lead the Centre Alliance into the Sept. 30 election?", AskedLeader("leader", "the Centre Alliance")),
        ("Who heads the Indonesian pilots' union that warned about job cuts?", AskedLeader("head", "the Indonesian pilots' union")),
        ("Who is the mayor of Bydgoszcz?", AskedLeader("mayor", "Bydgoszcz")),
        ("Who heads the Bank of Canada?", AskedLeader("head", "the Bank of Canada")),
        ("Who is Voltaris's chief executive?", AskedLeader("chief executive", "Voltaris")),
        ("Who is the CEO of Orbweave?", AskedLeader("chief executive", "Orbweave")),
        ("Who is the Dunedin Ratepayers Alliance's current chair?", AskedLeader("chair", "the Dunedin Ratepayers Alliance")),
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
        ("Who leads the Porto Tenants' League?", ["The league condemned the plan.", "Its president, Rui Sardinha, said owners were made scapegoats."]),
        ("Who heads the Vaslui County public health directorate?", ['"We are seeing the consequences," said Dr. Sorina Mateescu, who heads the directorate.']),
        ("Who founded the University of Chicago?", ["The University of Chicago was founded in 1890 by John D. Rockefeller."]),
        ("Who founded Norrvik Biosciences?", ["Norrvik Biosciences, which chief executive Henrik Dahlgren founded in 2011, will build a plant."]),
        ("Who is the chief executive of Lumen Optics?", ["Lumen Optics will build a plant, said chief executive Rosa Lindgren."]),
        ("Who coaches Sipho Mthembu?", ["Sipho Mthembu took third place.", "Mthembu trains at altitude under coach Thabo Nkosi."]),
        ("Who is the prime minister of Estonia?", ["Estonia voted on Sunday.", "Prime Minister Kadri Tamm said talks would start."]),
        # an office written bare, in a story that names the body: its head
        ("Who is the chief executive of Lumen Optics?", ["Shares of Lumen Optics rose 4.2 percent.", "Chief executive Rosa Lindgren said the company was humbled."]),
        # the body by the noun of its kind
        ("Who heads Green Corridors Vietnam?", ["Green Corridors Vietnam is a wildlife group.", '"The investigation stopped with a driver," said Le Thi Mai Anh, the group\'s director.']),
    ],
)
def test_a_sentence_that_ties_a_name_to_the_body_names_its_leader(question: str, stated: list[str]) -> None:
    asked = asked_leader(question)
    assert asked is not None and names_a_leader(asked, question, _story(*stated))


@pytest.mark.parametrize(
    ("question", "stated"),
    [
        # the office is another body's, far from the one asked of
        ("Who leads Labour Centre?", ["The Green Baltic Alliance, led by Rasmus Kuusk, won 10 seats, and Labour Centre took 7."]),
        ("Who chairs the State Electoral Office?", ["Fiona Tautahi, who chairs the council's governance committee, said turnout rose.", "Turnout was 61.4 percent, according to the State Electoral Office."]),
        # another side's captain, named in the words that say more of the body asked of
        ("Who will captain Sri Lanka in the one-day series against New Zealand?", ["New Zealand captain Hamish Colbourne says he has no plans to step down after the defeat in Sri Lanka."]),
        # a name, no office
        ("Who founded Norrvik Biosciences?", ["The study cost about $210 million, Norrvik Biosciences said, a third of it paid by the Global Antibiotic Access Partnership."]),
        # the office and the body, but the name is the question's own
        ("Who leads the Red Party group on Trondheim's council?", ["On the council, opponents led by the Red Party have called for a referendum."]),
        # the body's name in part: a word of it, of something else
        ("Who leads Labour Centre?", ["The province's chief labour mediator, Suzanne Belliveau, said she had spoken to both sides."]),
        ("Who will lead the Centre Alliance into the election?", ["The Green Baltic Alliance, led by Rasmus Kuusk, won 10 seats."]),
        # an office of another kind: a founder is no chief executive
        ("Who founded Norrvik Biosciences?", ["Norrvik Biosciences will build a plant, chief executive Henrik Dahlgren told analysts."]),
        # "its" of another body ("its leader" of the Renewal Party), in a story that names the one asked of
        (
            "Who leads the Green Baltic Alliance?",
            [
                "The Renewal Party won the election, but its leader, Kadri Tamm, will need a coalition partner.",
                "Analysts expect a long negotiation.",
                "Homeland First finished third, followed by the Green Baltic Alliance with 10 seats.",
            ],
        ),
        # "its" of a story that never names the body
        ("Who heads the Axarquia Growers' Union?", ["Halvern employs about 4,100 people, 1,600 of them at its head office on Portage Avenue."]),
        # an office that is another's: a company's, a commission's, a thing's
        ("Who is the chief executive of Lumen Optics?", ["Lumen Optics shares rose.", "Northgate chief executive Rosa Lindgren said the deal was off."]),
        ("Who is the director of the Harrow Gallery?", ["The Tate's director, Dr. Ada Nwosu, praised the Harrow Gallery."]),
        # a bare office, not the one asked for: a chief is no director
        ("Who is the director of the Harrow Gallery?", ["The Harrow Gallery returned the objects.", "Chief Adebayo Okon, a palace spokesman, said they would be shown."]),
        (
            "Who heads the Rail Safety Inspection Office's investigation?",
            ["The Rail Safety Inspection Office is investigating.", "The line was closed, the state infrastructure manager Sprava zeleznic said."],
        ),
    ],
)
def test_a_sentence_that_names_someone_near_the_body_does_not_name_its_leader(question: str, stated: list[str]) -> None:
    asked = asked_leader(question)
    assert asked is not None and not names_a_leader(asked, question, _story(*stated))


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


PIER = """Coastal Courier

Kilmore Harbour Trust closes the old pier

February 2, 2026

KILMORE, Feb. 2 - The Kilmore Harbour Trust closed the old pier on Monday after divers found corroded piles beneath it. "We would rather close it for a season than see someone hurt," she said outside the trust's offices. Repairs are expected to cost about 2 million euros.

Fishing crews will moor at the new quay while the pier is shut. Chairwoman Maeve Dunne said the trust would seek funding from the county council.
"""

STORM = """Coastal Courier

Storm closes ferry routes

February 3, 2026

KILMORE, Feb. 3 - Ferries between Kilmore and the islands were cancelled on Tuesday as a storm heads up the coast, the operator said.
"""


def test_who_leads_a_body_is_answered_by_the_sentence_that_names_its_head_when_the_best_do_not(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """The sentences that read best for "Who heads the Kilmore Harbour Trust?" are the closure and
    a quote ("… she said"); the one that names her as its chair is read lower, and leads."""
    bot = bot_over(tmp_path, embedder, {"pier.txt": PIER, "storm.txt": STORM})  # "heads" is a word of the corpus
    answered = bot.ask("Who heads the Kilmore Harbour Trust?")
    assert not answered.abstained, answered.text
    assert answered.citations[0].quote.startswith("Chairwoman Maeve Dunne said"), answered.text
