"""Title, outlet and published date of an article, only as its text states them.

Web pages say more in their markup: see page_metadata.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from assistant.dates import WEEKDAY, WEEKDAYS, FoundDate, find_dates
from assistant.ingest.cleaning import Layout, Line, is_breadcrumb, is_dateline, unspaced_words
from assistant.ingest.loading import SourceText

_SECTION_WORDS = frozenset(
    """home news world international politics business economy europe opinion sports
    analysis live video latest breaking top local national culture science tech""".split()
)
_NAME_WORD = re.compile(r"^[\w.&'-]+$")
_NAME_LINKS = frozenset("of the and & de la del der van von".split())  # no word of a name's length
_DOMAIN = re.compile(r"\b([A-Z][\w-]+\.(?:net|com|org|ru|ua|info|news|co\.uk|fr|de))\b")
_NEWS_FROM = re.compile(r"\bnews from ([A-Z][\w.-]+(?: [A-Z][\w.-]+){0,3})", re.IGNORECASE)
_BREADCRUMB_SPLIT = re.compile(r"\s(?:»|›|>|/)\s")
_DATELINE_PARTS = re.compile(r"\s*[|•·]\s*|\s+[—–-]\s+")
_BY = re.compile(r"^by\s", re.IGNORECASE)
# What a byline says of its author after a comma that is no outlet: "By Jane Doe, Staff Writer".
_ROLE = frozenset(
    """staff writer writers reporter reporters correspondent correspondents editor editors
    contributor contributing columnist producer analyst photographer chief bureau senior political
    business science health deputy special associate""".split()
)
# What a time stamp says before its date: "Published", "Last Updated", "Posted on". No outlet.
_STAMP = re.compile(
    r"^(?:(?:first|last|originally)\s+)?(?:published|posted|updated|modified|created|filed|edited|revised)"
    r"(?:\s+(?:on|at))?:?$",
    re.IGNORECASE,
)
# A date a time stamp gives as the last change, not the publication: "Updated March 5, 2024".
_CHANGED = re.compile(r"\b(?:updated|modified|edited|revised)\b", re.IGNORECASE)
# A wire story's dateline that names its agency: "WASHINGTON (Reuters) -", "MOSCOW, Feb. 12
# (Xinhua) --", "(CNN) —". The outlet of a story that names none other.
_WIRE = re.compile(
    r"^\W*(?:[A-Z][A-Z'’.-]+(?:\s[A-Z][A-Z'’.-]+)*(?:,\s[^()]{1,40}?)?\s*)?\(([A-Z][\w&.' -]{1,30})\)\s*(?:--|[-–—])\s"
)
# A copyright line above the story, as news databases' exports write one (Factiva: "Copyright
# 2024 Harbor Gazette Inc."; Nexis: "Copyright 2024 Harbor Gazette Inc. All Rights Reserved"):
# the holder is the outlet of a story that names none otherwise. The word "Copyright" or "All
# rights reserved" and a year are required: "© 2024 Getty Images" over a photo is a credit.
_YEARS = r"(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?"
_COPYRIGHT = re.compile(
    r"^(?:(?:©|\(c\))\s*)?(?P<word>copyright\b)?\s*(?:©|\(c\))?\s*(?P<year>" + _YEARS + r")?,?\s*"
    r"(?P<holder>.+?)(?:,?\s+(?P<after>" + _YEARS + r"))?(?:\s+(?:&|and))?"
    r"(?:,?\s+(?:inc|ltd|llc|plc|corp|corporation|limited|co|company|gmbh|ag|sa|group|l\.?p)\.?)*"
    r"(?P<reserved>[.;,]?\s*all rights reserved)?[.\s]*$",
    re.IGNORECASE,
)
_CREDITED = frozenset("images image photos photo photography pictures stock".split())  # "Getty Images"
_HEADING = re.compile(r"^#{1,6}\s+")  # a Markdown heading: "# Council bans leaf blowers"
_EMPHASIS = " ,|-—*_"  # around a dateline's parts, Markdown's emphasis too: "**Harbor Gazette** | …"
_TOP_LINES = 8
_TITLE_FALLBACK_WORDS = 12


@dataclass(frozen=True)
class ArticleMetadata:
    title: str
    outlet: str | None
    published: date | None


def _looks_like_name(text: str, max_words: int = 4) -> bool:
    words = text.split()
    return (
        0 < len([w for w in words if w not in _NAME_LINKS]) <= max_words
        and words[0] not in _NAME_LINKS
        and all(w in _NAME_LINKS or (w[0].isupper() and _NAME_WORD.match(w)) for w in words)
        and text.lower() not in _SECTION_WORDS
        and not find_dates(text)
        and not any(w.casefold().strip(".,") in WEEKDAYS for w in words)  # "Monday, November 18, 2019"
    )


def _story_start(layout: Layout) -> int | None:
    """Where the story's first line starts in the text; None for a layout with no story."""
    return min((line.start for line in layout.body), default=None)


def _top_lines(layout: Layout) -> list[Line]:
    """The first lines of the text: its header, story and dropped lines; of the lines dropped
    from within the story, only a byline or time stamp ("By Sam Ortiz | March 3, 2024" under a
    standfirst), not a link or a caption that holds a date ("READ MORE: Fares frozen after the
    protest on January 12, 2023"; "Photo: the bridge, February 27, 2024")."""
    story = _story_start(layout)
    dropped = [line for line, _ in layout.dropped if story is None or line.start < story or is_dateline(line)]
    return sorted(layout.header + dropped + layout.body, key=lambda line: line.start)[:_TOP_LINES]


def _is_masthead(line: Line, layout: Layout) -> bool:
    """A site's "today" banner: a weekday date standing before the article starts."""
    first = min((ln.start for ln in layout.header + layout.body), default=line.start)
    return bool(WEEKDAY.search(line.text)) and line.start <= first


def _published(layout: Layout, title: str, day_first: bool) -> date | None:
    """The date of the first time stamp at the top: its publication date where it also gives
    the last change ("Updated March 5, 2024; Published March 3, 2024"). Not a date of the
    headline ("What to know before the April 15, 2024 tax deadline")."""
    body = {line.start for line in layout.body}
    for line in _top_lines(layout):
        if line.start in body or _is_masthead(line, layout) or _HEADING.sub("", line.text) == title:
            continue
        found = find_dates(line.text, day_first)
        if found:
            return _first_published(line.text, found).value
    return None


def _first_published(text: str, dates: list[FoundDate]) -> FoundDate:
    """Of the dates of one line, the first that the words before it (since the last date) do not
    give as a change; the first date when each is one."""
    before = 0
    for found in dates:
        if not _CHANGED.search(text[before : found.start]):
            return found
        before = found.end
    return dates[0]


def _outlet_beside_author(text: str, dates: list[FoundDate]) -> str | None:
    """The outlet of a dateline that also names the author: "By Sam Ortiz | Coastal Ledger |
    March 16, 2024". Only when every other part is the author's or the date's."""
    for found in reversed(dates):
        text = text[: found.start] + "|" + text[found.end :]
    parts = [part.strip(_EMPHASIS) for part in _DATELINE_PARTS.split(text)]
    parts = [part for part in parts if part]
    authors = [part for part in parts if _BY.match(part)]
    others = [part for part in parts if not _BY.match(part)]
    if authors and len(others) == 1 and _looks_like_name(others[0]):
        return others[0]
    if len(authors) == 1 and not others:  # "By Jane Doe, Harbor Gazette | March 6, 2024"
        _, comma, after = authors[0].rpartition(",")
        after = after.strip()
        if comma and _looks_like_name(after) and _ROLE.isdisjoint(after.casefold().split()):
            return after
    return None


def _outlet(layout: Layout, title: str) -> str | None:
    """The outlet as the top of the text names it: first a masthead line above the headline
    ("EL PAÍS", "РИА Новости"), then a dateline's name ("Harbor Gazette | March 3, 2024"; below a
    masthead such a line names a city: "Málaga - 14 feb 2022 - 09:12 CET"), a copyright holder, a
    "news from" or a domain in the dropped lines, a wire story's agency."""
    if len(layout.header) >= 2:
        first = layout.header[0]
        if first.text != title and _looks_like_name(first.text) and first.words >= 2:
            return first.text
    body = {line.start for line in layout.body}
    top = [line for line in _top_lines(layout) if line.start not in body and not _is_masthead(line, layout)]
    for line in top:
        found = find_dates(line.text)
        byline = line.text[: found[0].start].strip(_EMPHASIS) if found else ""
        if byline and _looks_like_name(byline) and not _BY.match(byline) and not _STAMP.match(byline):
            return byline  # "Harbor Gazette | March 3, 2024"; not "By Jane Doe | …", "Published …"
        if found and (outlet := _outlet_beside_author(line.text, found)):
            return outlet
    story = _story_start(layout)
    above = [line for line in [*layout.header, *(d for d, _ in layout.dropped)] if story is None or line.start < story]
    for line in sorted(above, key=lambda line: line.start):
        if holder := _copyright_holder(line.text.strip(_EMPHASIS)):
            return holder
    for line, _ in layout.dropped:
        m = _NEWS_FROM.search(line.text) or _DOMAIN.search(line.text)
        if m:
            return m.group(1)
    if layout.body and (wire := _WIRE.match(layout.body[0].text)) and _looks_like_name(wire.group(1)):
        return wire.group(1)  # "WASHINGTON (Reuters) - …": the agency that filed it
    return None


def _copyright_holder(text: str) -> str | None:
    """Who a copyright line (`_COPYRIGHT`) names, when it names an outlet: "Harbor Gazette" of
    "Copyright 2024 Harbor Gazette Inc. All Rights Reserved"; not a photo agency's credit."""
    m = _COPYRIGHT.match(text)
    if m is None or not (m["word"] or m["reserved"]) or not (m["year"] or m["after"]):
        return None
    holder = m["holder"]
    if not _looks_like_name(holder, max_words=5) or holder.split()[-1].casefold() in _CREDITED:
        return None
    return holder


def _dated_headline(line: Line) -> bool:
    """A line with a date that reads as a headline, not as a byline or time stamp: not one
    (`is_dateline`), nor one that opens with "By" or a stamp word or splits into parts ("Sam Ortiz
    · March 3, 2024 · 4 min read"; "Published March 3, 2024 in local news")."""
    first = line.text.split()[0] if line.text.split() else ""
    return not (
        is_dateline(line)
        or _BY.match(line.text)
        or _STAMP.match(first)
        or re.search(r"\s[|•·]\s|\s[—–-]\s", line.text)
    )


def _title(source: SourceText, layout: Layout) -> str:
    candidates: list[str] = []
    dated: list[str] = []  # headlines that hold a date ("What to know before the April 15, 2024 tax deadline")
    for line in layout.header:
        if is_breadcrumb(line):
            candidates.append(_BREADCRUMB_SPLIT.split(line.text)[-1].strip())
        elif line.words <= 1:
            continue
        elif not find_dates(line.text):
            candidates.append(_HEADING.sub("", line.text))
        elif _dated_headline(line):
            dated.append(_HEADING.sub("", line.text))
    candidates = candidates or dated  # a dated line is the title only where no other line is
    counts = Counter(candidates)
    repeated = next((c for c in candidates if counts[c] > 1), None)
    if repeated is not None:
        return repeated
    size = {c: len(c.split()) + unspaced_words(c) for c in candidates}
    headlines = [c for c in candidates if size[c] >= 4] or [c for c in candidates if size[c] >= 2]
    # Of two or more, not one that only names, as an outlet's line does ("North Africa Business
    # Wire" above "Late and over budget, Marrakech tram already reshaping property market").
    headlines = [c for c in headlines if not _looks_like_name(c)] or headlines
    if headlines:
        return headlines[0]
    if source.facts is not None and source.facts.title:
        return source.facts.title
    if layout.body:
        words = layout.body[0].text.split()
        short = " ".join(words[:_TITLE_FALLBACK_WORDS])
        return short + ("…" if len(words) > _TITLE_FALLBACK_WORDS else "")
    return source.path.stem


def extract(source: SourceText, layout: Layout, day_first: bool = False) -> ArticleMetadata:
    """`day_first`: the article's language writes a date in figures day first (`find_dates`)."""
    title = _title(source, layout)
    return ArticleMetadata(
        title=title,
        outlet=_outlet(layout, title),
        published=_published(layout, title, day_first),
    )
