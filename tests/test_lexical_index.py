"""The lexical (tantivy) index against the Chroma side it is fused with: its statistics after
articles are removed, and its filters (outlet, articles left out) applied before its top hits are
chosen. Real indexes of the sample corpus and of articles written here, real tantivy."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.lexical import bm25_idf, content_terms
from assistant.search.lexical_index import LexicalChunk, LexicalIndex
from assistant.search.retrieval import Filters, LexicalRetriever
from tests.conftest import open_assistant


def _live_chunks_holding(bot: Assistant, term: str) -> tuple[int, int]:
    """(chunks of the store holding `term`, chunks of the store), counted from their text."""
    chunks = bot._index.store.chunks(sorted(bot._index.store.all_ids()))
    return sum(term in content_terms(c.text) for c in chunks), len(chunks)


def test_document_frequency_counts_only_the_chunks_left_after_removals(
    corpus_copy: Path, tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """tantivy's own count of a term's chunks keeps those of removed articles until a merge:
    after 4 of the 5 sample articles were removed, "macron" was in 13 chunks of 3 and its IDF
    -1.2. The answer step weighs question words by these figures."""
    index_dir = tmp_path / "index"
    bot = open_assistant(index_dir, embedder)
    assert len(bot.ingest([corpus_copy]).added) == 5
    term = "macron"
    holding, total = _live_chunks_holding(bot, term)
    assert bot._index.lexical.document_frequency(term) == holding and bot._index.lexical.count() == total
    for article in bot.articles()[:4]:
        assert bot.remove(article.doc_id)
    holding, total = _live_chunks_holding(bot, term)
    assert 0 < holding <= total < 10
    for opened in (bot, open_assistant(index_dir, embedder)):  # this process's, and a fresh one
        lexical = opened._index.lexical
        assert lexical.count() == total
        assert lexical.document_frequency(term) == holding
        assert opened._vocabulary.idf(term) == pytest.approx(bm25_idf(holding, total))
        assert opened._vocabulary.idf(term) > 0


def test_a_term_common_only_among_removed_chunks_is_still_searched(tmp_path: Path) -> None:
    """A term held by more than MAX_SHARE of the chunks is left out of a query; which share it
    holds is of the chunks there are, not of those removed."""
    lexical = LexicalIndex(tmp_path / "lexical")
    chunks = [LexicalChunk(f"p{i}:0", f"p{i}", f"port crane{i}") for i in range(10)]
    chunks += [LexicalChunk(f"o{i}:0", f"o{i}", f"weather rain{i}") for i in range(9)]
    chunks.append(LexicalChunk("s:0", "s", "strike weather"))
    lexical.write(chunks)
    assert {h.doc_id for h in lexical.search(["port", "strike"], 20)} == {"s"}  # "port": 10 of 20
    lexical.remove([f"p{i}" for i in range(8)])
    assert lexical.count() == 12 and lexical.document_frequency("port") == 2  # 2 of 12: searched
    assert {h.doc_id for h in lexical.search(["port", "strike"], 20)} == {"s", "p8", "p9"}


STORIES = {
    "gazette.txt": (
        "Harbor Gazette",
        "Dockworkers end port strike after wage deal",
        "Dockworkers at the container port ended their strike on Thursday after the port authority "
        "agreed to raise wages by six percent. The strike had halted cranes at the port for a week.",
    ),
    "shouting.txt": (
        "HARBOR GAZETTE",
        "Port strike talks resume as dockworkers demand wages",
        "Talks to end the port strike resumed on Monday. Dockworkers demand higher wages, and the "
        "port authority said the strike costs the port millions a day in lost cargo.",
    ),
}


@pytest.fixture(scope="module")
def two_spellings_bot(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Assistant:
    folder = tmp_path_factory.mktemp("two-spellings")
    for name, (outlet, title, text) in STORIES.items():
        (folder / name).write_text(f"Title: {title}\nSource: {outlet}\nDate: 2024-03-14\n\n{text}\n", encoding="utf-8")
    bot = open_assistant(tmp_path_factory.mktemp("two-spellings-index"), embedder)
    assert len(bot.ingest([folder]).added) == 2
    assert {a.outlet for a in bot.articles()} == {"Harbor Gazette", "HARBOR GAZETTE"}
    return bot


def test_the_outlet_filter_compares_outlets_exactly_as_the_vector_store_does(two_spellings_bot: Assistant) -> None:
    """Chroma reads only "Harbor Gazette"'s chunks for `--outlet "Harbor Gazette"`; the lexical
    side also read those of an outlet written "HARBOR GAZETTE"."""
    bot = two_spellings_bot
    question = "Why did the dockworkers strike at the port?"
    by_outlet = {a.doc_id: a.outlet for a in bot.articles()}
    for outlet in ("Harbor Gazette", "HARBOR GAZETTE"):
        hits = bot._index.lexical.search(content_terms(question), 10, outlet=outlet)
        assert hits and {by_outlet[h.doc_id] for h in hits} == {outlet}
        lexical = LexicalRetriever(bot._index, 10).search(question, Filters(outlet=outlet))
        assert lexical and {n.node.metadata["outlet"] for n in lexical} == {outlet}
    assert bot._index.lexical.search(content_terms(question), 10, outlet="harbor gazette") == []


def test_articles_left_out_leave_their_places_to_the_next_lexical_hits(sample_bot: Assistant) -> None:
    """With 6 candidates, leaving out the article of most of them gave 2 lexical hits, though
    other chunks matched: the article was left out after the top 6 were chosen."""
    question = "What did Putin tell Macron about NATO security guarantees?"
    everything = LexicalRetriever(sample_bot._index, 100).search(question, Filters())
    top = [n.node.metadata["doc_id"] for n in everything[:6]]
    excluded = max(set(top), key=top.count)
    assert top.count(excluded) >= 2
    others = [n.node.node_id for n in everything if n.node.metadata["doc_id"] != excluded]
    assert len(others) >= 6
    left_out = Filters(exclude_doc_ids=frozenset({excluded}))
    hits = LexicalRetriever(sample_bot._index, 6).search(question, left_out)
    assert [n.node.node_id for n in hits] == others[:6]


def test_another_process_commit_is_read_at_once(tmp_path: Path) -> None:
    """A page's reader saw a terminal ingest's commit only when tantivy's watcher next polled for
    it, so a question asked right after refused ("No article uses the words Kapexpextus, dam or
    open"; a full-suite run on an idle machine): `refresh`, before each question, reads it now."""
    writer = LexicalIndex(tmp_path / "lexical")
    writer.write([LexicalChunk("a:0", "a", "port strike")])
    reader = LexicalIndex(tmp_path / "lexical")  # another process's view of the same folder
    assert reader.document_frequency("strike") == 1 and not reader.refresh()
    writer.write([LexicalChunk("d:0", "d", "kapexpextus dam open")])
    assert reader.refresh() and reader.document_frequency("kapexpextus") == 1
    assert not reader.refresh()  # nothing new since
