"""Numbering the passages an answer rests on, describing them as citations, and checking that
the cited files still hold them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from assistant.answer.evidence import EvidenceSentence
from assistant.ingest.loading import read_text
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


def changed_sources(citations: Sequence[Citation]) -> list[str]:
    """The cited files whose text no longer holds their quotes at their offsets: edited, replaced
    or gone since they were ingested. The index quotes them as they were."""
    changed: list[str] = []
    texts: dict[str, str | None] = {}
    for citation in citations:
        if citation.path not in texts:
            try:
                texts[citation.path] = read_text(citation.path)
            except Exception:  # gone, unreadable, no longer text: its quotes cannot be shown to hold
                texts[citation.path] = None
        text = texts[citation.path]
        if (text is None or text[citation.char_start : citation.char_end] != citation.quote) and (
            citation.path not in changed
        ):
            changed.append(citation.path)
    return changed


def changed_notice(changed: Sequence[str], shared: bool = False) -> str:
    """What an answer says of cited files that changed or were removed since they were ingested:
    for a reader of the page as much as of a terminal (no command in it). On an index `shared`
    with other machines (a Chroma server) a file this machine lacks may be on the one that
    ingested it: it is said to be elsewhere, not removed (every article another machine added
    was "removed" here, and adding it again here moved it away from that machine)."""
    gone = [path for path in changed if not Path(path).exists()]
    edited = [path for path in changed if path not in gone]
    if shared and not edited:
        return (
            f"Cited {'file' if len(gone) == 1 else 'files'}: {_names(gone)} {'is' if len(gone) == 1 else 'are'} not on "
            "this machine (indexed from another, or removed since); the quotes are from the indexed version."
        )
    parts = []
    for paths, what in ((edited, "changed"), (gone, "been removed")):
        if paths:
            parts.append(f"{_names(paths)} {'has' if len(paths) == 1 else 'have'} {what}")
    return (
        f"Cited {'file' if len(changed) == 1 else 'files'}: {' and '.join(parts)} since {'it was' if len(changed) == 1 else 'they were'} "
        "indexed; the quotes are from the indexed version. Add the file again to answer from what it holds now."
    )


def _names(paths: Sequence[str]) -> str:
    return ", ".join(Path(path).name for path in paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
