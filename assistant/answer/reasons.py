"""Why something happened, as news writes it: the sentence that gives a reason, and the one that
says none was given.

A review of why questions (13 articles, 68 questions) found the answer led by the sentence that
reports the event whenever it named the question's words best, whatever else was read: where
the event's own sentence carries its reason ("postponed after a ransomware attack", "citing
falling sales") 31 of 34 were right, where the reason is told in another sentence 1 of 13; and
of 21 questions whose articles give no reason, none was refused, though some of them say so
("It gave no further details", "The agency has not explained that delay").
"""

from __future__ import annotations

import re
from collections.abc import Collection

from assistant.answer.candidates import CLAUSE_MARK
from assistant.search.lexical import content_terms

# "Why …?", "What caused the outage?", "What set off the protest?", "What was the reason for the
# delay?", "How come …?": a question that asks for a reason, whatever its wh-word.
_ASKS_WHY = re.compile(
    r"^\W*(?:and\s+|but\s+|so\s+)?why\b|\bhow\s+come\b|\bfor\s+what\s+reasons?\b"
    r"|\bwhat\s+(?:(?:has|had|have|is|was)\s+)?(?:caused|causes|cause|started|sparked|triggered|prompted|set\s+off|led\s+to"
    r"|leads\s+to|lay\s+behind|is\s+behind|was\s+behind|were\s+behind|brought\s+about)\b"
    r"|\bwhat\s+(?:is|was|were|are)\s+(?:the\s+)?(?:main\s+|chief\s+|official\s+|stated\s+)?(?:reasons?|causes?)\b",
    re.IGNORECASE,
)

# "was due to open on Saturday", "is due to testify": what was planned, not a cause.
_SCHEDULED = (
    "be|open|reopen|start|begin|take|arrive|meet|expire|end|close|return|hold|sign|visit|attend|face|vote|appear"
    "|finish|launch|resume|retire|leave|go|come|make|run|report|speak|release|deliver|testify|publish|announce"
    "|complete|enter|play|host|stand|rule|decide|give|receive|hear|travel|fly|land|sail|present|submit|pay|set"
)

# The words that give a reason: a cause ("because", "due to", "caused by", "blamed … for"), or a
# motive ("citing", "in protest at", "over concerns that", "in a bid to").
_CAUSE = (
    rf"because|due\s+to(?!\s+(?:{_SCHEDULED})\b)|owing\s+to|as\s+a\s+(?:result|consequence)\s+of|thanks\s+to|on\s+account\s+of"
    r"|(?:caused|sparked|triggered|prompted|started|set\s+off|driven|fuell?ed|brought\s+on)\s+(?:\w+ly\s+)?by"
    r"|blam(?:e|ed|es|ing)|attribut(?:e|ed|es|ing)|(?:stems?|stemmed|resulted|results?|arose)\s+from"
    r"|the\s+(?:main\s+|chief\s+|primary\s+|official\s+)?(?:cause|reason)s?\s+(?:was|were|is|are|for|of|given|behind|cited)"
    r"|reasons?\s+(?:for|behind)|for\s+(?:\w+\s+)?reasons|so\s+that|in\s+order\s+to|in\s+(?:an\s+effort|a\s+bid|an\s+attempt)\s+to"
    r"|citing|cited|amid|in\s+protest|in\s+response\s+to|in\s+retaliation"
    r"|over\s+(?:(?:growing|mounting|safety|security|health|environmental)\s+)?(?:concerns?|fears?|worries|claims|allegations|a\s+dispute|disagreements?|complaints)"
    r"|(?:concerns?|fears?|worries|worried|afraid|angry|anger|frustrat\w+|upset)\s+(?:that|about|over|at)"
)
# … or what it followed, what it was for or what it meant ("after engineers found cracks",
# "following the withdrawal of", "to avoid", "saying the line had taken passengers"): words that
# also tell other things than reasons.
_LOOSER = (
    r"after|following|followed|since|when|saying|claiming|arguing|argued|insisting|which\s+(?:meant|means|left|leaves)"
    r"|leaving|forcing|forced|raising\s+fears|so|as(?!\s+(?:well|much|many|long|far|soon|part|of|a\s+result)\b)"
    r"|to\s+(?:avoid|prevent|protect|allow|ensure|make\s+way|comply|reduce|cut|save|cover|ease|stop|limit|curb|fund|pay\s+for|free\s+up|keep)"
)
_CAUSED = re.compile(rf"\b(?:{_CAUSE})\b", re.IGNORECASE)
_REASON = re.compile(rf"\b(?:{_CAUSE}|{_LOOSER})\b", re.IGNORECASE)

# "It gave no further details", "has not explained that delay", "declined to say why", "without
# giving a reason": the article says the reason was not given.
_WITHHELD = re.compile(
    r"\b(?:gave|give|given|giving|offered|offering|provided|providing)\s+no\s+(?:\w+\s+)?(?:reasons?|explanation|details)"
    r"|\bno\s+(?:reason|explanation)\s+(?:was|has\s+been|had\s+been)\s+(?:given|offered|provided)"
    r"|\b(?:did|does|do|has|have|had|would|could)\s+not\s+(?:yet\s+)?(?:say|said|explain|explained|give|given|disclose|disclosed|specify|specified)\s+(?:why|the\s+reasons?|a\s+reason|what\s+caused)"
    r"|\b(?:has|have|had)\s+not\s+(?:yet\s+)?(?:been\s+)?explained|\bdeclined\s+to\s+(?:say|explain|give|discuss)\b"
    r"|\bwithout\s+(?:giving|offering|providing|stating)\s+(?:a|any)\s+(?:reason|explanation)"
    r"|\b(?:un|not\s+)clear\s+(?:why|what\s+caused)|\bnot\s+(?:yet\s+)?known\s+(?:why|what\s+caused)"
    r"|\bcause\s+(?:of\s+\w+(?:\s+\w+)?\s+)?(?:is|was|remains|remained)\s+(?:still\s+)?(?:unknown|unclear|under\s+investigation|not\s+known)"
    r"|\bcause\s+(?:of\s+\w+(?:\s+\w+)?\s+)?(?:has|had)\s+not\s+(?:yet\s+)?been\s+(?:determined|established|identified|confirmed)"
    r"|\b(?:investigating|trying\s+to\s+(?:determine|establish|find\s+out)|yet\s+to\s+(?:determine|establish|say))\s+(?:the\s+cause|what\s+caused|why)\b",
    re.IGNORECASE,
)


def asks_why(question: str) -> bool:
    """"Why was the bridge closed?", "What caused the outage?", "What set off the protest?": a
    question answered by a reason."""
    return _ASKS_WHY.search(question) is not None


def withholds_reason(sentence: str) -> bool:
    """"It gave no further details", "The agency has not explained that delay": the sentence says
    no reason was given."""
    return _WITHHELD.search(sentence) is not None


def gives_reason(sentence: str) -> bool:
    """Whether the sentence may tell why something happened: a cause, a motive, or what it
    followed or meant ("closed the bridge after engineers found cracks"); not where it says that
    none was given."""
    return _REASON.search(_WITHHELD.sub(" ", sentence)) is not None


def gives_cause(sentence: str) -> bool:
    """Whether the sentence writes a cause or a motive ("because", "due to", "citing falling
    sales", "in protest at"), not only what something followed or meant."""
    return _CAUSED.search(_WITHHELD.sub(" ", sentence)) is not None


def cause_before(sentence: str, span: str) -> bool:
    """Whether a cause or motive is written before `span` in the sentence: "started by a power
    line" answers what started the fire, "Pinecrest" of "the fire near Pinecrest" does not."""
    at = sentence.find(span)
    return at >= 0 and _CAUSED.search(_WITHHELD.sub(lambda m: " " * len(m[0]), sentence), 0, at) is not None


def reason_after(sentence: str, asked: Collection[str]) -> bool:
    """Whether the sentence writes a reason after naming what was asked (`asked`: the question's
    stems): "has postponed about 200 planned operations ... after a ransomware attack" tells why
    the operations were called off; "The fire has also forced the cancellation of the festival"
    tells what the fire did, not why the festival was cancelled."""
    return _after_asked(_REASON, sentence, asked)


def cause_after(sentence: str, asked: Collection[str]) -> bool:
    """Whether the sentence writes a cause or motive after naming what was asked: "Organisers said
    the decision was made to cancel because air quality ... had reached hazardous levels"."""
    return _after_asked(_CAUSED, sentence, asked)


def _after_asked(pattern: re.Pattern[str], sentence: str, asked: Collection[str]) -> bool:
    """Whether a reason of `pattern` is written in a clause that names what was asked, after it:
    not "the smaller port at Felbridge, which took in diverted ships but struggled because ..." of
    why a port company's director left (a review of why questions)."""
    text = _WITHHELD.sub(lambda m: " " * len(m[0]), sentence)
    for found in pattern.finditer(text):
        opened = max((m.end() for m in CLAUSE_MARK.finditer(text, 0, found.start())), default=0)
        if set(content_terms(text[opened : found.start()])) & set(asked):
            return True
    return False

