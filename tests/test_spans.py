"""The span model: which span of the answering sentence leads the answer."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answer.candidates import best_candidate, dateline_end, question_kind
from assistant.answer.spans import load_span_model, span_rows, target_noun
from assistant.evals.text import short_answer_right, token_f1
from assistant.search.lexical import content_terms, question_terms

# Invented news sentences. In each, the rule the model replaced (the wanted kind's span nearest
# the question's words) picks a word that only looks like a name.
MISLEADING = [
    (
        "Who signed the accord for Chile?",
        "However, Chile's accord was signed by Foreign Minister Ana Ruiz in Montevideo.",
        "However",
        "Ana Ruiz",
    ),
    (
        "Who resigned as police chief?",
        "Tacoma police chief Ronald Esparza resigned on Monday, the city said.",
        "Tacoma",
        "Ronald Esparza",
    ),
    (
        "Which principle did the minister say the treaty ignored?",
        "Thus, the minister said that the treaty ignored the principle of equal access to water.",
        "Thus",
        "equal access",
    ),
]
PLAIN = [
    ("When was the game played?", "The game was played on February 7, 2016, at Levi's Stadium.", "February 7, 2016"),
    ("How many troops has Russia deployed?", "Russia has deployed more than 100,000 soldiers near the border.", "100,000"),
    ("Where will the summit be held?", "The summit will be held in Nairobi in March, the organisers said.", "Nairobi"),
    (
        "Who first questioned the drought figures?",
        "The British hydrologist Margaret Ellison first questioned the drought figures in 2019.",
        "Margaret Ellison",
    ),
]


def _best(question: str, sentence: str):  # type: ignore[no-untyped-def]
    return load_span_model().best(sentence, question, question_kind(question), frozenset(question_terms(question)))


@pytest.mark.parametrize(("question", "sentence", "rule_pick", "answer"), MISLEADING)
def test_a_word_that_only_looks_like_a_name_does_not_lead(
    question: str, sentence: str, rule_pick: str, answer: str
) -> None:
    rule = best_candidate(sentence, question_kind(question), frozenset(question_terms(question)))
    assert rule.candidate is not None and rule.candidate.text == rule_pick  # what used to lead
    found = _best(question, sentence)
    assert found is not None and found.candidate.text != rule_pick
    assert answer in found.candidate.text and found.probability >= load_span_model().lead_at


@pytest.mark.parametrize(("question", "sentence", "answer"), PLAIN)
def test_the_answer_span_leads(question: str, sentence: str, answer: str) -> None:
    found = _best(question, sentence)
    assert found is not None and found.candidate.text == answer
    assert found.probability >= load_span_model().lead_at
    assert sentence[found.candidate.start : found.candidate.end] == answer  # offsets in the sentence


def test_a_footnote_mark_is_no_answer() -> None:
    """A page copied from an encyclopaedia keeps its reference marks: "[1]" is not the year."""
    sentence = "The Eiffel Tower was completed in 1889 [1] for the World's Fair, the tallest until 1930 [3]."
    for question in ("How tall is the Eiffel Tower and when was it completed?", "How many floors does it have?"):
        found = _best(question, sentence)  # "1" led the first at 0.52 when the mark was a number
        assert found is None or found.candidate.text not in ("1", "3"), question


def test_a_sentence_without_the_kind_asked_for_leads_with_nothing() -> None:
    found = _best("How many troops has Russia deployed?", "Russia has deployed troops near the border, officials said.")
    assert found is None or found.probability < load_span_model().lead_at


# Wire copy's datelines (sentences of the constructed news's training stories); the model's pick,
# at a probability that led the answer, was the dateline's date or city.
DATELINES = [
    (
        "Until when does Quintela's Northgate contract run?",
        "LEEDS, Aug 26 — Davi Quintela was unveiled as a Northgate Athletic player on Tuesday afternoon.",
        "Aug 26",
    ),
    (
        "Who is the governor in the Arizona budget standoff?",
        "PHOENIX, June 25 - Arizona lawmakers left the Capitol late Wednesday without a budget the governor will "
        "sign, raising the prospect of a state government shutdown when the fiscal year ends on June 30.",
        "PHOENIX",
    ),
    (
        "When will the High Court hear Orbweave's appeal?",
        "DUBLIN, Sept 19 - Orbweave Technologies has lodged an appeal in the High Court in Dublin against the 91.5 "
        "million euro fine imposed on its Glimmer app by the Data Protection Commission, the company confirmed on "
        "Thursday.",
        "Sept 19",
    ),
]


def _model_alone(question: str, sentence: str) -> str:
    """The span the model's probabilities alone rank first, before any rule on what may lead."""
    spans, rows = span_rows(sentence, question_kind(question), frozenset(question_terms(question)),
                            target_noun(question))
    probabilities = load_span_model().forest.probability(np.asarray(rows, dtype=np.float64))
    return spans[int(np.argmax(probabilities))].text


@pytest.mark.parametrize(("question", "sentence", "filed"), DATELINES)
def test_a_dateline_never_leads(question: str, sentence: str, filed: str) -> None:
    assert _model_alone(question, sentence) == filed
    found = _best(question, sentence)
    assert found is None or found.candidate.start >= sentence.index(filed) + len(filed)


def test_a_dateline_is_found_in_its_forms() -> None:
    for sentence, filed in [
        ("MONCTON, New Brunswick, Oct. 21 (ECN) - The province said.", "MONCTON, New Brunswick, Oct. 21 (ECN) - "),
        ("MOSCOW, Feb. 12 (Xinhua) -- Russian President Vladimir Putin said.", "MOSCOW, Feb. 12 (Xinhua) -- "),
        ("SAO PAULO - The hackers who crippled the group.", "SAO PAULO - "),
        ("WASHINGTON (Reuters) - U.S. officials said.", "WASHINGTON (Reuters) - "),
    ]:
        assert sentence[: dateline_end(sentence)] == filed
    for sentence in ["NATO - the alliance - said on Monday.", "The U.S. - and NATO - said.", "Leeds, Aug 26 was sunny."]:
        assert dateline_end(sentence) == 0


# A change or a share is reported as a percentage (sentences of the constructed news's training
# stories; the model alone leads with the sum or the name beside it).
PERCENTAGES = [
    (
        "How much did Nightjar's share price drop on Tuesday?",
        "Shares in Nightjar fell 22 percent in Warsaw trading on Tuesday to 61.40 zlotys, their lowest level "
        "since 2020.",
        "61.40 zlotys",
        "22 percent",
    ),
    (
        "What stake in the merged company will Lintas Nusa's shareholders get?",
        "Under the terms, Lintas Nusa shareholders will own 58 percent of the merged company and Andaman Link "
        "investors the remaining 42 percent.",
        "Andaman Link",
        "58 percent",
    ),
]


@pytest.mark.parametrize(("question", "sentence", "model_pick", "answer"), PERCENTAGES)
def test_a_change_or_a_share_leads_with_a_percentage(question: str, sentence: str, model_pick: str,
                                                     answer: str) -> None:
    assert _model_alone(question, sentence) == model_pick
    found = _best(question, sentence)
    assert found is not None and found.candidate.text == answer and found.probability >= load_span_model().lead_at


@pytest.mark.parametrize(
    ("question", "sentence", "whole"),
    [
        (
            "How many of the stolen pieces have been recovered?",
            "Police said six of the 14 stolen pieces had been recovered by Friday.",
            "14",
        ),
        (
            "How many of its hospitals had their records back by Thursday?",
            "By Thursday, four of its 11 hospitals had their electronic records back.",
            "11",
        ),
    ],
)
def test_a_part_of_a_whole_is_not_the_whole(question: str, sentence: str, whole: str) -> None:
    # "How many of ...?" asks for the part; the whole, after "of the", is never the answer.
    found = _best(question, sentence)
    assert found is None or found.candidate.text != whole


# Invented sentences of the kinds a review's questions met (2026-12-06): "9 of the 15 trapped
# miners" gave 15 for "How many miners were rescued?". A count asks for the part, unless it names
# what makes the whole one: its owner ("the city's") or a word before the noun ("trapped").
PARTS_AND_WHOLES = [
    ("How many miners were rescued alive?", "Rescuers pulled 9 of the 15 trapped miners out alive on Sunday.", "9", "15"),
    ("How many miners were trapped?", "Rescuers pulled 9 of the 15 trapped miners out alive on Sunday.", "15", "9"),
    ("How many wards did Achterberg win?", "Achterberg won 11 of the city's 14 wards, results showed.", "11", "14"),
    ("How many wards does the city have?", "Achterberg won 11 of the city's 14 wards, results showed.", "14", "11"),
    ("How many stores does Brenner have?", "Brenner could close up to 12 of its 38 stores, its chief said.", "38", "12"),
    (
        "How many items taken in the museum raid have police recovered?",
        "Police said they had recovered 14 of the 22 items taken in the raid.",
        "14",
        "22",
    ),
]


@pytest.mark.parametrize(("question", "sentence", "answer", "other"), PARTS_AND_WHOLES)
def test_a_count_takes_the_part_or_the_whole_the_question_names(
    question: str, sentence: str, answer: str, other: str
) -> None:
    spans, _ = span_rows(sentence, question_kind(question), frozenset(question_terms(question)))
    assert {answer, other} <= {s.text for s in spans}  # both are candidates; one is dropped
    found = _best(question, sentence)
    assert found is None or found.candidate.text == answer, found


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        ("What time did the fire break out?", "The fire broke out at 3:15 a.m. on Saturday, officials said.", "3:15 a.m."),
        ("At what time did the quake hit?", "The quake hit at 6.20am local time on Thursday.", "6.20am"),
        ("What time do polls close?", "Polls close at 8 p.m. on Sunday, the commission said.", "8 p.m."),
    ],
)
def test_a_time_of_day_answers_what_time(question: str, sentence: str, answer: str) -> None:
    found = _best(question, sentence)
    assert found is not None and found.candidate.text == answer, found


def test_what_time_is_not_answered_by_a_day() -> None:
    assert _best("What time did the fire break out?", "The fire broke out on Saturday, officials said.") is None
    found = _best("When did the fire break out?", "The fire broke out on Saturday, officials said.")
    assert found is not None and found.candidate.text == "Saturday"


@pytest.mark.parametrize(
    ("question", "sentence", "wrong"),
    [
        # invented sentences of the kinds a real page led with (a count led by a share, a length
        # of time by a weekday)
        (
            "How many new cars did the region's dealers sell in May?",
            "Sales of new cars in the region fell 14.6 percent in May, the dealers' association said on Monday.",
            "14.6 percent",
        ),
        ("How long has the bridge been closed?", "The bridge closed on Monday after inspectors found cracks.", "Monday"),
    ],
)
def test_a_share_never_counts_and_a_weekday_never_lasts(question: str, sentence: str, wrong: str) -> None:
    found = _best(question, sentence)
    assert found is None or found.candidate.text != wrong


@pytest.mark.parametrize(
    ("question", "sentence", "other", "asked"),
    [
        # a real page: "Hogan Gidley" led at 0.84 as the press secretary he is the deputy of
        (
            "Who is the White House press secretary?",
            '"He has not followed it religiously," said Hogan Gidley, the principal deputy White House press secretary.',
            "Hogan Gidley",
            None,
        ),
        (
            "Who is the White House press secretary?",
            "Deputy press secretary Hogan Gidley and press secretary Stephanie Grisham spoke on Monday.",
            "Hogan Gidley",
            None,
        ),
        (
            "Who is the White House press secretary?",
            "White House press secretary Stephanie Grisham and deputy press secretary Hogan Gidley spoke on Monday.",
            "Hogan Gidley",
            "Stephanie Grisham",
        ),
        ("Who is the president of France?", "Former president Francois Hollande met the ex-president Nicolas Sarkozy.", "Hollande", None),
        # the role asked for with its qualifier is that role
        ("Who is the deputy press secretary?", "Deputy press secretary Hogan Gidley spoke on Monday.", None, "Hogan Gidley"),
    ],
)
def test_a_name_given_another_role_does_not_answer_for_the_role(
    question: str, sentence: str, other: str | None, asked: str | None
) -> None:
    found = _best(question, sentence)
    picked = found.candidate.text if found is not None else ""
    if other is not None:
        assert other not in picked, picked
    if asked is not None:
        assert asked in picked, picked


def test_a_span_holding_the_name_asked_about_is_not_its_answer() -> None:
    """ "Who did Markovic beat?" led with "Elena Markovic of Serbia" (a review of questions as
    people type them): the name the question asks about; unless it offers a choice."""
    sentence = "Elena Markovic of Serbia won the Australian Open title on Saturday, beating France's Chloe Dubois 6-4, 3-6, 7-5."
    for question in ("Who did Markovic beat?", "Who did Elena Markovic beat in the final?"):
        found = _best(question, sentence)
        assert found is None or "Markovic" not in found.candidate.text, (question, found)
    found = _best("Who won the Australian Open?", sentence)
    assert found is not None and found.candidate.text.startswith("Elena Markovic")
    found = _best("Who won the final, Markovic or Dubois?", sentence)
    assert found is not None and "Markovic" in found.candidate.text
    # a span that shares a word of the name, not all of it, may answer (a SQuAD answer lost to the first rule)
    law = "The principles of European Union law are rules of law developed by the European Court of Justice."
    found = _best("Which entity developed the principles of European Union law?", law)
    assert found is not None and found.candidate.text == "European Court of Justice", found


def test_an_age_is_read_whole() -> None:
    # "71-year" of "71-year-old" led the answer to "How old ...?" (the development news, 2026-12-05)
    found = _best("How old was the man who died in the flood?", "A 71-year-old man from Lasko died when his car was swept away.")
    assert found is not None and found.candidate.text == "71-year-old"


def test_a_sum_still_answers_what_something_cost() -> None:
    found = _best("How much did the new bridge cost?", "The bridge cost 40 million euros, 12 percent over budget.")
    assert found is not None and found.candidate.text == "40 million euros"


def test_the_question_names_its_target() -> None:
    assert target_noun("Which show did Netflix renew?") == "show"
    assert target_noun("In what year did it open?") == "year"
    assert target_noun("Who won?") is None


def test_a_short_answer_is_right_by_token_overlap() -> None:
    assert token_f1("the Denver Broncos", "Denver Broncos") == 1.0
    assert short_answer_right("French", ["French side"])  # F1 0.67
    assert short_answer_right("1859", ["1859 and 1865"])  # F1 0.5
    assert not short_answer_right("1859", ["between 1859 and 1865"])  # F1 0.4
    assert not short_answer_right("British", ["J. F. D. Shrewsbury"])
    assert not short_answer_right("Thus", ["indivisibility of security"])
    assert not short_answer_right("anything", [])


@pytest.mark.parametrize(
    ("question", "sentence", "count"),
    [
        ("How many people were injured in the Peru earthquake?",
         "The quake struck near Arequipa on Tuesday, killing nine people and injuring 210, officials said.", "210"),
        ("How many people were killed in the Peru earthquake?",
         "The quake struck near Arequipa on Tuesday, killing nine people and injuring 210, officials said.", "nine people"),
        ("How many economists forecast a half-point cut?", "Of 22 economists polled, only four had forecast a half-point cut.", "four"),
        ("How many economists were polled?", "Of 22 economists polled, only four had forecast a half-point cut.", "22"),
        # a noun the question names ties no count; nor does a verb the question does not ask with
        ("How many seats did the survey give Bosma's party?",
         "The survey gave the Rural Citizens Movement 13 seats, while the Centre Alliance would remain the largest "
         "party with 29.", "13"),
        # a verb of another clause ties no count ("were flooded, more than half of them ...")
        ("How many homes in Celje were flooded?",
         "According to the municipality, 640 homes in Celje were flooded, more than half of them in the Otok district.",
         "640"),
        ("How many tickets did the festival sell this year?",
         "Matic said 62,000 tickets had been sold over the nine days of the festival, and that 146 films from 41 "
         "countries had been screened.", "62,000"),
    ],
)
def test_a_count_is_the_one_beside_what_the_question_asks_with(question: str, sentence: str, count: str) -> None:
    """Not the one beside the noun it counts: "How many people were injured?" of "killing nine
    people and injuring 210" led with "nine people", confidence 0.86 (a review of many similar stories)."""
    best = load_span_model().best(sentence, question, "number", frozenset(content_terms(question)))
    assert best is not None and best.candidate.text == count


@pytest.mark.parametrize(
    ("question", "sentence", "count"),
    [
        ("How many people died in the Izmir earthquake?",
         "The death toll from a magnitude 6.6 earthquake that struck Izmir rose to 41 on Friday.", "41"),
        ("How many people live in the region?", "About 1.2 million people live in the region.", "1.2 million people"),
        ("How many tonnes of scales were seized?", "Officers seized 7.2 tonnes of pangolin scales.", "7.2 tonnes"),  # its unit
    ],
)
def test_a_count_is_a_whole_number(question: str, sentence: str, count: str) -> None:
    """"How many people died?" led with the "6.6" of "a magnitude 6.6 earthquake" (a review of many
    similar stories): a number with a fraction and no scale is a measure, not a count."""
    best = load_span_model().best(sentence, question, "number", frozenset(content_terms(question)))
    assert best is not None and best.candidate.text == count


@pytest.mark.parametrize(
    ("question", "sentence", "count"),
    [
        ("How many goals did Velkrin score for Dravnik last season?",
         "Velkrin, 24, scored 23 goals in all competitions for Dravnik last season.", "23"),
        ("How many jets did the Asian airline order from Orvane?",
         "Orvane Aerospace has won an order for 40 of its OR-90 regional jets from an Asian airline.", "40"),
        ("How many people were killed?", "Nine people were killed, police said.", "Nine people"),  # no age without a name before it
    ],
)
def test_a_count_is_no_age_beside_a_name_nor_a_code(question: str, sentence: str, count: str) -> None:
    """"How many goals did Velkrin score?" led with his age ("Velkrin, 24, scored 23 goals"), and
    "How many jets did the airline order?" with the 90 of "OR-90 regional jets" (a review of
    withheld facts)."""
    best = load_span_model().best(sentence, question, "number", frozenset(content_terms(question)))
    assert best is not None and best.candidate.text == count


@pytest.mark.parametrize(
    ("question", "sentence", "speaker"),
    [
        ("Where was the company director arrested on Thursday?", "Gallery director Ines Moreau said she was relieved by the arrests.", "Ines Moreau"),
        (
            "Where is Kilmore Savings Bank headquartered?",
            "Kilmore Savings Bank's largest shareholder, the Coastal Teachers' Pension Fund, said on Wednesday it would back Northgate Bancorp's offer.",
            "Pension Fund",
        ),
        (
            "Where will the first listening session be held?",
            "Mayor Anna Kovacs said the city would hold at least three listening sessions before the vote.",
            "Anna Kovacs",
        ),
    ],
)
def test_a_name_that_speaks_is_no_place(question: str, sentence: str, speaker: str) -> None:
    """"Where was the company director arrested on Thursday?" led with "Claire Dumas" of "Museum
    director Claire Dumas said …" (development news)."""
    found = _best(question, sentence)
    assert found is None or speaker not in found.candidate.text or found.probability < load_span_model().lead_at, found
    found = _best("Where will the talks be held?", "The talks will be held in Geneva, the ministry said.")
    assert found is not None and found.candidate.text == "Geneva", found
