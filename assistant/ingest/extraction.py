"""The story of a web page: trafilatura's main text, found again in the page's own text.

trafilatura reads the page with its own parser and hands back plain paragraphs
that point nowhere. Each paragraph is looked up, in order, in the loader's plain
text (whose every character knows its source span), ignoring whitespace, so the
story becomes line spans of that text and every quote stays an exact slice of
the stored file. When trafilatura finds nothing, or its text cannot be found
again, the page falls back to the project's own line rules.
"""

from __future__ import annotations

import html
import logging
import re
from array import array
from bisect import bisect_right
from functools import cached_property
from typing import Any

from assistant.ingest import cleaning
from assistant.ingest.cleaning import Layout, Line
from assistant.ingest.sentences import SENTENCE_END

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"\S+")
_LIST_MARKER = re.compile(r"^\s*-\s+")  # trafilatura marks list items "- " in plain text
_CELL_SEPARATOR = re.compile(r"\s*\|\s*")
_WORDY = re.compile(r"\w")
_MIN_PIECE = 12  # dense characters: shorter runs are too likely to match the wrong place
_MAX_MISSES = 200  # words skipped in one paragraph before giving up on it
_MAX_LEFT_OUT = 300  # characters of a line that trafilatura may leave out between two runs of a paragraph
_MIN_STORY_CHARS = 200  # a story that has no line of (space-separated) prose needs this much text
_HEADER_LINES = 40  # lines before the story kept for metadata rules
_MIN_ALIGNED_SHARE = 0.5  # below this share of trafilatura's text found again, use the rules
_DATE_PARAMS = {"extensive_search": False, "original_date": True}  # htmldate's, as trafilatura is told


def _field(value: str | None) -> str | None:
    """A metadata value as trafilatura hands it back (Document.clean_and_trim); None for ""."""
    from trafilatura.utils import line_processing

    if not value:
        return None
    if len(value) > 10000:
        value = value[:9999] + "…"
    return line_processing(html.unescape(value)) or None


def _unread(what: str, page: str | None, exc: Exception, then: str = "") -> None:
    """A warning that trafilatura could not read `what` ("the page", "the date of the page"),
    naming the page's file, so that a user reading the log of a large ingest knows which one."""
    log.warning("trafilatura could not read %s%s (%s: %s)%s", what, f" {page}" if page else "", type(exc).__name__, exc, then)


class MainText:
    """What trafilatura made of a page: its paragraphs, and the metadata it read.

    The title, site name and URL are read with the text, from the page's meta tags, JSON-LD and
    title (cheap). The author and the date are searched for only when first asked for (most
    pages state both in the structured data `page_metadata` reads first), and what
    trafilatura's own metadata step also reads and nothing here uses (categories, tags,
    licence, host) not at all: its metadata step was a quarter of its time on the 60 real
    pages (19.3 ms a page; 16.0 without, 17.9 with author and date). Each value is the one
    `bare_extraction(with_metadata=True)` returns.
    """

    def __init__(self, paragraphs: list[str], metadata: Any, tree: Any, page: str | None = None) -> None:
        self.paragraphs = paragraphs
        self._page = page
        self._metadata = metadata  # trafilatura's Document, from its meta-tag and JSON-LD readers
        self._tree = tree  # the page as trafilatura parsed it, before extraction pruned a copy
        self.title = _field(metadata.title)
        self.sitename = _field(metadata.sitename)
        self.url = _field(metadata.url)
        self.language: str | None = None  # trafilatura reads no language unless asked to filter by one

    @cached_property
    def author(self) -> str | None:
        if self._metadata.author:
            return _field(self._metadata.author)
        from trafilatura.metadata import extract_author

        return _field(self._read("author", extract_author, self._tree))

    @cached_property
    def date(self) -> str | None:
        from htmldate import find_date  # trafilatura's date reader, installed with it

        return _field(self._read("date", find_date, self._tree, **_DATE_PARAMS, url=self._metadata.url))

    def _read(self, what: str, reader: Any, *args: Any, **kwargs: Any) -> str | None:
        try:
            found: str | None = reader(*args, **kwargs)
        except Exception as exc:  # a third-party reader on arbitrary input: no value, not no page
            _unread(f"the {what} of the page", self._page, exc)
            return None
        return found


def _page_metadata(tree: Any, url: str | None, page: str | None) -> Any:
    """trafilatura's `extract_metadata` (version 2.3.1, pinned in pyproject.toml), step for step,
    up to its author and date, which MainText reads when asked."""
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception as exc:  # trafilatura's JSON-LD reader on arbitrary input, guarded as trafilatura does
        _unread("the JSON-LD of the page", page, exc)
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
            metadata.sitename = metadata.sitename.title()
    elif metadata.url and (match := META_URL.match(metadata.url)):
        metadata.sitename = match[1]
    return metadata


def trafilatura_main_text(html_source: str, url: str | None = None, page: str | None = None) -> MainText | None:
    """trafilatura's reading of the page; None when it finds no main text or fails (`page`, the
    page's file, is named in the warning)."""
    import trafilatura
    from trafilatura.utils import load_html

    try:
        tree = load_html(html_source)
        if tree is None:
            return None
        metadata = _page_metadata(tree, url, page)
        document: Any = trafilatura.bare_extraction(
            tree,  # copied: `tree` stays as parsed for the author and date
            url=url or metadata.url,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            with_metadata=False,
        )
    except Exception as exc:  # a third-party parser on arbitrary input: any failure means "no reading"
        _unread("the page", page, exc, "; using the line rules")
        return None
    if document is None or not (document.text or "").strip():
        return None
    paragraphs = [line for line in document.text.split("\n") if line.strip()]
    return MainText(paragraphs, metadata, tree, page)


def _printable_runs(token: str) -> list[tuple[int, int]]:
    """The runs of `token` (no whitespace in it) that trafilatura keeps: it drops every character
    that is neither printable nor whitespace (trafilatura.utils.remove_control_characters), soft
    hyphens (&shy;), zero-width spaces and joiners, word joiners, byte order marks, direction
    marks and private-use icons among them."""
    runs: list[tuple[int, int]] = []
    start = 0
    for at, char in enumerate(token):
        if not char.isprintable():
            if start < at:
                runs.append((start, at))
            start = at + 1
    if start < len(token):
        runs.append((start, len(token)))
    return runs


class _Dense:
    """The plain text as trafilatura writes it, without whitespace, searchable, mapped back by
    run (not per character): what trafilatura leaves out (see _printable_runs) is left out here
    too, so its text is found again, and the spans found still point into the plain text, which
    keeps those characters (a quote holds what the file holds)."""

    def __init__(self, plain: str) -> None:
        tokens: list[str] = []
        self._dense_starts = array("q")
        self._plain_starts = array("q")
        length = 0
        for m in _TOKEN.finditer(plain):
            token = m.group()
            if token.isprintable():
                self._dense_starts.append(length)
                self._plain_starts.append(m.start())
                tokens.append(token)
                length += len(token)
                continue
            for a, b in _printable_runs(token):
                self._dense_starts.append(length)
                self._plain_starts.append(m.start() + a)
                tokens.append(token[a:b])
                length += b - a
        self.text = "".join(tokens)

    def to_plain(self, dense_index: int) -> int:
        k = bisect_right(self._dense_starts, dense_index) - 1
        return self._plain_starts[k] + dense_index - self._dense_starts[k]


def _pieces(paragraph: str) -> list[str]:
    """The parts of a trafilatura line that are page text: no list markers, table cells apart."""
    line = _LIST_MARKER.sub("", paragraph.strip())
    return [cell for cell in _CELL_SEPARATOR.split(line) if _WORDY.search(cell)]


def _longest_prefix(haystack: str, needle: str, cursor: int) -> tuple[int, int]:
    """The longest prefix of `needle` found in `haystack` from `cursor`: (where, length)."""
    at = haystack.find(needle[:_MIN_PIECE], cursor)
    if at == -1:
        return -1, 0
    low, high = _MIN_PIECE, len(needle)  # the prefix of length `low` is found at `at`
    while low < high:
        middle = (low + high + 1) // 2
        where = haystack.find(needle[:middle], cursor)
        if where == -1:
            high = middle - 1
        else:
            low, at = middle, where
    return at, low


def _align_piece(dense: _Dense, piece: str, cursor: int) -> tuple[list[tuple[int, int]], int, int]:
    """Dense spans holding `piece`, whole if it can be, else its longest runs in order.

    trafilatura sometimes drops a link or a pull quote inside a paragraph, so a
    paragraph that is not found whole is matched run by run, skipping the words
    that are not in the page text. Returns the spans, the new cursor, and the
    characters matched.
    """
    needle = "".join(piece.split())
    if not needle.isprintable():  # trafilatura's text holds none of what _Dense leaves out
        needle = "".join(needle[a:b] for a, b in _printable_runs(needle))
    at = dense.text.find(needle, cursor)
    if at != -1:
        return [(at, at + len(needle))], at + len(needle), len(needle)
    if dense.text.find(needle) != -1 and len(needle) >= _MIN_PIECE:
        at = dense.text.find(needle)  # out of order (a pull quote, a moved lead)
        return [(at, at + len(needle))], cursor, len(needle)
    words = piece.split()
    spans: list[tuple[int, int]] = []
    matched = misses = 0
    i = 0
    while i < len(words) and misses < _MAX_MISSES:
        rest = "".join(words[i:])
        if len(rest) < _MIN_PIECE:
            break
        at, length = _longest_prefix(dense.text, rest, cursor)
        if length == 0:
            i += 1
            misses += 1
            continue
        spans.append((at, at + length))
        cursor = at + length
        matched += length
        # Continue after the words the run covered (a run may end inside a word).
        covered = 0
        while i < len(words) and covered + len(words[i]) <= length:
            covered += len(words[i])
            i += 1
        if covered < length:
            i += 1  # the run ended inside this word; the next run starts after it
    return spans, cursor, matched


def align(plain: str, paragraphs: list[str]) -> tuple[list[tuple[int, int]], int, int]:
    """Spans of `plain` holding each paragraph's pieces, in order.

    Returns the spans, and the characters found and looked for (to judge the match).
    """
    dense = _Dense(plain)
    spans: list[tuple[int, int]] = []
    cursor = 0
    found = wanted = 0
    for paragraph in paragraphs:
        for piece in _pieces(paragraph):
            wanted += len(piece) - piece.count(" ")
            dense_spans, cursor, matched = _align_piece(dense, piece, cursor)
            found += matched
            spans.extend(_rejoined(plain, [(dense.to_plain(a), dense.to_plain(b - 1) + 1) for a, b in dense_spans]))
    return spans, found, wanted


def _rejoined(plain: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A paragraph's runs joined again where trafilatura left out a piece of one line of the
    page between them: a link it took for navigation ("as the NFL decided <span class="link"><a
    ...>to move the teams' Week 13 rematch</a></span> in Pittsburgh"), whose sentence was cut in
    two, neither half saying what the page says. The page's own line is the paragraph; runs in
    other lines (blocks) stay apart, and so does what it left out after a sentence's end (a
    "RELATED: ..." or "Read more: ..." link between two sentences is not the story's)."""
    joined: list[tuple[int, int]] = []
    for start, end in runs:
        if joined and joined[-1][1] <= start:
            gap = plain[joined[-1][1] : start]
            cut = not SENTENCE_END.search(plain[joined[-1][0] : joined[-1][1]])
            if cut and len(gap) <= _MAX_LEFT_OUT and "\n" not in gap:
                joined[-1] = (joined[-1][0], end)
                continue
        joined.append((start, end))
    return joined


def _lines_of(plain: str, spans: list[tuple[int, int]]) -> list[Line]:
    """Story lines from matched spans: each span cut at the plain text's line breaks."""
    lines: list[Line] = []
    seen: set[tuple[int, int]] = set()
    for start, end in spans:
        for m in re.finditer(r"[^\n]+", plain[start:end]):
            raw = m.group()
            stripped = raw.strip()
            if not stripped:
                continue
            line_start = start + m.start() + (len(raw) - len(raw.lstrip()))
            key = (line_start, line_start + len(stripped))
            if key not in seen:
                seen.add(key)
                lines.append(Line(stripped, *key))
    return lines


def _outside(lines: list[Line], furniture: tuple[tuple[int, int], ...]) -> list[Line]:
    if not furniture:
        return lines
    starts = [start for start, _ in furniture]
    kept = []
    for line in lines:
        k = bisect_right(starts, line.start) - 1
        if k >= 0 and furniture[k][0] <= line.start and line.end <= furniture[k][1]:
            continue
        kept.append(line)
    return kept


def _is_story(body: list[Line]) -> bool:
    """Prose, or at least a paragraph's worth of text (in scripts without spaces between words)."""
    return any(map(cleaning.is_prose, body)) or sum(len(line.text) for line in body) >= _MIN_STORY_CHARS


def story_layout(
    plain: str, furniture: tuple[tuple[int, int], ...], main: MainText | None
) -> tuple[Layout, str]:
    """The page's header, story and dropped lines, and which method found the story."""
    if main is not None:
        spans, found, wanted = align(plain, main.paragraphs)
        body = _lines_of(plain, spans)
        if _is_story(body) and wanted and found / wanted >= _MIN_ALIGNED_SHARE:
            first = min(line.start for line in body)
            header = [
                line for line in _outside(cleaning.split_lines(plain[:first]), furniture) if line.end <= first
            ][-_HEADER_LINES:]
            reasons = [
                "byline or time stamp" if cleaning.is_dateline(line) else cleaning.furniture_reason(line) for line in body
            ]
            dropped = [(line, reason) for line, reason in zip(body, reasons) if reason]
            body = [line for line, reason in zip(body, reasons) if not reason]
            return Layout(header=header, body=body, dropped=dropped), "trafilatura"
        log.info("trafilatura's text matched only %d of %d characters; using the line rules", found, wanted)
    return cleaning.analyze_lines(_outside(cleaning.split_lines(plain), furniture)), "rules"
