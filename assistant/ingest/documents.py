"""From a file to an article: cleaned, described, split into chunks with exact offsets."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from assistant.ingest import cleaning, declared, metadata
from assistant.ingest.chunking import Chunk, chunk_sentences, story_sentences
from assistant.ingest.cleaning import Layout
from assistant.ingest.extraction import story_layout, trafilatura_main_text
from assistant.ingest.loading import SourceText, UnreadableFileError, load
from assistant.ingest.page_metadata import PageMetadata, day_first, parse_date, read_page

log = logging.getLogger(__name__)

NO_STORY = "no story text found (only headings, links or page furniture)"
HEADER_CHARS = 1000  # a page's lines before its story are its navigation: only a text file's are kept


@dataclass(frozen=True)
class Article:
    doc_id: str
    path: Path
    title: str
    outlet: str | None
    published: date | None
    source: SourceText
    chunks: tuple[Chunk, ...]
    url: str | None = None  # the page's canonical or fetched address
    authors: tuple[str, ...] = ()
    modified: date | None = None
    language: str | None = None
    extractor: str = "rules"  # what found the story: "rules" or "trafilatura"
    # A text file's lines before its story (outlet, title, date, a standfirst: "Moscow, SANA- ..."),
    # at most HEADER_CHARS: never cited, but words the article holds (assistant/answer/named.py).
    header: str = ""

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.source.source_span(start, end)

    @cached_property
    def story_id(self) -> str:
        """`story_id` of this article: read by the ingest's copy check and by its catalog entry."""
        return story_id(self.outlet, (chunk.text for chunk in self.chunks))


def _header(layout: Layout) -> str:
    """A text file's lines above its story, less a breadcrumb ("Home » News » ..."): words it
    holds, not a menu's."""
    lines = (line.text for line in layout.header if not cleaning.is_breadcrumb(line))
    return "\n".join(lines)[:HEADER_CHARS]


def content_id(text: str) -> str:
    """A stable id from the article's text, blind to line endings and outer whitespace."""
    normalized = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


def story_id(outlet: str | None, chunk_texts: Iterable[str]) -> str:
    """One outlet's story, whatever page holds it: a page saved twice (another ad, another time
    of saving) has another content id and the same story id. The chunks' texts, in any order
    (an article read back from the store comes in the store's order), and the outlet: the same
    wire story in two papers is two papers' reports."""
    digest = hashlib.sha256((outlet or "").encode("utf-8"))
    for text in sorted(chunk_texts):
        digest.update(b"\x00" + text.encode("utf-8"))
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Story:
    """A loaded file, where its story lies, and what the page says about it."""

    source: SourceText
    layout: Layout
    page: PageMetadata
    extractor: str

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.layout.body)


def read_story(path: Path) -> Story:
    """Load a file and find its story; raises UnreadableFileError with the reason."""
    source = load(path)
    if not source.is_html:
        # A text file's front matter or header fields describe the story and are not part of it.
        lines = cleaning.split_lines(source.plain)
        found = declared.read(source.plain, lines, str(source.path))
        story = [line for line in lines if line.start not in found.taken]
        return Story(source, cleaning.analyze_lines(story), found.metadata, "rules")
    main = trafilatura_main_text(source.source, source.url, str(source.path))
    layout, extractor = story_layout(source.plain, source.furniture, main)
    metadata = read_page(source.facts, main, source.url, source.source, page=str(source.path), listed=source.listed)
    layout = _headline_above(layout, (metadata.title, main.title if main else None))
    return Story(source, layout, metadata, extractor)


def _same_words(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".:!?")


def _headline_above(layout: Layout, titles: Iterable[str | None]) -> Layout:
    """The layout with a first story line that is the page's headline (its `<h1>` where the main
    text includes it: 13 of the 60 real pages of the extraction benchmark) in the header: the
    headline is the article's title, not a sentence of its story (an answer quoted it as its
    first statement: "Taylor Swift says Big Machine won't let her perform ..."), and none of those
    pages' hand-made bodies holds it."""
    named = {_same_words(title) for title in titles if title}
    if len(layout.body) < 2 or _same_words(layout.body[0].text) not in named:
        return layout
    return Layout(header=[*layout.header, layout.body[0]], body=layout.body[1:], dropped=layout.dropped)


def story_problem(path: Path, before: Path | None = None) -> str | None:
    """Why the file holds no story to make an article of, or None when it holds one: what a
    fetch asks of a page's new version before it replaces the version the index cites (`before`).
    A version that kept only a few lines of the story fetched before, beside the words of a
    paywall, a sign-in or a consent page ("Subscribe to continue reading", "We use cookies ...
    Accept all"), holds none either: its teaser would replace the story."""
    try:
        story = read_story(path)
    except UnreadableFileError as exc:
        return str(exc)
    except Exception as exc:  # as build_article: any page is a reason, never a failed run
        log.exception("could not read %s", path)
        return f"it could not be read ({type(exc).__name__}: {exc})"
    if not story.layout.body:
        return NO_STORY
    if before is None or not _WALL.search(story.source.plain):
        return None
    left = sum(len(line.text) for line in story.layout.body if not _walls_line(line.text))  # the wall's own lines aside
    try:
        kept = left / max(len(read_story(before).text), 1)
    except Exception:  # the version before is what cannot be read: the new one replaces it
        return None
    if kept < _WALL_KEPT:
        return f"it looks like a subscription, sign-in or consent page ({kept:.0%} of the story fetched before)"
    return None


# The words of a page that stands in front of a story: a paywall, a sign-in or a consent page,
# in English and in the languages of Europe's larger presses (the consent banners the EU's rules
# put in front of their sites say "accept all" in each).
_WALL = re.compile(
    r"(?<!\w)(?:subscribe (?:now |today )?to (?:continue|keep) reading|already a subscriber|subscribers only|for subscribers"
    r"|unlimited access|to continue reading|sign in to (?:continue|read)|log in to (?:continue|read)"
    r"|create a free account|we use cookies|accept all|reject all|before you continue|manage (?:cookie|privacy) (?:settings|preferences)"
    # German
    r"|bereits abonnent|jetzt abonnieren|um weiterzulesen|weiterlesen mit|alle akzeptieren|alle ablehnen|wir verwenden cookies"
    # French
    r"|d[ée]j[àa] abonn[ée]|abonnez-vous|pour lire la suite|r[ée]serv[ée] aux abonn[ée]s|tout accepter|tout refuser"
    r"|continuer sans accepter|nous utilisons des cookies"
    # Spanish, Italian, Portuguese
    r"|ya eres suscriptor|para seguir leyendo|exclusivo para suscriptores|aceptar todo|rechazar todo|utilizamos cookies"
    r"|sei gi[àa] abbonato|per continuare a leggere|accetta tutti|rifiuta tutti|utilizziamo i cookie"
    r"|j[áa] [ée] assinante|para continuar lendo|aceitar todos|rejeitar todos|utilizamos cookies"
    # Dutch
    r"|al abonnee|lees verder met|alles accepteren|alle cookies accepteren|wij gebruiken cookies)(?!\w)",
    re.IGNORECASE,
)
_WALL_KEPT = 0.5  # a new version with those words and under this share of the story before is a wall
_WALL_LINE_WORDS = 30  # a line this long or longer is the wall's only when it holds two of its phrases


def _walls_line(text: str) -> bool:
    """Whether a line is the wall's own: two of its phrases ("We use cookies ... Accept all"), or
    one in a short line ("Subscribe to continue reading."). A paragraph of the story that uses one
    ("Il Senato accetta tutti gli emendamenti ...") is the story's."""
    found = len(_WALL.findall(text))
    return found >= 2 or (found == 1 and len(text.split()) < _WALL_LINE_WORDS)


def build_article(path: Path, chunk_tokens: int, chunk_overlap: int) -> Article:
    """Read and prepare one article; raises UnreadableFileError with the reason.

    Whatever a file holds, it ends as an article or as that error: a failure this code
    did not foresee is logged with its traceback and reported as the file's reason.
    """
    try:
        return _build_article(path, chunk_tokens, chunk_overlap)
    except (UnreadableFileError, KeyboardInterrupt):
        raise
    except Exception as exc:  # any page: a skip with a reason, never an aborted ingest
        log.exception("could not read %s", path)
        raise UnreadableFileError(
            f"it could not be read ({type(exc).__name__}: {exc}); please report this file"
        ) from exc


def _listed_date(source: SourceText) -> date | None:
    """The date the feed that listed a fetched page gives its item: after every date the page
    states or prints (a feed may give the time of its last change)."""
    if source.listed is None:
        return None
    return parse_date(source.listed.published, f"the feed's date of the item {source.path}")


def _build_article(path: Path, chunk_tokens: int, chunk_overlap: int) -> Article:
    story = read_story(path)
    source, layout, page = story.source, story.layout, story.page
    if not layout.body:
        raise UnreadableFileError(NO_STORY)
    meta = metadata.extract(source, layout, day_first(page.language))
    sentences = story_sentences(source.plain, layout.body, chunk_tokens)
    chunks = chunk_sentences(sentences, chunk_tokens, chunk_overlap)
    return Article(
        doc_id=content_id(source.source),
        path=path,
        title=page.title or meta.title,
        outlet=page.outlet or meta.outlet,
        published=page.published or meta.published or _listed_date(source),
        source=source,
        chunks=tuple(chunks),
        url=page.url,
        authors=page.authors,
        modified=page.modified,
        language=page.language,
        extractor=story.extractor,
        header="" if source.is_html else _header(layout),
    )
