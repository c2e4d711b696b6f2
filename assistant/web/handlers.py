"""The page's event handlers over one shared Assistant: questions, uploads, removals."""

from __future__ import annotations

import hashlib
import html
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answer.conversation import recent_history
from assistant.assistant import SNAPSHOTS_FOLDER, Assistant
from assistant.config import Settings
from assistant.errors import AccessError, AssistantError, QuestionError, StoreUnavailableError, unexpected
from assistant.ingest.archives import ARCHIVES_FOLDER
from assistant.ingest.loading import COMPRESSED_SUFFIX, INGESTED_SUFFIXES, is_ingested
from assistant.ingest.pipeline import IngestProgress
from assistant.search.store import index_error, storage_error
from assistant.types import Answer, IngestReport
from assistant.web.access import Access
from assistant.web.limits import RateLimiter, Slots
from assistant.web.opening import OpenOnFirstUse
from assistant.web.public import PublicPaths
from assistant.web.render import (
    ARTICLES_PER_PAGE,
    Message,
    answer_html,
    answer_markdown,
    article_choices,
    article_count_text,
    article_rows,
    bot_message,
    mode_label,
    page_of,
    toast_text,
    user_message,
)

# What ingestion reads: single-file pages and archives too, gzip-compressed archives (news.jsonl.gz).
UPLOAD_TYPES = (*INGESTED_SUFFIXES, COMPRESSED_SUFFIX)
MAX_UPLOAD_BYTES = Settings().upload_max_file_bytes  # the default; the page uses its settings'
STREAM_DELAY_S = 0.025
PROGRESS_EVERY_S = 0.5  # how often an upload's progress bar moves

History = list[list[str]]


# The change number shown while the index could not be read: none the index gives, so the next
# tick that reads it shows the list again.
UNREAD = -1


class ChatApp:
    """The page's event handlers over one shared Assistant.

    Every handler turns an error into a message for the user: the project's own errors as they
    are (with server paths made relative), anything else logged with its traceback under an id
    that the message quotes. Upload and remove check that the user is an editor, whichever way
    they were called; every request counts against its client's rate limit.
    """

    def __init__(
        self,
        bot: Assistant | OpenOnFirstUse,
        uploads_dir: Path,
        access: Access | None = None,
        public_roots: dict[Path, str] | None = None,
    ) -> None:
        self._bot = bot
        self.settings: Settings = bot.settings
        self.uploads_dir = uploads_dir.resolve()
        self.access = access or Access(read_only=self.settings.read_only)
        # The files the index keeps in its own folder are named by where they are in it.
        index = Path(self.settings.index_dir)
        kept = {index / ARCHIVES_FOLDER: "archives", index / SNAPSHOTS_FOLDER: "snapshots", self.uploads_dir: "uploads"}
        self.public = PublicPaths({**(public_roots or {}), **kept})
        self.ask_rate = RateLimiter(self.settings.ask_rate_per_minute, "questions")
        self.ingest_rate = RateLimiter(self.settings.ingest_rate_per_minute, "uploads")
        self.ingests = Slots(
            self.settings.max_concurrent_ingests,
            f"{self.settings.max_concurrent_ingests} upload(s) are being added already (setting "
            "max_concurrent_ingests); try again when they have finished",
        )

    @property
    def bot(self) -> Assistant:
        """The Assistant, opened now if the page was built before it."""
        return self._bot.get() if isinstance(self._bot, OpenOnFirstUse) else self._bot

    def _label(self, answer: Answer) -> str:
        return mode_label(answer, self.settings.llm_model)

    def _shown(self, error: Exception, action: str) -> str:
        """What the user is told about `error`: our own errors' words, a store that is gone,
        cannot be written or reached, or a full disk, said so; anything else by its id."""
        if not isinstance(error, AssistantError):
            what = f"{action} stopped"
            error = (
                self._index_gone(what)
                or index_error(Path(self.settings.index_dir), error, what, server=self.settings.chroma_url)
                or unexpected(action, error)
            )
        return self.public.text(str(error))

    def _index_gone(self, what: str) -> StoreUnavailableError | None:
        """The error to show when the index's folder was removed while the page ran."""
        folder = Path(self.settings.index_dir)
        if self.settings.chroma_url or folder.is_dir():
            return None
        return StoreUnavailableError(
            f"the index folder {folder} is gone (removed while the page ran), so {what}; restore it, "
            "or restart the page to begin a new index"
        )

    def _error(self, error: Exception, action: str) -> gr.Error:
        return gr.Error(toast_text(self._shown(error, action)), print_exception=False)

    def _pairs(self, history: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
        return [(q, a) if isinstance(q, str) and isinstance(a, str) else (str(q), str(a)) for q, a in history]

    def respond(
        self, question: str, messages: list[Message], history: History, request: gr.Request
    ) -> Iterator[tuple[str, list[Message], History, Any]]:
        """Answer in the chat: the text streams in as it is written, then the cited answer. The
        conversation the question is read in is the latest turns within the history limits.

        The question box is emptied once, as the question is taken; later updates leave it as
        it is, so that the next question can be typed while this one is answered."""
        question = " ".join((question or "").split())
        if not question:
            gr.Warning("Type a question about the articles first.")
            yield "", messages, history, gr.skip()
            return
        limit = self.settings.max_question_chars
        if len(question) > limit:  # said before it is shown: a megabyte was echoed back, then kept in the chat
            gr.Warning(toast_text(f"the question is {len(question):,} characters long; keep it to {limit:,} or fewer"))
            yield gr.skip(), messages, history, gr.skip()
            return
        messages = [*messages, user_message(question), bot_message('<p class="answer-text">…</p>')]
        yield "", messages, history, gr.skip()
        written = ""
        try:
            self.ask_rate.check(client_of(request))
            recent = recent_history(self._pairs(history), self.settings)
            for item in self.bot.ask_stream(question, history=recent):
                if isinstance(item, Answer):
                    answer = item
                    break
                written += item
                messages[-1] = bot_message(f'<p class="answer-text streaming">{html.escape(written)}</p>')
                yield gr.skip(), messages, history, gr.skip()
                time.sleep(STREAM_DELAY_S)
            else:
                raise AssistantError("the answer ended without a result; please ask again")
        except Exception as exc:  # every error ends in a message; unexpected ones are logged
            shown = self._shown(exc, "answering a question")
            gr.Warning(toast_text(shown))
            messages[-1] = bot_message(f'<p class="error-text">{html.escape(shown)}</p>')
            yield gr.skip(), messages, history, gr.skip()
            return
        turn = len(history)
        label = self._label(answer)
        if answer.notice:
            answer = replace(answer, notice=self.public.text(answer.notice))
        messages[-1] = bot_message(answer_html(answer, turn, label))
        yield gr.skip(), messages, [*history, [question, answer.text]], answer_markdown(answer, label)

    def api_ask(
        self,
        question: str,
        history: list[list[str]] | None = None,
        as_of: str | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> dict[str, Any]:
        """Answer a question from the indexed articles; history is [[question, answer], ...];
        as_of (YYYY-MM-DD, default the server's today) is the day "yesterday" or "the latest"
        is counted from."""
        try:
            self.ask_rate.check(client_of(request))
            if history is not None and not isinstance(history, list):
                raise QuestionError("history must be a list of [question, answer] pairs")
            answer = self.bot.ask(question, history=history or [], as_of=_day(as_of))  # type: ignore[arg-type]
            return self.public.answer(answer.to_dict())
        except Exception as exc:
            raise self._error(exc, "answering a question") from None

    def ingest(
        self,
        files: list[str] | None,
        request: gr.Request = None,  # type: ignore[assignment]
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio's way of asking for a bar)
    ) -> list[dict[str, Any]]:
        """Add uploaded article files; one result per file. Questions go on being answered
        meanwhile, from the articles stored so far; the page shows the upload's progress."""
        try:
            self._may_edit(request, "add articles")
            self.ingest_rate.check(client_of(request))
            gone = self._index_gone("the upload was not added")
            if gone is not None:  # not made again in part by the upload (its copies, the ingest lock)
                raise gone
            paths = self._checked_upload(files)
            with self.ingests.taken():
                return self._ingest(paths, progress)
        except Exception as exc:
            raise self._error(exc, "adding articles") from None

    def _may_edit(self, request: gr.Request | None, what: str) -> None:
        if not self.access.can_edit(request.username if request is not None else None):
            raise AccessError(f"only editors may {what}; sign in with an editor's name and password")

    def _checked_upload(self, files: list[str] | None) -> list[Path]:
        """The upload's files within the limits of the settings (count, total size)."""
        if not files:
            raise AccessError("choose one or more files to add: articles (.txt, .md, .html) or archives of them (.jsonl, .csv, .gz)")
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise AccessError("the upload must be a list of files")
        settings = self.settings
        if len(files) > settings.upload_max_files:
            raise AccessError(
                f"{len(files)} files in one upload; add at most {settings.upload_max_files} at a time "
                "(setting upload_max_files)"
            )
        paths = [Path(f) for f in files]
        total = sum(p.stat().st_size for p in paths if p.is_file())
        if total > settings.upload_max_bytes:
            raise AccessError(
                f"the upload holds {size_text(total)}; add at most {size_text(settings.upload_max_bytes)} "
                "at a time (setting upload_max_bytes)"
            )
        return paths

    def _ingest(self, paths: list[Path], progress: gr.Progress | None = None) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        staged: dict[str, str] = {}  # copy in the uploads folder -> file name
        created: set[str] = set()  # copies this upload wrote (the others were there before)
        try:
            for path in paths:
                problem = upload_problem(path, self.settings.upload_max_file_bytes)
                if problem:
                    results.append({"file": path.name, "outcome": "skipped", "reason": problem, "doc_id": None})
                    continue
                target, is_new = self._stage(path)
                staged[str(target)] = path.name
                if is_new:
                    created.add(str(target))
            report = self._ingest_in_background(list(staged), progress) if staged else None
        except BaseException:  # no copy left in the index folder that no article rests on
            self._discard_unread(created)
            raise
        if report is not None:
            outcomes: dict[str, list[str]] = {copy: [] for copy in created}
            for r in report.results:
                read_from = _staged_file(r.path, created)
                if read_from is not None:
                    outcomes[read_from].append(r.outcome)
                results.append(
                    {
                        "file": staged.get(r.path, Path(r.path).name),
                        "outcome": r.outcome,
                        "reason": self.public.text(r.reason) if r.reason else None,
                        "doc_id": r.doc_id,
                    }
                )
            for copy, seen in outcomes.items():  # nothing of it stored: not kept for a rebuild
                if seen and all(outcome == "skipped" for outcome in seen):
                    _discard(Path(copy))
        for result in results:
            article = self.bot.article(result["doc_id"]) if result["doc_id"] else None
            result["title"] = article.title if article is not None else None
        return results

    def _discard_unread(self, created: set[str]) -> None:
        """After an ingest that raised: remove the copies this upload wrote, but for a file the
        index holds an article of (stored before the ingest stopped; its quotes point there)."""
        for path in created:
            try:
                kept = bool(self.bot.articles_at(path))
            except Exception:  # the index is what failed: nothing can be shown to rest on the copy
                kept = False
            if not kept:
                _discard(Path(path))

    def _ingest_in_background(self, files: list[str], progress: gr.Progress | None) -> IngestReport:
        """Ingest on a thread of its own while this one reports its progress to the page."""
        state: list[IngestProgress] = []
        outcome: list[IngestReport | BaseException] = []

        def note(now: IngestProgress) -> None:  # the same object, updated as the ingest goes
            if not state:
                state.append(now)

        def run() -> None:
            try:
                outcome.append(self.bot.ingest(files, progress=note))
            except BaseException as exc:  # raised again below, on the request's thread
                outcome.append(exc)

        worker = threading.Thread(target=run, name="upload-ingest", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(timeout=PROGRESS_EVERY_S)
            if progress is not None and state:
                now = state[0]
                left = f", {now.time_left}" if now.time_left else ""
                progress(
                    now.fraction,
                    desc=(
                        f"Adding articles: {now.files_done} of {now.files_total} {now.unit} read, "
                        f"{now.chunks_embedded:,} of {now.chunks_expected:,} passages embedded, "
                        f"{now.articles_stored} articles stored{left}"
                    ),
                )
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def _stage(self, file: Path) -> tuple[Path, bool]:
        """Keep an upload for good: uploads/<content hash>/<name>. True when newly written. A
        copy the disk had no room for is removed, never left half written for a rebuild to read."""
        digest = hashlib.sha256(file.read_bytes()).hexdigest()[:16]
        target = (self.uploads_dir / digest / file.name).resolve()
        if target.exists():
            return target, False
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
        except OSError as exc:
            _discard(target)
            storage = storage_error(Path(self.settings.index_dir), exc, f"the upload of {file.name} stopped")
            if storage is not None:
                raise storage from exc
            raise
        return target, True

    def after_ingest(
        self, results: list[dict[str, Any]] | None, page: float | None = 1
    ) -> tuple[Any, Any, Any, Any, str, int]:
        rows = [[r["file"], r["outcome"], r.get("reason") or r.get("title") or ""] for r in (results or [])]
        added = sum(r[1] in ("added", "updated") for r in rows)
        if rows:  # a row is a file, or an archive's record
            gr.Info(f"{added} of {len(rows)} article(s) added to the index.")
        articles, choices, count, number = self.corpus_view(page)
        return rows, articles, choices, gr.update(value=None, interactive=True), count, number

    def corpus_view(self, page: float | None = 1) -> tuple[list[list[Any]], Any, str, int]:
        """One page of the indexed articles (never the whole list: an archive can be large),
        the remove choices for them, which page it is, and its number: the page box shows the
        page shown (the last, when asked for one past it)."""
        try:
            total = self.bot.article_count()
            number = page_of(page, total)
            shown = self.bot.articles(offset=(number - 1) * ARTICLES_PER_PAGE, limit=ARTICLES_PER_PAGE)
            return (
                article_rows(shown),
                gr.Dropdown(choices=article_choices(shown), value=None),
                article_count_text(number, len(shown), total),
                number,
            )
        except Exception as exc:
            raise self._error(exc, "listing the articles") from None

    def corpus_if_changed(self, page: float | None, shown_at: int | None) -> tuple[Any, ...]:
        """`corpus_view` when the articles changed since `shown_at` (`Assistant.changes`; at the
        first tick, None), and the number now; nothing at all otherwise (a choice being made in the
        remove list stays). While the index cannot be read (a Chroma server stopped), the count
        says why, and the next tick that can read it shows the list again (before, the count
        showed a bare "Error" every few seconds)."""
        try:
            now = self.bot.changes()
            if now == shown_at:
                return (gr.skip(),) * 5
            return (*self.corpus_view(page), now)
        except Exception as exc:  # gr.Error too: corpus_view says what failed
            shown = exc.message if isinstance(exc, gr.Error) else toast_text(self._shown(exc, "listing the articles"))
            return gr.skip(), gr.skip(), shown, gr.skip(), UNREAD

    def list_if_changed(self, page: float | None, shown_at: int | None) -> tuple[Any, ...]:
        """The same for a page without a remove control (`article_list`)."""
        rows, _, count, number, now = self.corpus_if_changed(page, shown_at)
        return rows, count, number, now

    def article_list(self, page: float | None = 1) -> tuple[list[list[Any]], str, int]:
        """The indexed articles, for a page without a remove control, and the page's number."""
        rows, _, count, number = self.corpus_view(page)
        return rows, count, number

    def editing_controls(self, request: gr.Request) -> tuple[Any, ...]:
        """Upload and remove shown only to those who may use them (the handlers check again)."""
        shown = self.access.can_edit(request.username if request is not None else None)
        return tuple(gr.update(visible=shown) for _ in range(4))  # the upload, its results, remove's two

    def remove(
        self,
        doc_id: str | None,
        page: float | None = 1,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> tuple[list[list[Any]], Any, str, int]:
        try:
            self._may_edit(request, "remove articles")
            if not doc_id:
                gr.Warning("Choose an article to remove first.")
                return self.corpus_view(page)
            article = self.bot.article(doc_id)
            if article is None or not self.bot.remove(doc_id):
                gr.Warning("That article is no longer in the index.")
            else:
                if Path(article.path).resolve().is_relative_to(self.uploads_dir):
                    _discard(Path(article.path))
                gr.Info(toast_text(f"Removed “{article.title}”."))
        except Exception as exc:
            raise self._error(exc, "removing an article") from None
        return self.corpus_view(page)


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise QuestionError(f"as_of must be a day like 2022-01-28, not {str(text)[:40]!r}") from None


def client_of(request: gr.Request | None) -> str:
    """Whom a rate limit counts: the signed-in user, else the client's address."""
    if request is None:
        return "local"
    if request.username:
        return f"user:{request.username}"
    return f"address:{request.client.host if request.client else 'unknown'}"


def upload_problem(file: Path, limit: int = MAX_UPLOAD_BYTES) -> str | None:
    """Why an uploaded file cannot be added, in words for the user; None when it can."""
    if not is_ingested(file):
        kinds = ", ".join(INGESTED_SUFFIXES)
        return f"only {kinds} files (archives also gzip-compressed) can be added, not {file.suffix or 'files without a type'}"
    try:
        size = file.stat().st_size
    except OSError:
        return "the uploaded file is gone from the server's temporary folder; upload it again"
    if size > limit:
        return f"the file is {size_text(size)}; the limit is {size_text(limit)}"
    return None


def size_text(size: int) -> str:
    """Bytes in words: "5.9 MB", "2.6 KB", "300 bytes"; a whole number of MB without decimals."""
    if size >= 2**20:
        return f"{size / 2**20:.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"


def _staged_file(result_path: str, staged: set[str]) -> str | None:
    """The staged file an ingest result is of: the file itself, or the archive whose records are
    named `ARCHIVE#N`."""
    if result_path in staged:
        return result_path
    archive, hash_sign, _ = result_path.rpartition("#")
    return archive if hash_sign and archive in staged else None


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    if path.parent.is_dir() and not any(path.parent.iterdir()):
        path.parent.rmdir()
