"""Polite fetching of web pages into snapshot files that ingestion reads like any other file.

A page fetched from `URL` is stored as `SNAPSHOTS/<host>/<hash of URL>.html`
with a sidecar `<hash>.json` recording the URL, its ETag and Last-Modified and
when it was fetched. Citations index the snapshot, so they stay verifiable when
the live page changes; fetching the URL again sends a conditional request and
keeps the snapshot when the server says it has not changed.

Politeness: a user agent that names the tool, a pause between requests to one
host (robots.txt's Crawl-delay if longer), timeouts (per request and in total),
at most 5 redirects, a size limit, retries with exponential backoff on timeouts,
429 and 5xx (honouring a short Retry-After), and robots.txt, unless the user
says otherwise. HTML in another charset is stored as UTF-8, which the loader
reads first.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from assistant.errors import FetchError
from assistant.ingest.charsets import browser_codec, meta_codec
from assistant.ingest.loading import MAX_FILE_BYTES, SNAPSHOT_KIND, SNAPSHOT_SIDECAR_SUFFIX, decode_page

log = logging.getLogger(__name__)

ROBOTS_AGENT = "news-assistant"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
)
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_MAX_RETRY_AFTER_S = 30.0
_MAX_CRAWL_DELAY_S = 30.0
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def _version() -> str:
    try:
        return importlib_metadata.version("news-assistant")
    except importlib_metadata.PackageNotFoundError:
        return "dev"


def user_agent() -> str:
    return (
        f"{ROBOTS_AGENT}/{_version()} (grounded question answering over news; fetches one page per request)"
    )


@dataclass(frozen=True)
class FetchPolicy:
    """How politely to fetch. Built at the edge (CLI, app) and passed down."""

    timeout_s: float = 20.0  # per connect/read; the whole response gets three times this
    max_bytes: int = MAX_FILE_BYTES
    max_redirects: int = 5
    retries: int = 2
    backoff_s: float = 1.0
    respect_robots: bool = True
    min_interval_s: float = 1.0  # between requests to one host (a longer robots.txt Crawl-delay wins, up to 30 s)
    user_agent: str = field(default_factory=user_agent)


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    content: bytes
    content_type: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class Snapshot:
    url: str  # as asked for
    final_url: str  # after redirects
    path: Path
    outcome: Literal["fetched", "not modified"]


def snapshot_path(snapshots_dir: Path, url: str) -> Path:
    host = re.sub(r"[^\w.-]", "_", urlsplit(url).hostname or "unknown-host")[:100]
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:20]
    return snapshots_dir / host / f"{digest}.html"


def read_sidecar(path: Path) -> dict[str, object]:
    sidecar = path.with_suffix(SNAPSHOT_SIDECAR_SUFFIX)
    try:
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) and record.get("kind") == SNAPSHOT_KIND else {}


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url!r} is not a web address; give one that starts with http:// or https://")
    return url.strip()


class Fetcher:
    """Fetches pages with one connection pool, remembering each host's robots.txt."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._client = httpx.Client(
            headers={"User-Agent": self.policy.user_agent},
            timeout=httpx.Timeout(self.policy.timeout_s),
            follow_redirects=True,
            max_redirects=self.policy.max_redirects,
            event_hooks={"response": [self._redirect_allowed]},
        )
        self._robots: dict[str, RobotFileParser | None] = {}
        self._unreadable: dict[str, FetchError] = {}  # origin -> why its robots.txt could not be read
        self._next_request: dict[str, float] = {}  # host -> monotonic time it may be asked again

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- robots.txt -------------------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        if not self.policy.respect_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin in self._unreadable:  # read once per run: every page of a feed's site fails alike
            raise self._unreadable[origin]
        if origin not in self._robots:
            try:
                self._robots[origin] = self._read_robots(origin)
            except FetchError as exc:
                self._unreadable[origin] = exc
                raise
        robots = self._robots[origin]
        return robots is None or robots.can_fetch(ROBOTS_AGENT, url)

    def _redirect_allowed(self, response: httpx.Response) -> None:
        """A redirect is followed only to an address robots.txt allows: the address asked for is
        checked before it is fetched (`get`), each one a redirect leads to here."""
        if not self.policy.respect_robots or not response.has_redirect_location:
            return
        if response.request.url.path == "/robots.txt":
            return  # the rules themselves, moved: reading them is not fetching a page they govern
        try:
            target = response.url.join(response.headers["Location"])
        except (httpx.InvalidURL, ValueError):
            return  # httpx says what is wrong with it as it follows it
        if target.scheme in ("http", "https") and not self.allowed(str(target)):
            raise FetchError(
                f"{response.request.url} redirects to {target}, which the site's robots.txt disallows; pass "
                "--ignore-robots (ingest_urls(..., policy=FetchPolicy(respect_robots=False))) if you may fetch it anyway"
            )

    def _read_robots(self, origin: str) -> RobotFileParser | None:
        """The site's rules; None (everything allowed) when it has no robots.txt."""
        try:
            response = self._get(f"{origin}/robots.txt", accept=("text/plain",), check_type=False)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return None  # no robots.txt: no rules (RFC 9309)
            if exc.status is None:
                raise  # the site cannot be reached at all: say that
            raise FetchError(
                f"cannot read {origin}/robots.txt ({str(exc).removesuffix('; try again later')}); try again "
                "later, or pass --ignore-robots if you may fetch this site anyway"
            ) from exc
        robots = RobotFileParser()
        robots.parse(response.content.decode("utf-8", "replace").splitlines())
        return robots

    # -- fetching ---------------------------------------------------------------------------
    def get(
        self, url: str, accept: tuple[str, ...] = HTML_TYPES, conditional: dict[str, str] | None = None
    ) -> Response:
        """One page, politely; raises FetchError saying what went wrong and what to do."""
        url = _check_url(url)
        if not self.allowed(url):
            raise FetchError(
                f"{url} is disallowed by the site's robots.txt; pass --ignore-robots "
                "(ingest_urls(..., policy=FetchPolicy(respect_robots=False))) if you may fetch it anyway"
            )
        return self._get(url, accept=accept, conditional=conditional)

    def _get(
        self,
        url: str,
        accept: tuple[str, ...],
        conditional: dict[str, str] | None = None,
        check_type: bool = True,
    ) -> Response:
        attempt = 0
        while True:
            try:
                response = self._once(url, accept, conditional or {}, check_type)
            except _Retryable as exc:
                if attempt >= self.policy.retries:
                    raise FetchError(
                        f"{exc.message} (after {attempt + 1} tries); try again later", exc.status
                    ) from None
                delay = exc.retry_after if exc.retry_after is not None else self.policy.backoff_s * 2**attempt
                log.info("%s; retrying in %.1f s", exc.message, delay)
                time.sleep(delay)
                attempt += 1
                continue
            return response

    def _pace(self, url: str) -> None:
        """Wait until this host may be asked again."""
        parts = urlsplit(url)
        interval = self.policy.min_interval_s
        robots = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        if robots is not None:
            delay = robots.crawl_delay(ROBOTS_AGENT)
            if delay:
                interval = max(interval, min(float(delay), _MAX_CRAWL_DELAY_S))
        wait = self._next_request.get(parts.netloc, 0.0) - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._next_request[parts.netloc] = time.monotonic() + interval

    def _once(
        self, url: str, accept: tuple[str, ...], conditional: dict[str, str], check_type: bool
    ) -> Response:
        self._pace(url)
        headers = {"Accept": ", ".join([*accept, "*/*;q=0.1"]), **conditional}
        deadline = time.monotonic() + 3 * self.policy.timeout_s
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304 and conditional:
                    return Response(str(response.url), 304, b"", "", None, None)
                if response.status_code in _RETRY_STATUSES:
                    raise _Retryable(
                        f"{url} answered HTTP {response.status_code}",
                        response.status_code,
                        _retry_after(response.headers.get("Retry-After")),
                    )
                if response.status_code == 304:  # to a request that asked for no comparison
                    raise FetchError(
                        f"{url} answered HTTP 304 Not Modified to a request for the page; try again later",
                        response.status_code,
                    )
                if 300 <= response.status_code < 400:  # a redirect httpx did not follow: nowhere to go
                    raise FetchError(
                        f"{url} answered HTTP {response.status_code} {response.reason_phrase} with no "
                        "address to go on to; check the address",
                        response.status_code,
                    )
                if response.status_code >= 400:
                    raise FetchError(
                        f"{url} answered HTTP {response.status_code} {response.reason_phrase}: "
                        "check the address",
                        response.status_code,
                    )
                content_type = response.headers.get("Content-Type", "")
                media_type = content_type.split(";")[0].strip().lower()
                if check_type and media_type and not media_type.startswith(accept):
                    raise FetchError(
                        f"{url} is {media_type}, not {' or '.join(accept[:2])}; "
                        + (
                            "give the address of an article page (or of a feed, with --feed)"
                            if accept == HTML_TYPES
                            else "give the address of the feed itself (RSS or Atom)"
                            if accept[0] in FEED_TYPES
                            else "give another address"
                        )
                    )
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.policy.max_bytes:
                    raise FetchError(_too_big(url, self.policy.max_bytes))
                body = bytearray()
                for piece in response.iter_bytes():
                    body.extend(piece)
                    if len(body) > self.policy.max_bytes:
                        raise FetchError(_too_big(url, self.policy.max_bytes))
                    if time.monotonic() > deadline:
                        raise _Retryable(f"{url} took longer than {3 * self.policy.timeout_s:.0f} s to send")
                # a page sent with no Content-Type is read as a page: its <meta> may name its charset
                page = media_type in HTML_TYPES or (not media_type and accept == HTML_TYPES)
                return Response(
                    url=str(response.url),
                    status=response.status_code,
                    content=_as_utf8(bytes(body), content_type) if page else bytes(body),
                    content_type=media_type,
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                )
        except httpx.TooManyRedirects:
            raise FetchError(
                f"{url} redirects more than {self.policy.max_redirects} times; check the address"
            ) from None
        except httpx.TimeoutException:
            raise _Retryable(f"{url} did not answer within {self.policy.timeout_s:.0f} s") from None
        except httpx.UnsupportedProtocol as exc:  # a redirect to ftp:, mailto: ...
            raise FetchError(f"{url} leads to an address that is not http or https ({exc}); check the address") from None
        except httpx.DecodingError:
            raise FetchError(
                f"{url} sent a body its Content-Encoding header does not describe; the page cannot be read"
            ) from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"{url} leads to an address that is not valid ({exc}); check the address") from None
        except httpx.RemoteProtocolError as exc:
            if "location header" not in str(exc).lower():
                raise _Retryable(f"{url} broke off its answer ({exc})") from None
            # a redirect to "http://[::1/x": no retry mends it
            raise FetchError(f"{url} leads to an address that is not valid ({exc}); check the address") from None
        except httpx.TransportError as exc:
            host = urlsplit(url).hostname
            raise _Retryable(
                f"cannot reach {host} ({type(exc).__name__}: {exc}); check the address and your network"
            ) from None

    def snapshot(
        self,
        url: str,
        snapshots_dir: Path,
        extra: dict[str, object] | None = None,
        problem: Callable[[Path, Path], str | None] | None = None,
    ) -> Snapshot:
        """Fetch `url` into its snapshot file, or keep the snapshot if the server says it is unchanged.
        A snapshot is what the index's citations quote: a new version replaces it only when
        `problem` (given the new file and the snapshot, why the new one holds no story, or None)
        finds a story in it, so a page that
        turned into a paywall, a login or a consent page leaves the story that was fetched before."""
        url = _check_url(url)
        path = snapshot_path(snapshots_dir, url)
        previous = read_sidecar(path) if path.is_file() else {}
        conditional = {}
        if isinstance(previous.get("etag"), str):
            conditional["If-None-Match"] = str(previous["etag"])
        if isinstance(previous.get("last_modified"), str):
            conditional["If-Modified-Since"] = str(previous["last_modified"])
        response = self.get(url, conditional=conditional)
        if _path_of(response.url) == "/" and not urlsplit(response.url).query and _path_of(url) != "/":
            # the article retired to the home page (not "/?p=123", a WordPress article's address)
            kept = f"; the version fetched {previous.get('fetched_at') or 'before'} is kept" if path.is_file() else ""
            raise FetchError(f"{url} now leads to the site's home page ({response.url}), not an article{kept}")
        sidecar = path.with_suffix(SNAPSHOT_SIDECAR_SUFFIX)
        if response.status == 304:
            record = {
                **previous,
                **(extra or {}),
                "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            sidecar.write_text(json.dumps(record, indent=1), encoding="utf-8")
            return Snapshot(url, str(previous.get("url") or url), path, "not modified")
        path.parent.mkdir(parents=True, exist_ok=True)
        # A file of this fetch's own (two ingests may fetch one address at once), named as a page
        # so that `problem` reads it as the snapshot would be read.
        handle, name = tempfile.mkstemp(prefix=f"{path.stem}.", suffix=f".part{path.suffix}", dir=path.parent)
        partial = Path(name)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(response.content)
            partial.chmod(0o644)  # as a file written plainly is (mkstemp's is its owner's alone)
            if problem is not None and path.is_file() and path.read_bytes() != response.content:
                why = problem(partial, path)
                if why is not None:
                    fetched = previous.get("fetched_at") or "before"
                    raise FetchError(f"the page now holds no story: {why}; the version fetched {fetched} is kept")
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        record = {
            "kind": SNAPSHOT_KIND,
            "url": response.url,
            "requested_url": url,
            "etag": response.etag,
            "last_modified": response.last_modified,
            "content_type": response.content_type,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            # what a feed said of the page stays when it is fetched again by its address
            **{k: v for k, v in previous.items() if k.startswith("feed_")},
            **(extra or {}),
        }
        sidecar.write_text(json.dumps(record, indent=1), encoding="utf-8")
        return Snapshot(url, response.url, path, "fetched")


class _Retryable(Exception):
    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return min(float(value.strip()), _MAX_RETRY_AFTER_S)
    return None


def _too_big(url: str, limit: int) -> str:
    return f"{url} is larger than the {limit / 2**20:.0f} MB limit; save the article's text as a file instead"


def _path_of(url: str) -> str:
    """The path of an address, "/" for none ("https://x.com" and "https://x.com/" are the home page)."""
    return urlsplit(url).path or "/"


def _as_utf8(content: bytes, content_type: str) -> bytes:
    """An HTML page as UTF-8 when the server or the page names another charset. As browsers
    read a page: a byte-order mark comes first, then the server's charset (one a browser
    knows), then the page's own, each name meaning what it means to a browser (ISO-8859-1 is
    windows-1252, Shift_JIS is cp932: charsets.py). A page the server's charset does not decode
    is kept as sent. The page's own <meta> is read as the loader reads a saved page
    (`decode_page`): believed unless the bytes are UTF-8 (a page re-saved as UTF-8 keeps its
    old meta), never UTF-16 when named in ASCII; so a page stores the same text whether it was
    fetched with no charset from the server or saved and ingested as a file."""
    for bom, charset in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            try:
                return content.decode("utf-8-sig" if charset == "utf-8" else charset).encode("utf-8")
            except UnicodeDecodeError:
                return content
    header = _CHARSET.search(content_type)
    codec = browser_codec(header.group(1)) if header else None
    if codec is None:
        return content if meta_codec(content) in (None, "utf-8") else decode_page(content).encode("utf-8")
    if codec == "utf-8":
        return content
    try:
        return content.decode(codec).encode("utf-8")
    except UnicodeDecodeError:
        return content
