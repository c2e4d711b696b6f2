"""How wide Chroma's HNSW search must be to find a question's nearest chunks.

    python benchmarks/vector_search.py [--index build/reader/index] [--synthetic 200000]
                                       [--out benchmarks/vector_search_results.json]

For each `ef_search` of EFS (the candidates the graph search keeps; Chroma's default is 100, the
assistant's `store.SEARCH_EF` 400), in a fresh process (Chroma reads the setting when it loads
the graph), on a copy of the index:

1. "real": the chunks of an existing index as stored (default build/reader/index, the SQuAD
   paragraphs' 1,894 chunks that `make eval` embeds) and the 250 questions of
   evals/datasets/squad_sample.jsonl embedded by the assistant's encoder;
2. "synthetic" (`--synthetic N`, 0 to skip): N vectors made from those real ones (each a real
   chunk's vector plus Gaussian noise of σ 0.05 a dimension, normalised; Chroma's own HNSW build,
   default settings), asked 200 questions made the same way (σ 0.08).

Reported for each: recall@20 against exact search over the same vectors (numpy, every
vector), the questions missing any of their 20 nearest, and the query time p50 / p95 (one
question a call, as the assistant asks). Figures to --out (JSON).
"""

from __future__ import annotations

import os

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "evals" / "datasets" / "squad_sample.jsonl"
EFS = (100, 200, 400)
TOP = 20
SYNTHETIC = "synthetic"


def _client(path: Path) -> Any:
    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


def _chunks(client: Any) -> Any:
    log = next(c for c in client.list_collections() if c.name.endswith("__log"))
    name = str((log.metadata or {}).get("current") or log.name[: -len("__log")])
    return client.get_collection(name, embedding_function=None)


def _real_questions() -> np.ndarray:
    from assistant.search.embedding import MiniLMEmbedder

    encoder = MiniLMEmbedder()
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines()]
    return np.array([encoder.embed_query(q) for q in questions], dtype=np.float32)


def _noisy(base: np.ndarray, count: int, sigma: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vectors = base[rng.integers(0, len(base), count)] + rng.normal(0, sigma, (count, base.shape[1]))
    normed: np.ndarray = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    return normed


def build_synthetic(real: Path, folder: Path, count: int) -> None:
    base = np.array(_chunks(_client(real)).get(include=["embeddings"])["embeddings"], dtype=np.float32)
    collection = _client(folder).create_collection(
        "vectors", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    for start in range(0, count, 2000):
        part = _noisy(base, min(2000, count - start), 0.05, seed=start)
        collection.add(ids=[f"v{start + i}" for i in range(len(part))], embeddings=part)
    np.save(folder / "questions.npy", _noisy(base, 200, 0.08, seed=12345))


def measure(folder: Path, ef: int, kind: str) -> dict[str, Any]:
    """One ef_search, in this (fresh) process."""
    client = _client(folder)
    collection = client.get_collection("vectors") if kind == SYNTHETIC else _chunks(client)
    collection.modify(configuration={"hnsw": {"ef_search": ef}})
    collection = client.get_collection(collection.name, embedding_function=None)
    questions = np.load(folder / "questions.npy") if kind == SYNTHETIC else _real_questions()
    stored = collection.get(include=["embeddings"])
    ids = np.array(stored["ids"])
    vectors = np.array(stored["embeddings"], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    exact = [set(ids[np.argsort(-(vectors @ q))[:TOP]]) for q in questions]
    collection.query(query_embeddings=questions[:3].tolist(), n_results=TOP)  # the graph loaded
    took, found = [], []
    for q in questions:
        started = time.perf_counter()
        got = collection.query(query_embeddings=[q.tolist()], n_results=TOP)
        took.append(time.perf_counter() - started)
        found.append(set(got["ids"][0]))
    return {
        "ef_search": ef,
        "vectors": len(ids),
        "questions": len(questions),
        "recall_at_20": round(float(np.mean([len(f & e) / TOP for f, e in zip(found, exact)])), 4),
        "questions_missing_a_nearest": sum(f != e for f, e in zip(found, exact)),
        "query_p50_ms": round(float(np.percentile(took, 50)) * 1000, 2),
        "query_p95_ms": round(float(np.percentile(took, 95)) * 1000, 2),
    }


def _in_fresh_process(folder: Path, ef: int, kind: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(folder), "--ef", str(ef), "--kind", kind],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=ROOT / "build" / "reader" / "index")
    parser.add_argument("--synthetic", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "vector_search_results.json")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ef", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.ef, args.kind)))
        return 0
    if not (args.index / "chroma.sqlite3").is_file():
        parser.error(f"no index at {args.index}: build one (`make eval` builds build/reader/index's data)")
    results: dict[str, Any] = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "top": TOP}
    with tempfile.TemporaryDirectory(prefix="vector-search-") as tmp:
        real = Path(tmp) / "real"
        shutil.copytree(args.index, real)
        results["real"] = [_in_fresh_process(real, ef, "real") for ef in EFS]
        if args.synthetic:
            synthetic = Path(tmp) / SYNTHETIC
            started = time.perf_counter()
            build_synthetic(real, synthetic, args.synthetic)
            results["synthetic_build_s"] = round(time.perf_counter() - started, 1)
            results[SYNTHETIC] = [_in_fresh_process(synthetic, ef, SYNTHETIC) for ef in EFS]
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for kind in ("real", SYNTHETIC):
        for row in results.get(kind, []):
            print(
                f"{kind:9} {row['vectors']:>8,} vectors  ef_search {row['ef_search']:>3}: recall@20 "
                f"{row['recall_at_20']:.4f}, {row['questions_missing_a_nearest']} of {row['questions']} "
                f"questions miss one; p50 {row['query_p50_ms']} ms, p95 {row['query_p95_ms']} ms"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
