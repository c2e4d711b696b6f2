"""Reading article files: bytes to text, and HTML to plain text with an offset map.

Every character of the plain text remembers the span of the source text it came
from, so a quote taken from the plain text can be cited by its exact offsets in
the source file.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.ingest.charsets import browser_codec, meta_codec
from assistant.ingest.html_text import OffsetMap, PageFacts, html_to_text

HTML_SUFFIXES = (".html", ".htm")
# A page saved as one file ("Webpage, Single File" in Chrome and Edge): MIME parts, the page's
# HTML first. Its text is that HTML, decoded; citation offsets index into it.
MHTML_SUFFIXES = (".mhtml", ".mht")
MHTML_SIZE_FACTOR = 5  # a single-file page may be this many times MAX_FILE_BYTES (its images)
PAGE_SUFFIXES = (*HTML_SUFFIXES, *MHTML_SUFFIXES)  # files whose text is HTML
SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", *PAGE_SUFFIXES)  # one article a file
ARCHIVE_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".tsv")  # one article a record: see archives.py
INGESTED_SUFFIXES = (*SUPPORTED_SUFFIXES, *ARCHIVE_SUFFIXES)  # every file an ingest reads
COMPRESSED_SUFFIX = ".gz"  # an archive may be gzip-compressed: news.jsonl.gz

MAX_FILE_BYTES = 20 * 1024 * 1024
SNAPSHOT_SIDECAR_SUFFIX = ".json"  # beside a fetched page: {"kind": SNAPSHOT_KIND, "url": ..., ...}
SNAPSHOT_KIND = "news-assistant snapshot"


def archive_suffix(path: Path) -> str | None:
    """The kind of archive a file is (".jsonl", ".csv", …), gzip-compressed or not; else None."""
    suffix = Path(path.name.lower().removesuffix(COMPRESSED_SUFFIX)).suffix
    return suffix if suffix in ARCHIVE_SUFFIXES else None


def is_ingested(path: Path) -> bool:
    """Whether an ingest reads this file: an article file or an archive of articles."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES or archive_suffix(path) is not None


class UnreadableFileError(Exception):
    """A file that cannot become an article; the message says why."""


@dataclass(frozen=True)
class FeedItem:
    """What the feed that listed a fetched page says of it, as its snapshot's sidecar records it:
    the item's title and date and the feed's own title. A page that states none of these itself
    takes them from here."""

    title: str | None = None
    published: str | None = None  # as the feed writes it ("Tue, 03 Dec 2024 10:00:00 GMT")
    feed_title: str | None = None


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
    listed: FeedItem | None = None

    @property
    def is_html(self) -> bool:
        return self.offsets is not None

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `plain` to the source text."""
        if self.offsets is None:
            return start, end
        return self.offsets.span(start, end)


# Byte order marks, longest first: UTF-32's little-endian mark begins with UTF-16's.
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_BOM_BYTES = tuple(bom for bom, _ in BOMS)
# C0 control characters that no text uses (tab, line feed, form feed, carriage return and
# escape are left out); a text where more than MAX_CONTROL_SHARE of them appear is binary.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_CONTROL_CHARS = re.compile("[" + re.escape(_CONTROL_BYTES.decode("ascii")) + "]")
MAX_CONTROL_SHARE = 0.01


def decode(data: bytes) -> str:
    """By its byte order mark (UTF-8, UTF-16 or UTF-32), else UTF-8, where a byte that is not
    UTF-8 is read as cp1252 (else latin-1): a file of Windows text is read as such, and one
    stray byte in a UTF-8 file ("\\x92" pasted from Word) does not turn its every "é" into "Ã©".
    A file whose BOM promises more than its bytes hold falls through to the next guess."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                break
    if (unmarked := _utf16_without_bom(data)) is not None:
        return unmarked
    return data.decode("utf-8", errors=_BYTE_AS_CP1252)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte order mark (some Windows tools): text of Latin letters is
    then a NUL every other byte, which read as UTF-8 is "a binary file". Its text when every
    second byte (of one parity) is NUL and almost none of the others are, and it decodes."""
    if len(data) < 16 or len(data) % 2:
        return None
    half = len(data) // 2
    for encoding, nuls, others in (("utf-16-le", data[1::2], data[0::2]), ("utf-16-be", data[0::2], data[1::2])):
        if nuls.count(0) >= 0.95 * half and others.count(0) <= 0.01 * half:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _byte_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: the bytes UTF-8 could not read, each as cp1252 reads it (the five
    bytes cp1252 leaves undefined as latin-1)."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return "".join(_CP1252[b] for b in bad), error.end


_CP1252 = [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]
_BYTE_AS_CP1252 = "assistant-byte-as-cp1252"
codecs.register_error(_BYTE_AS_CP1252, _byte_as_cp1252)


def decode_page(data: bytes) -> str:
    """A page's text (.html, .htm, a fetched snapshot): by its byte order mark; else as UTF-8
    when its bytes are UTF-8, whatever its <meta> says (a page re-saved as UTF-8 often keeps
    the meta of the charset it was in, and every snapshot the fetcher stored in UTF-8 does);
    else in the charset its <meta charset> or http-equiv Content-Type names, as a browser
    reads that name (charsets.py), when the bytes decode so; else as `decode` reads any file
    (a windows-1252 page holding one of the five bytes Python's cp1252 leaves out reads the
    same there). ISO-2022-JP, whose bytes are all ASCII and so UTF-8, is tried before UTF-8
    when the page names it. A page without a <meta> naming a charset reads as any file does."""
    codec = None if data.startswith(_BOM_BYTES) else meta_codec(data)
    if codec is None or codec == "utf-8":
        return decode(data)
    for encoding in ((codec, "utf-8") if codec == "iso2022_jp" else ("utf-8", codec)):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return decode(data)


def _file_text(path: Path, data: bytes) -> str:
    """The text of a file that is not a single-file page. `load` at ingest and `read_text` when a
    citation is checked both read a file here, so a citation's offsets index the text it was
    quoted from."""
    return decode_page(data) if path.suffix.lower() in HTML_SUFFIXES else decode(data)


def looks_binary(text: str) -> bool:
    """A NUL anywhere, or control characters in more than 1% of the text: not an article.
    Both scans run in C over the whole text (a NUL past the first kilobytes is found); the
    count is a regular expression's, a tenth of the time `str.translate` took (a lookup per
    character) on a page of HTML."""
    if "\x00" in text:
        return True
    controls = _CONTROL_CHARS.subn("", text)[1]
    return controls > MAX_CONTROL_SHARE * len(text)


def read_text(path: Path | str) -> str:
    """The decoded text of a file: the text that citation offsets index into (of a single-file
    page, `.mhtml`, its HTML). `Citation.path` as it is (a string) will do."""
    path = Path(path)
    if path.suffix.lower() in MHTML_SUFFIXES:
        stat = path.stat()
        return _mhtml_text(str(path), stat.st_mtime_ns, stat.st_size)
    return _file_text(path, path.read_bytes())


@lru_cache(maxsize=4)
def _mhtml_text(path: str, mtime_ns: int, size: int) -> str:
    """A single-file page's HTML, kept for the next quote of the same file: an 8 MB page (its
    images inside) takes 0.2 s to take apart, and an answer's quotes read their file one by one."""
    return mhtml_page(Path(path).read_bytes())[0]


def mhtml_page(data: bytes) -> tuple[str, str | None]:
    """The HTML of a page saved as one file (the part at the address it was saved from, else the
    first HTML part), decoded, and that address; UnreadableFileError when it holds none."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    address = message.get("Snapshot-Content-Location") or message.get("Content-Location")
    pages = [part for part in message.walk() if part.get_content_type() == "text/html"]
    if not pages:
        raise UnreadableFileError("it holds no HTML page (a single-file page's MIME parts have none)")
    page = next((p for p in pages if address and p.get("Content-Location") == address), pages[0])
    payload = page.get_payload(decode=True)
    body = payload if isinstance(payload, bytes) else b""
    # As a fetched page: a byte order mark, else the part's charset as a browser reads it, else
    # what the page's <meta> names.
    charset = page.get_content_charset()
    codec = browser_codec(charset) if charset and not body.startswith(_BOM_BYTES) else None
    try:
        text = body.decode(codec) if codec else decode_page(body)
    except UnicodeDecodeError:
        text = decode_page(body)
    url = str(address) if address and str(address).startswith(("http://", "https://")) else None
    return text, url


# Archives of files (not of records: .jsonl, .json, .csv and their .gz are read): a user's
# download of a site's articles, or a folder someone zipped to hand over.
_FILE_ARCHIVES = (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip", ".7z", ".rar")


def unsupported(path: Path) -> str:
    """Why a file of a type no reader takes is skipped; an archive of files is said as such."""
    name = path.name.lower()
    archive = next((s for s in _FILE_ARCHIVES if name.endswith(s)), None)
    if archive is not None:
        return f"a {archive} archive of files: unpack it and ingest the folder (archives of records, .jsonl, .json or .csv, gzipped or not, are read)"
    return f"unsupported file type {path.suffix.lower() or '(none)'}"


def load(path: Path) -> SourceText:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFileError(f"{unsupported(path)}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    # A single-file page carries its images too: the limit is on its HTML, the file may be larger.
    limit = MAX_FILE_BYTES * (MHTML_SIZE_FACTOR if suffix in MHTML_SUFFIXES else 1)
    try:
        size = path.stat().st_size
        if size > limit:
            raise UnreadableFileError(f"file is {size / 2**20:.1f} MB; the limit is {limit // 2**20} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"cannot read it: {exc.strerror or exc}") from exc
    url = None
    if suffix in MHTML_SUFFIXES:
        text, url = mhtml_page(data)
        if len(text) > MAX_FILE_BYTES:
            raise UnreadableFileError(
                f"its page is {len(text) / 2**20:.1f} MB of HTML; the limit is {MAX_FILE_BYTES // 2**20} MB"
            )
    else:
        text = _file_text(path, data)
    if looks_binary(text):
        raise UnreadableFileError("it looks like a binary file, not text")
    if not text.strip():
        raise UnreadableFileError("it is empty")
    if suffix in PAGE_SUFFIXES:
        return _from_html(path, text, url)
    return SourceText(path=path, source=text, plain=text)


def _from_html(path: Path, source: str, url: str | None = None) -> SourceText:
    page = html_to_text(source)
    if not page.plain.strip():
        raise UnreadableFileError("the HTML holds no readable text")
    record = _snapshot_record(path)
    return SourceText(
        path=path,
        source=source,
        plain=page.plain,
        offsets=page.offsets,
        furniture=page.furniture,
        facts=page.facts,
        url=url or _record_url(record),
        listed=_feed_item(record),
    )


def is_sidecar(path: Path) -> bool:
    """Whether `path` is the record a fetch wrote beside its snapshot (`<hash>.json` beside
    `<hash>.html`): part of the page, not an archive of articles."""
    if path.suffix.lower() != SNAPSHOT_SIDECAR_SUFFIX:
        return False
    return any(path.with_suffix(s).is_file() and _snapshot_record(path.with_suffix(s)) for s in PAGE_SUFFIXES)


def fingerprint(path: Path, reading: str) -> str | None:
    """What tells an unchanged file without reading its story again: a digest of its bytes, of
    the fetch's sidecar beside it (its address and feed date are the article's too) and of
    `reading`, the versions and settings that read it. None when the file cannot be read or is
    over the size limit: the full reading says why."""
    digest = hashlib.blake2b(reading.encode("utf-8"), digest_size=16)
    try:
        if path.stat().st_size > MAX_FILE_BYTES * MHTML_SIZE_FACTOR:
            return None
        digest.update(path.read_bytes())
        sidecar = path.with_suffix(SNAPSHOT_SIDECAR_SUFFIX)
        if sidecar != path and sidecar.is_file():
            digest.update(b"\0sidecar\0")
            digest.update(sidecar.read_bytes()[:1_000_001])
    except OSError:
        return None
    return digest.hexdigest()


def _snapshot_record(path: Path) -> dict[str, object]:
    """The sidecar file a fetch wrote beside this snapshot; {} for any other file."""
    sidecar = path.with_suffix(SNAPSHOT_SIDECAR_SUFFIX)
    try:
        if not sidecar.is_file() or sidecar.stat().st_size > 1_000_000:
            return {}
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # any .json beside a file, nested too deeply too
        return {}
    return record if isinstance(record, dict) and record.get("kind") == SNAPSHOT_KIND else {}


def _record_url(record: dict[str, object]) -> str | None:
    url = record.get("url")
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None


def _feed_item(record: dict[str, object]) -> FeedItem | None:
    def text(key: str) -> str | None:
        value = record.get(key)
        if not isinstance(value, str):
            return None
        return " ".join(value.split())[:1000] or None

    if "feed" not in record:
        return None
    return FeedItem(text("feed_entry_title"), text("feed_entry_published"), text("feed_title"))


def snapshot_url(path: Path) -> str | None:
    """The URL a fetched snapshot came from, as its sidecar file records it."""
    return _record_url(_snapshot_record(path))
