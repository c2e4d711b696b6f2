"""HTML to plain text with a compact offset map, and the page facts found on the way.

Every character of the plain text remembers the span of the source text it came
from, so a quote taken from the plain text can be cited by its exact offsets in
the source file. The map is stored as runs, not per character: a run of text
copied from the source costs one entry, so memory stays a small multiple of the
page size.
"""

from __future__ import annotations

import html
import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from html.entities import html5, name2codepoint

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


# The tokens of HTML as Python 3.11's html.parser reads them, walked by a scanner of our own: it
# gives the same text and offsets on every well-formed page in half the time (html.parser spends
# it counting lines and parsing every tag's attributes), the same whatever the Python, and it
# reads on where html.parser stopped (an odd "<![" raised AssertionError and lost the page; an
# "&#" with no ";" after it turned the rest of the page into text, tags and all). The patterns
# are html.parser's (CPython, Lib/html/parser.py and _markupbase.py; PSF licence).
_INTERESTING = re.compile(r"[<&]")
# One attribute of a start tag and the space after it; a start tag is its name, then these.
_ATTRIBUTE_STEP = r"""
    (?<=['"\s/])[^\s/>][^\s/=>]*  # attribute name
      (?:\s*=+\s*                    # value indicator
        (?:'[^']*'                   # LITA-enclosed value
          |"[^"]*"                   # LIT-enclosed value
          |(?!['"])[^>\s]*           # bare value
         )
        \s*                          # possibly followed by a space
       )?(?:\s|/(?!>))*
"""
_START_TAG_END = re.compile(
    rf"""
  <[a-zA-Z][^\t\n\r\f />\x00]*       # tag name
  (?:[\s/]*                          # optional whitespace before attribute name
    (?:{_ATTRIBUTE_STEP})*
   )?
  \s*                                # trailing whitespace
""",
    re.VERBOSE,
)
# _START_TAG_END in pieces, for a start tag read again from inside one already read (see
# _Collector._start_tag_end): where the tag name stops, the space after it, one attribute.
_TAG_NAME_STOP = re.compile(r"[\t\n\r\f />\x00]")
_SPACES_OR_SLASHES = re.compile(r"[\s/]*")
_ONE_ATTRIBUTE = re.compile(_ATTRIBUTE_STEP, re.VERBOSE)
_TRAILING_SPACE = re.compile(r"\s*")
_TAG_NAME = re.compile(r"([a-zA-Z][^\t\n\r\f />\x00]*)(?:\s|/(?!>))*")
_ATTRIBUTE = re.compile(
    r"((?<=['\"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|\"[^\"]*\"|(?![\'\"])[^>\s]*))?(?:\s|/(?!>))*"
)
_END_TAG = re.compile(r"</\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>")
_COMMENT_END = re.compile(r"--\s*>")
_CHARREF = re.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]")
_ENTITYREF = re.compile(r"&([a-zA-Z][-.a-zA-Z0-9]*)[^a-zA-Z0-9]")
_DECLARATION_NAME = re.compile(r"[a-zA-Z][-_.a-zA-Z0-9]*\s*")
_MARKED_SECTIONS = frozenset("temp cdata ignore include rcdata".split())  # <![CDATA[ ... ]]>
_SECTION_END = re.compile(r"]\s*]\s*>")
_MS_SECTION_END = re.compile(r"]\s*>")  # <![if !IE]> ... <![endif]>
_RAW_TEXT_TAGS = ("script", "style")
_RAW_TEXT_END = {tag: re.compile(rf"</\s*{tag}\s*>", re.I) for tag in _RAW_TEXT_TAGS}
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# The tags whose attributes or whose <tag/> form the collector reads; any other tag's
# attributes are skipped unread.
_READ_ATTRIBUTES = frozenset("meta link html time script style title".split()) | _HIDDEN_TAGS | _FURNITURE_TAGS


def _match_end(pattern: re.Pattern[str], source: str, at: int) -> int:
    """Where a pattern that matches anywhere (an empty match too) ends when matched at `at`."""
    match = pattern.match(source, at)
    assert match is not None
    return match.end()


def _attributes(source: str, k: int, end: int) -> tuple[list[tuple[str, str | None]], int]:
    attrs: list[tuple[str, str | None]] = []
    while k < end:
        match = _ATTRIBUTE.match(source, k)
        if not match:
            break
        name, rest, value = match.group(1, 2, 3)
        if not rest:
            value = None
        elif value[:1] == "'" == value[-1:] or value[:1] == '"' == value[-1:]:
            value = value[1:-1]
        if value:
            value = html.unescape(value)
        attrs.append((name.lower(), value))
        k = match.end()
    return attrs, k


class _Collector:
    """Walks the tokens of a page and collects its text pieces as (text, source start, source
    end, copied, in furniture), with the page facts found on the way."""

    def __init__(self, source: str) -> None:
        self._source = source
        self.pieces: list[tuple[str, int, int, bool, bool]] = []
        self.facts = PageFacts()
        self._hidden: list[str] = []  # open hidden elements
        self._hidden_count = dict.fromkeys(_HIDDEN_TAGS, 0)  # how many of each are in _hidden
        # Markup left open ("<a" with no ">" after it, "<!--" with no "-->") is read as text up
        # to the next "<", and every "<" after it opens markup that looks for its end again:
        # html.parser searched the rest of the page from each one, quadratic on a page of
        # unclosed markup. A search that found nothing from a position is remembered here (the
        # first position it found nothing from), and not made again from any later position.
        n = len(source) + 1
        self._no_gt_from = n  # no ">" at or after this
        self._no_comment_end_from = n  # no "-->"
        self._no_section_end_from = n  # no "]]>"
        self._no_ms_section_end_from = n  # no "]>"
        # A start tag cut off where its text runs on (a quoted value, attributes with no ">" after
        # them) is read as text up to the next "<", inside the text _START_TAG_END just matched:
        # the start tags in there are read by the pieces of _START_TAG_END, and where each piece
        # leads is remembered (see _start_tag_end).
        self._reread_until = 0
        self._name_from = self._name_stop = -1  # no tag name stops in source[from:stop]
        self._tag_ends: dict[int, int] = {}  # where the tag name stops -> where the start tag ends
        self._attributes_end: dict[int, int] = {}  # where an attribute starts -> where the start tag ends
        self._furniture = 0
        self._in_title = False
        self._title_parts: list[str] = []
        self._in_ld_json = False
        self._ld_parts: list[str] = []

    def scan(self) -> None:
        source = self._source
        n = len(source)
        i = 0
        while i < n:
            match = _INTERESTING.search(source, i)
            j = match.start() if match else n
            if i < j:
                self.handle_data(source[i:j], i)
            i = j
            if i == n:
                break
            if source[i] == "<":
                i = self._markup(i)
            elif source.startswith("&#", i):
                match = _CHARREF.match(source, i)
                if match:
                    end = match.end() if source[match.end() - 1] == ";" else match.end() - 1
                    self.handle_charref(match.group()[2:-1], i, end)
                    i = end
                else:
                    self.handle_data("&#", i)
                    i += 2
            else:
                match = _ENTITYREF.match(source, i)
                if match:
                    self.handle_entityref(match.group(1), i)
                    k = match.end()
                    i = k if source[k - 1] == ";" else k - 1
                elif i + 1 < n:
                    self.handle_data("&", i)
                    i += 1
                else:
                    self.handle_data(source[i:], i)
                    i = n

    def _find_gt(self, start: int) -> int:
        """source.find(">", start), not searched again where it found nothing before."""
        if start >= self._no_gt_from:
            return -1
        at = self._source.find(">", start)
        if at < 0:
            self._no_gt_from = start
        return at

    def _start_tag_end(self, i: int) -> int:
        """Where the start tag at i ends, or -1 when it is cut off (html.parser's rules)."""
        source = self._source
        if i >= self._reread_until:
            match = _START_TAG_END.match(source, i)
            assert match is not None  # source[i] is "<" and a letter follows
            j = match.end()
        else:
            j = self._reread_start_tag(i)
        after = source[j : j + 1]
        if after == ">":
            return j + 1
        if after == "/" and source.startswith("/>", j):
            return j + 2
        if after == "" or after in _LETTERS or after in "=/":
            # Cut off: the text up to the next ">" or "<" is read as text, and the start tags in
            # source[i:j] after it are read again.
            self._reread_until = max(self._reread_until, j)
            return -1
        return j if j > i else i + 1

    def _reread_start_tag(self, i: int) -> int:
        """_START_TAG_END.match(source, i).end(), for a start tag inside one matched before.

        The match is the tag name, then attribute after attribute, each matched whatever came
        before it (the pattern cannot fail after the name and never goes back on a repeat): two
        tags whose names stop at the same place end at the same place, and two whose attributes
        meet at one end where it ends. So each tag name's stop is searched for once on a run of
        tags that share it, and each attribute is matched once; a tag that meets a known one
        ends where it does.
        """
        source = self._source
        at = i + 2
        if not self._name_from <= at <= self._name_stop:
            stop = _TAG_NAME_STOP.search(source, at)
            self._name_from, self._name_stop = at, stop.start() if stop else len(source)
        name_stop = self._name_stop
        end = self._tag_ends.get(name_stop)
        if end is None:
            k = _match_end(_SPACES_OR_SLASHES, source, name_stop)
            chain = []
            while (end := self._attributes_end.get(k)) is None:
                attribute = _ONE_ATTRIBUTE.match(source, k)
                if attribute is None:
                    end = _match_end(_TRAILING_SPACE, source, k)
                    break
                chain.append(k)
                k = attribute.end()
            for k in chain:
                self._attributes_end[k] = end
            self._tag_ends[name_stop] = end
        return end

    def _markup(self, i: int) -> int:
        """Reads the markup at source[i] == "<"; returns where the text after it starts."""
        source = self._source
        after = source[i + 1 : i + 2]
        if after in _LETTERS:
            end = self._start_tag_end(i)
            if end >= 0:
                return self._start_tag(i, end)
        elif after == "/":
            end = self._end_tag(i)
            if end >= 0:
                return end
        elif source.startswith("<!--", i):
            if i + 4 < self._no_comment_end_from:
                close = _COMMENT_END.search(source, i + 4)
                if close:
                    return close.end()
                self._no_comment_end_from = i + 4
        elif after == "?":
            close_at = self._find_gt(i + 2)
            if close_at >= 0:
                return close_at + 1
        elif after == "!":
            end = self._declaration(i)
            if end >= 0:
                return end
        else:
            self.handle_data("<", i)
            return i + 1
        # Cut off or malformed: html.parser's text up to the next ">" (or "<").
        k = self._find_gt(i + 1)
        if k < 0:
            k = source.find("<", i + 1)
            k = k if k >= 0 else i + 1
        else:
            k += 1
        self.handle_data(source[i:k], i)
        return k

    def _start_tag(self, i: int, end: int) -> int:
        source = self._source
        name = _TAG_NAME.match(source, i + 1)
        assert name is not None
        tag = name.group(1).lower()
        if tag in _READ_ATTRIBUTES:
            attrs, k = _attributes(source, name.end(), end)
            closing = source[k:end].strip()
        else:
            attrs = []
            closing = "/>" if source.startswith("/>", end - 2) else ">" if source[end - 1] == ">" else ""
        if closing not in (">", "/>"):
            self.handle_data(source[i:end], i)
            return end
        self.handle_starttag(tag, attrs, i)
        if closing.endswith("/>"):
            self.handle_endtag(tag, i)
            return end
        if tag in _RAW_TEXT_TAGS:
            close = _RAW_TEXT_END[tag].search(source, end)
            if close is None:  # never closed: the rest of the page is its text, never shown
                return len(source)
            if close.start() > end:
                self.handle_data(source[end : close.start()], end)
            self.handle_endtag(tag, close.start())
            return close.end()
        return end

    def _end_tag(self, i: int) -> int:
        source = self._source
        gt = self._find_gt(i + 1)
        if gt < 0:
            return -1
        match = _END_TAG.match(source, i)
        if match:
            self.handle_endtag(match.group(1).lower(), i)
            return match.end()
        name = _TAG_NAME.match(source, i + 2)
        if not name:
            return i + 3 if source.startswith("</>", i) else gt + 1  # "</>" or a bogus comment
        self.handle_endtag(name.group(1).lower(), i)
        return source.find(">", name.end()) + 1

    def _declaration(self, i: int) -> int:
        """<!DOCTYPE ...>, <![CDATA[...]]>, <![if ...]>, or a bogus comment <!...>."""
        source = self._source
        if source.startswith("<![", i):
            name = _DECLARATION_NAME.match(source, i + 3)
            if name is not None:
                keyword = name.group().strip().lower()
                if keyword in _MARKED_SECTIONS:
                    close = _SECTION_END.search(source, i + 3) if i + 3 < self._no_section_end_from else None
                    if close is None:
                        self._no_section_end_from = min(self._no_section_end_from, i + 3)
                        return -1
                    return close.end()
                if keyword in ("if", "else", "endif"):
                    close = _MS_SECTION_END.search(source, i + 3) if i + 3 < self._no_ms_section_end_from else None
                    if close is None:
                        self._no_ms_section_end_from = min(self._no_ms_section_end_from, i + 3)
                        return -1
                    return close.end()
        close_at = self._find_gt(i + 2)
        return close_at + 1 if close_at >= 0 else -1

    def _break(self, at: int) -> None:
        self.pieces.append(("\n", at, at, False, self._furniture > 0))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]], at: int) -> None:
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
            self._hidden_count[tag] += 1
        if tag in _FURNITURE_TAGS:
            self._furniture += 1
        if tag in _BLOCK_TAGS:
            self._break(at)

    def handle_endtag(self, tag: str, at: int) -> None:
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
        if self._hidden_count.get(tag):  # a hidden element is open: it and those opened inside it close
            while (closed := self._hidden.pop()) != tag:
                self._hidden_count[closed] -= 1
            self._hidden_count[tag] -= 1
        if tag in _FURNITURE_TAGS and self._furniture:
            self._furniture -= 1
        if tag in _BLOCK_TAGS:
            self._break(at)

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

    def handle_data(self, data: str, start: int) -> None:
        self._add(data, start, start + len(data), True)

    def handle_entityref(self, name: str, start: int) -> None:
        raw = f"&{name};"
        if not self._source.startswith(raw, start):
            raw = f"&{name}"  # an entity without its ';'
        codepoint = name2codepoint.get(name)
        named = html5.get(name + ";" if raw.endswith(";") else name)  # HTML5 names: &apos; too
        text = chr(codepoint) if codepoint else named or raw  # an unknown name stays as written
        self._add(text, start, start + len(raw), text == raw)

    def handle_charref(self, name: str, start: int, end: int) -> None:
        # As HTML5 reads them: &#0;, surrogates and numbers past Unicode are U+FFFD, &#150; is
        # the dash cp1252 put there.
        text = html.unescape(f"&#{name};")
        if text.startswith("&#"):
            text = "\ufffd"
        self._add(text, start, end, False)


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
        if text.isspace():  # the whitespace between tags, most of a page's pieces: one space
            self._space(" ", start, end)
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
    collector.scan()
    builder = _Builder()
    for piece in collector.pieces:
        builder.add(*piece)
    collector.pieces.clear()
    plain, offsets, furniture = builder.finish()
    return HtmlText(plain=plain, offsets=offsets, furniture=furniture, facts=collector.facts)
