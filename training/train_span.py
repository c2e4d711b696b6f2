"""Train the span model: which span of the answering sentence is the answer (assistant/answer/spans.py).

    python training/train_span.py [--out assistant/answer/models/span.json]

Data (both in the repository; nothing is retrieved, so it runs in about a minute):
- SQuAD v1.1 dev part 1 (CC BY-SA 4.0): every question whose kind can lead with a span (a name,
  a place, a date, a number, an amount, a duration, a thing named by "which X"), read against the
  sentence of its paragraph that holds its answer and the two other sentences of that paragraph
  that share most of its words (the near miss the reader sometimes ranks first);
- the constructed news (training/data/constructed_news): each answerable question against the
  sentences of its articles that hold an accepted answer, and two others of those articles.
A span is right when its words and an accepted answer's overlap with token F1 >= 0.5 (SQuAD's
measure: "French" for "the French side", "1859" for "1859 and 1865" count; "British" for
"J. F. D. Shrewsbury" does not).

Split as the reader's: SQuAD's VALIDATION_ARTICLES and every 4th news story are only measured.
The setting `lead_at` is the lowest probability at which the best span of the answering
sentence is right at least LEAD_PRECISION of the time, out of fold on the training articles.
The figures printed at the end (and kept in the model's "info") compare it, on the held-out
questions' answering sentences, with the rule it replaces (`candidates.best_candidate`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "training"))
from build_reader_data import news_topics  # noqa: E402
from train_reader import export_forest, is_validation  # noqa: E402

from assistant.answer.candidates import best_candidate, names_a_thing, question_kind  # noqa: E402
from assistant.answer.spans import FEATURES, MODEL_PATH, span_model_from_dict, span_rows, target_noun  # noqa: E402
from assistant.answer.synthesis import SHORT_ANSWER_KINDS  # noqa: E402
from assistant.evals import squad  # noqa: E402
from assistant.evals.text import normalize, short_answer_right  # noqa: E402
from assistant.ingest.sentences import split_sentences  # noqa: E402
from assistant.search.lexical import content_terms, question_terms  # noqa: E402

SQUAD_FILE = ROOT / "evals" / "data" / "squad-dev-v1.1-part1.json"
LEAD_PRECISION = 0.8
OTHER_SENTENCES = 2
FOLDS = 4
SEED = 20261202
TREE_PARAMS = {
    "max_iter": 200,
    "learning_rate": 0.08,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": SEED,
}


@dataclass(frozen=True)
class Reading:
    """One question read against one sentence."""

    group: int  # SQuAD article number, or the news story's number
    question: str
    kind: str
    stems: frozenset[str]
    sentence: str
    answers: tuple[str, ...]
    answering: bool  # the sentence holds an accepted answer


def leads(question: str) -> str | None:
    """The question's kind when its answer can lead with a span (as synthesis decides)."""
    kind = question_kind(question)
    if kind not in SHORT_ANSWER_KINDS or (kind == "thing" and not names_a_thing(question)):
        return None
    return kind


def _readings(group: int, question: str, answers: tuple[str, ...], sentences: list[str], gold: set[int]) -> Iterator[Reading]:
    kind = leads(question)
    if kind is None or not gold:
        return
    stems = frozenset(question_terms(question))
    shared = sorted(
        (i for i in range(len(sentences)) if i not in gold),
        key=lambda i: -len(stems & set(content_terms(sentences[i]))),
    )
    for i in [*sorted(gold), *shared[:OTHER_SENTENCES]]:
        yield Reading(group, question, kind, stems, sentences[i], answers, i in gold)


def squad_readings() -> Iterator[Reading]:
    data = json.loads(SQUAD_FILE.read_text(encoding="utf-8"))["data"]
    for number, article in enumerate(data):
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            spans = split_sentences(context)
            sentences = [context[s.start : s.end] for s in spans]
            for qa in paragraph["qas"]:
                answers = tuple(dict.fromkeys(a["text"] for a in qa["answers"]))
                starts = {a["answer_start"] for a in qa["answers"]}
                gold = {i for i, s in enumerate(spans) if any(s.start <= x < s.end for x in starts)}
                yield from _readings(number, qa["question"], answers, sentences, gold)


def news_readings() -> Iterator[Reading]:
    for number, topic in news_topics():
        texts = {a["id"]: a["text"] for a in topic["articles"]}
        for q in topic["questions"]:
            answers = tuple(q.get("answers") or ())
            if not answers:
                continue
            sentences = [
                texts[a][s.start : s.end] for a in q.get("articles", []) if a in texts for s in split_sentences(texts[a])
            ]
            wanted = [normalize(a) for a in answers]
            gold = {i for i, s in enumerate(sentences) if any(w in normalize(s) for w in wanted)}
            yield from _readings(number, q["question"], answers, sentences, gold)


def _matrix(readings: list[Reading]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[list[str]]]:
    """Span rows, labels, the reading each row is of, and each reading's span texts."""
    rows, labels, owner, texts = [], [], [], []
    for n, reading in enumerate(readings):
        spans, found = span_rows(reading.sentence, reading.kind, reading.stems, target_noun(reading.question))
        rows += found
        labels += [short_answer_right(s.text, reading.answers) for s in spans]
        owner += [n] * len(spans)
        texts.append([s.text for s in spans])
    return np.array(rows, dtype=np.float64).reshape(-1, len(FEATURES)), np.array(labels, dtype=int), np.array(owner), texts


def best_per_reading(p: np.ndarray, y: np.ndarray, owner: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Each reading's best span's probability and whether it is right (-1, False: no span)."""
    best_p, best_y = np.full(count, -1.0), np.zeros(count, dtype=bool)
    for n in range(count):
        mask = owner == n
        if mask.any():
            i = int(np.argmax(np.where(mask, p, -np.inf)))
            best_p[n], best_y[n] = p[i], bool(y[i])
    return best_p, best_y


def lead_figures(best_p: np.ndarray, best_y: np.ndarray, answering: np.ndarray, at: float) -> dict[str, float]:
    led = (best_p >= at) & answering
    return {
        "answering_sentences": float(answering.sum()),
        "led": float(led.sum() / max(answering.sum(), 1)),
        "lead_precision": float(best_y[led].mean()) if led.any() else 0.0,
        "best_span_right": float(best_y[answering & (best_p >= 0)].mean()),
        "led_in_other_sentences": float(((best_p >= at) & ~answering).sum() / max((~answering).sum(), 1)),
    }


def rule_figures(readings: list[Reading]) -> dict[str, float]:
    """The rule this replaces: the wanted kind's span nearest the question's words."""
    found = [best_candidate(r.sentence, r.kind, r.stems).candidate for r in readings if r.answering]
    answering = [r for r in readings if r.answering]
    given = [(c, r) for c, r in zip(found, answering) if c is not None]
    return {
        "led": len(given) / max(len(answering), 1),
        "lead_precision": sum(short_answer_right(c.text, r.answers) for c, r in given) / max(len(given), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    readings = [*squad_readings(), *news_readings()]
    train = [r for r in readings if not is_validation(r.group)]
    valid = [r for r in readings if is_validation(r.group)]
    x, y, owner, _ = _matrix(train)
    vx, vy, vowner, _ = _matrix(valid)
    groups = np.array([train[n].group for n in owner])
    print(f"{len(train)} training readings ({len(x)} spans), {len(valid)} held out; {time.perf_counter() - started:.0f} s", file=sys.stderr)

    oof = np.zeros(len(y))
    for fit, test in GroupKFold(n_splits=FOLDS).split(x, y, groups):
        model = HistGradientBoostingClassifier(**TREE_PARAMS).fit(x[fit], y[fit])
        oof[test] = model.predict_proba(x[test])[:, 1]
    model = HistGradientBoostingClassifier(**TREE_PARAMS).fit(x, y)
    answering = np.array([r.answering for r in train])
    best_p, best_y = best_per_reading(oof, y, owner, len(train))
    considered = answering & (best_p >= 0)
    order = np.argsort(-best_p[considered])
    precision = np.cumsum(best_y[considered][order]) / np.arange(1, order.size + 1)
    ok = np.nonzero(precision >= LEAD_PRECISION)[0]
    lead_at = float(best_p[considered][order][ok[-1]]) if ok.size else 1.0

    vp = model.predict_proba(vx)[:, 1]
    vanswering = np.array([r.answering for r in valid])
    vbest_p, vbest_y = best_per_reading(vp, vy, vowner, len(valid))
    squad_valid = np.array([r.group < 100 for r in valid])
    figures = {
        "training_out_of_fold": lead_figures(best_p, best_y, answering, lead_at),
        "validation_squad": lead_figures(vbest_p[squad_valid], vbest_y[squad_valid], vanswering[squad_valid], lead_at),
        "validation_news": lead_figures(vbest_p[~squad_valid], vbest_y[~squad_valid], vanswering[~squad_valid], lead_at),
        "rule_validation_squad": rule_figures([r for r in valid if r.group < 100]),
        "rule_validation_news": rule_figures([r for r in valid if r.group >= 100]),
    }
    data = {
        "format": "news-assistant span model 1: gradient-boosted trees (left when x <= threshold)",
        "spans": export_forest(model, FEATURES),
        "lead_at": lead_at,
        "info": {
            "trained_on": "SQuAD v1.1 dev part 1 (CC BY-SA 4.0), articles "
            + ", ".join(str(a) for a in range(24) if a not in squad.VALIDATION_ARTICLES)
            + "; the constructed news's training stories (training/data/constructed_news)",
            "lead_precision_wanted": LEAD_PRECISION,
            "tree_params": TREE_PARAMS,
            "figures": figures,
        },
    }
    exported = span_model_from_dict(data)
    assert np.allclose(exported.forest.probability(vx), vp, atol=1e-9), "export differs"
    text = json.dumps(data, separators=(",", ":"), sort_keys=True)
    args.out.write_text(text, encoding="utf-8")
    print(json.dumps(figures, indent=2))
    print(f"lead_at {lead_at:.4f}; {time.perf_counter() - started:.0f} s; {args.out}")
    print(f"sha256 {hashlib.sha256(text.encode('utf-8')).hexdigest()}  (MODEL_SHA256 in assistant/answer/spans.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
