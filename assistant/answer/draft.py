"""An offline answer before it is written out: the statements it would make, each led by one
sentence and joined by other articles' sentences that report the same; the short answer that
leads it; its confidence; and, where it abstains, why (synthesis.py drafts it, compose.py writes
it, near_misses.py says which refusals a draft can carry)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from assistant.answer.changes import Change
from assistant.answer.evidence import EvidenceSentence
from assistant.answer.sources import SourceQuestion
from assistant.answer.timeline import Placed

NOT_IN_ARTICLES = "The articles don't say."


@dataclass
class DraftStatement:
    lead: EvidenceSentence
    support: list[EvidenceSentence] = field(default_factory=list)
    unquoted: list[EvidenceSentence] = field(default_factory=list)  # same report, too sparse to support

    @property
    def sentences(self) -> list[EvidenceSentence]:
        return [self.lead, *self.support]

    @property
    def members(self) -> list[EvidenceSentence]:
        """Every sentence that reports the statement, cited or too sparse to be."""
        return [*self.sentences, *self.unquoted]


@dataclass(frozen=True)
class ShortAnswer:
    """The span that answers, the sentence it was found in, and the sentences of other articles
    that state the same answer (`_also_stating`); each of them cites it."""

    text: str
    sentence: EvidenceSentence
    also: tuple[EvidenceSentence, ...] = ()
    day: date | None = None  # a weekday's date, read from its article's day ("Monday": 2025-03-03)

    @property
    def sentences(self) -> tuple[EvidenceSentence, ...]:
        return (self.sentence, *self.also)


@dataclass(frozen=True)
class Draft:
    statements: list[DraftStatement]
    abstained: bool
    confidence: float  # calibrated probability that the answer is right (also when abstaining)
    ranked: list[EvidenceSentence] = field(default_factory=list)  # every sentence, best first
    short: ShortAnswer | None = None
    unmentioned: tuple[str, ...] = ()  # names asked of that no article it would cite mentions
    unstated: tuple[str, ...] = ()  # a yes-or-no question's names that what it would state never mentions (near_misses.stated_words)
    unsaid: tuple[str, ...] = ()  # whom a "What did X say?" question asks to hear that no statement gives as speaker
    unsaid_of: bool = False  # ... who is quoted, but not on what the question asks about
    ahead: bool = False  # what came of an event was asked, and what it would state tells of it as still to come
    lacking: str = ""  # the kind of answer asked for that nothing it would say holds ("age")
    unused: tuple[str, ...] = ()  # the question's words no article uses, when most of it is in them
    spellings: tuple[str, ...] = ()  # words of the passages spelt nearest to those (as_typed.nearest_spellings)
    unreferred: str = ""  # the pronoun of a first question that names no one it could stand for (conversation.unreferred)
    source: SourceQuestion | None = None  # a question about the articles themselves: their outlets, dates or bylines
    silent: tuple[str, ...] = ()  # outlets a question compares of which nothing read is stated
    placed: Placed | None = None  # two events a question asks to order, on the days their first two statements give
    changed: Change | None = None  # how much something rose or fell, from the two ends its first statement gives
    withheld: EvidenceSentence | None = None  # the sentence that says what was asked was not made known ("an unnamed German club")
