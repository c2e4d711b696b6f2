"""Numbering the passages an answer rests on, and describing them as citations."""

from __future__ import annotations

from assistant.answer.synthesis import EvidenceSentence
from assistant.types import Citation


class CitationBook:
    """Hands out [n] markers, one per distinct quoted span, in order of first use."""

    def __init__(self) -> None:
        self._by_span: dict[tuple[str, int, int], Citation] = {}

    def cite(self, sentence: EvidenceSentence) -> int:
        key = (sentence.doc_id, sentence.source_start, sentence.source_end)
        if key not in self._by_span:
            meta = sentence.passage.metadata
            self._by_span[key] = Citation(
                marker=len(self._by_span) + 1,
                doc_id=sentence.doc_id,
                title=str(meta["title"]),
                outlet=meta.get("outlet"),
                published=meta.get("published"),
                path=str(meta["path"]),
                quote=sentence.quote,
                char_start=sentence.source_start,
                char_end=sentence.source_end,
                text=sentence.text,
                url=meta.get("url"),
            )
        return self._by_span[key].marker

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(self._by_span.values())
