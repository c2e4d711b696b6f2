"""Whether an answer reports what the person a question asks about said.

"What did Macron say about Russia's demands?", asked of articles that report only what Putin
told Macron, is the near miss of news quotes: the sentences the reader picks name Macron and
cover the question's words, but none is his. A question of the form "What did <name> say
(tell, warn, claim ...)?" states only the sentences that give the name, or a word standing for
it, as the one who speaks, and of those only when one names what it asks about ("about the
fund"); otherwise it refuses (near_misses.py, `UNSAID_CONFIDENCE`).

What counts as the speaker (derived on the constructed news's training stories and the SQuAD
training articles, then on 22 articles a review of quotes wrote, never on an eval set):

- the question's speaker is the words between "did" and the verb, when the last of them is
  written with a capital: the name without its titles ("Macron", "Olaf Scholz" of "German
  Chancellor Olaf Scholz", "the Kremlin"). A speaker named by an office alone ("Norway's prime
  minister", "the mayor of Lyon"; `asked_office`) is its holder, by the office ("the prime minister
  said") or by the names the passages give it (`office_holders`: "Prime Minister Jonas Berg");
  "Russian officials" or "Kestrel's CFO" (no office of `named.ROLES`) is not checked. Of a pair
  ("the US and NATO") either will do;
- a sentence gives a name as the speaker where the surname (possessive too: "Macron's office
  said"), not after another first name ("Viktor Hale" is not Martin Hale), is followed in its
  clause (no comma, quote, "that", "who" or passive "was" between) within a few words by a verb
  of speaking ("Putin emphasized", "Zelensky told a news conference"), or closes or opens what it
  is between commas before such a verb ("Its chief executive, Martin Hale, said", "Janez Kralj,
  an opposition member of parliament, said"; not a place in another's clause: "which has 40
  members at Nightjar, called on"), unless the name stands after a verb or word that
  makes it the one spoken to ("Putin told Macron", "talks with Macron"); or where a verb of
  speaking after a quote or a comma comes just before it ("…,” said French President Emmanuel
  Macron"), or "according to" ("according to the Kremlin");
- a sentence whose speaker is a word for a person or a body ("said the minister", "the
  statement added", "the heads of state reviewed") speaks for a name that one of the two
  sentences before it (or itself) gives as acting; "he said" (or "he wrote a summary", "he
  established") or a quotation alone speaks for the one the nearest such sentence gives as
  acting, not for the one spoken to there ("Kenji Sato told Elena Ruiz ... He said": Sato's
  words), or, where none does, for the one its article's title names;
- an article speaks for its outlet ("What did Xinhua say NATO ignored?");
- a sentence of a quotation of several is the speaker's whom the quotation names where it opens
  or closes ("“My well went dry in 2022. I had to drill another ninety feet,” Hadley said.").

What a quotation replies to may be said just before it, in the article's own words
(`narrated_before`; synthesis.py reads it for the topic asked about).

A question that asks only what was said ("What did Zurbriggen say?") is answered with the
speaker's own words, ranked lower or not, when the sentences the reader ranks first only name them
("Martina Zurbriggen heads the hazards service").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.answer.evidence import EvidenceSentence
from assistant.answer.named import ROLES, TITLES

# Verbs of saying: what makes a name the speaker of a sentence.
_SAYING_VERBS = (
    r"say|says|said|saying|tell|tells|told|telling|add|adds|added|state|states|stated|warn|warns|warned"
    r"|argue|argues|argued|insist|insists|insisted|explain|explains|explained|note|notes|noted|write|writes|wrote"
    r"|written|announce|announces|announced|urge|urges|urged|ask|asks|asked|stress|stresses|stressed|claim|claims"
    r"|claimed|declare|declares|declared|reply|replies|replied|respond|responds|responded|acknowledge|acknowledges"
    r"|acknowledged|admit|admits|admitted|describe|describes|described|call|calls|called|suggest|suggests"
    r"|suggested|predict|predicts|predicted|promise|promises|promised|vow|vows|vowed|pledge|pledges|pledged|deny"
    r"|denies|denied|confirm|confirms|confirmed|emphasi[sz]e|emphasi[sz]es|emphasi[sz]ed|recall|recalls|recalled"
    r"|tweet|tweets|tweeted|post|posts|posted|believe|believes|believed|think|thinks|thought|complain|complains"
    r"|complained|critici[sz]e|critici[sz]es|critici[sz]ed|praise|praises|praised|welcome|welcomes|welcomed"
    r"|condemn|condemns|condemned|reject|rejects|rejected|agree|agrees|agreed|propose|proposes|proposed|accuse"
    r"|accuses|accused|demand|demands|demanded|hope|hopes|hoped|expect|expects|expected|want|wants|wanted"
    r"|speak|speaks|spoke|reiterate|reiterates|reiterated|maintain|maintains|maintained|comment|comments"
    r"|commented|apologi[sz]e|apologi[sz]es|apologi[sz]ed|blame|blames|blamed|thank|thanks|thanked|estimate"
    r"|estimates|estimated|concede|concedes|conceded|caution|cautions|cautioned|testify|testifies|testified"
    r"|declined|declines|refused|refuses|quipped|joked|pointed|points|signalled|signaled|signals|assured|assures"
    # what two sides said to each other: "Putin and Macron exchanged views on the pandemic"
    r"|discuss|discusses|discussed|exchanged|talked|debated|reviewed|raised|underlined|highlighted|expressed"
    r"|voiced|outlined|reaffirmed"
)
# What a name's own words are called: "Macron's office said", "according to a Kremlin statement".
_SPEECH_NOUNS = r"statement|statements|remarks|comments|words|readout|spokesman|spokeswoman|spokesperson|press"
# The words between a name and its verb, in its clause: no comma, quote or full stop, no "that"
# or "who" opening another clause, and no "was" of a passive ("Volkov was not invited", "Okafor
# was asked by the union": spoken to, not speaking).
_BETWEEN = r"(?:\s+(?!(?:that|who|which|whom|whose|was|were|been|being|is|are|be)\b)[\w’'.-]+){0,4}?\s+"
_SPEAKS_AFTER = re.compile(rf"^{_BETWEEN}(?:{_SAYING_VERBS}|{_SPEECH_NOUNS})\b", re.IGNORECASE)
# ... or any verb in the past: the name is what a sentence is about ("Lind apologised on Friday",
# "the heads of state reviewed"), enough for "he said" in the sentence after to be theirs.
_ACTING_VERBS = rf"{_SAYING_VERBS}|[a-z]+ed|drew|gave|made|took|met|led|held|spoke"
_ACTS_AFTER = re.compile(rf"^{_BETWEEN}(?:{_ACTING_VERBS}|{_SPEECH_NOUNS})\b", re.IGNORECASE)
# "Janez Kralj, an opposition member of parliament from Celje, said": a name, what it is, the
# verb; "Its chief executive, Martin Hale, said": the name is what is between the commas.
_SPEAKS_AFTER_APPOSITION = re.compile(
    rf"^(?:['’]s?)?\s*,(?:[^,;:.“”\"]{{1,160}},)?\s+(?:[a-z]+ly\s+)?(?:{_SAYING_VERBS})\b", re.IGNORECASE
)
# "Foreign Secretary Dominic Raab defended the party's actions, saying the account was clearly
# linked": the name acts, and what it says follows the comma (a review of real news pages).
_SPEAKS_THEN = re.compile(
    r"^\s+(?:[a-z]+ly\s+)?(?:[a-z]+ed|hit\s+back|shot\s+back)\b[^.;:“”\"]{0,120}?,\s+"
    r"(?:saying|arguing|warning|insisting)\b",  # not "adding": "scored twice, adding a third"
    re.IGNORECASE,
)
# "…,” said French President Emmanuel Macron", "a statement by the Kremlin": after a quote or a
# comma, or a word for what was said (the words between are the name's own: capitalised, or an
# article); not "The president said Okafor was wrong".
_SPEAKS_BEFORE = re.compile(
    r"(?:[,”\"’:]\s*(?i:said|says|added|adds|wrote|writes|continued|asked|insisted|warned|explained)"
    r"|\b(?i:statement|remarks|comments|letter|memo|post|interview|speech|readout)\s+by)"
    r"(?:\s+(?:[A-Z][\w’'.-]*|the|a|an|his|her|its|their)){0,5}?\s+$"
)
# ... or after the office the name holds, in lower case and set off by a comma: "…,” said the
# regional transport secretary, Pieter Groen" (a review of news formats); not another's ("said a
# spokesman for Pieter Groen").
_SPEAKS_AFTER_OFFICE = re.compile(
    r"[,”\"’:]\s*(?i:said|says|added|adds|wrote|writes|continued|insisted|warned|explained)"
    r"(?:\s+(?:the|a|an|his|her|its|their))?(?:\s+(?!(?:for|of|to|with|about|on|from|by|at)\b)[a-z][\w-]*){1,4},"
    r"(?:\s+[A-Z][\w’'.-]*){0,2}?\s+$"
)
# ... but not a name after a preposition of place: the clause is another's ("The union, which says
# it has 40 members at Nightjar, called on management", a development-news near miss); a name
# after "of" or "from" is whom the speaker speaks for ("Tomas Beran, chief executive of Moravia
# Regional Rail, said").
_AFTER_A_PREPOSITION = re.compile(r"\b(?:at|in|by|near|inside|within|among)\s+(?:(?:[A-Z][\w’'.-]*|the|a|an)\s+){0,3}?$")
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to(?:\W+(?:[A-Z][\w’'.-]*|the|a|an|his|her|its|their)){0,4}?\W+$")
# The name is the one spoken to or of: "Putin told Macron", "talks with Macron".
_SPOKEN_TO = re.compile(
    r"\b(?i:told|tells|tell|telling|asked|asks|urged|urges|warned|warns|assured|assures|informed|informs"
    r"|reminded|reminds|called|phoned|to|with|against|on|about|for|between|invited|met|meets"
    r"|thanked|criticised|criticized|accused|blamed|praised|counterpart)[\s,]+"
    r"(?:(?:[A-Z][\w’'.-]*|the|a|an|his|her|its|their|our|fellow)\s+){0,3}?$",  # the name's own words, no comma
)
# Who speaks for a name the sentences before write: "he said", "the statement added".
_STANDS_FOR = (
    r"president|minister|chancellor|premier|secretary|mayor|governor|senator|spokesman|spokeswoman|spokesperson"
    r"|official|officials|leader|chief|executive|ceo|boss|coach|manager|ambassador|envoy|chairman|chairwoman"
    r"|commissioner|prosecutor|statement|readout|office|ministry|government|palace|kremlin|company|firm|group"
    r"|agency|department|aide|adviser|advisor|source|sources|diplomat|lawmaker|candidate|star|player|author"
    r"|researcher|scientist|professor|expert|analyst|economist|man|woman|heads|leaders|presidents|ministers"
    r"|sides|parties|governments|delegations|counterparts"
)
_PRONOUN_SPEAKS = re.compile(
    rf"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t)(?:\s+[a-z]+ly)?\s+(?i:{_ACTING_VERBS})\b"
    rf"|\b(?i:{_SAYING_VERBS})\s+(?:he|she|they|it)\b"
)
_ROLE_SPEAKS = re.compile(
    rf"\b(?:[Bb]oth|[Tt]he\s+(?:[\w-]+\s+){{0,2}}?(?i:{_STANDS_FOR})(?:\s+of\s+\w+)?)(?:\s+[a-z]+ly)?\s+(?i:{_SAYING_VERBS}|[a-z]+ed)\b"
    rf"|\b(?i:{_SAYING_VERBS})\s+the\s+(?:[\w-]+\s+){{0,2}}?(?i:{_STANDS_FOR})\b"
)
# A sentence whose subject is a named person: "Kenji Sato told ...", "Lind apologised".
_NAMES_SOMEONE_ACTING = re.compile(
    r"\b(?!(?:The|A|An|It|He|She|They|We|I|This|That|These|Those|In|On|At|But|And|So|Then|Its|His|Her|Their)\b)"
    rf"[A-Z][\w’'-]+(?:['’]s?)?{_BETWEEN}(?:{_ACTING_VERBS})\b"
    r"|[,”\"]\s*(?:said|says|added|wrote|asked|told)\s+(?:[A-Z][\w’'.-]*\s+){0,3}?[A-Z]"  # "…,” said Paul Hughes"
)
# A quotation alone: its speaker is named in the sentence before ("“We had ten minutes.”").
_ONLY_A_QUOTE = re.compile(r"^\s*[“\"][^“”\"]+[”\"]\s*$")
_ASKED_SPEAKER = re.compile(
    r"^\W*what\s+(?:did|does|do|has|have|had|will|would)\s+(?P<who>.+?)\s+"
    r"(?:say|said|tell|told|warn|warned|claim|claimed|argue|argued|stress|stressed|announce|announced"
    r"|promise|promised|propose|proposed|insist|insisted|predict|predicted|write|wrote|tweet|tweeted)\b",
    re.IGNORECASE,
)
_QUOTE_MARKS = re.compile(r'[“”"]')
_QUOTE_SENTENCES = 3  # the sentences of one quotation read for where it opens or closes
_CONJUNCTION = re.compile(r"\s*(?:,|\band\b|&)\s*")


_ONLY_WHAT_SAID = re.compile(rf"{_ASKED_SPEAKER.pattern}(?:\s+(?:to|about)\s+(?:it|that|this|them))?\W*$", re.IGNORECASE)


def asks_only_what_was_said(question: str) -> bool:
    """"What did Zurbriggen say?": any of the speaker's words answer, not only those about a topic."""
    return _ONLY_WHAT_SAID.search(question) is not None


def asked_speakers(question: str) -> list[str]:
    """The people a "What did <name> say?" question asks to hear from, by name without a title
    ("Olaf Scholz" of "German Chancellor Olaf Scholz", "Macron" of "President Macron"); none when
    the speaker is an office alone ("the finance minister") or the question is of another form."""
    match = _ASKED_SPEAKER.search(question)
    if match is None:
        return []
    parts = [part for part in _CONJUNCTION.split(match.group("who")) if part.strip()]
    found = []
    for part in parts:
        if re.search(r"['’]s\s|\sof\s", part):  # "Kestrel's CFO", "the mayor of Lyon": an office
            continue
        words = [re.sub(r"(?:['’]s?|\.)$", "", word) for word in part.split()]
        if len(words[-1]) < 2 or not words[-1][0].isupper():
            continue
        name = [words[-1]]
        if len(words) > 1 and words[-2][:1].isupper() and not _a_title(words[-2]):
            name.insert(0, words[-2])  # a first name, when it is not a title ("Dr.", "President")
        found.append(" ".join(name))
    return found if len(found) == len(parts) else []  # "Putin and the minister": not checked


# Words that make an office another one ("prime minister", "finance minister").
_OF_AN_OFFICE = frozenset(
    """prime deputy vice chief foreign finance interior defence defense health energy education transport
    justice economy trade environment agriculture culture labour labor housing""".split()
)


def asked_office(question: str) -> str | None:
    """The office a "What did <office> say?" question names its speaker by, when it names no one
    ("prime minister" of "What did Norway's prime minister say about the cut?", "mayor" of "What
    did the mayor of Lyon say?"): its last word one of `named.ROLES`, the words before it that
    make it one office ("prime", "finance"), without its owner or place."""
    match = _ASKED_SPEAKER.search(question)
    if match is None or _CONJUNCTION.search(match.group("who")):
        return None
    who = re.split(r"\s+of\s+", match.group("who"))[0]
    words = who.split()
    owner = max((i for i, word in enumerate(words) if re.search(r"['’]s?$", word)), default=-1)
    words = [w for w in words[owner + 1 :] if w.casefold() not in ("the", "a", "an")]
    known = TITLES | set(ROLES) | _OF_AN_OFFICE
    while len(words) > 1 and words[0][:1].isupper() and words[0].casefold() not in known:
        words = words[1:]  # whose office: "the Latvian prime minister"
    if not words or words[-1].casefold() not in ROLES or any(w[:1].isupper() and w.casefold() not in known for w in words):
        return None  # "President Macron": a name, checked by `asked_speakers`
    # the office is its last word with the words that make it another one ("finance minister");
    # whose it is may be written otherwise ("the pilots' union chairman": "NPA chairman")
    return " ".join(w.casefold() for w in words if w.casefold() in _OF_AN_OFFICE or w is words[-1])


_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}"


def office_holders(office: str, texts: Sequence[str]) -> list[str]:
    """The people these texts give the office ("Foreign Minister Rosa Quispe", "Rosa Quispe,
    Bolivia's foreign minister", "Foreign Minister Ignacio Valdivieso and his Bolivian
    counterpart, Rosa Quispe"), by surname: what they said is the office's words."""
    phrase = _office_words(office)
    found: list[str] = []
    for text in texts:
        named = [m.group(1) for m in re.finditer(rf"\b(?i:{phrase})\s+({_NAME})", text)]
        named += [m.group(1) for m in re.finditer(rf"\b({_NAME}),\s+(?:(?:the|a|[A-Z][\w'’]*)\s+){{0,3}}(?i:{phrase})\b", text)]
        # "Foreign Minister Ignacio Valdivieso and his Bolivian counterpart, Rosa Quispe Mamani"
        counterpart = rf"\b(?i:{phrase})\s+{_NAME}[^.]{{0,40}}?\bcounterparts?,?\s+({_NAME})"
        named += [m.group(1) for m in re.finditer(counterpart, text)]
        for name in named:  # each word after the first may be the surname used ("Rosa Quispe Mamani": "Quispe")
            words = name.split()
            found.extend(words[1:] or words)
    return list(dict.fromkeys(name for name in found if not _a_title(name)))


_HOLDER = "Officeholder"  # an office, where a sentence names it, read as a name would be


def _office_words(office: str) -> str:
    """The office as a pattern of its words, any space between them ("prime\\s+minister")."""
    return r"\s+".join(map(re.escape, office.split()))


def _office_marked(text: str, office: str) -> str:
    return re.sub(rf"\b{_office_words(office)}\b", _HOLDER, text, flags=re.IGNORECASE)


def _a_title(word: str) -> bool:
    """"Dr.", "President", "Minister": a word before a name that is no first name."""
    return word.lower() in TITLES or word.lower() in ROLES


def names_as_speaker(name: str, text: str, acting: bool = False) -> bool:
    """Whether `text` gives `name` (a surname, or a first name and a surname) as the one who
    speaks, not the one spoken to; with `acting`, as the one who does anything ("Lind apologised").
    Another first name before the surname is another person ("Viktor Hale" of "Martin Hale")."""
    *first, last = name.split()
    after_name = _ACTS_AFTER if acting else _SPEAKS_AFTER
    for m in re.finditer(rf"\b{re.escape(last)}\b(?:['’]s?)?", text):
        before = text[: m.start()]
        given = re.search(r"\b([A-Z][\w’'-]*)\s+$", before)
        if first and given and given[1] != first[0] and not _a_title(given[1]):
            continue
        if _ACCORDING_TO.search(before):
            return True
        if _SPOKEN_TO.search(before):
            continue
        after = text[m.end() :]
        if _SPEAKS_BEFORE.search(before) or _SPEAKS_AFTER_OFFICE.search(before[-200:]):
            return True
        if after_name.match(after) or _SPEAKS_THEN.match(after):
            return True
        if _SPEAKS_AFTER_APPOSITION.match(after) and not _AFTER_A_PREPOSITION.search(before):
            return True
    return False


def _writes(name: str, text: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", text) is not None


def _before(sentence: EvidenceSentence, count: int) -> list[str]:
    """The text of the `count` sentences before `sentence` in its passage."""
    return [sentence.passage.text[start:end] for start, end, _, _ in _spans_before(sentence, count)]


def _spans_before(sentence: EvidenceSentence, count: int) -> list[tuple[int, int, int, int]]:
    """The spans (passage.sentence_spans) of the `count` sentences before `sentence` in its passage."""
    spans, i = _placed(sentence)
    return spans[max(0, i - count) : i]


def _spans_after(sentence: EvidenceSentence, count: int) -> list[tuple[int, int, int, int]]:
    spans, i = _placed(sentence)
    return spans[i + 1 : i + 1 + count] if spans else []


def _placed(sentence: EvidenceSentence) -> tuple[list[tuple[int, int, int, int]], int]:
    """Its passage's sentence spans and the index of `sentence` among them; no spans where it is not one."""
    spans = sentence.passage.sentence_spans()
    starts = [src_start for _, _, src_start, _ in spans]
    if sentence.source_start not in starts:
        return [], 0
    return spans, starts.index(sentence.source_start)


def _at(sentence: EvidenceSentence, span: tuple[int, int, int, int]) -> EvidenceSentence:
    """Another sentence of `sentence`'s passage, by its span, as far as `speaks` reads one."""
    start, end, src_start, src_end = span
    return replace(sentence, text=sentence.passage.text[start:end], source_start=src_start, source_end=src_end)


def _leaves_open(text: str) -> bool:
    """Whether a quotation is still open at the end of `text` (“My well went dry in 2022.)."""
    marks = _QUOTE_MARKS.findall(text)
    if not marks:
        return False
    if any(m != '"' for m in marks):
        return marks[-1] == "“"
    return len(marks) % 2 == 1 and _opening(text, text.rfind('"'))


def _closes_one(text: str) -> bool:
    """Whether `text` closes a quotation it did not open (… and that cost me forty thousand dollars,” Hadley said.)."""
    marks = _QUOTE_MARKS.findall(text)
    if not marks:
        return False
    if any(m != '"' for m in marks):
        return marks[0] == "”"
    return len(marks) % 2 == 1 and not _opening(text, text.find('"'))


def _opening(text: str, at: int) -> bool:
    """Whether the straight quotation mark at `at` opens a quotation: after a space, or first."""
    return at == 0 or text[at - 1].isspace() or text[at - 1] in "(["


def _quoted_with(sentence: EvidenceSentence) -> list[EvidenceSentence]:
    """The sentences that open and close the quotation `sentence` is part of, where it is not the
    only one: "“My well went dry in 2022. I had to drill another ninety feet,” Hadley said." is two
    sentences, the first of which names no one; its speaker is named where the quotation closes
    (or opens: Olsen said: “Forty positions means bigger classes. Nobody should dress that up.”).
    A held-out check of quotes found five of nineteen quotes on the topic asked refused so."""
    text = sentence.text
    inside = not _QUOTE_MARKS.search(text) and any(
        _leaves_open(sentence.passage.text[a:b]) for a, b, _, _ in _spans_before(sentence, 1)
    )
    found = []
    if _leaves_open(text) or inside:  # where it closes
        found.append(_first_marked(sentence, _spans_after(sentence, _QUOTE_SENTENCES), _closes_one))
    if _closes_one(text) or inside:  # where it opens
        found.append(_first_marked(sentence, _spans_before(sentence, _QUOTE_SENTENCES)[::-1], _leaves_open))
    return [s for s in found if s is not None]


def _first_marked(
    sentence: EvidenceSentence, spans: Sequence[tuple[int, int, int, int]], ends: Callable[[str], bool]
) -> EvidenceSentence | None:
    """The first of these sentences of `sentence`'s passage with a quotation mark, where it `ends`
    the quotation (opens or closes it); None where another mark comes first or none does."""
    for span in spans:
        text = sentence.passage.text[span[0] : span[1]]
        if _QUOTE_MARKS.search(text):
            return _at(sentence, span) if ends(text) else None
    return None


def speaks(names: Sequence[str], sentence: EvidenceSentence, office: str | None = None, quoted: bool = True) -> bool:
    """Whether `sentence` gives one of `names` as its speaker (see the module's rules); with
    `office` (`asked_office`), the one who holds it, by that office ("Prime Minister Jonas Berg
    said", "the prime minister said", "Berg, the prime minister, said"; not "Finance Minister
    Anders Lyngstad told reporters"); one sentence of a quotation of several, by where it opens or
    closes (`_quoted_with`; not with `quoted` False)."""
    if office is not None:
        names = [_HOLDER]
    text = sentence.text if office is None else _office_marked(sentence.text, office)
    if any(names_as_speaker(name, text) for name in names):
        return True
    if quoted and any(speaks(names, other, office, quoted=False) for other in _quoted_with(sentence)):
        return True  # one sentence of a quotation that names its speaker where it opens or closes
    outlet = str(sentence.passage.metadata.get("outlet") or "")
    if any(_writes(name.split()[-1], outlet) for name in names):  # "What did Xinhua say?" of Xinhua's article
        return True
    role = _ROLE_SPEAKS.search(text) is not None  # "the minister added", "the heads of state reviewed"
    if not role and _PRONOUN_SPEAKS.search(text) is None and not _ONLY_A_QUOTE.match(text):
        return False
    before = [t if office is None else _office_marked(t, office) for t in _before(sentence, 2)]
    if role:
        return any(names_as_speaker(name, said, acting=True) for name in names for said in [text, *before])
    # "he said", or a quotation alone: the speaker is the one the nearest sentence before that
    # names someone acting names ("Kenji Sato told Elena Ruiz ... He said": Sato's words)
    for earlier in reversed(before):
        if any(names_as_speaker(name, earlier, acting=True) for name in names):
            return True
        if _NAMES_SOMEONE_ACTING.search(earlier):
            return False
    # no one acts before it in the passage: the one the article is about, by its title ("Martin
    # Luther": "From 1525 to 1529, he ... wrote a clear summary of the new faith")
    title = str(sentence.passage.metadata.get("title") or "")
    return any(_writes(name.split()[-1], title) for name in names)


def quoted_after(sentence: EvidenceSentence, sentences: Sequence[EvidenceSentence]) -> EvidenceSentence | None:
    """The sentence right after `sentence` in its passage (of `sentences`), where it holds a
    quotation: "Lindqvist thanked the volunteers who ran a shelter." is followed by what he said
    of them, "“People showed up with blankets and casseroles before we even asked,” he said."."""
    by_start = _of_its_article(sentence, sentences)
    after = [found for _, _, start, _ in _spans_after(sentence, 1) if (found := by_start.get(start)) is not None]
    return after[0] if after and quotes(after[0]) else None


def _of_its_article(sentence: EvidenceSentence, sentences: Sequence[EvidenceSentence]) -> dict[int, EvidenceSentence]:
    """The sentences of `sentence`'s article, by where they start in its file."""
    return {s.source_start: s for s in sentences if s.doc_id == sentence.doc_id}


# What reports someone's words: a quotation mark or a verb of saying ("expected" and "called"
# too: a sentence read as someone's words is only not read as the article's own).
_REPORTS_WORDS = re.compile(rf"{_QUOTE_MARKS.pattern}|\b(?i:{_SAYING_VERBS})\b")


def quotes(sentence: EvidenceSentence) -> bool:
    """Whether `sentence` holds a quotation: someone's own words ("“It's hard not to,” Suter said")."""
    return _QUOTE_MARKS.search(sentence.text) is not None


def narrated_before(sentence: EvidenceSentence, sentences: Sequence[EvidenceSentence], count: int = 2) -> list[EvidenceSentence]:
    """The article's own sentences just before `sentence` in its passage (of `sentences`), nearest
    first: at most `count`, up to the first that reports someone's words (another speaker's, or
    the same one's earlier quote). What a quotation replies to is often said there: "Boudreau has
    been on his players to avoid looking at the standings." before "“It's hard not to, though,”
    Suter acknowledged." (a review of real news pages)."""
    by_start = _of_its_article(sentence, sentences)
    narrated: list[EvidenceSentence] = []
    for _, _, start, _ in reversed(_spans_before(sentence, count)):
        earlier = by_start.get(start)
        if earlier is None or _REPORTS_WORDS.search(earlier.text):
            break
        narrated.append(earlier)
    return narrated


_ASKS_WHO_SAID = re.compile(rf"^\W*(?:and\s+)?who\s+(?:(?:had|has|have|first|publicly)\s+)?(?:{_SAYING_VERBS})\b", re.IGNORECASE)


def asks_who_said(question: str) -> bool:
    """"Who said the victory is a gift?", "Who warned that ...?"."""
    return _ASKS_WHO_SAID.search(question) is not None


def attribution_of(sentence: EvidenceSentence, sentences: Sequence[EvidenceSentence]) -> EvidenceSentence | None:
    """The sentence that names who speaks in `sentence`, when it is a quotation alone or "he
    said" ("“The victory is a gift.”", "“The buck stops with me,” he wrote."): the nearest one
    before it in its passage that gives someone as acting; None for a sentence that names its
    speaker, or when no sentence before it does."""
    if _NAMES_SOMEONE_ACTING.search(sentence.text) or not (
        _ONLY_A_QUOTE.match(sentence.text) or _PRONOUN_SPEAKS.search(sentence.text)
    ):
        return None
    before = [
        s for s in sentences if s.passage.chunk_id == sentence.passage.chunk_id and s.source_start < sentence.source_start
    ]
    for candidate in sorted(before, key=lambda s: s.source_start, reverse=True)[:2]:
        if _NAMES_SOMEONE_ACTING.search(candidate.text):
            return candidate
    return None

