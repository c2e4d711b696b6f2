"""Requests for an overview ("Tell me about the port strike", "Summarize the news on the Chile
Bolivia talks") and the answer news writes for them: each article's lead.

A news story states what happened first (the inverted pyramid): its opening sentence is the
summary its writer chose. So an overview is the opening sentence of each article the reader
finds about the topic, best first, one an article; an article whose opening sentence names
nothing of the topic (a feature that opens on a scene) gives its best sentence instead. Whether
the articles are about the topic at all is the reader's usual decision, made on the topic
alone: an overview of something the articles do not cover is refused like any question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.answer.evidence import EvidenceSentence, covered_share
from assistant.answer.synthesis import MAX_STATEMENTS, RELATIVE_TO_BEST, Draft, DraftStatement

_REQUEST = re.compile(
    r"""^(?:please\s+)?(?:(?:can|could|would)\s+you\s+)?(?:please\s+)?
    (?: tell\s+me\s+(?:more\s+)?about
      | summari[sz]e(?:\s+(?:the\s+)?(?:news|articles|coverage|reports?|stories)\s+(?:on|about|of))?
      | (?:give\s+me\s+)?(?:an?\s+)?(?:short\s+|brief\s+|quick\s+)?(?:summary|overview|rundown|recap)\s+(?:of|on|about)
      | (?:give\s+me\s+)?(?:an?\s+)?update\s+on
      | what(?:'s|\s+is)\s+(?:the\s+)?(?:latest(?:\s+news)?|news|new)\s+(?:on|about|with|in)
      | (?:any\s+|the\s+)?(?:latest\s+)?news\s+(?:on|about)
      | what\s+do\s+(?:the\s+articles|the\s+reports|they|we)\s+(?:say|know|report)\s+about
      | what\s+is\s+known\s+about
      | (?:some\s+)?background\s+on
      | (?:brief|catch\s+up)\s+me\s+on
      | catch\s+me\s+up\s+on
    )\s+(?P<topic>.*?\w.*?)[\s?.!]*$""",
    re.IGNORECASE | re.VERBOSE,
)


def overview_topic(question: str) -> str | None:
    """The topic of a request for an overview; None for any other question."""
    m = _REQUEST.match(question.strip())
    return m.group("topic").strip() if m else None


def overview(draft: Draft, openings: Mapping[str, EvidenceSentence], topic_weights: dict[str, float]) -> Draft:
    """The reader's draft for the topic, restated as an overview: for each article the reader
    rates about the topic (its best sentence at least RELATIVE_TO_BEST of the best article's,
    as for any further statement), at most MAX_STATEMENTS, its opening sentence (`openings`,
    by doc id) when that names something of the topic, else its best sentence."""
    if draft.abstained or not draft.ranked:
        return draft
    top = draft.ranked[0].score
    best: dict[str, EvidenceSentence] = {}
    for sentence in draft.ranked:  # best first
        if sentence.score >= RELATIVE_TO_BEST * top:
            best.setdefault(sentence.doc_id, sentence)
    statements = []
    for doc_id, sentence in list(best.items())[:MAX_STATEMENTS]:
        opening = openings.get(doc_id)
        if opening is not None and covered_share(topic_weights, opening.terms) > 0:
            sentence = opening
        statements.append(DraftStatement(sentence))
    return Draft(statements, False, draft.confidence, draft.ranked)
