"""Bringing files into the index: new, changed, moved, unchanged, gone.

Articles stream through bounded batches: a reader thread loads, cleans and chunks files; the
calling thread embeds a batch of about `batch_chunks` chunks (sorted by length, so little is
padding); a writer thread stores the previous batch meanwhile. Memory holds a few batches
whatever the corpus size, and a run killed at any moment loses at most the batches not yet
committed: running the same command again skips every article already stored.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import logging
import os
import queue
import re
import sys
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import numpy as np

from assistant import __version__
from assistant.errors import AssistantError
from assistant.ingest import archives
from assistant.ingest.archives import is_archive
from assistant.ingest.cleaning import CLEANER_VERSION, READ_RULES
from assistant.ingest.documents import Article, build_article, content_id
from assistant.ingest.loading import (
    HTML_SUFFIXES,
    UnreadableFileError,
    fingerprint,
    is_ingested,
    is_sidecar,
    load,
    snapshot_url,
    unsupported,
)
from assistant.search.embedding import MiniLMEmbedder, passage_text
from assistant.search.index import ArticleIndex, Written, read_anew
from assistant.search.store import is_index_folder, storage_error
from assistant.types import FileOutcome, FileResult, IngestReport

log = logging.getLogger(__name__)
READ_ANEW = "read anew: the same text, with another title, outlet, date, story or address"


@dataclass
class IngestProgress:
    """Where an ingest stands: files read of all files; chunks of the articles read that are
    to be stored (new or changed), and of those how many are embedded and stored. The encoder
    is most of an ingest's time, so the rate and what is left are counted in chunks embedded,
    which move while one long article is embedded as well as over many short ones."""

    files_total: int = 0
    files_done: int = 0
    unit: str = "files"  # "articles" once an archive's records are among them: its one file is many
    articles_stored: int = 0
    chunks_stored: int = 0
    chunks_read: int = 0
    chunks_embedded: int = 0
    finished: bool = False  # set once the last batch is stored
    started: float = field(default_factory=time.monotonic)
    embedding_since: float | None = None  # when the first chunk to embed was read
    _shown: float = field(default=0.0, init=False, repr=False, compare=False)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def chunks_per_second(self) -> float:
        """Chunks embedded a second since the first chunk to embed was read."""
        if self.embedding_since is None:
            return 0.0
        return self.chunks_embedded / max(time.monotonic() - self.embedding_since, 1e-3)

    @property
    def chunks_expected(self) -> int:
        """The chunks this run will embed: those read so far, and as many again for the files
        not read yet as the files read held on average."""
        if not self.files_done or self.files_done >= self.files_total:
            return self.chunks_read
        return max(self.chunks_read, round(self.chunks_read / self.files_done * self.files_total))

    @property
    def fraction(self) -> float:
        """How far the run is, 0 to 1: by chunks embedded once any are expected, else by files
        (a run of unchanged files embeds nothing). What is expected is an estimate, and a run
        of unchanged files then a new one switches from files to chunks, so the share shown
        never moves back (it waits where it was); it is 1 only once the last batch is stored."""
        if self.finished:
            return 1.0
        if self.chunks_expected:
            now = self.chunks_embedded / self.chunks_expected
        else:
            now = self.files_done / self.files_total if self.files_total else 0.0
        self._shown = max(self._shown, min(now, 0.99))
        return self._shown

    @property
    def eta_seconds(self) -> float | None:
        """Seconds left, the longer of what the files not read yet take to read at the rate
        files were read so far and what the chunks expected and not embedded yet take to embed
        at the rate chunks were embedded so far; None while either is unknown."""
        if self.finished:
            return 0.0
        left = 0.0
        files_left = self.files_total - self.files_done
        if files_left > 0:
            if not self.files_done:
                return None
            left = files_left * self.elapsed / self.files_done
        chunks_left = self.chunks_expected - self.chunks_embedded
        if chunks_left > 0:
            if not self.chunks_embedded:
                return None
            left = max(left, chunks_left / self.chunks_per_second)
        return left

    @property
    def time_left(self) -> str | None:
        """"about 3 min left", once a tenth of the run is done (before, the encoder's start and
        the first files' reading made it swing: "about 7 min", then "11 min", of a 62 s upload)
        and while the run is not finished."""
        eta = self.eta_seconds
        if eta is None or self.finished or self.fraction < ESTIMATE_FROM:
            return None
        return "a few seconds left" if eta < 5 else f"about {_duration(eta)} left"

    def describe(self) -> str:
        """The run's figures, as the terminal's bar and a log show them."""
        left = self.time_left
        left = f", {left}" if left else ""
        return (
            f"{self.files_done:,}/{self.files_total:,} {self.unit}, {self.articles_stored:,} articles "
            f"({self.chunks_stored:,} chunks) stored, {self.chunks_embedded:,}/{self.chunks_expected:,} "
            f"chunks embedded, {self.chunks_per_second:.1f} chunks/s{left}"
        )


Progress = Callable[[IngestProgress], None]
ESTIMATE_FROM = 0.1  # the share done from which the time left is told


def _duration(seconds: float) -> str:
    """A time left as an estimate says it: seconds by fives under a minute, then minutes, then
    hours and minutes ("85 s", "1 min", "87 s" read as going down and up again)."""
    if seconds < 57.5:
        return f"{max(5, round(seconds / 5) * 5)} s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


# What browsers call the folder of a page saved "complete" (Chrome, Edge and Firefox: NAME_files;
# localised in some languages: NAME-Dateien, NAME_fichiers, ...), beside NAME.html.
SAVED_RESOURCES_SUFFIXES = ("_files", "-Dateien", "_fichiers", "_archivos", "_arquivos", "-bestanden")


def saved_with(folder: Path) -> Path | None:
    """The page a browser saved this folder of its resources with; None for any other folder."""
    for suffix in SAVED_RESOURCES_SUFFIXES:
        stem = folder.name[: -len(suffix)]
        if folder.name.endswith(suffix) and stem:
            for extension in (*HTML_SUFFIXES, *(x.upper() for x in HTML_SUFFIXES)):
                page = folder.with_name(stem + extension)
                if page.is_file():
                    return page
    return None


# What a file manager or a browser adds to the name of a second copy: "x (copy).txt", "x - Copy.txt",
# "x (1).html", "x copy 2.txt".
_COPY_MARK = re.compile(r"(?:\s*-\s*|\s+)(?:\(copy(?:\s*\d+)?\)|copy(?:\s*\d+)?|\(\d+\))$", re.IGNORECASE)


def _reading_order(path: Path) -> tuple[str, bool, str]:
    """A folder's files in name order, a copy after its original ("x (copy).txt" sorted before
    "x.txt", as " " before ".", and the original was skipped as the copy's twin)."""
    stem = path.name.removesuffix(path.suffix)
    original = _COPY_MARK.sub("", stem) or stem  # " (copy).txt" names no original
    return (str(path.with_name(original)), original != stem, path.name)


_UNREADABLE_FOLDER = "a folder it may not read (permission denied): none of its files were read"


def _readable_folder(folder: Path) -> bool:
    """Whether the folder's names and files may be read (an unreadable subfolder of the folder
    named stopped the whole ingest, said as an index folder that cannot be written)."""
    return os.access(folder, os.R_OK | os.X_OK)


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Files to ingest from files and folders (recursive), and what was passed over, each named
    by its absolute path as the files read are."""
    files: list[Path] = []
    skipped: list[FileResult] = []
    for path in paths:
        if path.is_dir():
            if not _readable_folder(path):
                skipped.append(FileResult(_shown(path), "skipped", _UNREADABLE_FOLDER))
                continue
            children = sorted(path.rglob("*"), key=_reading_order)
            # A folder it may not read is passed over, said once (rglob lists it and none of its files).
            locked = {c for c in children if c.is_dir() and not c.is_symlink() and not _readable_folder(c)}
            skipped += [FileResult(_shown(c), "skipped", _UNREADABLE_FOLDER) for c in sorted(locked)]
            children = [c for c in children if c not in locked and not any(parent in locked for parent in c.parents)]
            # An index folder (the one in use, kept beside the articles, or another; embedded or
            # of a server) holds the index's own files, not articles: passed over whole, in one line.
            indexes = {c for c in children if c.is_dir() and is_index_folder(c)}
            if is_index_folder(path):
                indexes.add(path)
            skipped += [FileResult(_shown(i), "skipped", "an index folder, not articles") for i in sorted(indexes)]
            # A page saved "complete" by a browser keeps its scripts, styles, images and frames
            # (ads, widgets: .html too) in a folder beside it: passed over whole, in one line.
            resources = {c: page for c in children if c.is_dir() and (page := saved_with(c)) is not None}
            skipped += [
                FileResult(_shown(folder), "skipped", f"what a browser saved with {page.name} (scripts, styles, frames), not articles")
                for folder, page in sorted(resources.items())
            ]
            passed = indexes | set(resources)
            for child in children:
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                if passed and (child in passed or any(parent in passed for parent in child.parents)):
                    continue
                if child.is_file() and not _nameable(child):
                    skipped.append(FileResult(_shown(child), "skipped", _UNNAMEABLE))
                elif child.is_file():
                    if is_sidecar(child):
                        continue  # a fetched page's record of its address: read with the page
                    if is_ingested(child):
                        files.append(child.resolve())
                    elif child.name.lower() not in ("readme", "license"):
                        skipped.append(FileResult(_shown(child), "skipped", unsupported(child)))
                elif child.is_symlink() and not child.exists():
                    skipped.append(FileResult(_shown(child), "skipped", _broken_link(child)))
                elif child.is_symlink():  # a linked folder: not walked, so a link loop cannot recur
                    reason = f"a link to the folder {os.readlink(child)}, not followed; name it to ingest it"
                    skipped.append(FileResult(_shown(child), "skipped", reason))
        elif path.is_file() and not _nameable(path):
            skipped.append(FileResult(_shown(path), "skipped", _UNNAMEABLE))
        elif path.is_file():
            files.append(path.resolve())
        elif path.is_symlink():
            skipped.append(FileResult(_shown(path), "skipped", _broken_link(path)))
        elif path.exists():  # /dev/null, a pipe, a socket: there, but no file of articles
            skipped.append(FileResult(_shown(path), "skipped", "not a file or folder (a device, pipe or socket)"))
        elif scheme := re.match(r"^([A-Za-z][A-Za-z0-9+.-]+):/", str(path)):  # "ftp://host/x" (as "ftp:/host/x"); not "C:/"
            web = scheme[1].lower() in ("http", "https")  # "http:/host/x", a slash short
            why = "a web address needs two slashes: http://host/page" if web else "only http:// and https:// addresses are fetched"
            skipped.append(FileResult(str(path), "skipped", why))
        else:
            skipped.append(FileResult(_shown(path), "skipped", "no such file or folder"))
    return list(dict.fromkeys(files)), skipped


_UNNAMEABLE = "its name is not valid UTF-8 (it was made on a system with another encoding); rename it"


def _nameable(path: Path) -> bool:
    """Whether the file's name can be stored and shown: a name of bytes that are not UTF-8
    ("caf\\xe9.txt" from a Latin-1 system) reaches Python as lone surrogates."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(path: Path) -> str:
    """The path for a message: its absolute form, undecodable bytes written as \\xNN."""
    return os.fsencode(os.path.abspath(path)).decode("utf-8", "backslashreplace")


def _broken_link(link: Path) -> str:
    try:
        link.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link to itself, or round a ring of links
            return f"a loop of links: it points to {os.readlink(link)}, which leads back to it"
    return f"a broken link: it points to {os.readlink(link)}, which cannot be found"


def embedding_text(article: Article, chunk_text: str) -> str:
    """What the model embeds for a chunk (`passage_text`: its headline, then the chunk)."""
    return passage_text(article.title, chunk_text)


_DONE = object()
T = TypeVar("T")
FIRST_BATCH = 64  # chunks: the encoder starts after a few articles are read, then batches double
LAST_PART = 32  # chunks: the smallest part of the last batch (one encoder batch)
TELL_EVERY_S = 0.5  # the encoder's and the reader's progress is told no more often than this


def ingest(
    paths: Iterable[Path],
    index: ArticleIndex,
    embedder: MiniLMEmbedder,
    chunk_tokens: int,
    chunk_overlap: int,
    prune: bool = False,
    progress: Progress | None = None,
    batch_chunks: int = 512,
    lock: bool = True,
) -> IngestReport:
    """Add new and changed files, recognise moved ones, and with `prune` forget articles
    whose files are gone. Holds the index's ingest lock throughout (`lock=False`: the caller
    holds it). A write the index's folder cannot take raises an error that says why (DiskFullError
    for a full disk, StoreUnavailableError for a read-only folder); what was stored before it is
    kept, and the next run goes on from there."""
    run = _Run(index, embedder, chunk_tokens, chunk_overlap, progress, batch_chunks)
    try:
        if not lock:
            return run.run(paths, prune)
        with index.writing():
            return run.run(paths, prune)
    except AssistantError:
        raise
    except Exception as exc:
        settings = index.settings
        storage = storage_error(Path(settings.index_dir), exc, "the ingest stopped", server=settings.chroma_url)
        if storage is not None:
            raise storage from exc
        raise


class _Run:
    def __init__(
        self,
        index: ArticleIndex,
        embedder: MiniLMEmbedder,
        chunk_tokens: int,
        chunk_overlap: int,
        progress: Progress | None,
        batch_chunks: int,
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.chunk_tokens = chunk_tokens
        self.chunk_overlap = chunk_overlap
        self._reading = reading(chunk_tokens, chunk_overlap)
        self.on_progress = progress
        self.batch_chunks = batch_chunks
        self.report = IngestReport()
        self.names: dict[str, str] = {}  # an article file written from an archive -> "ARCHIVE#N"
        self._shared: set[str] = set()  # paths more than one article is listed at, as the run began
        self.state = IngestProgress()
        self._results_lock = threading.Lock()
        self._progress_lock = threading.Lock()  # the counts and the calls to `on_progress`, one at a time
        self._told = 0.0  # when the encoder's progress was last told
        self._stop = threading.Event()
        # The reader runs up to two batches ahead, so the encoder never waits for it.
        self._ahead = _Budget(2 * batch_chunks, self._stop)

    def _unpack(self, files: list[Path], prune: bool) -> tuple[list[Path], list[FileResult]]:
        """Archives (JSON Lines, JSON, CSV) replaced by the article files written from their
        records, in the index folder; results name those files by their records (`ARCHIVE#N`).
        With `prune`, the files of archives that are gone go first, so that prune forgets them."""
        folder = Path(self.index.settings.index_dir) / archives.ARCHIVES_FOLDER
        if prune:
            archives.drop_gone(folder)
        given = [f for f in files if is_archive(f)]
        if not given:
            return files, []
        log.info("reading the articles of %d archive(s)", len(given))
        self.state.unit = "articles"  # what is counted read: the archives' records, each a file of ours

        def counted(files_so_far: int) -> None:  # the terminal shows the count growing meanwhile
            self.state.files_total = files_so_far
            self._tick()

        unpacked = archives.unpack(given, folder, prune, progress=counted)
        self.names.update({str(path): name for path, name in unpacked.files.items()})
        # An article file may be named too (a rebuild reads the index folder's files again): once.
        return list(dict.fromkeys([*(f for f in files if not is_archive(f)), *unpacked.files])), unpacked.skipped

    def _name(self, path: str) -> str:
        """A file as the user knows it: an archive's record ("ARCHIVE#N"), a fetched page's
        address (its snapshot's sidecar records it), else its path."""
        return self.names.get(path) or snapshot_url(Path(path)) or path

    def _result(self, result: FileResult) -> None:
        if result.path in self.names:
            result = replace(result, path=self.names[result.path])
        with self._results_lock:
            self.report.results.append(result)
            if result.outcome == "skipped":  # a fetched page by its address, not its snapshot's file
                page = Path(result.path).suffix.lower() in HTML_SUFFIXES
                log.warning("skipped %s: %s", (page and snapshot_url(Path(result.path))) or result.path, result.reason)

    def _tick(self) -> None:
        if self.on_progress is not None:
            with self._progress_lock:
                self.on_progress(self.state)

    def _embedded(self, chunks: int) -> None:
        """The encoder's sessions count what they embed."""
        with self._progress_lock:
            self.state.chunks_embedded += chunks
        self._tick_soon()

    def _tick_soon(self) -> None:
        """Tell the progress of a step that comes often (a batch embedded, a file read), at most
        every TELL_EVERY_S."""
        with self._progress_lock:
            now = time.monotonic()
            if now - self._told < TELL_EVERY_S:
                return
            self._told = now
        self._tick()

    def run(self, paths: Iterable[Path], prune: bool) -> IngestReport:
        paths = list(paths)
        files, passed_over = expand(paths)
        files, unread = self._unpack(files, prune)  # the archives' own files: the run holds only their names
        for result in [*passed_over, *unread]:
            self._result(result)
        self.state.files_total = len(files)
        self._tick()
        known_paths = self.index.catalog.paths()
        self._shared = self.index.catalog.shared_paths()
        articles: queue.Queue[object] = queue.Queue()  # bounded by self._ahead, in chunks
        batches: queue.Queue[object] = queue.Queue(maxsize=1)
        failure: list[BaseException] = []
        reader = threading.Thread(
            target=self._guard, args=(self._read, failure, files, known_paths, articles), daemon=True
        )
        writer = threading.Thread(target=self._guard, args=(self._write, failure, batches), daemon=True)
        reader.start()
        writer.start()
        try:
            for batch in self._batches(articles, failure):
                batches.put(batch)
        finally:
            self._stop.set()
            batches.put(_DONE)
            writer.join()
        if failure:
            raise failure[0]
        if prune:
            # the files and folders named, and the folders their archives' records were written to
            self._prune([Path(os.path.abspath(p)) for p in paths] + [Path(f).parent for f in self.names])
        self._rules_read()
        self.state.finished = True
        self._tick()
        return self.report

    def _rules_read(self) -> None:
        """In an index read by older title, outlet and date rules, every article this run or an
        earlier one read by this version's (unchanged, read anew or new) is up to date; when that
        is every article the index lists, the index records the rules, else the user is told how
        many are left (an ingest of the index's folder, then of its uploads, counted the folder's
        again). A moved article is not counted: it is read anew by the next run."""
        store = self.index.store
        if not store.read_by_older_rules():
            return
        read = {r.doc_id for r in self.report.results if r.doc_id and r.outcome in ("unchanged", "updated", "added")}
        listed = self.index.catalog.article_count()
        left = self.index.catalog.note_read(read, READ_RULES)
        if left <= 0:
            store.record_rules_read()
            self.index.catalog.forget_read()
            log.info("the titles, outlets and dates of all %d articles are read by this version's rules", listed)
        else:
            log.warning(
                "%d of the %d articles of %s were not among the files read: their titles, outlets and dates "
                "stay as older rules read them until an ingest reads their files (or `assistant ingest --rebuild`)",
                left,
                listed,
                store.where,
            )

    @staticmethod
    def _guard(target: Callable[..., None], failure: list[BaseException], *args: object) -> None:
        try:
            target(*args)
        except BaseException as exc:  # handed to the calling thread, raised there
            failure.append(exc)

    # --- reader thread: files to articles --------------------------------------------------
    def _read(
        self, files: list[Path], known_paths: dict[str, str], out: queue.Queue[object]
    ) -> None:
        claimed: dict[str, str] = {}  # doc id or story id -> path, articles of this run
        try:
            for file in files:
                if self._stop.is_set():
                    return
                written = self._classify(file, known_paths, claimed)
                self.state.files_done += 1
                if written is not None:
                    if self.state.embedding_since is None:
                        self.state.embedding_since = time.monotonic()
                    self.state.chunks_read += len(written.article.chunks)
                    self._ahead.take(len(written.article.chunks))
                    out.put(written)
                self._tick_soon()  # a long run of unchanged files moves the bar too
        finally:
            out.put(_DONE)

    def _classify(
        self, file: Path, known_paths: dict[str, str], claimed: dict[str, str]
    ) -> Written | None:
        path = str(file)
        previous = known_paths.get(path)
        printed = fingerprint(file, self._reading)
        if previous is not None and printed is not None and self.index.catalog.read_as(previous, path, printed):
            # the bytes it was read from, read by this code: its reading would be the same
            if path in self._shared:
                self._displaced(path, previous)
            self._result(FileResult(path, "unchanged", doc_id=previous))
            return None
        try:
            article = build_article(file, self.chunk_tokens, self.chunk_overlap)
        except UnreadableFileError as exc:
            if not self._unheld(file, known_paths.get(str(file)), exc):
                self._result(FileResult(str(file), "skipped", str(exc)))
            return None
        except Exception as exc:  # a file that breaks a parser must not stop the others
            log.exception("could not read %s", file)
            self._result(FileResult(str(file), "skipped", f"could not be read ({exc.__class__.__name__})"))
            return None
        if article.published is None:
            printed = None  # its date may be one refused as later than today: read it again next time
        if previous == article.doc_id:
            if path in self._shared:
                self._displaced(path, article.doc_id)
            stored = self.index.catalog.article(article.doc_id)
            # the same text, read otherwise: another title or date, or only what the catalog does
            # not list (a fetched page's sidecar now gives another address)
            if stored is not None and (read_anew(stored, article) or not self.index.store.holds(article)):
                claimed[article.doc_id] = path
                return Written(article, rewrites=stored.chunks, fingerprint=printed)
            if printed is not None:
                self.index.catalog.note_reading(article.doc_id, path, printed)
            self._result(FileResult(path, "unchanged", doc_id=article.doc_id))
            return None
        twin = self.index.catalog.article(article.doc_id)
        twin_path = twin.path if twin is not None else claimed.get(article.doc_id)
        if twin_path is not None and twin_path != path:
            if twin is not None and not Path(twin_path).exists():
                self.index.move(article.doc_id, path)  # renamed or moved: the same article
                self._result(FileResult(path, "moved", f"was {twin_path}", article.doc_id))
                self._displaced(path, article.doc_id)
                return None
            when = "already indexed" if twin is not None else "read first in this run"  # not "already", seconds after
            reason = f"same text as {self._name(twin_path)}, {when}"
            self._result(FileResult(path, "skipped", reason, article.doc_id))
            self._displaced(path, article.doc_id)  # `cp x.txt y.txt`: y.txt's article is no more
            return None
        if previous is None:  # a new file; a changed one replaces what its path held, whatever it now holds
            story = article.story_id
            holders = [claimed.get(story), *(a.path for a in self.index.catalog.with_story(story))]
            held_path = next((p for p in holders if p is not None and p != path and Path(p).exists()), None)
            if held_path is not None:  # a holder whose file is gone does not count: it is pruned or will be
                held = self._name(held_path)
                when = "read first in this run" if held_path == claimed.get(story) else "already indexed"
                reason = f"same story as {held} (the files differ only around it), {when}"
                self._result(FileResult(path, "skipped", reason, article.doc_id))
                return None
            claimed[story] = path
        claimed[article.doc_id] = path
        return Written(article, replaces=previous, fingerprint=printed)

    def _unheld(self, file: Path, listed: str | None, why: UnreadableFileError) -> bool:
        """Forget the article listed at `file` when the file changed and holds no story now (a
        page saved again as its paywall, a text emptied): its citations would point into text
        that is no longer there. Whether it was forgotten. A file that cannot be read at all
        (gone, no permission) is left as it is: `--prune` forgets the gone ones; and so is one
        whose text is unchanged (only another version of the reading finds no story in it)."""
        if listed is None or isinstance(why.__cause__, OSError):
            return False
        try:
            if content_id(load(file).source) == listed:
                return False
        except UnreadableFileError as exc:  # emptied, binary now, too large now: changed
            if isinstance(exc.__cause__, OSError):
                return False
        self.index.remove([listed])
        self._result(FileResult(str(file), "removed", f"its file no longer holds a story: {why}", listed))
        return True

    def _displaced(self, path: str, doc_id: str) -> None:
        """Forget the articles still listed at `path` that its file no longer holds: a file
        moved or copied over another's (`mv x.txt y.txt`, `cp x.txt y.txt`) leaves y.txt's
        article with no file, and its citations would point into text it never said. Also what
        a run killed between the move and this left (an unchanged file at a shared path)."""
        others = [a.doc_id for a in self.index.catalog.articles_at(path) if a.doc_id != doc_id]
        if others:
            self.index.remove(others)
            for other in others:
                self._result(FileResult(path, "removed", "its file now holds another article's text", other))

    # --- calling thread: articles to embedded batches ---------------------------------------
    def _batches(
        self, articles: queue.Queue[object], failure: list[BaseException]
    ) -> Iterator[list[tuple[Written, np.ndarray]]]:
        def arriving() -> Iterator[Written]:
            while not failure:
                item = articles.get()
                if item is _DONE:
                    return
                assert isinstance(item, Written)
                self._ahead.give(len(item.article.chunks))
                yield item

        embedding: deque[list[Written]] = deque()  # groups handed to the encoder, in order

        def texts() -> Iterator[list[str]]:
            for group in batch_groups(arriving(), lambda w: len(w.article.chunks), self.batch_chunks):
                if failure:
                    return
                embedding.append(group)
                yield [embedding_text(w.article, chunk.text) for w in group for chunk in w.article.chunks]

        for vectors in self.embedder.embed_groups(texts(), on_batch=self._embedded):
            group = embedding.popleft()
            if failure:
                return
            out = []
            offset = 0
            for written in group:
                count = len(written.article.chunks)
                out.append((written, vectors[offset : offset + count]))
                offset += count
            yield out

    # --- writer thread: batches to the store ------------------------------------------------
    def _write(self, batches: queue.Queue[object]) -> None:
        broken: BaseException | None = None
        while True:
            batch = batches.get()
            if batch is _DONE:
                break
            if broken is not None:
                continue  # keep taking batches so the embedding thread is never stuck
            assert isinstance(batch, list)
            try:
                self.index.write(batch)
            except BaseException as exc:
                broken = exc
                continue
            for written, _ in batch:
                outcome: FileOutcome = "updated" if written.replaces or written.rewrites else "added"
                why = READ_ANEW if written.rewrites else None
                self._result(FileResult(str(written.article.path), outcome, why, written.article.doc_id))
                self.state.articles_stored += 1
                self.state.chunks_stored += len(written.article.chunks)
            self._tick()
        if broken is not None:
            raise broken

    def _prune(self, named: list[Path]) -> None:
        """Forget the articles whose files are gone. On a Chroma server that other machines
        also write to, only those under the files and folders this ingest named (and of the
        archives it read): a path another machine ingested is no file here, and its article is
        not this machine's to forget."""
        gone: list[tuple[str, str]] = []
        for path, doc_id in self.index.catalog.paths().items():
            try:
                if not Path(path).exists():
                    gone.append((doc_id, path))
            except OSError as exc:  # in a folder it may no longer read: not known gone, so kept
                reason = f"kept: cannot tell whether its file is still there ({(exc.strerror or str(exc)).lower()})"
                self._result(FileResult(path, "skipped", reason, doc_id))
        if not self.index.embedded:
            gone = [(d, p) for d, p in gone if any(Path(p).is_relative_to(root) for root in named)]
        self.index.remove([d for d, _ in gone])
        for doc_id, path in gone:
            self._result(FileResult(path, "removed", "its file is gone", doc_id))


# The packages whose code reads a file into an article (trafilatura and what it reads pages with,
# babel's language names, PyYAML's front matter, tiktoken's token counts, LlamaIndex's splitter).
READING_PACKAGES = (
    "trafilatura", "htmldate", "justext", "courlan", "lxml", "lxml_html_clean", "babel", "pyyaml", "tiktoken",
    "llama-index-core",
)


def reading(chunk_tokens: int, chunk_overlap: int) -> str:
    """What reads a file into an article, as `loading.fingerprint` records it: this assistant's
    code (a digest of its source: a change that reads files otherwise needs no version's bump to
    be read anew), the chunking settings, Python and the packages that read. Another of any of
    them reads every file again, once."""
    from importlib.metadata import PackageNotFoundError, version

    def installed(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "-"

    packages = ", ".join(f"{p} {installed(p)}" for p in READING_PACKAGES)
    source = source_digest(Path(__file__).resolve().parent.parent)
    return (
        f"assistant {__version__} {source}; cleaner {CLEANER_VERSION}; rules {READ_RULES}; "
        f"chunks {chunk_tokens}/{chunk_overlap}; python {sys.version_info[0]}.{sys.version_info[1]}; "
        f"unicode {unicodedata.unidata_version}; {packages}"
    )


@functools.cache
def source_digest(package: Path) -> str:
    """A digest of a package's Python source, as this process runs it (the assistant's: about 1 MB)."""
    digest = hashlib.blake2b(digest_size=16)
    for file in sorted(package.rglob("*.py")):
        digest.update(str(file.relative_to(package)).encode("utf-8") + b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()


def batch_groups(items: Iterator[T], chunks: Callable[[T], int], batch_chunks: int) -> Iterator[list[T]]:
    """Articles grouped into the batches ingestion embeds and writes. The encoder is the
    bottleneck, so it must start soon and never wait for a write at the end: the first batches
    ramp up from FIRST_BATCH chunks, doubling to `batch_chunks`; the last batch is embedded in
    parts of about a half, a quarter, ... of its chunks (down to LAST_PART), each written while
    the next is embedded, so the one write nothing overlaps is small."""
    pending: list[T] = []
    size = 0
    target = min(FIRST_BATCH, batch_chunks)
    item = next(items, None)
    while item is not None:
        pending.append(item)
        size += chunks(item)
        item = next(items, None)
        if size >= target and item is not None:
            yield pending
            pending, size = [], 0
            target = min(target * 2, batch_chunks)
    while pending:
        total = sum(chunks(i) for i in pending)
        if total <= 2 * LAST_PART:
            yield pending
            return
        part: list[T] = []
        size = 0
        for each in pending:
            if part and size >= total // 2:
                break
            part.append(each)
            size += chunks(each)
        yield part
        pending = pending[len(part) :]


class _Budget:
    """Chunks the reader may have queued ahead of the encoder (one article always fits)."""

    def __init__(self, limit: int, stop: threading.Event) -> None:
        self.limit = limit
        self.used = 0
        self._stop = stop
        self._changed = threading.Condition()

    def take(self, chunks: int) -> None:
        with self._changed:
            while self.used and self.used + chunks > self.limit and not self._stop.is_set():
                self._changed.wait(timeout=0.5)
            self.used += chunks

    def give(self, chunks: int) -> None:
        with self._changed:
            self.used -= chunks
            self._changed.notify_all()
