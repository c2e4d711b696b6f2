"""What Chroma's own write costs a chunk, and how much of it is building the HNSW graph.

    python benchmarks/chroma_write.py [--index build/reader/index] [--rounds 3] [--out FILE]

Reads every chunk of an existing index as the assistant stored it (ids, embeddings, the
metadata keys it writes: `doc_id`, `outlet`, `published_day`, `_node_content`, `_node_type`),
then upserts them, in the store's batches, into fresh embedded collections under each HNSW
configuration below, in turns (`--rounds`), and reports the CPU seconds a chunk of the
fastest round of each (this process's CPU: Chroma's Rust threads included). The assistant
writes with Chroma's defaults (`construction_ef` 100, `max_neighbors` 16, cosine); a lower
`construction_ef` or fewer neighbours builds a cheaper graph of lower quality, which this
script does not measure (the scale benchmark would, at 1M chunks).
"""

from __future__ import annotations

import os

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import chromadb
from chromadb.config import Settings as ChromaSettings

ROOT = Path(__file__).resolve().parent.parent
CONFIGS: dict[str, dict[str, Any]] = {
    "default (construction_ef 100, max_neighbors 16)": {"space": "cosine"},
    "construction_ef 50": {"space": "cosine", "ef_construction": 50},
    "max_neighbors 8": {"space": "cosine", "max_neighbors": 8},
}
BATCH = 256


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def read_chunks(index: Path) -> dict[str, Any]:
    client = chromadb.PersistentClient(path=str(index), settings=ChromaSettings(anonymized_telemetry=False))
    log = next(c for c in client.list_collections() if c.name.endswith("__log"))
    chunks = client.get_collection(str((log.metadata or {}).get("current") or log.name[: -len("__log")]))
    got = chunks.get(include=["embeddings", "metadatas"])
    return {"ids": got["ids"], "embeddings": got["embeddings"], "metadatas": got["metadatas"]}


def write_once(chunks: dict[str, Any], hnsw: dict[str, Any]) -> float:
    with tempfile.TemporaryDirectory() as folder:
        client = chromadb.PersistentClient(path=folder, settings=ChromaSettings(anonymized_telemetry=False))
        collection = client.create_collection("chunks", configuration={"hnsw": hnsw}, embedding_function=None)
        started = _cpu()
        for start in range(0, len(chunks["ids"]), BATCH):
            end = start + BATCH
            collection.upsert(
                ids=chunks["ids"][start:end],
                embeddings=chunks["embeddings"][start:end],
                metadatas=chunks["metadatas"][start:end],
            )
        return _cpu() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=ROOT / "build" / "reader" / "index")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "chroma_write_results.json")
    args = parser.parse_args(argv)
    if not (args.index / "chroma.sqlite3").is_file():
        parser.error(f"no index at {args.index}: build one (`make eval` builds build/reader/index's data)")
    chunks = read_chunks(args.index)
    count = len(chunks["ids"])
    runs: dict[str, list[float]] = {name: [] for name in CONFIGS}
    for _ in range(args.rounds):
        for name, hnsw in CONFIGS.items():
            runs[name].append(write_once(chunks, hnsw) / count * 1000)
    results = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "chunks": count,
        "batch": BATCH,
        "cpu_ms_per_chunk_best": {name: round(min(r), 3) for name, r in runs.items()},
        "cpu_ms_per_chunk_runs": {name: [round(v, 3) for v in r] for name, r in runs.items()},
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for name, best in results["cpu_ms_per_chunk_best"].items():
        print(f"{name:48} {best:.3f} ms CPU a chunk")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
