"""Pages in legacy charsets read as browsers read them: fetched from a real HTTP server on
127.0.0.1 and saved as files, through the real ingest, and cited from the text `read_text` gives."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.ingest.fetch import FetchPolicy, snapshot_path
from assistant.ingest.loading import load, read_text
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.retrieval import Passage
from tests.conftest import open_assistant

FAST = FetchPolicy(timeout_s=2, retries=0, min_interval_s=0)

# Written in Word and published as ISO-8859-1: its quotes, apostrophe and dash are windows-1252 bytes.
BUDGET_HEADLINE = "Mayor’s budget plan is “unacceptable”, union says"
BUDGET = [
    "The transport union in Valdora called the mayor’s budget plan “unacceptable” on Monday – and "
    "promised to fight the cuts to the night buses in the council chamber.",
    "The plan takes four million euros from the bus network to pay for the repairs of the harbour wall, "
    "a spokeswoman for the mayor said.",
]
# ① is not in Shift_JIS proper, but every page labelled Shift_JIS may use it (browsers read cp932).
TOKYO_HEADLINE = "東京都、新しい防災計画を発表"
TOKYO = [
    "① 東京都は月曜日、大地震に備える新しい防災計画を発表した。計画では避難所を三百か所増やす。",
    "② 都の担当者によると、費用はおよそ二百億円で、工事は来年の春に始まる予定だという。",
    "③ 新しい避難所には水や食料、毛布のほか、携帯電話を充電するための発電機が備えられる。",
    "④ 知事は記者会見で「大きな地震はいつ起きてもおかしくない。都民の命を守るために準備を急ぐ」と述べた。",
    "⑤ 都は今年の秋に区や市と合同で大規模な避難訓練を行い、計画の内容を住民に説明する方針だ。",
]
MOSCOW_HEADLINE = "Мэр города представил новый бюджет"
MOSCOW = [
    "Мэр города Андрей Соколов в понедельник представил депутатам новый бюджет на следующий год.",
    "По его словам, расходы на ремонт дорог вырастут на треть, а плата за проезд в автобусах не изменится.",
]


def page(headline: str, paragraphs: list[str], meta: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html>\n<html><head>{meta}<title>{headline}</title></head>\n"
        f"<body><article><h1>{headline}</h1>\n{body}\n</article></body></html>"
    )


CP1251_META = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
# path: (body, Content-Type header or None for none at all)
ROUTES: dict[str, tuple[bytes, str | None]] = {
    "/budget.html": (page(BUDGET_HEADLINE, BUDGET).encode("cp1252"), "text/html; charset=ISO-8859-1"),
    "/tokyo.html": (page(TOKYO_HEADLINE, TOKYO).encode("cp932"), "text/html; charset=Shift_JIS"),
    "/moscow.html": (page(MOSCOW_HEADLINE, MOSCOW, '<meta charset="windows-1251">').encode("cp1251"), None),
    # re-saved as UTF-8, its meta left as it was
    "/moscow-utf8.html": (page(MOSCOW_HEADLINE, MOSCOW, CP1251_META).encode("utf-8"), "text/html"),
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        body, content_type = ROUTES.get(self.path, (b"", "text/plain"))
        self.send_response(200 if self.path in ROUTES else 404)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def bot(tmp_path: Path, embedder: MiniLMEmbedder) -> Assistant:
    return open_assistant(tmp_path / "index", embedder)


def fetched(bot: Assistant, site: str, path: str) -> tuple[str, str]:
    """The title and the snapshot text of a page ingested by its URL."""
    url = site + path
    report = bot.ingest_urls([url], policy=FAST)
    assert report.added == [url], report.summary()
    snapshot = snapshot_path(Path(bot.settings.index_dir) / "snapshots", url)
    [article] = bot.articles_at(str(snapshot))
    return article.title, read_text(snapshot)


def assert_spans_index(passage: Passage, source: str) -> None:
    """Each sentence of a passage is the text its offsets take from the file's text."""
    spans = passage.sentence_spans()
    assert spans
    for local_start, local_end, start, end in spans:
        assert source[start:end] == passage.text[local_start:local_end]


def test_a_latin1_labelled_page_in_windows_1252_is_cited_with_its_quotes(bot: Assistant, site: str) -> None:
    title, text = fetched(bot, site, "/budget.html")
    assert title == BUDGET_HEADLINE
    assert BUDGET[0] in text and not any("\x80" <= c <= "\x9f" for c in text)
    answer = bot.ask("What did the transport union in Valdora call the mayor’s budget plan?")
    assert not answer.abstained, answer.text
    [citation, *_] = [c for c in answer.citations if c.url == site + "/budget.html"]
    assert read_text(Path(citation.path))[citation.char_start : citation.char_end] == citation.quote
    assert "“unacceptable”" in citation.quote and "mayor’s" in citation.quote


def test_a_shift_jis_labelled_page_reads_as_browsers_read_it(bot: Assistant, site: str) -> None:
    title, text = fetched(bot, site, "/tokyo.html")
    assert title == TOKYO_HEADLINE
    assert TOKYO[0] in text and TOKYO[1] in text
    passages = bot.retrieve("東京都 防災計画 避難所")
    [passage] = [p for p in passages if "① 東京都は月曜日" in p.text]
    assert_spans_index(passage, text)


def test_a_page_whose_charset_only_its_meta_names_is_read_in_it(
    bot: Assistant, site: str, tmp_path: Path
) -> None:
    # fetched from a server that sends no Content-Type at all
    title, text = fetched(bot, site, "/moscow.html")
    assert title == MOSCOW_HEADLINE
    assert MOSCOW[0] in text
    # and saved as a file, its charset named in the http-equiv form
    saved = tmp_path / "moscow.html"
    saved.write_bytes(page(MOSCOW_HEADLINE, MOSCOW, CP1251_META).encode("cp1251"))
    loaded = load(saved)
    assert loaded.plain.startswith(MOSCOW_HEADLINE) and MOSCOW[1] in loaded.plain
    assert read_text(saved) == loaded.source
    report = bot.ingest([saved])
    assert len(report.added) == 1, report.summary()
    assert [a.title for a in bot.articles_at(str(saved))] == [MOSCOW_HEADLINE]
    [passage] = [p for p in bot.retrieve("Андрей Соколов бюджет") if p.metadata["path"] == str(saved)]
    assert "Андрей Соколов" in passage.text
    assert_spans_index(passage, read_text(saved))


def test_a_utf8_page_whose_meta_still_names_its_old_charset_is_read_as_utf8(
    bot: Assistant, site: str, tmp_path: Path
) -> None:
    title, text = fetched(bot, site, "/moscow-utf8.html")
    assert title == MOSCOW_HEADLINE and MOSCOW[1] in text
    saved = tmp_path / "resaved.htm"
    saved.write_bytes(page(MOSCOW_HEADLINE, MOSCOW, CP1251_META).encode("utf-8"))
    assert MOSCOW[0] in load(saved).plain
    assert read_text(saved) == load(saved).source


def test_a_text_file_in_windows_1252_is_read_as_before(bot: Assistant, tmp_path: Path) -> None:
    """A .txt file is not a page: a line in it that looks like a <meta> names no charset."""
    lines = [BUDGET_HEADLINE, *BUDGET, 'The council\'s web page still begins <meta charset="windows-1251">.']
    text = "\n\n".join(lines) + "\n"
    path = tmp_path / "budget.txt"
    path.write_bytes(text.encode("cp1252"))
    assert load(path).plain == text == read_text(path)
    report = bot.ingest([path])
    assert len(report.added) == 1, report.summary()
    [passage] = [p for p in bot.retrieve("transport union night buses") if p.metadata["path"] == str(path)]
    assert "mayor’s budget plan “unacceptable” on Monday –" in passage.text
    assert_spans_index(passage, read_text(path))
