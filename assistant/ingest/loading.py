"""Reading article files: bytes to text, and HTML to plain text with an offset map.

Every character of the plain text remembers the span of the source text it came
from, so a quote taken from the plain text can be cited by its exact offsets in
the source file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.ingest.html_text import OffsetMap, PageFacts, html_to_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_FILE_BYTES = 20 * 1024 * 1024
SNAPSHOT_SIDECAR_SUFFIX = ".json"  # beside a fetched page: {"kind": SNAPSHOT_KIND, "url": ..., ...}
SNAPSHOT_KIND = "news-assistant snapshot"


class UnreadableFileError(Exception):
    """A file that cannot become an article; the message says why."""


@dataclass(frozen=True)
class SourceText:
    """An article's source text and the plain text the pipeline reads.

    `plain` equals `source` for text files. For HTML, `offsets` maps the
    plain text back to the source, `furniture` holds the plain spans of
    navigation, headers, footers and asides, and `facts` what the markup says
    (title, meta tags, JSON-LD). `url` is where a fetched snapshot came from.
    """

    path: Path
    source: str
    plain: str
    offsets: OffsetMap | None = None
    furniture: tuple[tuple[int, int], ...] = ()
    facts: PageFacts | None = None
    url: str | None = None

    @property
    def is_html(self) -> bool:
        return self.offsets is not None

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `plain` to the source text."""
        if self.offsets is None:
            return start, end
        return self.offsets.span(start, end)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1252, else latin-1, which never fails."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_text(path: Path) -> str:
    """The decoded text of a file: the text that citation offsets index into."""
    return decode(path.read_bytes())


def load(path: Path) -> SourceText:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFileError(
            f"unsupported file type {suffix or '(none)'}; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableFileError(
                f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"cannot read it: {exc.strerror or exc}") from exc
    if b"\x00" in data[:4096]:
        raise UnreadableFileError("it looks like a binary file, not text")
    text = decode(data)
    if not text.strip():
        raise UnreadableFileError("it is empty")
    if suffix in (".html", ".htm"):
        return _from_html(path, text)
    return SourceText(path=path, source=text, plain=text)


def _from_html(path: Path, source: str) -> SourceText:
    page = html_to_text(source)
    if not page.plain.strip():
        raise UnreadableFileError("the HTML holds no readable text")
    return SourceText(
        path=path,
        source=source,
        plain=page.plain,
        offsets=page.offsets,
        furniture=page.furniture,
        facts=page.facts,
        url=snapshot_url(path),
    )


def snapshot_url(path: Path) -> str | None:
    """The URL a fetched snapshot came from, as its sidecar file records it."""
    sidecar = path.with_suffix(SNAPSHOT_SIDECAR_SUFFIX)
    try:
        if not sidecar.is_file() or sidecar.stat().st_size > 1_000_000:
            return None
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("kind") != SNAPSHOT_KIND:
        return None
    url = record.get("url")
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None
