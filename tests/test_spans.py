"""The span model: which span of the answering sentence leads the answer."""

from __future__ import annotations

import pytest

from assistant.answer.candidates import best_candidate, question_kind
from assistant.answer.spans import load_span_model, target_noun
from assistant.evals.text import short_answer_right, token_f1
from assistant.search.lexical import question_terms

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


def test_a_sentence_without_the_kind_asked_for_leads_with_nothing() -> None:
    found = _best("How many troops has Russia deployed?", "Russia has deployed troops near the border, officials said.")
    assert found is None or found.probability < load_span_model().lead_at


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
