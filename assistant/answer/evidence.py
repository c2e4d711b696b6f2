"""The sentences of retrieved passages, located in their source files, and how much of a
question's weighted words a set of stems covers."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.search.lexical import content_terms
from assistant.search.retrieval import Passage


@dataclass(frozen=True)
class EvidenceSentence:
    """A sentence of a retrieved passage, located in its source file."""

    passage: Passage
    text: str
    source_start: int
    source_end: int
    quote: str
    terms: frozenset[str]
    neighbors: frozenset[str] = frozenset()  # terms of the sentences around it
    score: float = 0.0
    coverage: float = 0.0

    @property
    def doc_id(self) -> str:
        return self.passage.doc_id


def article_terms(passage: Passage) -> frozenset[str]:
    """A sentence is also "about" its article's outlet: "What did Xinhua say ...?"."""
    return frozenset(content_terms(str(passage.metadata.get("outlet") or "")))


def evidence_sentences(passages: list[Passage]) -> list[EvidenceSentence]:
    """Every sentence of the passages once, in passage order."""
    seen: set[tuple[str, int]] = set()
    found = []
    for passage in passages:
        quotes = passage.source_quotes()
        spans = passage.sentence_spans()
        texts = [passage.text[start:end] for start, end, _, _ in spans]
        terms = [frozenset(content_terms(text)) for text in texts]
        for i, (_, _, src_start, src_end) in enumerate(spans):
            key = (passage.doc_id, src_start)
            if key in seen:
                continue
            seen.add(key)
            around = frozenset().union(*terms[max(i - 1, 0) : i], *terms[i + 1 : i + 2])
            found.append(
                EvidenceSentence(
                    passage=passage,
                    text=texts[i],
                    source_start=src_start,
                    source_end=src_end,
                    quote=quotes[i] if quotes else texts[i],
                    terms=terms[i] | article_terms(passage),
                    neighbors=around,
                )
            )
    return found


# The words news counts its dead and hurt with: "How many people were killed?" is answered by
# "Fifteen people have now died", "the death toll" by "killing nine people" (a review of stories
# that change). By their stems (`content_terms`).
_SAID_OTHERWISE = [
    frozenset(["kill", "die", "dead", "death", "fatal"]),
    frozenset(["injur", "injuri", "wound", "hurt"]),
]
_OTHER_WORDS = {stem: family - {stem} for family in _SAID_OTHERWISE for stem in family}


def term_found(term: str, terms: frozenset[str]) -> bool:
    """Exact stem, one stem extending the other ("iran"/"iranian", "17"/"17th"), or a word news
    says the same count with ("killed"/"died", `_SAID_OTHERWISE`)."""
    if term in terms or not terms.isdisjoint(_OTHER_WORDS.get(term, ())):
        return True
    shortest = 2 if term[:1].isdigit() else 4
    return len(term) >= shortest and any(
        len(other) >= shortest and (other.startswith(term) or term.startswith(other)) for other in terms
    )


def covered_share(question_weights: dict[str, float], terms: frozenset[str]) -> float:
    total = sum(question_weights.values())
    if not total:
        return 0.0
    return sum(w for t, w in question_weights.items() if term_found(t, terms)) / total
