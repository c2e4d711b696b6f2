"""The chat page's named API endpoints (/ask, /ingest), called with gradio_client on a live server.

gradio_client takes any returned dict with a "path" key for a file to download,
and citations carry the article's path: clients pass `download_files=False`.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from assistant import Assistant
from assistant.ingest.loading import read_text
from assistant.web.handlers import MAX_UPLOAD_BYTES, upload_problem
from tests.conftest import REPO, free_port, open_assistant, running_chroma

pytestmark = pytest.mark.slow

# Questions about the sample corpus, each with a word only its own answer has.
QUESTIONS = {
    "What did Putin say NATO ignored?": "indivisibility",
    "Did Putin and Macron discuss nuclear energy?": "nuclear energy",
    "How many Russian troops are deployed around the border with Ukraine?": "100,000",
    "What did Boris Johnson's spokesman say?": "deterrence",
    "What did Putin and Macron say about the COVID-19 pandemic?": "COVID-19",
    "When did the Russian Foreign Ministry submit draft agreements on security guarantees?": "17th",
    "What did the senior French official say Putin told Macron?": "confrontation",
    "What did Zelensky say about panic?": "panic",
}
ZORBIA = """Zorbian Daily

Zorbia elects a new mayor

The city of Zorbia elected Mira Quell as its new mayor on Tuesday, officials said.

Quell promised to build a tram line along the river before the next election.
"""


def connect(url: str) -> Client:
    return Client(url, verbose=False, download_files=False)


@pytest.fixture(scope="module")
def client(app_server: tuple[str, Assistant]) -> Client:
    return connect(app_server[0])


def ask(client: Client, question: str, history: list[list[str]] | None = None) -> dict[str, Any]:
    result: dict[str, Any] = client.predict(question, history, api_name="/ask")
    return result


def test_named_endpoints(client: Client) -> None:
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/ask", "/ingest"} <= set(endpoints)


def test_ask_returns_verbatim_citations(client: Client) -> None:
    answer = ask(client, "What did Putin say NATO ignored?")
    assert not answer["abstained"]
    assert answer["mode"] == "extractive"
    assert "indivisibility" in answer["answer"]
    assert answer["citations"]
    for citation in answer["citations"]:
        assert f"[{citation['marker']}]" in answer["answer"]
        assert citation["path"].startswith("corpus/"), "over the web, paths are relative to the corpus"
        source = read_text(REPO / citation["path"])
        assert source[citation["char_start"] : citation["char_end"]] == citation["quote"]


def test_ask_follows_the_conversation(client: Client) -> None:
    first_question = "What did Putin and Macron discuss on January 28?"
    first = ask(client, first_question)
    follow_up = ask(client, "Did they also talk about nuclear energy?", [[first_question, first["answer"]]])
    assert "nuclear energy" in follow_up["answer"]


def test_ask_counts_relative_time_from_as_of(client: Client) -> None:
    question = "What did Putin and Macron discuss last week?"
    answer: dict[str, Any] = client.predict(question, [], "2022-02-16", api_name="/ask")
    assert answer["assumed_as_of"] == "2022-02-16"
    assert {c["published"] for c in answer["citations"]} == {"2022-02-12"}
    with pytest.raises(AppError, match="as_of"):
        client.predict(question, [], "next Tuesday", api_name="/ask")


def _post_json(url: str, body: bytes) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.parametrize("data", [["What did Putin say NATO ignored?"], ["What did Putin say NATO ignored?", []]])
def test_a_plain_http_call_may_leave_off_the_optional_inputs(app_server: tuple[str, Assistant], data: list[Any]) -> None:
    """`POST /gradio_api/call/ask` with the question alone (or without the day) is answered; it
    was `event: error` with `{"error": null}` (found by a review)."""
    base = app_server[0].rstrip("/")
    status, text = _post_json(f"{base}/gradio_api/call/ask", json.dumps({"data": data}).encode())
    assert status == 200, text
    with urllib.request.urlopen(f"{base}/gradio_api/call/ask/{json.loads(text)['event_id']}", timeout=120) as events:
        stream = events.read().decode()
    assert "event: complete" in stream and "indivisibility" in stream, stream[:500]


def test_a_plain_http_call_without_data_is_told_what_to_send(app_server: tuple[str, Assistant]) -> None:
    status, text = _post_json(f"{app_server[0].rstrip('/')}/gradio_api/call/ask", b'{"question": "Who?"}')
    assert status == 422 and '{"data": [...]}' in text and "3 inputs" in text


def test_ask_rejects_an_empty_question(client: Client) -> None:
    with pytest.raises(AppError, match="empty"):
        ask(client, "   ")


def test_ingest_then_ask(client: Client, tmp_path: Path, app_server: tuple[str, Assistant]) -> None:
    article = tmp_path / "zorbia_mayor.txt"
    article.write_text(ZORBIA, encoding="utf-8")
    results = client.predict([handle_file(str(article))], api_name="/ingest")
    assert [(r["file"], r["outcome"]) for r in results] == [("zorbia_mayor.txt", "added")]
    assert results[0]["title"] == "Zorbia elects a new mayor"

    answer = ask(client, "Who was elected mayor of Zorbia?")
    assert "Mira Quell" in answer["answer"]
    cited = answer["citations"][0]
    assert cited["path"].startswith("uploads/") and cited["path"].endswith("/zorbia_mayor.txt")
    source = read_text(app_server[1].settings.index_dir / cited["path"])
    assert source[cited["char_start"] : cited["char_end"]] == cited["quote"]

    again = client.predict([handle_file(str(article))], api_name="/ingest")
    assert [r["outcome"] for r in again] == ["unchanged"]


def test_an_uploaded_archive_adds_an_article_a_record(
    client: Client, tmp_path: Path, app_server: tuple[str, Assistant]
) -> None:
    archive = tmp_path / "zorbia.jsonl"
    record = {"title": "Zorbia picks a tram route", "source": "Zorbia Courier", "date": "2024-05-02"}
    texts = [
        "The Zorbia city council chose the river route for the new tram line on Tuesday, by 9 votes to 4.",
        "Zorbia will hold its first tram festival in the old harbour on June 8, the mayor's office said.",
    ]
    archive.write_text("".join(json.dumps({**record, "id": n, "text": t}) + "\n" for n, t in enumerate(texts)))
    results = client.predict([handle_file(str(archive))], api_name="/ingest")
    assert [(r["file"], r["outcome"]) for r in results] == [("zorbia.jsonl#1", "added"), ("zorbia.jsonl#2", "added")]
    answer = ask(client, "Which route did the Zorbia council choose for the tram?")
    cited = answer["citations"][0]
    assert (cited["title"], cited["outlet"]) == ("Zorbia picks a tram route", "Zorbia Courier")
    assert cited["path"].startswith("archives/"), cited["path"]  # never the server's absolute path
    source = read_text(app_server[1].settings.index_dir / cited["path"])
    assert source[cited["char_start"] : cited["char_end"]] == cited["quote"]


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def test_an_upload_whose_ingest_fails_leaves_no_copy(
    client: Client, tmp_path: Path, app_server: tuple[str, Assistant]
) -> None:
    """The page keeps each upload in the index folder; an ingest that raised (here: another
    process holds the index's ingest lock) left the copies there for nothing."""
    index_dir = Path(app_server[1].settings.index_dir)
    uploads = index_dir / "uploads"
    article = tmp_path / "quellmouth_ferry.txt"
    article.write_text(ZORBIA.replace("Zorbia", "Quellmouth").replace("tram line", "ferry"), encoding="utf-8")
    archive = tmp_path / "quellmouth.jsonl"
    record = {"title": "Quellmouth opens a ferry pier", "source": "Quellmouth Post", "date": "2024-05-03"}
    text = "The Quellmouth ferry pier opened on Monday, with two boats an hour to the islands."
    archive.write_text(json.dumps({**record, "id": 1, "text": text}) + "\n", encoding="utf-8")
    before = files_under(uploads)
    with open(index_dir / "ingest.lock", "a+") as lock:  # what another process's ingest holds
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.write(f"pid {os.getpid()}, a test")
        lock.flush()
        try:
            with pytest.raises(AppError, match="another ingest"):
                client.predict([handle_file(str(article)), handle_file(str(archive))], api_name="/ingest")
        finally:
            lock.seek(0)
            lock.truncate()
            fcntl.flock(lock, fcntl.LOCK_UN)
    assert files_under(uploads) == before, "the failed upload's copies were left in the index folder"

    results = client.predict([handle_file(str(article)), handle_file(str(archive))], api_name="/ingest")
    assert [(r["file"], r["outcome"]) for r in results] == [
        ("quellmouth_ferry.txt", "added"),
        ("quellmouth.jsonl#1", "added"),
    ]
    assert {p.name for p in files_under(uploads) - before} == {"quellmouth_ferry.txt", "quellmouth.jsonl"}
    for result in results:
        app_server[1].remove(result["doc_id"])


def test_an_archive_none_of_whose_records_is_added_leaves_no_copy(
    client: Client, tmp_path: Path, app_server: tuple[str, Assistant]
) -> None:
    """Results of an archive's records are named ARCHIVE#N: a copy whose every record was
    skipped stayed, as only a result named by the copy's own path was looked for."""
    uploads = Path(app_server[1].settings.index_dir) / "uploads"
    archive = tmp_path / "binary_records.jsonl"
    record = {"title": "A record of control characters", "text": "\x00\x01\x02 some words \x00" * 20}
    archive.write_text(json.dumps(record) + "\n", encoding="utf-8")
    before = files_under(uploads)
    results = client.predict([handle_file(str(archive))], api_name="/ingest")
    assert [(r["file"], r["outcome"]) for r in results] == [("binary_records.jsonl#1", "skipped")]
    assert files_under(uploads) == before


def test_ingest_refuses_other_file_types(client: Client, tmp_path: Path) -> None:
    other = tmp_path / "report.pdf"
    other.write_bytes(b"%PDF-1.4 not an article")
    with pytest.raises(AppError, match="file type"):
        client.predict([handle_file(str(other))], api_name="/ingest")


def test_ingest_refuses_files_over_5_mb(client: Client, tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    big.write_text("All work and no play makes Jack a dull boy.\n" * 140_000, encoding="utf-8")
    assert big.stat().st_size > MAX_UPLOAD_BYTES
    with pytest.raises(ValueError, match="exceeds the maximum file size"):
        client.predict([handle_file(str(big))], api_name="/ingest")
    assert upload_problem(big) == "the file is 5.9 MB; the limit is 5 MB"


def test_an_upload_the_disk_has_no_room_for_says_so_and_leaves_no_half_copy(
    tmp_path: Path, small_disk: Path, embedder: Any
) -> None:
    """The page keeps each upload in the index folder; a copy that fills the disk read as a bug
    and stayed half written, for a later rebuild to read as an article."""
    from assistant.web.page import build_app, launch

    bot = open_assistant(small_disk / "index", embedder)
    article = tmp_path / "zorbia_mayor.txt"
    stops = " ".join(f"Tram stop {i} will open on the river bank." for i in range(1_000))
    article.write_text(f"{ZORBIA}\n{stops}\n", encoding="utf-8")
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (shutil.disk_usage(small_disk).free - 16_384))  # leaves less than the article
    demo = build_app(bot)
    try:
        client = connect(launch(demo, port=free_port(), block=False))
        with pytest.raises(AppError, match=r"the disk holding the index .* is full"):
            client.predict([handle_file(str(article))], api_name="/ingest")
        uploads = small_disk / "index" / "uploads"
        assert not uploads.exists() or not any(uploads.rglob("*.txt")), "no half-written copy"
        filler.unlink()
        results = client.predict([handle_file(str(article))], api_name="/ingest")
        assert [(r["file"], r["outcome"]) for r in results] == [("zorbia_mayor.txt", "added")]
    finally:
        demo.close()


def test_a_chroma_server_that_went_away_is_named_in_the_page(tmp_path: Path, embedder: Any) -> None:
    """A page on a Chroma server that stopped answered every question with "something went
    wrong (error …)"."""
    from assistant.web.page import build_app, launch

    with running_chroma(tmp_path / "chroma") as url:
        bot = open_assistant(tmp_path / "index", embedder, chroma_url=url, collection="gone")
        bot.ingest([REPO / "corpus"])
        demo = build_app(bot)
        client = connect(launch(demo, port=free_port(), block=False))
        assert ask(client, "What did Putin say NATO ignored?")["citations"]
    try:  # the server is stopped now
        with pytest.raises(AppError, match=rf"the Chroma server at {url} cannot be reached \(ConnectError\)"):
            ask(client, "Who won the French presidential election?")
    finally:
        demo.close()


def test_the_corpus_list_says_why_while_the_chroma_server_is_away(tmp_path: Path, embedder: Any) -> None:
    """The corpus tab's count showed a bare "Error" every few seconds while the Chroma server was
    stopped (a review of many processes on one index): it says the server cannot be reached, and
    shows the list again at the first tick after it is back."""
    from assistant.web.handlers import ChatApp

    data = tmp_path / "chroma"
    with running_chroma(data) as url:
        bot = open_assistant(tmp_path / "index", embedder, chroma_url=url, collection="away", sync_interval_s=0)
        bot.ingest([REPO / "corpus"])
        page = ChatApp(bot, tmp_path / "uploads")
        shown = page.corpus_if_changed(1, None)
        assert "of 5 " in shown[2] and shown[4] == bot.changes()
    away = page.corpus_if_changed(1, shown[4])  # the server is stopped now
    assert "cannot be reached" in away[2], away
    with running_chroma(data) as back:
        again = ChatApp(open_assistant(tmp_path / "index", embedder, chroma_url=back, collection="away"), tmp_path / "uploads")
        listed = again.corpus_if_changed(1, away[4])
        assert "of 5 " in listed[2] and len(listed[0]) == 5, listed


def test_upload_problems_are_explained(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert upload_problem(pdf) == (
        "only .txt, .md, .markdown, .html, .htm, .mhtml, .mht, .jsonl, .ndjson, .json, .csv, .tsv files "
        "(archives also gzip-compressed) can be added, not .pdf"
    )
    assert upload_problem(tmp_path / "notes.txt.gz") is not None  # only an archive may come compressed
    small = tmp_path / "small.md"
    small.write_text("# A headline\n\nA sentence.\n", encoding="utf-8")
    assert upload_problem(small) is None
    for name in ("page.htm", "notes.markdown", "page.mhtml", "news.jsonl", "news.csv", "news.jsonl.gz"):  # what ingestion reads, the page takes
        (tmp_path / name).write_text("A sentence.", encoding="utf-8")
        assert upload_problem(tmp_path / name) is None, name


def test_eight_concurrent_clients_get_their_own_answers(
    app_server: tuple[str, Assistant], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, bot = app_server
    expected = {q: bot.ask(q).text for q in QUESTIONS}
    clients = [connect(url) for _ in QUESTIONS]
    start = threading.Barrier(len(QUESTIONS))
    counting = threading.Lock()
    running = {"now": 0, "most": 0}
    real_ask = bot.ask

    def slow_ask(question: str, history: Any = None, filters: Any = None, as_of: Any = None) -> Any:
        """The real answer, a second late: long enough for all eight to overlap."""
        with counting:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
        try:
            time.sleep(1.0)
            return real_ask(question, history=history, filters=filters, as_of=as_of)
        finally:
            with counting:
                running["now"] -= 1

    monkeypatch.setattr(bot, "ask", slow_ask)

    def run(job: tuple[Client, str]) -> dict[str, Any]:
        own_client, question = job
        start.wait(timeout=30)
        return ask(own_client, question)

    with ThreadPoolExecutor(max_workers=len(QUESTIONS)) as pool:
        answers = list(pool.map(run, zip(clients, QUESTIONS), timeout=120))

    for (question, keyword), answer in zip(QUESTIONS.items(), answers):
        assert answer["question"] == question
        assert keyword in answer["answer"], (question, answer["answer"])
        assert answer["answer"] == expected[question]  # the same as asked alone: nothing mixed in
    assert running["most"] == len(QUESTIONS), "the server should answer eight users at the same time"


def test_questions_are_answered_while_an_upload_is_ingested(tmp_path: Path, embedder: Any) -> None:
    """An upload of 20 files of real SQuAD paragraphs takes many seconds to embed; questions
    asked meanwhile are answered from the articles stored so far, long before it ends."""
    import json

    from assistant import Settings
    from assistant.web.page import build_app, launch
    from tests.conftest import CORPUS, free_port

    settings = Settings.from_mapping(
        {"index_dir": tmp_path / "index", "ask_rate_per_minute": 0, "ingest_rate_per_minute": 0}
    )
    bot = Assistant(settings, embedder=embedder)
    bot.ingest([CORPUS])
    demo = build_app(bot)
    url = launch(demo, port=free_port(), block=False)
    try:
        squad = json.loads((REPO / "evals" / "data" / "squad-dev-v1.1-part1.json").read_text())["data"]
        paragraphs = [p["context"] for a in squad[1:9] for p in a["paragraphs"]]
        per_file = len(paragraphs) // 20
        files = []
        for k in range(20):
            path = tmp_path / f"wiki-{k:02d}.txt"
            body = "\n\n".join(paragraphs[k * per_file : (k + 1) * per_file])
            path.write_text(f"Encyclopedia entry {k}\n\n{body}\n")
            files.append(handle_file(str(path)))
        uploader = connect(url)
        job = uploader.submit(files, api_name="/ingest")
        asker = connect(url)
        time.sleep(2.0)  # the upload is on its way: hundreds of passages to embed
        assert not job.done(), "the upload ended too soon for the test; give it more text"
        answered_during = 0
        for question, word in list(QUESTIONS.items())[:4]:
            answer: dict[str, Any] = asker.predict(question, [], api_name="/ask")
            assert word in answer["answer"]
            answered_during += not job.done()
        results = job.result(timeout=600)
        assert answered_during >= 3, "questions waited for the upload to end"
        assert sum(r["outcome"] == "added" for r in results) == 20
        assert bot.article_count() == 25
    finally:
        demo.close()
