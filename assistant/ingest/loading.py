"""Reading article files: bytes to text, and HTML to plain text with an offset map.

Every character of the plain text remembers the span of the source text it came
from, so a quote taken from the plain text can be cited by its exact offsets in
the source file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.entities import html5, name2codepoint
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


# Byte order marks, longest first: UTF-32's little-endian mark begins with UTF-16's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# C0 control characters that no text uses (tab, line feed, form feed, carriage return and
# escape are left out); a text where more than MAX_CONTROL_SHARE of them appear is binary.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_CONTROL_CHARS = {b: None for b in _CONTROL_BYTES}
MAX_CONTROL_SHARE = 0.01


def decode(data: bytes) -> str:
    """By its byte order mark (UTF-8, UTF-16 or UTF-32), else UTF-8, else cp1252, else
    latin-1, which never fails. A file whose BOM promises more than its bytes hold falls
    through to the next guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                break
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def looks_binary(text: str) -> bool:
    """A NUL anywhere, or control characters in more than 1% of the text: not an article.
    Both scans run in C over the whole text (a NUL past the first kilobytes is found)."""
    if "\x00" in text:
        return True
    controls = len(text) - len(text.translate(_CONTROL_CHARS))
    return controls > MAX_CONTROL_SHARE * len(text)


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
                f"file is {size / 2**20:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"cannot read it: {exc.strerror or exc}") from exc
    text = decode(data)
    if looks_binary(text):
        raise UnreadableFileError("it looks like a binary file, not text")
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

    def _raw_reference(self, body: str) -> str:
        """The reference as the source spells it: "&body;" or, without its ";", "&body"
        (HTMLParser accepts both); its length is the span each of its characters maps to."""
        raw = f"&{body};"
        return raw if self._source.startswith(raw, self._offset()) else f"&{body}"

    def handle_entityref(self, name: str) -> None:
        raw = self._raw_reference(name)
        codepoint = name2codepoint.get(name)
        text = chr(codepoint) if codepoint else html5.get(f"{name};")
        if text is None:
            self.handle_data(raw)  # not a reference after all: its characters, each its own
        else:
            self._handle_reference(text, len(raw))

    def handle_charref(self, name: str) -> None:
        raw = self._raw_reference(f"#{name}")
        try:
            number = int(name[1:], 16) if name[:1] in "xX" else int(name)
            text = chr(number) if 0 < number < 0xD800 or 0xDFFF < number <= 0x10FFFF else "\ufffd"
        except (ValueError, OverflowError):
            text = "\ufffd"
        self._handle_reference(text, len(raw))


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
