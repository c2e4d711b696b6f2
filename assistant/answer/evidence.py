"""The sentences of retrieved passages, located in their source files, and how much of a
question's weighted words a set of stems covers."""

from __future__ import annotations

import re
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
    replies_to: frozenset[str] = frozenset()  # terms of the question the article asks just before it
    score: float = 0.0
    coverage: float = 0.0

    @property
    def doc_id(self) -> str:
        return self.passage.doc_id


def evidence_terms(sentences: list[EvidenceSentence], passages: list[Passage]) -> frozenset[str]:
    """The stems the retrieved passages' sentences use, and their articles' headlines: a word of
    the headline is a word the article uses ("Who was jailed for fraud?" of "Former harbour
    official jailed for fraud", whose story writes "sentenced ... for embezzlement", was refused
    as "No article uses the words jailed or fraud"; a held-out check of questions comparing
    outlets)."""
    titles = dict.fromkeys(str(p.metadata.get("title") or "") for p in passages)
    return frozenset().union(*(s.terms for s in sentences), *(content_terms(t) for t in titles))


def article_terms(passage: Passage) -> frozenset[str]:
    """A sentence is also "about" its article's outlet: "What did Xinhua say ...?"."""
    return frozenset(content_terms(str(passage.metadata.get("outlet") or "")))


def title_terms(sentence: EvidenceSentence) -> frozenset[str]:
    """The stems of the title of the article a sentence was read in."""
    return frozenset(content_terms(str(sentence.passage.metadata.get("title") or "")))


# A question from its first word, after a speaker's label and a name it is put to ("Reporter:
# Minister, how many ...?"); not a statement that ends in one ("consider the following instance:
# Is there a route of at most 2000 kilometres ...?", a SQuAD answer).
_ASKING = re.compile(
    r"^[\"'“‘«(]*(?:[^\s:]+(?:\s[^\s:]+){0,3}:\s+)?(?:[A-Z][\w'’-]*,\s+)?(?:(?i:and|but|so)\s+)?"
    r"(?i:who|whom|whose|what|when|where|why|how|which|is|are|was|were|do|does|did|will|would|can|could"
    r"|should|shall|has|have|had|may|might|must)\b"
)


def asks(sentence: str) -> bool:
    """Whether a sentence is a question: an interviewer's ("Interviewer: Who will captain the
    team?"), an explainer's heading ("When will the ferry be delivered?") or a rhetorical one."""
    return sentence.rstrip(" \"'”’)»").endswith("?") and _ASKING.match(sentence) is not None


def evidence_sentences(passages: list[Passage]) -> list[EvidenceSentence]:
    """Every sentence of the passages once, in passage order; not the questions an article asks,
    which assert nothing: the sentence after one, its reply, is read with its words too
    ("Holt: Sara Lindqvist." after "Interviewer: Who will captain the team in the final?"). The
    question was quoted as the answer to itself (a review of interviews and explainers)."""
    seen: set[tuple[str, int]] = set()
    found = []
    for passage in passages:
        quotes = passage.source_quotes()
        spans = passage.sentence_spans()
        texts = [passage.text[start:end] for start, end, _, _ in spans]
        terms = [frozenset(content_terms(text)) for text in texts]
        questions = [asks(text) for text in texts]
        for i, (_, _, src_start, src_end) in enumerate(spans):
            key = (passage.doc_id, src_start)
            if key in seen or questions[i]:
                continue
            seen.add(key)
            around = frozenset().union(*terms[max(i - 1, 0) : i], *terms[i + 1 : i + 2])
            asked = terms[i - 1] if i > 0 and questions[i - 1] else frozenset()
            found.append(
                EvidenceSentence(
                    passage=passage,
                    text=texts[i],
                    source_start=src_start,
                    source_end=src_end,
                    quote=quotes[i] if quotes else texts[i],
                    terms=terms[i] | asked | article_terms(passage),
                    neighbors=around,
                    replies_to=asked,
                )
            )
    return found


# The words news counts its dead and hurt with: "How many people were killed?" is answered by
# "Fifteen people have now died", "the death toll" by "killing nine people" (a review of stories
# that change); casualties are either ("There were no casualties" answers how many died). By
# their stems (`content_terms`).
_CASUALTIES = "casualti"
_DEAD_AND_HURT = [frozenset(["kill", "die", "dead", "death", "fatal"]), frozenset(["injur", "injuri", "wound", "hurt"])]
_SAID_OTHERWISE = [
    *(family | {_CASUALTIES} for family in _DEAD_AND_HURT),
    frozenset(["home", "hous", "dwell"]),  # "How many homes were destroyed?" of "11,500 houses"
]
# People are named by who they are: "How many people were evacuated?" is answered by "800
# residents were evacuated", and a small folder that never writes "people" refused it, "No
# article uses the word people" (`written`). One way only: "How many residents?" is not answered
# by "people". Not for how well a sentence covers a question: asked "What did the health director
# say people needed most?", a sentence about children answered a near miss (development news).
PEOPLE = frozenset(content_terms(
    "residents passengers workers civilians children employees staff students victims soldiers migrants "
    "refugees fans visitors tourists patients inhabitants citizens voters households families evacuees "
    "protesters demonstrators villagers pilgrims travellers commuters crew adults women men"
))
# Those who lead are named by their office: "Who leads the pilots' union?" is answered by "Union
# chairman Per Holm said ...". One way only, as for people.
_LEADERS = frozenset(content_terms(
    "head chair chairman chairwoman chairperson chief president director boss commander captain"
))
_OTHER_WORDS = (
    {stem: family - {stem} for family in _SAID_OTHERWISE for stem in family}
    | {_CASUALTIES: frozenset().union(*_DEAD_AND_HURT)}
    | {stem: _LEADERS for stem in content_terms("lead leads leader leaders")}
)
_PEOPLE_WORDS = frozenset(content_terms("people persons"))


def term_found(term: str, terms: frozenset[str]) -> bool:
    """Exact stem, one stem extending the other ("iran"/"iranian", "17"/"17th"), a word news
    says the same count with ("killed"/"died", `_SAID_OTHERWISE`), or a leader by the office
    ("leads"/"chairman", `_LEADERS`)."""
    if term in terms or not terms.isdisjoint(_OTHER_WORDS.get(term, ())):
        return True
    shortest = 2 if term[:1].isdigit() else 4
    return len(term) >= shortest and any(
        len(other) >= shortest and (other.startswith(term) or term.startswith(other)) for other in terms
    )


def written(term: str, terms: frozenset[str]) -> bool:
    """Whether a question's stem is written in `terms` (`term_found`), "people" also as who they
    are (`PEOPLE`): what the refusal for words no article uses reads."""
    return term_found(term, terms) or (term in _PEOPLE_WORDS and not terms.isdisjoint(PEOPLE))


def covered_share(question_weights: dict[str, float], terms: frozenset[str]) -> float:
    total = sum(question_weights.values())
    if not total:
        return 0.0
    return sum(w for t, w in question_weights.items() if term_found(t, terms)) / total
