"""Article-text extraction from web pages, scored against hand-made ground truth, in one run.

    .venv/bin/python benchmarks/extraction.py --data ../shared/data/extraction-dev \\
        --out benchmarks/extraction_results.json

Systems scored on the same pages (precision/recall/F1 on 4-word shingles, the
metric of scrapinghub/article-extraction-benchmark, computed by the data set's
own score.py):
- `project`: what ingestion keeps of each page (`documents.read_story`: the
  loader, trafilatura's main text aligned onto the loader's text, the line
  rules when that fails), i.e. exactly the text that gets chunked and cited;
- `project_rules_only`: the same loader with the line rules alone;
- `baseline`: the project's extraction before this change (the code of
  `--baseline-rev`, run from a `git archive` of that revision);
- `trafilatura`: trafilatura's own text output with the options ingestion uses,
  and `trafilatura_default` with its default options.
Also measured, for this code and the baseline's: pages that raised, seconds per
page, time and peak memory (RSS) for a generated 5 MB page (and 20 MB, this
code only), and for a text file of many short header lines (once quadratic).
The pages are read from the data folder and written only to a temporary folder.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.ingest.documents import read_story  # noqa: E402
from assistant.ingest.extraction import story_layout  # noqa: E402
from assistant.ingest.loading import UnreadableFileError, decode, load  # noqa: E402

BASELINE_SCRIPT = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from assistant.ingest import cleaning
from assistant.ingest.documents import build_article
from assistant.ingest.loading import UnreadableFileError
try:
    from assistant.ingest.documents import read_story  # since trafilatura found the story
except ImportError:
    read_story = None
out = {}
for path in sorted(Path(sys.argv[2]).glob("*.html")):
    try:
        if read_story is not None:  # the story as ingestion finds it, read once as the project's is
            out[path.stem] = read_story(path).text
        else:
            article = build_article(path, 128, 32)  # as ingestion ran it: metadata included
            out[path.stem] = "\\n".join(line.text for line in cleaning.analyze(article.source.plain).body)
    except UnreadableFileError:
        out[path.stem] = ""  # skipped with a reason: scored as empty, not as raised
    except Exception as exc:
        out[path.stem] = {"raised": f"{type(exc).__name__}: {exc}"}
print(json.dumps(out))
"""

MEMORY_SCRIPT = """
import resource, sys, time, json
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from assistant.ingest.documents import build_article
path = Path(sys.argv[2])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
outcome = "article"
try:
    article = build_article(path, 128, 32)
    detail = f"{len(article.chunks)} chunks"
except Exception as exc:
    outcome, detail = type(exc).__name__, str(exc)
print(json.dumps({"seconds": round(time.perf_counter() - start, 2), "outcome": outcome, "detail": detail,
                  "rss_before_mb": round(before / 1024), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def _scorer(data: Path) -> Any:
    spec = importlib.util.spec_from_file_location("extraction_score", data / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(scorer: Any, truth: dict[str, Any], predicted: dict[str, str]) -> dict[str, float]:
    ps, rs = [], []
    for key, page in truth.items():
        p, r = scorer.page_scores(page["articleBody"], predicted.get(key, ""))
        if p is not None:
            ps.append(p)
        if r is not None:
            rs.append(r)
    precision = sum(ps) / len(ps) if ps else 0.0
    recall = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _per_page_f1(scorer: Any, truth: str, predicted: str) -> float:
    p, r = scorer.page_scores(truth, predicted)
    p, r = p or 0.0, r or 0.0
    return round(2 * p * r / (p + r), 3) if p + r else 0.0


def _archive(rev: str, into: Path) -> Path:
    """The package as it was at `rev`, unpacked into `into`."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "assistant"], check=True, capture_output=True
    ).stdout
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def _baseline(code: Path, pages_dir: Path) -> tuple[dict[str, str], dict[str, str], float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", BASELINE_SCRIPT, str(code), str(pages_dir)],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    results = json.loads(done.stdout)
    texts = {k: v for k, v in results.items() if isinstance(v, str)}
    raised = {k: v["raised"] for k, v in results.items() if isinstance(v, dict)}
    return texts, raised, seconds


def _memory(code: Path, path: Path, timeout_s: float = 600) -> dict[str, Any]:
    """Time and peak memory of building one article from `path` with the package in `code`."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", MEMORY_SCRIPT, str(code), str(path)],
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": f"> {timeout_s:.0f} (stopped)", "outcome": "timeout"}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _big_page(path: Path, megabytes: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("<html><head><title>A very long page</title></head><body><article>\n")
        written = number = 0
        while written < megabytes * 1_000_000:
            number += 1
            paragraph = (
                f"<p>The minister said on day {number} that talks would continue &amp; that both sides "
                f"had agreed to meet again, according to statement number {number}.</p>\n"
            )
            out.write(paragraph)
            written += len(paragraph)
        out.write("</article></body></html>\n")


def _header_lines(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            out.write(f"Section {i}\n")
        out.write("The minister said on Tuesday that talks would continue next month in Geneva.\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "extraction-dev")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "extraction_results.json")
    parser.add_argument(
        "--baseline-rev", default="91953f9", help="git revision of the extraction to compare with"
    )
    parser.add_argument("--big-page-mb", type=int, default=20)
    parser.add_argument("--header-lines", type=int, default=50_000)
    parser.add_argument("--baseline-timeout-s", type=float, default=300)
    args = parser.parse_args()

    import trafilatura

    scorer = _scorer(args.data)
    truth = json.loads((args.data / "truth.json").read_text(encoding="utf-8"))
    predictions: dict[str, dict[str, str]] = {
        name: {} for name in ("project", "project_rules_only", "trafilatura", "trafilatura_default")
    }
    raised: dict[str, dict[str, str]] = {name: {} for name in predictions}
    seconds: dict[str, float] = dict.fromkeys(predictions, 0.0)
    extractors: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        pages_dir = Path(tmp)
        for key in truth:
            data = gzip.decompress((args.data / "pages" / f"{key}.html.gz").read_bytes())
            (pages_dir / f"{key}.html").write_bytes(data)
        for key in truth:
            path = pages_dir / f"{key}.html"
            html = decode(path.read_bytes())
            runs = {
                "project": lambda path=path: read_story(path),
                "project_rules_only": lambda path=path: load(path),
                "trafilatura": lambda html=html: trafilatura.extract(
                    html, favor_precision=True, include_comments=False
                ),
                "trafilatura_default": lambda html=html: trafilatura.extract(html),
            }
            for name, run in runs.items():
                start = time.perf_counter()
                try:
                    result = run()
                except UnreadableFileError:
                    predictions[name][key] = ""  # skipped with a reason: scored as empty
                    continue
                except Exception as exc:  # counted and reported, never hidden
                    raised[name][key] = f"{type(exc).__name__}: {exc}"
                    continue
                finally:
                    seconds[name] += time.perf_counter() - start
                if name == "project":
                    predictions[name][key] = result.text
                    extractors[result.extractor] = extractors.get(result.extractor, 0) + 1
                elif name == "project_rules_only":
                    layout, _ = story_layout(result.plain, result.furniture, None)
                    predictions[name][key] = "\n".join(line.text for line in layout.body)
                else:
                    predictions[name][key] = result or ""
        baseline_code = _archive(args.baseline_rev, pages_dir / "baseline")
        baseline_texts, baseline_raised, baseline_s = _baseline(baseline_code, pages_dir)
        predictions["baseline"], raised["baseline"], seconds["baseline"] = (
            baseline_texts,
            baseline_raised,
            baseline_s,
        )
        robustness: dict[str, Any] = {}
        for megabytes in sorted({5, args.big_page_mb}):
            big = pages_dir / f"big-{megabytes}.html"
            _big_page(big, megabytes)
            robustness[f"page_{megabytes}mb"] = {
                "bytes": big.stat().st_size,
                "project": _memory(REPO, big),
                "baseline": _memory(baseline_code, big) if megabytes == 5 else "not run (too big for it)",
            }
        headers = pages_dir / "headers.txt"
        _header_lines(headers, args.header_lines)
        robustness["many_header_lines"] = {
            "lines": args.header_lines,
            "project": _memory(REPO, headers),
            "baseline": _memory(baseline_code, headers, timeout_s=args.baseline_timeout_s),
        }

    systems = {
        name: {
            **_score(scorer, truth, predicted),
            "pages_raised": len(raised[name]),
            "seconds_per_page": round(seconds[name] / len(truth), 3),
        }
        for name, predicted in predictions.items()
    }
    worst = sorted(
        (
            {
                "key": key[:16],
                "url": truth[key]["url"],
                "project_f1": _per_page_f1(
                    scorer, truth[key]["articleBody"], predictions["project"].get(key, "")
                ),
                "trafilatura_f1": _per_page_f1(
                    scorer, truth[key]["articleBody"], predictions["trafilatura"].get(key, "")
                ),
            }
            for key in truth
        ),
        key=lambda row: row["project_f1"],
    )[:8]
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "trafilatura_version": importlib_metadata.version("trafilatura"),
        "baseline_rev": args.baseline_rev,
        "pages": len(truth),
        "systems": systems,
        "project_extractor_used": extractors,
        "raised": {name: pages for name, pages in raised.items() if pages},
        "worst_project_pages": worst,
        "robustness": robustness,
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"{'system':22} {'precision':>9} {'recall':>7} {'f1':>6} {'raised':>6} {'s/page':>7}")
    for name, row in systems.items():
        print(
            f"{name:22} {row['precision']:9.3f} {row['recall']:7.3f} {row['f1']:6.3f} "
            f"{row['pages_raised']:6d} {row['seconds_per_page']:7.3f}"
        )
    for name, figures in robustness.items():
        print(f"{name}: {json.dumps(figures)}")


if __name__ == "__main__":
    main()
