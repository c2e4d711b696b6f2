"""A news archive, not a folder: large ingests, kill -9 and resume, updates that cannot be
seen half done, moved files, one ingest at a time, and processes that see each other's
changes. Real Chroma (embedded, and a real `chroma run` server), real subprocesses."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from assistant import Assistant, Settings
from assistant.errors import IngestBusyError
from assistant.ingest.documents import build_article
from assistant.ingest.loading import read_text
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.index import catalog_entry
from tests.conftest import CORPUS, REPO, open_assistant, running_chroma, update_with_a_detained_reporter

SQUAD = REPO / "evals" / "data" / "squad-dev-v1.1-part1.json"
pytestmark = pytest.mark.slow


def squad_articles(folder: Path, count: int, offset: int = 0) -> list[Path]:
    """`count` real Wikipedia paragraphs of SQuAD as article files, a headline line first."""
    folder.mkdir(parents=True, exist_ok=True)
    data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    paragraphs = [(a["title"].replace("_", " "), p["context"]) for a in data for p in a["paragraphs"]]
    written = []
    for k, (title, text) in enumerate(paragraphs[offset : offset + count]):
        path = folder / f"{offset + k:04d}.txt"
        path.write_text(f"{title} ({offset + k})\n\n{text}\n", encoding="utf-8")
        written.append(path)
    return written


def cli(*args: str, index: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_CHROMA_URL"):
        environment.pop(key, None)
    environment.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "--index-dir", str(index), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        cwd=REPO,
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )


def _ctrl_c_as_in_a_terminal() -> None:
    """A command started in a terminal takes Ctrl-C; one started by a job in the background (a
    CI runner, `make test &`) inherits SIGINT ignored, and Python then never raises
    KeyboardInterrupt. The commands under test get the terminal's disposition."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def while_running(process: subprocess.Popen[str], condition: Callable[[], bool], seconds: float = 240) -> bool:
    """Poll `condition` while `process` runs: True once it holds, False when the process
    ended first or `seconds` passed."""
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def stored_ids(bot: Assistant) -> list[str]:
    return bot._index.store.all_ids()


def whole_ids(bot: Assistant) -> list[str]:
    """The stored chunk ids, once it is checked that the index is whole: no chunk stored twice,
    the catalog and lexical index counting the same chunks as the store, nothing left to repair."""
    ids = stored_ids(bot)
    assert len(ids) == len(set(ids)), "no chunk stored twice"
    assert bot._index.catalog.chunk_count() == bot._index.lexical.count() == len(ids)
    assert not bot._index.catalog.pending() and not bot._index.catalog.doomed()
    return ids


def catalog_count(index: Path, catalog: str = "articles.sqlite3") -> int:
    """Articles committed so far, read the way a second process would."""
    path = index / "lexical" / catalog
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_one_ingest_larger_than_a_chroma_write(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """More chunks than Chroma takes in one call (5,461 embedded), written in one batch."""
    folder = tmp_path / "articles"
    folder.mkdir()
    sentences = [f"Item {n} of the ledger was checked by clerk {n % 37}." for n in range(6200)]
    for k in range(64):  # 97 sentences a file: no article ends at a round number of chunks
        (folder / f"ledger-{k:02d}.txt").write_text(
            f"Ledger part {k}\n\n" + "\n\n".join(sentences[k * 97 : (k + 1) * 97]) + "\n", encoding="utf-8"
        )
    bot = open_assistant(
        tmp_path / "index", embedder, chunk_tokens=16, chunk_overlap=0, ingest_batch_chunks=7000
    )
    report = bot.ingest([folder])
    assert len(report.added) == 64, report.summary()
    ids = stored_ids(bot)
    assert len(ids) > bot._index.store.max_batch, "the test must cross the client's batch limit"
    assert len(ids) == len(set(ids)) == sum(a.chunks for a in bot.articles())
    assert bot._index.catalog.chunk_count() == bot._index.lexical.count() == len(ids)
    answer = bot.ask("Which clerk checked item 4321 of the ledger?")
    assert "Item 4321" in answer.text
    # Filled again from the store (a new stemmer's first open), which streams it in pieces that
    # end inside articles: every chunk comes back once.
    bot._index.catalog.set_state("terms", "2")
    refilled = open_assistant(tmp_path / "index", embedder, chunk_tokens=16, chunk_overlap=0)
    assert refilled._index.catalog.chunk_count() == refilled._index.lexical.count() == len(ids)
    assert [(a.doc_id, a.chunks) for a in refilled.articles()] == [(a.doc_id, a.chunks) for a in bot.articles()]
    assert "Item 4321" in refilled.ask("Which clerk checked item 4321 of the ledger?").text


@pytest.mark.parametrize("form", ["files", "archive"])
def test_kill_9_at_random_moments_then_resume_ends_as_a_clean_build(
    tmp_path: Path, embedder: MiniLMEmbedder, form: str
) -> None:
    folder = tmp_path / "articles"
    written = squad_articles(folder, 240)
    if form == "archive":  # the same articles as records of one JSON Lines file
        texts = [p.read_text(encoding="utf-8") for p in written]
        records = [{"title": text.split("\n")[0], "text": text} for text in texts]
        for path in written:
            path.unlink()
        (folder / "news.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    index = tmp_path / "index"
    env = {"ASSISTANT_INGEST_BATCH": "8"}  # many small commits: a kill lands mid-run however fast
    rng = random.Random(os.environ.get("KILL_SEED", "10"))
    kills = 0
    for _ in range(3):
        before = catalog_count(index)
        process = cli("ingest", str(folder), index=index, env=env)
        target = before + rng.randint(1, 20)
        while_running(process, lambda: catalog_count(index) >= target)  # noqa: B023 (used at once)
        time.sleep(rng.uniform(0.0, 1.5))  # anywhere in the next batch: embedding or writing
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.communicate(timeout=60)
    assert kills >= 2, "the ingest finished before it could be killed; use a larger corpus"
    final = cli("ingest", str(folder), index=index, env=env)
    out, err = final.communicate(timeout=600)
    assert final.returncode == 0, err
    resumed = open_assistant(index, embedder)
    assert len(resumed.articles()) == 240

    clean = open_assistant(tmp_path / "clean", embedder)
    clean.ingest([folder])
    assert sorted(whole_ids(resumed)) == sorted(stored_ids(clean)), "exactly the chunks of a clean build"
    assert "added 0" not in out or "unchanged" in out


def test_a_full_disk_stops_the_ingest_with_a_clear_message_and_loses_nothing(
    tmp_path: Path, small_disk: Path, embedder: MiniLMEmbedder
) -> None:
    """Chroma reports a full disk as "Error in compaction: ..." or an internal database error,
    which read as a bug ("something went wrong, error 45a491b3"). The ingest now says the disk is
    full; the articles stored before it stay, and the same command goes on once there is room."""
    folder = tmp_path / "articles"
    squad_articles(folder, 200)
    index = small_disk / "index"
    first = cli("ingest", str(folder), index=index)
    out, err = first.communicate(timeout=600)
    assert first.returncode == 1, (out, err)
    assert f"the disk holding the index {index} is full" in err, err
    assert "run the same command again" in err and "Traceback" not in err and "error id" not in err
    stored = catalog_count(index)
    assert 0 < stored < 200, "the disk filled up partway"
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = cli("ingest", str(folder), index=index)
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert f"added {200 - stored}, updated 0, unchanged {stored}" in out, out
    resumed = open_assistant(index, embedder)
    assert len(resumed.articles()) == 200
    whole_ids(resumed)


def test_a_chroma_server_whose_disk_fills_up_is_named_as_the_cause(tmp_path: Path, small_disk: Path) -> None:
    """A full disk on the Chroma server read as this machine's ("the disk holding the index
    <local folder> is full") or as a bug ("something went wrong, error 9349c3e1")."""
    folder = tmp_path / "articles"
    squad_articles(folder, 200)
    with running_chroma(small_disk) as url:
        first = cli("ingest", str(folder), index=tmp_path / "index", env={"ASSISTANT_CHROMA_URL": url})
        out, err = first.communicate(timeout=600)
    assert first.returncode == 1, (out, err)
    assert f"the Chroma server at {url} " in err, err
    assert "reports that its disk is full" in err or "could not store the writes" in err, err
    assert "run the same command again" in err and "Traceback" not in err and "error id" not in err, err
    assert str(tmp_path / "index") not in err, "the local folder is not the one that is full"


class _HangingWrites(ThreadingHTTPServer):
    """A real HTTP proxy in front of a Chroma server that passes every request on but never
    answers a write (as Chroma's server does once its disk is full)."""

    daemon_threads = True

    def __init__(self, target: str) -> None:
        self.target = target
        self.release = threading.Event()
        super().__init__(("127.0.0.1", 0), _ProxyHandler)


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _HangingWrites

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _relay(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
        if self.command == "POST" and self.path.rstrip("/").endswith(("/add", "/upsert")):
            self.server.release.wait(120)
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        reply = httpx.request(self.command, self.server.target + self.path, content=body, headers=headers)
        self.send_response(reply.status_code)
        for key, value in reply.headers.items():
            if key.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(reply.content)))
        self.end_headers()
        self.wfile.write(reply.content)

    do_GET = do_POST = do_PUT = do_DELETE = _relay


def test_a_chroma_server_that_stops_answering_is_reported_not_waited_on(
    tmp_path: Path, chroma_server: str, embedder: MiniLMEmbedder
) -> None:
    """Chroma's client waits for ever: an ingest against a server that hangs froze with no word."""
    folder = tmp_path / "articles"
    squad_articles(folder, 20)
    env = {"ASSISTANT_COLLECTION": "hanging", "ASSISTANT_CHROMA_TIMEOUT": "3"}
    proxy = _HangingWrites(chroma_server)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{proxy.server_address[1]}"
        stuck = cli("ingest", str(folder), index=tmp_path / "index", env={**env, "ASSISTANT_CHROMA_URL": url})
        out, err = stuck.communicate(timeout=300)
    finally:
        proxy.release.set()
        proxy.shutdown()
    assert stuck.returncode == 1, (out, err)
    assert f"the Chroma server at {url} did not answer within 3 s (ReadTimeout)" in err, err
    assert "an ingest goes on where it stopped" in err and "error id" not in err, err
    again = cli("ingest", str(folder), index=tmp_path / "index", env={**env, "ASSISTANT_CHROMA_URL": chroma_server})
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0 and "added 20" in out, (out, err)
    bot = open_assistant(tmp_path / "index", embedder, chroma_url=chroma_server, collection="hanging")
    assert len(bot.articles()) == 20
    whole_ids(bot)


def test_ctrl_c_stops_an_ingest_with_a_word_and_the_next_run_goes_on(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """Ctrl-C ended an ingest silently (exit 1, nothing printed)."""
    folder = tmp_path / "articles"
    squad_articles(folder, 120)
    index = tmp_path / "index"
    process = cli("ingest", str(folder), index=index, env={"ASSISTANT_INGEST_BATCH": "8"})
    assert while_running(process, lambda: catalog_count(index) >= 5), "the ingest ended before Ctrl-C"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, (out, err)
    assert "assistant: stopped; the articles stored so far are kept" in err and "Traceback" not in err, err
    stored = catalog_count(index)
    assert 5 <= stored < 120
    again = cli("ingest", str(folder), index=index)
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0 and f"added {120 - stored}, updated 0, unchanged {stored}" in out, (out, err)
    assert len(open_assistant(index, embedder).articles()) == 120


def test_an_update_killed_halfway_leaves_one_complete_version(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([corpus_copy])
    old = next(a for a in bot.articles() if a.path == str(next(corpus_copy.glob("002_*.txt")).resolve()))
    changed = update_with_a_detained_reporter(corpus_copy)
    # The first half of an update, as a run killed after writing the new chunks does it.
    article = build_article(changed.resolve(), bot.settings.chunk_tokens, bot.settings.chunk_overlap)
    index = bot._index
    index.catalog.begin([(article.doc_id, old.doc_id)])
    index.store.write([(article, embedder.embed([c.text for c in article.chunks]))])

    reader = open_assistant(tmp_path / "index", embedder)
    assert {a.doc_id for a in reader.articles()} >= {old.doc_id}
    assert article.doc_id not in {a.doc_id for a in reader.articles()}
    answer = reader.ask("What did Macron raise about a detained reporter?")
    assert all(c.doc_id != article.doc_id for c in answer.citations), "half an update is never seen"

    report = reader.ingest([corpus_copy])  # repairs, then updates for real
    assert report.updated == [str(changed.resolve())]
    ids = stored_ids(reader)
    assert not any(i.startswith(old.doc_id) for i in ids)
    assert sum(i.startswith(article.doc_id) for i in ids) == len(article.chunks)
    assert "detained reporter" in reader.ask("What did Macron raise about a detained reporter?").text


def test_a_run_killed_after_the_catalog_switch_removes_the_old_chunks_next_time(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([corpus_copy])
    changed = next(corpus_copy.glob("001_*.txt"))
    old = next(a for a in bot.articles() if a.path == str(changed.resolve()))
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA late paragraph about wheat exports.\n")
    article = build_article(changed.resolve(), bot.settings.chunk_tokens, bot.settings.chunk_overlap)
    index = bot._index
    vectors = embedder.embed([c.text for c in article.chunks])
    # Everything of an update but the last step (deleting the old chunks) ...
    index.catalog.begin([(article.doc_id, old.doc_id)])
    index.store.write([(article, vectors)])
    entry, lexical = catalog_entry(article)
    index.lexical.write(lexical, removed=[old.doc_id])
    index.catalog.put([entry], removed=[old.doc_id], done_pending=[article.doc_id], doomed=[old.doc_id])
    assert any(i.startswith(old.doc_id) for i in stored_ids(bot))
    assert old.doc_id not in {a.doc_id for a in bot.articles()}
    # ... and the next run finishes it.
    report = open_assistant(tmp_path / "index", embedder).ingest([corpus_copy])
    assert len(report.unchanged) == 5
    assert not any(i.startswith(old.doc_id) for i in stored_ids(bot))


def test_a_moved_file_is_the_same_article_and_prune_keeps_it(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([corpus_copy])
    source = next(corpus_copy.glob("003_*.txt"))
    target = corpus_copy / "moved" / "kremlin-readout.txt"
    target.parent.mkdir()
    source.rename(target)
    report = bot.ingest([corpus_copy], prune=True)
    assert report.moved == [str(target.resolve())]
    assert not report.removed and not report.added
    assert len(bot.articles()) == 5
    answer = bot.ask("What did Putin say NATO ignored?")
    paths = {c.path for c in answer.citations}
    assert str(target.resolve()) in paths and str(source.resolve()) not in paths
    for c in answer.citations:
        assert read_text(Path(c.path))[c.char_start : c.char_end] == c.quote


def test_one_ingest_at_a_time(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    folder = tmp_path / "articles"
    squad_articles(folder, 600)
    index = tmp_path / "index"
    first = cli("ingest", str(folder), index=index, env={"ASSISTANT_INGEST_BATCH": "16"})
    assert while_running(first, lambda: catalog_count(index) >= 1), "the first ingest ended too soon for the test"
    second = cli("ingest", str(CORPUS), index=index)
    _, err = second.communicate(timeout=120)
    assert first.poll() is None, "the first ingest ended before the second tried; use a larger corpus"
    assert second.returncode == 1
    assert "another ingest" in err and "wait for it" in err
    bot = open_assistant(index, embedder)
    with pytest.raises(IngestBusyError):
        bot.ingest([CORPUS])
    stored = bot.articles()[0]
    with pytest.raises(IngestBusyError, match="remove it again"):  # not the lexical index's lock error
        bot.remove(stored.doc_id)
    removal = cli("remove", stored.doc_id, index=index)
    _, err = removal.communicate(timeout=120)
    assert removal.returncode == 1 and "another ingest" in err and "remove it again" in err, err
    assert first.poll() is None, "the first ingest ended before the removals tried; use a larger corpus"
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert len(bot.articles()) == 600
    assert len(bot.ingest([CORPUS]).added) == 5
    assert bot.remove(stored.doc_id) and bot.article(stored.doc_id) is None
    assert all(p.doc_id != stored.doc_id for p in bot.retrieve(stored.title))


def _wait_for(predicate: object, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if predicate():  # type: ignore[operator]
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"not seen within {seconds} s")


# A writer that stops for good right after the catalog lists an updated article: the first step
# after it (removing the old version's chunks) ends the process, as a kill -9 there would.
_KILLED_AFTER_THE_CATALOG = """
import os, sys
from assistant import Assistant
bot = Assistant.open(index_dir=sys.argv[1])
bot._index.store.delete_articles = lambda doc_ids: os._exit(9)
bot.ingest([sys.argv[2]])
"""


def test_a_reader_hears_of_an_update_whose_writer_was_killed_after_the_catalog(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    """The catalog lists the new version as the writer dies: the page beside it, which had read
    the old one, must open the store again (its client has not seen the new vectors) rather
    than fail every question that finds them."""
    index = tmp_path / "index"
    open_assistant(index, embedder).ingest([corpus_copy])
    reader = Assistant(Settings.from_mapping({"index_dir": index, "sync_interval_s": 0}), embedder=embedder)
    question = "What did Macron raise about a detained reporter?"
    assert "detained reporter" not in reader.ask(question).text
    update_with_a_detained_reporter(corpus_copy)
    writer = subprocess.run(
        [sys.executable, "-c", _KILLED_AFTER_THE_CATALOG, str(index), str(corpus_copy)],
        capture_output=True, text=True, cwd=REPO, env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=300,
    )
    assert writer.returncode == 9, writer.stderr
    assert "detained reporter" in reader.ask(question).text


@pytest.mark.parametrize("backend", ["embedded", "server"])
def test_another_process_sees_an_ingest_within_5_seconds(
    backend: str, tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder, request: pytest.FixtureRequest
) -> None:
    values: dict[str, object] = {"index_dir": tmp_path / "reader", "collection": f"seen{backend}"}
    env = {"ASSISTANT_COLLECTION": f"seen{backend}"}
    writer_index = tmp_path / "reader"
    if backend == "server":
        url = request.getfixturevalue("chroma_server")
        values["chroma_url"] = url
        env["ASSISTANT_CHROMA_URL"] = url
        writer_index = tmp_path / "writer"  # another machine: its own catalog
    reader = Assistant(Settings.from_mapping(values), embedder=embedder)
    first = next(corpus_copy.glob("000_*.txt"))
    process = cli("ingest", str(first), index=writer_index, env=env)
    assert process.wait(timeout=300) == 0, process.communicate()[1]
    _wait_for(lambda: len(reader.articles()) == 1, 5)
    question = "What did Putin say NATO ignored?"
    process = cli("ingest", str(corpus_copy), index=writer_index, env=env)
    assert process.wait(timeout=300) == 0, process.communicate()[1]
    _wait_for(lambda: "indivisibility" in reader.ask(question).text, 5)
    assert len(reader.articles()) == 5
    gone = next(corpus_copy.glob("003_*.txt"))
    gone.unlink()
    process = cli("ingest", "--prune", str(corpus_copy), index=writer_index, env=env)
    assert process.wait(timeout=300) == 0, process.communicate()[1]
    _wait_for(lambda: len(reader.articles()) == 4, 5)
    assert all("003_" not in c.path for c in reader.ask(question).citations)


def test_a_question_asked_as_another_process_commits_finds_its_chunks_by_their_words(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """The page's embedded Chroma client, opened before a terminal ingest committed an article,
    holds its chunks' metadata but not their vectors; the lexical index, a file both processes
    read, finds them. Reading their vectors failed the question ("Error finding id", 7 of 7
    runs of a review of many processes on one index): they are embedded again instead."""
    folder = tmp_path / "articles"
    folder.mkdir()
    first = sorted(CORPUS.glob("*.txt"))[0]
    (folder / first.name).write_bytes(first.read_bytes())
    page = open_assistant(tmp_path / "index", embedder, sync_interval_s=3600)  # hears of it later
    page.ingest([folder])
    assert not page.ask("What did Putin confirm during the phone call with Macron?").abstained  # its client is open
    (folder / "dam.txt").write_text(
        "Title: Kapexpextus dam opens\nSource: Test Wire\nDate: 2024-01-02\n\n"
        "The Kapexpextus dam opened on Tuesday after nine years of building, the water board said.\n",
        encoding="utf-8",
    )
    process = cli("ingest", str(folder), index=tmp_path / "index")
    assert process.wait(timeout=300) == 0, process.communicate()[1]
    answer = page.ask("When did the Kapexpextus dam open?")
    assert not answer.abstained and "opened on Tuesday" in answer.text, answer.text
    cited = answer.citations[0]
    assert read_text(Path(cited.path))[cited.char_start : cited.char_end] == cited.quote


def test_an_ingest_after_another_process_rebuilt_the_index_weighs_words_by_the_new_one(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """An ingest catches up with other processes first (a review of many processes on one
    index); when what it catches up with is another process's rebuild, the word weights must
    follow the new index too, as a question's own catching up makes them."""
    folder = tmp_path / "articles"
    folder.mkdir()
    files = sorted(CORPUS.glob("*.txt"))
    for file in files[:2]:
        (folder / file.name).write_bytes(file.read_bytes())
    page = open_assistant(tmp_path / "index", embedder, sync_interval_s=3600)  # hears of it only when it ingests
    page.ingest([folder])
    before = page._vocabulary.idf("kremlin")
    for file in files[2:]:
        (folder / file.name).write_bytes(file.read_bytes())
    process = cli("ingest", "--rebuild", str(folder), index=tmp_path / "index")
    assert process.wait(timeout=300) == 0, process.communicate()[1]
    page.ingest([folder])  # finds the rebuilt index under its lock: nothing new to add
    fresh = open_assistant(tmp_path / "index", embedder)
    assert page._vocabulary.idf("kremlin") == fresh._vocabulary.idf("kremlin") != before


def test_two_ingests_in_one_process_take_turns(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    import threading

    second = tmp_path / "second"
    second.mkdir()
    for file in sorted(corpus_copy.glob("*.txt"))[3:]:
        file.rename(second / file.name)
    bot = open_assistant(tmp_path / "index", embedder)
    reports: list[object] = []
    errors: list[BaseException] = []

    def run(folder: Path) -> None:
        try:
            reports.append(bot.ingest([folder]))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f,)) for f in (corpus_copy, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert len(bot.articles()) == 5
    ids = stored_ids(bot)
    assert len(ids) == len(set(ids)) == bot._index.catalog.chunk_count() == bot._index.lexical.count()


def test_a_rebuild_killed_halfway_leaves_the_old_index_answering(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    folder = tmp_path / "articles"
    squad_articles(folder, 200)
    index = tmp_path / "index"
    bot = open_assistant(index, embedder)
    bot.ingest(sorted(folder.glob("*.txt"))[:10])
    before = {a.doc_id for a in bot.articles()}
    rebuild = cli(
        "ingest",
        "--rebuild",
        str(folder),
        index=index,
        env={"ASSISTANT_CHUNK_TOKENS": "96", "ASSISTANT_INGEST_BATCH": "16"},
    )
    assert while_running(  # the new generation's catalog (articles__<generation>.sqlite3) fills up
        rebuild, lambda: any(catalog_count(index, c.name) >= 5 for c in (index / "lexical").glob("articles__*.sqlite3"))
    )
    assert rebuild.poll() is None, "the rebuild ended before it could be killed"
    rebuild.send_signal(signal.SIGKILL)
    rebuild.communicate(timeout=60)

    reader = open_assistant(index, embedder)
    assert {a.doc_id for a in reader.articles()} == before, "the old index is still the one in use"
    answer = reader.ask("Which team won Super Bowl 50?")
    assert answer.citations and {c.doc_id for c in answer.citations} <= before
    rebuilt = Assistant(
        Settings.from_mapping({"index_dir": index, "chunk_tokens": 96}), embedder=embedder, check=False
    )
    assert len(rebuilt.rebuild([folder]).added) == 200
    assert len(open_assistant(index, embedder, chunk_tokens=96).articles()) == 200
    leftovers = sorted(p.name for p in (index / "lexical").iterdir())
    assert len([p for p in leftovers if p.endswith(".sqlite3")]) == 1, leftovers


def test_a_change_marked_by_another_process_of_the_same_id_is_not_taken_for_ours() -> None:
    """Two containers sharing an index folder are both process 1: what marks a process's changes
    in the catalog is the process id and a token drawn when it started (again in a forked child)."""
    from assistant.search import index

    assert index._is_mine(index._change_mark())
    assert not index._is_mine(f"{os.getpid()}:{time.time_ns()}")  # an earlier version's mark
    assert not index._is_mine(f"{os.getpid()}-000000000000:{time.time_ns()}")
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child's own token: not its parent's
        os.write(write, index._change_mark().encode())
        os._exit(0)
    os.waitpid(child, 0)
    assert not index._is_mine(os.read(read, 200).decode())


def test_a_rebuild_killed_after_it_went_live_leaves_no_old_collection_behind(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    """Killed between making the rebuilt collection current and dropping the one it replaced,
    a rebuild leaves the first collection (named without a generation) beside the log: the next
    rebuild drops it, as it drops the collections of rebuilds that never went live."""
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([corpus_copy])
    index = bot._index
    first = index.store.generation
    fresh = index.beside()
    bot._index = fresh  # the rebuilt index, filled as a rebuild fills it
    bot.ingest([corpus_copy])
    fresh.store.make_current(fresh.catalog.origin)  # ... and the run killed here
    collections = lambda: {c.name for c in fresh.store._client.list_collections()}  # noqa: E731
    assert first in collections()
    again = open_assistant(tmp_path / "index", embedder)
    assert len(again.articles()) == 5
    again.rebuild([corpus_copy])
    assert first not in collections() and len(again.articles()) == 5
    assert "indivisibility" in again.ask("What did Putin say NATO ignored?").text


def test_a_lexical_refill_after_a_killed_update_keeps_one_version_and_the_journal(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    """The catalog and lexical index filled again from the store (a new stemmer's first open)
    after an update was killed halfway: the store holds two versions of one file; the catalog
    lists one, and the journal survives for the next ingest to clean the other away."""
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([corpus_copy])
    changed = next(corpus_copy.glob("002_*.txt"))
    original = changed.read_text(encoding="utf-8")
    old = next(a for a in bot.articles() if a.path == str(changed.resolve()))
    changed.write_text(original + "\nA late paragraph about wheat exports.\n", encoding="utf-8")
    article = build_article(changed.resolve(), bot.settings.chunk_tokens, bot.settings.chunk_overlap)
    bot._index.catalog.begin([(article.doc_id, old.doc_id)])  # the first half of an update
    bot._index.store.write([(article, embedder.embed([c.text for c in article.chunks]))])
    bot._index.catalog.set_state("terms", "2")  # an index of an earlier stemmer: filled again

    refilled = open_assistant(tmp_path / "index", embedder)
    assert refilled._index.catalog.get_state("terms") != "2"
    assert {a.path: a.doc_id for a in refilled.articles()}[str(changed.resolve())] == old.doc_id
    assert len(refilled.articles()) == 5
    changed.write_text(original, encoding="utf-8")  # the update is given up
    assert len(refilled.ingest([corpus_copy]).unchanged) == 5
    assert not any(i.startswith(article.doc_id) for i in whole_ids(refilled))


@pytest.mark.parametrize("how", ["mv", "cp"])
def test_a_file_moved_or_copied_over_another_leaves_its_own_article_there(
    tmp_path: Path, embedder: MiniLMEmbedder, how: str
) -> None:
    """`mv x.txt y.txt` or `cp x.txt y.txt` over an indexed y.txt: y.txt's article is no more (its
    citations would point into the other article's text), the moved one is followed; a fill from
    the store (a new stemmer's first open) lists the same."""
    folder = tmp_path / "articles"
    folder.mkdir()
    files = sorted(CORPUS.glob("*.txt"))
    x, y = folder / "x.txt", folder / "y.txt"
    bot = open_assistant(tmp_path / "index", embedder)
    x.write_bytes(files[0].read_bytes())
    y.write_bytes(files[1].read_bytes())
    bot.ingest([folder])
    ids = {a.path: a.doc_id for a in bot.articles()}
    if how == "mv":
        x.rename(y)
    else:
        y.write_bytes(x.read_bytes())
    report = bot.ingest([folder], prune=True)
    assert report.removed == [str(y.resolve())], report.summary()
    followed = report.moved if how == "mv" else [r.path for r in report.skipped]
    assert followed == [str(y.resolve())], report.summary()
    listed = {a.doc_id: a.path for a in bot.articles()}
    assert listed == {ids[str(x.resolve())]: str((y if how == "mv" else x).resolve())}
    answer = bot.ask("What did Putin say NATO ignored?")
    for c in answer.citations:
        assert read_text(Path(c.path))[c.char_start : c.char_end] == c.quote
    assert whole_ids(bot)
    bot._index.catalog.set_state("terms", "2")  # filled again from the store on the next open
    refilled = open_assistant(tmp_path / "index", embedder)
    assert {a.doc_id: a.path for a in refilled.articles()} == listed


@pytest.mark.parametrize("change", ["no story", "emptied"])
def test_a_file_that_no_longer_holds_a_story_no_longer_holds_its_article(
    tmp_path: Path, embedder: MiniLMEmbedder, change: str
) -> None:
    """A saved page saved again as its paywall, or a text emptied: its article is forgotten (its
    citations would point into text that is not there), and the report says why."""
    folder = tmp_path / "articles"
    folder.mkdir()
    page, kept = folder / "keeper.html", folder / "kept.txt"
    page.write_text(
        "<html><head><title>Lighthouse keeper retires</title></head><body><article><h1>Lighthouse keeper"
        " retires</h1><p>Tomas Berg, the last keeper of the Skarv Point lighthouse, retired on Sunday after"
        " forty years of service.</p><p>Berg said he would miss the storms most of all.</p></article></body></html>",
        encoding="utf-8",
    )
    kept.write_bytes(sorted(CORPUS.glob("*.txt"))[0].read_bytes())
    bot = open_assistant(tmp_path / "index", embedder)
    assert len(bot.ingest([folder]).added) == 2
    if change == "no story":
        page.write_text('<html><body><nav><a href="/">Home</a></nav><p><a href="/login">Log in</a></p></body></html>')
    elif change == "emptied":
        page.write_text("")
    report = bot.ingest([folder])
    assert report.removed == [str(page.resolve())] and not report.skipped, report.summary()
    reason = next(r.reason for r in report.results if r.outcome == "removed")
    assert reason is not None and reason.startswith("its file no longer holds a story: ")
    assert [a.path for a in bot.articles()] == [str(kept.resolve())]
    assert bot.ask("What will Tomas Berg miss most?").abstained
