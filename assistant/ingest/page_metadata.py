"""What a web page says about its article: title, outlet, authors, dates, URL, language.

Read from the page's structured data first (JSON-LD, OpenGraph and other meta
tags, <link rel=canonical>, <time>), then from trafilatura's reading. A date
that is not a real calendar date (WordPress writes `0000-00-00T00:00:00`) or
lies in the future is ignored with a warning; no date is ever made up.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlparse

from assistant.dates import find_dates, month_and_day
from assistant.ingest.extraction import MainText
from assistant.ingest.html_text import PageFacts
from assistant.ingest.loading import FeedItem

log = logging.getLogger(__name__)

ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")  # also read by declared.py
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d\d)(\d\d)(?:T|\s|$)")
_SLASHED_DATE = re.compile(r"^\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?![\d])")  # 2024/03/14, 2024.03.14
# 1/3/24, 01-03-2024: a date in figures as a field may give it, with dashes or a year of two digits
_FIGURES_DATE = re.compile(r"^\s*(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-])")
_DOTTED_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])")  # 14.03.2024: day first, where dots are used
_EARLIEST = date(1900, 1, 1)
# What software writes where it has no date: the zero of .NET and Go (0001-01-01), of SQL Server
# and spreadsheets (1900-01-01), of Unix time (1970-01-01), MySQL's zero date (0000-00-00). A
# page that states one of these states no date; the article would otherwise be dated 1970.
_NO_DATE = frozenset({date(1, 1, 1), date(1900, 1, 1), date(1970, 1, 1)})
_ZERO_DATE = re.compile(r"^\s*0000-00-00")
_ARTICLE_TYPES = frozenset(
    """article newsarticle blogposting reportagenewsarticle analysisnewsarticle opinionnewsarticle
    reviewnewsarticle backgroundnewsarticle livebloggposting liveblogposting report techarticle
    scholarlyarticle socialmediaposting posting""".split()
)
_PAGE_TYPES = frozenset("webpage itempage".split())
_PUBLISHED_META = (
    "article:published_time",
    "datepublished",
    "og:published_time",
    "published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
)
_MODIFIED_META = (
    "article:modified_time",
    "datemodified",
    "og:updated_time",
    "dcterms.modified",
    "last-modified",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl")
_OUTLET_META = ("og:site_name", "application-name", "publisher", "dc.publisher")
_TITLE_META = ("og:title", "twitter:title", "headline", "dc.title")
# Where English writes a date in figures month first: the United States and its territories,
# the Philippines, Canada (where both are written); English of the world (en-001) as English of no region.
_MONTH_FIRST_REGIONS = frozenset({"us", "as", "gu", "mp", "pr", "um", "vi", "ph", "ca", "001"})
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
# A language written as a name, as exports and copied pages write it: "English (UK)", "English,
# United States", "British English", "Deutsch". The name as Babel's English (or the language's
# own) names it; the region as Babel names it, by its code, or by these.
# The qualifier after a language's name: "(UK)", ", United Kingdom", " - US", "-US".
_QUALIFIER = re.compile(r"\s*(?:\((?P<paren>[^()]+)\)|,\s*(?P<comma>[^,()]+)|\s[-–]\s+(?P<dash>.+)|-(?P<code>[A-Za-z]{2}))$")
# Regions by the words English writes for them beside a language ("British English", "(UK)").
_REGION_NAMES = {
    "uk": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "british": "GB",
    "us": "US", "usa": "US", "america": "US", "american": "US", "canadian": "CA", "australian": "AU",
    "irish": "IE", "indian": "IN", "brazilian": "BR", "mexican": "MX", "swiss": "CH", "austrian": "AT",
    "belgian": "BE", "new zealand": "NZ", "south african": "ZA", "latin american": "419",
}
# Qualifiers of a language that name no region: "Chinese (Simplified)" is zh.
_VARIANTS = frozenset({"simplified", "traditional", "latin", "cyrillic", "modern", "standard", "international"})
# Languages whose own name a page may write ("Deutsch", "Français"), beside every English name.
_OWN_NAMES = "de fr es it pt nl sv da nb nn no fi pl cs sk hu ro bg el ru uk tr ar he fa hi zh ja ko id ms vi ca".split()
MAX_FIELD = 300
_PRINTED_SCAN_CHARS = 2_000_000


@dataclass(frozen=True)
class PageMetadata:
    title: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    published: date | None = None
    modified: date | None = None
    url: str | None = None
    language: str | None = None


def written_as_date(text: str) -> bool:
    """Whether `text` is written as a date `parse_date` reads (which may yet find it no real
    day): ISO, 20240314, 2024/03/14, 14.03.2024, 14-03-2024, 3/14/24, "March 14, 2024" or RFC 2822."""
    if ISO_DATE.match(text) or _COMPACT_DATE.match(text) or _SLASHED_DATE.match(text) or _DOTTED_DATE.match(text):
        return True
    if find_dates(text[:100]) or _FIGURES_DATE.match(text):
        return True
    try:
        parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return False
    return True


def language_code(value: str) -> str | None:
    """The language tag of `value`, a tag already ("en-GB", "pt_BR": as written, "_" as "-") or
    a language's name as Babel names it, in English or its own ("English": en, "Deutsch": de),
    with a region before it or after ("British English", "English (UK)", "English-US": en-GB,
    en-US) or a variant ("Chinese (Simplified)": zh); None for anything else, a name with other
    words beside it too ("English, a global tongue"; "the new frontier of AI").
    """
    text = " ".join(value.split())
    if LANGUAGE_CODE.match(text):
        return text.replace("_", "-")
    languages, regions = _language_names()
    qualifier = _QUALIFIER.search(text)
    region: str | None = None
    if qualifier is not None:
        said = next(g for g in qualifier.groups() if g is not None)
        region = _region(said, regions)
        if region is None and said.casefold().strip() not in _VARIANTS:
            return None  # "English (and why it matters)"
        text = text[: qualifier.start()]
    words = text.casefold().split()
    for split in range(min(len(words), 3)):  # "English", "British English", "New Zealand English"
        before, name = " ".join(words[:split]), " ".join(words[split:])
        code = languages.get(name)
        if code is None or (before and (before not in regions or region is not None)):
            continue
        region = regions[before] if before else region
        return f"{code}-{region}" if region else code
    return None


def _region(written: str, regions: dict[str, str]) -> str | None:
    """A region as written beside a language: its name ("United Kingdom", "U.S.": us) or code."""
    said = written.casefold().replace(".", "").strip()
    if said in regions:
        return regions[said]
    return said.upper() if said.upper() in regions.values() else None


@lru_cache(maxsize=1)
def _language_names() -> tuple[dict[str, str], dict[str, str]]:
    """Babel's names of languages (in English and in each of `_OWN_NAMES`' own) and of regions."""
    from babel import Locale  # read once, on the first language written as a name

    english = Locale("en")
    languages = {name.casefold(): code for code, name in english.languages.items() if "_" not in code}
    for code in _OWN_NAMES:
        own = Locale.parse(code).languages.get(code)
        if own:
            languages.setdefault(own.casefold(), code)
    regions = {name.casefold(): code for code, name in english.territories.items()}
    return languages, regions | _REGION_NAMES


def day_first(language: str | None) -> bool:
    """Whether a text in `language` (a code: "en-GB", "fr") writes a date in figures day first:
    every language but American English (and English of no region, read as American)."""
    if not language:
        return False
    primary, *subtags = language.replace("_", "-").casefold().split("-")
    if primary in ("und", "mul", "zxx", "mis") or primary.startswith("x"):
        return False  # no language named: read as before
    # the region: two letters (en-Latn-GB: gb) or three digits (en-150, Europe; en-001, the world)
    region = next((t for t in subtags if (len(t) == 2 and t.isalpha()) or (len(t) == 3 and t.isdigit())), None)
    return primary != "en" or (region is not None and region not in _MONTH_FIRST_REGIONS)


def _in_figures(m: re.Match[str], day_first: bool, today: date | None) -> date:
    """The date of `_FIGURES_DATE`: day first as `day_first` says (or where only that is a date),
    a year of two digits in this century unless that is past next year."""
    month, day = month_and_day(int(m[1]), int(m[3]), day_first)
    year = int(m[4])
    if year < 100:
        this = (today or datetime.now(UTC).date()).year
        year += 2000 if 2000 + year <= this + 1 else 1900
    return date(year, month, day)


def parse_date(value: object, where: str, today: date | None = None, day_first: bool = False) -> date | None:
    """The calendar date a page states, or None: with a warning when it is not a real one, quietly
    when it is a placeholder software writes for "no date" (`_NO_DATE`). `day_first`: the page's
    language writes 01/03/2024 for 1 March (see `find_dates`)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if _ZERO_DATE.match(text):
        log.debug("no date in %r (%s): a placeholder", text[:40], where)
        return None
    m = ISO_DATE.match(text) or _COMPACT_DATE.match(text) or _SLASHED_DATE.match(text)
    dotted = None if m else _DOTTED_DATE.match(text)
    try:
        if m:
            found = date(int(m[1]), int(m[2]), int(m[3]))
        elif dotted:
            found = date(int(dotted[3]), int(dotted[2]), int(dotted[1]))
        elif printed := find_dates(text[:100], day_first):
            found = printed[0].value  # "November 19, 2019"
        elif figures := _FIGURES_DATE.match(text):
            found = _in_figures(figures, day_first, today)
        else:
            found = parsedate_to_datetime(text).date()  # RFC 2822, as feeds and HTTP write dates
    except (ValueError, TypeError, IndexError, OverflowError):
        log.warning("ignored the date %r (%s): not a date, or not written in a way this reader knows", text[:40], where)
        return None
    if found in _NO_DATE:
        log.debug("no date in %r (%s): a placeholder", text[:40], where)
        return None
    latest = (today or datetime.now(UTC).date()) + timedelta(days=2)
    if not _EARLIEST <= found <= latest:
        log.warning("ignored the date %r (%s): it is not a possible publication date", text[:40], where)
        return None
    return found


def _clean(value: object) -> str | None:
    if isinstance(value, str):
        text = " ".join(value.split())[:MAX_FIELD]
        return text or None
    return None


def _json_ld_objects(blocks: list[str]) -> Iterator[dict[str, Any]]:
    for block in blocks:
        try:
            data = json.loads(block, strict=False)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
            log.debug("skipped a JSON-LD block that is not valid JSON")
            continue
        stack = [data]
        seen = 0
        while stack and seen < 500:
            item = stack.pop(0)
            seen += 1
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _name(value: object) -> str | None:
    if isinstance(value, dict):
        return _clean(value.get("name"))
    if isinstance(value, list):
        return next((n for n in map(_name, value) if n), None)
    return _clean(value)


def _names(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [n for n in (_name(item) for item in items) if n and not _is_url(n)]


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "//", "/"))


def _article_object(facts: PageFacts) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON-LD object describing the article, and the one describing the page."""
    article: dict[str, Any] = {}
    page: dict[str, Any] = {}
    for obj in _json_ld_objects(facts.json_ld):
        kinds = _types(obj)
        if not article and kinds & _ARTICLE_TYPES:
            article = obj
        elif not page and kinds & _PAGE_TYPES:
            page = obj
    return article, page


def _meta(facts: PageFacts, keys: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    values: dict[str, str] = {}
    for key, value in facts.meta:
        values.setdefault(key, value)
    for key in keys:
        if key in values:
            yield key, values[key]


def _first_date(
    candidates: Iterator[tuple[str, object]], today: date | None, page: str | None, dates_day_first: bool
) -> date | None:
    for where, value in candidates:
        found = parse_date(value, f"{where} of {page}" if page else where, today, dates_day_first)
        if found is not None:
            return found
    return None


def _printed(iso: str, source: str, dates_day_first: bool) -> bool:
    """Whether the page prints this date itself: htmldate fills a missing day or month with 1."""
    m = ISO_DATE.match(iso)
    if not m:
        return False
    y, mo, d = m[1], int(m[2]), int(m[3])
    forms = (f"{y}-{mo:02d}-{d:02d}", f"{y}/{mo:02d}/{d:02d}", f"{y}{mo:02d}{d:02d}", f"{d:02d}.{mo:02d}.{y}")
    if any(form in source for form in forms):
        return True
    wanted = date(int(y), mo, d)
    return any(found.value == wanted for found in find_dates(source[:_PRINTED_SCAN_CHARS], dates_day_first))


def _published_candidates(
    facts: PageFacts,
    article: dict[str, Any],
    page: dict[str, Any],
    main: MainText | None,
    source: str,
    dates_day_first: bool,
) -> Iterator[tuple[str, object]]:
    yield "JSON-LD datePublished", article.get("datePublished")
    yield "JSON-LD dateCreated", article.get("dateCreated")
    for key, value in _meta(facts, _PUBLISHED_META):
        yield f"<meta {key}>", value
    yield "JSON-LD page datePublished", page.get("datePublished")
    if main is not None:
        yield "htmldate", main.date if main.date and _printed(main.date, source, dates_day_first) else None
    for value in facts.times[:1]:
        yield "<time datetime>", value


def _modified_candidates(
    facts: PageFacts, article: dict[str, Any], page: dict[str, Any]
) -> Iterator[tuple[str, object]]:
    yield "JSON-LD dateModified", article.get("dateModified")
    for key, value in _meta(facts, _MODIFIED_META):
        yield f"<meta {key}>", value
    yield "JSON-LD page dateModified", page.get("dateModified")


def _absolute_url(value: object, base: str | None) -> str | None:
    text = _clean(value)
    if text is None:
        return None
    url = urljoin(base, text) if base else text
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return None
    return url


def _url(facts: PageFacts, article: dict[str, Any], fetched: str | None) -> str | None:
    main_entity = article.get("mainEntityOfPage")
    if isinstance(main_entity, dict):
        main_entity = main_entity.get("@id") or main_entity.get("url")
    og_url = next((v for _, v in _meta(facts, ("og:url",))), None)
    for candidate in (facts.canonical, og_url, article.get("url"), main_entity):
        url = _absolute_url(candidate, fetched)
        if url is None:
            continue
        # A canonical link to the site's home page, for an article deeper in it, is a template's mistake.
        if fetched and urlparse(url).path in ("", "/") and urlparse(fetched).path not in ("", "/"):
            continue
        return url
    return fetched


def _language(facts: PageFacts, article: dict[str, Any], main: MainText | None) -> str | None:
    candidates = [
        facts.language,
        next((v for _, v in _meta(facts, ("content-language", "og:locale", "language"))), None),
        article.get("inLanguage"),
        main.language if main else None,
    ]
    for candidate in candidates:
        text = _clean(candidate)
        if text and (code := language_code(text.split(",")[0].strip())):
            return code
    return None


_LETTERS = re.compile(r"[^a-z0-9]+")
_HOST_WORDS = frozenset({"www", "com", "org", "net", "co", "uk", "news", "amp", "m"})
_IP_ADDRESS = re.compile(r"^[\d.]+$|:")
_SHARED_RUN = 3  # letters a site name and its address have in a row ("fox" in foxnews.com)
_FEED_TITLE_PARTS = re.compile(r"\s+(?:[|·•:—–>»-]|::)\s+")  # "NYT > World News", "Latest stories | Reuters"
_NAME_PARTS = re.compile(r"\s+(?:[|·•:—–-]|::)\s+")  # "Autoracing | F1", "Remember 80/90 - Memorabilia"


def _host(url: str | None) -> str:
    """The host of `url` ("www.reuters.com"); "" without one."""
    return (urlparse(url).hostname or "") if url else ""


def _is_name(host: str) -> bool:
    """Whether a host is a name to compare site names with, not "localhost" or an IP address."""
    return "." in host and not _IP_ADDRESS.search(host)


def _shared_run(a: str, b: str) -> int:
    """The length of the longest run of characters `a` and `b` both hold."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] not in b:
                break
            best = j - i
    return best


def fits_address(name: str, url: str | None) -> bool:
    """Whether a site name in Latin letters is the name of the site at `url`: the two share a run
    of letters ("Fox News", foxnews.com; "Los Angeles Times", latimes.com), or the name's initials
    are in the address ("Wall Street Journal", wsj.com; "Associated Press", apnews.com). A
    section's name in a site's og:site_name ("U.S." on reuters.com) is not. Without an address
    that is a name, or for a name in another script, there is nothing to compare: it fits."""
    host = _host(url)
    letters = _LETTERS.sub("", name.casefold())
    if not _is_name(host) or not re.search(r"[a-z]", letters):
        return True  # no address, or one that is not a name ("localhost", "127.0.0.1")
    address = "".join(w for w in host.casefold().split(".") if w not in _HOST_WORDS) or host.casefold()
    address = _LETTERS.sub("", address)
    words = [w for w in re.findall(r"[a-z0-9]+", name.casefold()) if w != "the"]
    initials = "".join(w[0] for w in words)
    return _shared_run(letters, address) >= min(_SHARED_RUN, len(letters)) or (
        len(initials) >= 2 and initials in address
    )


# Words that name no site: a feed called "Top stories" or "Latest news" is a section of one.
_NO_SITE_WORDS = frozenset("the top latest news stories story headlines world home feed rss all articles".split())


def names_its_site(name: str, url: str | None) -> bool:
    """Whether a feed's title names the site at `url`, more strictly than `fits_address`: a
    feed may list other sites' articles ("Google News" on newsweek.com, "Hacker News" on
    newyorker.com share a few letters with them). Its letters hold the address's or the address
    holds its ("BBC News", bbc.co.uk; "The Hill", thehill.com), or its initials begin the address
    ("The New York Times", nytimes.com); not a name of only general words ("Top stories")."""
    host = _host(url)
    words = re.findall(r"[a-z0-9]+", name.casefold())
    if not _is_name(host) or not words:
        return fits_address(name, url)
    if all(w in _NO_SITE_WORDS for w in words):
        return False
    address = _LETTERS.sub("", "".join(w for w in host.casefold().split(".") if w not in _HOST_WORDS))
    letters = "".join(w for w in words if w != "the")
    initials = "".join(w[0] for w in words if w != "the")
    if len(address) < 2:
        return False
    return address in letters or (len(letters) >= 3 and letters in address) or (
        len(initials) >= 2 and address.startswith(initials)
    )


def _site_name(name: str, url: str | None) -> str:
    """A site name without the tagline or sections written beside it: of "Autoracing | F1 | Indy
    | NASCAR" or "Remember 80/90 - Memorabilia anni 80/90", the first part that fits the address."""
    parts = [p.strip() for p in _NAME_PARTS.split(name) if p.strip()]
    if len(parts) < 2 or url is None:
        return name
    return next((p for p in parts if fits_address(p, url)), name)


def _outlet(
    facts: PageFacts, article: dict[str, Any], main: MainText | None, url: str | None, listed: FeedItem | None
) -> str | None:
    """The site's name, from the first source that gives one that fits its address (the page's
    own, then the title of the feed that listed it); else, when none names one or none fits,
    the address's host ("reuters.com")."""
    named = [_clean(v) for _, v in _meta(facts, _OUTLET_META[:1])]
    named += [_name(article.get("publisher")), _clean(main.sitename if main else None)]
    named += [_clean(v) for _, v in _meta(facts, _OUTLET_META[1:])]
    # A name that is only the address (trafilatura's sitename of a page that names none:
    # "reuters.com") comes after the feed's title.
    netloc = urlparse(url).netloc.casefold() if url else ""
    address = {netloc, _host(url).casefold()}
    address |= {a.removeprefix("www.") for a in address}
    only_address = [n for n in named if n and n.casefold() in address]
    named = [n for n in named if n not in only_address]
    feed = _clean(listed.feed_title if listed else None) or ""
    parts = [p.strip() for p in _FEED_TITLE_PARTS.split(feed) if p.strip() and not _is_url(p)]  # "World | Reuters"
    named += [next((p for p in parts if names_its_site(p, url)), None), *only_address]
    candidates = [_site_name(n, url) for n in named if n and not _is_url(n)]
    fitting = next((n for n in candidates if fits_address(n, url)), None)
    if fitting is not None:
        return fitting
    host = _host(url)
    if candidates:
        log.info("the page's site names %s do not fit its address %s: its host is its outlet", candidates, url)
    return host.removeprefix("www.") if _is_name(host) else None


_TITLE_SEPARATOR = re.compile(r"(\s+(?:[|·•»—–-]|::)\s+)")


def _bare(name: str) -> str:
    """A name as compared with another: its letters and digits, lowercase, without "the" or "www"."""
    words = re.findall(r"[^\W_]+", name.casefold())
    while words and words[0] in ("the", "www"):
        words = words[1:]
    return "".join(words)


def headline(title: str | None, outlet: str | None, url: str | None) -> str | None:
    """The title without the site's name written before or after it as a part of its own:
    "Clymer workshop manual review | MoreBikes" and "MoreBikes | Clymer workshop manual review"
    are "Clymer workshop manual review" when the outlet is MoreBikes (or the address is
    morebikes.co.uk); so is "… - Remember 80/90 - Memorabilia anni 80/90", the name and its
    tagline. A part that only holds the name ("Take C.A.R.E. - comwrap auf der DMEXCO 2018"
    keeps its second part), a section ("Opinion | …"), and a title that is nothing but the name
    stay."""
    if not title:
        return title
    host = _host(url)
    labels = [w for w in host.casefold().removeprefix("www.").split(".") if w]
    names = {_bare(n) for n in (outlet, host, labels[0] if labels else "") if n} - {""}
    pieces = _TITLE_SEPARATOR.split(title)  # part, separator, part, ...
    parts = pieces[::2]
    named = [i for i, part in enumerate(parts) if _bare(part) in names]
    if len(parts) < 2 or not named:
        return title
    if named[0] == 0:
        return "".join(pieces[2:]).strip()
    return "".join(pieces[: 2 * named[0] - 1]).strip()


def _authors(facts: PageFacts, article: dict[str, Any], main: MainText | None) -> tuple[str, ...]:
    names = _names(article.get("author"))
    if not names:
        names = [n for _, v in _meta(facts, _AUTHOR_META) for n in [_clean(v)] if n and not _is_url(n)][:1]
    if not names and main is not None and main.author:
        names = [n.strip() for n in main.author.split(";") if n.strip()]
    return tuple(dict.fromkeys(n for n in names if len(n) <= 100))[:10]


def read_page(
    facts: PageFacts | None,
    main: MainText | None,
    fetched_url: str | None,
    source: str = "",
    today: date | None = None,
    page: str | None = None,
    listed: FeedItem | None = None,
) -> PageMetadata:
    """Everything the page (`source`, its HTML) states about its article; what it does not state stays None.
    `page` names the page in warnings (a date it states that cannot be one), so that a user
    reading an ingest's log of thousands of pages knows which one. `listed`, what the feed
    that listed a fetched page says of it, gives the title and outlet the page does not state
    itself (its date comes after the dates the page prints: documents.py)."""
    facts = facts or PageFacts()
    article, page_object = _article_object(facts)
    stated = _clean(facts.title) or _clean(article.get("headline")) or next(
        (t for _, v in _meta(facts, _TITLE_META) if (t := _clean(v))), None
    )
    if stated is None and listed is not None and _clean(listed.title):
        # A page that states no title of its own: its feed item's title, not trafilatura's guess
        # from the page's headings (an aside's "Most read", a section's "What happens next").
        title = _clean(listed.title)
    else:
        title = _clean(main.title if main else None) or _clean(article.get("headline")) or stated
    url = _url(facts, article, fetched_url)
    outlet = _outlet(facts, article, main, url, listed)
    language = _language(facts, article, main)
    dates_day_first = day_first(language)
    published = _published_candidates(facts, article, page_object, main, source, dates_day_first)
    return PageMetadata(
        title=headline(title, outlet, url),
        outlet=outlet,
        authors=_authors(facts, article, main),
        published=_first_date(published, today, page, dates_day_first),
        modified=_first_date(_modified_candidates(facts, article, page_object), today, page, dates_day_first),
        url=url,
        language=language,
    )
