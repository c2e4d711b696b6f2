"""RSS 1.0, RSS 2.0 and Atom feeds: the article links they list, with what says they changed."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import feedparser

from assistant.errors import FetchError

MAX_ENTRIES = 500


@dataclass(frozen=True)
class FeedEntry:
    url: str
    entry_id: str
    updated: str | None  # the entry's own updated/published stamp, as the feed writes it
    title: str | None
    published: str | None = None  # when the entry says it was published (else updated), as written
    feed_title: str | None = None  # the feed's own title: its site's name, often with a section


def _plain(title: object) -> str | None:
    """A feed's title as text: a title of type html ("Q&amp;A: the <em>bridge</em>") without
    its markup and entities."""
    if not title:
        return None
    text = " ".join(html.unescape(re.sub(r"<[^>]*>", "", str(title))).split())
    return text or None


def parse_feed(content: bytes, feed_url: str) -> list[FeedEntry]:
    """The entries of a feed document, newest first as the feed lists them.

    Raises FetchError when the document is not a feed or lists no links.
    """
    parsed = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise FetchError(
            f"{feed_url} is not an RSS or Atom feed"
            + (f" ({type(reason).__name__})" if reason else "")
            + "; give the feed's address (often /feed, /rss or /atom.xml), or ingest the page without --feed"
        )
    feed_title = _plain(parsed.get("feed", {}).get("title"))
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in parsed.entries[:MAX_ENTRIES]:
        link = entry.get("link") or next(
            (
                item.get("href")
                for item in entry.get("links", [])
                if item.get("rel", "alternate") == "alternate"
            ),
            None,
        )
        if not link:
            continue
        url = urljoin(feed_url, str(link).strip())
        if urlsplit(url).scheme not in ("http", "https") or url in seen:
            continue
        seen.add(url)
        updated = entry.get("updated") or entry.get("published")
        entries.append(
            FeedEntry(
                url=url,
                entry_id=str(entry.get("id") or url),
                updated=str(updated) if updated else None,
                title=_plain(entry.get("title")),
                published=str(entry.get("published") or updated) if updated else None,
                feed_title=feed_title,
            )
        )
    if not entries:
        broken = parsed.get("bozo_exception") if parsed.get("bozo") else None
        if broken is not None:  # "<item><title>..." never closed: no link read
            line = getattr(broken, "getLineNumber", lambda: None)()
            where = f" at line {line}" if line else ""
            raise FetchError(
                f"the feed at {feed_url} is not well-formed XML{where} ({broken}), so no article link could be read from it"
            )
        raise FetchError(f"the feed at {feed_url} lists no article links")
    return entries
