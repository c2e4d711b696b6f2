"""The assistant's own value types: what the public API takes and returns.

Nothing from LlamaIndex or Chroma appears here; adapters convert at the edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

AnswerMode = Literal["extractive", "llm", "llm-fallback"]


@dataclass(frozen=True)
class Citation:
    """One [n] marker and the exact passage of a source file it rests on.

    `quote == text_of(path)[char_start:char_end]`, where the file's text is its
    bytes decoded as UTF-8 (a byte that is not UTF-8 as cp1252, else latin-1; of an .html page
    that is not UTF-8, in the charset its <meta> names); of a page saved as one file (.mhtml),
    its HTML part decoded (`assistant.ingest.loading.read_text`).
    """

    marker: int
    doc_id: str
    title: str
    outlet: str | None
    published: str | None  # ISO date, only when the article states it
    path: str
    quote: str
    char_start: int
    char_end: int
    # The quote as read: the cited sentence's text, single-spaced; for a page, without its tags
    # and entities. What people and models are shown; `quote` is what the offsets prove.
    text: str
    url: str | None = None  # the article's canonical or fetched address; None for plain files

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Statement:
    """One sentence of an answer and the markers of the citations backing it."""

    text: str
    markers: tuple[int, ...]
    supported: bool = True


@dataclass(frozen=True)
class AssumedTime:
    """The day a question in relative time ("yesterday", "the latest") was taken to be asked,
    and what its words were read as."""

    as_of: str  # ISO day
    said: str  # the question's words: "last week"
    published_from: str | None = None  # the articles read: published from ... to ... (ISO)
    published_to: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    abstained: bool
    mode: AnswerMode
    citations: tuple[Citation, ...] = ()
    statements: tuple[Statement, ...] = ()
    notice: str | None = None  # e.g. "the LLM was unavailable; extractive answer shown"
    retrieved_doc_ids: tuple[str, ...] = ()  # ranked, for evals
    unsupported: tuple[str, ...] = ()  # answer sentences no cited passage supports
    searched_for: str | None = None  # a follow-up as the LLM rewrote it to stand alone
    # Calibrated probability (0-1) that the answer is right, from the learned reader over the
    # retrieved passages: of answers given with confidence about p, about p are right. Also set
    # when abstaining (then under the abstention setting, or a rule refused); None when unknown.
    # In LLM mode the reader's confidence that the passages answer it, not a score of the model's
    # wording (`unsupported` lists the model's sentences no passage supports).
    confidence: float | None = None
    passages: tuple[str, ...] = field(default=(), repr=False)  # texts the answer step read, for evals
    # Set when the answer depended on the day the question was asked (relative time); the
    # answer's text then ends with a note naming that day.
    assumed: AssumedTime | None = None
    # The answer itself when the offline answer leads with it ("Squid Game"): a span quoted from
    # the first citation's sentence; None when the answer has no short form or is not sure of it.
    short_answer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "short_answer": self.short_answer,
            "abstained": self.abstained,
            "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
            "notice": self.notice,
            "unsupported": list(self.unsupported),
            "searched_for": self.searched_for,
            "confidence": None if self.confidence is None else round(self.confidence, 3),
            "assumed_as_of": None if self.assumed is None else self.assumed.as_of,
            "time_frame": None if self.assumed is None else self.assumed.to_dict(),
        }


@dataclass(frozen=True)
class ArticleInfo:
    """An indexed article, as listed to users."""

    doc_id: str
    title: str
    outlet: str | None
    published: str | None
    path: str
    chunks: int


FileOutcome = Literal["added", "updated", "moved", "unchanged", "skipped", "removed"]


@dataclass(frozen=True)
class FileResult:
    path: str
    outcome: FileOutcome
    reason: str | None = None  # why a file was skipped, or updated though its text is the same
    doc_id: str | None = None


def is_web_address(text: str) -> bool:
    """Whether an input to ingest is an http(s) address rather than a path ("HTTP://" too: a
    scheme is read in any case)."""
    return text[:8].lower().startswith(("http://", "https://"))


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)

    def _paths(self, outcome: FileOutcome) -> list[str]:
        return [r.path for r in self.results if r.outcome == outcome]

    @property
    def added(self) -> list[str]:
        return self._paths("added")

    @property
    def updated(self) -> list[str]:
        return self._paths("updated")

    @property
    def moved(self) -> list[str]:
        return self._paths("moved")

    @property
    def unchanged(self) -> list[str]:
        return self._paths("unchanged")

    @property
    def removed(self) -> list[str]:
        return self._paths("removed")

    @property
    def skipped(self) -> list[FileResult]:
        return [r for r in self.results if r.outcome == "skipped"]

    def unread(self, given: Iterable[str | Path]) -> list[FileResult]:
        """What was named in `given` (paths, addresses, feeds) and could not be ingested at all:
        a missing path, an address or feed that failed, a file of no supported kind. (A file
        skipped as a copy of an indexed article is in the index.)"""
        named = set()
        for item in given:
            text = str(item)
            named.add(text)
            if not is_web_address(text):
                named |= {str(Path(text)), str(Path(text).resolve())}
        return [r for r in self.skipped if r.doc_id is None and r.path in named]

    @property
    def stored(self) -> int:
        """Articles the index holds from this ingest: added, updated, moved or unchanged."""
        return sum(r.outcome in ("added", "updated", "moved", "unchanged") for r in self.results)

    def summary(self) -> str:
        line = (
            f"added {len(self.added)}, updated {len(self.updated)}, "
            + (f"moved {len(self.moved)}, " if self.moved else "")
            + f"unchanged {len(self.unchanged)}, removed {len(self.removed)}, "
            f"skipped {len(self.skipped)}"
        )
        reasons = [f"  skipped {r.path}: {r.reason}" for r in self.skipped]
        reasons += [f"  removed {r.path}: {r.reason}" if r.reason else f"  removed {r.path}" for r in self.results if r.outcome == "removed"]
        anew = [r for r in self.results if r.outcome == "updated" and r.reason]
        if anew:  # an index of an earlier version: the same texts, read better now
            reasons.insert(0, f"  {len(anew)} of the updated were {anew[0].reason}")
        return "\n".join([line, *reasons])
