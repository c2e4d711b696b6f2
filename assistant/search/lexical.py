"""Words as the answer step weighs them: stemmed content words with corpus IDF."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

import Stemmer

# Letters and digits of any script. Han and kana are written without spaces: each of their
# characters is a word of its own (as search engines index them), not one run per phrase.
_IDEOGRAPHS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_IDEOGRAPHS}]|(?:(?![{_IDEOGRAPHS}])[^\W_])+(?:['’](?:(?![{_IDEOGRAPHS}])[^\W_])+)?")
# NFKC spells "½" as "1⁄2": a space before it keeps "6½" from becoming "61".
_FRACTIONS = {c: " " + chr(c) for c in [*range(0xBC, 0xBF), *range(0x2150, 0x2160), 0x2189]}
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else ever
    few for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just let me more most my myself no nor not now of off on once only or
    other ought our ours ourselves out over own per same shall she should so some such than that
    the their theirs them themselves then there these they this those through to too under until
    up upon very via was we were what when where which while who whom whose why will with within
    without would yet you your yours yourself yourselves s t d ll m re ve y
    say says said tell told according also did does
    """.split()
)
# Words that frame a question rather than name what it is about.
FRAMING_WORDS = frozenset(
    """much many kind kinds type types sort describe described describes define defined defines
    characterise characterised characterize characterized besides anything something exactly
    specifically mention mentioned mentions outlet outlets article articles report reported
    reports cite cited cites happen happened happens ask asked asks asking
    hey hi hello please pls plz thanks thank thx ok okay um uh lol""".split()
)


# The version of what a lexical index holds (the stems `content_terms` makes, the outlet as
# written), kept beside it: an index of another version is built again from the store (2:
# irregular verb forms by their base; 3: outlets in their own case, as Chroma filters them; 4:
# acronyms written with dots as one word, "US" as "usa").
TERMS_VERSION = "4"

# English verbs whose past forms no stemmer brings to their base: a question asks "Who did Putin
# meet?" of articles that say he "met" them, "When did they hold the call?" of a call "held".
# Forms that are also other common words are left out: "found" (a company), "left" (a party),
# "saw", "rose", "bore", "bound", "ground", "lay", "lit", "bit", "hung" (a parliament), "fed"
# (the Fed). "said" and "told" are stopwords of the index (`content_terms` drops them before
# stemming); their bases matter to the checks that read every word (who told whom: "Macron told
# Putin" of "Putin tells Macron").
IRREGULAR_FORMS: dict[str, str] = dict(
    pair.split(":", 1)
    for pair in """
    arisen:arise arose:arise ate:eat awoke:awake awoken:awake beaten:beat became:become began:begin
    begun:begin bent:bend bitten:bite bled:bleed blew:blow blown:blow borne:bear bought:buy
    bred:breed broke:break broken:break brought:bring built:build burnt:burn came:come caught:catch
    chose:choose chosen:choose clung:cling crept:creep dealt:deal drank:drink drawn:draw drew:draw
    driven:drive drove:drive drunk:drink dug:dig eaten:eat fallen:fall fell:fall felt:feel
    fled:flee flew:fly flown:fly forbade:forbid forbidden:forbid foresaw:foresee foreseen:foresee
    forgave:forgive forgiven:forgive forgot:forget forgotten:forget fought:fight froze:freeze
    frozen:freeze gave:give given:give gone:go got:get gotten:get grew:grow grown:grow heard:hear
    held:hold hid:hide hidden:hide kept:keep knelt:kneel knew:know known:know laid:lay lain:lie
    leapt:leap led:lead lent:lend lost:lose made:make meant:mean met:meet misled:mislead
    mistaken:mistake mistook:mistake overcame:overcome overran:overrun oversaw:oversee
    overseen:oversee overtaken:overtake overthrew:overthrow overthrown:overthrow overtook:overtake
    paid:pay proved:prove proven:prove ran:run rang:ring rebuilt:rebuild redid:redo redone:redo
    rewritten:rewrite rewrote:rewrite ridden:ride risen:rise rode:ride rung:ring said:say sang:sing
    sank:sink sat:sit seen:see sent:send shaken:shake shone:shine shook:shake shot:shoot
    showed:show shown:show shrank:shrink shrunk:shrink slain:slay slept:sleep slew:slay slid:slide
    sold:sell sought:seek sped:speed spent:spend spoke:speak spoken:speak sprang:spring
    sprung:spring spun:spin stole:steal stolen:steal stood:stand stridden:stride striven:strive
    strode:stride strove:strive struck:strike stuck:stick stung:sting sung:sing sunk:sink swam:swim
    swept:sweep swore:swear sworn:swear swum:swim swung:swing taken:take taught:teach thought:think
    threw:throw thrown:throw told:tell took:take tore:tear torn:tear undergone:undergo understood:understand
    undertaken:undertake undertook:undertake underwent:undergo upheld:uphold went:go wept:weep
    withdrawn:withdraw withdrew:withdraw withheld:withhold withstood:withstand woke:wake woken:wake
    won:win wore:wear worn:wear wove:weave woven:weave written:write wrote:write
    """.split()
)
# Snowball stemmers for the scripts whose words they know; other scripts' words are kept whole.
_SCRIPT_STEMMERS = (
    ("\u0400", "\u04ff", "russian"),
    ("\u0370", "\u03ff", "greek"),
    ("\u0600", "\u06ff", "arabic"),
)


@lru_cache(maxsize=8)
def _stemmer(language: str = "english") -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def _language(word: str) -> str | None:
    """The stemmer for a word by its first letter's script: English for Latin, None for a
    script no stemmer knows (the word is kept as it is)."""
    first = word[0]
    if first <= "\u024f" or "\u1e00" <= first <= "\u1eff":  # Latin, with its extended letters
        return "english"
    for low, high, language in _SCRIPT_STEMMERS:
        if low <= first <= high:
            return language
    return None


def stems(kept: list[str]) -> list[str]:
    """Stems of casefolded words, each by the stemmer of its script; an English verb's irregular
    past ("held", "met") by its base's ("hold", "meet")."""
    kept = [IRREGULAR_FORMS.get(w, w) for w in kept]
    if all(w.isascii() for w in kept):
        return list(_stemmer().stemWords(kept))
    found = []
    for word in kept:
        language = _language(word)
        found.append(_stemmer(language).stemWord(word) if language else word)
    return found


# An acronym written with dots is the acronym: "U.K." is "UK", "U.N." "UN" (each letter was a word
# of its own, and "UK" in a question found no "U.K." of an article). Capitals only: "e.g." stays.
_DOTTED = re.compile(r"(?<![^\W\d_])((?:[A-Z]\.){2,})(?![^\W\d_])")
# An acronym whose lowercase is a stop word, and the word it is: "US" and "U.S." are "usa" ("us"
# is a pronoun and no term; "U.S." was the letter "u").
_CAPITALS = {"US": "usa"}


def _undotted(match: re.Match[str]) -> str:
    return match.group(1).replace(".", "")


def words(text: str) -> list[str]:
    """The words of `text` in any script, NFKC-normalised and casefolded, in order; an acronym
    written with dots as one word ("U.K.": "uk"), "US" and "U.S." as "usa".

    An apostrophe's lowercase tail is dropped ("Russia's", "don't": "russia", "don"); one that
    begins a capitalised word is a word of its own ("O'Brien": "o", "brien"), and so is one after
    an elided article or pronoun of French or Italian ("d'électricité", "l'entretien",
    "dell'Unione": the word was lost and only "d" or "l" was left to find).
    """
    found = []
    text = _DOTTED.sub(_undotted, unicodedata.normalize("NFKC", text.translate(_FRACTIONS)))
    for match in _WORD.findall(text):
        if match in _CAPITALS:
            found.append(_CAPITALS[match])
            continue
        head, _, tail = match.replace("’", "'").partition("'")
        head = head.casefold()
        found.append(head)
        if tail and (not tail[0].islower() or head in _ELIDED):
            found.append(tail.casefold())
    return found


# What French and Italian write before an apostrophe in place of a word's last vowel.
_ELIDED = frozenset(
    "l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu dell dall nell sull all coll un quell"
    .split()
)


def content_terms(text: str) -> list[str]:
    """Stems of the words that carry meaning, in order, repeats kept."""
    return stems([w for w in words(text) if w not in STOPWORDS])


# A negated auxiliary ("wasn't", "won't"): `words` leaves "wasn" and "won" of it, which a question
# read as words no article uses ("No article uses the words wasn or case") or as "win". A question
# reads it as the auxiliary and "not", both stopwords; the index keeps the articles' words as they
# are (its terms are versioned: TERMS_VERSION).
_NEGATED = re.compile(r"\b([^\W\d_]+?)n['’]t\b", re.IGNORECASE)
_NEGATED_IRREGULAR = {"wo": "will", "ca": "can", "sha": "shall", "ai": "is"}


def _not_written_out(text: str) -> str:
    return _NEGATED.sub(lambda m: f"{_NEGATED_IRREGULAR.get(m[1].casefold(), m[1])} not", text)


def question_terms(text: str) -> list[str]:
    """Content stems of a question, without the words that only frame it."""
    return stems([w for w in words(_not_written_out(text)) if w not in STOPWORDS and w not in FRAMING_WORDS])


class Vocabulary(Protocol):
    """Inverse document frequencies of stems over the indexed chunks."""

    def seen(self, term: str) -> bool: ...

    def idf(self, term: str) -> float: ...


def bm25_idf(document_frequency: int, count: int) -> float:
    return math.log(1.0 + (count - document_frequency + 0.5) / (document_frequency + 0.5))


_LATIN = "abcdefghijklmnopqrstuvwxyz"
def one_edit(term: str, slips_only: bool = False) -> set[str]:
    """Every Latin-letter string one edit from `term`: two neighbours swapped, a letter added,
    and unless `slips_only` (the slips of the fingers alone), a letter dropped or changed."""
    splits = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    found = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    found |= {a + c + b for a, b in splits for c in _LATIN}
    if not slips_only:
        found |= {a + b[1:] for a, b in splits if b}
        found |= {a + c + b[1:] for a, b in splits if b for c in _LATIN}
    found.discard(term)
    return found


class TextVocabulary:
    """A Vocabulary counted from texts held in memory (small sets: tests, evals)."""

    def __init__(self, texts: Iterable[str]) -> None:
        frequency: Counter[str] = Counter()
        count = 0
        for text in texts:
            count += 1
            frequency.update(set(content_terms(text)))
        self._count = count
        self._frequency = frequency

    def seen(self, term: str) -> bool:
        return term in self._frequency

    def idf(self, term: str) -> float:
        return bm25_idf(self._frequency.get(term, 0), self._count)


