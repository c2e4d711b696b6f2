"""Answers written by an LLM behind an OpenAI-compatible API, then verified.

The model sees numbered passages, as quoted data (the article's title, outlet and date inside
the quotes too, each on one line), with any sentence or field that reads as an instruction to
the assistant withheld (and never accepted as support). Its [n] markers
are checked against what was actually given ([1], [1, 2], [1-3] and [1][2] alike): markers
that point nowhere are dropped, and each sentence is aligned to the sentence of its cited
passages that best supports it, which becomes the verbatim quote. Sentences nothing supports
are reported. A reply is read line by line (one claim a line, a list), each line in sentences.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import pairwise, product
from typing import Any

from assistant.answer.citations import CitationBook
from assistant.answer.corroboration import digit_numbers
from assistant.answer.draft import NOT_IN_ARTICLES
from assistant.answer.evidence import EvidenceSentence, evidence_sentences
from assistant.answer.named import plain_number, written_numbers
from assistant.answer.prompts import render
from assistant.config import Settings
from assistant.dates import WEEKDAYS, month_names
from assistant.errors import LLMUnavailableError
from assistant.ingest.sentences import SENTENCE_END, split_sentences
from assistant.search.lexical import FRAMING_WORDS, STOPWORDS, content_terms, stems, words
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
MIN_SHARED_TERMS = 3  # a claim shares this many content words with its source, or all of its own
MIN_SUPPORT_UNCITED = 0.7
MAX_FIELD_CHARS = 200  # a title, outlet or date as the model reads it
_KEY_SHAPED = re.compile(r"\b(sk-)[A-Za-z0-9_-]{8,}")  # an OpenAI key ("sk-…", "sk-proj-…") in a server's message
# [1], and the lists a model writes to cite several: [1, 2], [1,2], [1; 2], [1-3], [1–3].
_CITED = r"\d+(?:\s*[-–]\s*\d+)?(?:\s*[,;]\s*\d+(?:\s*[-–]\s*\d+)?)*"
_MARKER = re.compile(rf"\s*\[({_CITED})\]")
_MARKERS_AFTER_STOP = re.compile(rf"(?P<stop>[.!?]+[\"”’»)]*)(?P<markers>(?:\s*\[{_CITED}\])+)(?P<again>[.!?]+)?")
# A list item's marker at the start of a line ("1.", "2)", "-", "*", "•"): layout, not a claim.
_LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]|[-*•+])\s+")
# "The articles don't say", also with a typographic apostrophe and in any case.
_REFUSAL = re.compile(NOT_IN_ARTICLES.rstrip(".").replace("'", "['’]").replace(" ", r"\s+"), re.IGNORECASE)
# Where the refusal's own clause ends: "The articles don't say when, but Macron agreed ...".
_CLAUSE_BREAK = re.compile(r"[,;:(]|\s[-–—]\s|\b(?:but|although|though|however|whereas)\b", re.IGNORECASE)
# A refusal of a question word alone, then "and" and a clause of its own: "The articles don't say
# when and Macron promised to visit" refuses "when" and claims the promise ("when and where they
# met" is one refusal).
_ASKED_WORD = r"(?:how\s+(?:much|many|long|often|far)|when|where|why|how|whether|what|who|whom|which)"
_ONLY_ASKED = re.compile(rf"\s+{_ASKED_WORD}(?P<then>\s+and)\s+(?!{_ASKED_WORD}\b)", re.IGNORECASE)
# Words that may stand beside a refusal without claiming anything: "Unfortunately, the articles ...".
_ASIDE_TERMS = frozenset(
    content_terms(
        "however unfortunately sorry still also though indeed fact short sum summary regrettably"
        # words about the passages and the answering, not about the news: "..., according to the
        # passages provided", "..., so I cannot answer that part"
        " according passages passage provided given text information answer part question context detail cannot unable"
    )
)
# Layout a model writes around its claims: a heading ("## Answer"), a label line ("Answer:",
# "**In short:**"), and bold or underlined emphasis ("**Putin** said"), which is no claim and hides
# where a sentence ends.
_HEADING = re.compile(r"^(?:#{1,6}\s|\S[^.!?]{0,60}:$)")
_EMPHASIS = re.compile(r"\*\*|__")
CUT_OFF_NOTICE = "The model's answer reached its length limit and was cut off"
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
    cut_off: bool = False  # the server stopped it at the length limit (finish_reason "length")


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
        self._openai = openai
        self._address = settings.openai_base_url or "https://api.openai.com/v1"  # as errors name it
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
            content = response.choices[0].message.content if response.choices else None
            cut_off = bool(response.choices) and response.choices[0].finish_reason == "length"
        except self._openai.OpenAIError as exc:
            raise self._unavailable(exc) from None
        except (ValueError, AttributeError, TypeError, IndexError) as exc:  # a web page, or JSON of another shape
            raise self._not_an_api(exc) from None
        if not content:
            raise LLMUnavailableError("the language model returned an empty answer")
        if not isinstance(content, str):
            raise self._not_an_api(TypeError(f"its answer's content is {type(content).__name__}, not text"))
        return Reply(content.strip(), self._settings.llm_model, cut_off)

    def stream(self, prompt: str, system: str | None = None) -> Generator[str, None, Reply]:
        """The reply's text as it is written, in pieces, then (as the generator's value) the
        whole Reply; LLMUnavailableError if it breaks off.

        A server that dies mid-answer closes the connection, and a stream that ends without the
        server saying why it finished (a finish reason, sent with the last piece) broke off too,
        however it ended. One that hangs is given up on after the client's timeout, which bounds
        each wait for the next piece, not the whole answer: a slow model that keeps writing (on
        a CPU) is let finish, and the server stops it at max_tokens.
        """
        pieces: list[str] = []
        finish = None
        events = 0
        try:
            chunks = self._client.chat.completions.create(
                **self._request(prompt, system, ANSWER_TOKENS), stream=True
            )
            with chunks:
                for chunk in chunks:
                    events += 1
                    if not chunk.choices:
                        continue
                    finish = chunk.choices[0].finish_reason or finish
                    delta = chunk.choices[0].delta.content
                    if delta:
                        pieces.append(delta)
                        yield delta
        except self._openai.OpenAIError as exc:
            raise self._unavailable(exc) from None
        except (ValueError, AttributeError, TypeError, IndexError) as exc:  # an event that is not a chat chunk
            raise self._not_an_api(exc) from None
        if not events:  # a web page, or JSON that is no event stream: nothing came, nothing broke off
            raise self._not_an_api(ValueError("it sent no events of a chat completion stream"))
        if finish is None:
            raise LLMUnavailableError("the language model's answer broke off: the stream ended unfinished")
        text = "".join(pieces).strip()
        if not text:
            raise LLMUnavailableError("the language model returned an empty answer")
        return Reply(text, self._settings.llm_model, finish == "length")

    def _request(self, prompt: str, system: str | None, max_tokens: int) -> dict[str, Any]:
        messages = [{"role": "system", "content": system}] if system else []
        return {
            "model": self._settings.llm_model,
            "messages": [*messages, {"role": "user", "content": prompt}],
            "temperature": 0.0,
            "max_tokens": max_tokens,
        }

    def _unavailable(self, error: Exception) -> LLMUnavailableError:
        """The client's error, with what to check: the key for a refusal, the address and model
        for a "not found", the address for a server that cannot be reached."""
        openai, where = self._openai, self._address
        hint = ""
        if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
            hint = "; check OPENAI_API_KEY (openai_api_key)"
        elif isinstance(error, openai.NotFoundError):
            hint = (
                f"; check the address {where} (an OpenAI-compatible server's usually ends in /v1) "
                f"and the model {self._settings.llm_model!r}"
            )
        elif isinstance(error, openai.APIConnectionError):
            hint = f" ({where})"
        return LLMUnavailableError(self._redacted(f"{error.__class__.__name__}: {error}{hint}"))

    def _not_an_api(self, error: Exception) -> LLMUnavailableError:
        return LLMUnavailableError(
            self._redacted(
                f"the server at {self._address} did not answer as an OpenAI-compatible API ({error.__class__.__name__}: "
                f"{str(error)[:200]}); check openai_base_url (OPENAI_BASE_URL)"
            )
        )

    def _redacted(self, message: str) -> str:
        """The message without the key: the configured one where it stands as a word of its own
        (a short placeholder key, "x", is not taken out of every word), and anything shaped
        like an OpenAI key (a server may echo another)."""
        key = self._settings.openai_api_key
        if key:
            message = re.sub(rf"(?<![\w-]){re.escape(key)}(?![\w-])", "***", message)
        return _KEY_SHAPED.sub(r"\1***", message)


def _best_support(sentence: str, candidates: list[EvidenceSentence]) -> tuple[EvidenceSentence | None, float]:
    """The candidate sharing most of the sentence's terms, and the share; a passage's date
    (title line "2022-02-12") supports "February 12" in any of its sentences. A short sentence
    must share every term, a longer one at least MIN_SHARED_TERMS, or its share is none: half
    of two words is a name alone ("Macron resigned [1]" of any sentence naming Macron)."""
    terms = set(content_terms(sentence))
    if not terms or not candidates:
        return None, 0.0

    def shared(candidate: EvidenceSentence) -> int:
        return len(terms & (candidate.terms | _date_terms_of(candidate.passage)))

    best = max(candidates, key=shared)
    count = shared(best)
    if count < min(len(terms), MIN_SHARED_TERMS):
        return best, 0.0
    return best, count / len(terms)


def _supporting(claim: str, candidates: list[EvidenceSentence]) -> tuple[EvidenceSentence | None, float]:
    """The candidate sharing most of the claim's words, and the share, as `_best_support`; but a
    candidate that says the opposite in those words bears nothing out, and then only another that
    shares as many words does ("Russia accused Ukraine ..." of a passage that says it after
    "Ukraine accused Russia ...")."""
    best, support = _best_support(claim, candidates)
    if best is None or not _says_the_opposite(claim, best.text):
        return best, support
    agreeing = [s for s in candidates if not _says_the_opposite(claim, s.text)]
    other, other_support = _best_support(claim, agreeing)
    return (other, other_support) if other is not None and other_support >= support else (None, 0.0)


def _says_the_opposite(claim: str, source: str) -> bool:
    return contradicts(claim, source) or swaps_roles(claim, source)


def _invented_numbers(claim: str, question: str, passages: Sequence[Passage]) -> frozenset[str]:
    """The numbers (written in digits) that the claim states and neither its passages (their
    text, title and date, in digits or words) nor the question do: a sentence whose words match
    its source and whose number, day or sum is the model's own is not what the source says."""
    written = frozenset(plain_number(n) for n in digit_numbers(claim))  # as `written_numbers` writes them
    if not written:
        return frozenset()
    stated = written_numbers(question).union(
        *(_passage_numbers(p.text, f"{p.metadata.get('title', '')} {p.metadata.get('published', '')}") for p in passages)
    )
    return written - stated


# A word that negates the word it bears on ("did not sign", "won't attend", "never met"), not as
# a part of a compound ("no-confidence vote"), a number ("No. 1", "No 10"), an answer ("he said
# no,") or a condition ("whether or not", "if not"); the words it may stand before that word with,
# and those after which it negates no word ("not only", "no doubt", "no one", "not until").
_NEGATOR = re.compile(
    r"(?<![-\w])(?:(?<!\bor )(?<!\bif )not|never|cannot|no(?!\.?\s*\d))(?![-\w])|n['’]t\b", re.IGNORECASE
)
_BEFORE_THE_WORD = frozenset(
    """a an any also always be been being before did do does even ever get got had has have is
    are was were longer really so the to very yet""".split()
)
_NOT_NEGATING = frozenset("only just merely least doubt one".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Where a clause ends: what a negation bears on is in its own clause ("Kyiv said the strike hit a
# school, while Moscow said it did not hit civilian targets" denies nothing of the school).
_CLAUSE = re.compile(r"[,;:()]|\s[-–—]\s|\b(?:while|but|whereas|although|though)\b", re.IGNORECASE)
# Words that say something did not happen without a negator ("the absence of a response", "he
# refused to sign"): a sentence that holds one may deny in other words what a claim negates.
_DENYING = frozenset(
    stems(words("""absence absent deny denied failed fails failure lack lacked lacking refuse refused
    reject rejected declined unable without none nobody nothing neither nor ignored halted stopped
    cancelled lost silent except unclear impossible unlikely only"""))
)
_YET_TO = re.compile(r"\byet to\b", re.IGNORECASE)  # "has yet to respond"
_UNTIL = re.compile(r"\b(?:until|till|before)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _negations(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """What each negation in `text` bears on: the stem of its word ("sign" of "did not sign") and
    the stems of its clause's content words."""
    found = []
    for negation in _NEGATOR.finditer(text):
        rest = text[negation.end() : negation.end() + 80]
        if rest[:1] and not rest[:1].isspace():  # punctuation after it: "he said no,"
            continue
        after = [w.casefold() for w in _WORD.findall(rest)]
        after = [w for w in after if w not in _BEFORE_THE_WORD][:1]
        if not after or after[0] in _NOT_NEGATING or not content_terms(after[0]):
            continue
        start = max((m.end() for m in _CLAUSE.finditer(text, 0, negation.start())), default=0)
        end = next((m.start() for m in _CLAUSE.finditer(text, negation.end())), len(text))
        if _UNTIL.search(text, negation.end(), end):  # "not ... until January": it will, then
            continue
        found.append((content_terms(after[0])[0], frozenset(content_terms(text[start:end]))))
    return tuple(found)


def _denies(text: str, besides: frozenset[str]) -> bool:
    """Whether `text` negates or denies something, other than by the words `besides` ("ignored"
    denies, but not where the claim says "did not ignore")."""
    if _NEGATOR.search(text) or _YET_TO.search(text):
        return True
    return not (_DENYING - besides).isdisjoint(stems(words(text)))


def _negates_what_the_other_states(text: str, other: str) -> bool:
    """Whether a negation of `text` bears on a word `other` states, in a clause that says most of
    what `other` says of it, and `other` denies nothing."""
    stated = set(stems(words(other)))
    for word, clause in _negations(text):
        if word in stated and 2 * len(clause & stated) >= len(clause) and not _denies(other, frozenset({word})):
            return True
    return False


def contradicts(claim: str, source: str) -> bool:
    """Whether the claim negates what the source states, or states what it negates, in the same
    words: "Putin expressed aggressive intentions" of "Putin did not express any aggressive
    intentions"; not "there was no concrete response" of "the absence of a concrete response"."""
    return _negates_what_the_other_states(claim, source) or _negates_what_the_other_states(source, claim)


# Who did what to whom: a name, at most MAX_ROLE_GAP words that say what it did, another name
# ("Putin told Macron"; a passive the other way round: "Macron was told by Putin"), in one clause.
# Names are runs of capitalised words, each read by its last word ("Emmanuel Macron": Macron),
# less a day or month after it ("Putin told Macron Monday"); a people's adjective ("his French
# counterpart") or a word that opens a sentence ("Thus") is none. What the two sides do with or to
# each other ("met", "held talks with", "borders", "clashed with", "more than") has no roles.
MAX_ROLE_GAP = 4
_NAME_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")
_GAP_WORD = re.compile(r"[^\W\d_]+")
_BE = frozenset("be is are was were been being".split())
_NOT_NAMES = STOPWORDS | FRAMING_WORDS | frozenset("thus however meanwhile then also still today".split())
_AFTER_A_NAME = frozenset([*WEEKDAYS, *(month_names(m)[0] for m in range(1, 13)), "today"])
_PEOPLES = frozenset(
    """french russian german british american chinese ukrainian israeli iranian japanese korean indian
    turkish italian spanish polish european western eastern northern southern african asian arab
    palestinian syrian iraqi saudi egyptian canadian mexican brazilian australian dutch swiss swedish
    norwegian danish finnish greek portuguese belgian austrian hungarian czech romanian serbian""".split()
)
_NOT_A_VERB = frozenset("the a an that his her their its of in on to for at as".split())
# Who the other side is, between the deed and the name: "told his Russian counterpart Vladimir Putin".
_WHO_THEY_ARE = frozenset(
    """counterpart counterparts president prime minister chancellor premier leader king queen envoy
    ambassador spokesman spokeswoman spokesperson foreign secretary""".split()
)
_BOTH_SIDES = frozenset("with alongside between than before after and or".split())
# The words of a gap that say nothing done.
_NOT_DONE = _NOT_A_VERB | _BE | _AFTER_A_NAME | _PEOPLES | _WHO_THEY_ARE | {"by"}
# A phrase between commas after a name that says who it is ("Macron, France's president, told
# Putin"; "Putin, 71, told"; "Scholz, the German chancellor, and Macron"): read past, as if the
# name stood alone. Not a clause ("Macron, who had called Putin, said"; "Putin, in a call with
# Macron, thanked").
_APPOSITION = re.compile(
    r"(?<=[\w.])(,\s+(?:(?:the|a|an|his|her|its|their)\s+|[A-Z][\w-]*['’]s\s+|\d{1,3}(?=,))[^,;:()]{0,60}?,)(?=\s+[a-z])"
)
_NOT_AN_APPOSITION = frozenset("who whom whose which that where when said says told".split())
# Names of one list ("Macron and Scholz", "Macron, Scholz and Meloni", "Macron, Scholz, and
# Meloni") do as one side; not two clauses a comma and "and" join ("Putin thanked Biden, and
# Scholz thanked Macron").
_JOINED = re.compile(r"\s+(?:and|or|&)\s+")
_LAST_LISTED = re.compile(r"\s*,\s*(?:and|or|&)\s+")
_LISTED = re.compile(r"\s*,\s*")
_MUTUAL = frozenset(
    stems(words("""met meet meets meeting spoke speak speaks talked talk talks discussed discuss agreed
    agree negotiated negotiate joined join faced face fought fight played play married marry border
    borders bordering traded trade clashed clash cooperated cooperate partnered partner allied ally
    swapped swap exchanged exchange relations war"""))
)


def _names(text: str) -> list[tuple[int, int, str]]:
    """(start, end, last word) of each name of `text`."""
    found = []
    for run in _NAME_RUN.finditer(text):
        parts = run.group().split()
        while len(parts) > 1 and parts[-1].rstrip(".,").casefold() in _AFTER_A_NAME:
            parts.pop()  # "Macron Monday": Macron
        last = re.sub(r"['’]s$", "", parts[-1].rstrip(",")).replace(".", "")
        title_case = not last.isupper()
        if len(parts) == 1 and title_case and (last.casefold() in _NOT_NAMES or last.casefold() in _PEOPLES):
            continue
        end = run.start() + run.group().rfind(parts[-1]) + len(parts[-1])
        found.append((run.start(), end, last))
    return found


def _without_appositions(text: str) -> str:
    """`text` with each apposition (`_APPOSITION`) blanked out, its length kept."""

    def blank(match: re.Match[str]) -> str:
        said = {w.casefold() for w in _GAP_WORD.findall(match.group())}
        return match.group() if not _NOT_AN_APPOSITION.isdisjoint(said) else " " * len(match.group())

    return _APPOSITION.sub(blank, text)


def _sides(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, names) of each side `text` names: a name, or names of one list ("Macron and
    Scholz"; "Macron, Scholz and Meloni", a comma only in a list that "and" or "or" ends)."""
    names = _names(text)
    joins: list[str | None] = []
    for (_, end, _), (start, _, _) in pairwise(names):
        gap = text[end:start]
        found = "and" if _JOINED.fullmatch(gap) else "last" if _LAST_LISTED.fullmatch(gap) else None
        joins.append(found or ("comma" if _LISTED.fullmatch(gap) else None))
    for i in range(len(joins)):  # ", and" ends a list only after a comma of it: "A, B, and C"
        if joins[i] == "last" and (i == 0 or joins[i - 1] != "comma"):
            joins[i] = None
    for i in reversed(range(len(joins))):  # a comma joins only a list that "and" ends
        if joins[i] == "comma" and (i + 1 == len(joins) or joins[i + 1] is None):
            joins[i] = None
    sides: list[tuple[int, int, tuple[str, ...]]] = []
    for i, (start, end, last) in enumerate(names):
        if i and joins[i - 1]:
            first, _, members = sides[-1]
            sides[-1] = (first, end, (*members, last))
        else:
            sides.append((start, end, (last,)))
    return sides


@lru_cache(maxsize=4096)
def _roles(text: str) -> frozenset[tuple[tuple[str, ...], str, str]]:
    """(what was done, who did it, to whom) for each pair of names of `text` with a few words
    between them: "Putin told Macron" is (("told",), "Putin", "Macron"); "Macron and Scholz told
    Putin" is two, Macron's and Scholz's."""
    found = set()
    text = _without_appositions(text)
    for (_, end, before), (start, _, after) in pairwise(_sides(text)):
        gap = text[end:start]
        said = [w.casefold() for w in _GAP_WORD.findall(gap)]
        if not said or len(said) > MAX_ROLE_GAP or _CLAUSE.search(gap):
            continue
        if not _BOTH_SIDES.isdisjoint(said):
            continue
        passive = said[-1] == "by" and not _BE.isdisjoint(said)
        done = tuple(stems([w for w in said if w not in _NOT_DONE]))
        if not done or not _MUTUAL.isdisjoint(done) or (not passive and "by" in said):
            continue
        for by, to in product(before, after):
            if by != to:
                found.add((done, to, by) if passive else (done, by, to))
    return frozenset(found)


def swaps_roles(claim: str, source: str) -> bool:
    """Whether the claim says B did to A what the source says A did to B, in the same words:
    "Macron told Putin" of "Putin told Macron"."""
    stated = _roles(source)
    return any((done, to, by) in stated and (done, by, to) not in stated for done, by, to in _roles(claim))


@lru_cache(maxsize=256)
def _passage_numbers(text: str, title_and_date: str) -> frozenset[str]:
    return written_numbers(text) | written_numbers(title_and_date)


def _date_terms_of(passage: Passage) -> frozenset[str]:
    published = passage.metadata.get("published")
    return _published_terms(str(published)) if published else frozenset()


@lru_cache(maxsize=256)
def _published_terms(published: str) -> frozenset[str]:
    day = date.fromisoformat(published)
    return frozenset(content_terms(f"{day.strftime('%B')} {day.day} {day.year}"))


def verify(question: str, reply: Reply, passages: list[Passage]) -> Answer:
    """Map the reply's markers to passages and quote the sentences that support it. A sentence
    that only says the articles don't say something ("The articles don't say what Macron
    replied.") is kept in the text as it is, unquoted; what a sentence says beside such a clause
    ("..., but Macron agreed to ...") is checked like any claim. A reply of nothing but
    refusals, or of nothing else the passages bear out, is a refusal. The reply's lines stay
    lines, a list item keeps its marker; a reply cut off at the length limit loses its
    unfinished last sentence and says so in a notice."""
    sentences_of = {
        i: [s for s in evidence_sentences([p]) if not instruction_like(s.text)]
        for i, p in enumerate(passages, start=1)
    }
    written = _reply_sentences(_markers_before_the_stop(reply.text))
    notice = None
    if reply.cut_off:
        notice = f"{CUT_OFF_NOTICE}; it may be incomplete."
        if written and not SENTENCE_END.search(_MARKER.sub("", written[-1][2])):
            written.pop()
            notice = f"{CUT_OFF_NOTICE}; its unfinished last sentence is left out."
            if not written:
                raise LLMUnavailableError("the language model's answer was cut off in its first sentence")
    book = CitationBook()
    statements: list[Statement] = []
    unsupported: list[str] = []
    refused = False
    # Line by line, in the reply's order: its list marker, then statements and what it says is not said.
    lines: dict[int, tuple[str, list[Statement | str]]] = {}
    for line, item, raw in written:
        numbers = _marker_numbers(raw, len(passages))
        plain = _MARKER.sub("", raw).strip()
        if not plain:
            continue
        said = lines.setdefault(line, (item, []))[1]
        claim = plain
        refusal = _REFUSAL.search(plain)
        if refusal is not None:
            refused = True
            claim = _beside_the_refusal(plain, refusal)
            if not claim:
                said.append(plain)
                continue
        cited = [n for n in numbers if n in sentences_of]
        # A sentence that says the opposite in the same words bears nothing out (`_supporting`):
        # "Putin expressed aggressive intentions" of "Putin did not express any ...", "Macron told
        # Putin" of "Putin told Macron".
        best, support = _supporting(claim, [s for n in cited for s in sentences_of[n]])
        if best is None or support < MIN_SUPPORT:
            # Uncited, or cited to passages that do not bear it out: every passage the model was
            # given is tried, more strictly, since the best of many is likelier to match by chance.
            every = [s for group in sentences_of.values() for s in group]
            best, support = _supporting(claim, every)
            if support < MIN_SUPPORT_UNCITED:
                best = None
        if best is not None and _invented_numbers(claim, question, [best.passage, *(passages[n - 1] for n in cited)]):
            best = None  # "... would invade Ukraine on February 24": the words match, the number is the model's
        if best is None:
            unsupported.append(plain)
            statement = Statement(plain, (), supported=False)
        else:
            statement = Statement(plain, (book.cite(best),))
        statements.append(statement)
        said.append(statement)
    if refused and not any(s.supported for s in statements):
        return Answer(question, NOT_IN_ARTICLES, True, "llm")
    if not statements:
        raise LLMUnavailableError("the language model's reply held no sentence to check")
    answer_text = "\n".join(item + " ".join(map(_as_shown, parts)) for item, parts in lines.values())
    return Answer(
        question,
        answer_text,
        False,
        "llm",
        citations=book.citations,
        statements=tuple(statements),
        notice=notice,
        unsupported=tuple(unsupported),
    )


def _as_shown(part: Statement | str) -> str:
    if isinstance(part, str):
        return part
    return part.text + (" " + "".join(f"[{m}]" for m in part.markers) if part.markers else " [unsupported]")


def _reply_sentences(text: str) -> list[tuple[int, str, str]]:
    """(line number, list item marker, sentence) of each sentence of the reply. A model writes
    one claim a line, or a list, as often as prose: a line break ends a sentence, and "1. " or
    "- " before a line is its layout, kept apart (as a claim, "1." would be unsupported); a
    heading or a label line ("## Answer", "Answer:") and bold markers are layout too, left out
    (as a claim, "## Answer" was supported by any passage that says "answer")."""
    sentences: list[tuple[int, str, str]] = []
    for number, line in enumerate(_claim_lines(text)):
        item = _LIST_ITEM.match(line)
        marker = item.group().strip() + " " if item else ""
        line = line[item.end() :] if item else line
        sentences.extend((number, marker, line[span.start : span.end]) for span in split_sentences(line))
    return sentences


def _claim_lines(text: str) -> list[str]:
    """The reply's lines without bold markers, stripped, less headings and label lines: layout,
    neither a claim nor shown as one."""
    lines = (line.strip() for line in _EMPHASIS.sub("", text).splitlines())
    return [line for line in lines if not _HEADING.match(line)]


def _marker_numbers(sentence: str, given: int) -> list[int]:
    """The passage numbers the sentence's markers cite, in order, once each: [1, 2] and [1][2]
    cite 1 and 2, [2-4] cites 2, 3 and 4 (a range is read no further than the `given` passages)."""
    numbers: list[int] = []
    for marker in _MARKER.findall(sentence):
        for cited in re.split(r"[,;]", marker):
            first, _, last = cited.replace("–", "-").partition("-")
            numbers.extend(range(int(first), min(int(last), given) + 1) if last else [int(first)])
    return list(dict.fromkeys(numbers))


def _beside_the_refusal(sentence: str, refusal: re.Match[str]) -> str:
    """What the sentence says beside its refusal, whose clause runs from "The articles don't say"
    to the clause's end (a comma, a dash, "but"): "Macron agreed to talk [1], but the articles
    don't say when." says "Macron agreed to talk,"; "" when nothing stands beside it but a word
    like "Unfortunately"."""
    asked = _ONLY_ASKED.match(sentence, refusal.end())
    if asked is not None:  # "... don't say when and Macron promised": the claim after "and"
        after = sentence[asked.end("then") :]
    else:
        end = _CLAUSE_BREAK.search(sentence, refusal.end())
        after = sentence[end.start() :] if end else ""
    beside = sentence[: refusal.start()] + after
    return beside.strip() if set(content_terms(beside)) - _ASIDE_TERMS else ""


def _markers_before_the_stop(text: str) -> str:
    """The reply with markers written after a sentence's full stop moved before it, so that
    they stay with the sentence they cite: "NATO ignored it. [1] Macron said ..." reads as
    "NATO ignored it [1]. Macron said ..."; a stop written again after them ("it. [1]. Macron")
    is the same stop."""
    return _MARKERS_AFTER_STOP.sub(lambda m: m.group("markers") + m.group("stop"), text)


def what_follows_the_stream(shown: str, answer: Answer) -> str:
    """What to show after `shown`, the text a stream gave, once it ends with `answer`: the whole
    answer when nothing was shown; the offline answer, said as such, after an LLM that failed
    (before or mid-reply); the reply as checking changed it, said as such; nothing when the
    reply shown is the answer. The command line and LlamaIndex's streaming show the same."""
    if not shown:
        return answer.text
    if answer.mode == "llm-fallback":
        return f"\n\nThe model's answer above could not be used; the offline answer instead:\n{answer.text}"
    if shown == answer.text or checked_as_written(shown, answer.text):
        return ""
    return f"\n\nChecked against the passages:\n{answer.text}"


def checked_as_written(reply: str, checked: str) -> bool:
    """Whether the checked answer is the reply as the model wrote it: the same words and the
    same markers, differing only in spacing, in a marker written before or after a full stop,
    or in how a list of markers is written ([1, 2] or [1][2]), headings, labels and bold markers
    aside. Nothing was flagged, dropped or renumbered, so a reader who saw the reply has seen the
    answer."""

    def layout_free(text: str) -> str:
        # [1, 2] as [1][2]; a range is read as far as any answer cites.
        text = _MARKER.sub(lambda m: "".join(f"[{n}]" for n in _marker_numbers(m.group(), 1_000)), text)
        return "".join(_markers_before_the_stop("\n".join(_claim_lines(text))).split())

    return layout_free(reply) == layout_free(checked)


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
) -> Generator[str | Answer, None, None]:
    """The reply's text deltas as the model writes them, then the verified Answer.

    The deltas are the raw reply, with the model's own [n] numbers; the Answer is verified
    from the whole reply, exactly as `llm_answer` would, and renumbers the citations.
    """
    given = fit_passages(passages, context_tokens)
    system, prompt = _answer_prompt(question, given)
    reply = yield from client.stream(prompt, system)
    yield verify(question, reply, given)
