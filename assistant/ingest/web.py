"""Article URLs and feeds to snapshot files, which then go through the normal file ingestion."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import FetchError
from assistant.ingest.documents import story_problem
from assistant.ingest.feeds import parse_feed
from assistant.ingest.fetch import FEED_TYPES, Fetcher, read_sidecar, snapshot_path
from assistant.types import FileResult

log = logging.getLogger(__name__)


@dataclass
class Snapshots:
    """Snapshot files to ingest, by the URL they came from, and the URLs that could not be fetched."""

    files: dict[Path, str] = field(default_factory=dict)
    skipped: list[FileResult] = field(default_factory=list)

    def skip(self, url: str, reason: str) -> None:
        log.warning("skipped %s: %s", url, reason)
        self.skipped.append(FileResult(url, "skipped", reason))


def snapshot_pages(urls: list[str], snapshots_dir: Path, fetcher: Fetcher) -> Snapshots:
    found = Snapshots()
    for url in urls:
        try:
            snapshot = fetcher.snapshot(url, snapshots_dir, problem=story_problem)
        except FetchError as exc:
            found.skip(url, str(exc))
            continue
        found.files[snapshot.path.resolve()] = url
    return found


def snapshot_feeds(feed_urls: list[str], snapshots_dir: Path, fetcher: Fetcher) -> Snapshots:
    """Each feed's articles. An entry whose snapshot exists and whose feed stamp has not
    changed is not fetched again; the others are fetched (conditionally when a snapshot exists)."""
    found = Snapshots()
    for feed_url in feed_urls:
        try:
            response = fetcher.get(feed_url, accept=(*FEED_TYPES, "text/plain", "text/html"))
            entries = parse_feed(response.content, response.url)
        except FetchError as exc:
            found.skip(feed_url, str(exc))
            continue
        for entry in entries:
            path = snapshot_path(snapshots_dir, entry.url)
            previous = read_sidecar(path) if path.is_file() else {}
            if previous and entry.updated is not None and previous.get("feed_entry_updated") == entry.updated:
                found.files[path.resolve()] = entry.url
                continue
            try:
                snapshot = fetcher.snapshot(
                    entry.url,
                    snapshots_dir,
                    extra={
                        "feed": feed_url,
                        "feed_entry_id": entry.entry_id,
                        "feed_entry_updated": entry.updated,
                        "feed_entry_title": entry.title,
                        "feed_entry_published": entry.published,
                        "feed_title": entry.feed_title,
                    },
                    problem=story_problem,
                )
            except FetchError as exc:
                found.skip(entry.url, str(exc))
                continue
            found.files[snapshot.path.resolve()] = entry.url
    return found
