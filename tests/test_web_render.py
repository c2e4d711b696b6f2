"""The chat page's HTML for real answers from a real index: which [n] are links, and what the
evidence shows around a quote; and what opening the page writes to an index."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from assistant import Assistant, Settings
from assistant.search.embedding import MiniLMEmbedder
from assistant.types import Answer
from assistant.web.opening import OpenOnFirstUse
from assistant.web.render import answer_html, evidence_html, quote_in_paragraph
from tests.conftest import CORPUS, bot_over, open_assistant

pytestmark = pytest.mark.slow

# An article that quotes its own footnotes: "[2]" in its text is no marker of an answer.
FOOTNOTED = """Eiffel Tower facts

Paris Daily

2022-02-09

The Eiffel Tower is 330 metres tall [2] according to the operating company.

The Eiffel Tower was completed in 1889 [1] for the World's Fair, and it was the tallest structure in the world until 1930 [3].
"""
# A page saved on one line, as many are: styles, menus and scripts beside the story.
ONE_LINE_PAGE = (
    "<!doctype html><html><head><title>Harbor &amp; dock report</title>"
    '<meta property="og:site_name" content="Port News">'
    '<meta property="article:published_time" content="2022-02-11">'
    "<style>body{color:red} .menu{display:flex}</style></head><body>"
    '<nav class="menu">Home | World | Sports</nav><article><h1>Harbor &amp; dock report</h1>'
    "<p>The port authority of Quellmouth met on Friday. The harbor master said the new dock will "
    "handle 300 ships a year starting in <em>March</em>. Fishermen welcomed the dock, saying it "
    "would cut waiting times.</p><p>The old pier will close in the autumn.</p></article>"
    '<script>var secret="do not show"; function track(){}</script></body></html>'
)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Iterator[Assistant]:
    folder = tmp_path_factory.mktemp("render-articles")
    (folder / "eiffel.txt").write_text(FOOTNOTED, encoding="utf-8")
    (folder / "harbor.html").write_text(ONE_LINE_PAGE, encoding="utf-8")
    bot = open_assistant(tmp_path_factory.mktemp("render-index"), embedder)
    report = bot.ingest([folder, *sorted(CORPUS.glob("*.txt"))[:1]])
    assert len(report.added) == 3, report.summary()
    yield bot


def answer_part(page: str) -> str:
    """The answer's text paragraph of `answer_html`."""
    found = re.search(r'<p class="answer-text[^"]*">(.*?)</p>', page, re.S)
    assert found, page
    return found.group(1)


def shown_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


def linked_markers(fragment: str, turn: int) -> list[int]:
    return [int(m) for m in re.findall(rf'<a class="cite-ref" href="#cite-{turn}-(\d+)">', fragment)]


def test_only_the_answers_own_markers_are_links(bot: Assistant) -> None:
    answer = bot.ask("How tall is the Eiffel Tower?")
    assert any("[2]" in s.text for s in answer.statements), "the answer should quote the footnoted sentence"
    text = answer_part(answer_html(answer, 3, "offline"))
    # One link for each marker of each statement, in order; the article's own "[2]" and "[1]"
    # are words of the quote.
    assert linked_markers(text, 3) == [m for s in answer.statements for m in s.markers]
    assert "330 metres tall [2] according" in text
    assert shown_text(text) == answer.text, "the text shown is the answer's text, word for word"
    for marker in linked_markers(text, 3):
        assert any(c.marker == marker for c in answer.citations)


def test_what_a_document_wrote_is_isolated_for_direction(bot: Assistant) -> None:
    """A right-to-left override in one article's sentence or title turned the text shown after
    it around on the page: another article's sentence read backwards, a date as "81-20-2202",
    citation markers out of place. Every statement, title, outlet, date and quote is a <bdi>."""
    answer = bot.ask("How tall is the Eiffel Tower?")
    page = answer_html(answer, 1, "offline")
    text = answer_part(page)
    assert all(f"<bdi>{html.escape(s.text)}</bdi>" in text for s in answer.statements), text
    assert shown_text(text) == answer.text
    for citation in answer.citations:
        assert f"<bdi>{html.escape(citation.title)}</bdi>" in page
        for field in (citation.outlet, citation.published):
            assert not field or f"<bdi>{html.escape(field)}</bdi>" in page
        assert f"<mark><bdi>{html.escape(citation.text)}</bdi></mark>" in page


def test_a_refusal_has_no_links(bot: Assistant) -> None:
    answer = bot.ask("What is the capital of Mongolia?")
    assert answer.abstained and not answer.statements
    # A refusal that happens to hold a bracketed number is text too.
    answer = Answer(answer.question, answer.text + " See [1].", True, answer.mode)
    text = answer_part(answer_html(answer, 0, "offline"))
    assert "cite-ref" not in text
    assert shown_text(text) == answer.text


def test_a_refusal_that_cites_what_was_not_made_known_links_its_marker(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"Which German club approached Quintela?" of an article that says the club was not named is
    refused with that sentence, cited: its marker is a link and its source is listed."""
    transfer = (
        "Leeds Ledger\n\nNorthgate sign Quintela\n\nAugust 26, 2025\n\n"
        "LEEDS, Aug 26 - Northgate Athletic have signed Brazilian striker Davi Quintela from Maresia. "
        "Quintela's agent said the Brazilian had turned down an approach from an unnamed German club in July.\n"
    )
    answer = bot_over(tmp_path, embedder, {"transfer.txt": transfer}).ask("Which German club approached Quintela in July?")
    assert answer.abstained and len(answer.citations) == 1, answer.text
    page = answer_html(answer, 2, "offline")
    text = answer_part(page)
    assert linked_markers(text, 2) == [1]
    assert shown_text(text) == answer.text
    assert "Leeds Ledger" in page and "an unnamed German club" in page


def test_a_pages_evidence_is_the_story_around_the_quote(bot: Assistant) -> None:
    answer = bot.ask("How many ships a year will the new dock handle?")
    cited = next(c for c in answer.citations if c.path.endswith("harbor.html"))
    assert "300 ships" in cited.text
    parts = quote_in_paragraph(cited)
    assert parts is not None
    before, quote, after = parts
    assert quote == cited.text
    assert before == "The port authority of Quellmouth met on Friday. "
    assert after == " Fishermen welcomed the dock, saying it would cut waiting times."
    panel = evidence_html(cited, 0)
    for markup in ("color:red", "display:flex", "secret", "track()", "Home | World", "<em>", "&lt;"):
        assert markup not in panel, markup
    assert f"<mark><bdi>{html.escape(cited.text)}</bdi></mark>" in panel


def test_a_text_files_evidence_is_its_paragraph(bot: Assistant) -> None:
    answer = bot.ask("When was the Eiffel Tower completed?")
    cited = next(c for c in answer.citations if "1889" in c.quote)
    assert quote_in_paragraph(cited) == ("", cited.quote, "")  # the paragraph is the sentence


def test_a_read_only_page_adds_no_sample_articles(tmp_path: Path) -> None:
    settings = Settings.from_mapping({"index_dir": tmp_path / "index", "read_only": True})
    opened = OpenOnFirstUse(settings, CORPUS).get()
    assert opened.article_count() == 0
    assert not (tmp_path / "index" / "ingest.lock").exists(), "no ingest ran"
