"""An experiment: can a learned "same claim" classifier beat corroboration.py's closeness rule?

    python training/corroboration_learned.py

Training pairs are mined from the constructed news (training/data/constructed_news): two
sentences of different articles of one story that hold an accepted answer of the same question
report one claim; two that hold answers of different questions of that story do not (a pair
that is also a positive is dropped). The hand-labelled pairs of
benchmarks/data/corroboration_pairs.jsonl are the yardstick: a model is trained on the mined
pairs, or on them and the labelled calibration part; its setting is the lowest score with
precision >= 0.9 on the calibration part (corroboration.py's guards and the different-days rule
applied, as in the assistant); precision and recall are printed for the held-out parts beside the
shipped rule's. Features: cosine of the MiniLM sentence vectors, the shared share of stems (of the
sparser one, Jaccard), the same weighted by English rarity (assistant/search/background.py), the
rarest stem each lacks of the other, shared count, length ratio, whether a guard fires, and the
shipped closeness. Nothing here is used by the assistant.
"""

from __future__ import annotations

import glob
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from corroboration import load_pairs  # noqa: E402

from assistant.answer.corroboration import OVERLAP_WEIGHT, disagreement, same_claim, word_overlap  # noqa: E402
from assistant.evals.text import normalize  # noqa: E402
from assistant.ingest.sentences import split_sentences  # noqa: E402
from assistant.search.background import rarity  # noqa: E402
from assistant.search.embedding import MiniLMEmbedder  # noqa: E402
from assistant.search.lexical import content_terms  # noqa: E402

TARGET_PRECISION = 0.9
GUARD = 11  # the column of "a guard fires"


def mine() -> list[dict[str, Any]]:
    mined: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(glob.glob(str(ROOT / "training" / "data" / "constructed_news" / "batch-*.json"))):
        for topic in json.loads(Path(path).read_text(encoding="utf-8"))["topics"]:
            sentences = {
                a["id"]: [a["text"][s.start : s.end].strip() for s in split_sentences(a["text"])]
                for a in topic["articles"]
            }
            bearing = [
                (n, article, sentence)
                for n, q in enumerate(topic["questions"])
                if (answers := [normalize(x) for x in q.get("answers") or []])
                for article in q.get("articles", [])
                for sentence in sentences.get(article, [])
                if any(x in normalize(sentence) for x in answers)
            ]
            for (q1, a1, s1), (q2, a2, s2) in itertools.combinations(bearing, 2):
                if a1 != a2 and s1 != s2:
                    mined.setdefault((s1, s2), {"a": s1, "b": s2, "same": q1 == q2})
                    if q1 == q2:
                        mined[(s1, s2)]["same"] = True
    positives = {(p["b"], p["a"]) for p in mined.values() if p["same"]}
    return [p for p in mined.values() if p["same"] or (p["a"], p["b"]) not in positives]


def features(a: str, b: str, vectors: dict[str, np.ndarray]) -> list[float]:
    ta, tb = frozenset(content_terms(a)), frozenset(content_terms(b))
    cosine = float(vectors[a] @ vectors[b])
    overlap, jaccard = word_overlap(ta, tb)
    rare = {t: rarity(t) for t in ta | tb}
    weight_a, weight_b = sum(rare[t] for t in ta) or 1.0, sum(rare[t] for t in tb) or 1.0
    shared = sum(rare[t] for t in ta & tb)
    lacks_a = max((rare[t] for t in tb - ta), default=0.0)
    lacks_b = max((rare[t] for t in ta - tb), default=0.0)
    return [
        cosine,
        overlap,
        jaccard,
        shared / min(weight_a, weight_b),
        shared / max(weight_a, weight_b),
        lacks_a,
        lacks_b,
        max(lacks_a, lacks_b),
        min(lacks_a, lacks_b),
        float(len(ta & tb)),
        min(len(ta), len(tb)) / max(len(ta), len(tb), 1),
        float(disagreement(a, b) is not None),
        cosine + OVERLAP_WEIGHT * overlap,
    ]


def scores(predicted: np.ndarray, gold: np.ndarray) -> str:
    tp, fp, fn = int((predicted & gold).sum()), int((predicted & ~gold).sum()), int((~predicted & gold).sum())
    return f"precision {tp / max(tp + fp, 1):.3f} recall {tp / max(tp + fn, 1):.3f} ({tp} right, {fp} wrong merges)"


def main() -> int:
    mined, labelled = mine(), load_pairs()
    print(f"mined {len(mined)} pairs, {sum(p['same'] for p in mined)} of one claim", file=sys.stderr)
    texts = sorted({p[k] for p in mined + labelled for k in ("a", "b")})
    vectors = dict(zip(texts, MiniLMEmbedder().embed(texts)))
    xm = np.array([features(p["a"], p["b"], vectors) for p in mined])
    xl = np.array([features(p["a"], p["b"], vectors) for p in labelled])
    ym = np.array([bool(p["same"]) for p in mined])
    yl = np.array([bool(p["same"]) for p in labelled])
    calibration = np.array([p.get("split") == "calibration" for p in labelled])
    origin = np.array([p.get("origin") for p in labelled])
    days = np.array([bool(p.get("a_published") and p.get("b_published") and p["a_published"] != p["b_published"]) for p in labelled])
    allowed = (xl[:, GUARD] == 0) & ~days

    def report(name: str, merged: np.ndarray) -> None:
        parts = [f"calibration {scores(merged[calibration], yl[calibration])}"]
        for where in ("constructed", "sample-corpus"):
            held = ~calibration & (origin == where)
            parts.append(f"held-out {where} {scores(merged[held], yl[held])}")
        print(f"{name}: " + "; ".join(parts))

    report("shipped rule", np.array([same_claim(p["a"], p["b"], float(x[0])) for p, x in zip(labelled, xl)]) & ~days)
    for columns, cname in (([0, 1], "cosine+overlap"), (list(range(GUARD)), "all but the guard"), (list(range(13)), "all")):
        for trained_on, tx, ty in (("mined", xm, ym), ("mined+calibration", np.r_[xm, xl[calibration]], np.r_[ym, yl[calibration]])):
            for mname, model in (
                ("logistic", LogisticRegression(max_iter=2000)),
                ("trees", HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=7, min_samples_leaf=20, random_state=0)),
            ):
                s = model.fit(tx[:, columns], ty).predict_proba(xl[:, columns])[:, 1]
                setting = next(
                    (
                        t
                        for t in np.unique(s[calibration])
                        if (m := (s >= t) & allowed & calibration).any() and (m & yl).sum() / m.sum() >= TARGET_PRECISION
                    ),
                    None,
                )
                label = f"{mname}, {cname}, trained on {trained_on}"
                if setting is None:
                    print(f"{label}: no setting reaches precision {TARGET_PRECISION} on calibration")
                else:
                    report(f"{label} (>= {setting:.3f})", (s >= setting) & allowed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
