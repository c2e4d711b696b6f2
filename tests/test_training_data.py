"""The constructed news the reader is trained on (training/data/constructed_news): every accepted
answer is copied from an article it names, near misses have none, and nothing of the sample news
(the validation set, never trained on) is in it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO

NEWS = REPO / "training" / "data" / "constructed_news"
BATCHES = sorted(NEWS.glob("*.json"))
# The sample corpus's story: training on it would make the sample-news figures meaningless.
VALIDATION_NAMES = ("Putin", "Macron", "Kremlin", "Elysee", "Élysée", "NATO")


def test_there_is_constructed_news() -> None:
    assert len(BATCHES) >= 1


@pytest.mark.parametrize("path", BATCHES, ids=[p.stem for p in BATCHES])
def test_answers_are_copied_from_the_articles_they_name(path: Path) -> None:
    topics = json.loads(path.read_text(encoding="utf-8"))["topics"]
    for topic in topics:
        articles = {a["id"]: a for a in topic["articles"]}
        assert len(articles) == len(topic["articles"]) >= 2, topic["topic"]
        for article in articles.values():
            assert {"outlet", "date", "title", "text"} <= article.keys(), article["id"]
            for name in VALIDATION_NAMES:
                assert name not in article["text"], (article["id"], name)
        for question in topic["questions"]:
            if question["kind"] == "answerable":
                assert question["answers"] and question["articles"], question["question"]
                for answer in question["answers"]:
                    assert any(answer in articles[i]["text"] for i in question["articles"]), (
                        question["question"],
                        answer,
                    )
            else:
                assert question["kind"] == "near-miss", question
                assert question["answers"] == [] and question["articles"] == [], question["question"]


def test_article_ids_are_unique_across_batches() -> None:
    ids = [
        a["id"]
        for p in BATCHES
        for t in json.loads(p.read_text(encoding="utf-8"))["topics"]
        for a in t["articles"]
    ]
    assert len(ids) == len(set(ids))


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "evals" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_eval_dataset_of_held_out_stories_is_current() -> None:
    """evals/datasets/constructed_news.jsonl and its articles are what evals/build_constructed_news.py
    writes from the stories train_reader.py holds out (rerun it after changing the data)."""
    builder = _script("build_constructed_news")
    files, rows = builder.rows()
    assert builder.DATASET.read_text(encoding="utf-8") == builder.dataset_text(rows)
    assert {p.name: p.read_text(encoding="utf-8") for p in builder.CORPUS.glob("*.txt")} == files
    held_out = {row["id"].split("-")[1] for row in rows[1:]}  # "cn-103-0": story 103
    stories = [t for p in BATCHES for t in json.loads(p.read_text(encoding="utf-8"))["topics"]]
    assert 0 < len(held_out) < len(stories)
    assert len(files) == 3 * len(held_out)  # three outlets a story


def test_the_development_sets_share_nothing_with_the_held_out_ones(tmp_path: Path) -> None:
    """`--development` writes the stories and SQuAD articles the reader is trained on, asked as the
    held-out eval sets ask theirs: a change is tried there before it is measured on the others."""
    from assistant.evals import dataset, squad

    news = _script("build_constructed_news")
    assert news.main(["--development", str(tmp_path)]) == 0
    stories = {q.id.split("-")[1] for q in dataset.load_questions(tmp_path / "dev.jsonl")}
    held_out = {row["id"].split("-")[1] for row in news.rows()[1][1:]}
    assert stories and held_out and not stories & held_out
    assert dataset.declared_corpus(tmp_path / "dev.jsonl") == tmp_path / "dev"
    assert not {p.name for p in (tmp_path / "dev").glob("*.txt")} & set(news.rows()[0])

    corpus, development = tmp_path / "squad_corpus", tmp_path / "squad_dev.jsonl"
    assert _script("build_squad").main(["--corpus-out", str(corpus), "--development", str(development)]) == 0
    questions = dataset.load_questions(development)
    assert dataset.declared_corpus(development) == corpus.resolve()
    answerable = [q for q in questions if q.answerable]
    assert len(questions) == 2 * len(answerable) > 0
    articles = {int(source[:2]) for q in answerable for source in q.gold_sources}  # "02_013.txt"
    assert articles and not articles & squad.VALIDATION_ARTICLES
