"""Answers written by an LLM behind an OpenAI-compatible API, then verified.

The model sees numbered passages, as quoted data (the article's title, outlet and date inside
the quotes too, each on one line), with any sentence or field that reads as an instruction to
the assistant withheld (and never accepted as support). Its [n] markers
are checked against what was actually given: markers that point nowhere are dropped,
and each sentence is aligned to the sentence of its cited passages that best supports
it, which becomes the verbatim quote. Sentences nothing supports are reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from assistant.answer.citations import CitationBook
from assistant.answer.prompts import render
from assistant.answer.synthesis import NOT_IN_ARTICLES, EvidenceSentence, evidence_sentences
from assistant.config import Settings
from assistant.errors import LLMUnavailableError
from assistant.ingest.sentences import split_sentences
from assistant.search.lexical import content_terms
from assistant.search.retrieval import Passage
from assistant.tokens import count_tokens
from assistant.types import Answer, Statement

ANSWER_TOKENS = 400
CONDENSED_TOKENS = 80
HISTORY_TURNS = 3
MAX_CONDENSED_RATIO = 4
KEPT_TERMS_SHARE = 0.5
PROMPT_OVERHEAD_TOKENS = 300
PASSAGE_FRAME_TOKENS = 12  # "[n]", the quotes around the header and text, the blank line after
FOCUS_RELATIVE_TO_BEST = 0.4
MIN_SUPPORT = 0.5
MIN_SUPPORT_UNCITED = 0.7
MAX_FIELD_CHARS = 200  # a title, outlet or date as the model reads it
_MARKER = re.compile(r"\s*\[(\d+)\]")
_MARKERS_AFTER_STOP = re.compile(r"(?P<stop>[.!?]+[\"”’»)]*)(?P<markers>(?:\s*\[\d+\])+)")
# "The articles don't say", also with a typographic apostrophe and in any case.
_REFUSAL = re.compile(NOT_IN_ARTICLES.rstrip(".").replace("'", "['’]").replace(" ", r"\s+"), re.IGNORECASE)
_INSTRUCTION_LIKE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+|of\s+)?"
    r"(?:previous|prior|above|earlier|preceding|your|system)\b.{0,30}\b(?:instructions?|prompts?|rules)\b"
    r"|\b(?:ignore|disregard)\s+the\s+question\b"
    r"|^\W*(?:system|assistant|developer)\s*:"
    r"|\byou are now\b|\b(?:reply|respond)\s+(?:only\s+)?with\b.{0,40}\bonly\b|\breply only\b",
    re.IGNORECASE | re.MULTILINE,
)
WITHHELD = "[a sentence that reads as an instruction to the assistant, withheld]"


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


def focus(ranked: Sequence[EvidenceSentence], budget_tokens: int, max_passages: int) -> list[Passage]:
    """The best-scored sentences that fit `budget_tokens`, from at most `max_passages` passages,
    as excerpts of their passages, which come in the order of their best sentence. A CPU model
    reads them in a fraction of the time whole passages take, and has less to stray into."""
    chosen: dict[str, tuple[Passage, set[int]]] = {}
    best = ranked[0].score if ranked else 0.0
    for sentence in ranked:
        if sentence.score < FOCUS_RELATIVE_TO_BEST * best:
            break
        passage = sentence.passage
        cost = count_tokens(sentence.text) + 1
        if passage.chunk_id not in chosen:
            if len(chosen) == max_passages:
                continue
            cost += count_tokens(_header(passage)) + PASSAGE_FRAME_TOKENS
        if chosen and cost > budget_tokens:
            continue
        chosen.setdefault(passage.chunk_id, (passage, set()))[1].add(sentence.source_start)
        budget_tokens -= cost
    return [passage.excerpt(starts) for passage, starts in chosen.values()]


def instruction_like(sentence: str) -> bool:
    """Whether an article sentence reads as an order to the assistant ("ignore previous
    instructions", "SYSTEM: ...", "reply only with ...")."""
    return _INSTRUCTION_LIKE.search(sentence) is not None


def shown_text(passage: Passage) -> str:
    """The passage as the model reads it: instruction-like sentences withheld."""
    text = passage.text
    for start, end, _, _ in reversed(passage.sentence_spans()):
        if instruction_like(text[start:end]):
            text = text[:start] + WITHHELD + text[end:]
    return text


def data_field(value: object) -> str:
    """A document's title, outlet or date as the model reads it, inside the quoted block: on one
    line, its double quotes made single (they cannot close the block), control characters
    dropped, at most MAX_FIELD_CHARS, and withheld if it reads as an instruction."""
    raw = str(value)
    text = " ".join("".join(ch for ch in raw.replace('"', "'") if ch.isprintable() or ch.isspace()).split())
    if len(text) > MAX_FIELD_CHARS:
        text = text[:MAX_FIELD_CHARS].rsplit(" ", 1)[0] + " …"
    return WITHHELD if instruction_like(raw) or instruction_like(text) else text


def _header(passage: Passage) -> str:
    """Title, outlet, author and date, each a data field; an excerpt, read for speed, goes
    without its title when it has an outlet."""
    meta = passage.metadata
    title = None if meta.get("excerpt") and meta.get("outlet") else meta.get("title")
    fields = (title, meta.get("outlet"), meta.get("author"), meta.get("published"))
    return " — ".join(data_field(x) for x in fields if x and str(x).strip())


def passages_block(passages: list[Passage]) -> str:
    """Numbered passages, each a quoted data block whose first line is its title, outlet and
    date: nothing a document wrote stands outside the quotes."""
    blocks = []
    for number, passage in enumerate(passages, start=1):
        quoted = shown_text(passage).replace('"""', "'''")
        body = "\n".join(x for x in (_header(passage), quoted) if x)
        blocks.append(f'[{number}]\n"""\n{body}\n"""')
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

    def complete(self, prompt: str, system: str | None = None, max_tokens: int = ANSWER_TOKENS) -> Reply:
        try:
            response = self._client.chat.completions.create(**self._request(prompt, system, max_tokens))
        except self._openai_error as exc:
            raise self._unavailable(exc) from None
        content = response.choices[0].message.content if response.choices else None
        if not content:
            raise LLMUnavailableError("the language model returned an empty answer")
        return Reply(content.strip(), self._settings.llm_model)

    def stream(self, prompt: str, system: str | None = None) -> Iterator[str]:
        """The reply's text as it is written, in pieces; LLMUnavailableError if it breaks off.

        A server that dies mid-answer closes the connection; one that hangs is given up on
        after the client's timeout (which bounds each wait for the next piece).
        """
        try:
            chunks = self._client.chat.completions.create(
                **self._request(prompt, system, ANSWER_TOKENS), stream=True
            )
            with chunks:
                for chunk in chunks:
                    delta = chunk.choices[0].delta.content if chunk.choices else None
                    if delta:
                        yield delta
        except self._openai_error as exc:
            raise self._unavailable(exc) from None

    def _request(self, prompt: str, system: str | None, max_tokens: int) -> dict[str, Any]:
        messages = [{"role": "system", "content": system}] if system else []
        return {
            "model": self._settings.llm_model,
            "messages": [*messages, {"role": "user", "content": prompt}],
            "temperature": 0.0,
            "max_tokens": max_tokens,
        }

    def _unavailable(self, error: Exception) -> LLMUnavailableError:
        return LLMUnavailableError(self._redacted(f"{error.__class__.__name__}: {error}"))

    def _redacted(self, message: str) -> str:
        key = self._settings.openai_api_key
        return message.replace(key, "***") if key else message


def _best_support(sentence: str, candidates: list[EvidenceSentence]) -> tuple[EvidenceSentence | None, float]:
    """The candidate sharing most of the sentence's terms, and the share; a passage's date
    (title line "2022-02-12") supports "February 12" in any of its sentences."""
    terms = set(content_terms(sentence))
    if not terms or not candidates:
        return None, 0.0

    def shared(candidate: EvidenceSentence) -> int:
        return len(terms & (candidate.terms | _date_terms_of(candidate.passage)))

    best = max(candidates, key=shared)
    return best, shared(best) / len(terms)


def _date_terms_of(passage: Passage) -> frozenset[str]:
    published = passage.metadata.get("published")
    return _published_terms(str(published)) if published else frozenset()


@lru_cache(maxsize=256)
def _published_terms(published: str) -> frozenset[str]:
    day = date.fromisoformat(published)
    return frozenset(content_terms(f"{day.strftime('%B')} {day.day} {day.year}"))


def verify(question: str, reply: Reply, passages: list[Passage]) -> Answer:
    """Map the reply's markers to passages and quote the sentences that support it. A sentence
    saying the articles don't say something ("The articles don't say what Macron replied.") is
    kept in the text as it is, unquoted; a reply of nothing else, or of nothing else the passages
    bear out, is a refusal."""
    sentences_of = {
        i: [s for s in evidence_sentences([p]) if not instruction_like(s.text)]
        for i, p in enumerate(passages, start=1)
    }
    text = _markers_before_the_stop(reply.text)
    book = CitationBook()
    statements: list[Statement] = []
    unsupported: list[str] = []
    said: list[Statement | str] = []  # in the reply's order: statements, and what it says is not said
    for span in split_sentences(text):
        raw = text[span.start : span.end]
        numbers = [int(n) for n in _MARKER.findall(raw)]
        plain = _MARKER.sub("", raw).strip()
        if not plain:
            continue
        if _REFUSAL.search(plain):
            said.append(plain)
            continue
        cited = [n for n in dict.fromkeys(numbers) if n in sentences_of]
        best, support = _best_support(plain, [s for n in cited for s in sentences_of[n]])
        if best is None or support < MIN_SUPPORT:
            # Uncited, or cited to passages that do not bear it out: every passage the model was
            # given is tried, more strictly, since the best of many is likelier to match by chance.
            best, support = _best_support(plain, [s for group in sentences_of.values() for s in group])
            if support < MIN_SUPPORT_UNCITED:
                best = None
        if best is None:
            unsupported.append(plain)
            statement = Statement(plain, (), supported=False)
        else:
            statement = Statement(plain, (book.cite(best),))
        statements.append(statement)
        said.append(statement)
    refused = any(isinstance(part, str) for part in said)
    if refused and not any(s.supported for s in statements):
        return Answer(question, NOT_IN_ARTICLES, True, "llm")
    if not statements:
        raise LLMUnavailableError("the language model's reply held no sentence to check")
    answer_text = " ".join(
        part if isinstance(part, str)
        else part.text + (" " + "".join(f"[{m}]" for m in part.markers) if part.markers else " [unsupported]")
        for part in said
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


def _markers_before_the_stop(text: str) -> str:
    """The reply with markers written after a sentence's full stop moved before it, so that
    they stay with the sentence they cite: "NATO ignored it. [1] Macron said ..." reads as
    "NATO ignored it [1]. Macron said ..."."""
    return _MARKERS_AFTER_STOP.sub(lambda m: m.group("markers") + m.group("stop"), text)


def _answer_prompt(question: str, given: list[Passage]) -> tuple[str, str]:
    """(system, user): the rules first and always the same, so that a server can keep them
    read between questions (llama.cpp reuses the longest common prefix of its last prompt)."""
    rules = render("answer_with_citations", refusal=NOT_IN_ARTICLES)
    return rules, render("answer_request", passages=passages_block(given), question=question)


def prime_answer_rules(client: LLMClient) -> None:
    """Have the server read the answer rules before the first question, which then waits only
    for its own passages (llama.cpp keeps the longest prefix it has read)."""
    system, prompt = _answer_prompt("Are you ready?", [])
    client.complete(prompt, system, max_tokens=1)


def condense_follow_up(question: str, history: Sequence[tuple[str, str]], client: LLMClient) -> str | None:
    """The follow-up rewritten by the model as a question that stands alone, or None when the
    rewrite is unusable: empty, unchanged, rambling on far beyond the question, or missing
    most of the follow-up's own words ("how much money ..." rewritten as "what was the call about?")."""
    turns = "\n".join(
        f"User: {asked}\nAssistant: {_clipped(_MARKER.sub('', answered))}"
        for asked, answered in history[-HISTORY_TURNS:]
    )
    reply = client.complete(
        render("condense_follow_up", history=turns, question=question), max_tokens=CONDENSED_TOKENS
    )
    lines = [line.strip() for line in reply.text.splitlines() if line.strip()]
    if not lines:
        return None
    rewritten = re.sub(r"^(?:standalone question|question)\s*:\s*", "", lines[0], flags=re.IGNORECASE)
    rewritten = rewritten.strip().strip("\"“”'").strip()
    if not rewritten or len(rewritten) > MAX_CONDENSED_RATIO * len(question) + 200:
        return None
    if rewritten.casefold() == question.casefold():
        return None
    own = set(content_terms(question))
    if own and len(own & set(content_terms(rewritten))) < KEPT_TERMS_SHARE * len(own):
        return None  # the rewrite lost what the follow-up itself asks
    return rewritten


def _clipped(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def llm_answer(question: str, passages: list[Passage], client: LLMClient, context_tokens: int) -> Answer:
    given = fit_passages(passages, context_tokens)
    system, prompt = _answer_prompt(question, given)
    return verify(question, client.complete(prompt, system), given)


def stream_llm_answer(
    question: str, passages: list[Passage], client: LLMClient, context_tokens: int
) -> Iterator[str | Answer]:
    """The reply's text deltas as the model writes them, then the verified Answer.

    The deltas are the raw reply, with the model's own [n] numbers; the Answer is verified
    from the whole reply, exactly as `llm_answer` would, and renumbers the citations.
    """
    given = fit_passages(passages, context_tokens)
    pieces: list[str] = []
    system, prompt = _answer_prompt(question, given)
    for delta in client.stream(prompt, system):
        pieces.append(delta)
        yield delta
    text = "".join(pieces).strip()
    if not text:
        raise LLMUnavailableError("the language model returned an empty answer")
    yield verify(question, Reply(text, client.model), given)
