"""Support judges: does a piece of evidence support an answer statement?

`OfflineJudge` applies fixed lexical rules (documented in evals/README.md and on
the class). They were calibrated on evals/datasets/judge_calibration.jsonl, and
`agreement` measures any judge against that file. `LLMJudge` asks the configured
OpenAI-compatible model with prompts/judge_support.txt (placeholders checked on load).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.answer.llm import LLMClient
from assistant.answer.prompts import load_prompt
from assistant.config import Settings
from assistant.errors import ConfigError, LLMUnavailableError
from assistant.evals.dataset import CalibrationPair
from assistant.evals.text import normalize, straighten
from assistant.search.lexical import STOPWORDS, content_terms

MIN_COVERAGE = 0.6
MIN_PREFIX = 4
NEGATION_SCOPE = 4
SPEAKER_SCOPE = 3
NEGATION_CUES = frozenset(
    """not no never neither nor none nothing nobody without cannot lack lacked lacking absence absent
    little fail failed fails failing refuse refused refuses refrain refrained refrains""".split()
)
REPORTING_VERBS = frozenset(
    """said says saying told tells stressed stresses emphasized emphasised emphasizes claimed claims
    insisted insists stated states noted notes added adds confirmed confirms warned warns urged
    urges asserted argued quoted announced""".split()
)
ORDINALS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
)
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*(?:[.,][0-9]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SPEAKER = re.compile(
    r"^(?:according to (?:the |a |an )?(?P<source>[\w .'-]+?),|(?P<who>(?:[\w'’.-]+ ){0,4}?[\w'’.-]+) "
    r"(?:" + "|".join(sorted(REPORTING_VERBS)) + r")\b)",
    re.IGNORECASE,
)
# Names that news text uses for one another: country, demonym, capital, seat of government.
ALIASES = (
    ("france", "french", "paris", "elysee", "élysée"),
    ("russia", "russian", "moscow", "kremlin"),
    ("united states", "us", "usa", "america", "american", "washington", "white house"),
    ("ukraine", "ukrainian", "kyiv", "kiev"),
    ("united kingdom", "uk", "britain", "british", "london", "downing street"),
    ("germany", "german", "berlin"),
    ("china", "chinese", "beijing"),
    ("european union", "eu", "brussels"),
    ("west", "western", "nato", "united states", "washington"),
)


class Judge(Protocol):
    def supports(self, statement: str, evidence: str) -> bool: ...


def _tokens(text: str) -> list[str]:
    return [straighten(t).lower() for t in _TOKEN.findall(text.replace("U.S.", "US"))]


def _numbers(text: str) -> set[str]:
    found = {m.group().replace(",", "") for m in _NUMBER.finditer(text)}
    found |= {w for w in _tokens(text) if w in ORDINALS}
    return found


def _acronym_expansions(text: str) -> set[str]:
    """Initials of runs of capitalised words: 'European Union' gives 'eu'."""
    found = set()
    words = re.findall(r"[A-Za-z]+", text)
    for start in range(len(words)):
        initials = ""
        for word in words[start : start + 6]:
            if word[0].isupper():
                initials += word[0].lower()
                found.add(initials)
            elif word.lower() in ("of", "and", "the"):
                continue
            else:
                break
    return {a for a in found if len(a) >= 2}


def _evidence_terms(evidence: str) -> set[str]:
    """Content stems of the evidence, the acronyms of its names, and the aliases of the places it names."""
    pool = set(content_terms(evidence)) | _acronym_expansions(evidence)
    text = f" {' '.join(_tokens(evidence))} "
    acronyms = set(_TOKEN.findall(evidence.replace("U.S.", "US")))
    for group in ALIASES:
        # Short aliases (US, UK, EU) count only in capitals: "us" is also a pronoun.
        if any(alias.upper() in acronyms if len(alias) <= 3 else f" {alias} " in text for alias in group):
            pool.update(stem for alias in group for stem in content_terms(alias))
    return pool


def _term_matches(term: str, pool: set[str]) -> bool:
    if term in pool:
        return True
    if len(term) < MIN_PREFIX:
        return False
    return any(len(p) >= MIN_PREFIX and (p.startswith(term) or term.startswith(p)) for p in pool)


def _names(statement: str) -> list[str]:
    """Stems of the statement's capitalised words and acronyms."""
    words = re.findall(r"[A-Za-z][\w'’-]*", straighten(statement).replace("U.S.", "US"))
    names = []
    for word in words:
        bare = word.split("'")[0]
        if not bare[:1].isupper() or bare.lower() in STOPWORDS:
            continue
        names.extend(content_terms(bare))
    return names


@dataclass(frozen=True)
class Verdict:
    supported: bool
    reason: str


class OfflineJudge:
    """Deterministic lexical support rules, applied in this order.

    1. Verbatim: the normalised statement occurs in the normalised evidence as whole words
       (not "rose to 1" in "rose to 12", nor "a success" in "a successor"): supported.
    2. Numbers: every number (digits, or an ordinal word such as "second") in the
       statement occurs in the evidence.
    3. Names: every capitalised word or acronym of the statement matches the
       evidence (same stem, one stem a prefix of the other, e.g. Iran/Iranian,
       or an acronym of capitalised evidence words, e.g. EU/European Union).
    4. Coverage: at least MIN_COVERAGE of the statement's content-word stems
       (`assistant.lexical.content_terms`) occur in the evidence, matched as in 3.
    5. Negation: a negation cue (not, no, never, n't, little, failed, refused…) in
       the statement must be matched by one in the evidence within NEGATION_SCOPE
       words before a matched term, and the other way round.
    6. Attribution: when the statement says "X said/told/stressed…" or "according
       to X", X must appear in the evidence within SPEAKER_SCOPE words before a
       reporting verb, or right after "said", "says" or "according to".
    """

    def supports(self, statement: str, evidence: str) -> bool:
        return self.verdict(statement, evidence).supported

    def verdict(self, statement: str, evidence: str) -> Verdict:
        claim = normalize(re.sub(r"(\s*\[\d+\])+\s*$", "", statement)).rstrip(" .")
        if not claim:
            return Verdict(True, "empty statement")
        if _verbatim(claim, normalize(evidence)):
            return Verdict(True, "verbatim")
        missing_numbers = _numbers(claim) - _numbers(normalize(evidence))
        if missing_numbers:
            return Verdict(False, f"number(s) not in evidence: {', '.join(sorted(missing_numbers))}")
        pool = _evidence_terms(evidence)
        missing_names = [n for n in _names(statement) if not _term_matches(n, pool)]
        if missing_names:
            return Verdict(False, f"name(s) not in evidence: {', '.join(missing_names)}")
        terms = content_terms(statement)
        found = [t for t in terms if _term_matches(t, pool)]
        coverage = len(found) / len(terms) if terms else 1.0
        if coverage < MIN_COVERAGE:
            return Verdict(False, f"only {coverage:.0%} of the statement's content words are in the evidence")
        if _negated(statement, set(found)) != _negated(evidence, set(found)):
            return Verdict(False, "negation differs")
        speaker = _speaker(statement)
        if speaker and not _speaks(speaker, evidence):
            return Verdict(False, f"the evidence does not attribute it to {speaker!r}")
        return Verdict(True, f"{coverage:.0%} of content words in evidence")


def _verbatim(claim: str, evidence: str) -> bool:
    """The claim occurs in the evidence as whole words: "rose to 1" is not in "rose to 12", nor
    in "rose to 1.5"; "a success" is not in "a successor"."""
    before = r"(?<!\w)(?<!\d[.,])" if claim[0].isalnum() else ""
    after = r"(?!\w)(?![.,]\d)" if claim[-1].isalnum() else ""
    return re.search(before + re.escape(claim) + after, evidence) is not None


def _negated(text: str, matched: set[str]) -> bool:
    """A negation cue shortly before a word whose stem is among `matched`."""
    tokens = _tokens(text)
    stems = [content_terms(t)[:1] for t in tokens]
    for i, token in enumerate(tokens):
        if token in NEGATION_CUES or token.endswith("n't"):
            scope = stems[i + 1 : i + 1 + NEGATION_SCOPE]
            if any(s and _term_matches(s[0], matched) for s in scope):
                return True
    return False


def _speaker(statement: str) -> str | None:
    match = _SPEAKER.match(straighten(statement).strip())
    if match is None:
        return None
    phrase = match.group("source") or match.group("who")
    heads = content_terms(phrase)
    return heads[-1] if heads else None


def _speaks(speaker: str, evidence: str) -> bool:
    tokens = _tokens(evidence)
    for i, token in enumerate(tokens):
        stems = content_terms(token)
        if not stems or not _term_matches(speaker, {stems[0]}):
            continue
        after = tokens[i + 1 : i + 1 + SPEAKER_SCOPE]
        if any(t in REPORTING_VERBS for t in after):
            return True
        before = tokens[max(0, i - 3) : i]
        if before and (before[-1] in ("said", "says") or "according" in before):
            return True
    return False


@dataclass(frozen=True)
class Agreement:
    """How a judge's verdicts compare with the gold labels of the calibration pairs."""

    pairs: int
    accuracy: float
    unsupported_precision: float
    unsupported_recall: float
    disagreements: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "pairs": self.pairs,
            "accuracy": self.accuracy,
            "unsupported_precision": self.unsupported_precision,
            "unsupported_recall": self.unsupported_recall,
            "disagreements": list(self.disagreements),
        }


def agreement(judge: Judge, pairs: Sequence[CalibrationPair]) -> Agreement:
    said = [judge.supports(p.sentence, p.passage) for p in pairs]
    gold = [p.supported for p in pairs]
    flagged = [not s for s in said]
    true_unsupported = sum(f and not g for f, g in zip(flagged, gold))
    return Agreement(
        pairs=len(pairs),
        accuracy=sum(s == g for s, g in zip(said, gold)) / len(pairs) if pairs else 0.0,
        unsupported_precision=true_unsupported / sum(flagged) if any(flagged) else 1.0,
        unsupported_recall=true_unsupported / sum(not g for g in gold) if not all(gold) else 1.0,
        disagreements=tuple(p.id for p, s, g in zip(pairs, said, gold) if s != g),
    )


class LLMJudge:
    """Asks the configured OpenAI-compatible model; the reply must start with SUPPORTED or NOT_SUPPORTED."""

    def __init__(self, settings: Settings) -> None:
        if not settings.llm_configured:
            raise ConfigError(
                "the LLM judge needs a model: set OPENAI_BASE_URL (and OPENAI_API_KEY if the server wants one)"
            )
        self._prompt = load_prompt("judge_support")
        self._client = LLMClient(settings)

    def supports(self, statement: str, evidence: str) -> bool:
        reply = self._client.complete(self._prompt.format(statement=statement, evidence=evidence))
        return parse_verdict(reply.text)


def parse_verdict(reply: str) -> bool:
    word = reply.strip().upper().lstrip("*#` ").replace(" ", "_")
    if word.startswith("NOT_SUPPORTED") or word.startswith("UNSUPPORTED"):
        return False
    if word.startswith("SUPPORTED"):
        return True
    raise LLMUnavailableError(f"the judge model answered {reply[:60]!r}, not SUPPORTED or NOT_SUPPORTED")
