"""The same retrieval suite against the embedded store and a real `chroma run` server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.ingest.loading import read_text
from assistant.search.catalog import Catalog
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import CORPUS, running_chroma, update_with_a_detained_reporter


@pytest.fixture(scope="module", params=["embedded", "server"])
def backend_bot(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder
) -> Assistant:
    values: dict[str, object] = {"index_dir": tmp_path_factory.mktemp("backend"), "collection": "suite"}
    if request.param == "server":
        values["chroma_url"] = request.getfixturevalue("chroma_server")
    bot = Assistant(Settings.from_mapping(values), embedder=embedder)
    assert len(bot.ingest([CORPUS]).added) == 5
    return bot


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("What did Putin say NATO ignored?", "indivisibility of security"),
        ("Who initiated the February 12 call?", "initiative of the French side"),
        ("How many Russian troops are deployed around the border with Ukraine?", "100,000"),
    ],
)
def test_retrieval_and_citations(backend_bot: Assistant, question: str, fact: str) -> None:
    answer = backend_bot.ask(question)
    assert fact in answer.text
    for citation in answer.citations:
        assert read_text(Path(citation.path))[citation.char_start : citation.char_end] == citation.quote


def test_articles_and_reingest(backend_bot: Assistant) -> None:
    assert len(backend_bot.articles()) == 5
    assert len(backend_bot.ingest([CORPUS]).unchanged) == 5


def test_abstention(backend_bot: Assistant) -> None:
    assert backend_bot.ask("What did Macron say about gas prices?").abstained


def test_a_server_at_another_address_keeps_this_machines_derived_files(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """The lexical index and catalog a process keeps for a Chroma server belong to the server's
    store, not to the address it was reached at: restarted on another port, it is not taken for
    a new server (which would read every chunk back, about 3.5 minutes at a million chunks)."""
    data, index_dir = tmp_path / "chroma", tmp_path / "index"

    def opened(url: str) -> Assistant:
        values = {"index_dir": index_dir, "chroma_url": url, "collection": "moved"}
        return Assistant(Settings.from_mapping(values), embedder=embedder)

    with running_chroma(data) as url:
        bot = opened(url)
        assert len(bot.ingest([CORPUS]).added) == 5
        folders = sorted((index_dir / "lexical").iterdir())
        loaded = bot._index.catalog.get_state("loaded")
    assert len(folders) == 1 and folders[0].name.startswith("server-")
    with running_chroma(data) as moved:
        assert moved != url
        bot = opened(moved)
        assert sorted((index_dir / "lexical").iterdir()) == folders
        assert bot._index.catalog.get_state("loaded") == loaded  # not read back from the server
        assert "indivisibility of security" in bot.ask("What did Putin say NATO ignored?").text
    # Files an earlier version kept by the server's address are taken over when they hold as
    # many chunks as the store; ones that do not are left, and the store is read again.
    with running_chroma(data) as third:
        address = index_dir / "lexical" / "".join(c if c.isalnum() else "_" for c in third.split("://")[-1])
        folders[0].rename(address)
        bot = opened(third)
        assert sorted((index_dir / "lexical").iterdir()) == folders and not address.exists()
        assert bot._index.catalog.get_state("loaded") == loaded
    with running_chroma(data) as fourth:
        address = index_dir / "lexical" / "".join(c if c.isalnum() else "_" for c in fourth.split("://")[-1])
        folders[0].rename(address)
        with Catalog(address / "moved.sqlite3")._write() as db:  # one article short
            db.execute("UPDATE totals SET chunks = chunks - 1")
        bot = opened(fourth)
        assert address.exists() and folders[0].exists()
        assert bot._index.catalog.get_state("loaded") != loaded
        assert len(bot.articles()) == 5


def test_prune_on_one_machine_forgets_only_what_it_named(
    tmp_path: Path, chroma_server: str, embedder: MiniLMEmbedder
) -> None:
    """Two machines write to one server, each with its own folders. `--prune` on the second
    judges only the folders it names: the first machine's files are no files there (here, gone
    from this machine), and their articles are the first machine's to forget."""

    def machine(name: str) -> Assistant:
        values = {"index_dir": tmp_path / name, "chroma_url": chroma_server, "collection": "pruned"}
        return Assistant(Settings.from_mapping(values), embedder=embedder)

    first, second = tmp_path / "first-articles", tmp_path / "second-articles"
    first.mkdir()
    second.mkdir()
    files = sorted(CORPUS.glob("*.txt"))
    for file in files[:2]:
        (first / file.name).write_bytes(file.read_bytes())
    (second / files[2].name).write_bytes(files[2].read_bytes())
    a, b = machine("a"), machine("b")
    assert len(a.ingest([first]).added) == 2
    for file in first.iterdir():
        file.unlink()  # as they are on no disk of the second machine
    b._index.sync(force=True)
    assert len(b.articles()) == 2
    report = b.ingest([second], prune=True)
    assert len(report.added) == 1 and report.removed == []
    a._index.sync(force=True)
    assert len(a.articles()) == 3
    assert len(a.ingest([first], prune=True).removed) == 2  # the machine that named them
    b._index.sync(force=True)
    assert len(b.articles()) == 1


def test_an_ingest_on_one_machine_first_catches_up_with_anothers_removal(
    tmp_path: Path, chroma_server: str, embedder: MiniLMEmbedder
) -> None:
    """Machine b had listed the articles, machine a removed one, and b's ingest of the same
    folder judged it "unchanged" from b's own out-of-date list: no index held it, and an upload
    was told "same text as …, already indexed" (a review of many processes on one index)."""

    def machine(name: str) -> Assistant:
        values = {"index_dir": tmp_path / name, "chroma_url": chroma_server, "collection": "caught-up"}
        return Assistant(Settings.from_mapping(values), embedder=embedder)

    folder = tmp_path / "articles"
    folder.mkdir()
    files = sorted(CORPUS.glob("*.txt"))[:2]
    for file in files:
        (folder / file.name).write_bytes(file.read_bytes())
    a, b = machine("a"), machine("b")
    assert len(a.ingest([folder]).added) == 2
    assert len(b.articles()) == 2  # b has caught up once, and its next check is minutes away
    removed = next(x for x in a.articles() if Path(x.path).name == files[0].name)
    assert a.remove(removed.doc_id)
    report = b.ingest([folder])
    assert [Path(path).name for path in report.added] == [files[0].name], report
    assert len(report.unchanged) == 1
    a._index.sync(force=True)
    assert len(a.articles()) == 2


def test_a_file_another_machine_ingested_is_not_called_removed_here(
    tmp_path: Path, chroma_server: str, embedder: MiniLMEmbedder
) -> None:
    """Every article another machine added was cited with "has been removed since it was
    indexed ... Add the file again", and adding it again here moved it away from that machine (a
    review of many processes on one index): on a server a file this machine lacks is elsewhere."""
    folder = tmp_path / "articles"
    folder.mkdir()
    source = sorted(CORPUS.glob("*.txt"))[0]
    (folder / source.name).write_bytes(source.read_bytes())
    values = {"index_dir": tmp_path / "a", "chroma_url": chroma_server, "collection": "elsewhere"}
    assert len(Assistant(Settings.from_mapping(values), embedder=embedder).ingest([folder]).added) == 1
    (folder / source.name).unlink()  # as it is on no disk of the second machine
    other = Assistant(Settings.from_mapping({**values, "index_dir": tmp_path / "b"}), embedder=embedder)
    answer = other.ask("What did Putin confirm during the phone call with Macron?")
    assert not answer.abstained and answer.notice is not None, answer
    assert "is not on this machine" in answer.notice and "removed since it was" not in answer.notice, answer.notice
    assert "Add the file again" not in answer.notice


def test_a_process_beside_another_on_one_machine_hears_of_its_ingest(
    tmp_path: Path, chroma_server: str, embedder: MiniLMEmbedder
) -> None:
    """The page and a terminal ingest on one machine share its catalog of a Chroma server, so
    the server's log names the ingest as this machine's own: the page hears of it from the
    catalog, and its word weights are those of the articles now indexed."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    values = {"index_dir": tmp_path / "index", "chroma_url": chroma_server, "collection": "beside", "sync_interval_s": 0}
    page = Assistant(Settings.from_mapping(values), embedder=embedder)
    files = sorted(CORPUS.glob("*.txt"))
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / files[0].name).write_bytes(files[0].read_bytes())
    page.ingest([folder])
    before = page._vocabulary.idf("kremlin")
    for file in files[1:]:
        (folder / file.name).write_bytes(file.read_bytes())
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ASSISTANT_CHROMA_URL": chroma_server, "ASSISTANT_COLLECTION": "beside"}
    terminal = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "--index-dir", str(tmp_path / "index"), "ingest", str(folder)],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=300,
    )
    assert terminal.returncode == 0, terminal.stderr
    assert page._index.sync(force=True)
    assert page.article_count() == 5
    fresh = Assistant(Settings.from_mapping(values), embedder=embedder)._vocabulary.idf("kremlin")
    assert page._vocabulary.idf("kremlin") == fresh != before


# A writer on machine "a" that stops for good at one step of an update of an article, as a kill -9
# there would: "catalog" right before its catalog lists the new version (the log has announced
# it), "removal" right after (before the old version's chunks leave the store).
_KILLED_WRITER = """
import os, sys
from assistant import Assistant
bot = Assistant.open(index_dir=sys.argv[1], chroma_url=sys.argv[2], collection=sys.argv[5])
if sys.argv[4] == "catalog":
    bot._index.catalog.put = lambda *args, **kwargs: os._exit(9)
else:
    bot._index.store.delete_articles = lambda doc_ids: os._exit(9)
bot.ingest([sys.argv[3]])
"""


@pytest.mark.slow
@pytest.mark.parametrize("killed", ["catalog", "removal"])
def test_an_update_whose_writer_was_killed_is_one_version_on_every_machine(
    tmp_path: Path, chroma_server: str, corpus_copy: Path, embedder: MiniLMEmbedder, killed: str
) -> None:
    """The repair journal of a killed ingest is the writing machine's; the log tells the other
    machines, and a machine that joins later, which version of an article stands."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    def machine(name: str) -> Assistant:
        values = {"index_dir": tmp_path / name, "chroma_url": chroma_server, "collection": f"killed-{killed}", "sync_interval_s": 0}
        return Assistant(Settings.from_mapping(values), embedder=embedder)

    def versions(bot: Assistant) -> dict[str, str]:
        paths = [a.path for a in bot.articles()]
        assert len(paths) == len(set(paths)) == 5, "each file is one article"
        return {a.path: a.doc_id for a in bot.articles()}

    question = "What did Macron raise about a detained reporter?"
    a, b = machine("a"), machine("b")
    a.ingest([corpus_copy])
    b._index.sync(force=True)
    before = versions(b)
    changed = update_with_a_detained_reporter(corpus_copy)
    writer = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, str(tmp_path / "a"), chroma_server, str(corpus_copy), killed, f"killed-{killed}"],
        capture_output=True, text=True, cwd=REPO, env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=300,
    )
    assert writer.returncode == 9, writer.stderr
    stored = {i.split(":")[0] for i in a._index.store.all_ids()}
    assert before[str(changed.resolve())] in stored and len(stored) == 6, "both versions are in the store"

    records = a._index.store._log.get(include=["metadatas"])["metadatas"] or []
    assert all(len(entry) == 4 for r in records for entry in json.loads(str(r["entries"]))), (
        "log entries keep the form an earlier version reads; the replaced version has a key of its own"
    )
    b._index.sync(force=True)
    after = versions(b)  # the log announced the new version as complete, replacing the old
    assert after[str(changed.resolve())] != before[str(changed.resolve())]
    assert "detained reporter" in b.ask(question).text
    assert versions(machine("c")) == after  # a machine that joins now reads the same

    if killed == "catalog":
        # The writing machine never committed it: its next ingest rolls it back first, and says
        # so, and the others go back to the old version until the update is written again.
        with machine("a")._index.writing():
            pass
        b._index.sync(force=True)
        assert versions(b) == before
        assert "detained reporter" not in b.ask(question).text
    machine("a").ingest([corpus_copy])
    b._index.sync(force=True)
    assert versions(b) == after
    assert {i.split(":")[0] for i in a._index.store.all_ids()} == set(after.values())


@pytest.mark.slow
def test_a_new_machine_reads_every_chunk_while_another_removes_an_article(
    tmp_path: Path, chroma_server: str, embedder: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new replica's first start reads the store page by page while another machine removes
    an article whose chunks were on the first page (its pages by offset then shift): it still
    lists every chunk of the articles left, once."""
    import time

    import chromadb.api.models.Collection

    from assistant.search import store
    from assistant.search.index import SKEW_NS

    def machine(name: str) -> Assistant:
        values = {
            "index_dir": tmp_path / name, "chroma_url": chroma_server, "collection": "shifted",
            "chunk_tokens": 16, "chunk_overlap": 0,
        }
        return Assistant(Settings.from_mapping(values), embedder=embedder)

    folder = tmp_path / "articles"
    folder.mkdir()
    sentences = [f"Item {n} of the ledger was checked by clerk {n % 37}." for n in range(2900)]
    for k in range(30):
        (folder / f"ledger-{k:02d}.txt").write_text(
            f"Ledger part {k}\n\n" + "\n\n".join(sentences[k * 97 : (k + 1) * 97]) + "\n", encoding="utf-8"
        )
    a = machine("a")
    assert len(a.ingest([folder]).added) == 30
    first = next(x for x in a.articles() if x.path.endswith("ledger-00.txt"))
    # A new machine also applies the log's last SKEW_NS of changes after its read, which would
    # mend what the read missed of articles added that recently: these are older.
    time.sleep(SKEW_NS / 1e9 + 1)
    get = chromadb.api.models.Collection.Collection.get
    removed: list[str] = []

    def get_while_another_machine_writes(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        got = get(self, *args, **kwargs)
        if kwargs.get("offset") == 1000 and self.name == "shifted" and not removed:
            removed.append(first.doc_id)
            assert a.remove(first.doc_id)  # after the second page is read, before the third
        return got

    monkeypatch.setattr(chromadb.api.models.Collection.Collection, "get", get_while_another_machine_writes)
    monkeypatch.setattr(store, "SCAN_PAGE", 1000)  # pages of a thousand: the read of ~2,900 chunks is three
    b = machine("b")
    monkeypatch.undo()
    assert removed, "the removal must fall inside the new machine's read"
    b._index.sync(force=True)  # the removal, from the log
    stored = a._index.store.all_ids()
    assert b._index.catalog.chunk_count() == b._index.lexical.count() == len(stored) == len(set(stored))
    assert {(x.doc_id, x.chunks) for x in b.articles()} == {(x.doc_id, x.chunks) for x in a.articles()}


@pytest.mark.slow
def test_a_machine_whose_full_read_of_a_rebuilt_index_fails_answers_from_it_next_time(
    tmp_path: Path, chroma_server: str, embedder: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another machine's rebuild goes live; this machine's full read of the new index fails (the
    server went away meanwhile): its next question answers from the whole new index, not from an
    empty catalog until the process restarts (the change log, read from its start, lists every
    article of the new index)."""
    import chromadb.api.models.Collection
    import httpx

    from assistant.search import store

    def machine(name: str) -> Assistant:
        values = {"index_dir": tmp_path / name, "chroma_url": chroma_server, "collection": "switched", "sync_interval_s": 0}
        return Assistant(Settings.from_mapping(values), embedder=embedder)

    a, b = machine("a"), machine("b")
    a.ingest([CORPUS])
    question = "What did Putin say NATO ignored?"
    assert "indivisibility" in b.ask(question).text
    a.rebuild([CORPUS])
    get = chromadb.api.models.Collection.Collection.get

    def get_from_a_server_gone(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("limit") == store.SCAN_PAGE and "documents" in (kwargs.get("include") or ()):  # a page of the full read
            raise httpx.ConnectError("the server went away")
        return get(self, *args, **kwargs)

    monkeypatch.setattr(chromadb.api.models.Collection.Collection, "get", get_from_a_server_gone)
    with pytest.raises(httpx.ConnectError):
        b.ask(question)
    monkeypatch.undo()
    assert "indivisibility" in b.ask(question).text
    assert len(b.articles()) == 5
