"""Whether an answer reports what the person a question asks about said.

"What did Macron say about Russia's demands?", asked of articles that report only what Putin
told Macron, is the near miss of news quotes: the sentences the reader picks name Macron and
cover the question's words, but none is his. A question of the form "What did <name> say
(tell, warn, claim ...)?" is answered only when a sentence it would state gives the name, or a
word standing for it, as the one who speaks or acts (synthesis.py, `UNSAID_CONFIDENCE`).

What counts as the speaker (derived on the constructed news's training stories and the SQuAD
training articles, never on an eval set):

- the question's speaker is the words between "did" and the verb, when the last of them is
  written with a capital ("Macron", "German Chancellor Olaf Scholz", "the Kremlin"); a speaker
  named by office alone ("the finance minister", "Russian officials", "Kestrel's CFO", "the mayor
  of Lyon") is not checked. Of a pair ("the US and NATO") either will do;
- a sentence gives a name as the speaker where the name (its last word, "Scholz" for "Olaf
  Scholz", possessive too: "Macron's office said") is followed within a few words by a verb of
  speaking or a verb in the past ("Putin emphasized", "Putin drew attention"), or by what it is
  between commas and then such a verb ("Janez Kralj, an opposition member of parliament, said"),
  unless the name stands after a verb or word that makes it the one spoken to ("Putin told
  Macron", "talks with Macron"); or where a verb of speaking comes just before it ("said French
  President Emmanuel Macron", "according to the Kremlin");
- a sentence whose speaker is a pronoun or a word for a person or a body ("he said", "said the
  minister", "the statement added", "the heads of state reviewed") speaks for a name that it or
  one of the two sentences before it in the passage writes;
- an article speaks for its outlet ("What did Xinhua say NATO ignored?").

A question that asks only what was said ("What did Zurbriggen say?") is answered with the
speaker's own words, ranked lower or not, when the sentences the reader ranks first only name them
("Martina Zurbriggen heads the hazards service").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer.evidence import EvidenceSentence

_SAYING_VERBS = (
    r"say|says|said|saying|tell|tells|told|telling|add|adds|added|state|states|stated|warn|warns|warned"
    r"|argue|argues|argued|insist|insists|insisted|explain|explains|explained|note|notes|noted|write|writes|wrote"
    r"|written|announce|announces|announced|urge|urges|urged|ask|asks|asked|stress|stresses|stressed|claim|claims"
    r"|claimed|declare|declares|declared|reply|replies|replied|respond|responds|responded|acknowledge|acknowledges"
    r"|admit|admits|admitted|describe|describes|described|call|calls|called|suggest|suggests|suggested|predict"
    r"|predicts|predicted|promise|promises|promised|vow|vows|vowed|pledge|pledges|pledged|deny|denies|denied"
    r"|confirm|confirms|confirmed|emphasi[sz]e|emphasi[sz]es|emphasi[sz]ed|recall|recalls|recalled|tweet|tweets"
    r"|tweeted|post|posts|posted|believe|believes|believed|think|thinks|thought|complain|complains|complained"
    r"|critici[sz]e|critici[sz]es|critici[sz]ed|praise|praises|praised|welcome|welcomes|welcomed|condemn|condemns"
    r"|condemned|reject|rejects|rejected|agree|agrees|agreed|propose|proposes|proposed|accuse|accuses|accused"
    r"|demand|demands|demanded|hope|hopes|hoped|expect|expects|expected|want|wants|wanted|mean|means|meant"
    r"|speak|speaks|spoke|spoken|discuss|discusses|discussed|point|points|pointed|reiterate|reiterates|reiterated"
    r"|maintain|maintains|maintained|comment|comments|commented|signal|signals|signalled|signaled|plan|plans"
    r"|planned|intend|intends|intended|decide|decides|decided|continue|continues|continued|conclude|concludes"
    r"|concluded|drew|draws|gave|gives|made|makes|saw|sees|took|takes|put|puts|sent|sends|offered|offers"
)
# What a name's own words are called: "Macron's office said", "according to a Kremlin statement".
_SPEECH_NOUNS = r"statement|statements|remarks|comments|words|view|views|position|readout|office|spokesman|spokeswoman|spokesperson|press"
# A verb in the past ends in "-ed": "Putin emphasized", "Luther confirmed".
_SPEAKS_AFTER = re.compile(rf"^(?:\W+[\w’'-]+){{0,6}}?\W+(?:{_SAYING_VERBS}|{_SPEECH_NOUNS}|\w+ed)\b", re.IGNORECASE)
# "Janez Kralj, an opposition member of parliament from Celje, said": a name, what it is, the verb.
_SPEAKS_AFTER_APPOSITION = re.compile(
    rf"^(?:['’]s?)?\s*,[^,;:.“”\"]{{1,160}},\s+(?:[a-z]+ly\s+)?(?:{_SAYING_VERBS})\b", re.IGNORECASE
)
# "said French President Emmanuel Macron", "according to the Kremlin", "Macron: ..."
# (the words between are the name's own: capitalised, or an article)
_SPEAKS_BEFORE = re.compile(
    r"\b(?i:said|says|added|adds|wrote|writes|continued|quoted|quoting|by)"
    r"(?:\W+(?:[A-Z][\w’'.-]*|the|a|an|his|her|its|their)){0,5}?\W+$"
)
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to(?:\W+(?:[A-Z][\w’'.-]*|the|a|an|his|her|its|their)){0,4}?\W+$")
# The name is the one spoken to or of: "Putin told Macron", "talks with Macron".
_SPOKEN_TO = re.compile(
    r"\b(?i:told|tells|tell|telling|asked|asks|urged|urges|warned|warns|assured|assures|informed|informs"
    r"|reminded|reminds|called|phoned|to|with|against|on|about|for|between|invited|met|meets"
    r"|thanked|criticised|criticized|accused|blamed|praised|counterpart)\W+"
    r"(?:(?:[A-Z][\w’'.-]*|the|a|an|his|her|its|their|our|fellow)\W+){0,3}?$",  # the name's own words
)
# Who speaks for a name the sentence or the ones before it write: "he said", "the statement added".
_STANDS_FOR = (
    r"president|minister|chancellor|premier|secretary|mayor|governor|senator|spokesman|spokeswoman|spokesperson"
    r"|official|officials|leader|chief|executive|ceo|boss|coach|manager|ambassador|envoy|chairman|chairwoman"
    r"|commissioner|prosecutor|statement|readout|office|ministry|government|palace|kremlin|company|firm|group"
    r"|agency|department|aide|adviser|advisor|source|sources|diplomat|lawmaker|candidate|star|player|author"
    r"|researcher|scientist|professor|expert|analyst|economist|man|woman|heads|leaders|presidents|ministers"
    r"|sides|parties|governments|delegations|counterparts"
)
_ROLE_SPEAKS = re.compile(
    rf"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Bb]oth|[Tt]he\s+(?:[\w-]+\s+){{0,2}}?(?i:{_STANDS_FOR})(?:\s+of\s+\w+)?)"
    rf"(?:\s+[a-z]+ly)?\s+(?i:{_SAYING_VERBS}|[a-z]+ed)\b"
    rf"|\b(?i:{_SAYING_VERBS})\s+(?:he|she|they|it|the\s+(?:[\w-]+\s+){{0,2}}?(?i:{_STANDS_FOR}))\b"
)
_ASKED_SPEAKER = re.compile(
    r"^\W*what\s+(?:did|does|do|has|have|had|will|would)\s+(?P<who>.+?)\s+"
    r"(?:say|said|tell|told|warn|warned|claim|claimed|argue|argued|stress|stressed|announce|announced"
    r"|promise|promised|propose|proposed|insist|insisted|predict|predicted|write|wrote|tweet|tweeted)\b",
    re.IGNORECASE,
)
_CONJUNCTION = re.compile(r"\s*(?:,|\band\b|&)\s*")


_ONLY_WHAT_SAID = re.compile(rf"{_ASKED_SPEAKER.pattern}(?:\s+(?:to|about)\s+(?:it|that|this|them))?\W*$", re.IGNORECASE)


def asks_only_what_was_said(question: str) -> bool:
    """"What did Zurbriggen say?": any of the speaker's words answer, not only those about a topic."""
    return _ONLY_WHAT_SAID.search(question) is not None


def asked_speakers(question: str) -> list[str]:
    """The names a "What did <name> say?" question asks to hear from, each by its last word
    ("Scholz" of "German Chancellor Olaf Scholz"); none when the speaker is an office alone
    ("the finance minister") or the question is of another form."""
    match = _ASKED_SPEAKER.search(question)
    if match is None:
        return []
    parts = [part for part in _CONJUNCTION.split(match.group("who")) if part.strip()]
    found = []
    for part in parts:
        last = re.sub(r"(?:['’]s?|\.)$", "", part.split()[-1])
        if re.search(r"['’]s\s|\sof\s", part):  # "Kestrel's CFO", "the mayor of Lyon": an office
            continue
        if len(last) > 1 and last[0].isupper():
            found.append(last)
    return found if len(found) == len(parts) else []  # "Putin and the minister": not checked


def names_as_speaker(name: str, text: str) -> bool:
    """Whether `text` gives `name` (one word) as the one who speaks or acts, not the one spoken to."""
    for m in re.finditer(rf"\b{re.escape(name)}\b(?:['’]s?)?", text):
        before = text[: m.start()]
        if _ACCORDING_TO.search(before):
            return True
        if _SPOKEN_TO.search(before):
            continue
        after = text[m.end() :]
        if _SPEAKS_BEFORE.search(before) or _SPEAKS_AFTER.match(after) or _SPEAKS_AFTER_APPOSITION.match(after):
            return True
    return False


def _writes(name: str, text: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", text) is not None


def _before(sentence: EvidenceSentence, count: int) -> list[str]:
    """The text of the `count` sentences before `sentence` in its passage."""
    passage = sentence.passage
    spans = passage.sentence_spans()
    starts = [src_start for _, _, src_start, _ in spans]
    if sentence.source_start not in starts:
        return []
    i = starts.index(sentence.source_start)
    return [passage.text[start:end] for start, end, _, _ in spans[max(0, i - count) : i]]


def speaks(names: Sequence[str], sentence: EvidenceSentence) -> bool:
    """Whether `sentence` gives one of `names` as its speaker (see the module's rules)."""
    if any(names_as_speaker(name, sentence.text) for name in names):
        return True
    outlet = str(sentence.passage.metadata.get("outlet") or "")
    if any(_writes(name, outlet) for name in names):  # "What did Xinhua say?" of Xinhua's article
        return True
    if _ROLE_SPEAKS.search(sentence.text) is None:
        return False
    context = [sentence.text, *_before(sentence, 2)]
    return any(_writes(name, text) for name in names for text in context)
