"""Whether one confidence map can be calibrated in small folders and in large indexes at once.

    python training/calibration_by_size.py [--model FILE ...]   # default: the shipped reader

For each reader file, on the retrievals train_reader.py uses (build_reader_data.py's SQuAD rows,
cached features, and its constructed news rows), the answers the reader gives are scored: the
calibration error (ECE, answered questions only, as `assistant eval` reports it) on the held-out
articles and stories of each index: "whole" (the SQuAD index, 1,048 paragraphs), "article" (each
SQuAD article's own index, 40-50 paragraphs), "news" (the 72 constructed stories' index) and
"news_topic" (each story's own three articles). Then the reader's Platt map is fitted again on
the training articles of some of those indexes, and the same errors are printed for each refit.
The setting moves with the map, so every reader answers and refuses exactly the same questions
as before: only what `confidence` says changes.

With `--with-size`, each refit is also fitted with the index's size beside the log-odds (the
IDF of a word no chunk has, log(1 + (N + 0.5) / 0.5) for N chunks, and its product with the
log-odds): a map that could bend with the index, as the scores do.

The shipped map was fitted on the whole SQuAD index alone; the news and per-article indexes
are far smaller. Trees trained on the whole index were never trained on news, so the news
training stories are clean calibration data for it; the SQuAD training articles are not
(the trees were trained on their questions), so a refit that includes them is optimistic there.
"""

from __future__ import annotations

import argparse
import functools
import json
import pickle
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_reader
from train_reader import FEATURE_CACHE, Instance, build_instances, ece, is_validation

from assistant.answer.reader import MODEL_PATH, model_from_dict
from assistant.config import Settings

CORPORA = ("whole", "article", "news", "news_topic")
REFITS = (
    ("news", "news_topic"),
    ("news_topic",),
    ("news", "news_topic", "article"),
    ("news", "news_topic", "whole"),
    ("news", "news_topic", "article", "whole"),
)


def _instances() -> list[Instance]:
    settings = Settings.load()
    news = functools.cache(lambda: train_reader.open_news_index(settings))
    topics: dict[int, object] = {}

    def vocabulary(corpus: str, article: int):  # type: ignore[no-untyped-def]
        if corpus == "news":
            return news()._vocabulary
        if article not in topics:
            topics[article] = train_reader.open_news_topic_index(settings, article)
        return topics[article]._vocabulary  # type: ignore[attr-defined]

    # train_reader.py pickled its instances as __main__.Instance
    sys.modules["__main__"].Instance = Instance  # type: ignore[attr-defined]
    with FEATURE_CACHE.open("rb") as handle:
        instances: list[Instance] = pickle.load(handle)  # our own file, written by train_reader.py
    return instances + build_instances(train_reader.NEWS_OUT, vocabulary, settings.top_k)


UNSEEN = "zzqxunseenword"  # no chunk has it: its IDF tells the index's size


def _index_sizes(instances: list[Instance]) -> np.ndarray:
    """Each instance's index size as the IDF of a word no chunk of it has."""
    settings = Settings.load()
    opener = {
        "whole": lambda _: train_reader.open_index(settings),
        "article": lambda a: train_reader.open_article_index(settings, a),
        "news": lambda _: train_reader.open_news_index(settings),
        "news_topic": lambda a: train_reader.open_news_topic_index(settings, a),
    }
    sizes: dict[tuple[str, int], float] = {}
    for i in instances:
        key = (i.corpus, i.article if i.corpus in ("article", "news_topic") else 0)
        if key not in sizes:
            sizes[key] = opener[i.corpus](key[1])._vocabulary.idf(UNSEEN)
    return np.array([sizes[(i.corpus, i.article if i.corpus in ("article", "news_topic") else 0)] for i in instances])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, action="append", help="a reader file (repeatable)")
    parser.add_argument("--with-size", action="store_true", help="also refit each map with the index's size")
    args = parser.parse_args(argv)
    if not FEATURE_CACHE.is_file():
        parser.error(f"{FEATURE_CACHE} is missing: run training/train_reader.py once first")
    instances = _instances()
    corpus = np.array([i.corpus for i in instances])
    held = np.array([is_validation(i.article) for i in instances])
    x, _, _, owner = train_reader._sentence_matrix(instances)
    size = _index_sizes(instances) if args.with_size else None
    figures = {}
    for path in args.model or [MODEL_PATH]:
        model = model_from_dict(json.loads(path.read_text(encoding="utf-8")))
        ax, right = train_reader._answers(instances, model.sentence_probabilities(x.tolist()), owner)
        raw = model.answer.raw(ax)
        answered = model.calibration_slope * raw + model.calibration_intercept >= np.log(
            model.abstain_below / (1 - model.abstain_below)
        )

        def errors(slope: float, intercept: float, raw=raw, right=right, answered=answered, confidence=None):  # type: ignore[no-untyped-def]
            if confidence is None:
                confidence = 1 / (1 + np.exp(-(slope * raw + intercept)))
            return {
                c: round(ece(confidence[m], right[m]), 3)
                for c in CORPORA
                if (m := held & answered & (corpus == c)).any()
            }

        rows = {"as shipped": errors(model.calibration_slope, model.calibration_intercept)}
        for fitted_on in REFITS:
            chosen = ~held & np.isin(corpus, fitted_on)
            platt = LogisticRegression(C=1e6).fit(raw[chosen].reshape(-1, 1), right[chosen])
            slope = float(platt.coef_[0, 0])
            rows["refit on " + "+".join(fitted_on)] = errors(slope, float(platt.intercept_[0]))
            if size is not None:
                bent = np.c_[raw, size, raw * size]
                sized = LogisticRegression(C=1e6, max_iter=1000).fit(bent[chosen], right[chosen])
                rows["refit with size on " + "+".join(fitted_on)] = errors(
                    0.0, 0.0, confidence=sized.predict_proba(bent)[:, 1]
                )
        figures[str(path)] = rows
        for name, row in rows.items():
            print(f"{path.name:28} {name:58} " + "  ".join(f"{c} {v:.3f}" for c, v in row.items()))
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
