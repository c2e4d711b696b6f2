"""The Gradio page: its layout, events, styling, and serving it.

`build_app(bot)` builds the page over an Assistant (or one opened on first use);
`launch` serves it; `serve` is `assistant serve`; `app.py` builds the module-level `demo`.
"""

from __future__ import annotations

import html
import inspect
import sys
import time
from pathlib import Path
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.errors import ServerUnreachableError
from assistant.shipped import shipped
from assistant.web.access import Access, check_binding
from assistant.web.address import bound_host, bound_port, check_port, port_in_use
from assistant.web.handlers import UPLOAD_TYPES, ChatApp, History
from assistant.web.opening import OpenOnFirstUse
from assistant.web.origin import SameOriginOnly
from assistant.web.raw_api import TrailingInputsOptional
from assistant.web.render import Message, configured_mode

SAMPLE_CORPUS = shipped("corpus")
EXAMPLE_QUESTIONS = (
    "What did Putin say NATO ignored?",
    "What did Putin and Macron discuss on January 28?",
    "Who initiated the February 12 call?",
)
CONCURRENCY = 8
# The /ask API's inputs but the request (question, history, as_of): a plain HTTP call may leave
# off the last ones (raw_api).
ASK_INPUTS = len([name for name in inspect.signature(ChatApp.api_ask).parameters if name not in ("self", "request")])
CORPUS_REFRESH_S = 5  # how often an open page looks for articles added or removed elsewhere
SERVER_WAIT_S = 60.0  # how long `serve` waits for a Chroma server that does not answer yet
SERVER_RETRY_S = 2.0
ARTICLE_HEADERS = ["Title", "Outlet", "Date", "Chunks"]
ARTICLE_WIDTHS: list[str | int] = ["52%", "21%", "15%", "12%"]
RESULT_HEADERS = ["File", "Result", "Details"]

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


def new_chat() -> tuple[list[Message], History, str, str]:
    return [], [], "", ""


def hold_box() -> Any:
    """The upload box, taking no more files while its upload is added."""
    return gr.update(interactive=False)


def open_box() -> Any:
    """The upload box, emptied and taking files again."""
    return gr.update(value=None, interactive=True)


def pick_example(event: gr.SelectData) -> str:
    value = event.value
    return str(value.get("text", "")) if isinstance(value, dict) else str(value)


def build_app(
    bot: Assistant | OpenOnFirstUse, uploads_dir: Path | None = None, access: Access | None = None
) -> gr.Blocks:
    """The page over `bot` (an Assistant, or one opened on first use). Uploads are kept in
    `uploads_dir` (default: <index_dir>/uploads). Without editors (`access`), or read-only, the
    page has no upload or remove handlers at all: the controls and their events are not built."""
    settings = bot.settings
    access = access or Access(read_only=settings.read_only)
    roots = (
        {SAMPLE_CORPUS: "corpus", Path.cwd(): ""} if Path.cwd() != Path("/") else {SAMPLE_CORPUS: "corpus"}
    )
    handlers = ChatApp(bot, uploads_dir or settings.index_dir / "uploads", access, roots)
    writes = access.writes_mounted
    with gr.Blocks(title="News assistant", analytics_enabled=False) as demo:
        gr.Markdown("## News assistant\nAnswers come only from the indexed articles, each sentence cited.")
        gr.HTML(
            f'<div class="answer-meta">Answering mode: <span class="mode-badge" id="mode-label">'
            f"{html.escape(configured_mode(settings))}</span></div>"
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
                        elem_id="question",  # no max_length: a longer question is told so, never cut
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
                    # shares of the page's width: a long title wraps, never pushes the rest off it
                    column_widths=ARTICLE_WIDTHS,
                )
                with gr.Row():
                    article_count = gr.Markdown(elem_id="articles-count")
                    # No minimum: Gradio would refuse 0 before the handler reads it as page 1.
                    page_no = gr.Number(value=1, precision=0, label="Page", scale=0, elem_id="articles-page")
                if writes:
                    upload = gr.File(
                        label=f"Add articles: text, Markdown, saved pages (.html, .mhtml) or archives (.jsonl, .csv, "
                        ".jsonl.gz), up to "
                        f"{settings.upload_max_file_bytes / 2**20:g} MB each, "
                        f"{settings.upload_max_files} files at a time",
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
                else:
                    gr.Markdown("This page is read-only: articles are added and removed by whoever runs it.")

        refresh = gr.Timer(CORPUS_REFRESH_S)
        shown_at = gr.State(None)  # `Assistant.changes` when the article list was last refreshed by it
        chat_outputs = [question, chatbot, history, markdown]
        # Enter and Ask are one event: a question asked while another is answered waits for it
        # (it then reads the history that answer left), never runs beside it on the same history.
        gr.on(
            triggers=[question.submit, send.click],
            fn=handlers.respond,
            inputs=[question, chatbot, history],
            outputs=chat_outputs,
            trigger_mode="always_last",
            api_visibility="private",
        )
        chatbot.example_select(pick_example, None, question, api_visibility="private").then(
            handlers.respond, [question, chatbot, history], chat_outputs, api_visibility="private"
        )
        clear.click(new_chat, None, [chatbot, history, question, markdown], api_visibility="private")
        chatbot.clear(new_chat, None, [chatbot, history, question, markdown], api_visibility="private")
        gr.api(handlers.api_ask, api_name="ask")

        if writes:
            # The box takes no more files while its upload is added (Gradio would drop them: an
            # event still running is not run again), and is emptied and opened again after,
            # whatever came of it: a refused upload too (its files would otherwise join the next
            # pick), or one whose listing failed after. The progress shows on the results table.
            added = upload.upload(hold_box, None, upload, api_visibility="private", queue=False).then(
                handlers.ingest, upload, raw_results, api_name="ingest", show_progress_on=[results]
            )
            listed = added.success(
                handlers.after_ingest,
                [raw_results, page_no],
                [results, articles, to_remove, upload, article_count, page_no],
                api_visibility="private",
            )
            for failed in (added, listed):  # an error ends a chain of events: `.then` would not run
                failed.failure(open_box, None, upload, api_visibility="private", queue=False)
            corpus = [articles, to_remove, article_count, page_no]  # the page box: the page shown
            # Articles another process adds or removes (a terminal ingest, another replica) show
            # within a few seconds, as they are answered from; the view is left alone otherwise.
            refresh.tick(
                handlers.corpus_if_changed, [page_no, shown_at], [*corpus, shown_at],
                api_visibility="private", show_progress="hidden",
            )
            remove.click(handlers.remove, [to_remove, page_no], corpus, api_visibility="private")
            corpus_tab.select(handlers.corpus_view, page_no, corpus, api_visibility="private")
            page_no.change(handlers.corpus_view, page_no, corpus, api_visibility="private")
            demo.load(handlers.corpus_view, page_no, corpus, api_visibility="private")
            if access.required:
                demo.load(
                    handlers.editing_controls, None, [upload, results, to_remove, remove], api_visibility="private"
                )
        else:
            listing = [articles, article_count, page_no]
            refresh.tick(
                handlers.list_if_changed, [page_no, shown_at], [*listing, shown_at],
                api_visibility="private", show_progress="hidden",
            )
            corpus_tab.select(handlers.article_list, page_no, listing, api_visibility="private")
            page_no.change(handlers.article_list, page_no, listing, api_visibility="private")
            demo.load(handlers.article_list, page_no, listing, api_visibility="private")
    demo.queue(default_concurrency_limit=CONCURRENCY)
    return demo


def launch(
    demo: gr.Blocks,
    host: str | None = "127.0.0.1",
    port: int | None = 7860,
    block: bool = True,
    access: Access | None = None,
    public: bool = False,
    max_file_bytes: int | None = None,
) -> str:
    """Start serving `demo`; returns its URL. With block=False it runs in the background.
    A host or port of None is Gradio's: $GRADIO_SERVER_NAME or 127.0.0.1, $GRADIO_SERVER_PORT or 7860.
    With credentials in `access`, Gradio asks for a name and password before anything else; an
    open page is refused on any address but loopback unless `public`."""
    access = access or Access()
    check_binding(bound_host(host), access, public)
    try:
        _, url, _ = demo.launch(
            server_name=host,
            server_port=port,
            prevent_thread_lock=not block,
            theme=THEME,
            css=CSS,
            head=HEAD,
            # Without write handlers Gradio's upload route takes no file at all (it would otherwise
            # fill its cache for nothing); with them, files up to the upload limit.
            max_file_size=(max_file_bytes or Settings().upload_max_file_bytes) if access.writes_mounted else 0,
            footer_links=["api"],
            show_error=False,
            quiet=not block,
            auth=access.login if access.required else None,
            auth_message="Sign in to ask about the articles." if access.required else None,
            app_kwargs={
                "middleware": [Middleware(SameOriginOnly), Middleware(TrailingInputsOptional, inputs={"ask": ASK_INPUTS})]
            },
        )
    except OSError as exc:  # taken between the check and the start
        if "empty port" in str(exc):
            raise port_in_use(bound_host(host), bound_port(port)) from exc
        raise
    return str(url)


def run(
    demo: gr.Blocks,
    bot: OpenOnFirstUse,
    host: str | None = "127.0.0.1",
    port: int | None = 7860,
    prime_llm: bool = False,
    access: Access | None = None,
) -> None:
    """Open the index now (adding the sample articles to an empty one), then serve `demo`, built
    over `bot`, until stopped; `prime_llm` has a local LLM read its answer rules first."""
    access = access or Access.from_settings(bot.settings)
    check_binding(bound_host(host), access, bot.settings.public)  # before minutes of opening
    check_port(host, port)
    opened = _opened(bot)
    opened.warm_up_in_background()
    if prime_llm:
        print("The local LLM is reading its answer rules …")
        opened.prime()
    launch(
        demo,
        host=host,
        port=port,
        access=access,
        public=bot.settings.public,
        max_file_bytes=bot.settings.upload_max_file_bytes,
    )


def _opened(bot: OpenOnFirstUse) -> Assistant:
    """The index, opened; a Chroma server that does not answer yet (started beside the page, as
    a container of its own may be) is waited for, up to SERVER_WAIT_S, before the page gives up."""
    deadline = time.monotonic() + SERVER_WAIT_S
    waiting = False
    while True:
        try:
            opened = bot.get()
        except ServerUnreachableError as exc:
            if time.monotonic() >= deadline:
                raise
            if not waiting:
                print(f"{exc}\nWaiting up to {SERVER_WAIT_S:.0f} s for it to start …", file=sys.stderr, flush=True)
                waiting = True
            time.sleep(SERVER_RETRY_S)
            continue
        if waiting:
            print("The Chroma server answers.", file=sys.stderr, flush=True)
        return opened


def serve(
    settings: Settings,
    host: str | None = "127.0.0.1",
    port: int | None = 7860,
    prime_llm: bool = False,
    sample_corpus: Path | None = SAMPLE_CORPUS,
) -> None:
    """`assistant serve`: the page over the index of `settings`, served until stopped."""
    access = Access.from_settings(settings)
    check_binding(bound_host(host), access, settings.public)
    bot = OpenOnFirstUse(settings, sample_corpus)
    run(build_app(bot, access=access), bot, host=host, port=port, prime_llm=prime_llm, access=access)
