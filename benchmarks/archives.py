"""What reading a news archive (JSON Lines) costs beside reading the same articles as files.

    python benchmarks/archives.py [--records 200000] [--ingest 400]
                                  [--out benchmarks/archives_results.json]

1. Unpacking: an archive of `--records` real texts (the SQuAD v1.1 dev paragraphs of
   evals/data, each record a paragraph with an id, title, outlet and date, repeated with new ids
   to reach the count) is turned into article files by `archives.unpack`, once into an empty
   folder and once more over the same folder (a re-run, which rewrites nothing); the baseline in
   the same run is writing the same texts as plain files with `Path.write_text`, one a file, the
   least any file-per-article ingest does. Peak memory is the process's (`ru_maxrss`).
2. Ingesting: `--ingest` of those paragraphs through `Assistant.ingest` with the real encoder,
   as a JSON Lines archive and as a folder of files, twice each in turns; chunks a second.

Figures to --out (JSON).
"""

from __future__ import annotations

import os

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT / "evals" / "data" / "squad-dev-v1.1-part1.json"


def paragraphs() -> list[tuple[str, str]]:
    data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    return [(a["title"].replace("_", " "), p["context"]) for a in data for p in a["paragraphs"]]


def write_archive(path: Path, texts: list[tuple[str, str]], count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            title, text = texts[n % len(texts)]
            record = {"id": n, "title": f"{title} ({n})", "source": "Wikipedia", "date": "2016-02-07", "text": text}
            out.write(json.dumps(record) + "\n")


def unpacking(folder: Path, records: int) -> dict[str, Any]:
    from assistant.ingest import archives

    texts = paragraphs()
    archive = folder / "news.jsonl"
    write_archive(archive, texts, records)
    started = time.perf_counter()
    first = archives.unpack([archive], folder / "unpacked")
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    again = archives.unpack([archive], folder / "unpacked")
    again_s = time.perf_counter() - started
    plain = folder / "plain"
    started = time.perf_counter()
    for n in range(records):
        title, text = texts[n % len(texts)]
        part = plain / f"{n // 1000:04d}"
        if n % 1000 == 0:
            part.mkdir(parents=True)
        (part / f"{n}.txt").write_text(f"{title} ({n})\n\n{text}\n", encoding="utf-8")
    plain_s = time.perf_counter() - started
    assert len(first.files) == len(again.files) == records, (len(first.files), records)
    return {
        "records": records,
        "archive_mb": round(archive.stat().st_size / 2**20, 1),
        "unpack_first_s": round(first_s, 2),
        "unpack_again_s": round(again_s, 2),
        "records_per_s_first": round(records / first_s),
        "records_per_s_again": round(records / again_s),
        "plain_files_s": round(plain_s, 2),
        "unpack_first_over_plain_files": round(first_s / plain_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def ingesting(folder: Path, count: int) -> dict[str, Any]:
    from assistant import Assistant

    texts = paragraphs()[:count]
    archive = folder / "news.jsonl"
    write_archive(archive, texts, count)
    files = folder / "files"
    files.mkdir()
    for n, (title, text) in enumerate(texts):
        (files / f"{n:05d}.txt").write_text(f"---\ntitle: {json.dumps(f'{title} ({n})')}\nsource: Wikipedia\n"
                                            f"date: '2016-02-07'\n---\n\n{text}\n", encoding="utf-8")
    rates: dict[str, list[float]] = {"archive": [], "files": []}
    for run in range(2):
        for kind, source in (("archive", archive), ("files", files)) if run == 0 else (("files", files), ("archive", archive)):
            bot = Assistant.open(folder / f"index-{kind}-{run}")
            started = time.perf_counter()
            report = bot.ingest([source])
            took = time.perf_counter() - started
            chunks = sum(a.chunks for a in bot.articles())
            assert len(report.added) == count, report.summary()
            rates[kind].append(round(chunks / took, 1))
    best = {kind: max(values) for kind, values in rates.items()}
    return {"articles": count, "chunks_per_s": rates, "archive_over_files_best": round(best["archive"] / best["files"], 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--ingest", type=int, default=400)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "archives_results.json")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="archives-bench-"))
    try:
        (work / "unpack").mkdir()
        (work / "ingest").mkdir()
        results = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "unpacking": unpacking(work / "unpack", args.records),
            "ingesting": ingesting(work / "ingest", args.ingest) if args.ingest else None,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
