"""Ingestion against real Chroma: idempotence, updates, pruning, bad files, settings."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import IndexMismatchError, RebuildError
from assistant.ingest import pipeline
from assistant.ingest.documents import Article, build_article
from assistant.ingest.pipeline import IngestProgress, embedding_text
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.index import Written
from assistant.search.lexical import TERMS_VERSION, content_terms
from assistant.search.store import SEARCH_EF
from tests.conftest import CORPUS, REPO, open_assistant
from tests.news_site import article_page
from tests.test_answers import assert_citations_are_exact


def test_reingest_is_idempotent_and_updates_replace_old_chunks(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    bot = open_assistant(tmp_path / "index", embedder)
    first = bot.ingest([corpus_copy])
    assert len(first.added) == 5 and not first.skipped
    chunks_before = {a.doc_id: a.chunks for a in bot.articles()}

    again = bot.ingest([corpus_copy])
    assert len(again.unchanged) == 5 and not again.added and not again.updated
    assert {a.doc_id: a.chunks for a in bot.articles()} == chunks_before

    changed = next(corpus_copy.glob("002_*.txt"))
    edited = changed.read_text(encoding="utf-8").replace(
        "Our readers are reading too",
        "Macron also raised the fate of a detained French journalist, the Elysee said.\n\n"
        "Our readers are reading too",
    )
    changed.write_text(edited, encoding="utf-8")
    update = bot.ingest([corpus_copy])
    assert update.updated == [str(changed.resolve())]
    assert len(bot.articles()) == 5
    answer = bot.ask("What did Macron raise about a detained journalist?")
    assert "detained French journalist" in answer.text
    assert {c.path for c in answer.citations} == {str(changed.resolve())}


def test_prune_removes_articles_whose_files_are_gone(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([corpus_copy])
    gone = next(corpus_copy.glob("003_*.txt"))
    gone.unlink()
    kept = bot.ingest([corpus_copy])
    assert not kept.removed and len(bot.articles()) == 5
    pruned = bot.ingest([corpus_copy], prune=True)
    assert pruned.removed == [str(gone.resolve())]
    assert len(bot.articles()) == 4
    answer = bot.ask("Were nuclear energy and bilateral cooperation discussed?")
    assert all("003_" not in c.path for c in answer.citations)


def test_bad_files_are_skipped_with_reasons_and_the_rest_ingested(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    (corpus_copy / "broken.html").write_bytes(b"\x00\x01\x02binary")
    (corpus_copy / "picture.png").write_bytes(b"\x89PNG")
    (corpus_copy / "empty.md").write_text("")
    shutil.copy(next(corpus_copy.glob("000_*.txt")), corpus_copy / "copy-of-000.txt")
    bot = open_assistant(tmp_path / "index", embedder)
    report = bot.ingest([corpus_copy, tmp_path / "missing-folder"])
    assert len(report.added) == 5
    reasons = {Path(r.path).name: r.reason or "" for r in report.skipped}
    assert "binary" in reasons["broken.html"]
    assert "unsupported file type .png" in reasons["picture.png"]
    assert "empty" in reasons["empty.md"]
    assert "same text as" in reasons["copy-of-000.txt"]
    assert "no such file" in reasons["missing-folder"]
    assert "skipped 5" in report.summary()


def test_a_file_name_that_is_not_utf8_is_skipped_and_the_rest_ingested(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    """A name of Latin-1 bytes ("caf\\xe9.txt", from another system) cannot be stored or shown
    as text: that file is passed over with a reason, the others of the run are added."""
    latin1 = corpus_copy / os.fsdecode(b"caf\xe9.txt")
    latin1.write_text("Cafe opens\n\nThe new cafe opened on the harbour on Monday, its owner said.\n")
    report = open_assistant(tmp_path / "index", embedder).ingest([corpus_copy])
    assert len(report.added) == 5
    assert [(r.path, r.reason) for r in report.skipped] == [
        (f"{corpus_copy}/caf\\xe9.txt", "its name is not valid UTF-8 (it was made on a system with another encoding); rename it")
    ]
    report.summary().encode("utf-8")  # printable


def test_a_new_machine_reads_the_store_into_the_same_catalog_and_lexical_index(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    """A machine without this index's derived files (a new replica) fills them from the store
    once: the same articles, chunk counts and story ids (each a hash of all its chunks' texts,
    which the read keeps in a spill file until it lists the article), the same lexical index,
    and nothing left beside them."""
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([corpus_copy])
    derived = tmp_path / "index" / "lexical"
    files = sorted(p.name for p in derived.iterdir())
    articles = bot._index.catalog.articles()
    stems = sorted({t for page in bot._index.store.scan() for c in page for t in content_terms(c.text)})
    frequencies = [bot._index.lexical.document_frequency(t) for t in stems]
    assert len(articles) == 5 and len(stems) > 400 and all(frequencies)
    del bot
    shutil.rmtree(derived)
    again = open_assistant(tmp_path / "index", embedder)
    assert again._index.catalog.articles() == articles
    assert [again._index.lexical.document_frequency(t) for t in stems] == frequencies
    assert again._index.lexical.count() == sum(a.chunks for a in articles)
    assert sorted(p.name for p in derived.iterdir()) == files


def test_a_lexical_index_of_stems_of_an_earlier_version_is_built_again_on_open(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    """A lexical index written before irregular verbs were stemmed by their base holds "held"
    where a question's "hold" now looks for "hold": opened by this version, it is filled again
    from the store (no article is embedded again), and the question finds the call "held"."""
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([corpus_copy])
    assert bot._index.lexical.document_frequency("hold") > 0 and bot._index.catalog.get_state("terms") == TERMS_VERSION
    bot._index.lexical.clear()  # stems of no version: as if of an earlier one
    bot._index.catalog.set_state("terms", "1")
    again = open_assistant(tmp_path / "index", embedder)
    assert again._index.lexical.document_frequency("hold") > 0 and again._index.catalog.get_state("terms") == TERMS_VERSION
    assert len(again.articles()) == 5
    answer = again.ask("When did Putin and Macron hold the phone call?")
    assert not answer.abstained and "held a phone conversation" in answer.text, answer.text


def test_what_is_passed_over_is_named_like_what_is_read(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder named relative to where the command runs: a file passed over while walking it
    and a file that fails to read are both shown by their absolute paths."""
    (corpus_copy / "picture.png").write_bytes(b"\x89PNG")
    (corpus_copy / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    monkeypatch.chdir(corpus_copy.parent)
    report = open_assistant(tmp_path / "index", embedder).ingest([Path(corpus_copy.name)])
    assert sorted(r.path for r in report.skipped) == [
        str(corpus_copy / "broken.txt"),
        str(corpus_copy / "picture.png"),
    ]


def test_opening_with_other_chunk_settings_says_how_to_rebuild(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    open_assistant(tmp_path / "index", embedder).ingest([corpus_copy])
    with pytest.raises(IndexMismatchError, match=r"chunk_tokens.*--rebuild"):
        open_assistant(tmp_path / "index", embedder, chunk_tokens=300)


def test_an_index_another_version_read_says_so_not_that_a_setting_differs(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    """"cleaner" is no setting, and no setting opens such an index (a review of the upgrade path)."""
    made = open_assistant(tmp_path / "index", embedder)
    made.ingest([corpus_copy])
    collection = made._index.store._collection
    collection.modify(metadata={**(collection.metadata or {}), "cleaner": "2"})
    with pytest.raises(IndexMismatchError) as raised:
        open_assistant(tmp_path / "index", embedder)
    said = str(raised.value)
    assert "by another version of the assistant" in said and "reading of files" in said and "--rebuild" in said
    assert "settings ask for" not in said and "open it with the settings" not in said


def test_rebuild_reindexes_with_new_settings_beside_the_old_index(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    open_assistant(tmp_path / "index", embedder).ingest([corpus_copy])
    from assistant import Assistant, Settings

    settings = Settings.from_mapping({"index_dir": tmp_path / "index", "chunk_tokens": 300})
    bot = Assistant(settings, embedder=embedder, check=False)
    assert len(bot.articles()) == 5, "the old index answers until the new one is complete"
    assert len(bot.rebuild([corpus_copy]).added) == 5
    rebuilt = open_assistant(tmp_path / "index", embedder, chunk_tokens=300)
    assert {a.chunks for a in rebuilt.articles()} != {0}
    assert "indivisibility" in rebuilt.ask("What did Putin say NATO ignored?").text
    with pytest.raises(IndexMismatchError, match="chunk_tokens"):
        open_assistant(tmp_path / "index", embedder)


def test_a_rebuild_of_a_file_changed_since_reports_it_added_not_removed(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    """The article of a file edited since the last ingest is the file's, under a new id: the
    rebuild listed it as removed, "not among what the rebuild was given" (a review)."""
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([corpus_copy])
    edited = sorted(corpus_copy.glob("*.txt"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nZentrix shares fell 4 percent on Tuesday.\n", encoding="utf-8")
    report = bot.rebuild([corpus_copy])
    assert len(report.added) == 5 and not report.removed, report.summary()
    assert len(bot.articles()) == 5


def test_the_files_an_index_keeps_in_its_folder_are_read_again_by_an_ingest_of_older_rules(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    """The page's uploads live in the index folder, where no path a user gives names them: the
    notice of older rules never ended ("1 of the 6 articles ... were not among the files read";
    found by a review). An ingest now reads them again, once each, also when their folder is given."""
    from assistant.search.store import READ_RULES_KEY

    made = open_assistant(tmp_path / "index", embedder)
    upload = tmp_path / "index" / "uploads" / "0f3a" / "zorbia.txt"
    upload.parent.mkdir(parents=True)
    upload.write_text("Zorbian Daily\n\nZorbia elects a mayor\n\nThe city of Zorbia elected Mira Quell as mayor on Tuesday.\n")
    made.ingest([corpus_copy, upload])
    collection = made._index.store._collection
    collection.modify(metadata={k: v for k, v in (collection.metadata or {}).items() if k != READ_RULES_KEY})
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        report = open_assistant(tmp_path / "index", embedder).ingest([corpus_copy])
    assert len(report.unchanged) == 6 and str(upload) in report.unchanged, report.summary()
    assert "articles of" not in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        again = open_assistant(tmp_path / "index", embedder)
    assert "older rules" not in caplog.text
    collection = again._index.store._collection
    collection.modify(metadata={k: v for k, v in (collection.metadata or {}).items() if k != READ_RULES_KEY})
    twice = open_assistant(tmp_path / "index", embedder).ingest([tmp_path / "index" / "uploads"])
    assert twice.unchanged == [str(upload)], twice.summary()


def test_an_index_read_by_older_title_outlet_and_date_rules_says_a_rebuild_reads_them_again(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    """Its answers stand (no mismatch), and opening it tells the user how to have the titles,
    outlets and dates of its articles read by this version's rules; a rebuild ends the warning."""
    from assistant import Assistant, Settings
    from assistant.ingest.cleaning import READ_RULES
    from assistant.search.store import READ_RULES_KEY, rules_order

    open_assistant(tmp_path / "index", embedder).ingest([corpus_copy])
    with caplog.at_level(logging.WARNING):
        made = open_assistant(tmp_path / "index", embedder)
    assert "older rules" not in caplog.text  # made by this version
    collection = made._index.store._collection
    # rules of the same day numbered 10 are newer than rules numbered 9 or 6 (the text sorted ".10" first)
    day = READ_RULES.partition(".")[0]
    collection.modify(metadata={**(collection.metadata or {}), READ_RULES_KEY: f"{day}.10"})
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        open_assistant(tmp_path / "index", embedder)
    assert "older rules" not in caplog.text
    assert rules_order(f"{day}.10") > rules_order(f"{day}.9") > rules_order(day) > rules_order("2026-01-31.12")
    # as an index made before the rules had a version: its collection without the key
    collection.modify(metadata={k: v for k, v in (collection.metadata or {}).items() if k != READ_RULES_KEY})
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        old = open_assistant(tmp_path / "index", embedder)
    assert "were read by older rules" in caplog.text and "--rebuild" in caplog.text
    assert len(old.articles()) == 5 and not old.ask("What did Putin say NATO ignored?").abstained
    caplog.clear()
    with caplog.at_level(logging.WARNING):  # opened to be rebuilt (`ingest --rebuild`): nothing to tell
        to_rebuild = Assistant(Settings.from_mapping({"index_dir": tmp_path / "index"}), embedder=embedder, check=False)
    assert "older rules" not in caplog.text
    to_rebuild.rebuild([corpus_copy])
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        open_assistant(tmp_path / "index", embedder)
    assert "older rules" not in caplog.text


def test_an_ingest_that_reads_every_article_again_ends_the_notice_of_older_rules(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    """A plain ingest of the files reads their titles, outlets and dates again (nothing is
    embedded for an article read the same): one that read only some of the index's articles
    says how many are left and the notice stays; one that read them all records the rules."""
    from assistant.search.store import READ_RULES_KEY

    made = open_assistant(tmp_path / "index", embedder)
    made.ingest([corpus_copy])
    collection = made._index.store._collection
    collection.modify(metadata={k: v for k, v in (collection.metadata or {}).items() if k != READ_RULES_KEY})
    files = sorted(corpus_copy.glob("*.txt"))
    assert len(files) == 5
    old = open_assistant(tmp_path / "index", embedder)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        some = old.ingest(files[:4])
    assert len(some.unchanged) == 4 and not some.added
    assert "1 of the 5 articles" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        still = open_assistant(tmp_path / "index", embedder)
    assert "were read by older rules" in caplog.text
    caplog.clear()
    # the last file in a run of its own: the four of the run before count (it said "4 of the 5
    # articles ... were not among the files read", found by a review)
    with caplog.at_level(logging.WARNING):
        last = still.ingest(files[4:])
    assert len(last.unchanged) == 1 and "articles of" not in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        every = open_assistant(tmp_path / "index", embedder).ingest([corpus_copy])
    assert len(every.unchanged) == 5 and "articles of" not in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        now = open_assistant(tmp_path / "index", embedder)
    assert "older rules" not in caplog.text
    assert len(now.articles()) == 5 and not now.ask("What did Putin say NATO ignored?").abstained


def test_an_index_kept_inside_the_articles_folder_is_not_read_as_articles(
    corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    """Each of the store's own files (SQLite, vector index, lexical index) was listed as a skipped
    file, and its pages could be read again as articles; the index folder is passed over whole."""
    index = corpus_copy / "index"
    bot = open_assistant(index, embedder)
    assert len(bot.ingest([corpus_copy]).added) == 5
    again = bot.ingest([corpus_copy])
    assert len(again.unchanged) == 5
    assert [(r.path, r.reason) for r in again.skipped] == [(str(index), "an index folder, not articles")]


def test_a_chroma_server_index_kept_inside_the_articles_folder_is_not_read_as_articles(
    corpus_copy: Path, embedder: MiniLMEmbedder, chroma_server: str
) -> None:
    """An index on a Chroma server has no chroma.sqlite3 here, only its derived files (and the
    page's uploads): they were walked as files, each listed as skipped, the uploads read again.
    A folder of articles that happens to be named "lexical" is still read."""
    index = corpus_copy / "index"
    settings = {"chroma_url": chroma_server, "collection": "kept_inside"}
    bot = open_assistant(index, embedder, **settings)
    assert len(bot.ingest([corpus_copy]).added) == 5
    (index / "uploads").mkdir()
    shutil.copy(next(corpus_copy.glob("000_*.txt")), index / "uploads" / "copy.txt")
    words = corpus_copy / "notes" / "lexical"
    words.mkdir(parents=True)
    (words / "glossary.txt").write_text("Glossary\n\nIndivisibility of security: a principle of the OSCE.\n")
    again = bot.ingest([corpus_copy])
    assert len(again.unchanged) == 5 and [Path(p).name for p in again.added] == ["glossary.txt"]
    assert [(r.path, r.reason) for r in again.skipped] == [(str(index), "an index folder, not articles")]


def test_a_rebuild_that_cannot_read_what_it_was_given_keeps_the_index_in_use(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    """A typo in a rebuild's path replaced the index with an empty one; now nothing is switched,
    the rebuild's collection and files are dropped, and no vector index is left on disk."""
    index = tmp_path / "index"
    bot = open_assistant(index, embedder)
    bot.ingest([corpus_copy])
    with pytest.raises(RebuildError, match=r"artcles: no such file or folder\).*index in use is unchanged"):
        bot.rebuild([corpus_copy, tmp_path / "artcles"])
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "scan.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(RebuildError, match="found no article"):
        bot.rebuild([empty])
    for opened in (bot, open_assistant(index, embedder)):
        assert len(opened.articles()) == 5
        assert "indivisibility" in opened.ask("What did Putin say NATO ignored?").text
    assert bot._index.store.stale_generations() == []

    part = tmp_path / "part"
    part.mkdir()
    for file in sorted(corpus_copy.glob("*.txt"))[:2]:
        shutil.copy(file, part / file.name)
    report = bot.rebuild([part])
    assert len(report.added) == 2 and len(report.removed) == 3, "what the rebuilt index no longer holds"
    assert len(open_assistant(index, embedder).articles()) == 2
    with contextlib.closing(sqlite3.connect(index / "chroma.sqlite3")) as db:
        segments = {row[0] for row in db.execute("SELECT id FROM segments")}
    vector_folders = {f.name for f in index.iterdir() if (f / "header.bin").is_file()}
    assert vector_folders and vector_folders <= segments, "a dropped collection left its vector index"


def test_an_index_written_in_the_earlier_layout_reads_the_same(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    """Chunks are written without a Chroma document, their text and metadata in the LlamaIndex
    node beside only the keys questions filter on; an index an earlier version wrote (text as
    documents, every metadata key on its own) answers exactly as before."""
    from llama_index.core.schema import TextNode
    from llama_index.core.vector_stores.utils import node_to_metadata_dict

    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([corpus_copy])
    question = "What did Putin say NATO ignored?"
    before = bot.ask(question)
    collection = bot._index.store._collection
    got = collection.get(include=["documents", "metadatas", "embeddings"])  # type: ignore[list-item]
    assert got["documents"] is not None and not any(got["documents"])
    assert {key for meta in got["metadatas"] for key in meta} <= {
        "doc_id", "outlet", "published_day", "_node_content", "_node_type"
    }

    nodes = [TextNode.from_json(meta["_node_content"]) for meta in got["metadatas"]]
    texts = [node.text for node in nodes]
    assert all(texts)
    keys = ("title", "path", "chunk_index", "sentences", "published", "outlet")
    doc_id = before.citations[0].doc_id
    chunks_before = sorted(
        (c.chunk_id, c.text, [c.metadata.get(k) for k in keys]) for c in bot._index.store.chunks_of(doc_id)
    )
    assert chunks_before and all(row[2][0] and row[2][3] for row in chunks_before)
    earlier = [node_to_metadata_dict(node, remove_text=True, flat_metadata=False) for node in nodes]
    earlier = [{k: ("" if v is None else v) for k, v in meta.items()} for meta in earlier]
    collection.upsert(ids=got["ids"], embeddings=got["embeddings"], metadatas=earlier, documents=texts)
    del bot

    reopened = open_assistant(tmp_path / "index", embedder)
    stored = reopened._index.store._collection.get(include=["documents", "metadatas"])
    assert stored["documents"] == texts and "sentences" in stored["metadatas"][0]  # the earlier layout
    after = reopened.ask(question)
    assert after.text == before.text
    assert [(c.quote, c.char_start, c.char_end, c.title, c.outlet) for c in after.citations] == [
        (c.quote, c.char_start, c.char_end, c.title, c.outlet) for c in before.citations
    ]
    read_back = sorted(
        (c.chunk_id, c.text, [c.metadata.get(k) for k in keys]) for c in reopened._index.store.chunks_of(doc_id)
    )
    assert read_back == chunks_before


def test_the_vector_search_is_as_wide_in_an_index_made_before(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    """A new collection searches SEARCH_EF candidates of its graph; one made with Chroma's
    default (100) is widened when it is opened, and answers the same."""
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([corpus_copy])
    question = "What did Putin say NATO ignored?"
    before = bot.ask(question)
    collection = bot._index.store._collection
    assert collection.configuration["hnsw"]["ef_search"] == SEARCH_EF
    collection.modify(configuration={"hnsw": {"ef_search": 100}})
    del bot
    reopened = open_assistant(tmp_path / "index", embedder)
    assert reopened._index.store._collection.configuration["hnsw"]["ef_search"] == SEARCH_EF
    assert reopened.ask(question).text == before.text


def test_the_change_log_reads_records_of_many_entries_and_of_one(
    tmp_path: Path, corpus_copy: Path, embedder: MiniLMEmbedder
) -> None:
    """An ingest logs its articles' entries in shared records; a record an earlier version
    wrote (one entry in its own keys) reads beside them."""
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([corpus_copy])
    store = bot._index.store
    added = [e for e in store.changes_since(0) if e.op == "add"]
    assert sorted(e.doc_id for e in added) == sorted(a.doc_id for a in bot.articles())
    assert len({e.id for e in added}) == 5 and all(e.chunks > 0 for e in added)
    assert store._log.count() < 5  # a write's entries share a record

    ts = max(e.ts for e in added) + 1
    store._log.add(
        ids=[f"{ts:020d}-elsewhere-00000"],
        embeddings=[[1.0]],
        metadatas=[
            {"ts": ts, "op": "remove", "doc_id": added[0].doc_id, "origin": "elsewhere",
             "generation": store.generation, "chunks": 0, "path": ""}
        ],
    )
    newest = store.changes_since(ts)
    assert [(e.op, e.doc_id, e.origin, e.id) for e in newest] == [
        ("remove", added[0].doc_id, "elsewhere", f"{ts:020d}-elsewhere-00000")
    ]


def test_a_page_saved_twice_is_indexed_once_and_the_copy_said_so(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """The same story saved again (the page around it differs: another ad, another time of
    saving) is not a second article: the copy is skipped with the file that holds the story,
    by this process and by one whose catalog was read back from the store. When the file that
    held it is gone, the copy is read: the story is never lost to a prune."""
    folder = tmp_path / "pages"
    folder.mkdir()
    story = [  # invented news, written for this test
        "The harbour authority of Valdora said on Tuesday that the new ferry terminal will open in March.",
        "Director Ines Marlow said the terminal would handle forty sailings a day.",
    ]
    page = article_page(headline="Valdora ferry terminal to open in March", paragraphs=story)
    first = folder / "ferry.html"
    first.write_text(page, encoding="utf-8")
    (folder / "operators.html").write_text(
        article_page(headline="Operators plan a night sailing", paragraphs=["Ferry operators plan a night sailing."]),
        encoding="utf-8",
    )
    bot = open_assistant(tmp_path / "index", embedder)
    assert len(bot.ingest([folder]).added) == 2
    copy = folder / "ferry (1).html"
    copy.write_text(page.replace("</body>", "<!-- saved on 8 December at 10:42 --></body>"), encoding="utf-8")
    report = bot.ingest([folder])
    assert not report.added and len(report.unchanged) == 2, report.summary()
    [skipped] = report.skipped
    assert skipped.path == str(copy.resolve()) and str(first.resolve()) in str(skipped.reason), skipped
    assert "same story" in str(skipped.reason) and len(bot.articles()) == 2

    # Another machine's catalog, read back from the store, knows the story too.
    del bot
    shutil.rmtree(tmp_path / "index" / "lexical")
    bot = open_assistant(tmp_path / "index", embedder)
    assert len(bot.articles()) == 2
    third = folder / "ferry (2).html"
    third.write_text(page.replace("</body>", "<!-- saved once more --></body>"), encoding="utf-8")
    again = bot.ingest([folder])
    assert not again.added and {r.path for r in again.skipped} == {str(copy.resolve()), str(third.resolve())}

    # The file that held the story is gone: a copy is read in its place, nothing is lost, and
    # a later copy is one too, whichever of the two the catalog names first.
    first.unlink()
    kept = bot.ingest([folder])  # no prune: the gone file's article stays until one
    assert len(kept.added) == 1 and kept.added[0] in {str(copy.resolve()), str(third.resolve())}
    fourth = folder / "ferry (3).html"
    fourth.write_text(page.replace("</body>", "<!-- and again --></body>"), encoding="utf-8")
    pruned = bot.ingest([folder], prune=True)
    assert not pruned.added and pruned.removed == [str(first.resolve())], pruned.summary()
    assert str(fourth.resolve()) in {r.path for r in pruned.skipped}
    assert len(bot.articles()) == 2
    assert "March" in bot.ask("When will the new ferry terminal in Valdora open?").text


def test_a_page_saved_complete_is_read_without_the_folder_its_browser_saved_beside_it(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"Save page as… complete" keeps a page's scripts, styles, images and frames (an ad is an
    .html file too) in NAME_files beside NAME.html. That folder is passed over in one line; its
    frames are not articles. A folder merely named like one, beside no page, is read."""
    folder = tmp_path / "saved"
    resources = folder / "Ferry terminal to open in March - Harbour Gazette_files"
    resources.mkdir(parents=True)
    page = folder / "Ferry terminal to open in March - Harbour Gazette.html"
    story = ["The harbour authority of Valdora said on Tuesday that the new ferry terminal will open in March."]
    page.write_text(article_page(headline="Ferry terminal to open in March", paragraphs=story), encoding="utf-8")
    (resources / "app.js").write_text("var x = 1;", encoding="utf-8")
    (resources / "style.css").write_text("body {}", encoding="utf-8")
    ad = "<p>Win a brand new car today! Click here to enter our prize draw and win big prizes every week.</p>"
    (resources / "saved_resource.html").write_text(f"<html><body>{ad * 3}</body></html>", encoding="utf-8")
    notes = folder / "notes_files"  # beside no notes.html: a folder of the user's
    notes.mkdir()
    (notes / "call.txt").write_text(
        "Ferry operators plan a night sailing\n\nFerry operators in Valdora plan to add a night sailing.\n",
        encoding="utf-8",
    )
    bot = open_assistant(tmp_path / "index", embedder)
    report = bot.ingest([folder])
    assert sorted(report.added) == sorted([str(page.resolve()), str((notes / "call.txt").resolve())]), report.summary()
    [passed] = report.skipped
    assert passed.path == str(resources) and page.name in str(passed.reason), passed
    assert "win big prizes" not in bot.ask("What can I win?").text.lower()


PORT_STRIKE = (
    "Title: Port strike ends after six weeks\nSource: Harbor Gazette\nDate: 2024-03-14\n\n"
    "Dock workers in Valdora voted on Tuesday to end a six-week strike after the port authority "
    "agreed to raise wages by 14 percent over three years.\n"
)


def _an_earlier_reading(tmp_path: Path, embedder: MiniLMEmbedder) -> tuple[Assistant, Path, Article]:
    """An index as an earlier version built it, before a text file's declared title, outlet and
    date were read: the header read as headline, no outlet or date, one chunk more than today's
    reading (its header lines were story). Returns the assistant, the folder and today's reading."""
    folder = tmp_path / "articles"
    folder.mkdir()
    file = folder / "port.txt"
    file.write_text(PORT_STRIKE, encoding="utf-8")
    bot = open_assistant(tmp_path / "index", embedder)
    settings = bot.settings
    article = build_article(file.resolve(), settings.chunk_tokens, settings.chunk_overlap)
    assert (article.title, article.outlet) == ("Port strike ends after six weeks", "Harbor Gazette")
    earlier = replace(
        article,
        title="Title: Port strike ends after six weeks",
        outlet=None,
        published=None,
        chunks=(*article.chunks, article.chunks[-1]),
    )
    vectors = embedder.embed([embedding_text(earlier, c.text) for c in earlier.chunks])
    with bot._index.writing():
        bot._index.write([(Written(earlier), vectors)])
    orphan = f"{article.doc_id}:{len(article.chunks)}"
    assert orphan in {c.chunk_id for c in bot._index.store.chunks_of(article.doc_id)}
    return bot, folder, article


def _read_as_today(bot: Assistant, article: Article, file: Path) -> None:
    stored = bot._index.catalog.article(article.doc_id)
    assert stored is not None and (stored.title, stored.outlet, stored.published) == (
        "Port strike ends after six weeks",
        "Harbor Gazette",
        "2024-03-14",
    )
    ids = {c.chunk_id for c in bot._index.store.chunks_of(article.doc_id)}
    assert ids == {f"{article.doc_id}:{i}" for i in range(len(article.chunks))}
    answer = bot.ask("By how much did the port authority agree to raise wages?")
    assert answer.citations and answer.citations[0].title == "Port strike ends after six weeks", answer.text
    assert_citations_are_exact(answer)
    again = bot.ingest([file.parent])
    assert again.unchanged == [str(file.resolve())] and not again.updated, again.summary()


def test_an_article_an_earlier_version_read_otherwise_is_read_anew_in_place(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """Ingesting the same unchanged folder again reads it anew: same doc id and chunk ids, the
    earlier reading's extra chunks gone, the new title cited; a further run finds it unchanged."""
    bot, folder, article = _an_earlier_reading(tmp_path, embedder)
    file = folder / "port.txt"
    report = bot.ingest([folder])
    assert report.updated == [str(file.resolve())] and not report.added, report.summary()
    assert "read anew" in report.summary()
    _read_as_today(bot, article, file)


def test_a_read_anew_killed_halfway_is_finished_by_the_next_run(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """A run killed after writing today's chunks over the earlier reading's (same ids), before
    removing its extra chunk and switching the catalog: the catalog still lists the earlier
    reading, every chunk id is still one of the article's, and the next run reads it anew again
    and ends as the run that was not killed does."""
    bot, folder, article = _an_earlier_reading(tmp_path, embedder)
    file = folder / "port.txt"
    vectors = embedder.embed([embedding_text(article, c.text) for c in article.chunks])
    bot._index.store.write([(article, vectors)])  # the first step of a read-anew write, and no more

    reopened = open_assistant(tmp_path / "index", embedder)
    stored = reopened._index.catalog.article(article.doc_id)
    assert stored is not None and stored.title == "Title: Port strike ends after six weeks"
    answer = reopened.ask("By how much did the port authority agree to raise wages?")
    assert "14 percent" in answer.text and answer.citations, answer.text
    assert_citations_are_exact(answer)

    report = reopened.ingest([folder])
    assert report.updated == [str(file.resolve())] and "read anew" in report.summary(), report.summary()
    _read_as_today(reopened, article, file)


def test_warm_up_reads_the_vector_index_and_a_failure_is_only_logged(
    tmp_path: Path, embedder: MiniLMEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    """What the page and `assistant chat` start as they open: Chroma's vector index read before
    the first question. Nothing to read in an empty index; a store that fails is named in the
    log, and the question that meets it reports it as questions do."""
    open_assistant(tmp_path / "empty", embedder).warm_up()  # an empty collection is not queried
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([CORPUS])
    reopened = open_assistant(tmp_path / "index", embedder)
    with caplog.at_level(logging.INFO, logger="assistant.assistant"):
        reopened.warm_up_in_background().join(60)
    assert "vector index loaded in" in caplog.text
    assert "indivisibility" in reopened.ask("Which principle did Putin say NATO ignored?").text
    store = reopened._index.store
    store._client.delete_collection(store.generation)  # the store fails under it
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="assistant.assistant"):
        reopened.warm_up()
    assert "could not load the vector index ahead of the first question" in caplog.text


def test_the_progress_of_one_long_article_moves_before_it_is_stored(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """One long file is embedded as one group and stored at once: its progress moved only when
    it was stored (a single large upload stood still on the page). The chunks embedded are
    counted as the encoder goes, and the share done and the time left follow them."""
    squad = json.loads((REPO / "evals" / "data" / "squad-dev-v1.1-part1.json").read_text(encoding="utf-8"))
    long_read = tmp_path / "articles" / "long_read.txt"
    long_read.parent.mkdir()
    paragraphs = [p["context"] for article in squad["data"][:2] for p in article["paragraphs"]][:120]
    long_read.write_text("Super Bowl notes\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    seen: list[tuple[int, int, int, float, str | None]] = []

    def note(state: IngestProgress) -> None:
        seen.append(
            (state.chunks_embedded, state.chunks_expected, state.articles_stored, state.fraction, state.time_left)
        )

    bot = open_assistant(tmp_path / "index", embedder)
    report = bot.ingest([long_read.parent], progress=note)
    chunks = bot.articles()[0].chunks
    assert len(report.added) == 1 and chunks > 150
    midway = [s for s in seen if 0 < s[0] < s[1] and s[2] == 0]
    assert midway, seen  # told while embedding, before the article was stored
    assert all(s[1] == chunks for s in midway) and any(s[4] for s in midway)  # a time left
    fractions = [s[3] for s in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seen[-1][:3] == (chunks, chunks, 1)
    again: list[IngestProgress] = []
    assert len(bot.ingest([long_read.parent], progress=again.append).unchanged) == 1
    assert again[-1].chunks_expected == 0 and again[-1].fraction == 1.0  # nothing to embed: by files


def test_the_share_done_never_moves_back_and_is_whole_only_when_stored(
    tmp_path: Path, embedder: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run of many unchanged files and then a new long one: the bar stood still while the
    unchanged files were read, then followed the files (nearly done) until the new one was read,
    then its chunks (nothing done): it went back. It also read 1.0 before the last batch was
    stored, and "about 0 s left" at the end."""
    monkeypatch.setattr(pipeline, "TELL_EVERY_S", 0.0)  # every step told: a run of 31 files is quick
    squad = json.loads((REPO / "evals" / "data" / "squad-dev-v1.1-part1.json").read_text(encoding="utf-8"))
    paragraphs = [p["context"] for article in squad["data"][:2] for p in article["paragraphs"]]
    folder = tmp_path / "articles"
    folder.mkdir()
    for n, text in enumerate(paragraphs[:30]):
        (folder / f"a{n:02d}.txt").write_text(f"Note {n}\n\n{text}", encoding="utf-8")
    bot = open_assistant(tmp_path / "index", embedder)
    assert len(bot.ingest([folder]).added) == 30
    (folder / "zz_long_read.txt").write_text("Long read\n\n" + "\n\n".join(paragraphs[30:90]), encoding="utf-8")
    seen: list[tuple[float, bool, int, int, str | None]] = []

    def note(state: IngestProgress) -> None:
        seen.append((state.fraction, state.finished, state.files_done, state.articles_stored, state.time_left))

    report = bot.ingest([folder], progress=note)
    assert len(report.unchanged) == 30 and len(report.added) == 1
    fractions = [s[0] for s in seen]
    assert fractions == sorted(fractions), fractions
    assert [s[0] for s in seen if not s[1]] and all(s[0] < 1.0 for s in seen if not s[1])
    assert seen[-1][:2] == (1.0, True) and seen[-1][4] is None
    assert any(0 < s[2] < 30 and s[0] > 0 for s in seen)  # told while the unchanged files were read
    assert any(s[2] == 31 and s[3] == 0 for s in seen)  # told while the new one was embedded
    assert not any(s[4] and " 0 s" in s[4] for s in seen)


def test_a_file_found_as_it_was_read_is_not_read_again_and_any_change_is(
    tmp_path: Path, embedder: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run over files already ingested reads each one's bytes, not its story: a folder of
    saved pages resumed after a kill no longer extracts every finished page again (2 s → 0.03 s
    for the 60 real pages; benchmarks/README.md). The bytes decide, not the size and time: a
    word changed for one as long, the file's time put back, is read; so is a fetched page whose
    sidecar alone changed (the feed's date is the article's)."""
    folder = tmp_path / "pages"
    folder.mkdir()
    story = [
        "The harbour board voted on Monday to close the old ferry terminal for repairs.",
        "Repairs will cost 4 million euros and take nine months, the board's chair, Ana Lind, said.",
        "Ferries will use the north pier meanwhile, and fares stay as they are.",
    ]
    page = folder / "ferry.html"
    page.write_text(article_page(headline="Ferry terminal to close for repairs", paragraphs=story), encoding="utf-8")
    record = {"kind": "news-assistant snapshot", "url": "https://gazette.example/ferry",
              "feed": "https://gazette.example/feed.xml", "feed_title": "Harbour Gazette",
              "feed_entry_title": "Ferry terminal to close", "feed_entry_published": "2024-03-04"}
    page.with_suffix(".json").write_text(json.dumps(record), encoding="utf-8")
    note = folder / "note.txt"
    note.write_text(
        "Title: Harbour notes\nDate: 2024-03-04\n\nThe lighthouse keeper retires in May after forty years.\n",
        encoding="utf-8",
    )
    bot = open_assistant(tmp_path / "index", embedder)
    first = bot.ingest([folder])  # the sidecar is read with its page, not as an archive of articles
    assert len(first.added) == 2 and not first.skipped, first.summary()
    assert [a.published for a in bot.articles() if a.title.startswith("Ferry")] == ["2024-03-04"]

    read: list[Path] = []
    real = pipeline.build_article

    def reading(path: Path, chunk_tokens: int, chunk_overlap: int) -> Article:  # counts, then reads
        read.append(path)
        return real(path, chunk_tokens, chunk_overlap)

    monkeypatch.setattr(pipeline, "build_article", reading)
    again = bot.ingest([folder])
    assert len(again.unchanged) == 2 and not again.updated and read == [], again.summary()

    when = note.stat()
    note.write_text(note.read_text(encoding="utf-8").replace("forty", "fifty"), encoding="utf-8")
    os.utime(note, ns=(when.st_atime_ns, when.st_mtime_ns))  # the same size and time
    record["feed_entry_published"] = "2024-03-05"
    page.with_suffix(".json").write_text(json.dumps(record), encoding="utf-8")
    changed = bot.ingest([folder])
    assert sorted(changed.updated) == sorted([str(note.resolve()), str(page.resolve())]), changed.summary()
    assert "fifty" in bot.ask("How long did the lighthouse keeper serve?").text
    assert [a.published for a in bot.articles() if a.title.startswith("Ferry")] == ["2024-03-05"]

    read.clear()
    reopened = open_assistant(tmp_path / "index", embedder)  # what is recorded is in the catalog
    assert len(reopened.ingest([folder]).unchanged) == 2 and read == []

    # A process of an older version, which knows no fingerprints, rewrote the note's listing (its
    # reading of the same bytes): the file is read again, and listed as this version reads it.
    stored = reopened._index.catalog.articles_at(str(note.resolve()))[0]
    assert stored.title == "Harbour notes"
    with contextlib.closing(sqlite3.connect(reopened._index.catalog.path)) as db, db:
        db.execute("UPDATE articles SET title = 'Title: Harbour notes' WHERE doc_id = ?", (stored.doc_id,))
    assert len(reopened.ingest([folder]).updated) == 1 and read == [note.resolve()], read
    assert reopened._index.catalog.article(stored.doc_id).title == "Harbour notes"  # type: ignore[union-attr]

    # An undated article may have a date refused as later than today (a clock's reading): read each time.
    undated = folder / "undated.txt"
    undated.write_text("Harbour notes\n\nThe ferry timetable changes in June.\n", encoding="utf-8")
    assert len(reopened.ingest([folder]).added) == 1
    read.clear()
    assert len(reopened.ingest([folder]).unchanged) == 3 and read == [undated.resolve()], read


def test_a_fetched_page_given_another_address_is_cited_at_it(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """A fetched page whose sidecar alone changed its address (a feed that moved its links, a
    page fetched again at its new address): the same text, so the same article, but what the
    catalog lists of it is the same too. The stored chunks are compared with what this version
    writes, and the article is written again: its citations open the new address."""
    folder = tmp_path / "pages"
    folder.mkdir()
    story = [
        "The harbour board voted on Monday to close the old ferry terminal for repairs.",
        "Repairs will cost 4 million euros and take nine months, the board's chair, Ana Lind, said.",
    ]
    page = folder / "ferry.html"
    page.write_text(article_page(headline="Ferry terminal to close for repairs", paragraphs=story), encoding="utf-8")
    record = {"kind": "news-assistant snapshot", "url": "https://gazette.example/ferry",
              "feed_entry_published": "2024-03-04"}
    page.with_suffix(".json").write_text(json.dumps(record), encoding="utf-8")
    bot = open_assistant(tmp_path / "index", embedder)
    assert len(bot.ingest([folder]).added) == 1
    question = "How much will the ferry terminal repairs cost?"
    assert [c.url for c in bot.ask(question).citations] == ["https://gazette.example/ferry"]

    record["url"] = "https://gazette.example/news/2024/ferry"
    page.with_suffix(".json").write_text(json.dumps(record), encoding="utf-8")
    moved = bot.ingest([folder])
    assert moved.updated == [str(page.resolve())], moved.summary()
    assert [c.url for c in bot.ask(question).citations] == ["https://gazette.example/news/2024/ferry"]
    again = open_assistant(tmp_path / "index", embedder).ingest([folder])
    assert len(again.unchanged) == 1 and not again.updated, again.summary()


def test_the_reading_names_the_code_that_reads(tmp_path: Path) -> None:
    """A change to the code that reads files, released without a version's bump (most are),
    reads every file again once: the fingerprint's reading holds a digest of the source."""
    package = tmp_path / "package"
    (package / "ingest").mkdir(parents=True)
    (package / "ingest" / "cleaning.py").write_text("RULES = 1\n", encoding="utf-8")
    before = pipeline.source_digest(package)
    pipeline.source_digest.cache_clear()
    (package / "ingest" / "cleaning.py").write_text("RULES = 2\n", encoding="utf-8")
    assert pipeline.source_digest(package) != before
    pipeline.source_digest.cache_clear()
    assert pipeline.source_digest(REPO / "assistant") in pipeline.reading(128, 32)
