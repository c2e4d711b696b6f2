"""Questions about the articles themselves, not about what they report: which outlets reported
something, when an article was published, who wrote it.

"When was the Xinhua article published?" has its answer in the article's date, not in a
sentence of it. Read as any other question, its words ("article", "published") were looked for
in the sentences, and a sentence about the talks was stated at confidence 1.00. The answer is
the articles' own record (outlet, date, byline), each cited by the sentence of its article that
reports what the question names (or by its first), so the citation opens the article it rests
on with its outlet and date.

A question only counts as one of these where its words leave no doubt: "Which agency said the
flights were cancelled?" asks for a government body, "When was the inspection report
published?" for a date the articles report; such questions are read as any other. An outlet's
own "report" counts ("When was Xinhua's report published?"), since the outlet is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

SourceKind = Literal["outlet", "published", "author"]

# What an article is called by those who ask about it; a "report" only where an outlet is named.
_PIECE = r"(?:news\s+)?(?:articles?|stor(?:y|ies)|pieces?|dispatch(?:es)?|columns?|editorials?|op-eds?|blog\s+posts?|write-ups?)"
_REPORT = r"(?:reports?|coverage|interviews?|posts?)"
_OUTLETS = (
    r"(?:news\s+)?(?:outlets?|(?:news)?papers?|news\s+agenc(?:y|ies)|publications?|websites?|news\s+sites?|media"
    r"|broadcasters?|wire\s+services?|news\s+organi[sz]ations?)"
)
_REPORTED = r"(?:reported|reports?|covered|covers?|published|publish(?:es)?|wrote|writes?|carried|carr(?:y|ies)|ran|runs?|says?|said)"
# "Which outlet first reported ...?", "... was the first to report ...", "... broke the news that
# ...", "... reported the closure first": the outlets in the order they published.
_WHICH_OUTLET = re.compile(
    rf"^(?:which|what)\s+{_OUTLETS}\s+(?:(?P<first>first\s+|was\s+the\s+first\s+to\s+)?(?:also\s+)?{_REPORTED}"
    r"|(?P<broke>broke(?:\s+the\s+(?:news|story))?))\b(?:\s+(?:that|on|about|of))?\s*(?P<rest>.*?)(?P<last>\s+first)?$",
    re.IGNORECASE,
)
_IN_WHICH_OUTLET = re.compile(
    rf"^(?:in|by)\s+(?:which|what)\s+{_OUTLETS}\s+(?:was|were|is|are|has|have\s+been)\s+(?P<rest>.+?)\s+"
    r"(?:reported|published|covered|written)\s*$",
    re.IGNORECASE,
)
_WHEN_PUBLISHED = re.compile(
    r"^(?:when|(?:on\s+)?what\s+(?:date|day))\s+(?:was|were|did)\s+(?P<what>.+?)\s+"
    r"(?:(?:first\s+)?(?:published|posted|released|written|put\s+out|come\s+out|came\s+out|appear(?:ed)?|publish|post|run|go\s+online|went\s+online))\s*$",
    re.IGNORECASE,
)
_DATE_OF = re.compile(r"^what\s+(?:is|was)\s+the\s+(?:publication\s+)?date\s+of\s+(?P<what>.+)$", re.IGNORECASE)
_WHEN_DID_OUTLET = re.compile(
    r"^(?:when|(?:on\s+)?what\s+(?:date|day))\s+did\s+(?P<outlet>.+?)\s+(?:first\s+)?(?:publish|report|run|post|carry|write)\b"
    r"(?:\s+(?:that|on|about))?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_WHO_WROTE = re.compile(
    r"^(?:who|which\s+(?:reporters?|journalists?|writers?|correspondents?))\s+(?:wrote|authored|penned"
    r"|(?:is|was|are|were)\s+the\s+(?:authors?|writers?|reporters?|journalists?)\s+(?:of|on|behind))\s+(?P<what>.+)$"
    r"|^whose\s+(?:name|byline)\s+(?:is|was|are|were)\s+(?:on|under)\s+(?P<under>.+)$",
    re.IGNORECASE,
)
_NAMES_A_PIECE = re.compile(rf"\b{_PIECE}\b", re.IGNORECASE)
_NAMES_A_REPORT = re.compile(rf"\b{_REPORT}\b", re.IGNORECASE)
# "the Xinhua article about the call" → "the call": what the article is about, if said.
_ABOUT_IT = re.compile(r"\b(?:about|on|of|covering|reporting|that\s+reported|that\s+says?|saying)\s+(?P<rest>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class SourceQuestion:
    """What a question asks of the articles (`kind`) and what the articles it asks of report
    (`about`: "" where it names none beside an outlet, "the call" of "the article about the call")."""

    kind: SourceKind
    about: str
    first: bool = False  # "Which outlet first reported it?": the outlets in the order they published


def asked_of_sources(question: str, outlet_named: bool = False) -> SourceQuestion | None:
    """The question about the articles themselves that `question` asks, or None. `outlet_named`:
    the question names an outlet of the index, so its "report" is the outlet's article."""
    text = re.sub(r"\s+", " ", question.strip().rstrip("?!. ")).strip()
    if m := _WHICH_OUTLET.match(text):
        return SourceQuestion("outlet", m["rest"].strip(), first=bool(m["first"] or m["broke"] or m["last"]))
    if m := _IN_WHICH_OUTLET.match(text):
        return SourceQuestion("outlet", m["rest"].strip())
    for pattern in (_WHEN_PUBLISHED, _DATE_OF):
        if (m := pattern.match(text)) and _a_piece(m["what"], outlet_named):
            return SourceQuestion("published", _about(m["what"]))
    if outlet_named and (m := _WHEN_DID_OUTLET.match(text)):  # "When did Xinhua publish its story on the talks?"
        rest = m["rest"].strip()
        return SourceQuestion("published", _about(rest) if _a_piece(rest, outlet_named) else rest)
    if (m := _WHO_WROTE.match(text)) and _a_piece(what := m["what"] or m["under"], outlet_named):
        return SourceQuestion("author", _about(what))
    return None


def _a_piece(words: str, outlet_named: bool) -> bool:
    """Whether `words` name an article: "the Xinhua article", "the story about the strike"; an
    outlet's "report" where an outlet is named."""
    head = _ABOUT_IT.split(words, maxsplit=1)[0]
    return bool(_NAMES_A_PIECE.search(head) or (outlet_named and _NAMES_A_REPORT.search(head)))


def _about(words: str) -> str:
    """What an article named by `words` is about: "the strike" of "the story about the strike"."""
    m = _ABOUT_IT.search(words)
    return m["rest"].strip() if m else ""
