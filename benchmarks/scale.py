"""The index at 10k, 100k and 1M chunks: open time, ask latency, peak memory, disk, ingest rate.

Embedding a million chunks is not possible on 2 CPU cores in a session (~20 chunks/s), so the
encoder alone is replaced, and everything after it is the real path:

- Base set: every sentence of the 1,048 SQuAD dev-part paragraphs (real text), embedded once
  with the real MiniLM encoder (cached in build/scale/base.npz).
- Articles: files of 40 of those sentences (4 to a paragraph) drawn with a fixed seed from
  one SQuAD topic each, with a headline line. They go through the real ingest: loading,
  cleaning, chunking, the Chroma writes in batches, the SQLite FTS5 lexical index, the
  catalog, the change log.
- The encoder's stand-in gives each chunk the normalised mean of its sentences' real
  vectors (a chunk's embedding is close to that; the neighbourhoods are real).
- Questions: 100 real SQuAD questions, embedded by the real encoder at ask time, answered by
  the real extractive path against the grown index, each level measured in a fresh process
  (open time, ask p50/p95, peak RSS of that process).

Page cache: a question reads the chunks it finds from the store's files, so its latency depends
on whether those pages are in memory. Each level is measured three times, each in a fresh
process: as the ingest left the machine, a server still running (`ask_*`); after the OS page
cache was emptied and a server restarted (`cold_*`: like a machine just booted, as far as a VM
whose host may still cache the disk allows; needs root, to write /proc/sys/vm/drop_caches); and
after every file of the index was read once and a server restarted (`warm_*`: a server whose
memory holds its index, the steady state when it has the RAM).

Usage: python benchmarks/scale.py --out benchmarks/scale_results.json [--levels 10000,100000,1000000]
       [--backend embedded|server] [--work build/scale]
       python benchmarks/scale.py --backend server --remeasure LEVEL   (the kept run of the last call)
       python benchmarks/scale.py --refill LEVEL   (the kept run's one full read of the store)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parent.parent
SQUAD = REPO / "evals" / "data" / "squad-dev-v1.1-part1.json"
SEED = 20261201
SENTENCES_PER_ARTICLE = 40
QUESTIONS = 100


def log(message: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def squad() -> list[dict[str, Any]]:
    return list(json.loads(SQUAD.read_text(encoding="utf-8"))["data"])


def base_set(work: Path) -> tuple[list[str], list[str], np.ndarray]:
    """(topic of each sentence, sentence texts, their real embeddings)."""
    cache = work / "base.npz"
    if cache.exists():
        got = np.load(cache, allow_pickle=False)
        return list(got["topics"]), list(got["texts"]), got["vectors"]
    from assistant.ingest.sentences import split_sentences
    from assistant.search.embedding import MiniLMEmbedder

    topics, texts = [], []
    for article in squad():
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            for span in split_sentences(context):
                text = " ".join(context[span.start : span.end].split())
                if len(text) > 20:
                    topics.append(article["title"].replace("_", " "))
                    texts.append(text)
    log(f"embedding the base set: {len(texts)} real sentences")
    started = time.perf_counter()
    vectors = MiniLMEmbedder().embed(texts)
    log(f"embedded in {time.perf_counter() - started:.0f} s")
    work.mkdir(parents=True, exist_ok=True)
    np.savez(cache, topics=np.array(topics), texts=np.array(texts), vectors=vectors)
    return topics, texts, vectors


class SentenceVectors:
    """The encoder's stand-in: a chunk's vector is the mean of its sentences' real vectors.
    A chunk none of whose sentences is found whole (the chunker cut a long one) gets a fixed
    random unit vector: it is then found by its words only, as a badly embedded chunk would."""

    def __init__(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        from assistant.search.embedding import MiniLMEmbedder

        self._real = MiniLMEmbedder()
        self._vectors = vectors
        self._row = {t: i for i, t in enumerate(texts)}
        self.name, self.dim, self.max_tokens = self._real.name, self._real.dim, self._real.max_tokens
        self.precision = self._real.precision
        self.unmatched = 0

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        from assistant.ingest.sentences import split_sentences

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            body = text.split("\n", 1)[-1]
            rows = [
                self._row[s]
                for s in (" ".join(body[sp.start : sp.end].split()) for sp in split_sentences(body))
                if s in self._row
            ]
            if rows:
                vector = self._vectors[rows].sum(axis=0)
            else:
                self.unmatched += 1
                vector = np.random.default_rng(zlib.crc32(text.encode())).standard_normal(self.dim)
            out[row] = vector / max(float(np.linalg.norm(vector)), 1e-9)
        return out

    def embed_groups(
        self, groups: Iterable[Sequence[str]], on_batch: Callable[[int], None] | None = None
    ) -> Iterator[np.ndarray]:
        for texts in groups:
            vectors = self.embed(texts)
            if on_batch is not None:  # as the real encoder tells the ingest's progress
                on_batch(len(texts))
            yield vectors

    def embed_query(self, text: str) -> np.ndarray:
        return self._real.embed_query(text)

    def count_tokens(self, text: str) -> int:
        return self._real.count_tokens(text)


def write_articles(folder: Path, first: int, count: int, topics: list[str], texts: list[str]) -> None:
    by_topic: dict[str, list[str]] = {}
    for topic, text in zip(topics, texts):
        by_topic.setdefault(topic, []).append(text)
    names = sorted(by_topic)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(first, first + count):
        rng = random.Random(SEED + n)
        topic = names[n % len(names)]
        pool = by_topic[topic]
        chosen = [rng.choice(pool) for _ in range(SENTENCES_PER_ARTICLE)]
        paragraphs = [" ".join(chosen[k : k + 4]) for k in range(0, len(chosen), 4)]
        (folder / f"{n // 1000:04d}").mkdir(exist_ok=True)
        (folder / f"{n // 1000:04d}" / f"{n:07d}.txt").write_text(
            f"{topic}: report {n}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8"
        )


def measure(settings_values: dict[str, Any], questions: list[str], warm_up: bool = False) -> dict[str, Any]:
    """Open the index and answer the questions in this (fresh) process; with `warm_up`, after
    `Assistant.warm_up` (what the page and `assistant chat` start while the first question is typed)."""
    from assistant import Assistant, Settings
    from assistant.search.embedding import MiniLMEmbedder
    from assistant.search.store import SEARCH_EF

    embedder = MiniLMEmbedder()  # loaded before the clock starts: its cost does not grow
    started = time.perf_counter()
    bot = Assistant(Settings.from_mapping(settings_values), embedder=embedder)
    open_s = time.perf_counter() - started
    warm_up_s = None
    if warm_up:
        bot.warm_up()
        warm_up_s = round(time.perf_counter() - started - open_s, 3)
    first = time.perf_counter()
    bot.ask(questions[0])
    first_ask_ms = (time.perf_counter() - first) * 1000
    latencies = []
    for question in questions[1:]:
        t = time.perf_counter()
        bot.ask(question)
        latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()
    return {
        "open_s": round(open_s, 3),
        "first_ask_ms": round(first_ask_ms, 1),
        "ask_p50_ms": round(statistics.median(latencies), 1),
        "ask_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        "peak_rss_mb": round(peak_rss_kb() / 1024, 1),
        "articles": bot.article_count(),
        "chunks": bot._index.catalog.chunk_count(),
        "lexical_chunks": bot._index.lexical.count(),
        "search_ef": SEARCH_EF,  # the vector graph's search width the questions were asked with
        **({"warm_up_s": warm_up_s} if warm_up else {}),
    }


def peak_rss_kb() -> int:
    """This process's peak resident memory (VmHWM). Not getrusage's ru_maxrss: on Linux a child
    inherits its parent's figure across fork and exec, so it would report the ingesting parent."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def drop_page_cache() -> bool:
    """Empty the OS page cache (root on Linux only); False when this process may not."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def read_into_page_cache(*folders: Path) -> None:
    """Read every file of the folders, in a child process: this process has the index's SQLite
    files open, and closing any descriptor of a file drops every POSIX lock the process holds on
    it, SQLite's included. Another process then takes itself for the last one on the database
    and removes its WAL; this one's next read fails ("disk I/O error", "file is not a
    database"), which is how an earlier version of this benchmark broke its own index."""
    subprocess.run(
        ["find", *map(str, folders), "-type", "f", "-exec", "cat", "{}", "+"],
        stdout=subprocess.DEVNULL,
        check=True,
    )


class Server:
    """A `chroma run` server over `path`, (re)started on one port."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path, self.port = path, port or free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        chroma = str(Path(sys.executable).parent / "chroma")
        self._process = subprocess.Popen(
            [chroma, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"chroma run did not listen on {self.url} within 60 s")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=60)
            self._process = None


def measure_in_child(settings_file: Path, warm_up: bool = False) -> dict[str, Any]:
    child = subprocess.run(
        [sys.executable, __file__, "--measure", str(settings_file), *(["--warm-up"] if warm_up else [])],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return figures


def page_cache_passes(run: Path, settings_file: Path, server: Server | None) -> dict[str, Any]:
    """The level measured again from an empty page cache, then from one holding the index."""
    figures: dict[str, Any] = {}
    folders = [run / "index"] + ([server.path] if server else [])
    for state in ("cold", "warm"):
        if server:
            server.stop()
        if state == "cold" and not drop_page_cache():
            figures["cold_note"] = "not measured: emptying the page cache needs root"
            continue
        if state == "warm":
            read_into_page_cache(*folders)
        if server:
            server.start()
        got = measure_in_child(settings_file)
        for key in ("open_s", "first_ask_ms", "ask_p50_ms", "ask_p95_ms"):
            figures[f"{state}_{key}"] = got[key]
        log(f"{state} page cache: {got}")
        # Again from the same state, the vector index read by Assistant.warm_up before the first
        # question (as the page and `assistant chat` do while it is typed).
        if server:
            server.stop()
        if state == "cold":
            drop_page_cache()
        else:
            read_into_page_cache(*folders)
        if server:
            server.start()
        warmed = measure_in_child(settings_file, warm_up=True)
        figures[f"{state}_warm_up_s"] = warmed["warm_up_s"]
        figures[f"{state}_first_ask_after_warm_up_ms"] = warmed["first_ask_ms"]
        log(f"{state} page cache, warmed up: {warmed}")
    return figures


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "scale_results.json")
    parser.add_argument("--levels", default="10000,100000,1000000")
    parser.add_argument("--backend", choices=["embedded", "server"], default="embedded")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "scale")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # internal: one level
    parser.add_argument("--warm-up", action="store_true", help=argparse.SUPPRESS)  # internal, with --measure
    parser.add_argument("--remeasure", type=int, metavar="LEVEL", help="measure the kept run again")
    parser.add_argument(
        "--refill", type=int, metavar="LEVEL", help="measure the kept run's full read of the store (see `refill`)"
    )
    args = parser.parse_args(argv)
    questions_all = [q["question"] for a in squad() for p in a["paragraphs"] for q in p["qas"]]
    questions = random.Random(SEED).sample(questions_all, QUESTIONS)
    if args.measure:
        print(json.dumps(measure(json.loads(args.measure.read_text()), questions, args.warm_up)))
        return 0

    from assistant import Assistant, Settings

    work: Path = args.work
    if args.remeasure:
        return remeasure(work / f"run-{args.backend}", args.backend, args.remeasure, args.out)
    if args.refill:
        return refill(work / f"run-{args.backend}", args.backend, args.refill, args.out)
    topics, texts, vectors = base_set(work)
    stand_in = SentenceVectors(texts, vectors)
    run = work / f"run-{args.backend}"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    values: dict[str, Any] = {"index_dir": str(run / "index"), "collection": "scale"}
    server = None
    if args.backend == "server":
        server = Server(run / "chroma")
        server.start()
        values["chroma_url"] = server.url
    results: dict[str, Any] = {
        "backend": args.backend,
        "how": __doc__.split("\n\n")[1],
        "base_sentences": len(texts),
        "sentences_per_article": SENTENCES_PER_ARTICLE,
        "questions": QUESTIONS,
        "loadavg_at_start": os.getloadavg(),
        "levels": [],
    }
    try:
        bot = Assistant(Settings.from_mapping(values), embedder=stand_in)  # type: ignore[arg-type]
        articles_done = 0
        chunks_per_article = None
        for level in [int(x) for x in args.levels.split(",")]:
            # Articles to add to reach `level` chunks (estimated from the first level's ratio).
            ratio = chunks_per_article or 9.0
            have = bot._index.catalog.chunk_count()
            add = max(1, round((level - have) / ratio))
            folder = run / "articles"
            log(f"{args.backend}: writing {add} articles toward {level} chunks")
            write_articles(folder, articles_done, add, topics, texts)
            started = time.perf_counter()
            report = bot.ingest([folder])
            ingest_s = time.perf_counter() - started
            articles_done += add
            chunks = bot._index.catalog.chunk_count()
            chunks_per_article = chunks / articles_done
            added_chunks = chunks - have
            log(f"{args.backend}: {chunks} chunks ({len(report.added)} articles in {ingest_s:.0f} s)")
            settings_file = run / "settings.json"
            settings_file.write_text(json.dumps(values))
            figures = measure_in_child(settings_file)
            figures.update(
                {
                    "level": level,
                    "ingest_s": round(ingest_s, 1),
                    "ingest_chunks_per_s_after_encoder": round(added_chunks / ingest_s, 1),
                    "disk_mb": round(du(run / "index") / 1e6 + (du(run / "chroma") / 1e6 if server else 0), 1),
                    "ingest_peak_rss_mb": round(peak_rss_kb() / 1024, 1),
                    "chunks_without_a_base_vector": stand_in.unmatched,
                }
            )
            # The passes restart the server on its port; this process's client reconnects.
            figures.update(page_cache_passes(run, settings_file, server))
            log(f"{args.backend} {level}: {figures}")
            results["levels"].append(figures)
            results["loadavg_at_end"] = os.getloadavg()
            out = args.out
            existing = json.loads(out.read_text()) if out.exists() else {}
            existing[args.backend] = results
            out.write_text(json.dumps(existing, indent=1) + "\n")
            shutil.rmtree(folder)
    finally:
        if server is not None:
            server.stop()
    return 0


def remeasure(run: Path, backend: str, level: int, out: Path) -> int:
    """The page-cache passes again over the run a previous call kept (its last level)."""
    settings_file = run / "settings.json"
    values = json.loads(settings_file.read_text())
    # The server comes back at the address the run used.
    server = Server(run / "chroma", urlparse(values["chroma_url"]).port) if backend == "server" else None
    try:
        figures = page_cache_passes(run, settings_file, server)
    finally:
        if server:
            server.stop()
    existing = json.loads(out.read_text()) if out.exists() else {}
    for entry in existing.get(backend, {}).get("levels", []):
        if entry.get("level") == level:
            entry.update(figures)
    out.write_text(json.dumps(existing, indent=1) + "\n")
    log(f"{backend} {level} again: {figures}")
    return 0


def refill(run: Path, backend: str, level: int, out: Path) -> int:
    """The one full read of the store a machine makes, over the run a previous call kept (its
    last level), each in a fresh process: the first open after an upgrade that changes how words
    are stemmed (the catalog's `terms` state set back: its catalog and lexical index are filled
    again), then a new machine's first start (this machine's derived files removed)."""
    from assistant.search.catalog import Catalog

    settings_file = run / "settings.json"
    values = json.loads(settings_file.read_text())
    server = Server(run / "chroma", urlparse(values["chroma_url"]).port) if backend == "server" else None
    derived = Path(values["index_dir"]) / "lexical"
    figures: dict[str, Any] = {}
    try:
        if server:
            server.start()
        for case in ("terms_changed", "new_machine"):
            if case == "terms_changed":
                for path in derived.rglob("*.sqlite3"):
                    catalog = Catalog(path)
                    catalog.set_state("terms", "0")
                    catalog.close()
            else:
                shutil.rmtree(derived)
            got = measure_in_child(settings_file)
            figures[case] = {k: got[k] for k in ("open_s", "peak_rss_mb", "chunks", "lexical_chunks", "ask_p50_ms")}
            log(f"{backend} {level} {case}: {figures[case]}")
            got = measure_in_child(settings_file)  # the next start: nothing to read again
            figures[case]["next_open_s"] = got["open_s"]
    finally:
        if server:
            server.stop()
    existing = json.loads(out.read_text()) if out.exists() else {}
    measured = {k: v for k, v in got.items() if k in ("chunks", "articles")}
    existing.setdefault(f"{backend}_refill", {})[str(level)] = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        **measured,
        **figures,
    }
    out.write_text(json.dumps(existing, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
