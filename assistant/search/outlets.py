"""The outlet a question names: "What did Xinhua say NATO ignored?", "... according to the
Gazette?". Such a question asks what that outlet reported, so it is asked of that outlet's
articles alone, as `--outlet` would ask it; another outlet's account is not its answer, and when
the outlet's articles do not say, the answer says so.

An outlet is named when the question writes its name as a name: its words, capitalised as the
catalog has them ("Southern Cone Review", "Korrespondent" for "Korrespondent.net", "Limited
Times" for "The Limited Times"), or "the" and the last words of it ("the Review", "the Times").
Lowercase words are never read as an outlet ("the review found", "times of crisis"), nor is a
common English word that only starts the question. When the words fit several outlets of the
index ("the Review" with two Reviews), or the question names two outlets ("how did Xinhua and
Korrespondent describe them?"), nothing is restricted: the question is about all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.search.background import rarity
from assistant.search.lexical import stems

_WORD = re.compile(r"[^\W_]+")
_DOMAIN = re.compile(r"(?:\.[a-z]{2,6})+$", re.IGNORECASE)  # "Korrespondent.net", "Reuters.com"
COMMON_WORD = 5.0  # rarity (-log10 frequency in English) below which a word is an everyday one


def name_words(outlet: str) -> list[str]:
    """The words an outlet is named by: without "www.", a domain ending or a leading "The"."""
    name = _DOMAIN.sub("", outlet.strip().removeprefix("www."))
    words = _WORD.findall(name)
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    return words


def _written_as_name(said: list[str], name: list[str]) -> bool:
    """The question's words are the name's, with the capitals the name has."""
    return all(s.casefold() == n.casefold() and (s[0].isupper() or not n[0].isupper()) for s, n in zip(said, name))


def _mentions(words: list[str], name: list[str]) -> list[tuple[int, int]]:
    """Where the question names the outlet: (first word, last word + 1)."""
    found = []
    for start in range(len(words)):
        end = start + len(name)
        if end <= len(words) and _written_as_name(words[start:end], name):
            if start == 0 and len(name) == 1 and rarity(stems([name[0].casefold()])[0]) < COMMON_WORD:
                continue  # "Times of crisis ...": a capital the question starts with
            found.append((start, end))
        if words[start].casefold() != "the":
            continue
        for tail in range(1, len(name)):  # "the Review" for "Southern Cone Review"
            end = start + 1 + tail
            if end <= len(words) and name[-tail][0].isupper() and _written_as_name(words[start + 1 : end], name[-tail:]):
                found.append((start + 1, end))
    return found


def named_outlet(question: str, outlets: Iterable[str]) -> str | None:
    """The one outlet of `outlets` the question names, or None (none, or it is not clear which)."""
    words = _WORD.findall(question)
    spans: dict[str, list[tuple[int, int]]] = {}
    for outlet in outlets:
        name = name_words(outlet)
        if name and (places := _mentions(words, name)):
            spans[outlet] = places
    # A mention inside a longer one is the longer one's: "Times" in "the Limited Times".
    named = {
        outlet
        for outlet, places in spans.items()
        if any(
            not any(
                (s2 <= s and e <= e2 and (s2, e2) != (s, e)) for other in spans.values() for s2, e2 in other
            )
            for s, e in places
        )
    }
    return next(iter(named)) if len(named) == 1 else None
