"""Performance figures of the assistant, measured in one run on this machine.

    .venv/bin/python benchmarks/bench.py --out benchmarks/results.json   # `make bench`
    .venv/bin/python benchmarks/bench.py --quick --out /tmp/bench.json    # smoke run, ~1 minute

Measures (see benchmarks/README.md for what each figure means):
1. ingest throughput of the SQuAD paragraphs vs raw embedding throughput of the same texts;
2. `ask` latency on the sample corpus and on the SQuAD index (+ a cheap answer sanity check);
3. cold start of `assistant ask` as a fresh process vs `import llama_index.core, chromadb`;
4. peak RSS of this process after the SQuAD asks.

Timings on a shared machine are noisy: compare figures of the same run (ratios), not across runs.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import argparse
import gzip
import json
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from assistant import Answer, Assistant, Settings
from assistant.ingest.documents import Article, build_article
from assistant.ingest.loading import UnreadableFileError
from assistant.ingest.pipeline import batch_groups, embedding_text, expand
from assistant.search.embedding import BATCH_SIZE, MiniLMEmbedder
from assistant.types import IngestReport

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SQUAD = REPO / "evals" / "data" / "squad-dev-v1.1-part1.json"
# Real saved news and blog pages (../shared/data/README.md); outside the repository, so the
# ingest of HTML pages is measured only where they are.
DEFAULT_PAGES = REPO.parent / "shared" / "data" / "extraction-dev" / "pages"
SAMPLE_CORPUS = REPO / "corpus"
SEED = 20240601
WARMUP_ASKS = 3
INGEST_BATCH_CHUNKS = Settings().ingest_batch_chunks  # the pipeline embeds articles in groups this large

TARGETS = {
    "ingest_vs_embed_ratio_min": 0.9,
    "ask_p50_ms_max": 100.0,
    "cold_start_s_max": 5.0,
}

# Questions about the sample corpus (five articles on the Putin–Macron calls of Jan–Feb 2022);
# the last two are about nothing in it and should abstain.
SAMPLE_QUESTIONS = [
    "What did Putin say NATO ignored?",
    "Who initiated the February 12 call?",
    "When did Putin and Macron discuss security guarantees by phone in January?",
    "What did Putin tell Macron about the US and NATO responses?",
    "What is the principle of indivisibility of security?",
    "What did Putin say about weapons supplies to Ukraine?",
    "What did a senior French official say Putin told Macron?",
    "Which agreements did Putin say Kiev must comply with?",
    "What did Zelensky say about panic?",
    "How much money did Zelensky ask Western supporters for?",
    "What did the Russian Foreign Ministry submit on December 17?",
    "What else did Putin and Macron discuss besides Ukraine?",
    "What did Putin and Macron agree about the French presidency of the Council of the EU?",
    "What did the Downing Street spokesman say about Boris Johnson?",
    "When did the United States and NATO hand over their answers to Russia?",
    "What did the Kremlin say about the Normandy Four meeting in Paris?",
    "To which year's positions did Russia want NATO's military infrastructure returned?",
    "What did Putin say about Donetsk and Lugansk?",
    "Did the leaders discuss the Iranian nuclear program?",
    "Which Western powers did Putin accuse of not implementing the Minsk agreements?",
    "Who won the 2018 FIFA World Cup?",
    "What is the boiling point of mercury?",
]
OFF_TOPIC_QUESTIONS = 2  # the last ones above


# ---------------------------------------------------------------- helpers


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


T = TypeVar("T")


@dataclass(frozen=True)
class Took:
    wall: float  # seconds of wall clock
    cpu: float  # seconds of CPU, all threads of this process (less sensitive to other load)


def timed(fn: Callable[[], T]) -> tuple[Took, T]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return Took(time.perf_counter() - wall, time.process_time() - cpu), value


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def latency_stats(seconds: Sequence[float]) -> dict[str, float]:
    ms = np.asarray(seconds, dtype=np.float64) * 1000.0
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p95_ms": round(float(np.percentile(ms, 95)), 2),
        "mean_ms": round(float(ms.mean()), 2),
        "min_ms": round(float(ms.min()), 2),
        "max_ms": round(float(ms.max()), 2),
    }


def normalize(text: str) -> str:
    return " ".join(text.casefold().split())


def version(package: str) -> str | None:
    try:
        return importlib_metadata.version(package)
    except importlib_metadata.PackageNotFoundError:
        return None


def machine_info() -> dict[str, Any]:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 1
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "onnxruntime": version("onnxruntime"),
        "tokenizers": version("tokenizers"),
        "chromadb": version("chromadb"),
        "llama_index_core": version("llama-index-core"),
        "numpy": np.__version__,
        "niceness": os.nice(0),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# ---------------------------------------------------------------- SQuAD


@dataclass(frozen=True)
class SquadQuestion:
    question: str
    answers: tuple[str, ...]
    path: Path  # the paragraph file the question is about


def write_squad(
    squad_path: Path, folder: Path, max_paragraphs: int | None
) -> tuple[list[Path], list[SquadQuestion]]:
    """One .txt file per paragraph (title line, blank line, paragraph) and the questions on them."""
    data = json.loads(squad_path.read_text(encoding="utf-8"))["data"]
    paths: list[Path] = []
    questions: list[SquadQuestion] = []
    for a, article in enumerate(data):
        title = article["title"].replace("_", " ")
        for p, paragraph in enumerate(article["paragraphs"]):
            if max_paragraphs is not None and len(paths) >= max_paragraphs:
                return paths, questions
            path = folder / f"{a:02d}_{p:03d}.txt"
            path.write_text(f"{title}\n\n{paragraph['context']}\n", encoding="utf-8")
            paths.append(path.resolve())
            for qa in paragraph["qas"]:
                answers = tuple(dict.fromkeys(x["text"] for x in qa["answers"]))
                questions.append(SquadQuestion(qa["question"], answers, path.resolve()))
    return paths, questions


def ingested_texts(folder: Path, settings: Settings) -> tuple[list[Article], list[str]]:
    """The articles ingestion will add and the exact texts it will embed, in its order."""
    files, _ = expand([folder])
    articles: list[Article] = []
    seen: set[str] = set()
    for file in files:
        try:
            article = build_article(file, settings.chunk_tokens, settings.chunk_overlap)
        except UnreadableFileError:
            continue
        if article.doc_id in seen:  # ingestion skips a second file with the same text
            continue
        seen.add(article.doc_id)
        articles.append(article)
    texts = [embedding_text(a, c.text) for a in articles for c in a.chunks]
    return articles, texts


def padding_figures(articles: list[Article], texts: list[str], embedder: MiniLMEmbedder) -> dict[str, Any]:
    """Word pieces fed to the model (padding included) by one global sort vs ingestion's groups."""
    lengths = [min(embedder.count_tokens(t), embedder.max_tokens) for t in texts]

    def padded(group: list[int], batch_size: int = BATCH_SIZE) -> int:
        order = sorted(group)
        return sum(
            max(order[i : i + batch_size]) * len(order[i : i + batch_size])
            for i in range(0, len(order), batch_size)
        )

    per_article: list[list[int]] = []
    offset = 0
    for article in articles:
        per_article.append(lengths[offset : offset + len(article.chunks)])
        offset += len(article.chunks)
    groups = [  # the batches assistant.ingest.pipeline embeds
        [n for a in group for n in a] for group in batch_groups(iter(per_article), len, INGEST_BATCH_CHUNKS)
    ]
    real = sum(lengths)
    global_padded = padded(lengths)
    ingest_padded = sum(padded(g) for g in groups)
    return {
        "word_pieces": real,
        "mean_word_pieces_per_chunk": round(real / max(len(lengths), 1), 1),
        "padded_word_pieces_one_sort": global_padded,
        "padded_word_pieces_ingest_groups": ingest_padded,
        "ingest_groups": len(groups),
    }


# ---------------------------------------------------------------- measurements


class MeteredEncoder(MiniLMEmbedder):
    """The shipped encoder, counting the CPU its model calls take (each on its own thread), so
    that a run's CPU splits into the encoder's own and the rest."""

    def __init__(self) -> None:
        super().__init__()
        self.model_cpu = 0.0
        self._meter = threading.Lock()

    def _run(self, session: Any, encodings: Any) -> np.ndarray:
        started = time.thread_time()
        vectors = super()._run(session, encodings)
        with self._meter:
            self.model_cpu += time.thread_time() - started
        return vectors


def measure_raw_embed(texts: list[str], label: str) -> tuple[Took, float]:
    """The raw encoder on `texts`: its time, and the CPU of its model calls alone."""
    embedder = MeteredEncoder()
    embedder.embed(texts[:8])  # warm the session up
    embedder.model_cpu = 0.0
    took, _ = timed(lambda: embedder.embed(texts))
    log(f"raw embed ({label}): {len(texts)} chunks in {took.wall:.2f}s wall, {took.cpu:.2f}s CPU")
    return took, embedder.model_cpu


@dataclass
class AskRun:
    wall: list[float]
    cpu: list[float]
    answers: list[Answer]


def measure_asks(bot: Assistant, questions: list[str], warmup: list[str]) -> AskRun:
    for q in warmup:
        bot.ask(q)
    run = AskRun([], [], [])
    for q in questions:
        wall, cpu = time.perf_counter(), time.process_time()
        answer = bot.ask(q)
        run.wall.append(time.perf_counter() - wall)
        run.cpu.append(time.process_time() - cpu)
        run.answers.append(answer)
    return run


def ask_block(run: AskRun) -> dict[str, Any]:
    stats = latency_stats(run.wall)
    return {
        "questions": len(run.answers),
        "warmup_asks": WARMUP_ASKS,
        **stats,
        "cpu_mean_ms": round(1000 * statistics.fmean(run.cpu), 2),
        "abstention_rate": round(sum(a.abstained for a in run.answers) / len(run.answers), 3),
        "target_p50_ms": TARGETS["ask_p50_ms_max"],
        "pass": stats["p50_ms"] <= TARGETS["ask_p50_ms_max"],
    }


def measure_cold_start(index_dir: Path, runs: int) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    env["ANONYMIZED_TELEMETRY"] = "False"
    script = Path(sys.executable).parent / "assistant"
    cli = [str(script)] if script.is_file() else [sys.executable, "-m", "assistant.cli"]
    cli_cmd = [*cli, "--index-dir", str(index_dir), "ask", SAMPLE_QUESTIONS[0]]
    import_cmd = [sys.executable, "-c", "import llama_index.core, chromadb"]
    walls: dict[str, list[float]] = {"cli": [], "import": []}
    cpus: dict[str, list[float]] = {"cli": [], "import": []}
    for _ in range(runs):  # interleaved, so both see the same load
        for name, cmd in (("import", import_cmd), ("cli", cli_cmd)):
            wall, cpu = time.perf_counter(), children_cpu()
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO, check=False)
            walls[name].append(round(time.perf_counter() - wall, 3))
            cpus[name].append(round(children_cpu() - cpu, 3))
            if proc.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    cli_median = statistics.median(walls["cli"])
    import_median = statistics.median(walls["import"])
    shown = "assistant" if len(cli) == 1 else "python -m assistant.cli"
    return {
        "command": f"{shown} --index-dir <sample index> ask {SAMPLE_QUESTIONS[0]!r}",
        "assistant_ask_runs_s": walls["cli"],
        "assistant_ask_median_s": cli_median,
        "assistant_ask_cpu_runs_s": cpus["cli"],
        "import_baseline_runs_s": walls["import"],
        "import_baseline_median_s": import_median,
        "import_baseline_cpu_runs_s": cpus["import"],
        "ask_over_import": round(cli_median / import_median, 2),
        "target_s": TARGETS["cold_start_s_max"],
        "pass": cli_median <= TARGETS["cold_start_s_max"],
    }


def squad_quality(bot: Assistant, questions: list[SquadQuestion], answers: list[Answer]) -> dict[str, float]:
    doc_of_path = {a.path: a.doc_id for a in bot.articles()}
    contains = first = retrieved = 0
    for q, answer in zip(questions, answers, strict=True):
        text = normalize(answer.text)
        contains += not answer.abstained and any(normalize(x) in text for x in q.answers)
        gold = doc_of_path.get(str(q.path))
        first += bool(answer.retrieved_doc_ids) and answer.retrieved_doc_ids[0] == gold
        retrieved += gold in answer.retrieved_doc_ids
    n = len(questions)
    return {
        "answer_contains_accepted": round(contains / n, 3),
        "gold_paragraph_ranked_first": round(first / n, 3),
        "gold_paragraph_retrieved": round(retrieved / n, 3),
    }


# ---------------------------------------------------------------- main


INGEST_ROUNDS = 4  # pairs of runs, raw and ingest, as many in each order (alternating)


def bench_ingest(docs_dir: Path, index_dir: Path, settings: Settings, results: dict[str, Any]) -> Assistant:
    """Ingest vs raw embedding of exactly the texts ingestion embeds, in INGEST_ROUNDS pairs of
    runs back to back, the order alternating (raw then ingest, ingest then raw, ...), so that a
    machine speeding up or slowing down over the minutes hits both sides alike. The figure is the
    median of the pairs' ratios; the faster run of each side is reported beside it. Returns the
    assistant of the first ingest."""
    prepare, (articles, texts) = timed(lambda: ingested_texts(docs_dir, settings))
    log(f"{len(articles)} articles, {len(texts)} chunks to embed (prepared in {prepare.wall:.2f}s)")
    raws: list[Took] = []
    ingests: list[Took] = []
    model_cpu: dict[str, list[float]] = {"raw": [], "ingest": []}

    def raw_run(run_index: int) -> None:
        raw, raw_model_cpu = measure_raw_embed(texts, f"run {run_index + 1}")
        raws.append(raw)
        model_cpu["raw"].append(raw_model_cpu)

    def ingest_run(run_index: int) -> None:
        where = index_dir.with_name(f"{index_dir.name}-{run_index + 1}") if run_index else index_dir
        encoder = MeteredEncoder()
        opened, bot = timed(
            lambda: Assistant(Settings.from_mapping({"index_dir": str(where)}), embedder=encoder)
        )
        encoder.model_cpu = 0.0
        ingested, report = timed(lambda: bot.ingest([docs_dir]))
        model_cpu["ingest"].append(encoder.model_cpu)
        stored = sum(a.chunks for a in bot.articles())
        log(f"ingest run {run_index + 1}: {report.summary().splitlines()[0]}; {stored} chunks in {ingested.wall:.2f}s")
        ok = sorted(report.added) == sorted(str(a.path) for a in articles) and stored == len(texts)
        ingests.append(ingested)
        runs.append((bot if not runs else None, report, stored, opened, ok))  # only the first is kept

    runs: list[tuple[Assistant | None, IngestReport, int, Took, bool]] = []
    for run_index in range(INGEST_ROUNDS):
        order = (raw_run, ingest_run) if run_index % 2 == 0 else (ingest_run, raw_run)
        for run in order:
            run(run_index)
    first, report, stored_chunks, opened, _ = runs[0]
    assert first is not None
    same_texts = all(ok for *_, ok in runs)
    pairs = [r.wall / i.wall for r, i in zip(raws, ingests)]
    ratio = statistics.median(pairs)
    raw_best = min(raws, key=lambda t: t.wall)
    ingest_best = min(ingests, key=lambda t: t.wall)
    ingest_cps = len(texts) / ingest_best.wall
    raw_cps = len(texts) / raw_best.wall
    cpu_ratio = statistics.median(r.cpu / i.cpu for r, i in zip(raws, ingests))
    results["ingest"] = {
        "docs": len(report.added),
        "chunks": stored_chunks,
        "skipped": len(report.skipped),
        "assistant_open_s": round(opened.wall, 3),
        "runs_s": [round(i.wall, 3) for i in ingests],
        "runs_cpu_s": [round(i.cpu, 3) for i in ingests],
        "wall_s": round(ingest_best.wall, 3),
        "cpu_s": round(ingest_best.cpu, 3),
        "docs_per_s": round(len(articles) / ingest_best.wall, 2),
        "chunks_per_s": round(ingest_cps, 2),
        "texts_prepare_s": round(prepare.wall, 3),
    }
    results["raw_embed"] = {
        "chunks": len(texts),
        "same_texts_as_ingest": same_texts,
        "runs_s": [round(r.wall, 3) for r in raws],
        "runs_cpu_s": [round(r.cpu, 3) for r in raws],
        "best_s": round(raw_best.wall, 3),
        "chunks_per_s": round(raw_cps, 2),
        **padding_figures(articles, texts, MiniLMEmbedder()),
    }
    results["ingest_vs_embed"] = {
        "ratio": round(ratio, 3),  # the median of the pairs' ratios
        "cpu_ratio": round(cpu_ratio, 3),
        "runs_ratio": [round(p, 3) for p in pairs],
        "order": ["raw first" if i % 2 == 0 else "ingest first" for i in range(INGEST_ROUNDS)],
        "ratio_best_of_each": round(ingest_cps / raw_cps, 3),
        # The CPU of the model calls alone, each pair: in ingestion ÷ in the raw run. Above 1,
        # the encoder itself ran slower beside ingestion's other threads (or the machine was
        # slower that minute); the rest of ingestion's CPU is `beside_encoder`'s work.
        "model_cpu_s": {k: [round(v, 2) for v in runs] for k, runs in model_cpu.items()},
        "model_cpu_ingest_over_raw": [round(i / r, 3) for r, i in zip(model_cpu["raw"], model_cpu["ingest"])],
        "target_min": TARGETS["ingest_vs_embed_ratio_min"],
        "pass": ratio >= TARGETS["ingest_vs_embed_ratio_min"],
    }
    return first


def write_pages(pages: Path, folder: Path, copies: int = 1) -> int:
    """The KEY.html.gz pages unpacked into `folder` as KEY.html, as a user's folder of saved pages
    is; with copies > 1, NN-KEY.html for each copy, copy k > 0 with " k" before each "</p>" so that
    its story is another. The number of files written."""
    written = 0
    for file in sorted(pages.glob("*.html.gz")):
        html = gzip.decompress(file.read_bytes())
        for k in range(copies):
            text = html if k == 0 else re.sub(rb"</p>", f" {k}</p>".encode(), html, flags=re.IGNORECASE)
            name = file.name.removesuffix(".gz")
            (folder / (name if copies == 1 else f"{k:02d}-{name}")).write_bytes(text)
            written += 1
    return written


def bench_pages_ingest(pages: Path, tmp_dir: Path, settings: Settings) -> dict[str, Any]:
    """bench_ingest and bench_beside_encoder on a folder of saved web pages (KEY.html.gz, as the
    extraction benchmark's data holds them), unpacked as a user's folder of pages is."""
    folder = tmp_dir / "pages"
    folder.mkdir()
    write_pages(pages, folder)
    block: dict[str, Any] = {"pages": str(pages)}
    bot = bench_ingest(folder, tmp_dir / "pages-index", settings, block)
    del bot
    block["beside_encoder"] = bench_beside_encoder(folder, tmp_dir / "pages-free-index", block)
    return block


class FreeEncoder:
    """An encoder that costs nothing (fixed random unit vectors): an ingest through it spends only
    what ingestion does beside the encoder (reading, cleaning, chunking, the writes)."""

    def __init__(self) -> None:
        real = MiniLMEmbedder()
        self.name, self.dim, self.max_tokens, self.precision = real.name, real.dim, real.max_tokens, real.precision
        self.count_tokens, self.embed_query = real.count_tokens, real.embed_query

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        vectors = np.random.default_rng(len(texts)).standard_normal((len(texts), self.dim)).astype(np.float32)
        normed: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        return normed

    def embed_groups(
        self, groups: Iterable[Sequence[str]], on_batch: Callable[[int], None] | None = None
    ) -> Iterator[np.ndarray]:
        for texts in groups:
            vectors = self.embed(texts)
            if on_batch is not None:  # as the real encoder tells the ingest's progress
                on_batch(len(texts))
            yield vectors


def bench_beside_encoder(docs_dir: Path, index_dir: Path, results: dict[str, Any]) -> dict[str, Any]:
    """The CPU ingestion spends beside the encoder, and the ratio to the raw encoder that this
    and the extra padding of ingestion's batches allow on a machine whose cores are all busy."""
    bot = Assistant(Settings.from_mapping({"index_dir": str(index_dir)}), embedder=FreeEncoder())  # type: ignore[arg-type]
    took, report = timed(lambda: bot.ingest([docs_dir]))
    chunks = sum(a.chunks for a in bot.articles())
    raw = results["raw_embed"]
    encoder_cpu = min(raw["runs_cpu_s"])
    padding = raw["padded_word_pieces_ingest_groups"] / raw["padded_word_pieces_one_sort"]
    ceiling = encoder_cpu / (encoder_cpu * padding + took.cpu)
    log(f"beside the encoder: {took.cpu:.2f}s CPU for {chunks} chunks; ratio ceiling {ceiling:.2f}")
    return {
        "chunks": chunks,
        "articles": len(report.added),
        "wall_s": round(took.wall, 3),
        "cpu_s": round(took.cpu, 3),
        "cpu_ms_per_chunk": round(took.cpu / max(chunks, 1) * 1000, 3),
        "encoder_cpu_ms_per_chunk": round(encoder_cpu / max(raw["chunks"], 1) * 1000, 3),
        "padding_factor": round(padding, 4),
        "cpu_bound_ratio_ceiling": round(ceiling, 3),
    }


def bench_int8(texts: list[str]) -> dict[str, Any]:
    """Raw throughput of the int8 encoder ÷ fp32 on the same texts (interleaved runs, best of
    two each), and how close its vectors are to fp32's."""
    fp32, int8 = MiniLMEmbedder(), MiniLMEmbedder(precision="int8")
    fp32.embed(texts[:8])
    int8.embed(texts[:8])
    runs: dict[str, list[float]] = {"fp32": [], "int8": []}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(2):
        for name, model in (("fp32", fp32), ("int8", int8)):
            took, vectors[name] = timed(lambda model=model: model.embed(texts))
            runs[name].append(took.wall)
    cosine = (vectors["fp32"] * vectors["int8"]).sum(axis=1)
    speedup = min(runs["fp32"]) / min(runs["int8"])
    log(f"int8 encoder: {speedup:.2f}x fp32 on {len(texts)} chunks; cosine to fp32 min {cosine.min():.3f}")
    return {
        "chunks": len(texts),
        "fp32_runs_s": [round(r, 3) for r in runs["fp32"]],
        "int8_runs_s": [round(r, 3) for r in runs["int8"]],
        "speedup": round(speedup, 2),
        "cosine_to_fp32_min": round(float(cosine.min()), 4),
        "cosine_to_fp32_mean": round(float(cosine.mean()), 4),
    }


def bench_sessions(texts: list[str]) -> dict[str, Any]:
    """The encoder as shipped (one single-thread session per core) ÷ one session running on all
    cores, on the same texts (interleaved runs, best of two each)."""
    shipped, one = MiniLMEmbedder(), MiniLMEmbedder(sessions=1)
    shipped.embed(texts[:8])
    one.embed(texts[:8])
    runs: dict[str, list[float]] = {"shipped": [], "one_session": []}
    for _ in range(2):
        for name, model in (("one_session", one), ("shipped", shipped)):
            took, _ = timed(lambda model=model: model.embed(texts))
            runs[name].append(took.wall)
    speedup = min(runs["one_session"]) / min(runs["shipped"])
    log(f"encoder sessions: {speedup:.2f}x one session on all cores, {len(texts)} chunks")
    return {
        "chunks": len(texts),
        "sessions": len(shipped._sessions),
        "shipped_runs_s": [round(r, 3) for r in runs["shipped"]],
        "one_session_runs_s": [round(r, 3) for r in runs["one_session"]],
        "speedup": round(speedup, 2),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    wall_start = time.perf_counter()
    settings = Settings()
    results: dict[str, Any] = {
        "machine": machine_info(),
        "params": {
            "quick": args.quick,
            "squad": str(args.squad),
            "questions": args.questions,
            "seed": SEED,
            "chunk_tokens": settings.chunk_tokens,
            "chunk_overlap": settings.chunk_overlap,
            "top_k": settings.top_k,
            "candidates": settings.candidates,
        },
        "targets": TARGETS,
    }
    max_paragraphs = 120 if args.quick else None
    cold_runs = 1 if args.quick else 3

    with tempfile.TemporaryDirectory(prefix="bench-", ignore_cleanup_errors=True) as tmp:
        tmp_dir = Path(tmp)
        docs_dir = tmp_dir / "squad"
        docs_dir.mkdir()
        paths, squad_questions = write_squad(args.squad, docs_dir, max_paragraphs)
        log(f"wrote {len(paths)} SQuAD paragraphs ({len(squad_questions)} questions) to {docs_dir}")

        # 1. ingest vs raw embedding of the same texts
        squad_bot = bench_ingest(docs_dir, tmp_dir / "squad-index", settings, results)
        results["beside_encoder"] = bench_beside_encoder(docs_dir, tmp_dir / "free-index", results)
        # 1a. the same on saved web pages, where extraction is most of the work beside the encoder
        if args.pages is not None:
            results["ingest_pages"] = bench_pages_ingest(args.pages, tmp_dir, settings)
        # 1b. the int8 encoder against fp32 on the same texts
        sample = ingested_texts(docs_dir, settings)[1][: 300 if args.quick else 600]
        results["int8_encoder"] = bench_int8(sample)
        results["encoder_sessions"] = bench_sessions(sample)

        # 2a. ask latency on the sample corpus
        sample_index = tmp_dir / "sample-index"
        sample_bot = Assistant(Settings.from_mapping({"index_dir": str(sample_index)}))
        sample_bot.ingest([SAMPLE_CORPUS])
        sample = measure_asks(sample_bot, SAMPLE_QUESTIONS, SAMPLE_QUESTIONS[:WARMUP_ASKS])
        off_topic = sample.answers[-OFF_TOPIC_QUESTIONS:]
        results["ask_sample"] = {
            "corpus": str(SAMPLE_CORPUS.relative_to(REPO)),
            **ask_block(sample),
            "off_topic_abstained": f"{sum(a.abstained for a in off_topic)}/{OFF_TOPIC_QUESTIONS}",
        }
        log(f"sample asks: p50 {results['ask_sample']['p50_ms']} ms")
        del sample_bot

        # 2b. ask latency on the SQuAD index, questions drawn with a fixed seed
        rng = random.Random(SEED)
        picked = rng.sample(squad_questions, min(args.questions + WARMUP_ASKS, len(squad_questions)))
        warmup, asked = picked[:WARMUP_ASKS], picked[WARMUP_ASKS:]
        squad = measure_asks(squad_bot, [q.question for q in asked], [q.question for q in warmup])
        results["ask_squad"] = {
            "paragraphs": len(paths),
            **ask_block(squad),
            **squad_quality(squad_bot, asked, squad.answers),
        }
        log(f"SQuAD asks: p50 {results['ask_squad']['p50_ms']} ms")

        # 4. peak RSS of this process (Linux reports kilobytes), after the SQuAD asks
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        results["memory"] = {"peak_rss_mb": round(peak_kb / 1024, 1), "measured_after": "SQuAD asks"}
        del squad_bot

        # 3. cold start of the CLI, a fresh process each run, against the sample index
        log(f"cold start: {cold_runs} run(s) of `assistant ask` and of the import baseline")
        results["cold_start"] = measure_cold_start(sample_index, cold_runs)

    results["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["bench_runtime_s"] = round(time.perf_counter() - wall_start, 1)
    return results


Row = tuple[str, str, str, str]


def ratio_rows(ratio: dict[str, Any], beside: dict[str, Any], verdict: Callable[[bool], str]) -> list[Row]:
    """The ingest ÷ raw encoder figure, and the CPU beside the encoder that bounds it."""
    runs = " ".join(f"{r:.2f}" for r in ratio["runs_ratio"])
    return [
        (
            "  ingest / raw embed",
            f"{ratio['ratio']:.2f} (runs {runs}; by CPU time {ratio['cpu_ratio']:.2f})",
            f"≥ {ratio['target_min']:.2f}",
            verdict(ratio["pass"]),
        ),
        (
            "  beside the encoder",
            f"{beside['cpu_ms_per_chunk']:.2f} ms CPU a chunk (encoder {beside['encoder_cpu_ms_per_chunk']:.1f}); "
            f"ratio ceiling on busy cores {beside['cpu_bound_ratio_ceiling']:.2f}",
            "",
            "",
        ),
    ]


def pages_rows(block: dict[str, Any] | None, verdict: Callable[[bool], str]) -> list[Row]:
    if block is None:
        return [("ingest saved pages", "not run (no pages folder)", "", "")]
    ing = block["ingest"]
    return [
        ("ingest saved pages", f"{ing['docs']} pages, {ing['chunks']} chunks in {ing['wall_s']:.1f} s", "", ""),
        *ratio_rows(block["ingest_vs_embed"], block["beside_encoder"], verdict),
    ]


def summary(results: dict[str, Any]) -> str:
    ing, raw, ratio = results["ingest"], results["raw_embed"], results["ingest_vs_embed"]
    sample, squad, cold = results["ask_sample"], results["ask_squad"], results["cold_start"]

    def verdict(ok: bool) -> str:
        return "pass" if ok else "FAIL"

    def asks(block: dict[str, Any]) -> str:
        return (
            f"p50 {block['p50_ms']:.1f} ms, p95 {block['p95_ms']:.1f} ms, "
            f"mean {block['mean_ms']:.1f} ms ({block['questions']} q)"
        )

    rows = [
        ("ingest SQuAD", f"{ing['docs']} docs, {ing['chunks']} chunks in {ing['wall_s']:.1f} s", "", ""),
        ("  ingest", f"{ing['chunks_per_s']:.1f} chunks/s, {ing['docs_per_s']:.1f} docs/s", "", ""),
        ("  raw embed, same texts", f"{raw['chunks_per_s']:.1f} chunks/s (runs {raw['runs_s']} s)", "", ""),
        *ratio_rows(ratio, results["beside_encoder"], verdict),
        (
            "  model CPU, ingest ÷ raw",
            " ".join(f"{r:.2f}" for r in ratio["model_cpu_ingest_over_raw"]) + " (each pair of runs)",
            "",
            "",
        ),
        (
            "  encoder sessions",
            f"{results['encoder_sessions']['sessions']} one-thread sessions: "
            f"{results['encoder_sessions']['speedup']:.2f}x one session on all cores",
            "",
            "",
        ),
        (
            "  int8 encoder",
            f"{results['int8_encoder']['speedup']:.2f}x fp32, cosine to fp32 min "
            f"{results['int8_encoder']['cosine_to_fp32_min']:.3f}",
            "",
            "",
        ),
        *pages_rows(results.get("ingest_pages"), verdict),
        ("ask, sample corpus", asks(sample), "p50 ≤ 100 ms", verdict(sample["pass"])),
        ("ask, SQuAD index", asks(squad), "p50 ≤ 100 ms", verdict(squad["pass"])),
        (
            "  SQuAD sanity",
            f"answer has gold {squad['answer_contains_accepted']:.1%}, abstained "
            f"{squad['abstention_rate']:.1%}, gold para #1 {squad['gold_paragraph_ranked_first']:.1%}",
            "",
            "",
        ),
        (
            "cold `assistant ask`",
            f"median {cold['assistant_ask_median_s']:.2f} s, runs {cold['assistant_ask_runs_s']}",
            "≤ 5 s",
            verdict(cold["pass"]),
        ),
        (
            "  import baseline",
            f"median {cold['import_baseline_median_s']:.2f} s, runs {cold['import_baseline_runs_s']}",
            "",
            "",
        ),
        ("peak RSS", f"{results['memory']['peak_rss_mb']:.0f} MB", "", ""),
        ("bench runtime", f"{results['bench_runtime_s']:.0f} s", "", ""),
    ]
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    return "\n".join(f"{a:<{width}}  {b:<{value_width}}  {c:<12}  {d}".rstrip() for a, b, c, d in rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Performance figures of the assistant, in one run.")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results.json"), help="JSON results file")
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD, help="SQuAD v1.1 JSON file")
    parser.add_argument("--questions", type=int, default=200, help="SQuAD questions to time (fixed seed)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 120 paragraphs, at most 20 SQuAD questions, 1 cold start",
    )
    parser.add_argument(
        "--pages",
        type=Path,
        default=DEFAULT_PAGES if DEFAULT_PAGES.is_dir() else None,
        help="saved web pages (KEY.html.gz) to measure the ingest of HTML on too "
        "(default: the extraction benchmark's 60 pages, where they are)",
    )
    parser.add_argument("--no-pages", dest="pages", action="store_const", const=None, help="skip the pages")
    args = parser.parse_args(argv)
    if args.quick:
        args.questions = min(args.questions, 20)
    if args.questions < 1:
        parser.error("--questions must be at least 1")
    if not args.squad.is_file():
        parser.error(f"no SQuAD file at {args.squad}")
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(summary(results))
    print(f"\nresults written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
