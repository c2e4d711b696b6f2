"""Which sentence boundaries moved between a git revision and the working tree.

    .venv/bin/python benchmarks/sentence_changes.py --out benchmarks/sentence_changes.json

Splits every paragraph of the sample corpus and of the shipped SQuAD paragraphs
with `split_sentences` as it is now and as it was at `--baseline-rev` (run from
a `git archive` of that revision), and lists every paragraph whose sentences
differ, so a change to the rules shows exactly what else it moved.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SPLIT_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
from assistant.ingest.sentences import split_sentences
paragraphs = json.load(open(sys.argv[2], encoding="utf-8"))
print(json.dumps([[[s.start, s.end] for s in split_sentences(p)] for p in paragraphs]))
"""


def _paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted((REPO / "corpus").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paragraphs.extend(p.strip() for p in text.split("\n") if p.strip())
    squad = json.loads((REPO / "evals" / "data" / "squad-dev-v1.1-part1.json").read_text(encoding="utf-8"))
    for article in squad["data"]:
        paragraphs.extend(p["context"] for p in article["paragraphs"])
    return paragraphs


def _split(code_dir: Path, paragraphs_file: Path) -> list[list[list[int]]]:
    done = subprocess.run(
        [sys.executable, "-c", SPLIT_SCRIPT, str(code_dir), str(paragraphs_file)],
        check=True,
        capture_output=True,
        text=True,
    )
    return list(json.loads(done.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--baseline-rev", default="91953f9")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "sentence_changes.json")
    args = parser.parse_args()
    paragraphs = _paragraphs()
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", args.baseline_rev, "assistant"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        paragraphs_file = Path(tmp) / "paragraphs.json"
        paragraphs_file.write_text(json.dumps(paragraphs), encoding="utf-8")
        before = _split(Path(tmp), paragraphs_file)
        after = _split(REPO, paragraphs_file)
    changed = [
        {
            "before": [text[a:b] for a, b in old],
            "after": [text[a:b] for a, b in new],
        }
        for text, old, new in zip(paragraphs, before, after)
        if old != new
    ]
    results = {
        "baseline_rev": args.baseline_rev,
        "paragraphs": len(paragraphs),
        "sentences_before": sum(len(s) for s in before),
        "sentences_after": sum(len(s) for s in after),
        "paragraphs_changed": len(changed),
        "changes": changed,
    }
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"{len(changed)} of {len(paragraphs)} paragraphs split differently; sentences "
        f"{results['sentences_before']} -> {results['sentences_after']}"
    )
    for change in changed[:20]:
        print(json.dumps(change, ensure_ascii=False)[:400])


if __name__ == "__main__":
    main()
