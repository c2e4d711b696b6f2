"""Train the learned reader on SQuAD v1.1 dev part 1 and write assistant/answer/models/reader.json.

    python training/build_reader_data.py      # once: retrieval of every question, cached
    python training/train_reader.py [--data build/reader/retrieval.jsonl]

Every question is read twice: against the passages retrieved from the whole index, and against
the passages retrieved once its gold paragraph is gone (the near miss: same topic, no answer).
Articles are split, never questions: VALIDATION_ARTICLES are only measured, never trained or
calibrated on. On the training articles:

1. the sentence model (P: this sentence holds an accepted answer and is of the gold paragraph)
   is fitted in 4 folds by article, so every training sentence gets a score from a model that
   never saw its article, then once on all of them (the shipped one);
2. the answer model (P: the answer composed from the best sentences contains an accepted
   answer) is fitted on those out-of-fold scores, again in 4 folds by article and then once;
3. its out-of-fold log-odds calibrate it (Platt scaling: a logistic fit), and the abstention
   setting is the highest confidence that still answers 96 % of the questions asked against
   the whole index whose passages hold the answer (false abstention <= 5 % with a margin; a
   question whose passages lack the answer is better refused, whatever the dataset calls it).

The validation articles then give the figures printed at the end and stored in the model's
"info". scikit-learn is needed here only; the assistant evaluates the exported trees with numpy.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

from assistant.answer.cross_encoder import CROSS_DELTA_PATH, CrossEncoder, file_sha256
from assistant.answer.evidence import EvidenceSentence, evidence_sentences
from assistant.answer.features import (
    ANSWER_FEATURES,
    CROSS_FEATURES,
    NOT_READ,
    RANKED_FEATURES,
    SENTENCE_FEATURES,
    QuestionView,
    SentenceRow,
    answer_row,
    cross_columns,
    preselect,
    question_date_terms,
    unknown_share,
)
from assistant.answer.reader import MODEL_PATH, model_from_dict
from assistant.answer.synthesis import chosen_sentences
from assistant.config import Settings
from assistant.dates import mentioned_date
from assistant.evals import squad
from assistant.evals.text import normalize
from assistant.search.lexical import Vocabulary
from assistant.search.retrieval import Passage

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_reader_data import DEFAULT_OUT, open_index

VALIDATION_ARTICLES = squad.VALIDATION_ARTICLES  # 8 of the 24 articles, spread over the file
FEATURE_CACHE = DEFAULT_OUT.parent / "instances.pickle"
FIRST_CACHE = DEFAULT_OUT.parent / "first.pickle"  # the first sentence model, while the features stand
CROSS_WORK = DEFAULT_OUT.parent / "cross"  # the two halves' cross-encoders (train_cross_encoder.py)
FOLDS = 4
MAX_FALSE_ABSTENTION = 0.04
SEED = 20261201
TREE_PARAMS: dict[str, Any] = {
    "max_iter": 150,
    "learning_rate": 0.08,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 40,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": SEED,
}


@dataclass
class Instance:
    """One question against one set of passages."""

    question_id: str
    article: int
    removed: bool  # the gold paragraph was taken out of the index
    sentences: list[EvidenceSentence]
    rows: list[SentenceRow]
    labels: np.ndarray  # per sentence: holds an accepted answer and is of the gold paragraph
    contains: np.ndarray  # per sentence: holds an accepted answer (any paragraph)
    view: QuestionView
    unknown: float


def _file(passage: dict[str, Any]) -> str:
    return Path(str(passage["metadata"]["path"])).name


def build_instances(data: Path, vocabulary: Vocabulary, top_k: int) -> list[Instance]:
    instances = []
    with data.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            answers = [normalize(a) for a in row["answers"]]
            view = QuestionView.of(row["question"], vocabulary)
            dates = question_date_terms(mentioned_date(row["question"]))
            everything = row["passages"]
            without_gold = [p for p in everything if _file(p) != row["gold_file"]]
            for removed, chosen in ((False, everything[:top_k]), (True, without_gold[:top_k])):
                passages = [Passage(**p) for p in chosen]
                sentences = evidence_sentences(passages)
                if not sentences:
                    continue
                rows = _rows(view, sentences, dates)
                contains = np.array([any(a in normalize(s.text) for a in answers) for s in sentences])
                gold = np.array([Path(str(s.passage.metadata["path"])).name == row["gold_file"] for s in sentences])
                evidence = frozenset().union(*(s.terms for s in sentences))
                instances.append(
                    Instance(
                        question_id=row["id"],
                        article=int(row["article"]),
                        removed=removed,
                        sentences=sentences,
                        rows=rows,
                        labels=contains & gold,
                        contains=contains,
                        view=view,
                        unknown=unknown_share(view.weights, vocabulary, dates, evidence),
                    )
                )
    return instances


def _rows(view: QuestionView, sentences: list[EvidenceSentence], dates: frozenset[str]) -> list[SentenceRow]:
    from assistant.answer.features import sentence_rows

    return sentence_rows(view, sentences, dates)


def _fit(x: np.ndarray, y: np.ndarray) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(**TREE_PARAMS).fit(x, y)


def _out_of_fold(x: np.ndarray, y: np.ndarray, groups: np.ndarray, raw: bool = False) -> np.ndarray:
    found = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=FOLDS).split(x, y, groups):
        model = _fit(x[train], y[train])
        found[test] = model.decision_function(x[test]) if raw else model.predict_proba(x[test])[:, 1]
    return found


def load_instances(data: Path, vocabulary: Vocabulary, top_k: int, reuse: bool) -> list[Instance]:
    """Every question twice with its features; cached in FEATURE_CACHE (reuse: read it back)."""
    if reuse:
        with FEATURE_CACHE.open("rb") as handle:
            found: list[Instance] = pickle.load(handle)  # our own file, written below by an earlier run
        return found
    instances = build_instances(data, vocabulary, top_k)
    with FEATURE_CACHE.open("wb") as handle:
        pickle.dump(instances, handle)
    return instances


def split(instances: list[Instance]) -> tuple[list[Instance], list[Instance]]:
    """The training articles' instances and the validation articles'."""
    train = [i for i in instances if i.article not in VALIDATION_ARTICLES]
    valid = [i for i in instances if i.article in VALIDATION_ARTICLES]
    return train, valid


def preselection_scores(
    train: list[Instance], valid: list[Instance]
) -> tuple[HistGradientBoostingClassifier, np.ndarray, np.ndarray]:
    """The first sentence model (SENTENCE_FEATURES only), which picks the sentences the
    cross-encoder reads: fitted on all training sentences; its out-of-fold scores of the
    training sentences and its scores of the validation sentences, in _sentence_matrix order."""
    if FIRST_CACHE.is_file() and FIRST_CACHE.stat().st_mtime > FEATURE_CACHE.stat().st_mtime:
        with FIRST_CACHE.open("rb") as handle:
            cached: tuple[HistGradientBoostingClassifier, np.ndarray, np.ndarray] = pickle.load(handle)
        return cached
    x, y, groups, _ = _sentence_matrix(train)
    oof = _out_of_fold(x, y, groups)
    model = _fit(x, y)
    vx = _sentence_matrix(valid)[0]
    found = (model, oof, model.predict_proba(vx)[:, 1])
    with FIRST_CACHE.open("wb") as handle:
        pickle.dump(found, handle)
    return found


def preselected(probabilities: np.ndarray, owner: np.ndarray, instances: int) -> list[np.ndarray]:
    """Per instance, the indices of its sentences the cross-encoder reads (reader.preselect)."""
    return [preselect(probabilities[owner == n]) for n in range(instances)]


def _sentence_matrix(instances: list[Instance]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x = np.array([r.values for i in instances for r in i.rows], dtype=np.float64)
    y = np.concatenate([i.labels for i in instances]).astype(int)
    groups = np.concatenate([np.full(len(i.rows), i.article) for i in instances])
    owner = np.concatenate([np.full(len(i.rows), n) for n, i in enumerate(instances)])
    return x, y, groups, owner


def _answers(
    instances: list[Instance], probabilities: np.ndarray, owner: np.ndarray, cross: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """ANSWER_FEATURES rows, and whether the composed answer holds an accepted answer."""
    rows, right = [], []
    bounds = np.searchsorted(owner, np.arange(len(instances) + 1))
    for n, instance in enumerate(instances):
        p, c = probabilities[bounds[n] : bounds[n + 1]], cross[bounds[n] : bounds[n + 1]]
        rows.append(answer_row(instance.view, instance.sentences, instance.rows, p, instance.unknown, c))
        right.append(any(instance.contains[i] for i in chosen_sentences(instance.sentences, p)))
    return np.array(rows, dtype=np.float64), np.array(right, dtype=int)


def halves(train: list[Instance]) -> tuple[set[int], set[int]]:
    """The training articles in two halves, alternating through the file: the cross-encoder
    trained on one half scores the other's questions (train_cross_encoder.py)."""
    articles = sorted({i.article for i in train})
    return set(articles[0::2]), set(articles[1::2])


def cross_scorer() -> tuple[CrossEncoder, str]:
    """The cross-encoder train_cross_encoder.py trained (on the first half of the training
    articles), built as `assistant setup` builds it; with its delta's sha256."""
    sha = file_sha256(CROSS_DELTA_PATH)
    return CrossEncoder(CROSS_WORK / "a", delta_sha256=sha), sha


def cross_matrix(
    instances: list[Instance], first: np.ndarray, owner: np.ndarray, scorer: CrossEncoder
) -> np.ndarray:
    """CROSS_FEATURES of every sentence, in _sentence_matrix order: the cross-encoder reads the
    sentences the first model's scores pick, as when answering."""
    bounds = np.searchsorted(owner, np.arange(len(instances) + 1))
    blocks = []
    memo: dict[tuple[str, str], float] = {}
    for n, instance in enumerate(instances):
        p = first[bounds[n] : bounds[n + 1]]
        read = preselect(p)
        texts = [instance.sentences[i].text for i in read]
        missing = [t for t in dict.fromkeys(texts) if (instance.view.text, t) not in memo]
        if missing:
            for text, logit in zip(missing, scorer.scores(instance.view.text, missing), strict=True):
                memo[(instance.view.text, text)] = float(logit)
        logits = np.array([memo[(instance.view.text, t)] for t in texts])
        blocks.append(cross_columns(p, read, logits))
    return np.vstack(blocks)


def export_forest(model: HistGradientBoostingClassifier, features: tuple[str, ...]) -> dict[str, Any]:
    trees = []
    depth = 0
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        depth = max(depth, int(nodes["depth"].max()) + 1)
        trees.append(
            {
                "feature": [int(v) for v in nodes["feature_idx"]],
                "threshold": [float(v) for v in nodes["num_threshold"]],
                "left": [int(v) for v in nodes["left"]],
                "right": [int(v) for v in nodes["right"]],
                "leaf": [bool(v) for v in nodes["is_leaf"]],
                "value": [float(v) for v in nodes["value"]],
            }
        )
    baseline = float(np.ravel(model._baseline_prediction)[0])
    return {"features": list(features), "baseline": baseline, "depth": depth, "trees": trees}


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def ece(confidence: np.ndarray, right: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over equal-width bins."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.mean() * abs(confidence[mask].mean() - right[mask].mean())
    return float(total)


def measure(
    instances: list[Instance], confidence: np.ndarray, right: np.ndarray, threshold: float
) -> dict[str, float]:
    removed = np.array([i.removed for i in instances])
    holds = np.array([bool(i.labels.any()) for i in instances])
    answered = confidence >= threshold
    full = ~removed
    contains = np.array([bool(i.contains.any()) for i in instances])
    held, missing = full & holds, removed & ~contains
    return {
        "questions": float(full.sum()),
        "answer_contains_all": float(np.mean(right[full] & answered[full])),
        "reader_accuracy_when_held": float(np.mean(right[full & holds])),
        "abstention_auroc": float(roc_auc_score(full.astype(int), confidence)),
        "abstention_recall": float(np.mean(~answered[removed])),
        "false_abstention": float(np.mean(~answered[full])),
        "false_abstention_when_held": float(np.mean(~answered[held])),
        "abstention_auroc_when_held": float(
            roc_auc_score(np.r_[np.ones(held.sum()), np.zeros(missing.sum())], np.r_[confidence[held], confidence[missing]])
        ),
        "ece_answered": ece(confidence[answered], right[answered]),
        "ece_all": ece(confidence, right),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--reuse-features",
        action="store_true",
        help=f"read the features of the last run from {FEATURE_CACHE} (only while features.py is unchanged)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    settings = Settings.load()
    instances = load_instances(args.data, open_index(settings)._vocabulary, settings.top_k, args.reuse_features)
    built = time.perf_counter()
    print(f"{len(instances)} instances, features in {built - started:.0f} s", file=sys.stderr, flush=True)
    everything, valid = split(instances)
    first_model, first_everything, first_valid = preselection_scores(everything, valid)
    # The models after the cross-encoder learn from the half of the training articles it never read.
    later = halves(everything)[1]
    train = [i for i in everything if i.article in later]
    first_oof = first_everything[np.isin(_sentence_matrix(everything)[2], sorted(later))]
    x, y, groups, owner = _sentence_matrix(train)
    vx, _, _, vowner = _sentence_matrix(valid)
    shipped, shipped_sha = cross_scorer()
    cross = cross_matrix(train, first_oof, owner, shipped)
    vcross = cross_matrix(valid, first_valid, vowner, shipped)
    read = time.perf_counter()
    print(f"first model and cross-encoder scores in {read - built:.0f} s", file=sys.stderr, flush=True)

    ranked = np.hstack([x, cross])
    oof = _out_of_fold(ranked, y, groups)
    sentence_model = _fit(ranked, y)
    ax, ay = _answers(train, oof, owner, cross)
    answer_groups = np.array([i.article for i in train])
    answer_oof = _out_of_fold(ax, ay, answer_groups, raw=True)
    answer_model = _fit(ax, ay)
    platt = LogisticRegression(C=1e6).fit(answer_oof.reshape(-1, 1), ay)
    slope, intercept = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    calibrated_oof = _sigmoid(slope * answer_oof + intercept)
    held_train = np.array([not i.removed and bool(i.labels.any()) for i in train])
    threshold = float(np.quantile(calibrated_oof[held_train], MAX_FALSE_ABSTENTION, method="lower"))
    trained = time.perf_counter()

    vp = sentence_model.predict_proba(np.hstack([vx, vcross]))[:, 1]
    vax, vay = _answers(valid, vp, vowner, vcross)
    vconf = _sigmoid(slope * answer_model.decision_function(vax) + intercept)
    figures = {
        "validation": measure(valid, vconf, vay, threshold),
        "training_out_of_fold": measure(train, calibrated_oof, ay, threshold),
        "validation_without_cross_encoder": _without_cross(train, valid, first_oof, first_valid, owner, vowner),
    }
    data = {
        "format": "news-assistant reader 2: gradient-boosted trees (left when x <= threshold), Platt scaling",
        "first": export_forest(first_model, SENTENCE_FEATURES),
        "sentence": export_forest(sentence_model, RANKED_FEATURES),
        "answer": export_forest(answer_model, ANSWER_FEATURES),
        "calibration": {"slope": slope, "intercept": intercept},
        "abstain_below": threshold,
        "info": {
            "trained_on": "SQuAD v1.1 dev part 1 (CC BY-SA 4.0): the first sentence model on articles "
            + ", ".join(str(a) for a in sorted(set(range(24)) - VALIDATION_ARTICLES))
            + "; the cross-encoder on articles "
            + ", ".join(str(a) for a in sorted(halves(everything)[0]))
            + "; the second sentence model, the answer model, its calibration and the abstention "
            "setting on articles " + ", ".join(str(a) for a in sorted(later)),
            "validated_on": "articles " + ", ".join(str(a) for a in sorted(VALIDATION_ARTICLES)),
            "cross_encoder_sha256": shipped_sha,
            "tree_params": TREE_PARAMS,
            "seconds": {
                "features": round(built - started),
                "cross_encoder_scores": round(read - built),
                "training": round(trained - read),
            },
            "figures": figures,
        },
    }
    exported = model_from_dict(data)
    assert np.allclose(exported.first_probabilities(vx.tolist()), first_valid, atol=1e-9), "first export differs"
    assert np.allclose(exported.sentence_probabilities(vx.tolist(), vcross), vp, atol=1e-9), "sentence export differs"
    assert np.allclose(exported.answer.raw(vax), answer_model.decision_function(vax), atol=1e-9), (
        "answer export differs"
    )
    assert abs(exported.confidence(vax[0].tolist()) - vconf[0]) < 1e-9, "calibration export differs"
    text = json.dumps(data, separators=(",", ":"), sort_keys=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(json.dumps(figures, indent=2))
    print(f"threshold {threshold:.4f}; trained in {trained - read:.0f} s; {args.out}")
    print(f"sha256 {hashlib.sha256(text.encode('utf-8')).hexdigest()}  (MODEL_SHA256 in assistant/answer/reader.py)")
    return 0


def _without_cross(
    train: list[Instance],
    valid: list[Instance],
    first_oof: np.ndarray,
    first_valid: np.ndarray,
    owner: np.ndarray,
    vowner: np.ndarray,
) -> dict[str, float]:
    """The validation figures of the same method without the cross-encoder (its columns held at
    NOT_READ): what the cross-encoder buys."""
    blank = np.zeros((len(first_oof), len(CROSS_FEATURES)))
    vblank = np.zeros((len(first_valid), len(CROSS_FEATURES)))
    blank[:, 0], vblank[:, 0] = NOT_READ, NOT_READ
    ax, ay = _answers(train, first_oof, owner, blank)
    groups = np.array([i.article for i in train])
    answer_oof = _out_of_fold(ax, ay, groups, raw=True)
    model = _fit(ax, ay)
    platt = LogisticRegression(C=1e6).fit(answer_oof.reshape(-1, 1), ay)
    slope, intercept = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    held = np.array([not i.removed and bool(i.labels.any()) for i in train])
    threshold = float(np.quantile(_sigmoid(slope * answer_oof + intercept)[held], MAX_FALSE_ABSTENTION, method="lower"))
    vax, vay = _answers(valid, first_valid, vowner, vblank)
    return measure(valid, _sigmoid(slope * model.decision_function(vax) + intercept), vay, threshold)


if __name__ == "__main__":
    sys.exit(main())
