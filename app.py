"""The chat page: a thin Gradio layer over the public `assistant` API.

Everything that comes from an article (text, titles, quotes, file names) is
escaped before it reaches the page: documents are shown as text, never as HTML.

Named API endpoints (see the page's "Use via API" link):
- `/ask`: (question, history as [[question, answer], ...]) -> Answer.to_dict()
- `/ingest`: article file(s) -> one result per file
  ({"file", "outcome", "reason", "doc_id", "title"}; outcome: added/updated/unchanged/skipped)

gradio_client takes any returned dict with a "path" key (as citations have) for a
file to download: call these with `Client(url, download_files=False)`.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Answer, Assistant, AssistantError, Citation, Settings
from assistant.ingest.loading import read_text

REPO = Path(__file__).resolve().parent
SAMPLE_CORPUS = REPO / "corpus"
EXAMPLE_QUESTIONS = (
    "What did Putin say NATO ignored?",
    "What did Putin and Macron discuss on January 28?",
    "Who initiated the February 12 call?",
)
UPLOAD_TYPES = (".txt", ".md", ".html")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CONCURRENCY = 8
STREAM_DELAY_S = 0.025
CONTEXT_CHARS = 450  # at most this much of the paragraph either side of a quote
ARTICLE_HEADERS = ["Title", "Outlet", "Date", "Chunks"]
RESULT_HEADERS = ["File", "Result", "Details"]

Message = dict[str, Any]
History = list[list[str]]

CSS = """
.answer-text { margin: 0 0 .4em 0; line-height: 1.55; }
.answer-text.abstained { font-style: italic; opacity: .85; }
a.cite-ref { text-decoration: none; font-weight: 600; font-size: .85em; vertical-align: super;
  padding: 0 .1em; cursor: pointer; }
a.cite-ref:hover { text-decoration: underline; }
.answer-meta { font-size: .8em; opacity: .8; margin: .2em 0 .5em 0; }
.mode-badge { border: 1px solid currentColor; border-radius: 999px; padding: 0 .5em; }
.notice, .searched-for, .confidence { margin-left: .5em; }
.sources-title { font-weight: 600; font-size: .9em; margin-top: .3em; }
.sources ol { margin: .2em 0 .4em 1.2em; padding: 0; font-size: .9em; }
details.cite { border: 1px solid var(--border-color-primary); border-radius: 6px;
  padding: .3em .6em; margin: .3em 0; font-size: .9em; }
details.cite summary { cursor: pointer; }
details.cite.cite-flash { outline: 2px solid var(--color-accent); }
.cite-meta { font-size: .9em; margin: .3em 0; }
.cite-title { font-weight: 600; }
.cite-para { margin: .3em 0; white-space: pre-wrap; }
.cite-para mark { background: #ffe58a; color: #1f2328; padding: 0 .1em; border-radius: 2px; }
.cite-file { opacity: .7; font-size: .85em; }
.error-text { color: var(--error-text-color, #b91c1c); }
"""

# Clicking [n] opens the evidence it points to (a <details> block under the answer).
HEAD = """
<script>
document.addEventListener("click", function (event) {
  var link = event.target && event.target.closest ? event.target.closest("a.cite-ref") : null;
  if (!link) { return; }
  var box = document.getElementById((link.getAttribute("href") || "").slice(1));
  if (!box) { return; }
  event.preventDefault();
  event.stopPropagation();
  box.open = true;
  box.scrollIntoView({ block: "nearest" });
  box.classList.add("cite-flash");
  setTimeout(function () { box.classList.remove("cite-flash"); }, 1500);
}, true);
</script>
"""

THEME = gr.themes.Default(
    font=["ui-sans-serif", "system-ui", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "monospace"],
)


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


# ---------------------------------------------------------------- rendering


def mode_label(answer: Answer, llm_model: str) -> str:
    if answer.mode == "llm":
        return llm_model
    if answer.mode == "llm-fallback":
        return "offline (extractive), LLM unavailable"
    return "offline (extractive)"


def configured_mode(settings: Settings) -> str:
    return f"{settings.llm_model} (LLM)" if settings.llm_configured else "offline (extractive)"


def cite_id(turn: int, marker: int) -> str:
    return f"cite-{turn}-{marker}"


def cite_link(turn: int, marker: int) -> str:
    return f'<a class="cite-ref" href="#{cite_id(turn, marker)}">[{marker}]</a>'


def linked_text(text: str, turn: int, markers: set[int]) -> str:
    """Escaped answer text whose [n] markers link to their evidence."""

    def link(match: re.Match[str]) -> str:
        marker = int(match.group(1))
        return cite_link(turn, marker) if marker in markers else match.group(0)

    return re.sub(r"\[(\d+)\]", link, html.escape(text))


def source_line(citation: Citation) -> str:
    parts = [citation.outlet, citation.published]
    where = ", ".join(p for p in parts if p)
    return citation.title + (f" — {where}" if where else "")


_TAG = re.compile(r"<[^>]*>")


def _is_html(path: str) -> bool:
    return Path(path).suffix.lower() in (".html", ".htm")


def _plain(fragment: str, is_html: bool) -> str:
    """Document text to show: for an HTML file, without its tags and entities."""
    if not is_html:
        return fragment
    fragment = _TAG.sub("", fragment)
    fragment = re.sub(r"^[^<]*>|<[^>]*$", "", fragment)  # a tag cut in two by the context window
    return re.sub(r"\s+", " ", html.unescape(fragment))


def quote_in_paragraph(citation: Citation) -> tuple[str, str, str] | None:
    """(before, quote, after) within the quote's paragraph; None if the file changed or is gone."""
    try:
        text = read_text(Path(citation.path))
    except OSError:
        return None
    if text[citation.char_start : citation.char_end] != citation.quote:
        return None
    start = text.rfind("\n", 0, citation.char_start) + 1
    end = text.find("\n", citation.char_end)
    end = len(text) if end == -1 else end
    before = text[max(start, citation.char_start - CONTEXT_CHARS) : citation.char_start]
    after = text[citation.char_end : min(end, citation.char_end + CONTEXT_CHARS)]
    if citation.char_start - start > CONTEXT_CHARS:
        before = "…" + before.split(" ", 1)[-1]
    if end - citation.char_end > CONTEXT_CHARS:
        after = after.rsplit(" ", 1)[0] + "…"
    is_html = _is_html(citation.path)
    return _plain(before, is_html), _plain(citation.quote, is_html), _plain(after, is_html)


def shorten(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def evidence_html(citation: Citation, turn: int) -> str:
    """A closed <details> block: the quote's preview; opened, the article and the quote in its paragraph."""
    e = html.escape
    parts = quote_in_paragraph(citation)
    if parts is None:
        quote = citation.quote
        body = f'<p class="cite-para"><mark>{e(quote)}</mark></p>'
        note = " (the file has changed or is gone since it was indexed)"
    else:
        before, quote, after = parts
        body = f'<p class="cite-para">{e(before)}<mark>{e(quote)}</mark>{e(after)}</p>'
        note = ""
    when = (
        " · ".join(e(x) for x in (citation.outlet, citation.published) if x) or "outlet and date not stated"
    )
    return (
        f'<details class="cite" id="{cite_id(turn, citation.marker)}">'
        f"<summary>[{citation.marker}] {e(shorten(quote))}</summary>"
        f'<div class="cite-meta"><span class="cite-title">{e(citation.title)}</span> · {when}</div>{body}'
        f'<div class="cite-file">{e(Path(citation.path).name)}, characters '
        f"{citation.char_start}–{citation.char_end}{e(note)}</div></details>"
    )


def sources_html(citations: Sequence[Citation], turn: int) -> str:
    """One line per article, with the markers that cite it."""
    by_doc: dict[str, list[Citation]] = {}
    for citation in citations:
        by_doc.setdefault(citation.doc_id, []).append(citation)
    items = []
    for cited in by_doc.values():
        links = "".join(cite_link(turn, c.marker) for c in cited)
        items.append(f"<li>{html.escape(source_line(cited[0]))} {links}</li>")
    return f'<div class="sources"><div class="sources-title">Sources</div><ol>{"".join(items)}</ol></div>'


def answer_html(answer: Answer, turn: int, label: str) -> str:
    """The finished answer as HTML: cited text, mode, sources and evidence panels."""
    markers = {c.marker for c in answer.citations}
    css = "answer-text abstained" if answer.abstained else "answer-text"
    parts = [f'<div class="answer"><p class="{css}">{linked_text(answer.text, turn, markers)}</p>']
    notice = f'<span class="notice">{html.escape(answer.notice)}</span>' if answer.notice else ""
    searched = (
        f'<span class="searched-for">searched for: {html.escape(answer.searched_for)}</span>'
        if answer.searched_for
        else ""
    )
    confidence = (
        f'<span class="confidence" title="how likely the answer is right, as measured">'
        f"confidence {answer.confidence:.0%}</span>"
        if answer.confidence is not None and not answer.abstained
        else ""
    )
    parts.append(
        f'<div class="answer-meta"><span class="mode-badge">{html.escape(label)}</span>'
        f"{confidence}{searched}{notice}</div>"
    )
    if answer.citations:
        parts.append(sources_html(answer.citations, turn))
        parts.extend(evidence_html(c, turn) for c in answer.citations)
    parts.append("</div>")
    return "".join(parts)


def answer_markdown(answer: Answer, label: str) -> str:
    lines = [answer.text, ""]
    if answer.notice:
        lines += [f"_{answer.notice}_", ""]
    for c in answer.citations:
        quote = _plain(c.quote, _is_html(c.path))
        lines.append(f"[{c.marker}] {source_line(c)} ({Path(c.path).name}): “{quote}”")
    lines += ["", f"_Answered by: {label}_"]
    return "\n".join(lines).strip() + "\n"


def toast_text(message: str) -> str:
    """Gradio renders gr.Info/Warning/Error messages as HTML: show any markup in them as text."""
    return html.escape(message, quote=False)


def user_message(question: str) -> Message:
    return {"role": "user", "content": html.escape(question)}


def bot_message(content: str) -> Message:
    return {"role": "assistant", "content": content}


def article_rows(bot: Assistant) -> list[list[Any]]:
    return [[a.title, a.outlet or "", a.published or "", a.chunks] for a in bot.articles()]


def article_choices(bot: Assistant) -> list[tuple[str, str]]:
    choices = []
    for a in bot.articles():
        where = ", ".join(x for x in (a.outlet, a.published) if x)
        choices.append((a.title + (f" ({where})" if where else ""), a.doc_id))
    return choices


# ---------------------------------------------------------------- handlers


class ChatApp:
    """The page's event handlers over one shared Assistant."""

    def __init__(self, bot: Assistant, uploads_dir: Path) -> None:
        self.bot = bot
        self.uploads_dir = uploads_dir.resolve()
        self.lock = ReadWriteLock()

    def _label(self, answer: Answer) -> str:
        return mode_label(answer, self.bot.settings.llm_model)

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


# ---------------------------------------------------------------- page


def new_chat() -> tuple[list[Message], History, str, str]:
    return [], [], "", ""


def pick_example(event: gr.SelectData) -> str:
    value = event.value
    return str(value.get("text", "")) if isinstance(value, dict) else str(value)


def build_app(bot: Assistant, uploads_dir: Path | None = None) -> gr.Blocks:
    """The page over `bot`. Uploads are kept in `uploads_dir` (default: <index_dir>/uploads)."""
    handlers = ChatApp(bot, uploads_dir or bot.settings.index_dir / "uploads")
    with gr.Blocks(title="News assistant", analytics_enabled=False) as demo:
        gr.Markdown("## News assistant\nAnswers come only from the indexed articles, each sentence cited.")
        gr.HTML(
            f'<div class="answer-meta">Answering mode: <span class="mode-badge" id="mode-label">'
            f"{html.escape(configured_mode(bot.settings))}</span></div>"
        )
        history = gr.State([])
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                chatbot = gr.Chatbot(
                    label="Conversation",
                    elem_id="chat",
                    height=560,
                    render_markdown=False,
                    sanitize_html=True,
                    feedback_options=None,
                    buttons=[],
                    placeholder="Ask about the indexed news articles, or pick an example.",
                    examples=[{"text": q} for q in EXAMPLE_QUESTIONS],
                )
                with gr.Row():
                    question = gr.Textbox(
                        placeholder="Ask a question about the articles…",
                        show_label=False,
                        scale=8,
                        max_length=2000,
                        elem_id="question",
                        autofocus=True,
                    )
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                    clear = gr.Button("New chat", scale=1, elem_id="new-chat")
                with gr.Accordion("Copy the last answer as Markdown", open=False):
                    markdown = gr.Code(
                        language="markdown",
                        interactive=False,
                        show_label=False,
                        lines=6,
                        buttons=["copy"],
                        elem_id="answer-markdown",
                    )
            with gr.Tab("Corpus", id="corpus") as corpus_tab:
                articles = gr.Dataframe(
                    headers=ARTICLE_HEADERS,
                    datatype=["str", "str", "str", "number"],
                    interactive=False,
                    label="Indexed articles",
                    elem_id="articles",
                    wrap=True,
                )
                upload = gr.File(
                    label="Add articles: .txt, .md or .html, up to 5 MB each",
                    file_count="multiple",
                    file_types=list(UPLOAD_TYPES),
                    type="filepath",
                    elem_id="upload",
                )
                results = gr.Dataframe(
                    headers=RESULT_HEADERS,
                    interactive=False,
                    label="Upload results",
                    elem_id="upload-results",
                    wrap=True,
                )
                raw_results = gr.JSON(visible=False)
                with gr.Row():
                    to_remove = gr.Dropdown(
                        label="Remove an article", choices=[], scale=4, elem_id="remove-choice"
                    )
                    remove = gr.Button("Remove", variant="stop", scale=1, elem_id="remove")

        chat_outputs = [question, chatbot, history, markdown]
        question.submit(
            handlers.respond, [question, chatbot, history], chat_outputs, api_visibility="private"
        )
        send.click(handlers.respond, [question, chatbot, history], chat_outputs, api_visibility="private")
        chatbot.example_select(pick_example, None, question, api_visibility="private").then(
            handlers.respond, [question, chatbot, history], chat_outputs, api_visibility="private"
        )
        clear.click(new_chat, None, [chatbot, history, question, markdown], api_visibility="private")
        chatbot.clear(new_chat, None, [chatbot, history, question, markdown], api_visibility="private")
        gr.api(handlers.api_ask, api_name="ask")

        upload.upload(handlers.ingest, upload, raw_results, api_name="ingest").success(
            handlers.after_ingest,
            raw_results,
            [results, articles, to_remove, upload],
            api_visibility="private",
        )
        remove.click(handlers.remove, to_remove, [articles, to_remove], api_visibility="private")
        corpus_tab.select(handlers.corpus_view, None, [articles, to_remove], api_visibility="private")
        demo.load(handlers.corpus_view, None, [articles, to_remove], api_visibility="private")
    demo.queue(default_concurrency_limit=CONCURRENCY)
    return demo


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> str:
    """Start serving `demo`; returns its URL. With block=False it runs in the background."""
    _, url, _ = demo.launch(
        server_name=host,
        server_port=port,
        prevent_thread_lock=not block,
        theme=THEME,
        css=CSS,
        head=HEAD,
        max_file_size=MAX_UPLOAD_BYTES,
        footer_links=["api"],
        show_error=False,
        quiet=not block,
    )
    return str(url)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, prime_llm: bool = False) -> None:
    """Open the index (ingesting the sample corpus when it is empty) and serve the page;
    `prime_llm` has a local LLM read its answer rules before the first question."""
    bot = Assistant(settings)
    if not bot.articles() and SAMPLE_CORPUS.is_dir():
        print(f"The index is empty; adding the sample articles from {SAMPLE_CORPUS} …")
        print(bot.ingest([SAMPLE_CORPUS]).summary())
    if prime_llm:
        print("The local LLM is reading its answer rules …")
        bot.prime()
    launch(build_app(bot), host=host, port=port)
