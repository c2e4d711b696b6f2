"""Saved web pages: the story found by trafilatura and cited by exact offsets, metadata from the
markup, impossible dates ignored, and sentence boundaries inside stories."""

from __future__ import annotations

import html
import json
import logging
import quopri
from datetime import date
from pathlib import Path

import pytest

from assistant.ingest.documents import build_article, read_story
from assistant.ingest.html_text import html_to_text
from assistant.ingest.loading import read_text
from assistant.ingest.page_metadata import day_first, language_code, parse_date
from assistant.ingest.sentences import split_sentences
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.store import chunk_metadata
from tests.conftest import open_assistant
from tests.news_site import article_page

STORY = [
    "The harbour authority of Valdora said on Tuesday that the new ferry terminal will open in March, "
    "two years later than planned, because of a shortage of steel.",
    "Director Ines Marlow told reporters the terminal would handle forty sailings a day &amp; serve "
    "about two million passengers a year once the second quay is finished.",
    "The regional government has paid for most of the work, which began in the spring of 2019.",
]


def _write(tmp_path: Path, html: str, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def _json_ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_json_ld_gives_title_outlet_authors_dates_url_and_language(tmp_path: Path) -> None:
    head = _json_ld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "name": "Harbour Gazette", "datePublished": "2010-05-01"},
                {
                    "@type": ["NewsArticle"],
                    "headline": "Valdora ferry terminal to open in March",
                    "datePublished": "2021-12-07T09:30:00+01:00",
                    "dateModified": "2021-12-08",
                    "author": [{"@type": "Person", "name": "Ines Ward"}, {"name": "Tom Berg"}],
                    "publisher": {"@type": "Organization", "name": "Harbour Gazette"},
                },
            ],
        }
    )
    page = _write(
        tmp_path,
        article_page(
            headline="Valdora ferry terminal to open in March",
            paragraphs=STORY,
            head=head,
            canonical="https://gazette.example/news/ferry",
        ),
    )
    article = build_article(page, 128, 32)
    assert article.extractor == "trafilatura"
    assert article.title == "Valdora ferry terminal to open in March"
    assert article.outlet == "Harbour Gazette"
    assert article.authors == ("Ines Ward", "Tom Berg")
    assert article.published == date(2021, 12, 7)  # the article's date, not the site's
    assert article.modified == date(2021, 12, 8)
    assert article.url == "https://gazette.example/news/ferry"
    assert article.language == "en-GB"
    meta = chunk_metadata(article, 0)
    assert meta["url"] == "https://gazette.example/news/ferry" and meta["authors"] == "Ines Ward; Tom Berg"


def test_opengraph_gives_outlet_title_date_and_url(tmp_path: Path) -> None:
    head = (
        '<meta property="og:site_name" content="Coastal Courier">'
        '<meta property="og:title" content="Ferry terminal delayed again">'
        '<meta property="og:url" content="https://courier.example/ferry">'
        '<meta property="article:published_time" content="2021-11-30T08:00:00Z">'
        '<meta name="author" content="Ana Lind">'
    )
    article = build_article(
        _write(tmp_path, article_page(headline="Ferry", paragraphs=STORY, head=head)), 128, 32
    )
    assert article.outlet == "Coastal Courier"
    assert article.published == date(2021, 11, 30)
    assert article.url == "https://courier.example/ferry"
    assert article.authors == ("Ana Lind",)


def _fetched(tmp_path: Path, page: str, url: str, feed_title: str, item_title: str, item_date: str) -> Path:
    """A page as a feed's fetch stores it: the snapshot and its sidecar (assistant/ingest/fetch.py)."""
    path = _write(tmp_path, page)
    record = {"kind": "news-assistant snapshot", "url": url, "feed": url.rsplit("/", 1)[0] + "/feed.xml",
              "feed_title": feed_title, "feed_entry_title": item_title, "feed_entry_published": item_date}
    path.with_suffix(".json").write_text(json.dumps(record), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("feed_title", "url", "outlet"),
    [
        ("Harbor Gazette - World News", "https://www.harborgazette.com/world/ferry", "Harbor Gazette"),
        ("Latest stories | Reuters", "https://www.reuters.com/world/ferry", "Reuters"),
        ("The New York Times > World", "https://www.nytimes.com/2024/ferry.html", "The New York Times"),
        # a feed that lists other sites' articles, or a section's: the page's address names it
        ("Top stories - Google News", "https://www.newsweek.com/ferry", "newsweek.com"),
        ("Hacker News", "https://www.newyorker.com/ferry", "newyorker.com"),
        ("Top stories", "https://www.history.com/ferry", "history.com"),
    ],
)
def test_a_fetched_page_that_names_no_outlet_takes_its_feeds_title_when_it_names_the_site(
    tmp_path: Path, feed_title: str, url: str, outlet: str
) -> None:
    page = article_page(headline="Ferry terminal delayed again", paragraphs=STORY)
    path = _fetched(tmp_path, page, url, feed_title, "Ferry terminal delayed", "Tue, 30 Nov 2021 08:00:00 GMT")
    article = build_article(path, 128, 32)
    assert (article.outlet, article.published) == (outlet, date(2021, 11, 30))


def test_a_fetched_page_that_states_no_title_takes_its_feed_items_not_a_heading_of_the_page(tmp_path: Path) -> None:
    """No <title>, headline or meta title: trafilatura's guess from the page's headings (the
    aside's "Most read") was the title, though the feed that listed it names the item."""
    page = (
        "<html><body><main><p>" + "</p><p>".join(STORY) + "</p>"
        "<aside><h2>Most read</h2><ul><li><a href='/a'>Storm closes the coast road</a></li></ul></aside></main></body></html>"
    )
    path = _fetched(tmp_path, page, "https://harborgazette.com/ferry", "Harbor Gazette", "Ferry terminal delayed again", "2024-03-03")
    assert build_article(path, 128, 32).title == "Ferry terminal delayed again"


def test_a_date_the_page_prints_comes_before_its_feeds_date(tmp_path: Path) -> None:
    page = article_page(headline="Ferry terminal delayed again", paragraphs=["By Sam Ortiz | March 3, 2024", *STORY])
    path = _fetched(tmp_path, page, "https://harborgazette.com/ferry", "Harbor Gazette", "Ferry", "2024-12-20T10:00:00Z")
    assert build_article(path, 128, 32).published == date(2024, 3, 3)


@pytest.mark.parametrize(
    ("language", "first"),
    [("en-GB", True), ("en_gb", True), ("en-Latn-GB", True), ("fr-CA", True), ("de", True), ("en-150", True),
     ("en-US", False), ("en", False), ("en-001", False), ("und", False), ("x-private", False), (None, False)],
)
def test_a_language_writes_dates_in_figures_day_first_unless_american_or_unnamed(language: str | None, first: bool) -> None:
    assert day_first(language) is first


@pytest.mark.parametrize(
    ("written", "code"),
    [("en-GB", "en-GB"), ("pt_BR", "pt-BR"), ("English (UK)", "en-GB"), ("English, United Kingdom", "en-GB"),
     ("English - U.S.", "en-US"), ("British English", "en-GB"), ("American English", "en-US"), ("English", "en"),
     ("French (Canada)", "fr-CA"), ("Deutsch", "de"), ("Norwegian Bokmål", "nb"), ("Chinese (Simplified)", "zh"),
     ("Brazilian Portuguese", "pt-BR"), ("Latin American Spanish", "es-419"), ("New Zealand English", "en-NZ"),
     ("English-US", "en-US"), ("Portuguese (Brazil)", "pt-BR"),
     ("Spoken English", None), ("the new frontier of AI", None), ("Breaking news", None),
     # a name with other words beside it is a headline, not a field
     ("French - the language of love", None), ("English (and why it matters)", None), ("English, a global tongue", None),
     ("English (Hi)", None)],
)
def test_a_language_is_read_by_its_tag_or_its_name(written: str, code: str | None) -> None:
    """As exports and copied pages write it ("Language: English (UK)"): its name as Babel names it."""
    assert language_code(written) == code


@pytest.mark.parametrize(("lang", "expected"), [("en-GB", date(2021, 11, 3)), ("en-US", date(2021, 3, 11)), ("de", date(2021, 11, 3))])
def test_a_date_in_figures_is_read_as_the_pages_language_writes_dates(tmp_path: Path, lang: str, expected: date) -> None:
    stated = article_page(headline="Ferry", paragraphs=STORY, head='<meta name="date" content="03/11/2021">')
    printed = article_page(headline="Ferry", paragraphs=["Published 03/11/2021", *STORY])  # in the page's text
    for name, page in (("stated.html", stated), ("printed.html", printed)):
        path = _write(tmp_path, page.replace('<html lang="en-GB">', f'<html lang="{lang}">', 1), name)
        assert build_article(path, 128, 32).published == expected, name



def test_a_page_without_structured_data_is_read_by_trafilatura(tmp_path: Path) -> None:
    """No meta tags or JSON-LD: the author is the page's byline and the date the one in its
    address, as trafilatura reads them (only then: a page that states them is not searched)."""
    head = '<link rel="canonical" href="https://courier.example/2021/11/30/ferry-terminal">'
    byline = '<p><span class="author">Ana Lind</span></p>'
    page = _write(tmp_path, article_page(headline="Ferry", paragraphs=STORY, head=head, extra_body=byline))
    article = build_article(page, 128, 32)
    assert article.authors == ("Ana Lind",)
    assert article.published == date(2021, 11, 30)
    assert article.url == "https://courier.example/2021/11/30/ferry-terminal"

def test_the_sites_own_promotions_between_paragraphs_are_no_story(tmp_path: Path) -> None:
    """trafilatura keeps a site's promotions as paragraphs of the story ("Follow Newsbeat on
    Instagram, ...", "Reach the reporters on Twitter at ...", "If you enjoyed this article ...
    Join NRPLUS", a reporter's address): on a folder of real pages they were indexed, and asked
    about, quoted ("What is the Pick Six Newsletter?")."""
    promotions = [
        "Follow the Harbour Gazette on Instagram, Facebook, Twitter and YouTube.",
        "Reach the reporters on Twitter at http://twitter.com/example and http://twitter.com/other",
        "If you enjoyed this article, we have a proposition for you: Join GAZETTEPLUS.",
        "ines.marlow@harbourgazette.example",
        "Subscribe to the Morning Review newsletter",
        "Harbour Morning Newsletter",  # a heading; the real page's was "Pick Six Newsletter"
        "Listen to Harbour Radio live at 12:45 and 17:45 weekdays - or listen back here.",
    ]
    page = _write(tmp_path, article_page(headline="Ferry terminal delayed", paragraphs=[*STORY[:2], *promotions, STORY[2]]))
    text = " ".join(chunk.text for chunk in build_article(page, 512, 32).chunks)
    assert "shortage of steel" in text and "spring of 2019" in text
    for promotion in promotions:
        assert promotion[:30] not in text, promotion


@pytest.mark.parametrize(
    ("site_name", "publisher", "outlet"),
    [
        ("U.S.", "Harbour Gazette", "Harbour Gazette"),
        ("U.S.", None, "harbourgazette.example"),
        ("Valdora News | Harbour Gazette | Sport", None, "Harbour Gazette"),
    ],
)
def test_a_section_given_as_the_site_name_is_not_the_outlet(
    tmp_path: Path, site_name: str, publisher: str | None, outlet: str
) -> None:
    """Reuters' pages say og:site_name "U.S.": a section, not the outlet, and a question about
    "the U.S." would be asked of that outlet's articles alone. A site name that has nothing in
    common with the page's address gives way to one that does, else to the address's host; of a
    name written with its sections or tagline, the part that fits the address is the outlet."""
    head = (
        f'<meta property="og:site_name" content="{site_name}">'
        '<meta property="og:url" content="https://www.harbourgazette.example/us/ferry">'
    )
    if publisher:
        head += _json_ld({"@type": "NewsArticle", "headline": "Ferry", "publisher": {"name": publisher}})
    article = build_article(
        _write(tmp_path, article_page(headline="Ferry", paragraphs=STORY, head=head)), 128, 32
    )
    assert article.outlet == outlet


@pytest.mark.parametrize(
    ("address", "outlet"),
    [("https://www.hawaiinewsnow.example/2019/11/19/telescope", "hawaiinewsnow.example"), (None, None)],
)
def test_a_page_that_names_its_site_only_by_an_address_is_from_its_host(
    tmp_path: Path, address: str | None, outlet: str | None
) -> None:
    """Hawaii News Now's og:site_name is "https://www.hawaiinewsnow.com", an address, not a name,
    and the page names its site nowhere else: the outlet is the page's host, as when the names
    given do not fit it (it was none). Without the page's address there is none."""
    head = '<meta property="og:site_name" content="https://www.hawaiinewsnow.example">'
    head += f'<meta property="og:url" content="{address}">' if address else ""
    page = article_page(headline="Ferry", paragraphs=STORY, head=head)
    assert build_article(_write(tmp_path, page), 128, 32).outlet == outlet


@pytest.mark.parametrize(
    ("og_title", "title"),
    [
        ("Ferry terminal delayed again - Harbour Gazette", "Ferry terminal delayed again"),
        ("Harbour Gazette | Ferry terminal delayed again", "Ferry terminal delayed again"),
        ("Ferry terminal delayed again | Harbour Gazette | Sport", "Ferry terminal delayed again"),
        ("Ferry terminal delayed again · harbourgazette.example", "Ferry terminal delayed again"),
        ("Opinion | Ferry terminal delayed again", "Opinion | Ferry terminal delayed again"),
        ("Ferry terminal - Harbour Gazette sources say delay", "Ferry terminal - Harbour Gazette sources say delay"),
    ],
)
def test_the_site_name_written_beside_the_headline_is_not_part_of_the_title(
    tmp_path: Path, og_title: str, title: str
) -> None:
    """Pages title their story "Headline | Site" (9 of the 60 real pages of the extraction
    benchmark); the citation names the outlet on its own. A part that only holds the name, or
    that names a section, is the title's."""
    head = (
        f'<meta property="og:title" content="{og_title}">'
        '<meta property="og:site_name" content="Harbour Gazette">'
        '<meta property="og:url" content="https://www.harbourgazette.example/ferry">'
    )
    page = article_page(headline="Ferry", paragraphs=STORY, head=head).replace("<h1>Ferry</h1>", "")
    article = build_article(_write(tmp_path, page), 128, 32)
    assert (article.outlet, article.title) == ("Harbour Gazette", title)


def test_impossible_dates_are_ignored_with_a_warning_never_fatal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    head = (
        '<meta property="article:published_time" content="2021-00-15T00:00:00">'
        '<meta property="article:modified_time" content="2021-02-30T10:00:00">'
        + _json_ld({"@type": "NewsArticle", "datePublished": "3021-01-01", "dateModified": "yesterday"})
    )
    page = _write(tmp_path, article_page(headline="Ferry", paragraphs=STORY, head=head))
    with caplog.at_level(logging.WARNING):
        article = build_article(page, 128, 32)
    assert article.published is None and article.modified is None  # nothing made up
    warned = caplog.text
    assert "2021-00-15T00:00:00" in warned and "not a date, or not written in a way this reader knows" in warned
    assert "2021-02-30" in warned and "3021-01-01" in warned
    # Each warning names its page: an ingest of thousands of pages says which one to look at.
    dated = [r.getMessage() for r in caplog.records if "ignored the date" in r.getMessage()]
    assert dated and all(str(page) in message for message in dated), dated


def test_a_placeholder_for_no_date_is_passed_over_quietly(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """What software writes where it has no date (Unix time's zero, MySQL's zero date, .NET's
    first day) is not the article's date, and not worth a warning a page: the page's next
    statement of a date is read instead, and without one the article has none (not 1970)."""
    head = (
        '<meta property="article:published_time" content="0000-00-00 00:00:00">'
        + _json_ld({"@type": "NewsArticle", "datePublished": "1970-01-01T00:00:00.000Z", "dateModified": "0001-01-01"})
    )
    body = '<p><time datetime="2021-12-07T08:00:00Z">7 December 2021</time></p>'
    page = _write(tmp_path, article_page(headline="Ferry", paragraphs=STORY, head=head, extra_body=body))
    with caplog.at_level(logging.WARNING):
        article = build_article(page, 128, 32)
    assert article.published == date(2021, 12, 7) and article.modified is None
    assert not [r for r in caplog.records if "date" in r.getMessage()], caplog.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-12-07T09:30:00+01:00", date(2021, 12, 7)),
        ("20211207", date(2021, 12, 7)),
        ("Tue, 07 Dec 2021 10:00:00 GMT", date(2021, 12, 7)),
        ("December 7, 2021", date(2021, 12, 7)),
        ("2021/12/07 10:00", date(2021, 12, 7)),
        ("2021.12.07", date(2021, 12, 7)),
        ("07.12.2021", date(2021, 12, 7)),  # day first, as every country that writes dots does
        ("12-07-2021", date(2021, 12, 7)),  # dashes, month first as American English writes them
        ("12/7/21", date(2021, 12, 7)),  # a year of two digits
        ("31-12-99", date(1999, 12, 31)),  # only day first makes it a date; a year past next one is of the 1900s
        ("31.02.2021", None),
        ("0000-00-00T00:00:00", None),
        ("0001-01-01T00:00:00Z", None),
        ("1970-01-01T00:00:00.000Z", None),  # Unix time's zero: no date, not 1 January 1970
        ("Thu, 01 Jan 1970 00:00:00 +0000", None),
        ("1900-01-01", None),
        ("1900-01-02", date(1900, 1, 2)),
        ("2021-13-01", None),
        ("soon", None),
        ("", None),
    ],
)
def test_page_dates_parse_or_are_ignored(value: str, expected: date | None) -> None:
    assert parse_date(value, "test", today=date(2026, 1, 1)) == expected


def test_a_link_trafilatura_leaves_out_of_a_sentence_stays_in_it(tmp_path: Path) -> None:
    """trafilatura takes a link in a <span class="link"> for navigation and leaves it out: the
    sentence was cut in two lines there ("The league decided" / "in Valdora from ..."), neither
    saying what the page says. The page's own line is the paragraph, and a quote of it exact."""
    moved = (
        'The league decided <span class="link"><a href="https://example.org/news/flex">to move the teams\' '
        "rematch</a></span> in Valdora from a late kickoff to an early start, the clubs said on Tuesday."
    )
    page = _write(tmp_path, article_page(headline="Rematch moved", paragraphs=[STORY[0], moved, STORY[2]]))
    article = build_article(page, 128, 32)
    assert article.extractor == "trafilatura"
    whole = "The league decided to move the teams' rematch in Valdora from a late kickoff to an early start"
    [sentence] = [s for c in article.chunks for s in c.sentences if whole in s.text][:1]
    start, end = article.source_span(sentence.start, sentence.end)
    assert "to move the teams' rematch</a></span> in Valdora" in read_text(page)[start:end]
    # between two sentences, what it leaves out is not the story's ("RELATED: ...")
    related = (
        'The council voted on Tuesday to approve the new terminal. <span class="link"><a href="/other">RELATED: '
        "Ferry fares will double next year, officials warn</a></span> The debate lasted four hours, and the "
        "mayor spoke last."
    )
    page = _write(tmp_path, article_page(headline="Terminal approved", paragraphs=[STORY[0], related, STORY[2]]), "b.html")
    article = build_article(page, 128, 32)
    assert article.extractor == "trafilatura" and not any("RELATED" in c.text for c in article.chunks)


def test_story_quotes_are_exact_slices_of_the_saved_page(tmp_path: Path) -> None:
    page = _write(tmp_path, article_page(headline="Ferry", paragraphs=STORY))
    article = build_article(page, 128, 32)
    source = read_text(page)
    texts = [s.text for c in article.chunks for s in c.sentences]
    assert any("forty sailings a day & serve" in t for t in texts)
    assert not any("Most read" in t or "Copyright" in t or "Storm closes" in t for t in texts)
    for i in range(len(article.chunks)):
        meta = chunk_metadata(article, i)
        spans = json.loads(meta["sentences"])
        for (_, _, start, end), quote in zip(spans, json.loads(meta["quotes"])):
            assert source[start:end] == quote
    sentence = next(s for c in article.chunks for s in c.sentences if "&" in s.text)
    start, end = article.source_span(sentence.start, sentence.end)
    assert "&amp; serve" in source[start:end] and source[start:end].startswith("Director Ines Marlow")


# German pages break long words with soft hyphens (&shy;), Persian ones join letters with a
# zero-width non-joiner (ZWNJ, U+200C): trafilatura leaves both out of its text, the page's own
# text keeps them.
SHY_STORY = [
    "Die Hafen&shy;arbeiter von Valdora haben am Dienstag beschlossen, den Streik nach drei Wochen zu beenden.",
    "Die Gewerk&shy;schaft sagte, der neue Tarif&shy;vertrag erhöhe die Löhne über drei Jahre um neun Prozent.",
    "Die Reedereien erwarten, dass der Rückstau der Container&shy;schiffe innerhalb von zehn Tagen abgebaut ist.",
    "کارگران بندر می\u200cخواهند از روز پنجشنبه دوباره کار کنند و کشتی\u200cها را بارگیری کنند.",
    "مدیر بندر گفت که نخستین کشتی\u200cها از صبح پنجشنبه بارگیری خواهند شد.",
    "Der Hafen&shy;direktor sagte, die Fähren führen ab Donnerstag wieder nach Fahr&shy;plan&#173; und pünktlich.",
]


def test_soft_hyphens_and_zero_width_joiners_cost_the_story_no_words(tmp_path: Path) -> None:
    """trafilatura's text, which has no soft hyphens or ZWNJ, is found again in the page's text,
    which has them: every sentence of the story is read, whole, and each quote is still the exact
    slice of the file (soft hyphens, as written there, included)."""
    page = _write(tmp_path, article_page(headline="Hafenstreik endet nach drei Wochen", paragraphs=SHY_STORY))
    article = build_article(page, 128, 32)
    assert article.extractor == "trafilatura"
    source = read_text(page)
    sentences = [s for c in article.chunks for s in c.sentences]
    read = " ".join(s.text.replace("\u00ad", "") for s in sentences)
    for sentence in SHY_STORY:
        assert html.unescape(sentence).replace("\u00ad", "") in read
    quotes = []
    for i in range(len(article.chunks)):
        meta = chunk_metadata(article, i)
        for (_, _, start, end), quote in zip(json.loads(meta["sentences"]), json.loads(meta["quotes"])):
            assert source[start:end] == quote
            quotes.append(quote)
    assert sum(quote in SHY_STORY for quote in quotes) >= 4  # sentences quoted whole, as written
    assert any(quote.startswith("Die Hafen&shy;arbeiter von Valdora") for quote in quotes)
    assert any("کشتی\u200cها" in quote for quote in quotes)


def test_page_furniture_is_left_out_when_the_rules_read_the_page(tmp_path: Path) -> None:
    text = html_to_text(article_page(headline="Ferry", paragraphs=STORY))
    furniture = [text.plain[a:b] for a, b in text.furniture]
    assert any("Home World Sport" in f for f in furniture) and any("Most read" in f for f in furniture)


@pytest.mark.parametrize(
    ("odd", "read_as"),
    [
        # Python's html.parser raised AssertionError on both: the whole page was skipped.
        ("<![ CDATA[ a marked section with a space ]]>", ""),
        ("<![foo[ a marked section of no known kind ]]>", ""),
        # html.parser read the rest of this page as text, its tags and all ("...</p><div>The end").
        ("<p>Fish &#& chips</p>", "Fish &#& chips\n\n"),
    ],
)
def test_markup_that_stopped_html_parser_costs_the_page_nothing(odd: str, read_as: str) -> None:
    page = f"<html><body>{odd}<p>{STORY[0]}</p><div>The end</div></body></html>"
    text = html_to_text(page)
    assert text.plain == f"{read_as}{STORY[0]}\n\nThe end"
    start = text.plain.index(STORY[0])
    begin, end = text.offsets.span(start, start + len(STORY[0]))
    assert page[begin:end] == STORY[0]


def test_a_page_of_many_short_header_lines_is_read(tmp_path: Path) -> None:
    lines = "\n".join(f"Section {i}" for i in range(20_000))
    page = tmp_path / "headers.txt"
    page.write_text(
        lines + "\nThe minister said on Tuesday that talks would continue next month in Geneva.\n"
    )
    story = read_story(page)
    assert story.text == "The minister said on Tuesday that talks would continue next month in Geneva."


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            'Asked about the budget, she said "No." Then she left.',
            ['Asked about the budget, she said "No."', "Then she left."],
        ),
        ("They met at 5 p.m. Macron left.", ["They met at 5 p.m.", "Macron left."]),
        ("The call began at 5 p.m. Moscow time and lasted two hours.", None),
        ("They spoke at 9 a.m. GMT on Friday.", None),
        ("He lives at No. 10 Downing Street.", None),
        ("Dr. Smith met the U.S. envoy. They spoke.", ["Dr. Smith met the U.S. envoy.", "They spoke."]),
    ],
)
def test_sentence_boundaries(text: str, sentences: list[str] | None) -> None:
    assert [text[s.start : s.end] for s in split_sentences(text)] == (sentences or [text])


def _mhtml(html: str, address: str) -> bytes:
    """A page saved as one file the way Chrome writes it: MIME parts, the HTML first in
    quoted-printable (no charset named), an image after it."""
    boundary = "----MultipartBoundary--Zq9Vv1y7yU6QJfCEwYwXlkQ2"
    body = quopri.encodestring(html.encode("utf-8")).decode("ascii").replace("\n", "\r\n")
    return (
        "From: <Saved by Blink>\r\n"
        f"Snapshot-Content-Location: {address}\r\n"
        "Subject: Valdora ferry terminal to open in March\r\n"
        "Date: Tue, 7 Dec 2021 10:00:00 -0000\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n\r\n\r\n'
        f"--{boundary}\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
        f"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: {address}\r\n\r\n"
        f"{body}\r\n\r\n"
        f"--{boundary}\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        f"Content-Location: https://gazette.example/logo.png\r\n\r\niVBORw0KGgoAAAANSUhEUgAAAAEAAAAB\r\n\r\n"
        f"--{boundary}--\r\n"
    ).encode("ascii")


def test_a_page_saved_as_one_file_is_read_and_cited_from_its_html(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """Chrome's and Edge's "Webpage, Single File" (.mhtml): the page's HTML is a MIME part, in
    quoted-printable. It is read as a saved page; its quotes are exact slices of that HTML,
    decoded (what `read_text` gives for the file), and its address is the one it was saved from."""
    story = [*STORY, "Café owners on the quay said the new terminal would bring them more customers."]
    html = article_page(headline="Valdora ferry terminal to open in March", paragraphs=story)
    folder = tmp_path / "saved"
    folder.mkdir()
    page = folder / "Valdora ferry terminal to open in March.mhtml"
    page.write_bytes(_mhtml(html, "https://gazette.example/news/ferry"))
    (folder / "empty.mhtml").write_bytes(b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nnothing here\r\n")
    assert read_text(page).replace("\r\n", "\n").strip() == html  # as the MIME part's lines end
    bot = open_assistant(tmp_path / "index", embedder)
    report = bot.ingest([folder])
    assert report.added == [str(page.resolve())], report.summary()
    [skipped] = report.skipped
    assert skipped.path.endswith("empty.mhtml") and "no HTML page" in str(skipped.reason)
    answer = bot.ask("What did café owners on the quay say about the terminal?")
    assert not answer.abstained and answer.citations, answer.text
    for citation in answer.citations:
        assert read_text(Path(citation.path))[citation.char_start : citation.char_end] == citation.quote
        assert citation.url == "https://gazette.example/news/ferry"
    assert any("Café owners" in c.text for c in answer.citations), answer.text
