"""Answers written by an LLM behind an OpenAI-compatible API, then verified.

The model sees numbered passages. Its [n] markers are checked against what was
actually given: markers that point nowhere are dropped, and each sentence is
aligned to the sentence of its cited passages that best supports it, which
becomes the verbatim quote. Sentences nothing supports are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.citations import CitationBook
from assistant.config import Settings
from assistant.errors import LLMUnavailableError
from assistant.lexical import content_terms
from assistant.prompts import render
from assistant.retrieval import Passage
from assistant.sentences import split_sentences
from assistant.synthesis import NOT_IN_ARTICLES, EvidenceSentence, evidence_sentences
from assistant.tokens import count_tokens
from assistant.types import Answer, Statement

ANSWER_TOKENS = 400
PROMPT_OVERHEAD_TOKENS = 300
MIN_SUPPORT = 0.5
_MARKER = re.compile(r"\s*\[(\d+)\]")


@dataclass(frozen=True)
class Reply:
    text: str
    model: str


def fit_passages(passages: list[Passage], context_tokens: int) -> list[Passage]:
    """The best-ranked passages that fit the model's window, whole."""
    budget = context_tokens - ANSWER_TOKENS - PROMPT_OVERHEAD_TOKENS
    chosen = []
    for passage in passages:
        cost = count_tokens(passage.text) + 30
        if cost > budget:
            break
        chosen.append(passage)
        budget -= cost
    return chosen


def passages_block(passages: list[Passage]) -> str:
    blocks = []
    for number, passage in enumerate(passages, start=1):
        meta = passage.metadata
        about = " — ".join(
            str(x) for x in (meta.get("title"), meta.get("outlet"), meta.get("published")) if x
        )
        quoted = passage.text.replace('"""', "'''")
        blocks.append(f'[{number}] {about}\n"""\n{quoted}\n"""')
    return "\n\n".join(blocks)


class LLMClient:
    def __init__(self, settings: Settings) -> None:
        import openai  # only when an LLM is configured: it is slow to import

        self._settings = settings
        self._openai_error = openai.OpenAIError
        self._client = openai.OpenAI(
            api_key=settings.openai_api_key or "not-needed",
            base_url=settings.openai_base_url,
            timeout=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
        )

    @property
    def model(self) -> str:
        return self._settings.llm_model

    def complete(self, prompt: str) -> Reply:
        try:
            response = self._client.chat.completions.create(
                model=self._settings.llm_model,
                messages=[{"role": "user", "content": prompt}],
                temperature=0.0,
                max_tokens=ANSWER_TOKENS,
            )
        except self._openai_error as exc:
            raise LLMUnavailableError(self._redacted(f"{exc.__class__.__name__}: {exc}")) from None
        content = response.choices[0].message.content if response.choices else None
        if not content:
            raise LLMUnavailableError("the language model returned an empty answer")
        return Reply(content.strip(), self._settings.llm_model)

    def _redacted(self, message: str) -> str:
        key = self._settings.openai_api_key
        return message.replace(key, "***") if key else message


def _best_support(sentence: str, candidates: list[EvidenceSentence]) -> tuple[EvidenceSentence | None, float]:
    terms = set(content_terms(sentence))
    if not terms or not candidates:
        return None, 0.0
    best = max(candidates, key=lambda c: len(terms & c.terms))
    return best, len(terms & best.terms) / len(terms)


def verify(question: str, reply: Reply, passages: list[Passage]) -> Answer:
    """Map the reply's markers to passages and quote the sentences that support it."""
    if NOT_IN_ARTICLES.lower().rstrip(".") in reply.text.lower():
        return Answer(question, NOT_IN_ARTICLES, True, "llm")
    sentences_of = {i: evidence_sentences([p]) for i, p in enumerate(passages, start=1)}
    book = CitationBook()
    statements: list[Statement] = []
    unsupported: list[str] = []
    for span in split_sentences(reply.text):
        raw = reply.text[span.start : span.end]
        numbers = [int(n) for n in _MARKER.findall(raw)]
        text = _MARKER.sub("", raw).strip()
        if not text:
            continue
        cited = [n for n in dict.fromkeys(numbers) if n in sentences_of]
        candidates = [s for n in cited for s in sentences_of[n]]
        best, support = _best_support(text, candidates)
        if best is None or support < MIN_SUPPORT:
            unsupported.append(text)
            statements.append(Statement(text, (), supported=False))
            continue
        statements.append(Statement(text, (book.cite(best),)))
    answer_text = " ".join(
        s.text + (" " + "".join(f"[{m}]" for m in s.markers) if s.markers else " [unsupported]")
        for s in statements
    )
    return Answer(
        question,
        answer_text,
        False,
        "llm",
        citations=book.citations,
        statements=tuple(statements),
        unsupported=tuple(unsupported),
    )


def llm_answer(question: str, passages: list[Passage], client: LLMClient, context_tokens: int) -> Answer:
    given = fit_passages(passages, context_tokens)
    prompt = render(
        "answer_with_citations",
        refusal=NOT_IN_ARTICLES,
        passages=passages_block(given),
        question=question,
    )
    return verify(question, client.complete(prompt), given)
