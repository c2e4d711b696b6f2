"""The offline answer as its reader sees it: a draft (synthesis.py) made into the answer's text,
its statements and their citations, the short answer first; or a refusal that says why, when the
reason is one a reader can check."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from assistant.answer.citations import CitationBook
from assistant.answer.draft import NOT_IN_ARTICLES, Draft, ShortAnswer
from assistant.answer.evidence import EvidenceSentence
from assistant.dates import given_day
from assistant.search.outlets import possessive
from assistant.types import Answer, Statement

# A statement that ends as a sentence does, also before a closing quote ("... countries. ”") or a
# reference ("... teacher.[citation needed]", "... money.:245").
# A sentence's end: its stop, then any quote marks (closing, or an opening one a writer used to
# close: "... this week. “"), brackets and footnote marks.
_ENDS_SENTENCE = re.compile(r"[.!?…:;。！？][\s\"'”’“‘»«)\]」』）]*(?:\[[^\]]{1,40}\]|:\d+)*\s*$")


def compose_answer(question: str, draft: Draft, ranked_doc_ids: tuple[str, ...]) -> Answer:
    """The answer's text: the short answer first when there is one ("Squid Game [1]."), then
    each statement with its markers. The confidence is the reader's, also when abstaining."""
    if draft.abstained and draft.withheld is not None:  # "The articles don't say. … from an unnamed German club … [1]"
        book = CitationBook()
        said = Statement(draft.withheld.text, (book.cite(draft.withheld),))
        ends = "" if _ENDS_SENTENCE.search(said.text) else "."
        return replace(
            Answer(question, f"{NOT_IN_ARTICLES} {said.text} [{said.markers[0]}]{ends}", True, "extractive", retrieved_doc_ids=ranked_doc_ids),
            citations=book.citations,
            statements=(said,),
            confidence=draft.confidence,
        )
    if draft.abstained:
        return Answer(
            question,
            refusal_text(draft),
            True,
            "extractive",
            retrieved_doc_ids=ranked_doc_ids,
            confidence=draft.confidence,
        )
    book = CitationBook()
    statements = []
    if draft.source is not None:  # "Which outlets reported the quake?": "Xinhua wrote of it on 2023-02-06 [1]. ..."
        told = _of_the_articles(draft, book)
        if not told:  # "Who wrote the Xinhua article?" of articles that give no byline
            whose = list(dict.fromkeys(_whose(s) for s in _articles(draft)))
            unsigned = f"{_capitalised(_listed(whose, 'and'))} give{'s' if len(whose) == 1 else ''} no byline."
            return Answer(question, f"{NOT_IN_ARTICLES} {unsigned}", True, "extractive", retrieved_doc_ids=ranked_doc_ids, confidence=0.0)
        statements.extend(told)
    if draft.placed is not None:  # "The arrests came first, on 2025-04-05; the end of the strike on 2025-04-12 [1][2]."
        statements.append(Statement(draft.placed.told(), tuple(book.cite(st.lead) for st in draft.statements[:2])))
    if draft.changed is not None:  # "Up 146, from 466 to 612 [1]."
        statements.append(Statement(draft.changed.told(), (book.cite(draft.statements[0].lead),)))
    if draft.short is not None:  # every article that states it cites it: "Squid Game [1][2]."
        statements.append(Statement(draft.short.text, tuple(book.cite(s) for s in draft.short.sentences)))
    for draft_statement in draft.statements:
        markers = tuple(book.cite(s) for s in draft_statement.sentences)
        statements.append(Statement(draft_statement.lead.text, markers))
    parts = [f"{s.text} " + "".join(f"[{m}]" for m in s.markers) for s in statements]
    for i, statement in enumerate(statements):  # "Squid Game [1]. Netflix renewed ... [1]", and a
        # headline: "Esper accuses China of intimidating smaller Asian nations [1]. Vietnam is ..."
        if (i == 0 and draft.short is not None) or not _ENDS_SENTENCE.search(statement.text):
            parts[i] += "."
    text = " ".join(parts)
    if draft.short is not None and (day := _day_named(draft.short)) is not None:
        text = f"{text} {day}"  # "Monday [1]. … (“Monday” is 2025-03-03: …)"
    if draft.silent:  # "Compare the Herald's and the Voice's coverage of the race", of a race the Voice never covered
        text = f"{text} (Nothing read from {_listed(draft.silent, 'or')} is about it.)"
    opinions = [f"[{c.marker}]" for c in book.citations if _OPINION.match(c.title or "")]
    if opinions:  # "The charge has failed. [2] ([2] quotes an opinion piece.)"
        verb = "quotes" if len(opinions) == 1 else "quote"
        text = f"{text} ({_listed(opinions, 'and')} {verb} an opinion piece.)"
    return replace(
        Answer(question, text, False, "extractive", retrieved_doc_ids=ranked_doc_ids),
        citations=book.citations,
        statements=tuple(statements),
        confidence=draft.confidence,
        short_answer=draft.short.text if draft.short is not None else None,
    )


# A column's or an editorial's title, as outlets mark it: "Opinion: The Riverside stadium is a
# monument to vanity", "Comment | …", "Our view: …". Its sentences are its writer's view: stated
# bare, "The charge has failed. [2]" read as fact (a review of news formats).
_OPINION = re.compile(
    r"^\s*(?:opinion|comment|commentary|editorial|column|our view|view|perspective|letters?)\s*[:|–—-]\s*\S",
    re.IGNORECASE,
)


def _articles(draft: Draft) -> list[EvidenceSentence]:
    """The first sentence each article states in the draft, in the order stated; by the day their
    articles were published where the question asks which came first."""
    first: dict[str, EvidenceSentence] = {}
    for statement in draft.statements:
        for sentence in statement.sentences:
            first.setdefault(sentence.doc_id, sentence)
    stated = list(first.values())
    if draft.source is not None and draft.source.first:  # undated articles last
        stated.sort(key=lambda s: (_day(s) is None, _day(s) or date.min))
    return stated


def _day(sentence: EvidenceSentence) -> date | None:
    return given_day(sentence.passage.metadata.get("published"))


def _outlet(sentence: EvidenceSentence) -> str:
    return str(sentence.passage.metadata.get("outlet") or "").strip()


def _whose(sentence: EvidenceSentence) -> str:
    """An article as a sentence names it: "Xinhua's article", "The Limited Times' article", the
    article "<its title>"."""
    outlet = _outlet(sentence)
    return f"{possessive(outlet)} article" if outlet else f'the article "{sentence.passage.metadata.get("title")}"'


def _of_the_articles(draft: Draft, book: CitationBook) -> list[Statement]:
    """What a question about the articles themselves asks (`Draft.source`), from their record,
    one statement an outlet or article, cited by the sentence its article states: the outlets
    that wrote of it and when ("Xinhua wrote of it on 2022-01-28 [1]."; asked which was first,
    the earliest first: "... wrote of it, first, on ..."), the day each was published ("Xinhua's
    article was published on 2022-01-28 [1]."), or their bylines (an unsigned one said so beside
    signed ones); none where it asks for bylines and no article gives one. "Wrote of it", not
    "reported that": the statements after it say what each wrote, and whether it is what the
    question claims."""
    assert draft.source is not None
    articles = _articles(draft)
    if draft.source.kind == "outlet":
        by_outlet: dict[str, list[EvidenceSentence]] = {}
        for sentence in articles:
            by_outlet.setdefault(_outlet(sentence) or "An article that names no outlet", []).append(sentence)
        told = []
        for i, (outlet, theirs) in enumerate(by_outlet.items()):
            day = min((d for s in theirs if (d := _day(s)) is not None), default=None)
            when = "" if day is None else f"{', first,' if draft.source.first and i == 0 else ''} on {day.isoformat()}"
            told.append(Statement(f"{outlet} wrote of it{when}", tuple(book.cite(s) for s in theirs)))
        return told
    told, unsigned = [], []
    for sentence in articles:
        if draft.source.kind == "published":
            day = _day(sentence)
            said = f"was published on {day.isoformat()}" if day is not None else "gives no date"
        elif authors := [a.strip() for a in str(sentence.passage.metadata.get("authors") or "").split(";") if a.strip()]:
            said = f"is by {_listed(authors, 'and')}"
        else:
            unsigned.append(Statement(_capitalised(f"{_whose(sentence)} gives no byline"), (book.cite(sentence),)))
            continue
        told.append(Statement(_capitalised(f"{_whose(sentence)} {said}"), (book.cite(sentence),)))
    return [*told, *unsigned] if told else []


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _day_named(short: ShortAnswer) -> str | None:
    """The date of a short answer that is a weekday ("When did the bridge close?" → "Monday"),
    from its article's day (`ShortAnswer.day`), as a note: the span is the article's word, the
    date is read from it."""
    day, published = short.day, given_day(short.sentence.passage.metadata.get("published"))
    if day is None or published is None:
        return None
    if day == published:
        return f'("{short.text}" is {day.isoformat()}, the day its article was published.)'
    return f'("{short.text}" is {day.isoformat()}: its article was published on {published.isoformat()}.)'


def refusal_text(draft: Draft) -> str:
    """NOT_IN_ARTICLES, followed by why when the reason is one a reader can check: the kind of
    answer asked for ("an age") that nothing read near the question gives, an event whose outcome
    is asked that the nearest sentences tell of only as still to come, the question's words no
    article uses when most of it is in them, or the names it asks about that the nearest sentences
    (a yes-or-no question) or articles never mention or quote; for words no article uses and names
    no passage writes, the words of the passages spelt nearest to them ("Did you mean Putin?")."""
    if draft.silent:  # outlets compared, of which nothing read is about what was asked
        return f"{NOT_IN_ARTICLES} Nothing read from {_listed(draft.silent, 'or')} is about it."
    if draft.unreferred:
        return (
            f'{NOT_IN_ARTICLES} The question names no one for "{draft.unreferred}" to stand for, and no '
            "question came before it: who do you mean?"
        )
    if draft.lacking:
        return f"{NOT_IN_ARTICLES} The sentences nearest the question give no {draft.lacking}."
    if draft.ahead:
        return f"{NOT_IN_ARTICLES} The sentences nearest the question tell of it only as still to come."
    meant = f" Did you mean {_listed(draft.spellings, 'and')}?" if draft.spellings else ""
    if draft.unused:
        listed = _listed(draft.unused)
        return f"{NOT_IN_ARTICLES} No article uses the word{'s' if len(draft.unused) > 1 else ''} {listed}.{meant}"
    if draft.unstated:
        return f"{NOT_IN_ARTICLES} The sentences nearest the question never mention {_listed(draft.unstated)}.{meant}"
    if draft.unsaid:
        on_it = " on it" if draft.unsaid_of else ""
        return f"{NOT_IN_ARTICLES} The sentences nearest the question never quote {_listed(draft.unsaid)}{on_it}.{meant}"
    if not draft.unmentioned:
        return NOT_IN_ARTICLES
    return f"{NOT_IN_ARTICLES} The articles nearest the question never mention {_listed(draft.unmentioned)}.{meant}"


def _listed(items: Sequence[str], last: str = "or") -> str:
    """A list as a sentence writes it: Hanoi; Hanoi or Hue; Hanoi, Hue or Da Nang."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]
