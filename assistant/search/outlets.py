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
from collections.abc import Iterable, Sequence
from difflib import get_close_matches
from functools import lru_cache

from assistant.errors import QuestionError, listed
from assistant.search.background import rarity
from assistant.search.lexical import stems

_WORD = re.compile(r"[^\W_]+")
_DOMAIN = re.compile(r"(?:\.[a-z]{2,6})+$", re.IGNORECASE)  # "Korrespondent.net", "Reuters.com"
COMMON_WORD = 5.0  # rarity (-log10 frequency in English) below which a word is an everyday one


@lru_cache(maxsize=65536)
def name_words(outlet: str) -> tuple[str, ...]:
    """The words an outlet is named by: without "www.", a domain ending or a leading "The"."""
    name = _DOMAIN.sub("", outlet.strip().removeprefix("www."))
    words = tuple(_WORD.findall(name))
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    return words


def _written_as_name(said: Sequence[str], name: Sequence[str]) -> bool:
    """The question's words are the name's, with the capitals the name has; a name the catalog
    has in lowercase ("reuters.com", "news.com.au") is written capitalised too ("What did Reuters
    say?"), or "what news did ..." would name it."""
    return all(
        s.casefold() == n.casefold() and (s[0].isupper() or not (n[0].isupper() or n.islower()))
        for s, n in zip(said, name)
    )


def _mentions(words: list[str], where: dict[str, list[int]], name: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the question names the outlet: (first word, last word + 1). Every mention, whole or
    "the" and its end, ends in the name's last word; `where` lists each word's positions."""
    found = []
    for last in where.get(name[-1].casefold(), ()):
        stop = last + 1
        start = stop - len(name)
        # (Not "Times of crisis ...": a common word capitalised because the question starts with it.)
        starts_question = start == 0 and len(name) == 1 and rarity(stems([name[0].casefold()])[0]) < COMMON_WORD
        if start >= 0 and not starts_question and _written_as_name(words[start:stop], name):
            found.append((start, stop))
        for tail in range(1, len(name)):  # "the Review" for "Southern Cone Review"
            first = stop - tail
            after_the = first >= 1 and words[first - 1].casefold() == "the"
            if after_the and name[-tail][0].isupper() and _written_as_name(words[first:stop], name[-tail:]):
                found.append((first, stop))
    return found


# The words that ask how outlets' accounts compare ("How did the Gazette's and the Voice's accounts
# differ?"), which no account writes: with several outlets named they are not looked for.
_COMPARING = re.compile(
    r"\b(?:accounts?|reports?|reporting|coverage|versions?|stories|figures|differ(?:ed|s|ent|ence|ences)?"
    r"|compar(?:e|ed|es|ing|ison)|(?:dis)?agree(?:d|s)?)\b",
    re.IGNORECASE,
)


def without_comparison(question: str, outlets: Sequence[str] = ()) -> str:
    """A question that compares the `outlets` it names, without the words that compare and
    without their names: what each outlet's sentences are read for. (An outlet's name counts as
    found only in its own articles' sentences, so with two named no sentence covered the question
    more than half.)"""
    for outlet in outlets:
        name = r"\s+".join(re.escape(w) for w in name_words(outlet))
        question = re.sub(rf"\b(?:the\s+)?{name}(?:['’]s?)?(?!\w)", "", question, flags=re.IGNORECASE)
    return re.sub(r"\s{2,}", " ", _COMPARING.sub("", question)).strip()


def possessive(outlet: str) -> str:
    """An outlet's name as its owner: "Xinhua's", "The Limited Times'", "River Valley News'"."""
    return f"{outlet}'" if outlet.endswith("s") else f"{outlet}'s"


def named_outlet(question: str, outlets: Iterable[str]) -> str | None:
    """The one outlet of `outlets` the question names, or None (none, or it is not clear which)."""
    named = named_outlets(question, outlets)
    return named[0] if len(named) == 1 else None


def named_outlets(question: str, outlets: Iterable[str]) -> list[str]:
    """Every outlet of `outlets` the question names ("How did the Gazette's and the Voice's
    accounts differ?"), in the catalog's order; not those a mention fits alike."""
    words = _WORD.findall(question)
    where: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        where.setdefault(word.casefold(), []).append(i)
    spans: dict[str, list[tuple[int, int]]] = {}
    for outlet in outlets:
        name = name_words(outlet)
        if name and name[-1].casefold() in where and (places := _mentions(words, where, name)):
            spans[outlet] = places
    # A mention inside a longer one is the longer one's: "Times" in "the Limited Times".
    mentions = {span for places in spans.values() for span in places}
    inner = {(s, e) for s, e in mentions if any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2 in mentions)}
    # A mention that fits two outlets ("the Review" of two Reviews) names neither.
    owners: dict[tuple[int, int], int] = {}
    for places in spans.values():
        for span in set(places):
            owners[span] = owners.get(span, 0) + 1
    return [o for o, places in spans.items() if any(span not in inner and owners[span] == 1 for span in places)]


SHOWN_OUTLETS = 8  # outlets a "no such outlet" message lists


def filtered_outlet(given: str, outlets: Sequence[str]) -> str:
    """The catalog's outlet that an outlet filter (`--outlet`, `Filters.outlet`) names: the same
    name in any case, else the one named by the same words ("reuters.com" for "Reuters", "new
    york times" for "The New York Times"). A name that fits none, or several, is a QuestionError
    that lists the outlets there are: a filter that matched nothing would read no article and
    answer "the articles don't say" of articles the index holds."""
    if not isinstance(given, str):
        raise QuestionError(f"Filters.outlet must be an outlet's name, not {given!r}")
    if not given.strip():  # a filter of nothing read every article, as if none were given
        raise QuestionError("Filters.outlet is empty: name an outlet, or leave it out (None)")
    folded = given.strip().casefold()
    # the outlet as written, else the same name in another case ("HARBOR GAZETTE" is another
    # outlet's spelling when both are indexed)
    exact = next((o for o in outlets if o == given.strip()), None) or next(
        (o for o in outlets if o.casefold() == folded), None
    )
    if exact is not None:
        return exact
    words = tuple(w.casefold() for w in name_words(given))
    fitting = [o for o in outlets if words and tuple(w.casefold() for w in name_words(o)) == words]
    if len(fitting) == 1:
        return fitting[0]
    if fitting:
        raise QuestionError(
            f"the outlet {given!r} fits several: {listed(fitting, SHOWN_OUTLETS)}; name one as written there"
        )
    if not outlets:
        raise QuestionError(f"no article in the index names its outlet, so none is from {given!r}")
    close = get_close_matches(folded, [o.casefold() for o in outlets], n=3, cutoff=0.6)
    # or whose name holds every word given ("Limited" of "The Limited Times")
    close += [
        o.casefold() for o in outlets if words and set(words) <= {w.casefold() for w in name_words(o)}
    ][:3]
    hint = f" (did you mean {' or '.join(o for o in outlets if o.casefold() in close)}?)" if close else ""
    raise QuestionError(f"no article in the index is from {given!r}{hint}; its outlets: {listed(outlets, SHOWN_OUTLETS)}")
