"""How well the answer step tells two sentences that report one claim from two that do not.

    python benchmarks/corroboration.py [--out benchmarks/corroboration_results.json]

Reads the labelled sentence pairs of benchmarks/data/corroboration_pairs.jsonl (see
benchmarks/README.md, "Corroboration"): constructed pairs of news-like claims (paraphrases, and
pairs that differ in a number, a name, a date, a negation, a direction or the claim itself) on
sixteen topics, half the topics for calibration and half held out, and pairs of real sentences
of the five sample articles, all held out. It chooses the closeness threshold on the calibration
part alone and the weight of shared words beside it (the best recall at precision >= TARGET_PRECISION,
the guards of assistant/answer/corroboration.py applied), then reports precision and recall on the held-out
parts at the shipped threshold (SAME_CLAIM_COSINE), beside two baselines: the word-overlap rule
alone (what merged statements before) and the cosine alone, without the guards. It also times
embedding the sentences, and what corroboration adds to an answer: over the held-out SQuAD
validation questions (`--latency-questions`, on an index of the SQuAD dev part built in a
temporary folder), `draft_answer` on the same retrieved passages without and with sentence
vectors (a fresh cache per question, so every embedding is paid), CPU and wall time.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from assistant import Assistant, Settings
from assistant.answer.conversation import read_turn
from assistant.answer.corroboration import (
    OVERLAP_WEIGHT,
    SAME_CLAIM_CLOSENESS,
    SentenceVectors,
    disagreement,
    same_claim,
    same_words,
)
from assistant.answer.synthesis import draft_answer
from assistant.evals.squad import ensure_corpus, validation_questions
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.lexical import content_terms

HERE = Path(__file__).resolve().parent
PAIRS = HERE / "data" / "corroboration_pairs.jsonl"
OUT = HERE / "corroboration_results.json"
# Precision wanted of a merge on calibration. The word rule alone (threshold-free) already makes
# one false merge there ("exceeded its authority" / "acted within its authority"), and no setting
# goes past 0.933, where recall is 0.45: 0.9 keeps a merge right nine times in ten for 0.61.
TARGET_PRECISION = 0.9
THRESHOLDS = [round(0.6 + 0.01 * i, 2) for i in range(71)]
WEIGHTS = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _different_days(pair: dict[str, Any]) -> bool:
    a, b = pair.get("a_published"), pair.get("b_published")
    return bool(a and b and a != b)


def scores(pairs: Sequence[dict[str, Any]], predict: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    said = [predict(p) for p in pairs]
    gold = [bool(p["same"]) for p in pairs]
    tp = sum(s and g for s, g in zip(said, gold))
    fp = sum(s and not g for s, g in zip(said, gold))
    fn = sum(g and not s for s, g in zip(said, gold))
    return {
        "pairs": len(pairs),
        "same": sum(gold),
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "merged": tp + fp,
        "false_merges": [p["id"] for p, s, g in zip(pairs, said, gold) if s and not g],
        "missed": [p["id"] for p, s, g in zip(pairs, said, gold) if g and not s],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--threads", type=int, default=1, help="encoder threads (1: as on a busy server)")
    parser.add_argument("--latency-questions", type=int, default=100, help="SQuAD questions timed (0: none)")
    args = parser.parse_args(argv)

    pairs = load_pairs(args.pairs)
    embedder = MiniLMEmbedder(threads=args.threads)
    texts = sorted({t for p in pairs for t in (p["a"], p["b"])})
    one_at_a_time = []
    for text in texts[:40]:
        start = time.perf_counter()
        embedder.embed([text])
        one_at_a_time.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    matrix = embedder.embed(texts)
    batch_ms = (time.perf_counter() - start) * 1000
    vector = dict(zip(texts, matrix))
    for p in pairs:
        p["cosine"] = float(np.dot(vector[p["a"]], vector[p["b"]]))

    def ours(threshold: float, weight: float = OVERLAP_WEIGHT) -> Callable[[dict[str, Any]], bool]:
        return lambda p: not _different_days(p) and same_claim(
            p["a"], p["b"], p["cosine"], threshold=threshold, weight=weight
        )

    def words_only(p: dict[str, Any]) -> bool:
        return not _different_days(p) and same_words(frozenset(content_terms(p["a"])), frozenset(content_terms(p["b"])))


    calibration = [p for p in pairs if p["split"] == "calibration"]
    calibration_parts = {
        origin: [p for p in calibration if p["origin"] == origin] for origin in ("constructed", "sample-corpus")
    }
    # The baseline without guards: the cosine alone, at its best precision on calibration.
    def above(threshold: float) -> Callable[[dict[str, Any]], bool]:
        return lambda p: bool(p["cosine"] >= threshold)

    by_cosine = [(scores(calibration, above(t))["precision"] or 0.0, t) for t in THRESHOLDS]
    cosine_at = min(t for precision, t in by_cosine if precision == max(q for q, _ in by_cosine))

    def cosine_only(p: dict[str, Any]) -> bool:
        return not _different_days(p) and p["cosine"] >= cosine_at

    held_out = {
        "constructed": [p for p in pairs if p["split"] == "held-out" and p["origin"] == "constructed"],
        "sample-corpus": [p for p in pairs if p["split"] == "held-out" and p["origin"] == "sample-corpus"],
    }
    held_out["all"] = held_out["constructed"] + held_out["sample-corpus"]

    curve = []
    for weight in WEIGHTS:
        for threshold in THRESHOLDS:
            s = scores(calibration, ours(threshold, weight))
            curve.append({"weight": weight, "threshold": threshold, "precision": s["precision"], "recall": s["recall"]})
    # The target, or where no setting reaches it (the word rule's merges do not depend on the
    # threshold), the best precision any setting reaches.
    reachable = min(TARGET_PRECISION, max(c["precision"] or 0.0 for c in curve))
    eligible = [c for c in curve if c["precision"] is not None and c["precision"] >= reachable - 1e-9]
    best_recall = max((c["recall"] for c in eligible), default=None)
    # Of the settings with the best recall: the smallest weight (the most by meaning), and the
    # middle threshold of its plateau, farthest from both edges.
    best = [c for c in eligible if c["recall"] == best_recall]
    best = [c for c in best if c["weight"] == min(b["weight"] for b in best)]
    chosen = best[len(best) // 2] if best else None

    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "pairs": str(args.pairs.relative_to(HERE.parent) if args.pairs.is_relative_to(HERE.parent) else args.pairs),
        "encoder": embedder.name,
        "target_precision": TARGET_PRECISION,
        "reachable_precision_on_calibration": reachable,
        "chosen_on_calibration": chosen,
        "shipped": {"closeness": SAME_CLAIM_CLOSENESS, "overlap_weight": OVERLAP_WEIGHT},
        "cosine_only_threshold": cosine_at,
        "calibration": {
            "at_shipped": scores(calibration, ours(SAME_CLAIM_CLOSENESS)),
            "at_shipped_by_origin": {o: scores(part, ours(SAME_CLAIM_CLOSENESS)) for o, part in calibration_parts.items()},
            "curve": curve,
        },
        "held_out": {},
        "guard_reasons_on_held_out_different_pairs": {},
        "embedding_ms": {
            "one_sentence_p50": statistics.median(one_at_a_time),
            "one_sentence_max": max(one_at_a_time),
            "batch_of": len(texts),
            "batch_per_sentence": batch_ms / len(texts),
            "threads": args.threads,
        },
    }
    for name, part in held_out.items():
        results["held_out"][name] = {
            "ours": scores(part, ours(SAME_CLAIM_CLOSENESS)),
            "word_overlap_only": scores(part, words_only),
            "cosine_only": scores(part, cosine_only),
        }
    reasons: dict[str, int] = {}
    for p in held_out["all"]:
        if not p["same"]:
            why = disagreement(p["a"], p["b"]) or ("different days" if _different_days(p) else "none")
            reasons[why] = reasons.get(why, 0) + 1
    results["guard_reasons_on_held_out_different_pairs"] = reasons

    if args.latency_questions:
        results["answer_latency_ms"] = answer_latency(args.latency_questions)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(
        f"chosen on calibration: {chosen} (shipped closeness {SAME_CLAIM_CLOSENESS}, overlap weight "
        f"{OVERLAP_WEIGHT}); target precision {TARGET_PRECISION}, reachable {reachable:.3f}; "
        f"cosine alone at {cosine_at}"
    )
    cal = results["calibration"]["at_shipped"]
    print(f"calibration  {cal['pairs']:3d} pairs  precision {_f(cal['precision'])}  recall {_f(cal['recall'])}")
    for name, part in results["held_out"].items():
        for method, s in part.items():
            print(
                f"held-out {name:13s} {method:17s} {s['pairs']:3d} pairs ({s['same']} same)  "
                f"precision {_f(s['precision'])}  recall {_f(s['recall'])}  false merges {s['false_merges']}"
            )
    e = results["embedding_ms"]
    print(
        f"embedding: one sentence p50 {e['one_sentence_p50']:.1f} ms, in a batch {e['batch_per_sentence']:.1f} ms "
        f"per sentence ({e['threads']} thread)"
    )
    if "answer_latency_ms" in results:
        lat = results["answer_latency_ms"]
        print(
            f"draft_answer over {lat['questions']} SQuAD questions, CPU ms p50/p95: without "
            f"{lat['without']['cpu_p50']:.1f}/{lat['without']['cpu_p95']:.1f}, with corroboration "
            f"{lat['with']['cpu_p50']:.1f}/{lat['with']['cpu_p95']:.1f}; sentences embedded per answer "
            f"p50 {lat['embedded_p50']}, max {lat['embedded_max']}"
        )
    print(f"wrote {args.out}")
    return 0


def answer_latency(count: int) -> dict[str, Any]:
    """What corroboration adds to the answer step, on the same passages (see the docstring)."""
    questions = [q for q in validation_questions() if q["answerable"]][:count]
    embedder = MiniLMEmbedder()
    with tempfile.TemporaryDirectory() as folder:
        bot = Assistant(Settings.from_mapping({"index_dir": Path(folder)}), embedder=embedder)
        bot.ingest([ensure_corpus()])
        vocabulary = bot._vocabulary  # the answer step's term weights, as ask() passes them
        timings: dict[str, dict[str, list[float]]] = {k: {"cpu": [], "wall": []} for k in ("without", "with")}
        embedded: list[int] = []
        for q in questions:
            turn = read_turn(q["question"])
            passages = bot.retrieve(q["question"])
            counted: list[int] = []

            def embed(texts: Sequence[str], counted: list[int] = counted) -> np.ndarray:
                counted.append(len(texts))
                return embedder.embed(texts)

            for name, vectors in (("without", None), ("with", SentenceVectors(embed))):
                cpu, wall = time.process_time(), time.perf_counter()
                draft_answer(turn.question, passages, vocabulary, turn.context, turn.date, vectors=vectors)
                timings[name]["cpu"].append((time.process_time() - cpu) * 1000)
                timings[name]["wall"].append((time.perf_counter() - wall) * 1000)
            embedded.append(sum(counted))
    return {
        "questions": len(questions),
        **{
            name: {
                f"{kind}_{q}": float(np.percentile(values, p))
                for kind, values in t.items()
                for q, p in (("p50", 50), ("p95", 95))
            }
            for name, t in timings.items()
        },
        "embedded_p50": float(np.percentile(embedded, 50)),
        "embedded_max": max(embedded),
    }


def _f(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


if __name__ == "__main__":
    raise SystemExit(main())
