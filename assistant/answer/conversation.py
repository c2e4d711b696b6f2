"""A question and the conversation before it: checked against the settings' limits, and a
follow-up read in the light of the turns it refers back to."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from assistant.answer.named import recased
from assistant.answer.speakers import asked_speakers, names_as_speaker
from assistant.dates import DateMention, mentioned_date
from assistant.errors import QuestionError
from assistant.relative_time import TimeFrame, sets_against, shifted, time_frame
from assistant.search.lexical import STOPWORDS, question_terms, stems

if TYPE_CHECKING:
    from assistant.config import Settings

History = Sequence[tuple[str, str]]
_REFERS_BACK = re.compile(
    r"\b(?:they|them|their|he|him|his|she|her|it|its|that|this|those|these|also|too|else|either"
    r"|same|then|there|the call|the conversation|what about|how about|and)\b",
    re.IGNORECASE,
)
_MAX_WORDS_ALONE = 6


@dataclass(frozen=True)
class Turn:
    """A question made ready for retrieval: its own words plus what it refers back to."""

    question: str
    date: DateMention | None = None
    earlier: tuple[str, ...] = ()  # the earlier questions it refers back to, oldest first
    # "What else did he say?": the answers already given, whose sentences are not read again,
    # and the question they answered, as it was asked
    said_before: str = ""
    more_of: str = ""
    # whether the earlier questions' day or time is this one's ("When?", "What did he say?"),
    # not only their words (a question with a subject of its own: "How many troops are near
    # Ukraine?" after one about January 28)
    earlier_time: bool = True

    @property
    def context(self) -> str:
        """The earlier questions it refers back to, joined."""
        return " ".join(self.earlier)

    def time_frame(self, as_of: datetime.date, names: Sequence[str] = ()) -> TimeFrame | None:
        """The time the question's own words set, else that of the newest earlier question that
        sets one (its place given in `context`): "How many acres?" after "What did the council
        approve last week?" is of last week, whatever a turn before that asked about. Words of
        `names` (outlets) are not time."""
        frame = time_frame(self.question, as_of, names)
        if frame is not None or not self.earlier_time:
            return frame
        for start, earlier in self._earlier_newest_first():
            frame = time_frame(earlier, as_of, names)
            if frame is not None:  # "And the day before?": the day before that one
                return shifted(frame, self.question) or replace(frame, start=frame.start + start, end=frame.end + start)
        return None

    def without_time_words(self, frame: TimeFrame) -> Turn:
        """The turn without the words that set `frame` (one of `time_frame`'s), once they are a
        filter: out of the question, or out of the earlier question they were read in."""
        question = frame.without_words(self.question)
        if question != self.question:
            if sets_against(frame.said):  # "And the day before?": "yesterday" is no word to look for either
                return replace(self, question=question, earlier=tuple(_without_own_time(e, frame.as_of) for e in self.earlier))
            return replace(self, question=question)
        earlier = list(self.earlier)
        for index, (start, text) in zip(reversed(range(len(earlier))), self._earlier_newest_first()):
            if start <= frame.start < start + len(text):
                own = replace(frame, start=frame.start - start, end=frame.end - start)
                earlier[index] = own.without_words(text)
                break
        return replace(self, earlier=tuple(earlier))

    def _earlier_newest_first(self) -> Iterator[tuple[int, str]]:
        """Each earlier question with where it starts in `context`, newest first."""
        end = len(self.context)
        for earlier in reversed(self.earlier):
            start = end - len(earlier)
            yield start, earlier
            end = start - 1

    @property
    def search_text(self) -> str:
        """What retrieval looks for: the question, weighted over the turns it refers to."""
        if not self.context:
            return self.question
        return f"{self.question} {self.question} {self.context}"


def _without_own_time(text: str, as_of: datetime.date) -> str:
    frame = time_frame(text, as_of)
    return frame.without_words(text) if frame is not None else text


def read_turn(question: str, history: History | None = None) -> Turn:
    """The question as a turn of the conversation `history`: a question that refers back (a
    pronoun, "and", "what about") or is short reads the last two earlier questions with it, and
    their day or time unless it has a subject of its own. A short question that names someone or
    something neither they nor the answer before did, without referring back ("Who is Zelensky?"
    after "What did Putin tell Macron yesterday?"), is a new question: it was read with
    yesterday's window and refused."""
    own_date = mentioned_date(question)
    if not history:
        return Turn(question, date=own_date)
    refers_back = bool(_REFERS_BACK.search(question))
    if not refers_back and len(question.split()) > _MAX_WORDS_ALONE:
        return Turn(question, date=own_date)
    previous = [without_control(q) for q, _ in history][-2:]  # as the question was read when asked
    if not refers_back and _names_its_own(question, [*previous, history[-1][1]]):
        return Turn(question, date=own_date)
    earlier_time = refers_back or not _subject_of_its_own(question, previous)
    date = own_date
    for earlier in reversed(previous):
        date = date or (mentioned_date(earlier) if earlier_time else None)
    if _PERSON.search(question) and (named := person_referred(history)):
        # "What did she say?" after "Who heads ...?" was answered "Martina Zurbriggen": about her
        question = _PERSON.sub(lambda m: _as_pronoun(m, named), question, count=1)
    return Turn(question, date=date, earlier=tuple(previous), earlier_time=earlier_time)


# A pronoun of someone a question may name only by an earlier question or answer.
_STANDS_FOR = re.compile(r"\b(?:he|him|his|she|her|hers|they|them|their|theirs)\b", re.IGNORECASE)
_WRITTEN = re.compile(r"[^\W\d_]+")


def unreferred(question: str, texts: Sequence[str]) -> str | None:
    """The pronoun of a question asked with none before it that names no one and nothing else it
    could stand for ("who did he beat", "how much did they have to pay": one word of its own at
    most, no name, as `texts` write names, no number); None for any other question. Answered, it was
    answered from whichever article its one word matched best (a review of questions as people
    type them: "who did he beat" got one tennis player's win, at confidence 0.2-0.47)."""
    found = _STANDS_FOR.search(question)
    if found is None or any(ch.isdigit() for ch in question) or len(question_terms(question)) > 1:
        return None
    named = recased(question, texts)  # "what did he tell macron": Macron
    if any(w[0].isupper() and w.casefold() not in STOPWORDS for w in _WRITTEN.findall(named)):
        return None
    return found.group()


# "her" as an object, not a possessive: before these words or at the end ("told her that").
_OBJECT_AFTER = frozenset("that about to for and or on in at when why how if as with from".split())


def _as_pronoun(pronoun: re.Match[str], name: str) -> str:
    """`name` in the pronoun's place: "Martina Zurbriggen's" for "his", or "her" before a noun."""
    word = pronoun.group().casefold()
    if word == "his":
        return f"{name}'s"
    if word == "her":
        after = re.match(r"\s+([\w'’-]+)", pronoun.string[pronoun.end() :])
        if after is not None and after.group(1).casefold() not in _OBJECT_AFTER:
            return f"{name}'s"
    return name


# A pronoun of a person: who it is may be the answer before ("Who heads the service?" "Martina
# Zurbriggen [1]. ..." "What did she say?"), not in any earlier question.
_PERSON = re.compile(r"\b(?:he|him|his|she|her)\b", re.IGNORECASE)
_WHO = re.compile(r"^\W*(?:and\s+)?(?:who|whom)\b", re.IGNORECASE)
# The short answer an extractive answer leads with: "Martina Zurbriggen [1]. ..." (compose.py).
_SHORT_LEAD = re.compile(r"^(?P<lead>[^\[\].!?]{2,60}?) (?:\[\d+\])+\.(?:\s|$)")
_NAME_LEAD_WORDS = 5
_NAME_PARTICLES = frozenset("de da di del der van von al bin la le".split())  # "Ursula von der Leyen"


def _named_by_answer(question: str, answer: str) -> str | None:
    """The name a "who" question's answer led with, as a name: capitalised words, at most
    _NAME_LEAD_WORDS; or the one person a "What did <name> say?" question asked to hear ("What
    did she say about pay?" after "What did Mayor Okafor say about the strike?" was read without
    her, and quoted another article: a review of quotes); None otherwise."""
    speakers = asked_speakers(question)
    if len(speakers) == 1:
        return speakers[0]
    if not _WHO.match(question):
        return None
    lead = _SHORT_LEAD.match(answer)
    if lead is None:
        return _the_one_named(question, answer)
    words = lead["lead"].split()
    if len(words) > _NAME_LEAD_WORDS or not all(w[0].isupper() or w in _NAME_PARTICLES for w in words):
        return None
    return lead["lead"]


# A person's name as an answer writes it: two to four capitalised words ("Priya Natarajan").
_FULL_NAME = re.compile(r"\b[A-Z][a-z’'-]+(?:\s+(?:[A-Z][a-z’'.-]+|" + "|".join(sorted(_NAME_PARTICLES)) + r")){1,3}\b")


# The last word of a name that is no person's.
_NO_PERSON = frozenset(
    "school university college hospital union council department ministry agency company corporation bank "
    "street road avenue square park bridge station airport port river lake county city court party league "
    "club team group association institute committee board service office house church center centre".split()
)


def _the_one_named(question: str, answer: str) -> str | None:
    """The one full name the first statement of a "who" question's answer gives that the question
    does not, as the one who speaks or acts there, where no short answer led it: "Who is the
    president of the teachers' union?",
    answered "“We did not want this,” said Priya Natarajan, the president of the Ashby Teachers'
    Union. [1]", names her (a review of follow-ups: "What did she say?" after it was read
    without her)."""
    first = answer.split("[", 1)[0]
    asked = question.casefold()
    found = (m.group() for m in _FULL_NAME.finditer(first))
    names = {
        n
        for n in found
        if n.casefold() not in asked
        and n.split()[0].casefold() not in STOPWORDS  # "The Rovers"
        and n.split()[-1].casefold() not in _NO_PERSON  # "Ashby Central High School"
        and names_as_speaker(n, first, acting=True)  # "said Priya Natarajan"; not "a Kessler Logistics warehouse"
    }
    names = {n for n in names if not any(n != other and n in other for other in names)}
    return names.pop() if len(names) == 1 else None


_TURNS_BACK = 3  # the turns a pronoun is followed back through to the one who named its person


def person_referred(history: History) -> str | None:
    """The person "he" or "she" stands for: the one the newest turn that named one named
    (`_named_by_answer`), where the turns since named no one ("Who scored twice for Rovers?"
    "Kofi Mensah [1]. …", "How much did Rovers pay for him?", "What did he say after the game?":
    Mensah, two turns back; a review of follow-ups found him lost, and the coach quoted)."""
    for question, answer in list(history)[::-1][:_TURNS_BACK]:
        named = _named_by_answer(question, answer)
        if named is not None:
            return named
        if _NAME.search(question) and not _PERSON.search(question):
            return None  # a turn about someone or something else by name
    return None


# A name as a question writes one: a capitalised word after its first ("Zelensky", "NATO").
_NAME = re.compile(r"(?<=\s)[A-Z][\w'’.-]*")


def _names_its_own(question: str, earlier: Sequence[str]) -> bool:
    """Whether every name the question gives is new: none is in the earlier questions or the
    answer before ("When will Johnson speak to Putin?" after an answer about Johnson is not new)."""
    before = {w.casefold().rstrip(".") for text in earlier for w in re.findall(r"[\w'’.-]+", text)}
    names = [name.casefold().rstrip(".") for name in _NAME.findall(question) if name != "I"]
    return bool(names) and all(name not in before for name in names)


def _subject_of_its_own(question: str, earlier: Sequence[str]) -> bool:
    """Whether the question asks about a word no earlier question used ("troops" of "How many
    troops are near Ukraine?"); "When?", "By how much?" and "Who said it?" do not."""
    before = set(question_terms(" ".join(earlier)))
    return any(term not in before and term not in _MORE_STEMS for term in question_terms(question))


# A follow-up that asks for more of what the answer before gave: "What else did he say?", "Tell
# me more", "Anything else?", "And what did she say next?". Its own words, these aside, may ask
# about something ("What else did he say about money?").
_MORE = re.compile(
    r"\belse\b|^\W*(?:and\s+)?more\b|\b(?:what|anything|something|tell\s+me|say|said)\s+more\b"
    r"|\b(?:say|said|do|did|tell|told|add|added|announce|announced)\s+"
    r"(?:next|then|later|afterwards|after\s+that|besides)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_SAYS = re.compile(r"\b(?:say|said|tell|told|add|added)\b", re.IGNORECASE)
_MORE_STEMS = frozenset(
    stems("else more next then later afterwards after besides tell told say said add added do did".split())
)


def asks_for_more(question: str) -> bool:
    """Whether the question asks for more than the answer before said."""
    return bool(_MORE.search(question))


def asks_only_for_more(question: str) -> bool:
    """Whether the question asks for more and nothing of its own ("What else did he say?",
    "Anything else?"): with no answer before it, it asks nothing."""
    return asks_for_more(question) and not _own_terms(question)


def more_of(question: str, history: History) -> Turn | None:
    """A follow-up that asks for more ("What else did he say?") read as the question it asks
    more of, with the answers given to it since (`Turn.said_before`), whose sentences are not
    read again: on its own words alone it asks nothing ("No article uses the word next"). One
    with words of its own ("What else did he say about money?") is read as itself, minus the
    answers before. None for any other question, or with no history."""
    if not history or not asks_for_more(question):
        return None
    if _own_terms(question):  # less every answer before: "else" is what none of them said
        said = "\n".join(answer for _, answer in history)
        return replace(read_turn(question, history), said_before=said, more_of=history[-1][0])
    start = len(history) - 1  # the question the answers asked more of, past earlier "what else?"s
    while start > 0 and asks_for_more(history[start][0]) and not _own_terms(history[start][0]):
        start -= 1
    asked = without_control(history[start][0])
    said = "\n".join(answer for _, answer in history[start:])
    person = person_referred(history) if _PERSON.search(question) and _SAYS.search(question) else None
    if person is not None and person not in asked_speakers(asked):
        # "What else did he say?" after "How long did crews fight the fire?", of the fire chief
        # asked about before it: his words, not more of the fire (a review of follow-ups)
        asked = f"What did {person} say?"
        return Turn(asked, said_before="\n".join(answer for _, answer in history), more_of=asked)
    return replace(read_turn(asked, history[:start]), said_before=said, more_of=asked)


def _own_terms(question: str) -> list[str]:
    return [term for term in question_terms(without_control(question)) if term not in _MORE_STEMS]


# A terminal's escape sequences ("\x1b[31m" of a pasted coloured line) and other control
# characters: no part of what is asked ("31" was read as a word no article uses).
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def without_control(text: str) -> str:
    """`text` without control characters and escape codes, its whitespace collapsed."""
    return " ".join(_CONTROL.sub(" ", text).split())


def checked_question(question: str, limit: int) -> str:
    """The question with its whitespace collapsed and its control characters left out;
    QuestionError when it is not text, is empty, has no words or is longer than `limit` characters."""
    if question is not None and not isinstance(question, str):
        raise QuestionError(f"the question must be text, not {type(question).__name__}")
    if not question or not question.strip():
        raise QuestionError("the question is empty; ask something about the articles")
    question = without_control(question)
    try:
        question.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate: bytes of another encoding (a Latin-1 terminal)
        raise QuestionError(
            f"the question holds a character that is not text ({question[exc.start]!r} at {exc.start + 1}): "
            "type it again, or set the terminal to UTF-8"
        ) from None
    if not any(ch.isalnum() for ch in question):  # "???", "..."
        raise QuestionError(f"the question {question!r} has no words to look for; ask something about the articles")
    if len(question) > limit:
        raise QuestionError(f"the question is {len(question)} characters long; keep it to {limit} or fewer")
    return question


def check_history(history: History | None, settings: Settings) -> None:
    """A conversation within the limits (`max_history_turns`, `max_history_chars`), made of
    (question, answer) pairs of text; QuestionError saying which limit it breaks otherwise."""
    if not history:
        return
    if not all(
        isinstance(pair, list | tuple) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
        for pair in history
    ):
        raise QuestionError("the conversation must be a list of [question, answer] pairs of text")
    if len(history) > settings.max_history_turns:
        raise QuestionError(
            f"the conversation has {len(history)} earlier turns; send at most the last "
            f"{settings.max_history_turns} (setting max_history_turns)"
        )
    size = sum(len(q) + len(a) for q, a in history)
    if size > settings.max_history_chars:
        raise QuestionError(
            f"the conversation is {size} characters long; send at most {settings.max_history_chars} "
            "(setting max_history_chars), dropping the oldest turns"
        )


def recent_history(history: History, settings: Settings) -> list[tuple[str, str]]:
    """The latest turns of a conversation that fit the limits: what a chat keeps as it goes on."""
    kept: list[tuple[str, str]] = []
    size = 0
    for question, answer in reversed(history):
        size += len(question) + len(answer)
        if len(kept) == settings.max_history_turns or size > settings.max_history_chars:
            break
        kept.append((question, answer))
    return kept[::-1]
