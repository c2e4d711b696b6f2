"""`assistant eval --init DIR`: a starter dataset for a team's own articles.

For each article (a deterministic sample of at most MAX_ARTICLES; an archive's records are
articles too, named as ingest names them, "news.jsonl#2"), two questions: one from its
headline, one from its lead sentence with a name or number taken out (the expected fact). They
are drafts, tagged "needs-review": a person reads them, fixes the wording and the expected facts,
and adds questions the articles do not answer. The file's first line names the corpus folder,
so `assistant eval FILE` finds the articles without --corpus.
"""

from __future__ import annotations

import json
import os
import random
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.ingest import archives
from assistant.ingest.documents import build_article
from assistant.ingest.loading import UnreadableFileError
from assistant.ingest.pipeline import expand

MAX_ARTICLES = 100
SEED = 20240611
REVIEW_TAG = "needs-review"
# A run of capitalised words (a name), or a number with its unit.
_NAME = re.compile(r"\b[A-Z][\w'’-]*\w(?:\s+(?:of\s+|de\s+|al-)?[A-Z][\w'’-]*\w)*")
_WHEN = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|"
    r"June|July|August|September|October|November|December)\b.*"
)
_WHEN_BEFORE = re.compile(r"\b(?:on|in|last|this|early|late)\s+$")
_NUMBER = re.compile(
    r"\b\d[\d,.]*\d?(?:\s?(?:%|percent|per cent|million|billion|thousand|hundred))?"
    r"(?:\s[a-z]+)?"
)


@dataclass(frozen=True)
class Draft:
    headline: str
    lead: str
    fact: str
    blanked: str  # the lead sentence asked as a question, the fact taken out
    published: date | None = None  # the article's day: its questions are asked as of it


def pick_fact(lead: str) -> tuple[str, str] | None:
    """(fact, question) from a lead sentence: a name of two or more words, else a number, else a
    one-word name after the sentence's first word; None when it has none."""
    names = [m for m in _NAME.finditer(lead) if m.start() > 0]
    longer = [m for m in names if " " in m.group(0)]
    numbers = list(_NUMBER.finditer(lead))
    for found, word in ((longer, "who"), (numbers, "how many"), (names, "what")):
        if found:
            match = found[0]
            fact = match.group(0).rstrip(".,")
            before = lead[: match.start()]
            if _WHEN.fullmatch(fact):
                word = "when"
                before = _WHEN_BEFORE.sub("", before)
            after = lead[match.start() + len(fact) :]
            asked = f"{before}{word}{after}".strip().rstrip(".!\"'”’ ")
            return fact, asked + "?"
    return None


def draft(path: Path, settings: Settings) -> Draft | None:
    """The headline and lead of one article, and the fact its questions ask for."""
    try:
        article = build_article(path, settings.chunk_tokens, settings.chunk_overlap)
    except UnreadableFileError:
        return None
    sentences = [s.text for chunk in article.chunks[:1] for s in chunk.sentences]
    lead = next((s for s in sentences if len(s.split()) >= 6), None)
    if lead is None:
        return None
    picked = pick_fact(" ".join(lead.split()))
    if picked is None:
        return None
    fact, blanked = picked
    return Draft(" ".join(article.title.split()).rstrip(".:"), " ".join(lead.split()), fact, blanked, article.published)


def questions(corpus: Path, settings: Settings) -> list[dict[str, Any]]:
    files, _ = expand([corpus])
    if not files:
        raise ConfigError(
            f"{corpus} holds no article files (.txt, .md, .html) or archives (.jsonl, .json, .csv) to draft "
            "questions from"
        )
    named = _names_in(corpus, files)
    with tempfile.TemporaryDirectory(prefix="assistant-starter-") as records:
        # an archive's records as the files ingest writes them, named by archive and number
        unpacked = archives.unpack([f for f in files if archives.is_archive(f)], Path(records))
        for path, name in unpacked.files.items():
            archive, _, number = name.rpartition("#")
            named[path] = f"{named[Path(archive)]}#{number}"
        articles = [f for f in files if not archives.is_archive(f)] + list(unpacked.files)
        return _drafted(corpus, articles, named, settings)


def _drafted(corpus: Path, files: list[Path], named: dict[Path, str], settings: Settings) -> list[dict[str, Any]]:
    if len(files) > MAX_ARTICLES:  # the records (in a temporary folder) after the files, in their order
        chosen = set(random.Random(SEED).sample(files, MAX_ARTICLES))
        files = [f for f in files if f in chosen]
    rows: list[dict[str, Any]] = []
    for path in files:
        found = draft(path, settings)
        if found is None:
            continue
        common = {
            "answerable": True,
            "expected_facts": [[found.fact]],
            "gold_sources": [named[path]],
            "reference_answer": found.lead,
            # a lead's "today", "last week" is the article's: asked today it was refused, the
            # draft failing every later run
            **({"as_of": found.published.isoformat()} if found.published else {}),
        }
        rows.append(
            {
                "id": f"starter-{len(rows) + 1:03d}",
                "question": f"What do the articles say about “{found.headline}”?",
                **common,
                "tags": ["starter", REVIEW_TAG, "headline"],
            }
        )
        rows.append(
            {
                "id": f"starter-{len(rows) + 1:03d}",
                "question": found.blanked,
                **common,
                "tags": ["starter", REVIEW_TAG, "lead"],
            }
        )
    if not rows:
        raise ConfigError(
            f"no article in {corpus} could be read with a lead sentence (six words or more, naming someone or "
            "a number) to draft a question from"
        )
    return rows


def _names_in(corpus: Path, files: list[Path]) -> dict[Path, str]:
    """How the dataset names each file: by its name ("story.txt"), or, where two files of the
    corpus share it (2024/story.txt, 2025/story.txt), by its path relative to the corpus folder,
    as the runner knows them."""
    root = corpus.resolve()
    relative = {}
    for path in files:
        try:
            relative[path] = path.resolve().relative_to(root).as_posix()
        except ValueError:
            relative[path] = path.name
    counts = Counter(path.name for path in files)
    return {path: path.name if counts[path.name] == 1 else relative[path] for path in files}


def write_starter(corpus: Path, out: Path, settings: Settings) -> int:
    """Write the starter dataset for `corpus` to `out` (never over an existing file); the number
    of questions."""
    if not corpus.is_dir():
        raise ConfigError(f"--init needs the folder of your articles; {corpus} is not a folder")
    if out.exists():
        raise ConfigError(f"{out} exists already; choose another file with --out or remove it")
    rows = questions(corpus, settings)
    header = {"corpus": _as_seen_from(corpus.resolve(), out.resolve().parent)}
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for row in (header, *rows):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


def _as_seen_from(folder: Path, home: Path) -> str:
    """`folder` relative to `home` when they share more than the file-system root (so the dataset
    and its articles can move together, e.g. in a repository), else absolute."""
    if Path(os.path.commonpath([folder, home])) == Path(folder.anchor):
        return str(folder)
    return Path(os.path.relpath(folder, home)).as_posix()
