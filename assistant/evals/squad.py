"""The SQuAD eval set: every paragraph of the dev-set part as one article, and a question sample.

The corpus folder is a build product (not committed); `ensure_corpus` rebuilds it
whenever its manifest does not match the source file. The question sample is
committed, so it only changes when someone runs `evals/build_squad.py` again.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.shipped import build_dir, shipped

DEFAULT_SOURCE = shipped("evals/data/squad-dev-v1.1-part1.json")  # see evals/data/README.md
DEFAULT_CORPUS = build_dir() / "squad_corpus"
DEFAULT_SAMPLE = shipped("evals/datasets/squad_sample.jsonl")
DEFAULT_VALIDATION = shipped("evals/datasets/squad_validation.jsonl")
SAMPLE_SIZE = 250
VALIDATION_SIZE = 200
# The learned reader (training/train_reader.py) never trains or calibrates on these articles.
VALIDATION_ARTICLES = frozenset(range(2, 24, 3))
SEED = 20240611
# Hidden, so neither `assistant ingest` nor SimpleDirectoryReader reads it as an article.
MANIFEST = ".squad_corpus.json"


@dataclass(frozen=True)
class Paragraph:
    article_index: int
    paragraph_index: int
    title: str
    context: str
    questions: tuple[dict[str, Any], ...]

    @property
    def file_name(self) -> str:
        return f"{self.article_index:02d}_{self.paragraph_index:03d}.txt"

    @property
    def text(self) -> str:
        return f"{self.title}\n\n{self.context}\n"


def _read_source(source: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"the SQuAD file {source} does not exist; pass its path with --source "
            "(the repository ships it in evals/data/)"
        ) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"the SQuAD file {source} is not valid JSON: {exc}") from None
    articles = data.get("data") if isinstance(data, dict) else None
    if not isinstance(articles, list):
        raise ConfigError(f"the SQuAD file {source} has no 'data' list of articles")
    return articles


def paragraphs(source: Path = DEFAULT_SOURCE) -> Iterator[Paragraph]:
    for a, article in enumerate(_read_source(source)):
        title = str(article["title"]).replace("_", " ")
        for p, paragraph in enumerate(article["paragraphs"]):
            yield Paragraph(a, p, title, paragraph["context"], tuple(paragraph["qas"]))


def _fingerprint(source: Path) -> str:
    return hashlib.sha256(source.read_bytes()).hexdigest()[:16]


def write_corpus(source: Path = DEFAULT_SOURCE, corpus_dir: Path = DEFAULT_CORPUS) -> int:
    """Write one .txt file per paragraph (title line, blank line, paragraph); returns the count."""
    found = list(paragraphs(source))
    if corpus_dir.exists():
        shutil.rmtree(corpus_dir)
    corpus_dir.mkdir(parents=True)
    for paragraph in found:
        (corpus_dir / paragraph.file_name).write_text(paragraph.text, encoding="utf-8")
    manifest = {"source": source.name, "sha256_16": _fingerprint(source), "files": len(found)}
    (corpus_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return len(found)


def ensure_corpus(source: Path = DEFAULT_SOURCE, corpus_dir: Path = DEFAULT_CORPUS) -> Path:
    """The corpus folder, (re)built first when it is missing or stale."""
    manifest_path = corpus_dir / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = len(list(corpus_dir.glob("*.txt")))
        fresh = manifest.get("sha256_16") == _fingerprint(source) and manifest.get("files") == files
    except (FileNotFoundError, json.JSONDecodeError):
        fresh = False
    if not fresh:
        write_corpus(source, corpus_dir)
    return corpus_dir


def _dedupe(answers: list[str]) -> list[str]:
    kept: dict[str, str] = {}
    for answer in answers:
        key = " ".join(answer.split()).lower()
        if key and key not in kept:
            kept[key] = " ".join(answer.split())
    return list(kept.values())


def _quotas(sizes: list[int], total: int) -> list[int]:
    """`total` split over groups in proportion to their sizes, at least one each (largest remainder)."""
    spare = total - len(sizes)
    exact = [spare * s / sum(sizes) for s in sizes]
    quotas = [1 + int(x) for x in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    for i in by_remainder[: total - sum(quotas)]:
        quotas[i] += 1
    return quotas


def sample_questions(
    source: Path = DEFAULT_SOURCE, size: int = SAMPLE_SIZE, seed: int = SEED
) -> list[dict[str, Any]]:
    """`size` questions, at most one per paragraph, every article in proportion to its paragraphs."""
    by_article: dict[int, list[Paragraph]] = {}
    for paragraph in paragraphs(source):
        if paragraph.questions:
            by_article.setdefault(paragraph.article_index, []).append(paragraph)
    articles = sorted(by_article)
    if size < len(articles) or size > sum(len(v) for v in by_article.values()):
        raise ConfigError(f"cannot sample {size} questions from {len(articles)} articles")
    rng = random.Random(seed)
    rows = []
    for article, quota in zip(articles, _quotas([len(by_article[a]) for a in articles], size)):
        for paragraph in sorted(rng.sample(by_article[article], quota), key=lambda p: p.paragraph_index):
            qa = rng.choice(paragraph.questions)
            answers = _dedupe([a["text"] for a in qa["answers"]])
            rows.append(
                {
                    "id": f"sq-{qa['id']}",
                    "question": " ".join(qa["question"].split()),
                    "answerable": True,
                    "expected_facts": [answers],
                    "gold_sources": [paragraph.file_name],
                    "reference_answer": answers[0],
                    "tags": ["squad", "single-article"],
                }
            )
    return rows


def validation_questions(
    source: Path = DEFAULT_SOURCE, size: int = VALIDATION_SIZE, seed: int = SEED, held_out: bool = True
) -> list[dict[str, Any]]:
    """`size` questions of the validation articles, at most one per paragraph, each asked twice:
    against the whole corpus, and with its gold paragraph excluded from retrieval (the near
    miss: on-topic passages without the answer, which the assistant should refuse). With
    `held_out` False, of the training articles instead: a development set."""
    chosen = [
        p for p in paragraphs(source) if (p.article_index in VALIDATION_ARTICLES) == held_out and p.questions
    ]
    rng = random.Random(seed)
    rows = []
    for paragraph in sorted(rng.sample(chosen, size), key=lambda p: (p.article_index, p.paragraph_index)):
        qa = rng.choice(paragraph.questions)
        answers = _dedupe([a["text"] for a in qa["answers"]])
        question = " ".join(qa["question"].split())
        rows.append(
            {
                "id": f"sv-{qa['id']}",
                "question": question,
                "answerable": True,
                "expected_facts": [answers],
                "gold_sources": [paragraph.file_name],
                "reference_answer": answers[0],
                "tags": ["squad", "single-article"],
            }
        )
        rows.append(
            {
                "id": f"sv-{qa['id']}-without-gold",
                "question": question,
                "answerable": False,
                "expected_facts": [],
                "gold_sources": [],
                "reference_answer": f"(the paragraph that says {answers[0]!r} is left out)",
                "tags": ["squad", "unanswerable", "near-miss"],
                "exclude_sources": [paragraph.file_name],
                "absent_facts": [answers],
            }
        )
    return rows


def write_sample(rows: list[dict[str, Any]], out: Path = DEFAULT_SAMPLE) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
