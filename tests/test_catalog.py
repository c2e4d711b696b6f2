"""The article catalog (SQLite): its counts stay exact through every kind of change, and a
catalog written before the counts were kept gets them on open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.search.catalog import Catalog, CatalogArticle


def article(doc_id: str, chunks: int) -> CatalogArticle:
    return CatalogArticle(doc_id, f"/news/{doc_id}.txt", f"Title {doc_id}", "Outlet", "2022-02-12", chunks)


def counted(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as db:
        articles, chunks = db.execute("SELECT count(*), coalesce(sum(chunks), 0) FROM articles").fetchone()
    return int(articles), int(chunks)


operations = st.lists(
    st.one_of(
        st.tuples(st.just("put"), st.lists(st.tuples(st.sampled_from("abcdefg"), st.integers(1, 40)), max_size=4)),
        st.tuples(st.just("remove"), st.lists(st.sampled_from("abcdefgz"), max_size=3)),
        st.tuples(st.just("move"), st.sampled_from("abcdefgz")),
        st.tuples(st.just("clear"), st.none()),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(steps=operations)
def test_counts_equal_a_full_count_after_any_changes(tmp_path_factory, steps) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("catalog") / "catalog.sqlite3"
    catalog = Catalog(path)
    for op, arg in steps:
        if op == "put":
            catalog.put([article(d, n) for d, n in dict(arg).items()], removed=[d for d, _ in arg][:1])
        elif op == "remove":
            catalog.remove(arg)
        elif op == "move":
            catalog.move(arg, f"/elsewhere/{arg}.txt")
        else:
            catalog.clear()
        assert (catalog.article_count(), catalog.chunk_count()) == counted(path)
    other = Catalog(path)  # another process's view
    assert (other.article_count(), other.chunk_count()) == counted(path)


def test_a_catalog_from_before_the_counts_gets_them_on_open(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    with sqlite3.connect(path) as db:  # the first schema, without the totals table and triggers
        db.execute("CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute(
            "CREATE TABLE articles (doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT NOT NULL, "
            "outlet TEXT, published TEXT, chunks INTEGER NOT NULL, weekdays INTEGER NOT NULL DEFAULT 0)"
        )
        db.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, 0)",
            [(f"d{i}", f"/n/{i}.txt", f"T{i}", None, None, i + 1) for i in range(30)],
        )
    catalog = Catalog(path)
    assert (catalog.article_count(), catalog.chunk_count()) == (30, sum(range(1, 31)))
    catalog.put([article("new", 7)], removed=["d0"])
    assert (catalog.article_count(), catalog.chunk_count()) == counted(path) == (30, sum(range(1, 31)) - 1 + 7)
