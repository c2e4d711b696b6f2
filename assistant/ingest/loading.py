"""Reading article files: bytes to text, and HTML to plain text with an offset map.

Every character of the plain text remembers the span of the source text it came
from, so a quote taken from the plain text can be cited by its exact offsets in
the source file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.entities import name2codepoint
from html.parser import HTMLParser
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_FILE_BYTES = 20 * 1024 * 1024


class UnreadableFileError(Exception):
    """A file that cannot become an article; the message says why."""


@dataclass(frozen=True)
class SourceText:
    """An article's source text and the plain text the pipeline reads.

    `plain` equals `source` for text files. For HTML, `spans[i]` is the
    (start, end) of the source text that produced `plain[i]`.
    """

    path: Path
    source: str
    plain: str
    spans: tuple[tuple[int, int], ...] | None = None
    html_title: str | None = None
    html_meta: tuple[tuple[str, str], ...] = ()

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `plain` to the source text."""
        if self.spans is None:
            return start, end
        return self.spans[start][0], self.spans[end - 1][1]


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


_SKIPPED_TAGS = frozenset(
    "script style noscript template svg nav header footer aside form button "
    "iframe select option figure figcaption".split()
)
_BLOCK_TAGS = frozenset(
    "p div section article main h1 h2 h3 h4 h5 h6 li ul ol table tr td th "
    "blockquote pre br hr dd dt dl title body html time address".split()
)
_VOID_TAGS = frozenset("br hr img input meta link area base col embed source track wbr".split())
_SPACE = re.compile(r"\s+")
_BLOCK_BREAK = "\x00"


class _TextExtractor(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.chars: list[str] = []
        self.spans: list[tuple[int, int]] = []
        self.skip_depth = 0
        self.title_parts: list[str] = []
        self.in_title = False
        self.meta: list[tuple[str, str]] = []
        self._source = source

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _break(self) -> None:
        if self.chars and self.chars[-1] != _BLOCK_BREAK:
            at = self.spans[-1][1]
            self.chars.append(_BLOCK_BREAK)
            self.spans.append((at, at))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = {k: v or "" for k, v in attrs}
            key = values.get("property") or values.get("name") or values.get("itemprop")
            if key and values.get("content"):
                self.meta.append((key.lower(), values["content"]))
        if tag == "title":
            self.in_title = True
        if tag in _SKIPPED_TAGS and tag not in _VOID_TAGS:
            self.skip_depth += 1
        if tag in _BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIPPED_TAGS and self.skip_depth:
            self.skip_depth -= 1
        if tag in _BLOCK_TAGS:
            self._break()

    def _append(self, text: str, start: int, end: int) -> None:
        if self.in_title:
            self.title_parts.append(text)
            return
        if self.skip_depth:
            return
        self.chars.append(text)
        self.spans.append((start, end))

    def handle_data(self, data: str) -> None:
        start = self._offset()
        for i, ch in enumerate(data):
            self._append(ch, start + i, start + i + 1)

    def _handle_reference(self, text: str, raw_length: int) -> None:
        start = self._offset()
        for ch in text:
            self._append(ch, start, start + raw_length)

    def handle_entityref(self, name: str) -> None:
        raw = f"&{name};"
        codepoint = name2codepoint.get(name)
        text = chr(codepoint) if codepoint else raw
        if not self._source.startswith(raw, self._offset()):
            raw = f"&{name}"
        self._handle_reference(text, len(raw))

    def handle_charref(self, name: str) -> None:
        try:
            number = int(name[1:], 16) if name[:1] in "xX" else int(name)
            text = chr(number)
        except (ValueError, OverflowError):
            text = "\ufffd"
        end = self._source.find(";", self._offset())
        length = end - self._offset() + 1 if end != -1 else len(name) + 2
        self._handle_reference(text, length)


def _from_html(path: Path, source: str) -> SourceText:
    parser = _TextExtractor(source)
    parser.feed(source)
    parser.close()
    plain_chars: list[str] = []
    spans: list[tuple[int, int]] = []
    # Collapse runs of whitespace; newlines (block breaks) survive as line breaks.
    pending_space: tuple[str, tuple[int, int]] | None = None
    for ch, span in zip(parser.chars, parser.spans):
        if ch == _BLOCK_BREAK or ch.isspace():
            if ch == _BLOCK_BREAK:
                pending_space = ("\n", span)
            elif pending_space is None:
                pending_space = (" ", span)
            continue
        if pending_space is not None and plain_chars:
            if pending_space[0] == "\n":
                # A blank line between blocks keeps paragraph structure.
                plain_chars.extend("\n\n")
                spans.extend([pending_space[1]] * 2)
            else:
                plain_chars.append(" ")
                spans.append(pending_space[1])
        pending_space = None
        plain_chars.append(ch)
        spans.append(span)
    title = _SPACE.sub(" ", "".join(parser.title_parts)).strip() or None
    plain = "".join(plain_chars)
    if not plain.strip():
        raise UnreadableFileError("the HTML holds no readable text")
    return SourceText(
        path=path,
        source=source,
        plain=plain,
        spans=tuple(spans),
        html_title=title,
        html_meta=tuple(parser.meta),
    )
