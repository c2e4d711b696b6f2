"""A news archive (JSON Lines, a JSON list, CSV or TSV: one article a record) to one text file
per article, which then go through the normal file ingestion.

News APIs, crawlers and datasets hand articles over as records, not files: `{"title": …,
"source": {"name": …}, "publishedAt": …, "url": …, "content": …}` (NewsAPI), `maintext` and
`date_publish` (news-please), `title,publication,author,date,url,content` (CSV datasets). Each
record with an article's text becomes a file under the index folder (`archives/`): its fields as
YAML front matter (declared.py reads them back), then the text exactly as the record holds it,
which citations quote by offsets; a text that is HTML becomes a page whose head states the fields
as pages do (page_metadata.py reads them), read like any saved page. A record's file is named by
its address or id (else by its text), so an archive read again rewrites nothing that did not
change, an edited record updates its article, and a killed run resumes like any ingest. Results name records as `ARCHIVE#N`
(the N-th record; for JSON Lines and CSV, N counts records, not lines).
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import io
import itertools
import json
import logging
import os
import re
import shutil
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path
from typing import Any, AnyStr, BinaryIO

import yaml

from assistant.ingest.loading import BOMS, COMPRESSED_SUFFIX, MAX_FILE_BYTES, archive_suffix, decode
from assistant.types import FileResult

log = logging.getLogger(__name__)

ARCHIVES_FOLDER = "archives"  # under the index folder: one text file per archived article
SOURCE_FILE = "archive.json"  # in an archive's folder there: {"path": the archive it was read from}
MAX_JSON_BYTES = 256 * 2**20  # a JSON list is read whole; JSON Lines and CSV stream
# Python holds a JSON object of 2 bytes ("{}") in about 64: read whole, a list of a million tiny
# ones takes what a few hundred megabytes of articles would. An article's record holds an object
# or a list in hundreds of bytes at most; one in every BYTES_PER_CONTAINER, beyond
# MAX_TINY_CONTAINERS of them, is no list of articles.
BYTES_PER_CONTAINER = 16
MAX_TINY_CONTAINERS = 100_000
_LIST_KEYS = ("articles", "data", "items", "results", "records", "documents", "news", "posts", "entries")
# Record fields (lower case, letters and digits only) → the front matter field they fill, first found wins.
_TEXT_FIELDS = (
    "text", "content", "body", "bodytext", "articlebody", "article", "maintext", "fulltext", "articletext", "story",
)
_FIELDS = {
    "title": ("title", "headline", "webtitle"),
    "source": (
        "source", "sourcename", "outlet", "publication", "publisher", "sitename", "site", "newspaper",
        "sourcedomain", "domain",
    ),
    "date": (
        "publishedat", "published", "publishedon", "publisheddate", "publishedtime", "datepublished",
        "datepublish", "publicationdate", "webpublicationdate", "firstpublicationdate", "publishdate", "pubdate",
        "date", "datecreated", "createdat", "created", "datetime", "timestamp",
    ),
    "updated": ("updatedat", "datemodified", "modified", "dateupdated", "updated", "lastmodified", "lastmodifieddate"),
    "authors": ("authors", "author", "byline", "creator"),
    "url": ("url", "link", "weburl", "canonicalurl", "sourceurl", "articleurl", "permalink"),
    "language": ("language", "lang"),
}
_ID_FIELDS = ("id", "guid", "uuid", "docid", "articleid")
_NESTED = ("fields", "attributes", "metadata", "meta")  # objects whose keys count as the record's
_KEY = re.compile(r"[^a-z0-9]")
_HTML_TAGS = re.compile(r"<(?:p|div|br|h[1-6]|article|section|ul|ol|li|blockquote|figure|table)\b[^>]*>", re.I)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's when PyYAML has it: 4x faster
_MAX_VALUE = 1000
PROGRESS_EVERY = 1000  # records
_UNUSABLE_LIMIT = 20  # records that are no article, none that is: not an archive of articles
# A record's line, or its article's file, may hold at most MAX_FILE_BYTES (the limit on any file
# the ingest reads): a longer line is read past in pieces of _CHUNK, never held whole.
_TOO_BIG = f"more than {MAX_FILE_BYTES // 2**20} MB, the limit for one article"
_CHUNK = 2**20
MAX_BLANK_RUN = 10_000  # blank lines in a row: no archive of articles has them
_SURROGATES = re.compile("[\ud800-\udfff]")  # "\ud83d" alone in JSON: no character, not writable as UTF-8


@dataclass
class Unpacked:
    """Article files written from archives, each with its name in results (`ARCHIVE#N`), and
    the archives or records that could not become articles."""

    files: dict[Path, str] = field(default_factory=dict)
    skipped: list[FileResult] = field(default_factory=list)
    progress: Callable[[int], None] | None = field(default=None, repr=False)

    def add(self, path: Path, name: str) -> None:
        self.files[path] = name
        if self.progress is not None and len(self.files) % PROGRESS_EVERY == 0:
            self.progress(len(self.files))

    def skip(self, name: str, reason: str) -> None:
        self.skipped.append(FileResult(name, "skipped", reason))


class ArchiveError(Exception):
    """An archive that cannot be read at all; the message says why."""


class _Unwritten(Exception):
    """A record's file could not be written in the index folder (a full disk, a read-only
    folder): the ingest stops with the error that says so, as for any write there."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def is_archive(path: Path) -> bool:
    return archive_suffix(path) is not None


def _open(archive: Path) -> gzip.GzipFile | BinaryIO:
    if archive.name.lower().endswith(COMPRESSED_SUFFIX):
        return _Unpacking(archive)
    return archive.open("rb")


# Text and JSON of news compress 3 to 10 times; a file made to fill memory or disk ("[{},{},…]",
# newlines) a thousand times: a compressed archive is read no further than this many times its
# size (or MIN_UNPACKED_BYTES, for small ones).
MAX_UNPACK_RATIO = 100
MIN_UNPACKED_BYTES = 64 * 2**20


class _Unpacking(gzip.GzipFile):
    """A gzip-compressed archive, read no further than MAX_UNPACK_RATIO times its own size: a
    page's 32 KB upload unpacked to 32 MB of empty JSON objects held 1.6 GB, and 51 KB of
    compressed newlines kept the page's one upload slot busy for a minute."""

    def __init__(self, archive: Path) -> None:
        self._limit = max(MAX_UNPACK_RATIO * archive.stat().st_size, MIN_UNPACKED_BYTES)
        super().__init__(archive, "rb")

    def _within(self, data: bytes) -> bytes:
        if self.tell() > self._limit:
            raise ArchiveError(
                f"it unpacks to more than {MAX_UNPACK_RATIO} times its compressed size, more than news "
                "text does: not read further (a file made to fill the memory or the disk?)"
            )
        return data

    def read(self, size: int | None = -1) -> bytes:
        return self._within(super().read(size))

    def read1(self, size: int = -1) -> bytes:
        return self._within(super().read1(size))

    def readline(self, size: int | None = -1) -> bytes:
        return self._within(super().readline(size))


def unpack(
    archives: list[Path], folder: Path, prune: bool = False, progress: Callable[[int], None] | None = None
) -> Unpacked:
    """Each archive's articles as text files in `folder/<archive name>-<hash of its path>/`.
    Called under the index's ingest lock. With `prune`, files of records an archive no longer
    holds are deleted (and so forgotten by the ingest's prune). `progress` is told the number of
    article files so far every `PROGRESS_EVERY` records."""
    found = Unpacked(progress=progress)
    for archive in archives:
        home = _home(folder, archive)  # an OSError here is the index folder's: pipeline.ingest names it
        for partial in home.glob("*/*.partial"):  # left by a run killed mid-write (ingests take turns)
            partial.unlink(missing_ok=True)
        try:
            _unpack_one(archive, home, found, [other for other in _orphans(folder) if other != home])
        except _Unwritten as exc:
            raise exc.error from None  # pipeline.ingest names it (storage_error): a full disk, say
        except ArchiveError as exc:
            found.skip(str(archive), str(exc))
            continue
        except (OSError, EOFError, zlib.error) as exc:  # a compressed archive cut short or not gzip
            found.skip(str(archive), f"cannot read it: {getattr(exc, 'strerror', None) or exc}")
            continue
        if prune and home.is_dir():
            for stale in home.rglob("*.*"):
                if stale.suffix in (".txt", ".html") and stale not in found.files:
                    stale.unlink(missing_ok=True)
    for home in _orphans(folder):  # a renamed archive's old folder, once every record moved on
        if not any(path.suffix in (".txt", ".html") for path in home.rglob("*.*")):
            shutil.rmtree(home, ignore_errors=True)
    return found


def _unpack_one(archive: Path, home: Path, found: Unpacked, orphans: list[Path]) -> None:
    """One archive's records to files in `home`, added to `found` (each archive's files are
    in its own home, so `found.files` tells this archive's apart). A record whose file is in the
    folder of an archive that is gone (`orphans`: renamed, say) has that file moved here, so the
    ingest follows its article as moved instead of skipping it as a copy of the file left behind,
    which would keep the gone archive's version indexed after an edit. A file none of whose first
    records is an article (a list of questions, a settings file, a binary file named .jsonl) is
    not an archive of articles: ArchiveError, one line for it, rather than a line a record."""
    written = 0
    unusable: list[FileResult] = []  # records that are no article, before the first that is one
    records = 0
    for number, record in _records(archive):
        records += 1
        name = f"{archive}#{number}"
        path = record if isinstance(record, str) else _write(record, home, orphans)
        if isinstance(path, str):
            reason = path
            if written:
                found.skip(name, reason)
                continue
            unusable.append(FileResult(name, "skipped", reason))
            if len(unusable) == _UNUSABLE_LIMIT:
                break
        elif path in found.files:
            found.skip(name, f"the same article (address, id or text) as {found.files[path]}")
        else:
            found.skipped += unusable
            unusable = []
            written += 1
            found.add(path, name)
    if not written and unusable:
        raise ArchiveError(
            f"it is no archive of articles: none of its first {len(unusable)} records is one "
            f"(#1: {unusable[0].reason})"
        )
    if not records:
        raise ArchiveError("it holds no records")


def _textless(record: dict[str, Any]) -> str:
    """Why a record has no article text: the text field `_field` reads holds no text (a number,
    a list), or every one there is empty, or there is none."""
    fields = _fields(record)
    given = [name for name in _TEXT_FIELDS if name in fields]
    read = next((name for name in given if fields[name][1] not in (None, "", [], {})), None)
    if read is not None:  # "content": 42 or ["para", ...]
        return f"no article text: its {fields[read][0]!r} field is {_json_kind(fields[read][1])}, not text"
    if given:  # "text": "" or "   "
        return f"no article text: its {fields[given[0]][0]!r} field is empty"
    names = _SURROGATES.sub("\ufffd", ", ".join(sorted(map(str, record))[:12])) or "none"
    return f"no article text (a text, content or body field; it has: {names})"


def _json_kind(value: Any) -> str:
    """A value's kind as JSON names it: "a number", "an object"."""
    if isinstance(value, bool):
        return "true or false"
    return {int: "a number", float: "a number", dict: "an object", list: "a list"}.get(type(value), f"a {type(value).__name__}")


def home_of(folder: Path, archive: Path) -> Path:
    """Where an archive's articles are written under `folder` (nothing made or moved: see _home)."""
    return folder / f"{_slug(archive.stem)}-{_digest(str(archive.resolve()))[:8]}"


def _home(folder: Path, archive: Path) -> Path:
    """The folder of an archive's articles, recording the archive's path (`SOURCE_FILE`). The
    folder of an archive of the same name whose path is gone (moved to another folder) is taken
    over, so that its articles are followed as moved rather than read again beside the old."""
    resolved = archive.resolve()
    home = home_of(folder, archive)
    if not home.exists():
        name = home.name.rsplit("-", 1)[0]
        moved = next((other for other in _orphans(folder) if other.name.rsplit("-", 1)[0] == name), None)
        if moved is not None:
            moved.rename(home)
    home.mkdir(parents=True, exist_ok=True)
    if _read_source(home) != resolved:
        (home / SOURCE_FILE).write_text(json.dumps({"path": str(resolved)}), encoding="utf-8")
    return home


def _take_over(path: Path, home: Path, orphans: list[Path]) -> None:
    """Move the record file at `path`'s place in an orphan folder to `path`, if one has it."""
    relative = path.relative_to(home)
    for orphan in orphans:
        earlier = orphan / relative
        if earlier.is_file():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                os.replace(earlier, path)
            except OSError as exc:  # the index folder's disk
                raise _Unwritten(exc) from exc
            return


def drop_gone(folder: Path) -> None:
    """Delete the folders of archives whose file is gone (an ingest's prune then forgets their
    articles, as it does those of any file that is gone). Called under the index's ingest lock,
    before `unpack`, so that an archive renamed meanwhile is read as moved."""
    for home in _orphans(folder):
        shutil.rmtree(home, ignore_errors=True)


def homes_under(folder: Path, given: Path) -> list[Path]:
    """The folders under `folder` of the archives read from within the folder `given` (its own
    archives, the ones in its subfolders, also those since deleted)."""
    if not folder.is_dir():
        return []
    resolved = given.resolve()
    return [home for home in sorted(folder.iterdir()) if (source := _read_source(home)) and source.is_relative_to(resolved)]


def _orphans(folder: Path) -> list[Path]:
    """Folders of archives whose file is gone (moved, renamed or deleted)."""
    if not folder.is_dir():
        return []
    return [home for home in sorted(folder.iterdir()) if (source := _read_source(home)) is not None and not source.exists()]


def _read_source(home: Path) -> Path | None:
    try:
        return Path(json.loads((home / SOURCE_FILE).read_text(encoding="utf-8"))["path"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")[:40] or "archive"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# --- reading records ----------------------------------------------------------------------------
def _records(archive: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(number, record) of each record, or (number, why it is not one)."""
    suffix = archive_suffix(archive)
    if suffix in (".jsonl", ".ndjson"):
        yield from _json_lines(archive)
    elif suffix == ".json":
        yield from enumerate(_json_list(archive), start=1)
    else:
        yield from _table(archive, delimiter="\t" if suffix == ".tsv" else None)


@dataclass(frozen=True)
class _Overlong:
    """A line of more than MAX_FILE_BYTES, read past rather than kept (a compressed archive of a
    few hundred kilobytes may unpack to a line of gigabytes); `quotes`: how many `"` it held (an
    odd number opens or closes a quoted CSV field, which the line standing in for it then does too)."""

    quotes: int


def _lines(archive: Path) -> Iterator[str | _Overlong]:
    """The archive's lines, each of at most MAX_FILE_BYTES (else _Overlong); more than
    MAX_BLANK_RUN blank ones in a row are an ArchiveError (each is a turn of a loop in Python:
    a file of newlines kept an upload busy for minutes)."""
    blank = 0
    for number, line in enumerate(_decoded_lines(archive), start=1):
        if isinstance(line, str) and not line.strip():
            blank += 1
            if blank > MAX_BLANK_RUN:
                raise ArchiveError(f"it has more than {MAX_BLANK_RUN:,} blank lines in a row (from line {number - blank + 1})")
        else:
            blank = 0
        yield line


def _decoded_lines(archive: Path) -> Iterator[str | _Overlong]:
    """The archive's lines, each of at most MAX_FILE_BYTES (else _Overlong). A file that starts
    with a UTF-16 or UTF-32 byte order mark is decoded by it; any other line by line as
    loading.decode does a file (UTF-8, a byte that is not as cp1252), so that one odd line does
    not turn the rest into replacement characters."""
    with _open(archive) as raw:
        head = raw.read(4)
        bom, encoding = next(((b, e) for b, e in BOMS if head.startswith(b)), (b"", "utf-8"))
        if encoding == "utf-8":
            raw.seek(0)
            for number, line in enumerate(_bounded(raw.readline, b"\n", b'"')):
                if isinstance(line, _Overlong):
                    yield line
                    continue
                text = decode(line)
                yield text.lstrip("\ufeff") if number == 0 else text
        else:  # lines end at "\n" alone here too (newline="\n"): a "\r" in a record does not split it
            raw.seek(len(bom))
            text_stream = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="\n")
            yield from _bounded(text_stream.readline, "\n", '"')


def _bounded(readline: Callable[[int], AnyStr], newline: AnyStr, quote: AnyStr) -> Iterator[AnyStr | _Overlong]:
    """The lines `readline` gives, one longer than MAX_FILE_BYTES read past in pieces."""
    while line := readline(MAX_FILE_BYTES + 1):
        if len(line) <= MAX_FILE_BYTES:
            yield line
            continue
        quotes = line.count(quote)
        while not line.endswith(newline) and (line := readline(_CHUNK)):
            quotes += line.count(quote)
        yield _Overlong(quotes)


def _json_lines(archive: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    number = 0
    for line_number, line in enumerate(_lines(archive), start=1):
        if isinstance(line, _Overlong):
            number += 1
            yield number, f"line {line_number} is {_TOO_BIG}"
            continue
        if not line.strip():
            continue
        number += 1
        if number == 1 and line.lstrip().startswith("[") and not line.rstrip().endswith("]"):
            raise ArchiveError("it is a JSON list written over several lines, not JSON Lines: name it .json")
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            yield number, f"line {line_number} is not JSON ({_json_error(exc)})"
            continue
        yield number, record if isinstance(record, dict) else f"line {line_number} is not a JSON object"


def _json_list(archive: Path) -> list[dict[str, Any] | str]:
    with _open(archive) as raw:
        content = raw.read(MAX_JSON_BYTES + 1)
    if len(content) > MAX_JSON_BYTES:
        raise ArchiveError(
            f"it is more than {MAX_JSON_BYTES // 2**20} MB of JSON, which is read whole: write it as JSON "
            "Lines (.jsonl, one article a line), which is read a record at a time"
        )
    containers = content.count(b"{") + content.count(b"[")
    if containers > MAX_TINY_CONTAINERS and containers > len(content) // BYTES_PER_CONTAINER:
        raise ArchiveError(
            f"it holds {containers:,} JSON objects or lists in {len(content) / 2**20:.1f} MB, a few bytes "
            "each: no archive of articles, whose records take hundreds (read whole, so many would take "
            "far more memory than the file's size)"
        )
    try:
        data = json.loads(decode(content))
    except (ValueError, RecursionError) as exc:
        raise ArchiveError(f"it is not JSON ({_json_error(exc)})") from None
    if isinstance(data, dict):
        listed = _listed(data)
        if listed is None:
            if _text(data) is None:
                keys = ", ".join(sorted(map(str, data))[:12])
                raise ArchiveError(f"it is a JSON object without a list of articles (it has: {keys})")
            listed = [data]  # one article
        data = listed
    if not isinstance(data, list):
        raise ArchiveError("it is JSON, but neither a list of articles nor an object holding one")
    return [item if isinstance(item, dict) else "it is not a JSON object" for item in data]


def _json_error(exc: Exception) -> str:
    """Why a text is not JSON that can be read: json.loads's message, or, where it ran out of
    stack (arrays in arrays, thousands deep), that."""
    return "nested too deeply to be read" if isinstance(exc, RecursionError) else str(exc)


def _listed(data: dict[str, Any]) -> list[Any] | None:
    """The list of articles an API's answer holds: under "articles", "results", … at its top or
    one level down ({"response": {"results": [...]}}, as the Guardian's API answers)."""
    for holder in (data, *(v for v in data.values() if isinstance(v, dict))):
        listed = next((holder[k] for k in _LIST_KEYS if isinstance(holder.get(k), list)), None)
        if listed is not None:
            return listed
    return None


def _table(archive: Path, delimiter: str | None) -> Iterator[tuple[int, dict[str, Any] | str]]:
    csv.field_size_limit(MAX_FILE_BYTES)
    overlong: list[int] = []  # the numbers of lines over MAX_FILE_BYTES: their records are skipped

    def stand_ins() -> Iterator[str]:
        for line_number, line in enumerate(_lines(archive), start=1):
            if isinstance(line, _Overlong):
                overlong.append(line_number)
                line = '"-\n' if line.quotes % 2 else "-\n"  # a quoted field opened or closed as there
            yield line

    lines = stand_ins()
    first = next(lines, "")
    if overlong:
        raise ArchiveError(f"its first line is {_TOO_BIG}")
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(first, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    rows = csv.DictReader(itertools.chain([first], lines), delimiter=delimiter)
    if not rows.fieldnames or not any(_KEY.sub("", n.lower()) in _TEXT_FIELDS for n in rows.fieldnames if n):
        names = ", ".join(n for n in (rows.fieldnames or []) if n)[:300] or "none"
        raise ArchiveError(f"its first row names no text column (text, content or body; it names: {names})")
    number = 0
    end = rows.line_num  # the last line of the header, then of each record
    try:
        for number, row in enumerate(rows, start=1):
            start, end = end + 1, rows.line_num
            if too_long := [n for n in overlong if start <= n <= end]:
                yield number, f"line {too_long[0]} is {_TOO_BIG}"
                continue
            yield number, {k: v for k, v in row.items() if k}
    except csv.Error as exc:
        yield number + 1, f"the table cannot be read from here on ({exc}, line {rows.line_num})"


def _epoch(value: Any) -> str | None:
    """A time stamp given as seconds (or milliseconds) since 1970, as an ISO date and time."""
    try:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        seconds = value / 1000 if value > 1e11 else value
        if not 1e8 < seconds < 1e10:  # 1973 to 2286: anything else is no time stamp
            return None
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    except (ValueError, OverflowError):  # 400 digits: no float holds it; 5,000: no int parses it
        return None


def _page(declared: dict[str, Any], body: str) -> str:
    """An HTML record as a page whose head states its fields as pages do (page_metadata reads them)."""
    head = []
    if title := declared.get("title"):
        head.append(f"<title>{escape(title)}</title>")
    meta = {"og:site_name": declared.get("source"), "article:published_time": declared.get("date"),
            "article:modified_time": declared.get("updated")}
    head += [f'<meta property="{k}" content="{escape(v)}">' for k, v in meta.items() if isinstance(v, str)]
    authors = declared.get("authors")
    for author in [authors] if isinstance(authors, str) else authors or []:
        head.append(f'<meta name="author" content="{escape(author)}">')
    if url := declared.get("url"):
        head.append(f'<link rel="canonical" href="{escape(url)}">')
    language = declared.get("language")
    lang = f' lang="{escape(language)}"' if isinstance(language, str) else ""
    return f"<!DOCTYPE html>\n<html{lang}><head><meta charset=\"utf-8\">{''.join(head)}</head>\n<body>\n{body}\n</body></html>\n"


# --- one record, one file -----------------------------------------------------------------------
def _field(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    """The first of `names` the record has a value for: its own keys first, then those of an
    object it holds ({"fields": {"bodyText": …}}, as the Guardian's API nests them)."""
    fields = _fields(record)
    for name in names:
        value = fields.get(name, (None, None))[1]
        if value not in (None, "", [], {}):
            return value
    return None


def _fields(record: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """The record's fields by their names as `_field` matches them: (the name as written, value)."""
    fields = {_KEY.sub("", str(k).lower()): (str(k), v) for k, v in record.items()}
    for holder in _NESTED:
        if isinstance(nested := fields.get(holder, (None, None))[1], dict):
            for k, v in nested.items():
                fields.setdefault(_KEY.sub("", str(k).lower()), (str(k), v))
    return fields


# NewsAPI cuts `content` at 200 characters and says how much it left out: "... for cars… [+1520
# chars]". The count is no text of the article: it was indexed and quoted as if it were.
_CUT_SHORT = re.compile(r"\s*\[\+\d+ chars\]\s*$")


def _text(record: dict[str, Any]) -> str | None:
    value = _field(record, _TEXT_FIELDS)
    if not isinstance(value, str):
        return None
    value = _CUT_SHORT.sub("", value)
    return value if value.strip() else None


def _value(value: Any, listed: bool = False) -> Any:
    """A field as front matter holds it: text, a date, or a list of names (of text; a list
    `listed` in a list is none)."""
    if isinstance(value, dict):
        # {"id": …, "name": "Reuters"}; the New York Times API's {"main": "<headline>", "kicker": …}
        value = value.get("name") or value.get("title") or value.get("main") or value.get("url")
    if isinstance(value, list):
        if listed:
            return None
        items = [_value(v, listed=True) for v in value[:10]]
        return [v for v in items if isinstance(v, str)] or None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return _SURROGATES.sub("\ufffd", " ".join(value.split())[:_MAX_VALUE]) or None
    return None


def _write(record: dict[str, Any], home: Path, orphans: list[Path]) -> Path | str:
    """The record's article file (written only when its content changed; taken over from an
    orphan folder that holds it, see _unpack_one); else why it is no article (no text, or one
    over MAX_FILE_BYTES). A lone surrogate in the record ("\\ud83d" in JSON) is written as U+FFFD."""
    text = _text(record)
    if text is None:
        return _textless(record)
    if len(text) > MAX_FILE_BYTES:
        return f"its text is {_TOO_BIG}"
    text = _SURROGATES.sub("\ufffd", text)
    declared = {name: value for name, keys in _FIELDS.items() if (value := _value(_field(record, keys)))}
    for name in ("date", "updated"):
        if stamp := _epoch(_field(record, _FIELDS[name])):
            declared[name] = stamp
    record_id = _field(record, _ID_FIELDS)
    identity = declared.get("url") or (str(record_id) if isinstance(record_id, str | int) else None) or text
    key = _digest(str(identity))[:16]
    if _HTML_TAGS.search(text[:20_000]):  # the record holds its article as HTML: read as a page
        path = home / key[:2] / f"{key}.html"
        whole = text.lstrip()[:200].lower().startswith(("<!doctype", "<html"))
        content = text if whole else _page(declared, text)
    else:
        path = home / key[:2] / f"{key}.txt"
        # Front matter even when empty: a text that itself starts with a "---" line stays text.
        front = yaml.dump(declared, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=2**20)
        content = f"---\n{front}---\n\n" + text + ("" if text.endswith("\n") else "\n")
    data = content.encode("utf-8", "replace")
    if len(data) > MAX_FILE_BYTES:
        return f"its text is {_TOO_BIG}"
    if orphans and not path.exists():
        _take_over(path, home, orphans)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return path
    except OSError:
        pass
    partial = path.with_suffix(f".{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:  # the index folder's disk, not the archive: not "cannot read it"
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise _Unwritten(exc) from exc
    return path
