"""Separating an article's story from the page junk around it.

Works on lines of plain text and never rewrites them: the story is a list of
line spans of the original text, so offsets stay exact.

The rules, in order:
- a line matching a junk phrase (comment forms, "Source link", subscribe
  lines, newsletter and cookie notices, share buttons, link promotions) is junk,
  unless it is longer than such blocks are; one that only holds what a story may
  say too (a web address, "©", "click here") is junk when it is no sentence;
- a section marker ("Latest News", "Featured Video", "Editorial Pick", "Our
  readers are reading too", "Related", ...) starts a link list: what follows is
  junk until a long paragraph of prose;
- the header is everything before the first line of prose; it holds the
  title, outlet, date, section and breadcrumbs, and is kept apart for metadata;
- after the header, a line is story only if it is prose (it ends like a
  sentence, or is long); headline-like lines there are teasers for other pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from assistant.dates import find_dates
from assistant.ingest.sentences import SENTENCE_END

CLEANER_VERSION = "3"  # 3: HTML stories by trafilatura, sentence rule fixes
# The rules that read an article's title, outlet and date (metadata.py, page_metadata.py,
# declared.py, archives.py) and tell its story from page furniture where no story changes for
# most files (2026-12-06.1: junk phrases in prose; .2: a headline ending in a quote mark; .3:
# dates written out in other languages; .4: a page's promotions; .5: a masthead line before a
# dateline's name, capitals of any script in a name; .6: a page's headline atop its story is its
# title; .7: a newsletter's heading and "Listen to ... live" are promotions; .8: an outlet's name with "&" or
# "de la"; 2026-12-07.1: bulleted items and short questions inside a story are story, a
# correction note is not; .2: the times of day a live blog's entries stand under): the
# date of their last change
# that reads some file otherwise (".N" for a later change that day). An index whose articles were
# read by older rules answers as before, and says that an ingest of
# their files reads them again (`Assistant` warns when it opens one; the index records these rules
# once an ingest has read every article it lists); it is no mismatch, as CLEANER_VERSION is.
READ_RULES = "2026-12-07.2"  # .1: a story's bulleted items, its headings that ask; correction notes; .2: a live blog's times

_JUNK_LINE = re.compile(
    r"""^(?:
        leave\ a\ (?:reply|comment) | source\ link | by\ admin | comments?\ (?:off|closed)
        | share(?:\ this)?(?:\ article)? | print | advertisement | continue\ reading
        | related(?:\ (?:articles|news|posts|stories))? | read\ (?:more|also|next)
        | tags?:.* | filed\ under:.* | posted\ in:.* | follow\ us.*
        | receive\ our\ daily\ newsletter | sign\ up\ for\ .* | skip\ to\ (?:main\ )?content
    )\.?$""",
    re.IGNORECASE | re.VERBOSE,
)
# Page furniture's own phrases (comment forms, newsletter and cookie notices, copyright lines): a
# line that holds one is junk unless it is longer than any such block (a story pasted as one line
# that ends in a comment form is a story). "A ... then B" is read from the first A only (an atomic
# group): the same lines, found in one pass, where ".*" from every "subscribe" of a long line read
# the rest of it again for each.
_JUNK_PHRASE = re.compile(
    r"""subscribe\ to\ our | ^(?>.*?\bsubscribe\b).*\b(?:channel|newsletter)\b | ^(?>.*?newsletter\b).*\bsign
        | akismet | comment\ data\ is\ processed | your\ email\ address\ will\ not\ be\ published
        | required\ fields\ are\ marked | all\ rights\ reserved | read\ in\ material | \bt\.me/
        | comment\ policy | comments\ are\ moderated | be\ respectful | log\ in\ to\ comment
        | \b(?:we|this\ (?:web)?site|our\ (?:web)?site)\ uses?\ cookies\b | \buse\ of\ cookies\b
        | \b(?:accept|allow|reject)\ (?:all\ )?cookies\b | \bcookies?\ (?:policy|settings|preferences|consent)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
MAX_FURNITURE_WORDS = 60
# What furniture says and a story's prose may say too ("write to the regulator at
# www.dataregulator.example", "tracking cookies before visitors could accept them", "click
# here"): junk only in a line that is no sentence of prose ("Source: https://…", "© 2022 Example
# Media", "Click here for more").
_FURNITURE_WORDS = re.compile(
    r"""https?:// | www\.\S+ | \u00a9 | click\ here | ^(?>.*?\bcookies?\b).*\b(?:accept|use)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A literal every alternative of _JUNK_PHRASE and _FURNITURE_WORDS contains, casefolded: a line
# without any is not searched (the search scans every position of a long paragraph; most lines
# have none of these).
_JUNK_CUES = (
    "subscribe", "newsletter", "akismet", "comment", "email address", "required fields",
    "rights reserved", "\u00a9", "cookie", "click here", "read in material", "http", "www.",
    "t.me/", "be respectful",
)
_SECTION_MARKER = re.compile(
    r"""^(?:featured\ videos? | editorial\ picks? | latest\ news | latest | most\ (?:read|popular|viewed)
        | trending(?:\ now)? | our\ readers\ are\ reading\ too | you\ may\ also\ like | recommended(?:\ for\ you)?
        | more\ (?:stories|news|from\ .*) | related(?:\ (?:articles|news|posts|stories|coverage))?
        | popular(?:\ posts)? | top\ stories | in\ case\ you\ missed\ it | don't\ miss
    )\s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)
_LIST_ITEM = re.compile(r"^\w[\w ]{0,20}\s*\|\s*\S")  # "Opinion| ..." teaser lines
# A bulleted item, its marker and the space after it: "• Residents' permits rise to 120 euros a
# year", "- Fines for overstaying rise from 40 to 70 euros".
_BULLET = re.compile(r"^[•▪◦‣●∙·*–—-]\s+(?=\w)")
MIN_ITEM_WORDS = 4
# An outlet's note of what an earlier version of the article got wrong: "Correction: An earlier
# version of this article said the plant would create 40 jobs. It will create 400 jobs." Its
# sentences stated the wrong figure beside the right one and, split from it ("It will create 400
# jobs."), answered other articles' questions (a review of news formats); the story it follows
# holds what is right.
_CORRECTION_NOTE = re.compile(
    r"^(?:corrections?|clarifications?|editor['’]s\s+note)\s*[:.\-–—]"
    r"|^(?:an\s+)?(?:earlier|previous)\s+versions?\s+of\s+this\s+(?:article|story|report)",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"\s(?:»|›|>|/)\s")
# A line ends as a sentence ends (sentences.SENTENCE_END: its stop, then any closing quotes or
# brackets). A line that ends in a quote mark alone is no sentence ("Scholz and Biden warn Moscow
# of "high costs"": a headline, read as the story's first line, lost the title and the outlet
# line after it).
_TERMINAL = SENTENCE_END
# The letters of scripts written without spaces between words: CJK ideographs, kana, Thai, Lao.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff]")
_WORD = re.compile(r"\w+")
_TIME_OF_DAY = re.compile(
    r"\b(?:[01]?\d|2[0-3])[:.h][0-5]\d\b(?:\s*[ap]\.?m\.?)?(?:\s+(?-i:[A-Z]{2,4})\b)?", re.IGNORECASE
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_STAMP_WORD = re.compile(
    r"\b(?:by|updated|published|posted|last|modified|on|at|and|(?-i:[A-Z]{2,4}))\b|[|,:;·•—–()-]", re.IGNORECASE
)
_NAME = re.compile(r"^(?:[A-Z][\w.'’-]*|of|de|van|von|da|la|le|del|der)$")
_MAX_DATELINE_WORDS = 16
_MAX_DATELINE_CHARS = 200  # longer lines are not looked at further


@dataclass(frozen=True)
class Line:
    """A non-blank line: its stripped text and where that text lies."""

    text: str
    start: int
    end: int

    @cached_property
    def words(self) -> int:
        return word_count(self.text)


@dataclass
class Layout:
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    dropped: list[tuple[Line, str]] = field(default_factory=list)


def word_count(text: str) -> int:
    """The words of `text`, and `unspaced_words`."""
    return len(_WORD.findall(text)) + unspaced_words(text)


def unspaced_words(text: str) -> int:
    """The words of `text` in a script written without spaces (Chinese, Japanese, Thai): one for
    every two of its letters, so that a sentence or a headline of them counts as one in English does."""
    return len(_UNSPACED.findall(text)) // 2


def split_lines(text: str) -> list[Line]:
    lines = []
    for m in re.finditer(r"[^\r\n]+", text):
        raw = m.group()
        stripped = raw.strip()
        if stripped:
            start = m.start() + (len(raw) - len(raw.lstrip()))
            lines.append(Line(stripped, start, start + len(stripped)))
    return lines


def is_prose(line: Line) -> bool:
    return (line.words >= 6 and bool(_TERMINAL.search(line.text))) or line.words >= 20


def is_breadcrumb(line: Line) -> bool:
    return len(_BREADCRUMB.findall(line.text)) >= 2


def is_dateline(line: Line) -> bool:
    """A byline or time stamp standing as a line of its own: "5:45 AM PST 11/19/2019 by Patrick
    Shanley", "by Jeff Foust", "Monday, November 18, 2019", "Updated: Nov 19, 2019 10:00 am ET";
    in any language, a line with a year and a time of day ("sexta-feira, 22 de outubro de 2010 às
    20:13"). Otherwise what is left once the dates, times and words like "updated" and "by" are
    taken out must be nothing or a name or two."""
    if len(line.text) > _MAX_DATELINE_CHARS or _TERMINAL.search(line.text) or line.words > _MAX_DATELINE_WORDS:
        return False
    if _YEAR.search(line.text) and _TIME_OF_DAY.search(line.text):
        return True  # "sexta-feira, 22 de outubro de 2010 às 20:13", whatever its words around the date
    dates = find_dates(line.text)
    if not dates and not re.match(r"by\s", line.text, re.IGNORECASE):
        return False
    rest = line.text
    for found in reversed(dates):
        rest = rest[: found.start] + " " + rest[found.end :]
    rest = _STAMP_WORD.sub(" ", _TIME_OF_DAY.sub(" ", rest))
    words = rest.split()
    return len(words) <= 6 and all(_NAME.match(w) for w in words)


# What a page says of itself between paragraphs of its story, in sentences of its own: its
# newsletters, memberships and social accounts, its reporters' addresses ("Reach the reporters on
# Twitter", "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube", "If you enjoyed this
# article, ... Join NRPLUS", "Listen to Newsbeat live at 12:45", a heading "Pick Six Newsletter"). Never a fact of the story; trafilatura keeps them as paragraphs.
_PROMO = re.compile(
    r"""^(?:follow|like|find)(?:\ \S+){1,4}\ on\ (?:instagram|facebook|twitter|youtube|tiktok|linkedin)\b
        | ^reach\ the\ reporters?\b | ^(?:contact|email)\ the\ (?:reporter|author|writer)s?\b
        | \bif\ you\ (?:enjoyed|liked)\ this\ (?:article|story|piece)\b | ^join\ \S+\ ?(?:plus|premium)\b
        | ^\S+@\S+\.\w+$
        | ^listen\ to\ (?:\S+\ ){1,3}live\b | (?-i:^(?:[A-Z0-9][\w'’&-]*\ ){1,4}Newsletter$)
    """,
    re.IGNORECASE | re.VERBOSE,
)


def furniture_reason(line: Line) -> str | None:
    """Why a paragraph of a page's story (as trafilatura found it) is the page's own furniture: a
    junk line or phrase (junk_reason's, without the context of the lines around it) or a promotion
    of the site (_PROMO); None for the story."""
    if _JUNK_LINE.match(line.text):
        return "junk line"
    if _furniture_phrase(line):
        return "junk phrase"
    if line.words <= MAX_FURNITURE_WORDS and _PROMO.search(line.text):
        return "the site's promotion"
    return None


def _furniture_phrase(line: Line) -> bool:
    """Whether the line holds a phrase of page furniture (_JUNK_PHRASE) and is no longer than
    furniture is (MAX_FURNITURE_WORDS)."""
    return line.words <= MAX_FURNITURE_WORDS and _JUNK_PHRASE.search(line.text) is not None


def junk_reason(line: Line) -> str | None:
    if _JUNK_LINE.match(line.text):
        return "junk line"
    if _CORRECTION_NOTE.match(line.text):
        return "correction note"
    if _SECTION_MARKER.match(line.text):
        return "section marker"
    if _LIST_ITEM.match(line.text):
        return "teaser list item"
    folded = line.text.casefold()
    if not any(cue in folded for cue in _JUNK_CUES):
        return None
    if _furniture_phrase(line):
        return "junk phrase"
    if not is_prose(line) and _FURNITURE_WORDS.search(line.text):
        return "junk phrase"
    return None


def analyze(text: str) -> Layout:
    return analyze_lines(split_lines(text))


def list_item(line: Line) -> Line | None:
    """A bulleted line of a few words that ends in no stop (a prose line is story as it is), as
    its text after the marker: "Residents' permits rise to 120 euros a year"."""
    marker = _BULLET.match(line.text)
    if marker is None or is_prose(line):
        return None
    item = Line(line.text[marker.end() :], line.start + marker.end(), line.end)
    return item if item.words >= MIN_ITEM_WORDS else None


def is_a_heading_question(line: Line) -> bool:
    """An explainer's heading of a few words that asks what the paragraph under it answers: "Why
    are drivers striking?", "What happens next?". The answer step reads it with that paragraph
    (evidence.py) and never states it."""
    return line.text.endswith("?") and MIN_ITEM_WORDS - 1 <= line.words < 6


# A time of day on a line of its own: "8:55 p.m.", "14:05 GMT". Under each, a live blog tells an
# entry; the answer step reads which entry is the latest (synthesis.py, `_told_later`).
_TIME_LINE = re.compile(r"^\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?$", re.IGNORECASE)


def _goes_on(layout: Layout, items: list[tuple[Line, Line]]) -> None:
    """The story goes on after a bulleted list: its items are story, in their place."""
    layout.body.extend(item for _, item in items)
    items.clear()


def analyze_lines(lines: list[Line]) -> Layout:
    """Header, story and dropped lines of a text's non-blank lines, in order. Bulleted items are
    story where the story goes on after them ("Key points" inside it); a list that ends the text
    is more often other stories' headlines. In a live blog (two times of day on lines of their
    own, or more), those times are story: which entry is the latest is what they tell."""
    layout = Layout()
    in_link_list = False
    items: list[tuple[Line, Line]] = []  # (the line, its item) of a list the story may go on after
    live = sum(1 for line in lines if _TIME_LINE.match(line.text)) >= 2
    for line in lines:
        if live and _TIME_LINE.match(line.text):
            _goes_on(layout, items)
            layout.body.append(line)
            continue
        reason = junk_reason(line)
        if reason == "section marker":
            in_link_list = True
        if reason is None and in_link_list:
            if line.words >= 25 and is_prose(line):
                in_link_list = False
            else:
                reason = "link list"
        if reason is not None:
            layout.dropped.append((line, reason))
        elif (item := list_item(line)) is not None:
            items.append((line, item))
        elif layout.body and is_a_heading_question(line):
            _goes_on(layout, items)
            layout.body.append(line)  # "Why are drivers striking?": what the paragraph under it answers
        elif not layout.body and not is_prose(line):
            layout.header.append(line)
        elif is_prose(line):
            _goes_on(layout, items)
            if layout.body and layout.body[-1].text == line.text:
                layout.dropped.append((line, "repeated line"))
            else:
                layout.body.append(line)
        else:
            layout.dropped.append((line, "headline-like line outside the header"))
    layout.dropped.extend((line, "list after the story") for line, _ in items)
    return layout
