"""Property-based tests (hypothesis): arbitrary text, bytes and HTML in, no exception out, and every
offset pointing at exactly the source text it claims.

The examples are generated, not mocked: real files in a temporary folder, the real loader,
cleaner, sentence splitter and chunker, and (for the citation test) the real index.
"""

from __future__ import annotations

import html
import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from assistant.ingest import cleaning
from assistant.ingest.chunking import chunk_sentences, story_sentences
from assistant.ingest.documents import build_article
from assistant.ingest.loading import UnreadableFileError, decode, load, read_text
from assistant.ingest.pipeline import FIRST_BATCH, LAST_PART, batch_groups
from assistant.ingest.sentences import split_sentences
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.lexical import content_terms, words
from tests.conftest import open_assistant

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text of any script, with the punctuation, quotes and line breaks articles have.
PROSE_ALPHABET = st.sampled_from(
    list(string.ascii_letters + string.digits + "  \n\n\t.,;:!?'\"-()[]&…“”‘’«»")
    + list("ÉéèçñüßÆøå")
    + list("ПутинМакронКремльпереговоры")
    + list("ΑθήναΕλλάδα")
    + list("東京大学カタカナ")
    + ["\r", "\u2028", "\x00", "\ufeff", "\u200b", "ﬁ", "１"]
)
prose = st.text(alphabet=PROSE_ALPHABET, max_size=600)
sentence_text = st.text(
    alphabet=st.sampled_from(list(string.ascii_letters + "ÉéПутинΑθήνα  ,'")), min_size=1, max_size=60
).map(lambda s: s.strip() or "word")
article_text = st.lists(
    st.tuples(sentence_text, st.sampled_from([". ", "! ", "? ", ".\n\n", ". “", "… "])),
    min_size=1,
    max_size=30,
).map(lambda parts: "Headline of the story\n\n" + "".join(s[:1].upper() + s[1:] + end for s, end in parts))

ENTITIES = [
    "&amp;",
    "&amp",
    "&lt;",
    "&gt",
    "&#169;",
    "&#169",
    "&#x41;",
    "&#x41",
    "&apos;",
    "&hellip;",
    "&bogus;",
    "&#xZZ;",
    "&#;",
    "&",
    "&#",
    "&#99999999;",
    "&#0;",
    "&nbsp;",
    "&copy",
]
TAGS = [
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<br>",
    "<br/>",
    "<b>",
    "</b>",
    "<title>",
    "</title>",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<nav>",
    "</nav>",
    "<h1>",
    "</h1>",
    '<meta property="og:site_name" content="A &amp; B">',
    '<a href="x?a=1&b=2">',
    "</a>",
    "<!-- c -->",
    "<!DOCTYPE html>",
    "<",
    ">",
    "</",
    "<!",
    "<![CDATA[x]]>",
    "<?xml?>",
]
html_pieces = st.lists(
    st.one_of(st.sampled_from(ENTITIES), st.sampled_from(TAGS), prose.map(lambda s: s[:80])), max_size=60
).map("".join)


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@FAST
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".md", ".html"]))
@example(data="Élysée".encode("utf-16"), suffix=".txt")
@example(data=b"A" * 5000 + b"\x00", suffix=".txt")
def test_loading_any_bytes_gives_text_or_a_reason(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _file(Path(folder), "article" + suffix, data)
        try:
            loaded = load(path)
        except UnreadableFileError as exc:
            assert str(exc), "a skipped file says why"
            return
        assert loaded.source == read_text(path) == decode(data), "citations index the text load read"
        assert "\x00" not in loaded.source
        if loaded.offsets is None:
            assert loaded.plain == loaded.source
        elif loaded.plain:
            start, end = loaded.source_span(0, len(loaded.plain))
            assert 0 <= start <= end <= len(loaded.source)


@FAST
@given(source=html_pieces)
@example(source="<p>Tom &amp Jerry; later; much later;</p>")
@example(source="<p>&#169 2022 and then; a semicolon</p>")
@example(source="\ufeff0")
def test_html_offsets_point_at_what_each_character_came_from(source: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _file(Path(folder), "page.html", source.encode("utf-8"))
        try:
            loaded = load(path)
        except UnreadableFileError:
            return
    assert loaded.offsets is not None
    source = loaded.source  # what offsets index: the decoded file (a leading BOM is not text)
    for index, char in enumerate(loaded.plain):
        start, end = loaded.offsets.char_span(index)
        assert 0 <= start <= end <= len(source)
        raw = source[start:end]
        if char.isspace():
            continue  # collapsed whitespace and block breaks stand for the gap they replace
        if raw.startswith("&"):
            assert end - start <= 40, f"a reference spans {raw!r}"
            assert ";" not in raw[:-1], f"a reference ran on to a later ';': {raw!r}"
            decoded = html.unescape(raw)
            assert char in (decoded, "\ufffd") or decoded == raw or raw == char, (char, raw)
        else:
            assert raw == char, (char, raw)


@FAST
@given(text=prose)
def test_cleaning_and_sentences_keep_exact_offsets(text: str) -> None:
    layout = cleaning.analyze(text)
    for line in [*layout.header, *layout.body, *(line for line, _ in layout.dropped)]:
        assert text[line.start : line.end] == line.text and line.text == line.text.strip()
    spans = split_sentences(text)
    previous_end = 0
    for span in spans:
        piece = text[span.start : span.end]
        assert piece and piece == piece.strip(), "a sentence has no outer whitespace"
        assert span.start >= previous_end, "sentences do not overlap and come in order"
        previous_end = span.end
    covered = "".join(text[s.start : s.end] for s in spans)
    assert "".join(covered.split()) == "".join(text.split()), "no text is lost between sentences"


@FAST
@given(text=article_text, chunk_tokens=st.integers(16, 256), overlap=st.integers(0, 15))
def test_chunks_are_whole_sentences_within_the_budget(text: str, chunk_tokens: int, overlap: int) -> None:
    layout = cleaning.analyze(text)
    sentences = story_sentences(text, layout.body, chunk_tokens)
    chunks = chunk_sentences(sentences, chunk_tokens, overlap)
    seen = []
    for chunk in chunks:
        assert chunk.sentences
        for (local_start, local_end), sentence in zip(chunk.local_offsets(), chunk.sentences):
            assert chunk.text[local_start:local_end] == sentence.text == text[sentence.start : sentence.end]
        if len(chunk.sentences) > 1:
            assert chunk.tokens <= chunk_tokens
        seen.extend(s.start for s in chunk.sentences)
    assert sorted(set(seen)) == [s.start for s in sentences], "every sentence is in some chunk"


@FAST
@given(text=prose)
def test_words_of_anything_are_casefolded_word_characters(text: str) -> None:
    for word in words(text):
        assert word and word == word.casefold()
        assert all(ch.isalnum() for ch in word), word
    assert all(term for term in content_terms(text))


@pytest.fixture(scope="module")
def property_index(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Path:
    return tmp_path_factory.mktemp("property-index")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=article_text, as_html=st.booleans(), encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_every_citation_quote_is_its_source_slice(
    text: str, as_html: bool, encoding: str, property_index: Path, embedder: MiniLMEmbedder
) -> None:
    body = text
    if as_html:
        body = (
            "<html><body>"
            + "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
            + "</body></html>"
        )
    try:
        data = body.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = _file(Path(folder), "story.html" if as_html else "story.txt", data)
        try:
            article = build_article(path, 64, 16)
        except UnreadableFileError:
            return
        source = read_text(path)
        assert article.source.source == source
        for chunk in article.chunks:
            for sentence in chunk.sentences:
                start, end = article.source_span(sentence.start, sentence.end)
                assert 0 <= start < end <= len(source)
                if not as_html:
                    assert source[start:end] == sentence.text
        bot = open_assistant(property_index, embedder)
        report = bot.ingest([path])
        assert not report.skipped or report.skipped[0].reason
        question = " ".join(text.split()[1:8]) or "What happened?"
        answer = bot.ask(question)
        for citation in answer.citations:
            assert source[citation.char_start : citation.char_end] == citation.quote
        for article_info in bot.articles():
            bot.remove(article_info.doc_id)


@settings(max_examples=300, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=700), max_size=80),
    batch_chunks=st.integers(min_value=1, max_value=1024),
)
def test_ingest_batches_keep_every_article_once_in_order_and_stay_bounded(
    sizes: list[int], batch_chunks: int
) -> None:
    groups = list(batch_groups(iter(range(len(sizes))), lambda i: sizes[i], batch_chunks))
    assert [i for group in groups for i in group] == list(range(len(sizes)))
    assert all(groups)
    for group in groups:  # a batch closes as soon as it reaches its size: one article over at most
        assert sum(sizes[i] for i in group[:-1]) < max(batch_chunks, 2 * LAST_PART)
    if len(groups) > 1:  # the encoder starts after a few articles
        assert sum(sizes[i] for i in groups[0][:-1]) < min(FIRST_BATCH, batch_chunks)
    if sum(sizes) > 2 * batch_chunks and max(sizes) <= LAST_PART:
        assert sum(sizes[i] for i in groups[-1]) <= 2 * LAST_PART  # the last write is small


JUNK_PHRASES = [
    "Subscribe to our newsletter",
    "Please subscribe to the channel",
    "Newsletter: sign up",
    "This site uses Akismet to reduce spam.",
    "Learn how your comment data is processed.",
    "Your email address will not be published.",
    "Required fields are marked *",
    "All Rights Reserved.",
    "\u00a9 2022 Example Media",
    "We use cookies; accept them",
    "Cookies help us; you accept them",
    "Click here for more",
    "Read in material from the agency",
    "Source: https://example.com/story",
    "See www.example.com",
    "Join us at t.me/channel",
    "Comment policy",
    "Comments are moderated",
    "Be respectful",
    "Log in to comment",
]


@FAST
@given(
    before=st.text(max_size=60),
    phrase=st.sampled_from(JUNK_PHRASES),
    after=st.text(max_size=60),
    upper=st.booleans(),
)
def test_the_junk_phrase_search_is_skipped_only_on_lines_it_would_not_match(
    before: str, phrase: str, after: str, upper: bool
) -> None:
    # The cleaner searches a line for junk phrases only when it holds one of their literals
    # (_JUNK_CUES): every line the full search matches must hold one, whatever surrounds it.
    text = f"{before} {phrase.upper() if upper else phrase} {after}"
    assume(text.strip() == text and text)
    line = cleaning.Line(text, 0, len(text))
    if cleaning._JUNK_PHRASE.search(text):
        assert any(cue in text.casefold() for cue in cleaning._JUNK_CUES), text
        assert cleaning.junk_reason(line) is not None or line.words > cleaning.MAX_FURNITURE_WORDS
    if cleaning._FURNITURE_WORDS.search(text):
        assert any(cue in text.casefold() for cue in cleaning._JUNK_CUES), text
        assert cleaning.junk_reason(line) is not None or cleaning.is_prose(line)
