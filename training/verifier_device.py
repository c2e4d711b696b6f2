"""Train the two cross-fitted verifiers and score every reading's sentences from the pairs that
`train_verifier.py --prepare WORK` wrote: the part of the verifier's training that needs torch
and time, none of the assistant or its indexes, so it runs on a machine with a GPU.

    python training/train_verifier.py --prepare build/verifier/device-run       # here, ~2 min
    python training/verifier_device.py --work build/verifier/device-run/device \\
        --out OUT --name e3 --epochs 3 --device cuda --processes 16             # there
    python training/train_verifier.py --collect e3 OUT                          # here again

Writes into OUT: NAME.A.onnx.part0, part1, ... (verifier A's int8 file cut into pieces under
15 MB, the size a device run sends back), NAME.logits.npz (the log-odds of the pairs to score,
arrays A and B, in `--prepare`'s order) and NAME.json (settings and timings).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from verifier_model import read_device_folder, score, train, unpack

PIECE = 15_000_000  # bytes: a device run sends back files of at most 16 MiB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True, help="the folder --prepare wrote (WORK/device)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--name", required=True, help="this run's name, in its files' names")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--negatives", type=int, default=5, help="a question's negative pairs at most (≤ 8)")
    parser.add_argument("--device", default="cpu", help="torch's device: cpu, cuda")
    parser.add_argument("--processes", type=int, default=2, help="scoring processes (one pair a run each)")
    parser.add_argument("--limit", type=int, default=0, help="this many pairs of each kind only (a quick try)")
    args = parser.parse_args(argv)
    data = read_device_folder(args.work)
    args.out.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    report: dict[str, object] = {"name": args.name, "epochs": args.epochs, "negatives": args.negatives,
                                 "device": args.device, "seconds": seconds}
    with tempfile.TemporaryDirectory() as tmp:
        models = {}
        for half in ("A", "B"):
            chosen = data["train"][half]
            keep = (chosen["labels"] == 1) | (chosen["places"] < args.negatives)
            examples = [(pair, int(label)) for pair, label, kept in
                        zip(unpack(chosen["pairs"]), chosen["labels"], keep) if kept]
            if args.limit:
                examples = examples[: args.limit]
            positive = sum(label for _, label in examples)
            print(f"{args.name} half {half}: {len(examples)} pairs, {positive} positive", file=sys.stderr, flush=True)
            report[f"pairs_{half}"] = [len(examples), positive]
            started = time.perf_counter()
            models[half] = Path(tmp) / f"verifier-{half}.onnx"
            train(examples, args.work / "base", models[half], epochs=args.epochs, device=args.device)
            seconds[f"train_{half}"] = round(time.perf_counter() - started, 1)
        logits = {}
        for half in ("A", "B"):
            pairs = unpack(data["score"][half])
            if args.limit:
                pairs = pairs[: args.limit]
            started = time.perf_counter()
            logits[half] = score(models[half], pairs, processes=args.processes)
            seconds[f"score_{half}"] = round(time.perf_counter() - started, 1)
            print(f"{args.name}: scored {len(pairs)} pairs with {half} in {seconds[f'score_{half}']} s",
                  file=sys.stderr, flush=True)
        np.savez(args.out / f"{args.name}.logits.npz", **logits)
        blob = models["A"].read_bytes()
        report["A_sha256"] = hashlib.sha256(blob).hexdigest()
        for n, at in enumerate(range(0, len(blob), PIECE)):
            (args.out / f"{args.name}.A.onnx.part{n}").write_bytes(blob[at : at + PIECE])
    (args.out / f"{args.name}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
