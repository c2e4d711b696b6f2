"""Articles by URL and by feed, against a real HTTP server on 127.0.0.1 that the tests start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import FetchError, RebuildError
from assistant.ingest import web
from assistant.ingest.feeds import parse_feed
from assistant.ingest.fetch import Fetcher, FetchPolicy
from assistant.ingest.loading import read_text
from assistant.search.embedding import MiniLMEmbedder
from assistant.web.render import answer_html
from tests.conftest import REPO, free_port, open_assistant
from tests.news_site import NewsSite, Route, article_page, serve

FERRY = [
    "The harbour authority of Valdora said on Tuesday that the new ferry terminal will open in March, "
    "two years later than planned, because of a shortage of steel.",
    'Asked whether the budget would grow again, director Ines Marlow said "No." Then she left the briefing '
    "without taking further questions from reporters.",
    "The first ferry on opening day leaves at 5 p.m. Officials expect large crowds at the quay that evening.",
]
MACKEREL = [
    "Fishermen in Port Elsby landed a record 12 tonnes of mackerel on Monday, the local cooperative said "
    "in a statement that praised the calm autumn weather.",
    "The catch will be sold at the Friday market, where prices have fallen by a third since the summer.",
]
LIGHTHOUSE = [
    "The lighthouse at Cape Vorn will be restored with a grant of three million euros, the culture "
    "ministry announced on Wednesday after years of campaigning by local residents.",
    "Work on the tower and the keeper's cottage is due to start in the spring and last eighteen months.",
]


def _json_ld(site: NewsSite) -> str:
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Harbour Gazette", "datePublished": "2015-01-01"},
            {
                "@type": "NewsArticle",
                "headline": "Valdora ferry terminal to open in March",
                "datePublished": "2021-12-07T09:30:00+01:00",
                "dateModified": "2021-12-08T11:00:00+01:00",
                "author": [{"@type": "Person", "name": "Ines Ward"}, {"@type": "Person", "name": "Tom Berg"}],
                "publisher": {"@type": "Organization", "name": "Harbour Gazette"},
                "mainEntityOfPage": site.url("/news/ferry.html"),
            },
        ],
    }
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _rss(site: NewsSite, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{site.url(path)}</link><guid>{site.url(path)}</guid>"
        f"<pubDate>{stamp}</pubDate></item>"
        for title, path, stamp in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbour Gazette</title>'
        f"<link>{site.url('/')}</link><description>News</description>{entries}</channel></rss>"
    ).encode()


RUSSIAN = "Президент Франции Эммануэль Макрон провёл телефонный разговор с Владимиром Путиным."

FEED_ITEMS = [
    ("Valdora ferry terminal to open in March", "/news/ferry.html", "Tue, 07 Dec 2021 09:30:00 GMT"),
    ("Record mackerel catch", "/news/mackerel.html", "Mon, 06 Dec 2021 18:00:00 GMT"),
]
LIGHTHOUSE_ITEM = (
    "Cape Vorn lighthouse to be restored",
    "/news/lighthouse.html",
    "Wed, 08 Dec 2021 12:00:00 GMT",
)


@pytest.fixture(scope="module")
def site() -> Iterator[NewsSite]:
    news = NewsSite()
    with serve(news):
        news.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", "text/plain")
        news.page(
            "/news/ferry.html",
            article_page(
                headline="Valdora ferry terminal to open in March",
                paragraphs=FERRY,
                head=_json_ld(news),
                canonical=news.url("/news/ferry.html"),
            ),
            etag='"ferry-v1"',
        )
        news.page(
            "/news/mackerel.html",
            article_page(
                headline="Record mackerel catch in Port Elsby",
                paragraphs=MACKEREL,
                head=(
                    '<meta property="og:site_name" content="Coastal Courier">'
                    '<meta property="og:title" content="Record mackerel catch in Port Elsby">'
                    f'<meta property="og:url" content="{news.url("/news/mackerel.html")}">'
                    '<meta property="article:published_time" content="0000-00-00T00:00:00">'
                    '<meta property="article:modified_time" content="2021-13-45T00:00:00">'
                ),
            ),
        )
        news.page(
            "/news/lighthouse.html",
            article_page(headline="Cape Vorn lighthouse to be restored", paragraphs=LIGHTHOUSE),
        )
        news.routes["/feed.xml"] = Route(_rss(news, FEED_ITEMS), "application/rss+xml")
        news.routes["/go/ferry"] = Route(b"", status=301, headers={"Location": "/news/ferry.html"})
        news.routes["/loop"] = Route(b"", status=302, headers={"Location": "/loop"})
        news.routes["/go/ftp"] = Route(b"", status=302, headers={"Location": "ftp://127.0.0.1/story.html"})
        news.routes["/go/nowhere"] = Route(b"", status=302, headers={"Location": "http://[::1/story.html"})
        news.routes["/go/private"] = Route(b"", status=302, headers={"Location": "/private/secret.html"})
        news.routes["/moved"] = Route(b"<p>The document has moved somewhere else.</p>", status=302)
        news.routes["/stale"] = Route(b"", status=304)  # to a request that asked for no comparison
        # a body sent as is while its header says gzip
        news.routes["/not-gzip.html"] = Route(b"<p>plain</p>", headers={"Content-Encoding": "gzip"})
        news.routes["/slow.html"] = Route(b"<p>late</p>", delay_s=2.0)
        news.routes["/huge.html"] = Route(b"", stream_bytes=3_000_000)
        news.routes["/photo.png"] = Route(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
        news.page(
            "/empty.html",
            '<html><body><nav><a href="/">Home</a> <a href="/world">World</a></nav></body></html>',
        )
        news.page("/private/secret.html", article_page(headline="Secret", paragraphs=LIGHTHOUSE))
        cyrillic = article_page(headline="Макрон", paragraphs=[RUSSIAN])
        news.routes["/ru/header.html"] = Route(cyrillic.encode("cp1251"), "text/html; charset=windows-1251")
        news.routes["/ru/meta.html"] = Route(
            cyrillic.replace('<meta charset="utf-8">', '<meta charset="windows-1251">').encode("cp1251"),
            "text/html",
        )
        # what browsers read otherwise than the names say: a byte-order mark over a latin-1
        # header; a page that names UTF-16 in ASCII
        news.routes["/ru/bom.html"] = Route(b"\xef\xbb\xbf" + cyrillic.encode("utf-8"), "text/html; charset=iso-8859-1")
        news.routes["/ru/utf16.html"] = Route(
            b"\xff\xfe" + cyrillic.replace('<meta charset="utf-8">', "").encode("utf-16-le"), "text/html"
        )
        news.routes["/ru/says-utf16.html"] = Route(
            cyrillic.replace('<meta charset="utf-8">', '<meta charset="utf-16">').encode("utf-8"), "text/html"
        )
        yield news


FAST = FetchPolicy(timeout_s=0.5, retries=1, backoff_s=0.01, max_bytes=1_000_000, min_interval_s=0)


def test_fetch_follows_redirects_and_names_the_tool(site: NewsSite) -> None:
    with Fetcher(FAST) as fetcher:
        response = fetcher.get(site.url("/go/ferry"))
    assert response.url == site.url("/news/ferry.html")
    assert b"Valdora" in response.content
    assert response.etag == '"ferry-v1"'
    assert any(agent.startswith("news-assistant/") for agent in site.user_agents)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing.html", "HTTP 404"),
        ("/slow.html", "did not answer within"),
        ("/huge.html", "larger than the 1 MB limit"),
        ("/photo.png", "is image/png, not text/html"),
        ("/private/secret.html", "disallowed by the site's robots.txt"),
        ("/loop", "redirects more than 5 times"),
        ("/go/ftp", "leads to an address that is not http or https"),
        ("/go/nowhere", "leads to an address that is not valid"),
        ("/go/private", r"redirects to .*/private/secret\.html, which the site's robots\.txt disallows"),
        ("/moved", "answered HTTP 302 Found with no address to go on to"),
        ("/stale", "answered HTTP 304 Not Modified to a request for the page"),
        ("/not-gzip.html", "Content-Encoding header does not describe"),
    ],
)
def test_fetch_errors_say_what_went_wrong(site: NewsSite, path: str, message: str) -> None:
    with Fetcher(FAST) as fetcher, pytest.raises(FetchError, match=message):
        fetcher.get(site.url(path))


def test_a_feed_address_of_another_kind_is_told_to_name_the_feed(site: NewsSite, bot: Assistant) -> None:
    """A feed's address that answers an image was told to "give the address of an article page"."""
    report = bot.ingest_urls([site.url("/photo.png")], feed=True, policy=FAST)
    [refused] = report.skipped
    assert "is image/png, not application/rss+xml or application/atom+xml" in refused.reason, refused
    assert "give the address of the feed itself (RSS or Atom)" in refused.reason and "article" not in refused.reason


def test_robots_txt_that_moved_is_read_where_it_moved_to() -> None:
    """A robots.txt that redirects is followed to its rules (reading it looked for its own rules
    again, without end)."""
    moved = NewsSite()
    with serve(moved):
        moved.routes["/robots.txt"] = Route(b"", status=301, headers={"Location": "/rules.txt"})
        moved.routes["/rules.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", "text/plain")
        moved.page("/story.html", article_page(headline="Keeper retires", paragraphs=KEEPER))
        moved.page("/private/story.html", article_page(headline="Keeper retires", paragraphs=KEEPER))
        with Fetcher(FAST) as fetcher:
            assert fetcher.get(moved.url("/story.html")).status == 200
            with pytest.raises(FetchError, match=r"disallowed by the site's robots\.txt"):
                fetcher.get(moved.url("/private/story.html"))


def test_a_robots_txt_that_cannot_be_read_is_asked_for_once_a_run() -> None:
    """Every page of a feed's site failed alike, each after asking for robots.txt again with
    its retries (a 200-item feed: some 600 requests, an hour for a host that hangs)."""
    failing = NewsSite()
    with serve(failing):
        failing.routes["/robots.txt"] = Route(b"down", "text/plain", status=500)
        urls = []
        for n in range(3):
            failing.page(f"/story{n}.html", article_page(headline=f"Keeper {n} retires", paragraphs=KEEPER))
            urls.append(failing.url(f"/story{n}.html"))
        with Fetcher(FAST) as fetcher:
            for url in urls:
                with pytest.raises(FetchError, match=r"cannot read .*/robots\.txt .*--ignore-robots") as raised:
                    fetcher.get(url)
                assert str(raised.value).count("try again later") == 1
        assert failing.requests["/robots.txt"] == 1 + FAST.retries  # one read, with its retries
        assert not any(failing.requests[f"/story{n}.html"] for n in range(3))


def test_what_a_feed_said_of_a_page_stays_when_the_page_is_fetched_again(site: NewsSite, tmp_path: Path) -> None:
    """Fetched again by its address (a new version), a page listed by a feed lost the feed's
    title, outlet and date from its snapshot's record, and flip-flopped between the two readings."""
    from assistant.ingest.fetch import read_sidecar

    site.page("/news/listed.html", article_page(headline="Keeper retires", paragraphs=KEEPER))
    listed = {"feed_title": "Harbour Gazette", "feed_entry_title": "Keeper retires", "feed_entry_published": "2024-12-04"}
    with Fetcher(FAST) as fetcher:
        first = fetcher.snapshot(site.url("/news/listed.html"), tmp_path, extra=listed)
        site.page("/news/listed.html", article_page(headline="Keeper retires", paragraphs=[*KEEPER, "He will live in town."]))
        again = fetcher.snapshot(site.url("/news/listed.html"), tmp_path)
    assert again.outcome == "fetched" and again.path == first.path
    record = read_sidecar(again.path)
    assert {k: record.get(k) for k in listed} == listed


def test_a_slow_page_is_retried_before_giving_up(site: NewsSite) -> None:
    before = site.requests["/slow.html"]
    with Fetcher(FAST) as fetcher, pytest.raises(FetchError, match=r"after 2 tries"):
        fetcher.get(site.url("/slow.html"))
    assert site.requests["/slow.html"] - before == 2


def test_unreachable_hosts_and_non_addresses_are_clear() -> None:
    with Fetcher(FAST) as fetcher:
        with pytest.raises(FetchError, match=r"cannot reach 127\.0\.0\.1"):
            fetcher.get(f"http://127.0.0.1:{free_port()}/story.html")
        with pytest.raises(FetchError, match="not a web address"):
            fetcher.get("ftp://example.org/story.html")


def test_one_host_is_asked_at_most_once_per_interval(site: NewsSite) -> None:
    with Fetcher(FetchPolicy(timeout_s=2, min_interval_s=0.4)) as fetcher:
        started = time.monotonic()
        for _ in range(3):
            fetcher.get(site.url("/news/lighthouse.html"))
        assert time.monotonic() - started >= 0.8  # two waits between three requests


@pytest.mark.parametrize(
    "path", ["/ru/header.html", "/ru/meta.html", "/ru/bom.html", "/ru/utf16.html", "/ru/says-utf16.html"]
)
def test_pages_in_other_charsets_are_stored_as_utf8(site: NewsSite, tmp_path: Path, path: str) -> None:
    with Fetcher(FAST) as fetcher:
        snapshot = fetcher.snapshot(site.url(path), tmp_path)
    assert RUSSIAN in read_text(snapshot.path)


def test_robots_txt_can_be_overridden(site: NewsSite) -> None:
    with Fetcher(FetchPolicy(timeout_s=2, respect_robots=False)) as fetcher:
        assert b"Cape Vorn" in fetcher.get(site.url("/private/secret.html")).content


def test_feeds_in_rss_1_rss_2_and_atom_list_their_links() -> None:
    base = "http://news.example/"
    rss1 = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/"><channel rdf:about="http://news.example/"><title>N</title>
      <link>http://news.example/</link><description>d</description></channel>
      <item rdf:about="http://news.example/a"><title>A</title><link>http://news.example/a</link></item></rdf:RDF>"""
    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>N</title>
      <id>urn:n</id><updated>2021-12-07T10:00:00Z</updated>
      <entry><title>B</title><id>urn:b</id><updated>2021-12-07T10:00:00Z</updated>
      <link rel="alternate" href="/b.html"/></entry></feed>"""
    assert [e.url for e in parse_feed(rss1, base)] == ["http://news.example/a"]
    # a title of type html is read as text
    marked = atom.replace(b"<title>N</title>", b'<title type="html">Harbor &amp;amp; Bay &lt;b&gt;News&lt;/b&gt;</title>')
    assert {e.feed_title for e in parse_feed(marked, base)} == {"Harbor & Bay News"}
    entries = parse_feed(atom, base)
    assert [(e.url, e.entry_id, e.updated) for e in entries] == [
        ("http://news.example/b.html", "urn:b", "2021-12-07T10:00:00Z")
    ]
    with pytest.raises(FetchError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body><p>Just a page</p></body></html>", base)


@pytest.fixture()
def bot(tmp_path: Path, embedder: MiniLMEmbedder) -> Assistant:
    return open_assistant(tmp_path / "index", embedder)


def test_an_article_by_url_is_cited_from_its_snapshot(site: NewsSite, bot: Assistant) -> None:
    report = bot.ingest_urls([site.url("/go/ferry")], policy=FAST)
    assert report.added == [site.url("/go/ferry")], report.summary()
    [article] = bot.articles()
    assert (article.title, article.outlet, article.published) == (
        "Valdora ferry terminal to open in March",
        "Harbour Gazette",
        "2021-12-07",
    )
    answer = bot.ask("When will the new ferry terminal in Valdora open?")
    assert not answer.abstained, answer.text
    citation = answer.citations[0]
    assert citation.url == site.url("/news/ferry.html")  # the canonical address, not the redirect
    snapshot = Path(citation.path)
    assert snapshot.is_relative_to(Path(bot.settings.index_dir) / "snapshots")
    assert read_text(snapshot)[citation.char_start : citation.char_end] == citation.quote
    assert "will open in March" in citation.quote
    page = answer_html(answer, 0, "offline")  # the chat page links the original
    assert f'href="{site.url("/news/ferry.html")}"' in page and 'rel="noopener noreferrer nofollow"' in page

    # Fetching again asks the server whether the page changed (ETag) and keeps the snapshot.
    again = bot.ingest_urls([site.url("/go/ferry")], policy=FAST)
    assert site.not_modified["/news/ferry.html"] >= 1
    assert again.skipped == [] and len(again.added) + len(again.updated) == 0, again.summary()


def test_reingesting_a_feed_adds_only_new_items(site: NewsSite, bot: Assistant) -> None:
    site.routes["/feed.xml"] = Route(_rss(site, FEED_ITEMS), "application/rss+xml")
    first = bot.ingest_urls([site.url("/feed.xml")], feed=True, policy=FAST)
    assert sorted(first.added) == sorted(site.url(p) for _, p, _ in FEED_ITEMS), first.summary()
    mackerel = next(a for a in bot.articles() if a.outlet == "Coastal Courier")  # the page's name, not the feed's
    # 0000-00-00 is ignored, not fatal: the feed's date of the item stands in for it
    assert mackerel.published == "2021-12-06"
    fetched_before = {p: site.requests[p] for _, p, _ in FEED_ITEMS}

    site.routes["/feed.xml"] = Route(_rss(site, [LIGHTHOUSE_ITEM, *FEED_ITEMS]), "application/rss+xml")
    second = bot.ingest_urls([site.url("/feed.xml")], feed=True, policy=FAST)
    assert second.added == [site.url("/news/lighthouse.html")], second.summary()
    assert sorted(second.unchanged) == sorted(site.url(p) for _, p, _ in FEED_ITEMS)
    assert {p: site.requests[p] for _, p, _ in FEED_ITEMS} == fetched_before  # not fetched again
    answer = bot.ask("What grant will restore the lighthouse at Cape Vorn?")
    assert not answer.abstained and answer.citations[0].url == site.url("/news/lighthouse.html")
    # A page that names no outlet and no date: the feed's title and its date of the item.
    lighthouse = next(a for a in bot.articles() if "lighthouse" in a.title)
    assert (lighthouse.title, lighthouse.outlet, lighthouse.published) == (
        "Cape Vorn lighthouse to be restored",
        "Harbour Gazette",
        "2021-12-08",
    )


def test_a_rebuild_reads_its_feeds_before_it_goes_live(site: NewsSite, bot: Assistant, tmp_path: Path) -> None:
    """`ingest --rebuild --feed URL` used to switch to an empty index, then fetch: the feed's
    articles are now in the rebuilt index when it goes live, and a feed that cannot be read
    leaves the index in use as it was. Pages fetched earlier are kept by a rebuild of files."""
    site.routes["/feed.xml"] = Route(_rss(site, FEED_ITEMS), "application/rss+xml")
    bot.ingest_urls([site.url("/feed.xml")], feed=True, policy=FAST)
    rebuilt = bot.rebuild([], urls=[site.url("/feed.xml")], feed=True, policy=FAST)
    assert sorted(rebuilt.added) == sorted(site.url(p) for _, p, _ in FEED_ITEMS), rebuilt.summary()
    assert len(bot.articles()) == len(FEED_ITEMS)
    with pytest.raises(RebuildError, match=r"missing\.xml: .*HTTP 404.*index in use is unchanged"):
        bot.rebuild([], urls=[site.url("/feed.xml"), site.url("/missing.xml")], feed=True, policy=FAST)
    assert len(bot.articles()) == len(FEED_ITEMS)
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "ferry.txt").write_text(
        "Ferry fares rise\n\nThe Valdora ferry company raised its fares by four percent on Monday.\n",
        encoding="utf-8",
    )
    files_only = bot.rebuild([folder])
    assert not files_only.removed, files_only.summary()
    assert len(bot.articles()) == len(FEED_ITEMS) + 1
    snapshots = Path(bot.settings.index_dir).resolve() / "snapshots"
    assert sum(Path(a.path).is_relative_to(snapshots) for a in bot.articles()) == len(FEED_ITEMS)


KEEPER = [
    "Tomas Berg, the last keeper of the Skarv Point lighthouse, retired on Sunday after forty years of "
    "service, the coastal authority said.",
    "Berg said he would miss the storms most of all, and that he plans to move to a farm near his daughter.",
]


def test_a_page_that_turned_into_a_paywall_keeps_the_story_fetched_before(site: NewsSite, bot: Assistant) -> None:
    """The snapshot is what the citations quote: a new version that holds no story (a paywall, a
    login, a consent page) does not replace it, and its article is kept; a new story does."""
    url = site.url("/news/keeper.html")
    site.page("/news/keeper.html", article_page(headline="Lighthouse keeper retires", paragraphs=KEEPER))
    assert bot.ingest_urls([url], policy=FAST).added == [url]
    question = "What will Tomas Berg miss most?"
    site.page(
        "/news/keeper.html",
        '<html><head><title>Subscribe</title></head><body><nav><a href="/">Home</a></nav>'
        '<p><a href="/login">Log in</a></p></body></html>',
    )
    paywalled = bot.ingest_urls([url], policy=FAST)
    [skipped] = paywalled.skipped
    assert skipped.path == url and "the page now holds no story" in (skipped.reason or ""), paywalled.summary()
    assert "is kept" in (skipped.reason or "") and not paywalled.removed
    answer = bot.ask(question)
    assert not answer.abstained and any("storms" in c.quote for c in answer.citations), answer.text
    for citation in answer.citations:
        assert read_text(Path(citation.path))[citation.char_start : citation.char_end] == citation.quote
    site.page(
        "/news/keeper.html",
        article_page(headline="Lighthouse keeper retires", paragraphs=[KEEPER[0], "Berg said he would miss the gulls."]),
    )
    assert bot.ingest_urls([url], policy=FAST).updated == [url]
    for citation in bot.ask(question).citations:
        assert read_text(Path(citation.path))[citation.char_start : citation.char_end] == citation.quote
        assert "storms" not in read_text(Path(citation.path))
    # Retired to the home page (a common end of an article's address): replaced it before.
    site.page("/", article_page(headline="Harbour Gazette", paragraphs=["Welcome to the Harbour Gazette, your local news."]))
    site.routes["/news/keeper.html"] = Route(b"", status=301, headers={"Location": "/"})
    retired = bot.ingest_urls([url], policy=FAST)
    [skipped] = retired.skipped
    assert "now leads to the site's home page" in (skipped.reason or "") and "is kept" in (skipped.reason or "")
    assert any("gulls" in c.quote for c in bot.ask(question).citations)


LIBRARY = [
    "The Calder town council approved plans for a new public library on Tuesday, after two years of debate.",
    "The library will stand on the site of the old bus depot and open in the spring of 2027, the council said.",
    "It will hold forty thousand books, a children's floor and a workshop with 3D printers.",
    "Opponents said the money should have gone to repairing the town's roads.",
]


def test_a_teaser_behind_a_paywall_or_a_consent_page_keeps_the_story_fetched_before(site: NewsSite, bot: Assistant) -> None:
    """A new version that keeps a line of the story beside "Subscribe to continue reading", or
    a cookie-consent page in front of the site: each replaced the whole story before (and in
    German or French, until the wall's words were read in other languages)."""
    url = site.url("/news/library.html")
    site.page("/news/library.html", article_page(headline="Calder approves a library", paragraphs=LIBRARY))
    assert bot.ingest_urls([url], policy=FAST).added == [url]
    teaser = [LIBRARY[0], "Subscribe to continue reading. Get unlimited access to the Gazette. Already a subscriber? Log in."]
    consent = [
        "Before you continue to Harbour Gazette. We use cookies and data to deliver and maintain our services.",
        "If you choose to Accept all, we will also use cookies to develop and improve new services. Reject all.",
    ]
    german = [LIBRARY[0], "Sie haben bereits ein Abo? Jetzt abonnieren und weiterlesen mit Gazette Plus."]
    french = ["Nous utilisons des cookies pour mesurer l'audience. Tout accepter. Continuer sans accepter."]
    for wall in (teaser, consent, german, french):
        site.page("/news/library.html", article_page(headline="Calder approves a library", paragraphs=wall))
        report = bot.ingest_urls([url], policy=FAST)
        [skipped] = report.skipped
        assert "subscription, sign-in or consent page" in (skipped.reason or "") and "is kept" in (skipped.reason or "")
        answer = bot.ask("How many books will the Calder library hold?")
        assert any("forty thousand" in c.quote for c in answer.citations), answer.text
    # a story cut short whose paragraph uses a wall's words in its own prose is the new version
    prose = [
        LIBRARY[0],
        "Council members said they would accept all of the planning board's conditions, including the opening "
        "hours, the staffing, the parking spaces on Mill Street and the rules for the workshop's 3D printers.",
    ]
    site.page("/news/library.html", article_page(headline="Calder approves a library", paragraphs=prose))
    assert bot.ingest_urls([url], policy=FAST).updated == [url]
    shorter = [LIBRARY[0], LIBRARY[1]]  # a story cut short, with no wall: the new version
    site.page("/news/library.html", article_page(headline="Calder approves a library", paragraphs=shorter))
    assert bot.ingest_urls([url], policy=FAST).updated == [url]
    bot.remove(next(a.doc_id for a in bot.articles() if a.title.startswith("Calder approves")))


def _fetch_into(site: NewsSite, snapshots: Path, failures: list[BaseException]) -> None:
    try:
        with Fetcher(FAST) as fetcher:
            found = web.snapshot_pages([site.url("/news/race.html")], snapshots, fetcher)
        assert not found.skipped, found.skipped
    except BaseException as exc:
        failures.append(exc)


def test_two_fetches_of_one_changed_page_at_once_both_end_well(site: NewsSite, tmp_path: Path) -> None:
    """Two ingests may fetch one address at once: each writes a file of its own before the story
    check, and the snapshot ends as one whole version (they shared one, and one fetch failed
    with FileNotFoundError)."""
    snapshots = tmp_path / "snapshots"
    site.page("/news/race.html", article_page(headline="Keeper retires", paragraphs=KEEPER))
    with Fetcher(FAST) as fetcher:
        web.snapshot_pages([site.url("/news/race.html")], snapshots, fetcher)
    for round in range(5):
        changed = [KEEPER[0], f"Berg said he would miss the storms of {round + 5} winters most of all."]
        site.page("/news/race.html", article_page(headline="Keeper retires", paragraphs=changed))
        failures: list[BaseException] = []
        threads = [threading.Thread(target=_fetch_into, args=(site, snapshots, failures)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not failures, failures
        [snapshot] = [p for p in snapshots.rglob("*.html")]
        assert f"{round + 5} winters" in snapshot.read_text(encoding="utf-8")


def test_a_page_with_the_text_of_another_is_named_by_its_address(site: NewsSite, bot: Assistant) -> None:
    """Two addresses of one page: the second is skipped as the same text as the first, named by
    its address (it was named by the first one's snapshot file, which the user never saw)."""
    site.page("/news/copy.html", article_page(headline="Keeper retires", paragraphs=KEEPER))
    site.page("/amp/copy.html", article_page(headline="Keeper retires", paragraphs=KEEPER))
    report = bot.ingest_urls([site.url("/news/copy.html"), site.url("/amp/copy.html")], policy=FAST)
    assert report.added == [site.url("/news/copy.html")], report.summary()
    [skipped] = report.skipped
    assert skipped.reason == f"same text as {site.url('/news/copy.html')}, read first in this run"


def test_a_page_that_cannot_be_read_is_skipped_and_the_others_of_the_run_are_added(
    site: NewsSite, bot: Assistant
) -> None:
    report = bot.ingest_urls([site.url("/not-gzip.html"), site.url("/news/ferry.html"), site.url("/go/ftp")], policy=FAST)
    assert report.added == [site.url("/news/ferry.html")], report.summary()
    assert {r.path for r in report.skipped} == {site.url("/not-gzip.html"), site.url("/go/ftp")}


def test_urls_that_cannot_become_articles_are_skipped_with_reasons(
    site: NewsSite, bot: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    urls = {
        "/missing.html": "HTTP 404",
        "/photo.png": "image/png",
        "/empty.html": "no story text found",
        "/private/secret.html": "robots.txt",
    }
    report = bot.ingest_urls([site.url(p) for p in urls], policy=FAST)
    reasons = {r.path: r.reason or "" for r in report.skipped}
    assert set(reasons) == {site.url(p) for p in urls}, report.summary()
    for path, expected in urls.items():
        assert expected in reasons[site.url(path)]
    snapshots = Path(bot.settings.index_dir) / "snapshots"
    kept = {json.loads(f.read_text(encoding="utf-8")).get("url") for f in snapshots.rglob("*.json")}
    assert not kept & {site.url(p) for p in urls}, kept  # a skipped page's snapshot was left behind
    # the warning names the page by its address too, not by its snapshot's file
    assert f"skipped {site.url('/empty.html')}: " in caplog.text and "snapshots/" not in caplog.text
    feed_report = bot.ingest_urls([site.url("/news/ferry.html")], feed=True, policy=FAST)
    assert "not an RSS or Atom feed" in (feed_report.skipped[0].reason or "")
    unclosed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>X</title><item><link>{site.url("/a")}'
    site.routes["/broken.xml"] = Route(unclosed.encode(), "application/rss+xml")
    broken = bot.ingest_urls([site.url("/broken.xml")], feed=True, policy=FAST)
    assert "is not well-formed XML" in (broken.skipped[0].reason or ""), broken.summary()  # was "lists no article links"
    assert bot.articles() == []


@pytest.mark.slow
def test_cli_ingests_a_feed_and_shows_the_link(site: NewsSite, tmp_path: Path) -> None:
    site.routes["/feed.xml"] = Route(_rss(site, FEED_ITEMS), "application/rss+xml")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    index = str(tmp_path / "index")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "assistant.cli", "--index-dir", index, *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=180,
        )

    feed = site.url("/feed.xml").replace("http://", "HTTP://")  # a scheme in any case is an address
    ingested = run("ingest", "--feed", feed, site.url("/missing.xml"))
    assert "added 2" in ingested.stdout and "HTTP 404" in ingested.stdout
    assert ingested.returncode == 1 and "1 input could not be ingested" in ingested.stderr  # the missing feed
    asked = run("ask", "How many tonnes of mackerel were landed in Port Elsby?")
    assert asked.returncode == 0, asked.stderr
    assert site.url("/news/mackerel.html") in asked.stdout
