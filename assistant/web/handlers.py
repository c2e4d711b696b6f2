"""The page's event handlers over one shared Assistant: questions, uploads, removals."""

from __future__ import annotations

import hashlib
import html
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.assistant import Assistant
from assistant.errors import AssistantError
from assistant.types import Answer
from assistant.web.opening import OpenOnFirstUse
from assistant.web.render import (
    Message,
    answer_html,
    answer_markdown,
    article_choices,
    article_rows,
    bot_message,
    mode_label,
    toast_text,
    user_message,
)

UPLOAD_TYPES = (".txt", ".md", ".html")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
STREAM_DELAY_S = 0.025

History = list[list[str]]


class ReadWriteLock:
    """Many questions at once; an ingest or a removal alone."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing and self._readers == 0)
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


class ChatApp:
    """The page's event handlers over one shared Assistant."""

    def __init__(self, bot: Assistant | OpenOnFirstUse, uploads_dir: Path) -> None:
        self._bot = bot
        self.uploads_dir = uploads_dir.resolve()
        self.lock = ReadWriteLock()

    @property
    def bot(self) -> Assistant:
        """The Assistant, opened now if the page was built before it."""
        return self._bot.get() if isinstance(self._bot, OpenOnFirstUse) else self._bot

    def _label(self, answer: Answer) -> str:
        return mode_label(answer, self._bot.settings.llm_model)

    def _ask(self, question: str, history: Sequence[Sequence[str]]) -> Answer:
        pairs = [(str(q), str(a)) for q, a in history]
        with self.lock.reading():
            return self.bot.ask(question, history=pairs)

    def _ask_stream(self, question: str, history: Sequence[Sequence[str]]) -> Iterator[str | Answer]:
        pairs = [(str(q), str(a)) for q, a in history]
        with self.lock.reading():
            yield from self.bot.ask_stream(question, history=pairs)

    def respond(
        self, question: str, messages: list[Message], history: History
    ) -> Iterator[tuple[str, list[Message], History, Any]]:
        """Answer in the chat: the text streams in as it is written, then the cited answer."""
        question = " ".join((question or "").split())
        if not question:
            gr.Warning("Type a question about the articles first.")
            yield "", messages, history, gr.skip()
            return
        messages = [*messages, user_message(question), bot_message('<p class="answer-text">…</p>')]
        yield "", messages, history, gr.skip()
        written = ""
        try:
            for item in self._ask_stream(question, history):
                if isinstance(item, Answer):
                    answer = item
                    break
                written += item
                messages[-1] = bot_message(f'<p class="answer-text streaming">{html.escape(written)}</p>')
                yield "", messages, history, gr.skip()
                time.sleep(STREAM_DELAY_S)
            else:
                raise AssistantError("the answer ended without a result; please ask again")
        except AssistantError as exc:
            gr.Warning(toast_text(str(exc)))
            messages[-1] = bot_message(f'<p class="error-text">{html.escape(str(exc))}</p>')
            yield "", messages, history, gr.skip()
            return
        turn = len(history)
        label = self._label(answer)
        messages[-1] = bot_message(answer_html(answer, turn, label))
        yield "", messages, [*history, [question, answer.text]], answer_markdown(answer, label)

    def api_ask(self, question: str, history: list[list[str]] | None = None) -> dict[str, Any]:
        """Answer a question from the indexed articles; history is [[question, answer], ...]."""
        history = history or []
        if not all(isinstance(p, list | tuple) and len(p) == 2 for p in history):
            raise gr.Error("history must be a list of [question, answer] pairs")
        try:
            return self._ask(question, history).to_dict()
        except AssistantError as exc:
            raise gr.Error(toast_text(str(exc))) from None

    def ingest(self, files: list[str] | None) -> list[dict[str, Any]]:
        """Add uploaded article files; one result per file."""
        if not files:
            raise gr.Error("Choose one or more .txt, .md or .html files to add.")
        results: list[dict[str, Any]] = []
        staged: dict[str, str] = {}  # copy in the uploads folder -> file name
        created: set[str] = set()
        with self.lock.writing():
            for file in files:
                name = Path(file).name
                problem = upload_problem(Path(file))
                if problem:
                    results.append({"file": name, "outcome": "skipped", "reason": problem, "doc_id": None})
                    continue
                target, is_new = self._stage(Path(file))
                staged[str(target)] = name
                if is_new:
                    created.add(str(target))
            if staged:
                try:
                    report = self.bot.ingest(list(staged))
                except AssistantError as exc:
                    raise gr.Error(toast_text(str(exc))) from None
                for r in report.results:
                    if r.outcome == "skipped" and r.path in created:
                        _discard(Path(r.path))
                    reason = r.reason.replace(f"{self.uploads_dir}/", "") if r.reason else None
                    results.append(
                        {
                            "file": staged.get(r.path, Path(r.path).name),
                            "outcome": r.outcome,
                            "reason": reason,
                            "doc_id": r.doc_id,
                        }
                    )
            titles = {a.doc_id: a.title for a in self.bot.articles()}
        for result in results:
            result["title"] = titles.get(result["doc_id"] or "")
        return results

    def _stage(self, file: Path) -> tuple[Path, bool]:
        """Keep an upload for good: uploads/<content hash>/<name>. True when newly written."""
        digest = hashlib.sha256(file.read_bytes()).hexdigest()[:16]
        target = (self.uploads_dir / digest / file.name).resolve()
        if target.exists():
            return target, False
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target)
        return target, True

    def after_ingest(self, results: list[dict[str, Any]] | None) -> tuple[Any, Any, Any, None]:
        rows = [[r["file"], r["outcome"], r.get("reason") or r.get("title") or ""] for r in (results or [])]
        added = sum(r[1] in ("added", "updated") for r in rows)
        if rows:
            gr.Info(f"{added} of {len(rows)} file(s) added to the index.")
        articles, choices = self.corpus_view()
        return rows, articles, choices, None

    def corpus_view(self) -> tuple[list[list[Any]], Any]:
        with self.lock.reading():
            return article_rows(self.bot), gr.Dropdown(choices=article_choices(self.bot), value=None)

    def remove(self, doc_id: str | None) -> tuple[list[list[Any]], Any]:
        if not doc_id:
            gr.Warning("Choose an article to remove first.")
            return self.corpus_view()
        with self.lock.writing():
            article = next((a for a in self.bot.articles() if a.doc_id == doc_id), None)
            if article is None or not self.bot.remove(doc_id):
                gr.Warning("That article is no longer in the index.")
            else:
                if Path(article.path).resolve().is_relative_to(self.uploads_dir):
                    _discard(Path(article.path))
                gr.Info(toast_text(f"Removed “{article.title}”."))
        return self.corpus_view()


def upload_problem(file: Path) -> str | None:
    """Why an uploaded file cannot be added, in words for the user; None when it can."""
    if file.suffix.lower() not in UPLOAD_TYPES:
        return (
            f"only {', '.join(UPLOAD_TYPES)} files can be added, not {file.suffix or 'files without a type'}"
        )
    size = file.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        return f"the file is {size / 2**20:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 2**20} MB"
    return None


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    if not any(path.parent.iterdir()):
        path.parent.rmdir()
