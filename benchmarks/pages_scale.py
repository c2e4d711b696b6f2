"""Ingest of saved pages ÷ the raw encoder at a folder's size, not the extraction benchmark's 60.

    .venv/bin/python benchmarks/pages_scale.py --copies 5 --out benchmarks/pages_scale_results.json

`bench.py` measures the ingest of the 60 real pages (624 chunks) against the raw encoder on the
same texts. A user's folder holds hundreds or thousands: whether the ratio there is the same, or
the 60 pages' is lowered by what a run costs once (the encoder waits for the first articles, the
last write waits for the encoder), is measured here on COPIES copies of each page. Copy k > 0 of
a page has " k" before each "</p>", so that its story is another (ingestion skips a page whose
story it holds: a page with no "</p>" is read once whatever its copies). The same pairs of runs
as bench.py (raw and ingest in turns, the median of the pairs' ratios), and the CPU beside the
encoder through a free stand-in encoder.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import DEFAULT_PAGES, bench_beside_encoder, bench_ingest, log, machine_info, write_pages

from assistant import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="saved pages (KEY.html.gz)")
    parser.add_argument("--copies", type=int, default=5, help="copies of each page (1: the pages as they are)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/pages_scale_results.json"))
    args = parser.parse_args(argv)
    if args.copies < 1 or not args.pages.is_dir():
        parser.error("--copies must be at least 1 and --pages a folder of KEY.html.gz pages")
    with tempfile.TemporaryDirectory(prefix="pages-scale-", ignore_cleanup_errors=True) as tmp:
        tmp_dir = Path(tmp)
        folder = tmp_dir / "pages"
        folder.mkdir()
        files = write_pages(args.pages, folder, args.copies)
        log(f"{files} pages ({args.copies} copies of each of {files // args.copies})")
        block: dict[str, object] = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine_info(),
            "pages": str(args.pages),
            "copies": args.copies,
            "files": files,
        }
        bot = bench_ingest(folder, tmp_dir / "index", Settings(), block)
        del bot
        block["beside_encoder"] = bench_beside_encoder(folder, tmp_dir / "free-index", block)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(block, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    ratio = block["ingest_vs_embed"]
    print(json.dumps(ratio, indent=2))
    print(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
