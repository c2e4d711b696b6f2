"""Train the learned reader on SQuAD v1.1 dev part 1 and write assistant/answer/models/reader.json.

    python training/build_reader_data.py      # once: retrieval of every question, cached
    python training/train_reader.py [--data build/reader/retrieval.jsonl] [--corpora whole,news,news_topic] [--size-bound]
    python training/train_reader.py --measure assistant/answer/models/reader.json   # figures only

Every question is read twice: against the passages retrieved from the whole index, and against
the passages retrieved once its gold paragraph is gone (the near miss: same topic, no answer);
and both again from the index of its own article alone (`--corpora`, see build_reader_data.py).
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
import functools
import hashlib
import json
import pickle
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

from assistant.answer.evidence import EvidenceSentence, evidence_sentences, evidence_terms
from assistant.answer.features import (
    ANSWER_FEATURES,
    NOT_VERIFIED,
    SENTENCE_FEATURES,
    SIZE_BOUND_FEATURES,
    VERIFIER_FEATURES,
    QuestionView,
    SentenceRow,
    answer_row,
    question_date_terms,
    set_verified,
    unknown_share,
)
from assistant.answer.reader import MODEL_PATH, model_from_dict
from assistant.answer.synthesis import chosen_sentences, prior_score
from assistant.answer.verifier import to_verify
from assistant.config import Settings
from assistant.dates import mentioned_date
from assistant.evals import squad
from assistant.evals.text import normalize
from assistant.search.lexical import Vocabulary
from assistant.search.retrieval import Passage

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_reader_data import (
    DEFAULT_OUT,
    NEWS_ARTICLE_BASE,
    NEWS_OUT,
    held_out_topic,
    news_topics,
    open_article_index,
    open_index,
    open_news_index,
    open_news_topic_index,
)

VALIDATION_ARTICLES = squad.VALIDATION_ARTICLES  # 8 of the 24 articles, spread over the file
NEWS_WEIGHT = 1.0  # a constructed news question's weight in training, a SQuAD question's is 1


def is_validation(article: int) -> bool:
    """Held out: SQuAD's VALIDATION_ARTICLES and every 4th constructed news topic."""
    if article >= NEWS_ARTICLE_BASE:
        return held_out_topic(article)
    return article in VALIDATION_ARTICLES


FEATURE_CACHE = DEFAULT_OUT.parent / "instances.pickle"
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
    corpus: str  # the index asked: "whole" (every article), "article" (its own alone), "news", "news_topic"
    removed: bool  # the gold paragraph was taken out of the index, or the question has no answer
    sentences: list[EvidenceSentence]
    rows: list[SentenceRow]
    labels: np.ndarray  # per sentence: holds an accepted answer and is of the gold paragraph
    contains: np.ndarray  # per sentence: holds an accepted answer (any paragraph)
    view: QuestionView
    unknown: float


def _file(passage: dict[str, Any]) -> str:
    return Path(str(passage["metadata"]["path"])).name


def build_instances(data: Path, vocabularies: Callable[[str, int], Vocabulary], top_k: int) -> list[Instance]:
    """Every question of `data` read twice (as retrieved, and without its paragraph), with the
    vocabulary of the index that retrieved it; a question without answers (a constructed near
    miss) once, as retrieved, and as one to refuse."""
    instances = []
    with data.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            answers = [normalize(a) for a in row["answers"]]
            corpus = str(row.get("corpus", "whole"))
            vocabulary = vocabularies(corpus, int(row["article"]))
            view = QuestionView.of(row["question"], vocabulary)
            dates = question_date_terms(mentioned_date(row["question"]))
            everything = row["passages"]
            gold_files = set(row.get("gold_files", [row.get("gold_file")]))
            without_gold = [p for p in everything if _file(p) not in gold_files]
            readings = (
                [(False, everything[:top_k]), (True, without_gold[:top_k])]
                if answers
                else [(True, everything[:top_k])]
            )
            for removed, chosen in readings:
                passages = [Passage(**p) for p in chosen]
                sentences = evidence_sentences(passages)
                if not sentences:
                    continue
                rows = _rows(view, sentences, dates)
                contains = np.array([any(a in normalize(s.text) for a in answers) for s in sentences])
                gold = np.array([Path(str(s.passage.metadata["path"])).name in gold_files for s in sentences])
                evidence = evidence_terms(sentences, passages)
                instances.append(
                    Instance(
                        question_id=row["id"],
                        article=int(row["article"]),
                        corpus=corpus,
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


def _fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(**TREE_PARAMS).fit(x, y, sample_weight=weight)


def _out_of_fold(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, weight: np.ndarray, raw: bool = False
) -> np.ndarray:
    found = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=FOLDS).split(x, y, groups):
        model = _fit(x[train], y[train], weight[train])
        found[test] = model.decision_function(x[test]) if raw else model.predict_proba(x[test])[:, 1]
    return found


def _sentence_matrix(instances: list[Instance]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x = np.array([r.values for i in instances for r in i.rows], dtype=np.float64)
    y = np.concatenate([i.labels for i in instances]).astype(int)
    groups = np.concatenate([np.full(len(i.rows), i.article) for i in instances])
    owner = np.concatenate([np.full(len(i.rows), n) for n, i in enumerate(instances)])
    return x, y, groups, owner


def _answers(
    instances: list[Instance], probabilities: np.ndarray, owner: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """ANSWER_FEATURES rows, and whether the composed answer holds an accepted answer."""
    rows, right = [], []
    for n, instance in enumerate(instances):
        p = probabilities[owner == n]
        rows.append(answer_row(instance.view, instance.sentences, instance.rows, p, instance.unknown))
        right.append(any(instance.contains[i] for i in chosen_sentences(instance.sentences, p)))
    return np.array(rows, dtype=np.float64), np.array(right, dtype=int)


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
            roc_auc_score(
                np.r_[np.ones(held.sum()), np.zeros(missing.sum())],
                np.r_[confidence[held], confidence[missing]],
            )
        ),
        "ece_answered": ece(confidence[answered], right[answered]),
        "ece_all": ece(confidence, right),
    }


def by_corpus(
    name: str, instances: list[Instance], confidence: np.ndarray, right: np.ndarray, threshold: float
) -> dict[str, dict[str, float]]:
    """`measure` over all the instances, and over those of each index ("name_whole", ...)."""
    figures = {name: measure(instances, confidence, right, threshold)}
    corpora = sorted({i.corpus for i in instances})
    if len(corpora) > 1:
        for corpus in corpora:
            mask = np.array([i.corpus == corpus for i in instances])
            chosen = [i for i in instances if i.corpus == corpus]
            figures[f"{name}_{corpus}"] = measure(chosen, confidence[mask], right[mask], threshold)
    return figures


def _measure_model(path: Path, valid: list[Instance]) -> int:
    """Print a model file's figures on the validation instances (the shipped one, say, on
    retrievals it was not trained on)."""
    model = model_from_dict(json.loads(path.read_text(encoding="utf-8")))
    x, _, _, owner = _sentence_matrix(valid)
    probabilities = model.sentence_probabilities(x.tolist())
    ax, ay = _answers(valid, probabilities, owner)
    confidence = np.array([model.confidence(row) for row in ax.tolist()])
    print(json.dumps(by_corpus("validation", valid, confidence, ay, model.abstain_below), indent=2))
    return 0


def load_instances(data: Path, news: Path | None, reuse_features: bool) -> list[Instance]:
    """Every reading of the SQuAD questions (`data`; with `reuse_features`, the features of the
    last run, from FEATURE_CACHE) and of the constructed news (`news`, when given and built),
    each with the vocabulary of the index that retrieved it."""
    settings = Settings.load()
    whole = open_index(settings)
    articles: dict[int, Vocabulary] = {}
    news_index = functools.cache(lambda: open_news_index(settings))

    def vocabulary(corpus: str, article: int) -> Vocabulary:
        if corpus == "whole":
            return whole._vocabulary
        if corpus == "news":
            return news_index()._vocabulary
        if corpus == "news_topic":
            if article not in articles:
                articles[article] = open_news_topic_index(settings, article)._vocabulary
            return articles[article]
        if article not in articles:
            articles[article] = open_article_index(settings, article)._vocabulary
        return articles[article]

    if reuse_features:
        with FEATURE_CACHE.open("rb") as handle:
            instances: list[Instance] = pickle.load(handle)  # our own file, written below by an earlier run
    else:
        instances = build_instances(data, vocabulary, settings.top_k)
        with FEATURE_CACHE.open("wb") as handle:
            pickle.dump(instances, handle)
    if news is not None and news.is_file():  # a few hundred: never cached
        instances += build_instances(news, vocabulary, settings.top_k)
    for instance in instances:  # cached before a feature was added at the end: NOT_VERIFIED
        for row in instance.rows:
            row.values.extend([NOT_VERIFIED] * (len(SENTENCE_FEATURES) - len(row.values)))
    return instances


def read_verified(instances: list[Instance], logits_file: Path) -> tuple[list[Instance], str]:
    """The readings of the retrievals the verifier scored (train_verifier.CORPORA), with its
    log-odds (training/train_verifier.py --score) in the rows of the sentences it reads, each
    from the verifier that did not train on that reading."""
    from train_verifier import CORPORA, scorer_of

    instances = [i for i in instances if i.corpus in CORPORA]

    with logits_file.open("rb") as handle:
        scored = pickle.load(handle)  # our own file, written by train_verifier.py
    logits = scored["logits"]
    for instance in instances:
        scorer = scorer_of(instance.article)
        found = [NOT_VERIFIED] * len(instance.rows)
        for i in to_verify([prior_score(r) for r in instance.rows]):
            found[i] = logits[(scorer, instance.view.text, instance.sentences[i].text)]
        set_verified(instance.rows, found)
    return instances, str(scored["verifier_sha256"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--news", type=Path, default=NEWS_OUT, help="build_reader_data.py --news's rows ('none': without)"
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--reuse-features",
        action="store_true",
        help=f"read the SQuAD features of the last run from {FEATURE_CACHE} (only while features.py is unchanged)",
    )
    parser.add_argument(
        "--corpora",
        default="whole,news,news_topic",
        help="the retrievals to train on: whole (the SQuAD index), article (each article's own index), "
        "news (the constructed news), news_topic (each constructed topic's own index)",
    )
    parser.add_argument(
        "--size-bound",
        action="store_true",
        help="also train on the answer features that move with the index's size "
        "(features.SIZE_BOUND_FEATURES; the shipped reader.json reads them)",
    )
    parser.add_argument(
        "--news-weight",
        type=float,
        default=NEWS_WEIGHT,
        help="the weight of a constructed news question against a SQuAD one (default %(default)s)",
    )
    parser.add_argument(
        "--setting-on",
        default="",
        help="the retrievals whose answerable questions choose the abstention setting (default: "
        "every one trained on); e.g. news,news_topic: the setting of the news a user indexes",
    )
    parser.add_argument(
        "--verifier",
        type=Path,
        metavar="LOGITS",
        help="also train on the answer verifier's log-odds (features.VERIFIER_FEATURES), read from the "
        "file `training/train_verifier.py --score` writes",
    )
    parser.add_argument(
        "--measure",
        type=Path,
        metavar="MODEL",
        help="train nothing: measure this model file on the validation articles, per corpus",
    )
    args = parser.parse_args(argv)
    corpora = {c.strip() for c in args.corpora.split(",") if c.strip()}
    if not corpora <= {"whole", "article", "news", "news_topic"}:
        parser.error(f"--corpora takes whole, article, news and/or news_topic, not {args.corpora!r}")
    started = time.perf_counter()
    if str(args.news) != "none" and corpora & {"news", "news_topic"} and not args.news.is_file():
        parser.error(f"{args.news} is missing: run training/build_reader_data.py --news")
    instances = load_instances(args.data, None if str(args.news) == "none" else args.news, args.reuse_features)
    verifier_sha256 = ""
    if args.verifier is not None:
        instances, verifier_sha256 = read_verified(instances, args.verifier)
    built = time.perf_counter()
    print(f"{len(instances)} instances, features in {built - started:.0f} s", file=sys.stderr)
    valid = [i for i in instances if is_validation(i.article)]
    if args.measure is not None:
        return _measure_model(args.measure, valid)
    train = [i for i in instances if not is_validation(i.article) and i.corpus in corpora]

    verified = args.verifier is not None
    answer_features = tuple(
        f
        for f in ANSWER_FEATURES
        if (args.size_bound or f not in SIZE_BOUND_FEATURES) and (verified or f not in VERIFIER_FEATURES)
    )
    a_cols = [ANSWER_FEATURES.index(f) for f in answer_features]
    sentence_features = tuple(f for f in SENTENCE_FEATURES if verified or f not in VERIFIER_FEATURES)
    s_cols = [SENTENCE_FEATURES.index(f) for f in sentence_features]
    x, y, groups, owner = _sentence_matrix(train)
    x = x[:, s_cols]
    weight = np.array([args.news_weight if i.corpus.startswith("news") else 1.0 for i in train])
    oof = _out_of_fold(x, y, groups, weight[owner])
    sentence_model = _fit(x, y, weight[owner])
    ax, ay = _answers(train, oof, owner)
    ax = ax[:, a_cols]
    answer_groups = np.array([i.article for i in train])
    answer_oof = _out_of_fold(ax, ay, answer_groups, weight, raw=True)
    answer_model = _fit(ax, ay, weight)
    platt = LogisticRegression(C=1e6).fit(answer_oof.reshape(-1, 1), ay, sample_weight=weight)
    slope, intercept = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    calibrated_oof = _sigmoid(slope * answer_oof + intercept)
    setting_on = {c.strip() for c in args.setting_on.split(",") if c.strip()} or corpora
    if not setting_on <= corpora:
        parser.error(f"--setting-on {args.setting_on!r}: not among the corpora trained on ({args.corpora})")
    held = np.array([not i.removed and bool(i.labels.any()) for i in train])
    for corpus in sorted(corpora):  # where each retrieval alone would put the setting
        mine = held & np.array([i.corpus == corpus for i in train])
        if mine.any():
            quantile = np.quantile(calibrated_oof[mine], MAX_FALSE_ABSTENTION, method="lower")
            print(f"setting from {corpus} alone: {quantile:.4f} ({int(mine.sum())} questions)", file=sys.stderr)
    held_train = held & np.array([i.corpus in setting_on for i in train])
    threshold = float(np.quantile(calibrated_oof[held_train], MAX_FALSE_ABSTENTION, method="lower"))
    trained = time.perf_counter()

    vx, _, _, vowner = _sentence_matrix(valid)
    vp = sentence_model.predict_proba(vx[:, s_cols])[:, 1]
    vax, vay = _answers(valid, vp, vowner)
    vconf = _sigmoid(slope * answer_model.decision_function(vax[:, a_cols]) + intercept)
    figures = {
        **by_corpus("validation", valid, vconf, vay, threshold),
        **by_corpus("training_out_of_fold", train, calibrated_oof, ay, threshold),
    }
    data = {
        "format": "news-assistant reader 1: gradient-boosted trees (left when x <= threshold), Platt scaling",
        "sentence": export_forest(sentence_model, sentence_features),
        "answer": export_forest(answer_model, answer_features),
        "calibration": {"slope": slope, "intercept": intercept},
        "abstain_below": threshold,
        "info": {
            "trained_on": "SQuAD v1.1 dev part 1 (CC BY-SA 4.0), articles "
            + ", ".join(str(a) for a in sorted(set(range(24)) - VALIDATION_ARTICLES))
            + (
                f"; {len([a for a, _ in news_topics() if not is_validation(a)])} constructed news topics "
                "(training/data/constructed_news)"
                if "news" in corpora
                else ""
            )
            + "; retrieval from "
            + " and ".join(sorted(corpora)),
            "validated_on": "articles "
            + ", ".join(str(a) for a in sorted(VALIDATION_ARTICLES))
            + (
                f"; constructed news topics {', '.join(str(a) for a, _ in news_topics() if is_validation(a))}"
                if "news" in corpora
                else ""
            ),
            "tree_params": TREE_PARAMS,
            "news_weight": args.news_weight,
            "setting_on": sorted(setting_on),
            **({"verifier_sha256": verifier_sha256} if verified else {}),
            "seconds": {"features": round(built - started), "training": round(trained - built)},
            "figures": figures,
        },
    }
    exported = model_from_dict(data)
    assert np.allclose(exported.sentence_probabilities(vx.tolist()), vp, atol=1e-9), "sentence export differs"
    assert np.allclose(exported.answer.raw(vax), answer_model.decision_function(vax[:, a_cols]), atol=1e-9), (
        "answer export differs"
    )
    assert abs(exported.confidence(vax[0].tolist()) - vconf[0]) < 1e-9, "calibration export differs"
    text = json.dumps(data, separators=(",", ":"), sort_keys=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(json.dumps(figures, indent=2))
    print(f"threshold {threshold:.4f}; trained in {trained - built:.0f} s; {args.out}")
    print(
        f"sha256 {hashlib.sha256(text.encode('utf-8')).hexdigest()}  (MODEL_SHA256 in assistant/answer/reader.py)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
