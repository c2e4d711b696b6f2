"""What a text file declares about its article at its top: front matter or header fields.

Two forms, as news exports, scrapers and static-site generators write them:
- front matter: a block between `---` lines (YAML, read by PyYAML's safe loader) or between
  `+++` lines (TOML) at the very start of the file;
- header fields: `Title: …`, `Source: …`, `Date: …`, `URL: …` lines before the story, one field
  a line.

Only known field names are read (title, outlet, authors, dates, URL, language); a summary
("Description: …", left to the story) and the short fields exports add ("Section: …", "ID: …")
are known and read past, so that the fields after them are still read. The block is metadata,
not story: its lines are left out of what is cleaned, chunked and cited. What is not
declared is left to the reading of the text itself (metadata.py); nothing here guesses.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml

from assistant.ingest.cleaning import Line, is_prose
from assistant.ingest.page_metadata import (
    MAX_FIELD,
    PageMetadata,
    day_first,
    language_code,
    parse_date,
    written_as_date,
)

log = logging.getLogger(__name__)

# Field names as written (case, spaces, "-" and "_" aside) → what they declare.
_FIELDS = {
    **dict.fromkeys(("title", "headline"), "title"),
    **dict.fromkeys(
        ("source", "sourcename", "outlet", "publication", "publisher", "site", "sitename", "newspaper"),
        "outlet",
    ),
    **dict.fromkeys(("author", "authors", "by", "byline", "writer", "creator"), "authors"),
    **dict.fromkeys(
        (
            "date",
            "published",
            "publishedat",
            "publishedon",
            "publicationdate",
            "datepublished",
            "pubdate",
            "publishdate",
        ),
        "published",
    ),
    **dict.fromkeys(
        ("updated", "updatedat", "modified", "lastmodified", "lastmod", "datemodified", "lastupdated"), "modified"
    ),
    **dict.fromkeys(
        ("url", "link", "canonical", "canonicalurl", "sourceurl", "permalink", "originalurl", "articleurl"), "url"
    ),
    **dict.fromkeys(("language", "lang"), "language"),
    # Read past, not kept: a summary (which may be a sentence: it is the export's, not the story's)
    # and fields of an export that describe nothing shown ("Section: Transport", "ID: 4711").
    **dict.fromkeys(
        (
            "description", "summary", "excerpt", "abstract", "standfirst", "teaser", "subtitle",
            "subheadline", "subhead", "dek", "deck", "snippet",
        ),
        "summary",
    ),
    **dict.fromkeys(
        (
            "section", "category", "categories", "tags", "tag", "keywords", "topic", "topics", "subject", "id",
            "articleid", "storyid", "wordcount", "words", "length", "type", "edition", "page", "copyright",
            "rights", "slug", "image", "imageurl", "photo", "credit", "region", "location", "country",
            "status", "format", "readingtime",
        ),
        "other",
    ),
}
_NOT_KEPT = frozenset(("summary", "other"))
_MAX_OTHER_WORDS = 6
_FIELD_LINE = re.compile(r"^([A-Za-z][A-Za-z _-]{0,24}?)\s*:\s*(.*)$")
_KEY_NOISE = re.compile(r"[\s_-]+")
_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when PyYAML has it
_SCAN_CHARS = 64 * 1024
_MAX_HEADER_LINES = 12
_MAX_FRONT_MATTER_LINES = 200
_MAX_AUTHORS = 10
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class Declared:
    """The fields a file declares, and where the lines that declare them start (never story)."""

    metadata: PageMetadata
    taken: frozenset[int] = frozenset()


def read(text: str, lines: list[Line], where: str) -> Declared:
    """The front matter or header fields at the start of `text` (a file's plain text), whose
    non-blank lines (`cleaning.split_lines`) are `lines`; only its first `_SCAN_CHARS` are read."""
    lines = [line for line in lines[: _MAX_FRONT_MATTER_LINES + 1] if line.start < _SCAN_CHARS]
    if not lines:
        return Declared(PageMetadata())
    if lines[0].text.lstrip("\ufeff") in _FENCES:
        found = _front_matter(text, lines, where)
        if found is not None:
            return found
    return _header_fields(lines, where)


def _front_matter(text: str, lines: list[Line], where: str) -> Declared | None:
    fence = lines[0].text.lstrip("\ufeff")
    closing = [i for i, line in enumerate(lines[1:_MAX_FRONT_MATTER_LINES], start=1) if line.text in _FENCES[fence]]
    if not closing:
        return None  # a rule at the top of a text, not a block
    i = closing[0]
    block = text[lines[0].end : lines[i].start]  # as written: YAML reads indentation
    try:
        data = yaml.load(block, Loader=_LOADER) if fence == "---" else tomllib.loads(block)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        log.warning("the front matter of %s could not be read (%s); read as header fields", where, exc)
        pairs = [field for field in map(_field, lines[1:i]) if field[0]]
        return Declared(_metadata(pairs, where), _starts(lines[: i + 1]))
    if not isinstance(data, dict):
        return None
    return Declared(_metadata(list(data.items()), where), _starts(lines[: i + 1]))


def _starts(lines: list[Line]) -> frozenset[int]:
    return frozenset(line.start for line in lines)


def _field(line: Line) -> tuple[str | None, str]:
    """A "Key: value" line's key and value; (None, "") for any other line."""
    m = _FIELD_LINE.match(line.text)
    if not m:
        return None, ""
    return m.group(1), m.group(2).strip()


def _header_fields(lines: list[Line], where: str) -> Declared:
    """Field lines at the top, or right under a headline ("Port strike ends\nSource: …"). A
    summary among them ("Description: …") is read past and left to the story; a block of an
    export's own fields alone ("Copyright: …" over a byline) declares nothing."""
    first = 1 if len(lines) > 1 and _declares(lines[1]) and not _declares(lines[0]) and not is_prose(lines[0]) else 0
    taken = []
    for line in lines[first : first + _MAX_HEADER_LINES]:
        if not _declares(line):
            break
        if _kind(line) != "summary":
            taken.append(line)
    if not any(_kind(line) not in _NOT_KEPT for line in taken):
        return Declared(PageMetadata())
    return Declared(_metadata([_field(line) for line in taken], where), _starts(taken))


def _kind(line: Line) -> str | None:
    key, _ = _field(line)
    return _FIELDS.get(_KEY_NOISE.sub("", key.lower())) if key else None


def _declares(line: Line) -> bool:
    kind = _kind(line)
    return kind is not None and _plausible(kind, _field(line)[1], line)


def _plausible(kind: str, value: str, line: Line) -> bool:
    """Whether a "Key: value" line at the top declares a field, or is story or headline that
    happens to start like one: "Source: officials said …" (a sentence), "Language: the new
    frontier of AI" (no language code), "Date night in Paris" (no date)."""
    if not value:
        return True  # "Author:" left empty by an export
    if kind in ("published", "modified"):
        return written_as_date(value)
    if kind == "summary":
        return True
    if kind == "other":  # "Section: Transport", "ID: 4711"; not a headline ("Copyright: EU passes …")
        return len(value.split()) <= _MAX_OTHER_WORDS and not is_prose(line)
    if kind == "url":
        return bool(_URL.match(value))
    if kind == "language":
        return language_code(value) is not None
    return kind == "title" or not is_prose(line)


def _metadata(pairs: Sequence[tuple[object, object]], where: str) -> PageMetadata:
    """The first value of each field; authors from every field that names them. A date in
    figures is read as the declared language writes dates ("Language: en-GB": 01/03/2024 is 1 March)."""
    found: dict[str, Any] = {}
    fields = [(_FIELDS.get(_KEY_NOISE.sub("", str(key).lower())), key, value) for key, value in pairs]
    languages = (text for kind, _, value in fields if kind == "language" and (text := _text(value)))
    dates_day_first = day_first(next((code for text in languages if (code := language_code(text))), None))
    for kind, key, value in fields:
        if kind == "authors":
            found[kind] = tuple(dict.fromkeys((*found.get(kind, ()), *_names(value))))[:_MAX_AUTHORS]
            continue
        if kind is None or kind in _NOT_KEPT or kind in found:
            continue
        text = _text(value)
        if text is None:
            continue
        if kind in ("published", "modified"):
            day = parse_date(text, f"{key} of {where}", day_first=dates_day_first)
            if day is not None:
                found[kind] = day
        elif kind == "url":
            if _URL.match(text):
                found[kind] = text
        elif kind == "outlet" and _URL.match(text):
            found.setdefault("url", text)  # "Source: https://…" names where it came from
        elif kind == "language":
            if code := language_code(text):
                found[kind] = code
        else:
            found[kind] = text
    return PageMetadata(**found)


def _text(value: object) -> str | None:
    if isinstance(value, datetime | date):
        return value.isoformat()  # YAML reads an unquoted date as one
    if isinstance(value, dict):
        value = value.get("name")  # author: {name: …, email: …}
    if isinstance(value, str | int) and not isinstance(value, bool):
        text = " ".join(str(value).split()).strip("\"'")[:MAX_FIELD]
        return text or None
    return None


def _names(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items[:_MAX_AUTHORS]:
        text = _text(item)
        if text:
            text = re.sub(r"^by\s+", "", text, flags=re.IGNORECASE)
            names.extend(n.strip() for n in re.split(r"\s*(?:,|;|\band\b|&)\s*", text) if n.strip())
    return tuple(dict.fromkeys(names))[:_MAX_AUTHORS]
