"""SQLite FTS5 against tantivy as the on-disk lexical index, on the same chunks and questions.

Chunks are 5 real SQuAD dev-part sentences drawn with a fixed seed from one topic (the
sentences of benchmarks/scale.py's base set), stemmed as the assistant stems them
(`lexical.content_terms`). Both indexes rank by BM25 over the same terms and return the top
30 for each of 200 real SQuAD questions; terms in more than a fifth of the chunks are left
out of both queries, as the assistant does. Figures: build time, query p50/p95, disk, and
how often the two agree on the top hit.

Usage: python benchmarks/lexical.py --sizes 10000,100000 --out benchmarks/lexical_results.json
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from assistant.search.lexical import content_terms  # noqa: E402
from assistant.search.lexical_index import MAX_SHARE, LexicalChunk, LexicalIndex  # noqa: E402

LIMIT = 30


def chunks(size: int, seed: int = 7) -> list[str]:
    import scale

    data = scale.squad()
    by_topic: dict[str, list[str]] = {}
    from assistant.ingest.sentences import split_sentences

    for article in data:
        for paragraph in article["paragraphs"]:
            text = paragraph["context"]
            by_topic.setdefault(article["title"], []).extend(
                " ".join(text[s.start : s.end].split()) for s in split_sentences(text)
            )
    topics = sorted(by_topic)
    rng = random.Random(seed)
    stems: dict[str, str] = {}
    out = []
    for n in range(size):
        pool = by_topic[topics[n % len(topics)]]
        picked = [rng.choice(pool) for _ in range(5)]
        out.append(" ".join(stems.setdefault(s, " ".join(content_terms(s))) for s in picked))
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[int(p * (len(ordered) - 1))]


def run_fts5(folder: Path, texts: list[str], questions: list[list[str]]) -> tuple[dict[str, float], list[str]]:
    db = sqlite3.connect(folder / "fts.sqlite3")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(terms, tokenize=\"unicode61 remove_diacritics 0\")")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row')")
    started = time.perf_counter()
    with db:
        db.executemany("INSERT INTO t (rowid, terms) VALUES (?, ?)", enumerate(texts))
    build = time.perf_counter() - started
    total = len(texts)
    times, tops = [], []
    for terms in questions:
        t = time.perf_counter()
        present = []
        for term in dict.fromkeys(terms):
            row = db.execute("SELECT doc FROM v WHERE term = ?", (term,)).fetchone()
            if row and row[0]:
                present.append((term, row[0]))
        chosen = [w for w, df in present if df <= MAX_SHARE * total] or [w for w, _ in present]
        top = ""
        if chosen:
            match = " OR ".join(f'"{w}"' for w in chosen)
            rows = db.execute(
                "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (match, LIMIT)
            ).fetchall()
            top = str(rows[0][0]) if rows else ""
        times.append((time.perf_counter() - t) * 1000)
        tops.append(top)
    db.close()
    size = (folder / "fts.sqlite3").stat().st_size
    return _figures(build, times, size), tops


def run_tantivy(folder: Path, texts: list[str], questions: list[list[str]]) -> tuple[dict[str, float], list[str]]:
    index = LexicalIndex(folder / "tantivy")
    started = time.perf_counter()
    index.write([LexicalChunk(str(n), str(n), text) for n, text in enumerate(texts)])
    build = time.perf_counter() - started
    times, tops = [], []
    for terms in questions:
        t = time.perf_counter()
        hits = index.search(terms, LIMIT)
        times.append((time.perf_counter() - t) * 1000)
        tops.append(hits[0].chunk_id if hits else "")
    size = sum(f.stat().st_size for f in (folder / "tantivy").rglob("*") if f.is_file())
    return _figures(build, times, size), tops


def _figures(build: float, times: list[float], size: int) -> dict[str, float]:
    return {
        "build_s": round(build, 2),
        "query_p50_ms": round(statistics.median(times), 3),
        "query_p95_ms": round(percentile(times, 0.95), 3),
        "disk_mb": round(size / 1e6, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "lexical_results.json")
    args = parser.parse_args()
    import scale

    all_questions = [q["question"] for a in scale.squad() for p in a["paragraphs"] for q in p["qas"]]
    questions = [content_terms(q) for q in random.Random(3).sample(all_questions, 200)]
    results = {"how": __doc__.split("\n\n")[1].replace("\n", " "), "questions": len(questions), "sizes": []}
    for size in [int(s) for s in args.sizes.split(",")]:
        texts = chunks(size)
        folder = Path(tempfile.mkdtemp(prefix="lexical-"))
        try:
            fts, fts_tops = run_fts5(folder, texts, questions)
            tv, tv_tops = run_tantivy(folder, texts, questions)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        same = sum(a == b for a, b in zip(fts_tops, tv_tops)) / len(questions)
        row = {"chunks": size, "sqlite_fts5": fts, "tantivy": tv, "same_top_hit": round(same, 3)}
        print(json.dumps(row), flush=True)
        results["sizes"].append(row)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
