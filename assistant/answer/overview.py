"""Requests for an overview ("Tell me about the port strike", "Summarize the news on the Chile
Bolivia talks") and the answer news writes for them: each article's lead.

A news story states what happened first (the inverted pyramid): its opening sentence is the
summary its writer chose. So an overview keeps the articles the reader's answer
cites, in its order, one statement an article, and quotes each one's opening sentence; an
article whose opening names nothing of the topic (a feature that opens on a scene) keeps the
sentence the reader chose. Whether to answer at all, and with what confidence, is the reader's
usual decision: an overview of something the articles do not cover is refused like any question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.answer.draft import Draft, DraftStatement
from assistant.answer.evidence import EvidenceSentence, covered_share
from assistant.answer.synthesis import MAX_STATEMENTS

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
    """The reader's answer to the request, restated as an overview: the same articles, in the
    same order, at most MAX_STATEMENTS, each one's opening sentence (`openings`, by doc id) in
    place of what the reader quoted of it, when that opening names something of the topic; no
    short answer. The reader's confidence and decision to answer stand as they were."""
    if draft.abstained:
        return draft
    statements: list[DraftStatement] = []
    taken: set[str] = set()
    for sentence in (s for statement in draft.statements for s in statement.sentences):
        if sentence.doc_id in taken or len(statements) == MAX_STATEMENTS:
            continue
        taken.add(sentence.doc_id)
        opening = openings.get(sentence.doc_id)
        if opening is not None and covered_share(topic_weights, opening.terms) > 0:
            sentence = opening
        statements.append(DraftStatement(sentence))
    return Draft(statements, False, draft.confidence, draft.ranked)
