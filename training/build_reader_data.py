"""Retrieval for every question of the SQuAD dev part, cached for training the reader.

    python training/build_reader_data.py [--out build/reader/retrieval.jsonl]

Indexes the SQuAD corpus (one article per paragraph, `assistant/evals/squad.py`) into
build/reader/index/ with the usual settings, and for each of the 5,696 questions stores the
first CANDIDATE_PASSAGES passages of the assistant's own hybrid retrieval, with every signal
the answer step reads (text, metadata, fused, cosine, bm25, date_match). The training script
reads them twice: the first `top_k` as retrieved (the gold paragraph usually among them), and
the first `top_k` once the gold paragraph's chunks are dropped: the near miss, as if the index
had never held it. Retrieval is the slow part (about 50 ms a question), hence the cache.

Every question is also asked of an index of its own article alone (40-50 paragraphs, about the
size of a handful of news articles; build/reader/articles/NN/): the corpus-level numbers the
reader reads (IDF, BM25) are on another scale there, and the near miss is the one of news search:
the same story, another fact. Each row says which index answered it (`corpus`: "whole" or
"article").

News of our own (`--news`): SQuAD teaches Wikipedia, where a paragraph names its subject and a
question's words are the paragraph's. News questions name the outlet and the day, outlets report
one event in other words, and the near miss is another fact of the same story. So the training
data also holds constructed news (training/data/constructed_news/: fictional events, three outlets
each, written for this project with answerable questions whose answers are copied from the text
and near-miss questions that none of the articles answers). They are indexed together in
build/reader/news/ and asked like the SQuAD questions: the answerable ones as retrieved and
without the articles that hold their answer, the near misses as retrieved. Rows go to
build/reader/news.jsonl, with `article` NEWS_ARTICLE_BASE + the topic's number; each question is
also asked of an index of its own topic's three articles (`corpus` "news_topic"), one story's
coverage, as a user's folder often is, where the corpus-level numbers (IDF, BM25) are small.

SQuAD v1.1 is CC BY-SA 4.0 (evals/data/README.md); the cache is a build product, never committed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import asdict
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.evals import squad
from assistant.search.embedding import MiniLMEmbedder
from assistant.shipped import build_dir

CANDIDATE_PASSAGES = 14
DEFAULT_OUT = build_dir() / "reader" / "retrieval.jsonl"
INDEX_DIR = build_dir() / "reader" / "index"
ARTICLES_DIR = build_dir() / "reader" / "articles"
NEWS_DATA = Path(__file__).resolve().parent / "data" / "constructed_news"
NEWS_DIR = build_dir() / "reader" / "news"
NEWS_OUT = build_dir() / "reader" / "news.jsonl"
NEWS_ARTICLE_BASE = 100  # the constructed news topics' "article" numbers (SQuAD's are 0-23)
NEWS_VALIDATION_EVERY = 4  # every 4th topic is held out (held_out_topic)


@lru_cache(maxsize=1)
def _encoder(model_dir: Path, precision: str) -> MiniLMEmbedder:
    """One encoder for the 25 indexes (each Assistant would load its own)."""
    return MiniLMEmbedder(model_dir, precision=precision)


def _assistant(settings: Settings, index_dir: Path) -> Assistant:
    values = {**settings.__dict__, "index_dir": index_dir, "chroma_url": None}
    values.update(openai_api_key=None, openai_base_url=None)
    return Assistant(Settings.from_mapping(values), embedder=_encoder(settings.model_dir, settings.encoder))


def _keep(target: Path, data: bytes) -> None:
    """Write `data` to `target` unless it already holds it (an unchanged file is not re-ingested)."""
    if not target.exists() or target.read_bytes() != data:
        target.write_bytes(data)


def open_index(settings: Settings) -> Assistant:
    """The SQuAD index in build/reader/index, ingested first when missing or stale."""
    bot = _assistant(settings, INDEX_DIR)
    bot.ingest([squad.ensure_corpus()])
    return bot


def open_article_index(settings: Settings, article: int) -> Assistant:
    """An index of one SQuAD article's paragraphs alone, ingested first when missing or stale."""
    folder = ARTICLES_DIR / f"{article:02d}"
    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for source in squad.ensure_corpus().glob(f"{article:02d}_*.txt"):
        _keep(corpus / source.name, source.read_bytes())
    bot = _assistant(settings, folder / "index")
    bot.ingest([corpus])
    return bot


def _batch_order(path: Path) -> tuple[int, str]:
    """batch-2 before batch-10: a new batch numbers its topics after every earlier one's."""
    digits = re.sub(r"\D", "", path.stem)
    return (int(digits) if digits else 0, path.stem)


@lru_cache(maxsize=1)
def news_topics() -> list[tuple[int, dict[str, Any]]]:
    """The constructed news topics, numbered from NEWS_ARTICLE_BASE in file order (read once)."""
    topics: list[dict[str, Any]] = []
    for path in sorted(NEWS_DATA.glob("*.json"), key=_batch_order):
        topics += json.loads(path.read_text(encoding="utf-8"))["topics"]
    return [(NEWS_ARTICLE_BASE + n, topic) for n, topic in enumerate(topics)]


def held_out_topic(number: int) -> bool:
    """Every NEWS_VALIDATION_EVERY-th constructed topic is never trained on: train_reader.py
    measures the reader on it, and evals/datasets/constructed_news.jsonl asks its questions."""
    return (number - NEWS_ARTICLE_BASE) % NEWS_VALIDATION_EVERY == NEWS_VALIDATION_EVERY - 1


def news_file(article: dict[str, Any]) -> str:
    return f"{article['id']}.txt"


def news_text(article: dict[str, Any]) -> str:
    """A constructed article laid out as the sample corpus's files are: outlet, title, date, body."""
    published = date.fromisoformat(article["date"])
    return (
        f"{article['outlet']}\n\n{article['title']}\n\n"
        f"{published:%B} {published.day}, {published.year}\n\n{article['text'].strip()}\n"
    )


def write_news_corpus() -> Path:
    """build/reader/news/corpus/: the constructed news, one text file an article (`news_text`)."""
    corpus = NEWS_DIR / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for _, topic in news_topics():
        for article in topic["articles"]:
            _keep(corpus / news_file(article), news_text(article).encode("utf-8"))
    return corpus


def open_news_index(settings: Settings) -> Assistant:
    """The constructed news in build/reader/news/index, ingested first when missing or stale."""
    bot = _assistant(settings, NEWS_DIR / "index")
    bot.ingest([write_news_corpus()], prune=True)
    return bot


def open_news_topic_index(settings: Settings, number: int) -> Assistant:
    """An index of one constructed topic's articles alone (build/reader/news/topics/NNN/), the
    way a user's folder of one story's coverage is indexed (the sample corpus is such a folder)."""
    folder = NEWS_DIR / "topics" / f"{number:03d}"
    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for article in dict(news_topics())[number]["articles"]:
        _keep(corpus / news_file(article), news_text(article).encode("utf-8"))
    bot = _assistant(settings, folder / "index")
    bot.ingest([corpus], prune=True)
    return bot


def write_news_rows(settings: Settings, out: Path) -> int:
    """Retrieval for every constructed news question, one row each per index: the index of all
    the constructed news ("news") and that of its own topic ("news_topic"); see the module's doc."""
    everything = open_news_index(settings)
    done = 0
    with out.open("w", encoding="utf-8") as handle:
        for number, topic in news_topics():
            files = {a["id"]: news_file(a) for a in topic["articles"]}
            own = open_news_topic_index(settings, number)
            for n, qa in enumerate(topic["questions"]):
                question = " ".join(qa["question"].split())
                for corpus, bot in (("news", everything), ("news_topic", own)):
                    result = bot._retriever.retrieve(question, CANDIDATE_PASSAGES)
                    row = {
                        "id": f"news-{number}-{n}",
                        "corpus": corpus,
                        "article": number,
                        "gold_files": sorted(files[a] for a in qa["articles"]),
                        "question": question,
                        "answers": sorted(set(qa["answers"])),
                        "passages": [asdict(p) for p in result.passages],
                    }
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                done += 1
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--limit", type=int, default=None, help="first N questions only (a smoke run)")
    parser.add_argument("--news", action="store_true", help=f"the constructed news only, to {NEWS_OUT}")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    settings = Settings.load()
    if args.news:
        done = write_news_rows(settings, NEWS_OUT)
        print(
            f"{done} news questions in {time.perf_counter() - started:.0f} s -> {NEWS_OUT}", file=sys.stderr
        )
        return 0
    whole = open_index(settings)
    articles = {
        a: open_article_index(settings, a) for a in sorted({p.article_index for p in squad.paragraphs()})
    }
    print(f"indexed in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    done = 0
    asked = time.perf_counter()
    with args.out.open("w", encoding="utf-8") as out:
        for paragraph in squad.paragraphs():
            for qa in paragraph.questions:
                if args.limit is not None and done >= args.limit:
                    break
                question = " ".join(qa["question"].split())
                for corpus, bot in (("whole", whole), ("article", articles[paragraph.article_index])):
                    result = bot._retriever.retrieve(question, CANDIDATE_PASSAGES)
                    row = {
                        "id": qa["id"],
                        "corpus": corpus,
                        "article": paragraph.article_index,
                        "gold_file": paragraph.file_name,
                        "question": question,
                        "answers": sorted({a["text"] for a in qa["answers"]}),
                        "passages": [asdict(p) for p in result.passages],
                    }
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                done += 1
                if done % 500 == 0:
                    rate = (time.perf_counter() - asked) / done * 1000
                    print(f"{done} questions, {rate:.0f} ms each (both indexes)", file=sys.stderr, flush=True)
    print(f"{done} questions in {time.perf_counter() - started:.0f} s -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
