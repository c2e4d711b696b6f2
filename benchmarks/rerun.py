"""A re-run over a folder already ingested: what resuming a killed ingest, or ingesting the same
folder again for its new files, costs before the first new article is read.

    .venv/bin/python benchmarks/rerun.py --copies 5 --out benchmarks/rerun_results.json

COPIES copies of the 60 real saved pages (as `pages_scale.py` makes them) are ingested once
through a free stand-in encoder (the encoder does not run in a re-run: nothing is new), then the
same folder is ingested again in turns, ROUNDS times each way:
- `recognised`: as a re-run is now: each file's bytes are compared with the fingerprint recorded
  when its article was read (`loading.fingerprint`), and a file found so is not read again;
- `read_again`: the catalog's fingerprints cleared first, so that every file is read again
  (extraction, cleaning, chunking) and compared with the stored article, as every re-run did
  before fingerprints were recorded, and as the first re-run after an upgrade of the reading does.
Every run must report every file unchanged; the figure is the median of the rounds' ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import DEFAULT_PAGES, FreeEncoder, log, machine_info, write_pages

from assistant import Assistant, Settings


def timed_rerun(bot: Assistant, folder: Path, files: int, clear: bool) -> tuple[float, float]:
    if clear:
        with bot._index.catalog._write() as db:
            db.execute("DELETE FROM readings")
    wall, cpu = time.perf_counter(), time.process_time()
    report = bot.ingest([folder])
    took = (time.perf_counter() - wall, time.process_time() - cpu)
    if len(report.unchanged) != files or report.added or report.updated:
        raise SystemExit(f"a re-run changed the index: {report.summary()}")
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="saved pages (KEY.html.gz)")
    parser.add_argument("--copies", type=int, default=5, help="copies of each page")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/rerun_results.json"))
    args = parser.parse_args(argv)
    if args.copies < 1 or args.rounds < 1 or not args.pages.is_dir():
        parser.error("--copies and --rounds must be at least 1 and --pages a folder of KEY.html.gz pages")
    with tempfile.TemporaryDirectory(prefix="rerun-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        write_pages(args.pages, folder, args.copies)
        bot = Assistant(Settings.from_mapping({"index_dir": str(Path(tmp) / "index")}), embedder=FreeEncoder())  # type: ignore[arg-type]
        first = bot.ingest([folder])
        files = len(first.added) + len(first.skipped)
        log(f"{len(first.added)} articles of {files} files ingested; re-runs:")
        runs: dict[str, list[tuple[float, float]]] = {"recognised": [], "read_again": []}
        for _ in range(args.rounds):
            runs["read_again"].append(timed_rerun(bot, folder, len(first.added), clear=True))
            runs["recognised"].append(timed_rerun(bot, folder, len(first.added), clear=False))
            log(f"  read again {runs['read_again'][-1][0]:.2f} s, recognised {runs['recognised'][-1][0]:.3f} s")
        ratios = [again[0] / max(seen[0], 1e-9) for again, seen in zip(runs["read_again"], runs["recognised"], strict=True)]
        block = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine_info(),
            "files": files,
            "articles": len(first.added),
            "chunks": sum(a.chunks for a in bot.articles()),
            **{
                name: {
                    "wall_s": [round(w, 3) for w, _ in took],
                    "cpu_s": [round(c, 3) for _, c in took],
                    "ms_per_file": round(statistics.median(w for w, _ in took) / files * 1000, 3),
                }
                for name, took in runs.items()
            },
            "read_again_over_recognised": round(statistics.median(ratios), 1),
        }
    args.out.write_text(json.dumps(block, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in block.items() if k != "machine"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
