"""HTML to plain text with a compact offset map, and the page facts found on the way.

Every character of the plain text remembers the span of the source text it came
from, so a quote taken from the plain text can be cited by its exact offsets in
the source file. The map is stored as runs, not per character: a run of text
copied from the source costs one entry, so memory stays a small multiple of the
page size.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from html.entities import name2codepoint
from html.parser import HTMLParser

# Never visible as text.
_HIDDEN_TAGS = frozenset("script style noscript template svg iframe select textarea".split())
# Visible, but page furniture rather than story; the fallback rules leave it out.
_FURNITURE_TAGS = frozenset("nav header footer aside form button figure figcaption".split())
_BLOCK_TAGS = frozenset(
    "p div section article main h1 h2 h3 h4 h5 h6 li ul ol table tr td th caption "
    "blockquote pre br hr dd dt dl title body html time address nav header footer aside "
    "form button figure figcaption center details summary".split()
)
_SPACE = re.compile(r"\s+")
_ODD_SPACE = re.compile(r"\s{2,}|[^\S ]")  # whitespace that is not one plain space
_LD_JSON = "application/ld+json"
_MAX_LD_JSON_CHARS = 1_000_000


@dataclass(frozen=True)
class OffsetMap:
    """Where each character of a plain text came from in its source.

    Run `i` covers plain[plain_starts[i]:plain_starts[i + 1]]. A copied run maps
    character for character from `source_starts[i]`; any other run (an entity,
    collapsed whitespace) maps each of its characters to the whole
    source[source_starts[i]:source_ends[i]].
    """

    plain_starts: array
    source_starts: array
    source_ends: array
    copied: array

    def char_span(self, index: int) -> tuple[int, int]:
        run = bisect_right(self.plain_starts, index) - 1
        start = self.source_starts[run]
        if self.copied[run]:
            at = start + index - self.plain_starts[run]
            return at, at + 1
        return start, self.source_ends[run]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of plain[start:end] (end > start)."""
        return self.char_span(start)[0], self.char_span(end - 1)[1]


@dataclass
class PageFacts:
    """What the markup says about the page, beside its text."""

    title: str | None = None
    meta: list[tuple[str, str]] = field(default_factory=list)  # (name or property, content), lower-case keys
    json_ld: list[str] = field(default_factory=list)  # raw JSON-LD blocks
    canonical: str | None = None
    language: str | None = None
    times: list[str] = field(default_factory=list)  # <time datetime> values, in order


@dataclass(frozen=True)
class HtmlText:
    plain: str
    offsets: OffsetMap
    furniture: tuple[tuple[int, int], ...]  # plain spans inside nav, header, footer, aside, ...
    facts: PageFacts


class _Collector(HTMLParser):
    """Collects text pieces as (text, source start, source end, copied, in furniture)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self._source = source
        self._line_starts = array("q", [0])
        self._line_starts.extend(m.end() for m in re.finditer("\n", source))
        self.pieces: list[tuple[str, int, int, bool, bool]] = []
        self.facts = PageFacts()
        self._hidden: list[str] = []  # open hidden elements
        self._furniture = 0
        self._in_title = False
        self._title_parts: list[str] = []
        self._in_ld_json = False
        self._ld_parts: list[str] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _break(self) -> None:
        at = self._offset()
        self.pieces.append(("\n", at, at, False, self._furniture > 0))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = values.get("property") or values.get("name") or values.get("itemprop")
            if not key and values.get("http-equiv", "").lower() == "content-language":
                key = "content-language"
            if key and values.get("content"):
                self.facts.meta.append((key.lower(), values["content"]))
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.facts.canonical = self.facts.canonical or values.get("href") or None
        elif tag == "html" and values.get("lang"):
            self.facts.language = self.facts.language or values["lang"]
        elif tag == "time" and values.get("datetime"):
            self.facts.times.append(values["datetime"])
        elif tag == "script" and values.get("type", "").strip().lower() == _LD_JSON:
            self._in_ld_json = True
        if tag == "title" and not self._hidden:
            self._in_title = True
        if tag in _HIDDEN_TAGS:
            self._hidden.append(tag)
        if tag in _FURNITURE_TAGS:
            self._furniture += 1
        if tag in _BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            if self.facts.title is None:
                self.facts.title = _SPACE.sub(" ", "".join(self._title_parts)).strip() or None
        if tag == "script" and self._in_ld_json:
            self._in_ld_json = False
            block = "".join(self._ld_parts)
            self._ld_parts = []
            if len(block) <= _MAX_LD_JSON_CHARS:
                self.facts.json_ld.append(block)
        if tag in _HIDDEN_TAGS and tag in self._hidden:
            while self._hidden.pop() != tag:
                pass
        if tag in _FURNITURE_TAGS and self._furniture:
            self._furniture -= 1
        if tag in _BLOCK_TAGS:
            self._break()

    def _add(self, text: str, start: int, end: int, copied: bool) -> None:
        if self._in_title:
            if len(self._title_parts) < 1000:
                self._title_parts.append(text)
            return
        if self._in_ld_json:
            self._ld_parts.append(text)
            return
        if self._hidden:
            return
        self.pieces.append((text, start, end, copied, self._furniture > 0))

    def handle_data(self, data: str) -> None:
        start = self._offset()
        self._add(data, start, start + len(data), True)

    def handle_entityref(self, name: str) -> None:
        start = self._offset()
        raw = f"&{name};"
        if not self._source.startswith(raw, start):
            raw = f"&{name}"  # an entity without its ';'
        codepoint = name2codepoint.get(name)
        text = chr(codepoint) if codepoint else raw  # an unknown name stays as written
        self._add(text, start, start + len(raw), text == raw)

    def handle_charref(self, name: str) -> None:
        start = self._offset()
        try:
            number = int(name[1:], 16) if name[:1] in "xX" else int(name)
            text = chr(number)
        except (ValueError, OverflowError):
            text = "\ufffd"
        raw = f"&#{name};"
        length = len(raw) if self._source.startswith(raw, start) else len(raw) - 1
        self._add(text, start, start + length, False)


class _Builder:
    """Plain text and its run map, with whitespace collapsed as it is appended."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.plain_starts = array("q")
        self.source_starts = array("q")
        self.source_ends = array("q")
        self.copied = array("b")
        self.furniture: list[tuple[int, int]] = []
        self._pending: tuple[str, int, int] | None = None  # " " or "\n", and its source span
        self._furniture_start: int | None = None

    def _emit(self, text: str, start: int, end: int, copied: bool) -> None:
        if (
            copied
            and self.copied
            and self.copied[-1]
            and self.source_starts[-1] + (self.length - self.plain_starts[-1]) == start
        ):
            self.source_ends[-1] = end  # extends the previous copied run
        else:
            self.plain_starts.append(self.length)
            self.source_starts.append(start)
            self.source_ends.append(end)
            self.copied.append(1 if copied else 0)
        self.parts.append(text)
        self.length += len(text)

    def _flush_space(self) -> None:
        if self._pending is None or not self.length:
            self._pending = None
            return
        kind, start, end = self._pending
        self._pending = None
        if kind == "\n":
            # A blank line between blocks keeps paragraph structure.
            self._emit("\n\n", start, start, False)
        else:
            self._emit(" ", start, end, end - start == 1)

    def _space(self, kind: str, start: int, end: int) -> None:
        if kind == "\n" or self._pending is None:
            self._pending = (kind, start, end)
        elif self._pending[0] == " ":
            self._pending = (" ", self._pending[1], end)

    def _furniture_mark(self, inside: bool) -> None:
        if inside and self._furniture_start is None:
            self._furniture_start = self.length
        elif not inside and self._furniture_start is not None:
            self.furniture.append((self._furniture_start, self.length))
            self._furniture_start = None

    def add(self, text: str, start: int, end: int, copied: bool, furniture: bool) -> None:
        if text == "\n" and start == end:
            self._space("\n", start, end)
            return
        if not copied:
            if text.isspace():
                self._space(" ", start, end)
                return
            self._flush_space()
            self._furniture_mark(furniture)
            self._emit(text, start, end, False)
            return
        at = 0
        for m in _ODD_SPACE.finditer(text):
            self._copied(text, at, m.start(), start, furniture)
            self._space(" ", start + m.start(), start + m.end())
            at = m.end()
        self._copied(text, at, len(text), start, furniture)

    def _copied(self, text: str, a: int, b: int, base: int, furniture: bool) -> None:
        """text[a:b], which holds no whitespace but single spaces, copied as one run."""
        if a < b and text[a] == " ":
            self._space(" ", base + a, base + a + 1)
            a += 1
        if a >= b:
            return
        trailing = text[b - 1] == " "
        if trailing:
            b -= 1
        if a < b:
            self._flush_space()
            self._furniture_mark(furniture)
            self._emit(text[a:b], base + a, base + b, True)
        if trailing:
            self._space(" ", base + b, base + b + 1)

    def finish(self) -> tuple[str, OffsetMap, tuple[tuple[int, int], ...]]:
        self._furniture_mark(False)
        offsets = OffsetMap(self.plain_starts, self.source_starts, self.source_ends, self.copied)
        return "".join(self.parts), offsets, tuple(self.furniture)


def html_to_text(source: str) -> HtmlText:
    """The visible text of an HTML page, runs of whitespace collapsed, blocks on their own lines."""
    collector = _Collector(source)
    collector.feed(source)
    collector.close()
    builder = _Builder()
    for piece in collector.pieces:
        builder.add(*piece)
    collector.pieces.clear()
    plain, offsets, furniture = builder.finish()
    return HtmlText(plain=plain, offsets=offsets, furniture=furniture, facts=collector.facts)
