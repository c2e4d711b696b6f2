"""HTML (and Markdown) for the chat page: answers, their sources and evidence, article lists.

Everything that comes from an article (text, titles, quotes, file names) is escaped
here: documents are shown as text, never as HTML.
"""

from __future__ import annotations

import html
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.ingest.loading import SourceText, UnreadableFileError, load
from assistant.types import Answer, ArticleInfo, Citation

CONTEXT_CHARS = 450  # at most this much of the paragraph either side of a quote

Message = dict[str, Any]


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


def isolated(text: str) -> str:
    """Text of a document, escaped and isolated for direction (<bdi>): a right-to-left override
    in one article's sentence or title ("\u202e") turned the sentences, dates and citation markers
    shown after it around ("81-20-2202" for 2022-02-18)."""
    return f"<bdi>{html.escape(text)}</bdi>"


def cite_link(turn: int, marker: int) -> str:
    return f'<a class="cite-ref" href="#{cite_id(turn, marker)}">[{marker}]</a>'


def linked_text(answer: Answer, turn: int) -> str:
    """The answer's text, escaped, each statement followed by links to its own evidence.

    Only the markers an answer put after a statement are links: a statement quotes its article
    word for word, and an article's own footnote ("330 metres tall [2]") is text, never a link
    to passage 2. What the text holds beside the statements (a note on the day assumed, an
    LLM's "[unsupported]", a refusal) is shown as text; an answer without statements (a refusal)
    is its text, with no links."""
    text = answer.text
    cited = {c.marker for c in answer.citations}

    def links(markers: Sequence[int]) -> str:
        return "".join(cite_link(turn, m) if m in cited else f"[{m}]" for m in markers)

    parts: list[str] = []
    cursor = 0
    for statement in answer.statements:
        at = text.find(statement.text, cursor)
        if at < 0:  # a text that does not hold its statements in order: the statements alone
            return " ".join(
                isolated(s.text) + (" " + links(s.markers) if s.markers else "") for s in answer.statements
            )
        end = at + len(statement.text)
        parts.append(html.escape(text[cursor:at]) + isolated(statement.text))
        written = " " + "".join(f"[{m}]" for m in statement.markers)
        if statement.markers and text.startswith(written, end):
            parts.append(" " + links(statement.markers))
            end += len(written)
        cursor = end
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)


def source_line(citation: Citation) -> str:
    parts = [citation.outlet, citation.published]
    where = ", ".join(p for p in parts if p)
    return citation.title + (f" — {where}" if where else "")


def source_line_html(citation: Citation) -> str:
    """source_line as HTML, each of the article's fields isolated for direction."""
    where = ", ".join(isolated(p) for p in (citation.outlet, citation.published) if p)
    return isolated(citation.title) + (f" — {where}" if where else "")


def quote_in_paragraph(citation: Citation) -> tuple[str, str, str] | None:
    """(before, quote, after) within the quote's paragraph of the article's plain text; None if
    the file changed or is gone.

    The paragraph is read from the text the ingest read (for a page, its text without markup:
    `assistant.ingest.loading.load`), never from the file's raw HTML: what surrounds a quote is
    the sentences of the story around it, never styles, scripts or the page's menus."""
    try:
        source = _article_text(Path(citation.path))
    except (OSError, UnreadableFileError):  # gone, or no longer an article file
        return None
    if source.source[citation.char_start : citation.char_end] != citation.quote:
        return None
    span = plain_span(source, citation.char_start, citation.char_end)
    if span is None:  # the quote's characters are not text of the page (never seen): itself only
        return "", citation.text, ""
    start, end = span
    plain = source.plain
    first = plain.rfind("\n", 0, start) + 1
    last = plain.find("\n", end)
    last = len(plain) if last == -1 else last
    for a, b in source.furniture:  # a page's menus, headers and asides are no part of the story
        if b <= start:
            first = max(first, b)
        elif a >= end:
            last = min(last, a)
    before = plain[max(first, start - CONTEXT_CHARS) : start]
    after = plain[end : min(last, end + CONTEXT_CHARS)]
    if start - first > CONTEXT_CHARS:
        before = "…" + before.split(" ", 1)[-1]
    if last - end > CONTEXT_CHARS:
        after = after.rsplit(" ", 1)[0] + "…"
    return before, plain[start:end], after


def plain_span(source: SourceText, start: int, end: int) -> tuple[int, int] | None:
    """The span of `source.plain` whose characters came from source[start:end] (the same span
    for a text file); None when no span of the plain text maps to exactly that."""
    if source.offsets is None:
        return start, end
    offsets, size = source.offsets, len(source.plain)
    # Plain characters map to source spans in order: the first that starts at `start`, the last
    # that ends at `end`.
    first = bisect_left(range(size), start, key=lambda i: offsets.char_span(i)[0])
    last = bisect_left(range(size), end, key=lambda i: offsets.char_span(i)[1])
    if first >= size or last >= size or first > last or offsets.span(first, last + 1) != (start, end):
        return None
    return first, last + 1


def _article_text(path: Path) -> SourceText:
    stat = path.stat()
    return _loaded(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _loaded(path: str, mtime_ns: int, size: int) -> SourceText:
    """A file read as the ingest reads it, kept for the next quote of the same file: an answer's
    quotes often come from one article, and a page's text takes a while to take apart."""
    return load(Path(path))


def shorten(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def evidence_html(citation: Citation, turn: int) -> str:
    """A closed <details> block: the quote's preview; opened, the article and the quote in its paragraph."""
    e = html.escape
    parts = quote_in_paragraph(citation)
    if parts is None:
        quote = citation.text
        body = f'<p class="cite-para"><mark>{isolated(quote)}</mark></p>'
        note = " (the file has changed or is gone since it was indexed)"
    else:
        before, quote, after = parts
        body = f'<p class="cite-para">{isolated(before)}<mark>{isolated(quote)}</mark>{isolated(after)}</p>'
        note = ""
    when = (
        " · ".join(isolated(x) for x in (citation.outlet, citation.published) if x) or "outlet and date not stated"
    )
    return (
        f'<details class="cite" id="{cite_id(turn, citation.marker)}">'
        f"<summary>[{citation.marker}] {isolated(shorten(quote))}</summary>"
        f'<div class="cite-meta"><span class="cite-title">{isolated(citation.title)}</span> · {when}'
        f"{original_link(citation)}</div>{body}"
        f'<div class="cite-file">{isolated(Path(citation.path).name)}, characters '
        f"{citation.char_start}–{citation.char_end}{e(note)}</div></details>"
    )


def original_link(citation: Citation) -> str:
    """ · a link to the article's web address, when it has one (http and https only)."""
    if not citation.url or not citation.url.startswith(("http://", "https://")):
        return ""
    href = html.escape(citation.url, quote=True)
    return f' · <a class="cite-url" href="{href}" target="_blank" rel="noopener noreferrer nofollow">original</a>'


def sources_html(citations: Sequence[Citation], turn: int) -> str:
    """One line per article, with the markers that cite it."""
    by_doc: dict[str, list[Citation]] = {}
    for citation in citations:
        by_doc.setdefault(citation.doc_id, []).append(citation)
    items = []
    for cited in by_doc.values():
        links = "".join(cite_link(turn, c.marker) for c in cited)
        items.append(f"<li>{source_line_html(cited[0])}{original_link(cited[0])} {links}</li>")
    return f'<div class="sources"><div class="sources-title">Sources</div><ol>{"".join(items)}</ol></div>'


def answer_html(answer: Answer, turn: int, label: str) -> str:
    """The finished answer as HTML: cited text, mode, sources and evidence panels."""
    css = "answer-text abstained" if answer.abstained else "answer-text"
    parts = [f'<div class="answer"><p class="{css}">{linked_text(answer, turn)}</p>']
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
        quote = c.text
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


ARTICLES_PER_PAGE = 50


def page_of(page: float | int | None, total: int) -> int:
    """A page number the corpus table can show (1 when the number makes no sense)."""
    last = max(1, -(-total // ARTICLES_PER_PAGE))
    try:
        wanted = int(page or 1)
    except (TypeError, ValueError):
        wanted = 1
    return min(max(wanted, 1), last)


def article_rows(articles: Sequence[ArticleInfo]) -> list[list[Any]]:
    return [[a.title, a.outlet or "", a.published or "", a.chunks] for a in articles]


def article_count_text(page: int, shown: int, total: int) -> str:
    if not total:
        return "No articles yet."
    first = (page - 1) * ARTICLES_PER_PAGE + 1
    return f"Articles {first:,}–{first + shown - 1:,} of {total:,} (page {page} of {max(1, -(-total // ARTICLES_PER_PAGE))})."


def article_choices(articles: Sequence[ArticleInfo]) -> list[tuple[str, str]]:
    choices = []
    for a in articles:
        where = ", ".join(x for x in (a.outlet, a.published) if x)
        choices.append((a.title + (f" ({where})" if where else ""), a.doc_id))
    return choices
