"""Questions about the sample corpus, answered offline with verbatim citations."""

from __future__ import annotations

import re
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import pytest

from assistant import NOT_IN_ARTICLES, Answer, Assistant, Filters
from assistant.answer import as_typed
from assistant.answer.answer_types import expected_answer_type
from assistant.answer.named import ArticleWords
from assistant.answer.near_misses import _a_form_of_one, uncounted
from assistant.answer.spans import counted_thing
from assistant.answer.speakers import asked_office, asked_speakers, names_as_speaker, office_holders
from assistant.assistant import NOTHING_BEFORE
from assistant.dates import DateMention, mentioned_date
from assistant.errors import QuestionError
from assistant.ingest.loading import read_text
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.lexical import question_terms
from tests.conftest import CITATION_FIELDS, REPO, bot_over, open_assistant
from tests.news_site import article_page

ANSWERABLE = [
    ("What did Putin say NATO ignored?", "indivisibility of security"),
    ("Who initiated the February 12 call?", "initiative of the French side"),
    ("What did a senior French official say Putin told Macron?", "not looking for confrontation"),
    ("What did Putin say about the supply of weapons to Ukraine?", "threat"),
    ("What did Zelensky say about panic?", "We do not need this panic"),
    ("How many Russian troops are deployed around the border with Ukraine?", "100,000"),
    (
        "When did the Russian Foreign Ministry submit draft agreements on security guarantees?",
        "17th of last December",
    ),
    ("Which nuclear program did the leaders review on January 28?", "Iranian nuclear program"),
    ("What did Putin and Macron agree to continue?", "dialogue"),
    ("What did Putin say about the Minsk agreements?", "Minsk"),
    ("When was the Russia-NATO Founding Act signed?", "1997"),
    ("What did a Downing Street spokesman say about Boris Johnson?", "diplomatic efforts"),
    ("What did Putin and Macron discuss on Tuesday?", "Ukraine"),
]

UNANSWERABLE = [
    "What did Macron say about gas prices?",
    "What did Olaf Scholz say about Nord Stream 2?",
    "Who won the 2022 French presidential election?",
    "What is the population of Moscow?",
    "What sanctions did the EU announce against Russia?",
]


def assert_citations_are_exact(answer: Answer) -> None:
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.marker for c in answer.citations}
    for citation in answer.citations:
        source = read_text(Path(citation.path))
        assert source[citation.char_start : citation.char_end] == citation.quote


@pytest.mark.parametrize(("question", "fact"), ANSWERABLE)
def test_answer_states_and_cites_the_fact(sample_bot: Assistant, question: str, fact: str) -> None:
    answer = sample_bot.ask(question)
    assert not answer.abstained, answer.text
    assert fact.lower() in answer.text.lower()
    assert any(fact.lower() in c.quote.lower() for c in answer.citations)
    assert_citations_are_exact(answer)
    for statement in answer.statements:
        assert statement.markers, "every statement carries a citation"
        assert f"{statement.text} " + "".join(f"[{m}]" for m in statement.markers) in answer.text


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_abstains_when_the_articles_do_not_say(sample_bot: Assistant, question: str) -> None:
    answer = sample_bot.ask(question)
    assert answer.abstained
    assert answer.text.startswith(NOT_IN_ARTICLES)  # and, when it can say, why
    assert answer.citations == ()


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("What did Olaf Scholz say about Nord Stream 2?", "No article uses the words Olaf, Scholz, Nord or Stream."),
        ("What is the population of Moscow?", "No article uses the word population."),
        ("What did Macron say about gas prices?", "No article uses the word gas."),
    ],
)
def test_a_refusal_names_the_words_no_article_uses(sample_bot: Assistant, question: str, why: str) -> None:
    """Most of these questions is in words no article of the index uses: the refusal says which,
    as the question wrote them, for the reader to check."""
    answer = sample_bot.ask(question)
    assert answer.abstained and answer.text == f"{NOT_IN_ARTICLES} {why}", answer.text


@pytest.mark.parametrize(
    "question",
    [
        "What did Putin say NATO ingored?",  # a typo of a word the articles use
        "What did Zelensky say about finacial gaps?",
        "Which pandemic did Putin and Macron dicuss?",
        "hey, what did Putin say NATO ignored? thanks!",  # words of a chat, not of the question
        "WHAT DID PUTIN SAY NATO IGNORED?",  # capitals show no names
        "Who initiated the Feb 12 phone call between Putin and Macron?",  # "Feb" is a month
    ],
)
def test_a_question_typed_as_people_type_is_answered_as_if_written_out(sample_bot: Assistant, question: str) -> None:
    """The answer of the question as written out, for a question with a typo of a word the
    articles use, words of a chat, capitals or a month's short name (found by a review: each was
    refused, "No article uses the word ingored", "... never mention Feb")."""
    answer = sample_bot.ask(question)
    assert not answer.abstained, answer.text
    assert_citations_are_exact(answer)


@pytest.mark.parametrize("question", ["Did Zelensky speak to Macron?", "Did Macron speak with Johnson?"])
def test_a_question_without_capitals_is_refused_as_the_same_question_with_them(sample_bot: Assistant, question: str) -> None:
    """The names check reads the names of a question typed in lower case or in capitals as the
    articles write them, and a yes-or-no question after a chat word is one: "did zelensky speak
    to macron" and "hey, Did Zelensky speak to Macron? thanks" were answered (found by reviews)."""
    written = sample_bot.ask(question)
    assert written.abstained, written.text
    for typed in (question.lower().rstrip("?"), question.upper(), f"hey, {question} thanks"):
        answer = sample_bot.ask(typed)
        assert answer.abstained and answer.text == written.text, (typed, answer.text)


@pytest.mark.parametrize(
    ("question", "word", "meant"),
    [
        ("What did Putin say about the tower?", "tower", ""),  # a word of English, one letter from "power"
        ("What did Putn say NATO ignored?", "Putn", " Did you mean Putin?"),  # under five letters
        ("What did Zelenska say about the risks?", "Zelenska", " Did you mean Zelensky?"),  # a name: not Zelensky (found by a review)
        ("what did zelenska say about the risks?", "zelenska", " Did you mean Zelensky?"),  # nor in lower case
        ("What did Zelesnky say about panic?", "Zelesnky", " Did you mean Zelensky?"),  # a name's typo is shown to the asker
        ("What did Hanoi say about panic?", "Hanoi", ""),  # a name English writes: no typo
    ],
)
def test_a_word_no_article_uses_is_no_typo_when_a_word_of_english_short_or_a_name(
    sample_bot: Assistant, question: str, word: str, meant: str
) -> None:
    """Refused, naming the word; and, for a word rare enough in English to be a typo, asking
    whether the asker meant the passages' word spelt nearest to it."""
    answer = sample_bot.ask(question)
    assert answer.abstained and answer.text == f"{NOT_IN_ARTICLES} No article uses the word {word}.{meant}", answer.text


def test_the_same_statement_from_several_outlets_is_cited_once_with_all(sample_bot: Assistant) -> None:
    answer = sample_bot.ask("What did Putin and Macron agree about the dialogue on European security?")
    multi = [s for s in answer.statements if len(s.markers) > 1]
    assert multi, answer.text
    cited = {c.marker: c for c in answer.citations}
    for statement in multi:
        docs = {cited[m].doc_id for m in statement.markers}
        assert len(docs) == len(statement.markers) > 1


def test_follow_up_is_answered_about_the_same_call(sample_bot: Assistant) -> None:
    first_question = "What did Putin and Macron discuss on January 28?"
    first = sample_bot.ask(first_question)
    follow_up = sample_bot.ask(
        "Did they also talk about nuclear energy?", history=[(first_question, first.text)]
    )
    assert "nuclear energy" in follow_up.text
    assert all(c.path.endswith("003_a48c90cbe8e4b05f.txt") for c in follow_up.citations)
    assert_citations_are_exact(follow_up)


def test_a_short_new_question_is_not_read_in_the_time_of_the_one_before(sample_bot: Assistant) -> None:
    """A short question that names someone no earlier question did, or asks about a subject of
    its own, is not read in the earlier question's day: "Who is Zelensky?" after "What did Putin
    tell Macron yesterday?" was refused with "(Assuming today is 2022-02-13: "yesterday" is
    2022-02-12.)" (a review of conversations); a follow-up that refers back still is."""
    as_of = date(2022, 2, 13)
    first_question = "What did Putin tell Macron yesterday?"
    first = sample_bot.ask(first_question, as_of=as_of)
    history = [(first_question, first.text)]
    new = sample_bot.ask("Who is Zelensky?", history=history, as_of=as_of)
    assert not new.abstained and "Zelensky" in new.text and "yesterday" not in new.text, new.text
    same = sample_bot.ask("What did he say about NATO?", history=history, as_of=as_of)
    assert {c.published for c in same.citations} <= {"2022-02-12"}, [c.published for c in same.citations]


def test_a_pronoun_for_the_person_the_answer_before_named_is_that_person(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"What did she say?" after "Who heads ...?" was answered "Martina Zurbriggen" was refused:
    only the earlier questions were read with it, and none names her (a review of conversations).
    It is asked as "What did Martina Zurbriggen say?"."""
    from assistant.answer.conversation import read_turn

    glacier = (
        "Valais Courier\n\nGlacier warning issued above Feldmatt\n\nMarch 3, 2026\n\nMartina Zurbriggen heads the Valais "
        "natural hazards service, which monitors the Feldmatt glacier. \"The glacier could collapse within days,\" "
        "Zurbriggen told reporters on Monday. The canton evacuated 120 residents from the village over the weekend.\n"
    )
    ferry = (
        "Harbor Gazette\n\nFerry resumes service\n\nMarch 4, 2026\n\nThe Kvarn ferry resumed sailing on Tuesday after a "
        "two-week strike, the operator said. Captain Lars Holm said the crew had agreed to a new contract.\n"
    )
    bot = bot_over(tmp_path, embedder, {"glacier.txt": glacier, "ferry.txt": ferry})
    first_question = "Who heads the Valais natural hazards service?"
    first = bot.ask(first_question)
    assert first.short_answer == "Martina Zurbriggen", first.text
    history = [(first_question, first.text)]
    follow_up = bot.ask("What did she say?", history=history)
    assert not follow_up.abstained and {Path(c.path).name for c in follow_up.citations} == {"glacier.txt"}, follow_up.text
    assert read_turn("What did her office say?", history).question == "What did Martina Zurbriggen's office say?"
    assert read_turn("What did they tell her about it?", history).question == "What did they tell Martina Zurbriggen about it?"
    # only a "who" question's short answer is someone a pronoun may stand for ...
    assert read_turn("What did she say?", [("What did the minister say?", "The minister said so [1].")]).question == "What did she say?"
    # ... or the one person a "What did <name> say?" question asked to hear (a review of quotes)
    okafor = [("What did Mayor Okafor say about the strike?", "Mayor Linda Okafor said the strike was irresponsible [1].")]
    assert read_turn("What did she say about pay?", okafor).question == "What did Okafor say about pay?"
    # ... also turns later, where the turns since named no one else (a review of follow-ups:
    # "What did he say after the game?" two turns after "Who scored twice?" quoted the coach)
    scorer = [("Who scored twice for Rovers?", "Kofi Mensah [1]. Kofi Mensah scored twice [1]."),
              ("How much did Rovers pay for him?", "Rovers paid £2 million [1].")]
    assert read_turn("What did he say after the game?", scorer).question == "What did Kofi Mensah say after the game?"
    assert read_turn("What did he say?", [*scorer, ("What did Coach Hartmann say?", "…")]).question == "What did Hartmann say?"
    assert read_turn("What did he say?", [*scorer, ("When did Dunmore sign Lukas Berg?", "…")]).question == "What did he say?"
    # a "who" answer led by no short answer: the one person its first statement gives as speaking
    # or acting, and not a place or a firm ("a Kessler Logistics warehouse on Quarry Road")
    union = [("Who is the president of the teachers' union?",
              "“We did not want this,” said Priya Natarajan, the president of the union, outside Ashby Central High School. [1]")]
    assert read_turn("What did she say about the deal?", union).question == "What did Priya Natarajan say about the deal?"
    fire = [("Who found the cause?", "Fourteen people were hurt when fire tore through a Kessler Logistics warehouse on Quarry Road. [1]")]
    assert read_turn("What did she say?", fire).question == "What did she say?"


def test_a_follow_up_asking_for_more_quotes_what_the_answer_before_did_not(sample_bot: Assistant) -> None:
    """"What else did he say?" and "And what did he say next?" after "What did Zelensky say?"
    were refused ("No article uses the word next"): they ask the question before again, less the
    sentences already quoted; when nothing is left, the refusal says so."""
    first_question = "What did Zelensky say?"
    first = sample_bot.ask(first_question)
    assert not first.abstained and "Zelensky" in first.text
    history = [(first_question, first.text)]
    for follow_up in ("What else did he say?", "And what did he say next?", "Anything else?"):
        more = sample_bot.ask(follow_up, history=history)
        assert not more.abstained, (follow_up, more.text)
        assert not {c.quote for c in more.citations} & {c.quote for c in first.citations}, more.text
        assert "We do not need this panic" in more.text
        assert_citations_are_exact(more)
    history.append(("What else did he say?", sample_bot.ask("What else did he say?", history=history).text))
    for _ in range(3):  # asked again and again: what is left, then a refusal that says why
        again = sample_bot.ask("Anything else?", history=history)
        assert not any(c.quote in answer for c in again.citations for _, answer in history), again.text
        history.append(("Anything else?", again.text))
    assert again.abstained and again.text == "Nothing more was found in the articles for “What did Zelensky say?” than the answers before gave."
    # words of its own are asked as such, less the answer before
    money = sample_bot.ask("What else did he say about money?", history=history[:1])
    assert "money" in money.text and not {c.quote for c in money.citations} & {c.quote for c in first.citations}
    # asked again: "he" is Zelensky, two turns back, and nothing quoted before is quoted again
    # ("he urged Western supporters to help Kyiv fill financial gaps of up to $5 billion")
    again = sample_bot.ask("What else did he say about money?", history=[*history[:1], ("What else did he say about money?", money.text)])
    assert not {c.quote for c in again.citations} & {c.quote for c in [*first.citations, *money.citations]}, again.text
    assert again.abstained or "$ 5 billion" in again.text, again.text
    # after a question that asked no one's words, "he" is the one asked to hear before it (a review
    # of follow-ups: "Nothing more was found … for “How long did crews fight the fire?”")
    between = [*history[:1], ("How many troops are near the border?", "More than 100,000 [1].")]
    other = sample_bot.ask("What else did he say?", history=between)
    assert not other.abstained and "Zelensky" in other.text, other.text
    assert not {c.quote for c in other.citations} & {c.quote for c in first.citations}, other.text


@pytest.mark.parametrize("question", ["What else did he say?", "Anything else?"])
def test_asking_for_more_with_nothing_before_says_so(sample_bot: Assistant, question: str) -> None:
    """ "What else did he say?" as the first question (or after /new) got "The articles don't
    say.", as if the articles lacked something."""
    answer = sample_bot.ask(question)
    assert answer.abstained and answer.text == NOTHING_BEFORE, answer.text


def test_a_named_date_prefers_articles_of_that_date(sample_bot: Assistant) -> None:
    answer = sample_bot.ask("What did Putin tell Macron on February 12?")
    assert answer.citations[0].published == "2022-02-12"


def test_the_outlet_a_question_names_words_the_statement(sample_bot: Assistant) -> None:
    # Xinhua and the Kremlin (quoted by another outlet) report the agreement to keep talking;
    # only Xinhua's sentence says why France matters, and the Kremlin's, saying less, is not
    # cited for it.
    answer = sample_bot.ask(
        "Why does Xinhua say France's role matters for the continued French-Russian dialogue?"
    )
    first = answer.statements[0]
    assert first.text.startswith("As France presides over the Council of the European Union")
    cited = [c for c in answer.citations if c.marker in first.markers]
    assert [c.outlet for c in cited] == ["Xinhua"]
    assert_citations_are_exact(answer)


def test_a_named_weekday_prefers_the_article_of_that_call(sample_bot: Assistant) -> None:
    # Only the December article names Tuesday, and its passage on the other topics does not.
    answer = sample_bot.ask("Besides Ukraine, what topics did Putin and Macron cover in their Tuesday call?")
    assert "Nagorno-Karabakh" in answer.text and "COVID-19" in answer.text
    assert {c.path.rsplit("/", 1)[-1] for c in answer.citations} == {"002_26d29b4b9797d869.txt"}
    assert_citations_are_exact(answer)


@pytest.mark.parametrize(
    ("question", "mention"),
    [
        ("What was said in the February call?", DateMention(month=2)),
        ("And their Tuesday call?", DateMention(weekday=1)),
        ("What did he say on Friday, January 28?", DateMention(month=1, day=28)),
        ("What may the call have changed?", None),
        # written in figures, as people type them (found by a review)
        ("Who initiated the 2/12 phone call?", DateMention(month=2, day=12)),
        ("What happened on 28/1?", DateMention(month=1, day=28)),
        ("What was agreed on 12.02.2022?", DateMention(month=2, day=12, year=2022)),
        ("Is the hotline open 24/7?", None),
        ("Did 1/2 of the members vote?", None),
        # a month's year is the mention's, no number to look for (the answer refused: a review)
        ("What did Putin say about NATO in January 2022?", DateMention(month=1, year=2022)),
        ("What happened in January of 2022?", DateMention(month=1, year=2022)),
        ("What did he say in February, 2022?", DateMention(month=2, year=2022)),
    ],
)
def test_dates_and_weekdays_named_in_questions(question: str, mention: DateMention | None) -> None:
    assert mentioned_date(question) == mention


def test_a_question_asking_for_a_kind_of_answer_gets_one_or_a_refusal(sample_bot: Assistant) -> None:
    # No article says how long any call lasted, though every one is about the call.
    assert sample_bot.ask("How long did the January 28 phone call between Putin and Macron last?").abstained
    money = sample_bot.ask("How much money did Zelensky want Western supporters to help Kyiv find?")
    assert "$ 5 billion" in money.text
    assert_citations_are_exact(money)
    earlier = ("What did Zelensky ask of Western countries?", "He urged them to soften their warnings.")
    # "ask", like "say", only frames the question: no article uses the word, yet it is answered.
    follow_up = sample_bot.ask("How much money did he ask for?", history=[earlier])
    assert "$ 5 billion" in follow_up.text


@pytest.mark.parametrize(
    ("sentence", "is_a_reaction"),
    [
        ("Morgan was shocked by the reminder of his part in the crash.", True),
        ("Luther confirmed he was their author.", True),
        ("Biden's response came a day later.", True),
        ("Morgan shares sank 6 percent after the announcement.", True),  # an irregular past
        ("Mayor Luther took the decision to close the library.", True),
        ("It was also discussed in talks with U.S. President Joe Biden.", False),
        ("Putin spoke to Biden and Macron.", False),
    ],
)
def test_a_reaction_is_the_actor_saying_or_doing_something(sentence: str, is_a_reaction: bool) -> None:
    actor = re.search(r"Morgan shares|Morgan|Luther|Biden", sentence)
    assert actor is not None
    kind = expected_answer_type(f"How did {actor.group()} react to the news?")
    assert kind is not None and kind.found_in(sentence) is is_a_reaction


def test_how_someone_reacted_needs_something_they_said_or_did(sample_bot: Assistant) -> None:
    reaction = sample_bot.ask("How did Zelensky react to the warnings of an impending invasion?")
    assert "urged the US and other Western supporters to soften public warnings" in reaction.text
    assert_citations_are_exact(reaction)
    # Biden is named only as the other side of Putin's talks ("talks with ... Joe Biden").
    assert sample_bot.ask("How did Joe Biden react to Putin's call with Macron?").abstained


def test_filters_restrict_outlet_and_dates(sample_bot: Assistant) -> None:
    question = "What did Putin say NATO ignored?"
    xinhua = sample_bot.ask(question, filters=Filters(outlet="Xinhua"))
    assert xinhua.citations and {c.outlet for c in xinhua.citations} == {"Xinhua"}
    # Only the February 12 article is left, and it says nothing of what NATO ignored: the learned
    # reader refuses that question there, so the filter is checked with one that article answers.
    later = "What did Putin tell Macron about the response of Washington and NATO?"
    february = sample_bot.ask(later, filters=Filters(published_from=date(2022, 2, 1)))
    assert february.citations and {c.published for c in february.citations} == {"2022-02-12"}
    assert sample_bot.ask(question, filters=Filters(published_from=date(2022, 2, 1))).abstained
    nothing = sample_bot.ask(question, filters=Filters(published_to=date(2020, 1, 1)))
    assert nothing.abstained and not nothing.citations
    # a range no article is in says so, and where the nearest are (it said only "The articles don't say")
    undated = " (3 articles state no date and were not read: the dates given read only dated ones.)"
    assert nothing.text == (
        f"{NOT_IN_ARTICLES} None of the articles was published up to 2020-01-01. "
        "Of the articles, the earliest after then on 2022-01-28." + undated
    )
    later_xinhua = sample_bot.ask(question, filters=Filters(outlet="Xinhua", published_from=date(2022, 2, 1)))
    assert later_xinhua.abstained and "None of Xinhua's articles was published from 2022-02-01 on." in later_xinhua.text
    assert "the latest before then on 2022-01-28" in later_xinhua.text
    # a range that holds articles says nothing of ranges, answered or refused; a refusal says
    # what the range left out (`--since 2000-01-01` read none of the undated articles, unsaid)
    refused = sample_bot.ask(question, filters=Filters(published_from=date(2022, 2, 1)))
    assert "was published" not in refused.text and refused.text.endswith(undated), refused.text
    assert not later_xinhua.text.endswith(undated)  # Xinhua's one article is dated


def test_a_script_may_write_filter_dates_as_iso_days_and_gets_clear_errors_otherwise(sample_bot: Assistant) -> None:
    later = "What did Putin tell Macron about the response of Washington and NATO?"
    as_dates = sample_bot.ask(later, filters=Filters(published_from=date(2022, 2, 1)))
    as_text = sample_bot.ask(later, filters=Filters(published_from="2022-02-01"))  # type: ignore[arg-type]
    assert as_text.to_dict() == as_dates.to_dict()
    # a datetime counts as its day, beside a date on the other side (it raised TypeError)
    as_times = sample_bot.ask(
        later, filters=Filters(published_from=datetime(2022, 2, 1, 18, 30), published_to=date(2022, 3, 1))
    )
    assert as_times.to_dict() == as_dates.to_dict()
    for wrong, said in [
        (Filters(published_from="1 Feb"), "Filters.published_from must be a date or an ISO day"),  # type: ignore[arg-type]
        ("Xinhua", "filters must be a Filters, not str"),
        (Filters(outlet=123), "Filters.outlet must be an outlet's name, not 123"),  # type: ignore[arg-type]
    ]:
        with pytest.raises(QuestionError, match=said):
            sample_bot.ask(later, filters=wrong)  # type: ignore[arg-type]
    for top_k in (0, -1, 2.5, True):
        with pytest.raises(QuestionError, match="top_k must be a whole number of passages"):
            sample_bot.retrieve(later, top_k=top_k)  # type: ignore[arg-type]
    assert len(sample_bot.retrieve(later, top_k=2)) == 2


def test_an_acronym_is_the_same_word_with_dots_or_without(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"When is the UK election?" of an article that writes "U.K." was refused ("UK" and "U.K."
    were different words; found on the real pages of the extraction benchmark), and "US" was no
    word at all (the pronoun)."""
    vote = (
        "Harbor Gazette\n\nJohnson calls early vote\n\nThe U.K. election will be held on December 12, Prime Minister "
        "Boris Johnson announced on Tuesday. Opposition parties said they were ready for the campaign.\n"
    )
    ships = (
        "Harbor Gazette\n\nCoast guard cutter handed over\n\nThe U.S. transferred a coast guard cutter to Vietnam's "
        "navy on Wednesday, officials in Hanoi said. The ship will patrol the southern coast.\n"
    )
    bot = bot_over(tmp_path, embedder, {"vote.txt": vote, "ships.txt": ships})
    for question, fact in (("When is the UK election?", "December 12"), ("What did the US transfer to Vietnam?", "cutter")):
        answer = bot.ask(question)
        assert not answer.abstained and fact in answer.text, (question, answer.text)


def test_one_folder_may_be_given_alone_to_ingest(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ferry.txt").write_text("Ferry resumes\n\nThe Kvarn ferry resumed sailing on Tuesday, the operator said.\n")
    bot = open_assistant(tmp_path / "index", embedder)
    assert bot.ingest(str(folder)).added == [str(folder / "ferry.txt")]  # not six one-letter paths
    assert bot.ingest(folder).unchanged == [str(folder / "ferry.txt")]
    with pytest.raises(TypeError, match="paths must be a file or folder, or a list of them, not None"):
        bot.ingest(None)  # type: ignore[arg-type]
    # "" (a variable left unset) was the current folder, read whole
    for empty in ("", [""], [str(folder), " "]):
        with pytest.raises(ValueError, match=r"an empty path .* names no file or folder"):
            bot.ingest(empty)
    # one address given alone was fetched a letter at a time ("h: 'h' is not a web address")
    report = bot.ingest_urls("http://127.0.0.1:9/story.html")
    assert [r.path for r in report.skipped] == ["http://127.0.0.1:9/story.html"], report.summary()
    with pytest.raises(TypeError, match="urls must be an address or a list of them"):
        bot.ingest_urls(None)  # type: ignore[arg-type]


def test_the_python_api_takes_what_a_script_passes_and_refuses_nonsense_at_once(sample_bot: Assistant) -> None:
    """Gaps a review found: the errors the README names could not be imported from `assistant`;
    read_text wanted a Path where a citation gives a string; negative pages were taken; a bad
    top_k was told at the first question, not when the retriever was made; a conversation given
    as a generator was read by the check and reached the answer empty."""
    from assistant import IngestBusyError, QuestionError, RebuildError  # noqa: F401

    citation = sample_bot.ask("What did Putin say NATO ignored?").citations[0]
    assert read_text(citation.path)[citation.char_start : citation.char_end] == citation.quote
    for bad in ({"offset": -1}, {"limit": -1}, {"offset": "1"}):
        with pytest.raises(ValueError, match="must be a whole number, 0 or more"):
            sample_bot.articles(**bad)  # type: ignore[arg-type]
    with pytest.raises(QuestionError, match="top_k must be a whole number of passages"):
        sample_bot.as_retriever(top_k=-1)
    turns = [("What did Putin say NATO ignored?", "The principle of indivisibility of security [1].")]
    as_list = sample_bot.ask("What did Macron say?", history=turns)
    as_generator = sample_bot.ask("What did Macron say?", history=(t for t in turns))
    assert as_generator.text == as_list.text and as_generator.searched_for == as_list.searched_for
    for blank in ("", "  "):  # Filters(outlet=os.environ.get("OUTLET", "")) read every outlet without a word
        with pytest.raises(QuestionError, match=r"Filters\.outlet is empty"):
            sample_bot.ask("What did Putin say NATO ignored?", filters=Filters(outlet=blank))


def test_json_shape(sample_bot: Assistant) -> None:
    data = sample_bot.ask("What did Putin say NATO ignored?").to_dict()
    assert {"question", "answer", "abstained", "mode", "citations"} <= set(data)
    assert data["mode"] == "extractive"
    assert set(data["citations"][0]) == CITATION_FIELDS


@pytest.mark.parametrize("question", ["", "   ", "x" * 5000])
def test_bad_questions_get_a_clear_error(sample_bot: Assistant, question: str) -> None:
    with pytest.raises(QuestionError):
        sample_bot.ask(question)


def test_questions_asked_at_once_each_keep_their_own_filters(sample_bot: Assistant) -> None:
    """The page answers several people at once from one Assistant: the lexical search runs on
    other threads, and each question's filters must stay its own."""
    outlets = {a.outlet for a in sample_bot.articles() if a.outlet}
    assert len(outlets) >= 2
    question = "What did Putin and Macron discuss about NATO and security guarantees?"

    def outlets_found(outlet: str) -> set[str | None]:
        found: set[str | None] = set()
        for _ in range(12):
            found |= {p.metadata.get("outlet") for p in sample_bot.retrieve(question, filters=Filters(outlet=outlet))}
        return found

    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns often: shared state would be seen mixed
    try:
        with ThreadPoolExecutor(max_workers=len(outlets)) as pool:
            results = {outlet: pool.submit(outlets_found, outlet) for outlet in sorted(outlets)}
            found = {outlet: result.result() for outlet, result in results.items()}
    finally:
        sys.setswitchinterval(switching)
    assert found == {outlet: {outlet} for outlet in outlets}


@pytest.mark.parametrize(
    ("sentence", "is_money"),
    [
        ("The project cost about 95 million pesos, Sosa said.", True),
        ("Zelensky asked for up to $ 5 billion.", True),
        ("The fee rises to 250 kroner.", True),
        ("It raised NOK 1.2 billion and 40 million USD.", True),
        ("The bank lent 3 bn euros.", True),
        ("It weighs 33,300 pounds.", True),  # a sum in pounds, by its words alone
        ("He was fined Sh900 million.", True),
        ("Trinh was paid 50 million dong.", True),
        ("The council set aside Rs. 500 crore.", True),
        ("It values the bank at 4.8 billion Canadian dollars.", True),
        ("Edison offered him fifty thousand dollars.", True),
        ("Revenue reached 210 million Danish crowns.", True),  # English for kroner (a review of near misses)
        ("It was fined 40 million Czech crowns, or 3.2 billion koruna by another count.", True),
        # crowns alone, as news writes them after naming the country once, where the sum is no trophy count
        ("The study put the cost at 420 million crowns.", True),
        ("The fine was 12,000 crowns.", True),
        ("The team won 3 crowns in 2019.", False),
        ("The team won 3 medals in 2019.", False),
        ("He has 5 pens.", False),
        ("Five of the dollars' rivals fell.", False),
    ],
)
def test_an_amount_of_money_in_any_currency(sentence: str, is_money: bool) -> None:
    kind = expected_answer_type("How much did the project cost?")
    assert kind is not None and kind.name == "amount of money"
    assert kind.found_in(sentence) is is_money


@pytest.mark.parametrize(
    ("sentence", "is_a_count"),
    [
        ("Stadia is launching with 22 games.", True),
        ("The studio hired two hundred people.", True),
        ("Two people were hurt.", True),
        ("“Three were arrested,” police said.", True),
        ("Wolfe and Jackson each had 5½ sacks.", True),
        ("A function problem expects a single output for every input.", True),
        ("None of the original treaties mention fundamental rights.", True),
        ("Publishers such as Take-Two Interactive have games at launch.", False),
        ("He drove in Formula One for Williams.", False),
        # a sum, a day or a year is no count ...
        ("The plant, opened in 2019, cost $5,000 and 4 million euros.", False),
        ("The talks resumed on March 3 and ended on 14 April.", False),
        # ... but a share of people is ("26.7% are Catholic"), and a number beside them stays one
        ("Some 26.7% of Victorians are Catholic.", True),
        ("Peru sent 40 rescue workers on March 3, 2021.", True),
        ("Some 2000 guests attended the dinner.", True),
        ("No one should strengthen their security at the expense of others.", False),
        # every number word, written out at a sentence's start (a review found "Nineteen people
        # are still missing" and "Sixteen people died" read as no count)
        ("Nineteen people are still missing.", True),
        ("Sixteen people died and seventy were hurt.", True),
        ("Eighty-eight bodies were recovered.", True),
    ],
)
def test_a_number_word_in_a_name_is_not_a_count(sentence: str, is_a_count: bool) -> None:
    kind = expected_answer_type("How many games is Stadia launching with?")
    assert kind is not None and kind.name == "number"
    assert kind.found_in(sentence) is is_a_count


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("In what year was the chapel built?", "year"),
        ("Which year did the strike end?", "year"),
        ("On what date will the court rule?", "date"),
        ("What percentage of voters turned out?", "percentage"),
        ("How many percent of the vote did she win?", "percentage"),
        ("How old are the two men who were arrested?", "age"),
        ("At what age did she start racing?", "age"),
        ("How much did the NFL fine Mason Rudolph?", "amount of money"),
        ("How much compensation will the families receive?", "amount of money"),
        ("How much does the store owe its creditors?", "amount of money"),
        # a change or a quantity may be a percentage or a count, not a sum
        ("How much might tuition rise next year?", None),
        ("How much did the central bank raise rates?", None),
        ("How much of the stock did the fund sell?", None),
        ("How much of their money did creditors get back?", None),
        ("By how much did the price of oil increase?", None),
        ("By how much does the agreement raise wages?", None),
        ("How much in kroner did the bank cut its fee?", "amount of money"),
        ("How much money did the committee raise?", "amount of money"),
        ("How much profit did Meridia make last year?", "amount of money"),
        ("How much is Alpenholm lending Brenner?", "amount of money"),
        ("How much was the lander insured for?", "amount of money"),
        ("How much revenue growth did the firm report?", None),
        # each "how much" is read for itself, on its own line
        ("By how much did it rise, and how much did they pay?", "amount of money"),
        ("How much of it, and how much did they pay?", "amount of money"),
        ("How much did they pay, and by how much did it rise?", None),
        ("How much\nof the money was paid?", None),
        ("How much did it rise?\nWho paid?", None),
        ("How much did they pay?\nDid it rise?", "amount of money"),
        ("What share of adults backed the change?", "percentage"),
        # what only money measures, asked for without "how much"
        ("How large a fine could the company face?", "amount of money"),
        ("How big was Chesang's bonus for the course record?", "amount of money"),
        ("What was the average cost of a 30-second commercial?", "amount of money"),
        ("What was Tesla's salary from Westinghouse?", "amount of money"),
        # a name of several words before it, as a follow-up's "her salary" is asked ("What is Angela Moor's salary?")
        ("What is Angela Moor's salary?", "amount of money"),
        ("What are the T1 line's annual running costs?", "amount of money"),
        ("What was the price increase?", None),
        ("What was Norway's headline consumer price inflation in February?", None),
        ("What is the cost-cutting plan?", None),
        ("How large was the fire on Chios?", None),
    ],
)
def test_the_kind_a_question_asks_for(question: str, kind: str | None) -> None:
    found = expected_answer_type(question)
    assert (found.name if found else None) == kind


@pytest.mark.parametrize(
    ("question", "sentence", "holds_it"),
    [
        ("What year was the casket made?", "The Becket Casket, dated c1180, holds relics.", True),
        ("What year was the casket made?", "It dates from the 12th century.", True),
        ("What year was the casket made?", "The casket sold for $1500 at auction.", False),
        ("What percentage of homes were hit?", "About a third of homes lost power.", True),
        ("What percentage of homes were hit?", "Prices rose 4.5% in May.", True),
        ("What percentage of homes were hit?", "Three towns lost power on Friday.", False),
        ("On what date will it rule?", "The court will rule on March 3.", True),
        ("On what date will it rule?", "A ruling is due on the 5th.", True),
        ("On what date will it rule?", "The court said it may rule soon.", False),  # "may", the verb
        ("How old is he?", "Patrick W. Carlineo Jr., 55, of Addison, pleaded guilty.", True),
        ("How old is he?", "The 42-year-old was released.", True),
        ("How old is he?", "She is in her late sixties.", True),
        ("How old is he?", "He was seven months old when they moved.", True),
        ("How old was the chapel?", "The slide destroyed a chapel built in 1674.", True),
        ("How old are they?", "Three cases of plague have been diagnosed in China.", False),
    ],
)
def test_a_year_a_percentage_and_an_age_as_news_writes_them(question: str, sentence: str, holds_it: bool) -> None:
    kind = expected_answer_type(question)
    assert kind is not None and kind.complete
    assert kind.found_in(sentence) is holds_it


def test_a_question_in_pounds_of_weight_does_not_ask_for_money() -> None:
    assert expected_answer_type("How much did the module weigh in pounds?") is None
    kind = expected_answer_type("How much in kroner did the bank cut its fee?")
    assert kind is not None and kind.name == "amount of money"


def test_a_headline_stated_in_an_answer_ends_as_a_sentence(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """A subheading is story text, and can be the best statement; it has no full stop, so the
    answer ends it with one after its marker ("… towns [1]. The minister …"), as it ends a short
    answer. The statement and its quote stay the source's words. (The page's own headline atop the
    story is its title since session 43, not a statement.)"""
    folder = tmp_path / "pages"
    folder.mkdir()
    headline = "Valdoran minister accuses Norland of intimidating smaller harbour towns"
    story = [  # invented news, written for this test
        "The Valdoran defence minister spoke in Port Elm on Tuesday during a two-day visit to the coast.",
        "He announced that Valdora will give the coast guard of Port Elm a surplus patrol ship next spring.",
        "Port Elm is one of the region's most vocal critics of Norland's fishing claims and has accused "
        "Norland of encroaching into its waters.",
    ]
    page = article_page(headline="Minister visits Port Elm", paragraphs=[story[0], headline, *story[1:]])
    (folder / "minister.html").write_text(page, encoding="utf-8")
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([folder])
    answer = bot.ask("What did the Valdoran minister accuse Norland of?")
    stated = next(s for s in answer.statements if s.text == headline)
    marked = f"{headline} " + "".join(f"[{m}]" for m in stated.markers)
    assert f"{marked}." in answer.text, answer.text
    assert f"{marked} " not in answer.text and not re.search(r"\.\s*\[\d+\]\.", answer.text)
    assert_citations_are_exact(answer)


def test_an_article_beside_its_update_is_read_and_cited_once(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """An article saved again after its outlet updated it (a paragraph added at the end) is two
    files that share their first chunks. Those sentences are read and cited once, not once a
    version as if a second report said them, and the passages that say something else keep
    their places. (The same text in another outlet's article would still count as that
    outlet's.)"""
    folder = tmp_path / "pages"
    folder.mkdir()
    headline = "Valdora ferry terminal to open in March, two years late"
    story = [  # invented news, written for this test
        "The harbour authority of Valdora said on Tuesday that the new ferry terminal will open in March.",
        "The opening comes two years later than planned because of a shortage of steel.",
        "Director Ines Marlow said the terminal would handle forty sailings a day once both quays are built.",
        "The first quay is finished, and the second is due to be ready by the end of the summer.",
        "The regional government has paid for most of the work, which began in the spring of 2019.",
        "Local businesses on the waterfront have complained about the noise of the building works.",
        "The authority said the old terminal would close a week after the new one opens.",
        "Passengers will be able to buy tickets online from February.",
    ]
    (folder / "ferry.html").write_text(article_page(headline=headline, paragraphs=story), encoding="utf-8")
    updated = [*story, "Update: the authority later said the opening date could move if the steel arrives late."]
    (folder / "ferry-updated.html").write_text(
        article_page(headline=headline, paragraphs=updated), encoding="utf-8"
    )
    other = [  # the same outlet, another story on the terminal
        "Ferry operators in Valdora said the March opening would let them add a night sailing.",
        "The operators expect ticket prices to stay the same for the first year.",
    ]
    (folder / "operators.html").write_text(
        article_page(headline="Operators plan a night sailing", paragraphs=other), encoding="utf-8"
    )
    bot = open_assistant(tmp_path / "index", embedder)
    report = bot.ingest([folder])
    assert len(report.added) == 3, report.summary()  # two versions of one story: both kept
    answer = bot.ask("When will the new ferry terminal in Valdora open?")
    assert not answer.abstained and "March" in answer.text, answer.text
    quoted = [(c.outlet, c.text) for c in answer.citations]
    assert len(quoted) == len(set(quoted)), [(c.path, c.text) for c in answer.citations]
    read = [" ".join(p.split()) for p in answer.passages]
    assert len(read) == len(set(read)), read
    assert any("night sailing" in p for p in read), read  # the other story kept its place
    assert_citations_are_exact(answer)


def test_an_answer_says_when_a_cited_file_changed_since_it_was_ingested(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """A file edited after its ingest: the index still quotes it as it was, at offsets that no
    longer hold the quote, and said nothing of it. The answer now says which cited file changed;
    a file as ingested, or one ingested again, draws no notice."""
    folder = tmp_path / "articles"
    shutil.copytree(REPO / "corpus", folder)
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([folder])
    question = "What did Putin say NATO ignored?"
    before = bot.ask(question)
    assert before.citations and before.notice is None
    edited = Path(before.citations[0].path)
    edited.write_text("An editor's note added later.\n" + edited.read_text(encoding="utf-8"), encoding="utf-8")
    after = bot.ask(question)
    assert after.notice == (
        f"Cited file: {edited.name} has changed since it was indexed; the quotes are from the indexed version. "
        "Add the file again to answer from what it holds now."
    )
    streamed = list(bot.ask_stream(question))[-1]
    assert isinstance(streamed, Answer) and streamed.notice == after.notice
    bot.ingest([folder])
    again = bot.ask(question)
    assert again.notice is None
    assert_citations_are_exact(again)
    Path(again.citations[0].path).unlink()  # gone: its quotes cannot be shown either
    assert f"{Path(again.citations[0].path).name} has been removed since it was indexed" in (bot.ask(question).notice or "")


def test_a_quote_closed_with_an_opening_mark_gets_no_stop_after_its_marker(sample_bot: Assistant) -> None:
    """The source closes a quote with "“" ("... this week. “"): the answer added a stop after the
    marker as if the sentence had none ("this week. “ [2].")."""
    answer = sample_bot.ask("When will Boris Johnson speak to Putin?")
    statement = next(s for s in answer.statements if s.text.endswith("this week. “"))
    marker = "".join(f"[{m}]" for m in statement.markers)
    assert f"this week. “ {marker}" in answer.text and f"this week. “ {marker}." not in answer.text, answer.text


def test_a_country_the_articles_name_by_its_people_is_answered(sample_bot: Assistant) -> None:
    """The articles write "the Iranian nuclear program", never "Iran": asked about Iran, the
    answer was "No article uses the word Iran"."""
    answer = sample_bot.ask("What did Putin tell Macron about Iran?")
    assert not answer.abstained and "Iranian nuclear program" in answer.text, answer.text
    assert_citations_are_exact(answer)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("What did Putin tell Macron about Iran on January 28?", "Iranian"),
        ("What did Putin say about the Minsk agreements on January 28?", "Minsk"),
    ],
)
def test_what_a_question_asks_about_is_stated(sample_bot: Assistant, question: str, topic: str) -> None:
    """Asked about Iran on January 28, the answer stated the sentences of that day that name
    Putin and Macron and not Iran: the day and the people outweighed what was asked about."""
    answer = sample_bot.ask(question)
    assert not answer.abstained and answer.statements, answer.text
    assert any(topic in s.text for s in answer.statements), answer.text
    assert_citations_are_exact(answer)


@pytest.mark.parametrize("question", ["What did Putin say about NATO, e.g. expansion?", "What did Putin say v?"])
def test_a_letter_alone_is_no_word_the_articles_lack(sample_bot: Assistant, question: str) -> None:
    """ "e.g." or a stray letter made the answer refuse: "No article uses the words e or g"."""
    answer = sample_bot.ask(question)
    assert not answer.abstained and answer.citations, answer.text
    assert_citations_are_exact(answer)


@pytest.mark.parametrize("question", ["Who is Vladmir Putin?", "who is emmanuel macron"])
def test_who_someone_is_is_not_answered_with_another_name(sample_bot: Assistant, question: str) -> None:
    """ "Who is Vladmir Putin?" led with "French President Emmanuel Macron" at confidence 0.72:
    the other name of the sentence that names him. A description is asked for, not a name."""
    answer = sample_bot.ask(question)
    assert answer.short_answer is None and not answer.text.startswith("French President"), answer.text


def test_a_month_and_its_year_named_by_a_question_are_when_not_words_to_find(sample_bot: Assistant) -> None:
    """ "What did Putin say about NATO in January 2022?" was refused (confidence 0.14) where "...
    in January?" was answered: the year was a number for the passages to hold."""
    answer = sample_bot.ask("What did Putin say about NATO in January 2022?")
    assert not answer.abstained and answer.citations, answer.text
    assert_citations_are_exact(answer)


def test_what_an_outlet_reported_is_its_articles_openings(sample_bot: Assistant) -> None:
    """"What did Xinhua report?" was refused (confidence 0.12): it asks nothing beside the outlet,
    and Xinhua's article never names Xinhua in its sentences. Its articles' openings are what it
    reported; a question about something in particular is read as before."""
    answer = sample_bot.ask("What did Xinhua report?")
    assert not answer.abstained and answer.confidence == 1.0, answer.text
    assert {c.outlet for c in answer.citations} == {"Xinhua"}
    assert_citations_are_exact(answer)
    same = sample_bot.ask("What did they write?", filters=Filters(outlet="Xinhua"))
    assert same.text == answer.text
    particular = sample_bot.ask("What did Xinhua say NATO ignored?")
    assert particular.confidence < 1.0 and "ignored" in particular.text


def test_a_fragment_is_no_further_statement(sample_bot: Assistant) -> None:
    """"Normandy Quartet." (the tail of a sentence split off in the source) was cited as a
    statement of its own, [3], in the answer to what happened on February 12."""
    answer = sample_bot.ask("What happened on Feb 12?")
    assert answer.statements and all(len(s.text.split()) >= 4 for s in answer.statements[1:]), answer.text
    assert "Normandy Quartet. [" not in answer.text


def test_a_name_one_letter_from_a_name_of_the_passages_is_offered_it(sample_bot: Assistant) -> None:
    """"Puttin" is a word of English slang (rare, not rare enough to count as a typo): the refusal
    named it without "Did you mean Putin?". A name English writes and no passage is near ("Hanoi")
    still gets none."""
    typo = sample_bot.ask("What did Puttin say NATO ignored?")
    assert typo.abstained and typo.text.endswith("No article uses the word Puttin. Did you mean Putin?"), typo.text
    place = sample_bot.ask("What did Putin say in Hanoi?")
    assert place.abstained and "Did you mean" not in place.text, place.text
    # nor is a country's word its people's ("Coppa Italia" of articles that write "Italian")
    assert as_typed.nearest_spellings(["Italia"], ["Italian clubs met."]) == ()


def test_an_office_of_one_company_is_not_answered_by_another_s(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """ "Who is the CEO of Duramax?" of articles that name Vantor's chief executive and none of
    Duramax's was answered with Vantor's: the office and the name were each found, in different
    articles. One article must name both."""
    bot = bot_over(tmp_path, embedder, {
        "vantor.txt": "Title: Vantor to close Leeds plant\nOutlet: Gazette\nDate: 2025-11-20\n\n"
        "Carmaker Vantor Motors will cut 2,400 jobs and close its Leeds plant.\n\n"
        "Its chief executive, Martin Hale, said the closure was painful but necessary.\n",
        "duramax.txt": "Title: Jury orders Duramax to pay\nOutlet: Gazette\nDate: 2025-11-21\n\n"
        "A jury in Ohio ordered chemical company Duramax to pay $320 million to residents of Millbrook.\n\n"
        "Duramax said it disagreed with the verdict and would appeal.\n",
    })
    other = bot.ask("Who is the CEO of Duramax?")
    assert other.abstained and "never mention the chief executive of Duramax" in other.text, other.text
    own = bot.ask("Who is Vantor's CEO?")
    assert not own.abstained and "Martin Hale" in own.text, own.text


def test_an_outlet_s_sentence_in_its_story_and_its_update_is_one_report(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """A story and its update from one outlet, a day apart, repeat its opening sentence word for
    word: the answer stated it twice and cited it as two reports that agree ("About 1,200 [1][2]";
    a review of stories that change)."""
    opening = "About 1,200 workers walked out at the Corlen Steelworks on Monday in a dispute over pay."
    bot = bot_over(tmp_path, embedder, {
        "day1.txt": f"Title: Steelworkers strike\nOutlet: Midland Record\nDate: 2025-09-08\n\n{opening}\n\n"
        "The Steel Workers Union is demanding a 9 percent raise.\n",
        "day2.txt": f"Title: Steelworkers strike spreads\nOutlet: Midland Record\nDate: 2025-09-09\n\n{opening}\n\n"
        "Update, Tuesday: The strike has spread to the rolling mill, and about 1,800 workers are now on strike.\n",
    })
    answer = bot.ask("How many workers walked out at the Corlen Steelworks on Monday?")
    assert not answer.abstained, answer.text
    assert answer.text.count("About 1,200 workers walked out") == 1, answer.text
    assert not re.search(r"\]\[", answer.text), answer.text  # no "[1][2]": one report
    assert_citations_are_exact(answer)


@pytest.mark.parametrize("said", ["hello", "Thanks!", "help", "ok thanks", "Good morning"])
def test_words_of_a_chat_alone_ask_for_a_question(sample_bot: Assistant, said: str) -> None:
    """ "help" was answered with a sentence of the articles and "hello" refused as if the
    articles lacked it (a review of questions as people type them)."""
    with pytest.raises(QuestionError, match="asks nothing of the articles; ask a question about them"):
        sample_bot.ask(said)
    assert not sample_bot.ask("hello, what did Putin say NATO ignored?").abstained  # chat around a question goes


def test_a_negated_auxiliary_is_no_word_the_articles_lack(sample_bot: Assistant) -> None:
    """ "who wasn't convicted …" was refused as "No article uses the words wasn or …": the
    apostrophe's tail dropped, "wasn" was read as a word of the question; "won't" as "won"."""
    assert question_terms("Who wasn't told? Why won't they sign? Why can’t they?") == ["sign"]
    assert question_terms("What did Don Smith say?") == ["don", "smith"]  # a name, no contraction
    answer = sample_bot.ask("What didn't Putin like about the US and NATO answers?")
    assert "didn" not in answer.text and "Didn" not in answer.text, answer.text


@pytest.mark.parametrize("question", ["who did he beat", "What did they decide?", "how old is she", "When did she win?"])
def test_a_first_question_that_names_no_one_for_its_pronoun_asks_who_is_meant(sample_bot: Assistant, question: str) -> None:
    """ "who did he beat", asked first, was answered from whichever article its one word matched
    best (a review of questions as people type them). Asked after a question that names someone,
    it is that question's follow-up; asked with a name or a subject of its own, it is answered."""
    answer = sample_bot.ask(question)
    assert answer.abstained and not answer.citations, answer.text
    assert answer.text.endswith("and no question came before it: who do you mean?"), answer.text


def test_a_pronoun_with_a_name_or_a_question_before_it_is_read_as_before(sample_bot: Assistant) -> None:
    first = "What did Putin tell Macron?"
    earlier = sample_bot.ask(first)
    follow_up = sample_bot.ask("What did he say NATO ignored?", history=[(first, earlier.text)])
    assert not follow_up.abstained and "ignored" in follow_up.text
    for question in ("what did he tell macron", "What did they say about the indivisibility of security?"):
        answer = sample_bot.ask(question)
        assert "who do you mean" not in answer.text, (question, answer.text)


def test_a_misspelt_name_the_nearest_sentences_lack_is_offered_the_passages_spelling(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """ "did macorn agree on a defence fund" and "what did melony say about the defence fund" were
    refused without "Did you mean": the checks of a yes-or-no question and of a speaker read the
    names as written and offered nothing (a review of questions as people type them)."""
    bot = bot_over(tmp_path, embedder, {
        "fund.txt": "Title: Leaders agree on defence fund\nOutlet: Gazette\nDate: 2025-11-20\n\n"
        "French President Emmanuel Macron and German Chancellor Olaf Scholz agreed in Berlin on Thursday "
        "to set up a 50 billion euro European defence fund.\n\n"
        "Italian Prime Minister Giorgia Meloni said Rome needed more time to study the defence fund plan.\n\n"
        "The fund would pay for air defence, ammunition and drones over five years.\n",
    })
    agreed = bot.ask("did macorn agree on a defence fund")
    assert agreed.abstained and agreed.text.endswith("Did you mean Macron?"), agreed.text
    said = bot.ask("what did melony say about the defence fund")
    assert said.abstained and said.text.endswith("Did you mean Meloni?"), said.text
    written = bot.ask("What did Meloni say about the defence fund?")  # as written: her words
    assert not written.abstained and "more time" in written.text, written.text
    # a name the passages write with an ending more is no typo of theirs ("Prairie": "Prairies")
    assert _a_form_of_one("prairie", {"prairies", "fund"}) and not _a_form_of_one("melony", {"meloni"})


@pytest.mark.parametrize(
    ("sentence", "name", "speaks"),
    [
        ("“We will not give up,” said French President Emmanuel Macron.", "Macron", True),
        ("Macron's office said the call lasted two hours.", "Macron", True),
        ("According to a Kremlin statement, Putin told Macron that Russia would study the answers.", "Kremlin", True),
        ("Putin stressed that the answers ignored Russia's concerns.", "Putin", True),
        ("Putin and Macron exchanged views on measures to combat the pandemic.", "Putin", True),  # what two sides said
        ("Oksana Melnyk met in Ankara on Wednesday to discuss shipping grain.", "Melnyk", False),
        ("“We do understand the risks,” Zelensky told a news conference.", "Zelensky", True),
        ("Putin told Macron that the United States and NATO ignored the issue.", "Macron", False),
        ("Putin confirmed in a call with his French counterpart Emmanuel Macron the absence of a response.", "Macron", False),
        ("Peskov said Putin told Macron that the talks would go on.", "Macron", False),
        ("It was also discussed in talks with U.S. President Joe Biden.", "Biden", False),
        # found by a review of quotes on 22 articles written for it (each was taken as speech)
        ("Its chief executive, Martin Hale, said the agency was tracing the batches.", "Martin Hale", True),
        ("Viktor Hale denied raising taxes.", "Martin Hale", False),  # another Hale
        ("Igor Volkov was not invited to the meeting.", "Volkov", False),
        ("Priya Natarajan attended the first hour of the negotiations.", "Natarajan", False),
        ("The president said Okafor was wrong.", "Okafor", False),
        ("“It will be on time,” said the regional transport secretary, Pieter Groen.", "Pieter Groen", True),
        ("“It will be on time,” said a spokesman for Pieter Groen.", "Groen", False),
        ("Auditor General Nina Berg, whose office wrote the report, will appear before parliament.", "Berg", False),
        # a name after a comma is no one spoken to ("with God, Luther wrote": a SQuAD answer)
        ("Against the teaching of his day, in cooperation with God, Luther wrote that Christians receive it.", "Luther", True),
        # acting, then saying (a review of real news pages: "What did Dominic Raab say about the
        # Twitter account?" was refused as "never quote Dominic Raab")
        ("Foreign Secretary Dominic Raab defended the party's actions, saying the account was clearly linked to it.",
         "Dominic Raab", True),
        ("Smith scored twice, adding a third in the final minute.", "Smith", False),
        # a name of a place in another's clause ("What did Nightjar promise …?", a development near
        # miss), not the body a speaker speaks for
        ("The union, which says it has about 40 members at Nightjar, called on management to talk.", "Nightjar", False),
        ("Tomas Beran, chief executive of Moravia Regional Rail, said passes would be refunded.", "Regional Rail", True),
    ],
)
def test_a_speaker_is_who_says_something_not_who_is_spoken_to(sentence: str, name: str, speaks: bool) -> None:
    assert names_as_speaker(name, sentence) is speaks


@pytest.mark.parametrize(
    ("question", "speakers"),
    [
        ("What did Macron say about Russia's demands?", ["Macron"]),
        ("What did German Chancellor Olaf Scholz say about the talks?", ["Olaf Scholz"]),
        ("What did the US and NATO tell Moscow about new members?", ["US", "NATO"]),
        ("What did Bolivia's foreign minister say?", []),  # an office alone: not checked
        ("What did Putin and the minister say?", []),
        ("What did the mayor of Villeurbanne say about the arrests?", []),
        ("Who did Macron call?", []),
        ("WHAT DID PUTIN SAY NATO IGNORED?", ["PUTIN"]),  # the answer reads it as the articles write it (recased)
    ],
)
def test_the_speaker_a_question_asks_to_hear(question: str, speakers: list[str]) -> None:
    assert asked_speakers(question) == speakers


def test_only_the_asked_speakers_words_on_what_was_asked_are_stated(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """A review of quotes on articles written for it found another speaker's words stated beside
    the asked one's, "he said" credited to the one spoken to, and a namesake's words."""
    talks = (
        "Trade Weekly\n\nJapan and Mexico hold tariff talks\n\nMarch 3, 2026\n\nKenji Sato told his Mexican "
        "counterpart Elena Ruiz that Japan would keep its tariffs on steel. He said both sides would meet again in May.\n"
    )
    climate = (
        "Global Environment Report\n\nCoastal nations push for loss and damage fund\n\nMarch 4, 2026\n\n"
        "Portuguese Environment Minister Ana Costa told delegates that the fund must be running by 2026. "
        '"Every year of delay is paid for in flooded homes," Costa said. According to Costa, only a third of the '
        "pledged money has been delivered so far. The delegation of the Maldives, led by Hassan Rasheed, called "
        "the pledges an insult. Rasheed said his country could lose half of its inhabited islands by the end of "
        "the century.\n"
    )
    recall = (
        "Health Daily\n\nBaby formula recalled\n\nMarch 5, 2026\n\nThe Food Standards Agency said parents should "
        "not feed the affected formula to babies. Its chief executive, Martin Hale, said the agency was working "
        "with the company to trace all affected batches.\n"
    )
    debate = (
        "City Post\n\nNovak and Hale clash in final debate\n\nMarch 6, 2026\n\nViktor Hale denied raising taxes "
        'and accused Novak of making up numbers. "My record is there for everyone to read," he said.\n'
    )
    bot = bot_over(tmp_path, embedder, {"talks.txt": talks, "climate.txt": climate, "recall.txt": recall, "debate.txt": debate})
    assert bot.ask("What did Elena Ruiz say?").abstained  # she is told, and "He said" is Sato's
    islands = bot.ask("What did Costa say about the Maldives losing islands?")
    assert islands.text == f"{NOT_IN_ARTICLES} The sentences nearest the question never quote Costa on it.", islands.text
    hale = bot.ask("What did Martin Hale say?")
    assert not hale.abstained and "trace all affected batches" in hale.text and "Viktor" not in hale.text, hale.text
    costa = bot.ask("What did Ana Costa say about the fund?")
    assert not costa.abstained and "Rasheed" not in costa.text, costa.text


def test_what_was_said_about_a_thing_of_the_storys_names_needs_the_thing(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"What did Ewan Stroud say about Northgate Athletic's ticket prices?" was answered at 0.72
    with what he said of a striker, in an article headlined with Northgate Athletic (a
    development-news near miss): what is asked about is the prices, not whose they are."""
    transfer = (
        "Northern Sports Wire\n\nNorthgate Athletic sign striker Quintela\n\nAugust 27, 2025\n\nLEEDS, Aug. 27 - "
        "Northgate Athletic have signed striker Rui Quintela from Maresia for 12 million pounds, the club said on "
        'Wednesday. Northgate Athletic manager Ewan Stroud described Quintela as "the final piece" of his attack and '
        'said the striker had been his priority target since May. "He presses, he runs in behind, and he finishes '
        'with both feet," Stroud told reporters in Leeds. Stroud said Quintela could start on Saturday against '
        "Wexley United if he comes through training.\n"
    )
    strike = (
        "Harbor Gazette\n\nDockworkers strike\n\nMarch 2, 2026\n\nAbout 1,400 dockworkers walked off the job at "
        "Kelso port on Friday, demanding a 9 percent pay rise. Ferry ticket prices rose as crossings were cancelled.\n"
    )
    concert = (
        "City Post\n\nConcert ticket prices climb\n\nMarch 4, 2026\n\nTicket prices for summer concerts rose by "
        "a fifth, promoters said. Fans said the prices were too high.\n"
    )
    bot = bot_over(tmp_path, embedder, {"transfer.txt": transfer, "strike.txt": strike, "concert.txt": concert})
    tickets = bot.ask("What did Ewan Stroud say about Northgate Athletic's ticket prices?")
    assert tickets.text == f"{NOT_IN_ARTICLES} The sentences nearest the question never quote Ewan Stroud on it.", tickets.text
    striker = bot.ask("What did Ewan Stroud say about Quintela?")  # a topic of names alone is its names
    assert not striker.abstained and "final piece" in striker.text, striker.text


def test_a_quotation_replies_to_what_the_article_says_just_before_it(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"What did Ryan Suter say about looking at the standings?" was refused ("never quote Ryan
    Suter on it"): the standings are named by the article just before his reply, not by it (a
    review of real news pages). Another speaker's words before a quotation are no topic of its."""
    game = (
        "Lakeside Sports\n\nWild beat Sabres as Parise scores twice\n\nNovember 20, 2019\n\n"
        "Zach Parise scored twice and the Minnesota Wild beat the Buffalo Sabres 4-2 on Tuesday night. "
        "The Wild still rank at the bottom of the Central Division. Coach Bruce Boudreau has been on his players "
        "to avoid looking at the standings.\n\n"
        "“It’s hard not to, though,” Ryan Suter acknowledged. “We know where we are, and tonight we took a good "
        "step forward.”\n\n"
        "Boudreau said the power play needed work. “We have to be sharper,” Mats Zuccarello said.\n"
    )
    bot = bot_over(tmp_path, embedder, {"game.txt": game})
    standings = bot.ask("What did Ryan Suter say about looking at the standings?")
    assert not standings.abstained and "hard not to" in standings.text, standings.text
    assert "avoid looking at the standings" in standings.text, standings.text  # what it replies to, cited
    power = bot.ask("What did Ryan Suter say about the power play?")
    assert power.abstained, power.text  # only Boudreau's words and Zuccarello's name it, after his


def test_a_quotation_of_several_sentences_is_its_speakers_in_each(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"“My well went dry in 2022. I had to drill another ninety feet,” Hadley said." is two
    sentences; the first, which names the well, names no speaker. A held-out check of quotes found
    five of nineteen questions on a quote's own topic refused so ("never quote Jim Hadley on it")."""
    mill = (
        "Valley Ledger\n\nPaper mill to close in Dunmore\n\nApril 2, 2025\n\n"
        "The Dunmore paper mill will close in June, its owner said on Tuesday.\n\n"
        "“The mill pays a third of our school budget. Without it we will have to cut teachers,” Mayor Ines "
        "Brandt said.\n\n"
        "Union steward Tom Keel said workers had heard rumours for months. He said: \"We asked about the boilers "
        "in January. Nobody answered us.\"\n"
    )
    bot = bot_over(tmp_path, embedder, {"mill.txt": mill})
    budget = bot.ask("What did Ines Brandt say about the school budget?")
    assert not budget.abstained and "a third of our school budget" in budget.text, budget.text
    boilers = bot.ask("What did Tom Keel say about the boilers?")
    assert not boilers.abstained and "asked about the boilers" in boilers.text, boilers.text
    assert bot.ask("What did Tom Keel say about the school budget?").abstained  # the mayor's quotation


def test_a_speakers_paraphrase_is_followed_by_their_quotation_after_it(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """Asked what Marcus Lind said of the festival weekend's revenue, the answer stated "owner Marcus
    Lind estimates the weekend brings in a tenth of his yearly revenue" and not "“It's our
    Christmas,” Lind said." after it (a held-out check of quotes: 4 of 18 answers so)."""
    flood = (
        "Valley Ledger\n\nVolunteers shelter flood evacuees in Marn\n\nMay 6, 2025\n\n"
        "About 90 residents of Lower Marn were evacuated on Sunday night. County emergency manager Petra Holm "
        "praised the volunteers who ran a shelter in the school gym.\n\n"
        "“They brought soup and dry clothes before anyone asked them,” she said. “That is this valley.”\n\n"
        "The river fell below its banks on Tuesday morning.\n"
    )
    bot = bot_over(tmp_path, embedder, {"flood.txt": flood})
    answer = bot.ask("What did Petra Holm say about the volunteers?")
    assert not answer.abstained and "praised the volunteers" in answer.text, answer.text
    assert "soup and dry clothes" in answer.text, answer.text


def test_the_speaker_asked_about_is_no_short_answer_to_what_they_said(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"What did the environment minister say about who would pay for the clean-up?" led with
    "Climate and Environment Minister Ingvild Rosseland [1]." (the development sets): a "who" in
    what was said asks for a person, and the speaker is not it."""
    spill = (
        "Coast Herald\n\nOil spill reaches Tromvik beaches\n\nJanuary 20, 2026\n\n"
        "Oil from the grounded cargo ship Nordkap reached three beaches near Tromvik on Monday. "
        "Climate and Environment Minister Ingvild Rosseland visited Tromvik and said the state would seek to "
        "make the shipowner and its insurers pay the full cost of the clean-up.\n"
    )
    bot = bot_over(tmp_path, embedder, {"spill.txt": spill})
    answer = bot.ask("What did the environment minister say about who would pay for the clean-up?")
    assert not answer.abstained and "shipowner" in answer.text, answer.text
    assert answer.short_answer is None, answer.short_answer


def test_who_said_a_quotation_alone_is_answered_with_the_sentence_that_names_them(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"Who said the victory is a gift?" was answered with the quotation alone, which names no
    one (a review of quotes): the sentence before it, which names the speaker, is stated first."""
    race = (
        "Sports Desk\n\nBekele wins the city marathon\n\nApril 7, 2026\n\nAbebe Bekele won the city marathon on "
        'Sunday in 2 hours 6 minutes. Bekele said he had not expected to win. "The victory is a gift."\n'
    )
    fire = (
        "Valley News\n\nWildfire forces evacuations\n\nApril 8, 2026\n\nFire Chief Rosa Delgado told reporters the "
        'fire was 10 percent contained. "We lost everything," said Paul Hughes, a resident whose house burned '
        'down on Saturday night. "We had ten minutes to get out."\n'
    )
    bot = bot_over(tmp_path, embedder, {"race.txt": race, "fire.txt": fire})
    gift = bot.ask("Who said the victory is a gift?")
    assert not gift.abstained and gift.text.startswith("Bekele said he had not expected to win."), gift.text
    minutes = bot.ask("Who said they had ten minutes to get out?")
    assert not minutes.abstained and "Paul Hughes" in minutes.statements[0].text, minutes.text
    assert_citations_are_exact(minutes)


def test_what_someone_said_needs_a_sentence_they_say(sample_bot: Assistant) -> None:
    """"What did Macron say about Russia's demands?" was answered with Putin's words to Macron
    (the sample articles report only what Putin told him); what Putin or Zelensky said is still
    answered, and so is the speaker of "he said" after a sentence that names him."""
    refused = sample_bot.ask("What did Macron say about Russia's demands?")
    assert refused.abstained and refused.text == f"{NOT_IN_ARTICLES} The sentences nearest the question never quote Macron.", refused.text
    putin = sample_bot.ask("What did Putin say about the supply of weapons to Ukraine in his Tuesday call with Macron?")
    assert not putin.abstained and "supply of weapons to Ukraine represents a threat" in putin.text
    zelensky = sample_bot.ask("What did Zelensky say about panic at his news conference?")
    assert not zelensky.abstained and "Zelensky" in zelensky.text


def test_the_sentence_that_answers_leads_not_the_articles_first(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """Without a short answer, the sentence the reader ranks first leads, and the article's
    opening sentence (stated for its words) follows: a review's answers quoted the opening
    sentence as [1] and the answer as [2] behind it (2026-12-06)."""
    bot = bot_over(tmp_path, embedder, {"fire.txt": (
        "Title: Three dead as fire tears through Kelso Bay cannery\nSource: Kelso Bay Herald\nDate: 2025-10-12\n\n"
        "Three workers were killed and 17 others injured when a fire swept through the Halvard cannery in Kelso Bay "
        "early on Saturday, the town's fire department said.\n\n"
        "The blaze broke out in the smoking room on the ground floor and spread to the roof within minutes, "
        "according to Fire Chief Miriam Ostrow. More than 90 firefighters from five stations fought the flames "
        "for nearly seven hours before the fire was declared under control.\n\n"
        "Of the 17 injured, four were in critical condition at Kelso Bay General Hospital on Saturday evening.\n\n"
        "The cannery, which opened in 1961, employs about 280 people. Halvard Foods said it was cooperating fully "
        "with investigators.\n"
    )})
    answer = bot.ask("How many firefighters fought the Kelso Bay cannery blaze?")
    assert not answer.abstained and "90 firefighters" in answer.text, answer.text
    lead = answer.text.split("[1]")[0]
    assert "90 firefighters" in lead and "Three workers were killed" not in lead, answer.text
    assert_citations_are_exact(answer)


# Another story in the folder, so that a story's words are not every article's.
DOCKWORKERS = (
    "Harbor Gazette\n\nDockworkers strike\n\nMarch 2, 2026\n\nAbout 1,400 dockworkers walked off the job at "
    "Northgate port on Friday, demanding a 9 percent pay rise.\n"
)


@pytest.mark.parametrize(
    ("question", "office"),
    [
        ("What did Norway's prime minister say about the cut?", "prime minister"),
        ("What did the Latvian prime minister say about the centre?", "prime minister"),
        ("What did the finance minister say about taxes?", "finance minister"),
        ("What did the pilots' union chairman say about the deal?", "chairman"),  # whose: written otherwise
        ("What did the mayor of Lyon say?", "mayor"),
        ("What did the king say when she resigned?", "king"),
        ("What did President Macron say?", None),  # a name: `asked_speakers`
        ("What did Russian officials say?", None),
    ],
)
def test_the_office_a_question_asks_to_hear(question: str, office: str | None) -> None:
    assert asked_office(question) == office


def test_what_an_office_said_needs_a_sentence_its_holder_says(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"What did Norway's prime minister say about Norges Bank's cut?" was answered with the
    finance minister's words (a constructed-news near miss; a review of near misses found 4 of 4
    such questions answered so)."""
    cut = (
        "Oslo Business Wire\n\nNorges Bank cuts key rate\n\nMarch 19, 2026\n\nNorges Bank on Thursday cut its key "
        "rate to 3.75 percent from 4.00 percent. Finance Minister Anders Lyngstad told reporters the cut would "
        "ease pressure on households with floating-rate mortgages. The cut came a day after Norway's Prime "
        "Minister Jonas Berg met the bank's governor.\n"
    )
    bot = bot_over(tmp_path, embedder, {"cut.txt": cut, "strike.txt": DOCKWORKERS})
    prime = bot.ask("What did Norway's prime minister say about the rate cut?")
    assert prime.abstained and "never quote the prime minister" in prime.text, prime.text
    finance = bot.ask("What did the finance minister say about the rate cut?")
    assert not finance.abstained and "ease pressure on households" in finance.text, finance.text


def test_what_the_king_said_needs_a_sentence_the_king_says(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"What did the king say when van Doorn handed in her cabinet's resignation?" was answered at
    0.86 with the sentences that tell of the resignation handed to the king (a development-news
    near miss): the king is an office, whose words are the king's or his by name."""
    collapse = (
        "Low Countries Wire\n\nDutch cabinet collapses\n\nMarch 10, 2026\n\nThe Dutch government of Prime Minister "
        "Annelies van Doorn collapsed on Tuesday after a coalition partner pulled its ministers out. Van Doorn was "
        "driven to the royal palace in The Hague to offer the resignation of her cabinet to the king.\n"
    )
    bot = bot_over(tmp_path, embedder, {"collapse.txt": collapse, "strike.txt": DOCKWORKERS})
    question = "What did the king say when van Doorn handed in her cabinet's resignation?"
    refused = bot.ask(question)
    assert refused.abstained and "never quote the king" in refused.text, refused.text
    said = collapse.replace(
        "to the king.", "to the king. King Willem-Alexander said he accepted the cabinet's resignation and would ask it to stay on "
        "as a caretaker government."
    )
    (tmp_path / "articles" / "collapse.txt").write_text(said, encoding="utf-8")
    bot.ingest([tmp_path / "articles"])
    answered = bot.ask(question)
    assert not answered.abstained and "caretaker government" in answered.text, answered.text


def test_the_holders_of_an_office_are_the_names_the_articles_give_it() -> None:
    texts = [
        "Chilean Foreign Minister Ignacio Valdivieso and his Bolivian counterpart, Rosa Quispe Mamani, signed it.",
        "Environment Minister Annelise Gerber flew over the valley.",
    ]
    holders = office_holders("foreign minister", texts)
    assert "Valdivieso" in holders and "Quispe" in holders and "Mamani" in holders  # "Quispe said": either surname
    assert office_holders("foreign minister", ["Rosa Quispe, Bolivia's foreign minister, said it stands."]) == ["Quispe"]
    assert office_holders("environment minister", texts) == ["Gerber"]


def test_a_count_of_none_leads_where_the_articles_say_none(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"How many people were killed when the coach overturned?" of "A coach carrying 38 tourists
    overturned ... No one was killed" led with "38"; "How many were arrested at the march?" with
    the 8,000 who marched (a review of questions with a false premise)."""
    bot = bot_over(tmp_path, embedder, {
        "coach.txt": "Title: Coach overturns near Brill\nOutlet: Gazette\nDate: 2025-08-11\n\n"
        "A coach carrying 38 tourists overturned on the A9 motorway near Brill on Sunday morning. No one was "
        "killed, but 12 passengers were treated in hospital for minor injuries, police said.\n\n"
        "The motorway was closed for five hours while the coach was removed.\n",
        "march.txt": "Title: Pension march in Oslavik\nOutlet: Gazette\nDate: 2025-06-16\n\n"
        "About 8,000 people marched through central Oslavik on Saturday to protest against the new pension law. "
        "Police made no arrests, and the march ended peacefully outside parliament.\n",
        "ferry.txt": "Title: Ferries collide off Kirrin\nOutlet: Gazette\nDate: 2025-09-08\n\n"
        "Two passenger ferries collided in thick fog outside Kirrin harbour on Saturday evening. There were no "
        "casualties, the coastguard said.\n",
    })
    killed = bot.ask("How many people were killed when the coach overturned near Brill?")
    assert killed.text.startswith("No one was killed") and killed.short_answer is None, killed.text
    arrested = bot.ask("How many people were arrested at the pension march in Oslavik?")
    assert arrested.text.startswith("Police made no arrests"), arrested.text
    died = bot.ask("How many people died in the ferry collision outside Kirrin harbour?")
    assert died.text.startswith("There were no casualties"), died.text
    hurt = bot.ask("How many passengers were treated in hospital after the coach overturned?")
    assert not hurt.abstained and "12 passengers were treated" in hurt.text, hurt.text  # a count of some


@pytest.mark.parametrize(
    ("question", "article", "unnamed"),
    [
        ("How many jobs will the Dunmore industrial park expansion create?", "About 60 firefighters fought the blaze.", ["jobs"]),
        ("How many jobs will the plant create?", "The plant will create 400 jobs.", []),
        ("How many people were killed in the quake?", "The quake killed 42.", []),  # people go unnamed
        ("How many casualties were there?", "Nine people were killed.", []),  # the dead are casualties
        ("How many years did he serve?", "He served for a decade.", []),  # a unit, not a thing
        ("How many were arrested?", "Police made 12 arrests.", []),  # no noun counted
        ("How many oil-covered birds had volunteers gathered?", "Volunteers collected about 340 oiled birds.", []),
        ("How many small landlords borrowed money?", "Some 41,000 apartments are affected.", ["landlords"]),
        ("How many types of teachers are there?", "There are many forms of teachers.", []),  # what it counts by
    ],
)
def test_a_count_of_a_thing_no_cited_article_names_is_refused(question: str, article: str, unnamed: list[str]) -> None:
    """Asked how many jobs an industrial park's expansion would create, of an article on a fire
    there, the answer stated how many firefighters fought it (a review of news formats)."""
    assert uncounted(counted_thing(question), [ArticleWords(article)]) == unnamed


def test_people_and_leaders_are_found_by_the_words_news_names_them_with(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"How many people were evacuated?" of "800 residents were evacuated" was refused, "No
    article uses the word people"; "Who leads the pilots' union?" of "Union chairman Per Holm
    said", "No article uses the word leads"."""
    bot = bot_over(tmp_path, embedder, {
        "storm.txt": "Title: Storm Jonas floods Stavanger\nOutlet: Nordic Wire\nDate: 2026-03-16\n\n"
        "Storm Jonas flooded the centre of Stavanger on Monday, and 800 residents were evacuated.\n",
        "union.txt": "Title: Strike threat at AeroNord\nOutlet: Oslo Daily\nDate: 2026-10-05\n\n"
        "Pilots at AeroNord threatened to strike next month over job cuts, their union said on Sunday.\n\n"
        "Union chairman Per Holm said members would vote on a strike on October 20.\n",
    })
    evacuated = bot.ask("How many people were evacuated in Stavanger?")
    assert not evacuated.abstained and "800 residents" in evacuated.text, evacuated.text
    leads = bot.ask("Who leads the pilots' union at AeroNord?")
    assert not leads.abstained and "Per Holm" in leads.text, leads.text


def test_why_is_answered_with_the_sentence_after_the_event(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """News tells an event, then why: asked "Why did Brill Brewing recall its lager?", the answer
    stated the recall alone (a review of why questions)."""
    bot = bot_over(tmp_path, embedder, {
        "recall.txt": "Title: Brill Brewing recalls lager\nOutlet: Gazette\nDate: 2025-08-21\n\n"
        "Brill Brewing recalled 40,000 bottles of its Golden Lager on Wednesday. Tests had found small fragments "
        "of glass in one batch, the company said.\n\nBrill Brewing shares sank 6 percent after the announcement.\n",
        "bank.txt": "Title: Central bank holds rates\nOutlet: Gazette\nDate: 2025-08-20\n\n"
        "The Central Bank of Norland kept its main policy rate unchanged at 4.25 percent on Tuesday.\n",
    })
    why = bot.ask("Why did Brill Brewing recall its lager?")
    assert not why.abstained and "fragments of glass" in why.text, why.text
    what = bot.ask("How many bottles did Brill Brewing recall?")
    assert "fragments of glass" not in what.text, what.text  # only why asks for the sentence after


def test_a_month_asked_leads_with_a_sentence_of_that_month(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"Did the central bank raise rates in March?" led with April's rise, and March's hold came
    third: the question's month was checked against every article the answer cites, not the one
    it leads with (a review of why and yes-or-no questions)."""
    bot = bot_over(tmp_path, embedder, {
        "march.txt": "Title: Norland central bank holds rates steady\nOutlet: Nordic Ledger\nDate: 2024-03-21\n\n"
        "OSLAVIK, March 21 - The Central Bank of Norland kept its main policy rate unchanged at 4.25 percent on "
        "Thursday, resisting pressure from exporters to cut borrowing costs.\n\n"
        "The bank said it would next review rates on April 25.\n",
        "april.txt": "Title: Norland raises interest rate to 4.5 percent\nOutlet: Baltic Business Wire\nDate: 2024-04-25\n\n"
        "OSLAVIK, April 25 - The Central Bank of Norland raised its policy rate by a quarter of a percentage point "
        "to 4.5 percent on Thursday, its first increase in nine months.\n\n"
        "The bank said the rise was needed because inflation accelerated to 4.1 percent in March.\n",
    })
    march = bot.ask("Did the central bank raise rates in March?")
    assert march.text.startswith("OSLAVIK, March 21"), march.text
    april = bot.ask("Did the central bank raise rates in April?")
    assert april.text.startswith("OSLAVIK, April 25"), april.text


def test_a_yes_or_no_question_of_how_things_stand_leads_with_the_newest_report(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"Has the Harlow bridge reopened?" led with March's report that the reopening was
    postponed; May's, that the bridge opened, came after it, or not at all (a review of yes-or-no
    questions)."""
    bot = bot_over(tmp_path, embedder, {
        "bridge_old.txt": "Title: Harlow bridge reopening delayed\nOutlet: Harlow Times\nDate: 2024-03-02\n\n"
        "HARLOW, March 2 - Plans to reopen the Harlow bridge to traffic in March were postponed after inspectors "
        "found new cracks in its supports, the county said on Saturday.\n\n"
        "The bridge was closed in November after a barge struck one of its pillars.\n",
        "bridge_new.txt": "Title: Traffic flows again over Harlow crossing\nOutlet: County Express\nDate: 2024-05-18\n\n"
        "HARLOW, May 18 - Cars and buses crossed the river at Harlow again on Friday as the repaired bridge was "
        "opened to traffic, six months after a barge struck it.\n\nThe repairs cost 4.2 million pounds, the county said.\n",
        "mine_old.txt": "Title: Veldt copper mine remains closed after flood\nOutlet: Mining Weekly Review\nDate: 2024-02-20\n\n"
        "VELDT, Feb 20 - The Veldt copper mine has been closed since a flood in January, and talks on reopening "
        "it have stalled, owner Carrow Mining said.\n\nCarrow Mining shares fell 12 percent after the flood. About "
        "900 miners are on reduced pay.\n",
        "mine_new.txt": "Title: Carrow restarts Veldt operations\nOutlet: Continental Press\nDate: 2024-06-11\n\n"
        "VELDT, June 11 - Carrow Mining restarted production at the Veldt copper mine on Monday, five months "
        "after it flooded. The first shift of 300 miners went underground at dawn.\n\n"
        "The company said output would reach full capacity by August.\n",
    })
    reopened = bot.ask("Has the Harlow bridge reopened?")
    assert reopened.text.startswith("HARLOW, May 18"), reopened.text
    closed = bot.ask("Is the Veldt copper mine still closed?")
    assert closed.text.startswith("VELDT, June 11"), closed.text
    why = bot.ask("Why was the Harlow bridge closed in November?")  # not how things stand now
    assert "barge struck one of its pillars" in why.text.split("[1]")[0], why.text


def test_a_number_joined_to_a_word_is_no_count_of_another_thing(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"How many people died in the warehouse fire?" was answered "three" of "A three-alarm fire",
    and "No one was hurt" did not count as none dead (a held-out check, 2026-12-07)."""
    bot = bot_over(tmp_path, embedder, {
        "fire.txt": "Title: Fire destroys Dunmore warehouse\nOutlet: Gazette\nDate: 2025-07-02\n\n"
        "A three-alarm fire destroyed a vacant furniture warehouse in Dunmore early on Tuesday. No one was hurt, "
        "the fire department said.\n\nMore than 60 firefighters from four departments fought the blaze.\n",
        "quake.txt": "Title: Quake in Valdoria\nOutlet: Gazette\nDate: 2025-07-01\n\n"
        "Nine people died when an earthquake struck Valdoria on Monday.\n",
        "board.txt": "Title: Port board named\nOutlet: Gazette\nDate: 2025-07-03\n\n"
        "The city named a 12-member board to run the port of Dunmore on Wednesday.\n",
    })
    died = bot.ask("How many people died in the Dunmore warehouse fire?")
    assert died.short_answer != "three" and "No one was hurt" in died.text.split("[1]")[0], died.text
    members = bot.ask("How many members does the Dunmore port board have?")
    assert members.short_answer == "12", members.text


def test_a_word_of_the_headline_is_a_word_the_article_uses(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"Who was jailed for fraud?" of an article headlined "Former harbour official jailed for
    fraud", whose story says "sentenced ... for embezzlement", was refused as "No article uses
    the words jailed or fraud" (a held-out check of questions comparing outlets)."""
    bot = bot_over(tmp_path, embedder, {
        "aalto.txt": "Title: Former harbour official jailed for fraud\nOutlet: Riverside Tribune\nDate: 2025-05-14\n\n"
        "A former finance director of the Northport Harbour Authority, Viktor Aalto, was sentenced to five years in "
        "prison on Tuesday for embezzlement. The prosecutor said Aalto had moved 3.2 million crowns from harbour "
        "accounts into a private company over six years.\n",
        "ferry.txt": "Title: Ferry fares rise\nOutlet: Riverside Tribune\nDate: 2025-05-10\n\n"
        "Ferry fares across the fjord will rise by 8 percent in June, the ferry company said.\n",
    })
    answer = bot.ask("Which harbour official was jailed for fraud?")
    assert "No article uses" not in answer.text, answer.text
    assert not answer.abstained and "Viktor Aalto" in answer.text, answer.text


def test_the_word_that_asks_why_is_no_word_the_articles_must_use(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"What was the cause of the Millbrook Bridge fire?" of articles that never write "cause" was
    refused as "No article uses the word cause" (a review of questions comparing outlets): as
    "how large" asks for a size, the word asks for why, which a report tells without it."""
    bot = bot_over(tmp_path, embedder, {
        "fire.txt": "Title: Fire shuts Millbrook Bridge\nOutlet: Harbor Gazette\nDate: 2025-02-03\n\n"
        "A fire broke out under the Millbrook Bridge early on Monday. Fire chief Dana Orlov said the fire started "
        "in an electrical junction box that powers the bridge lights.\n",
        "closed.txt": "Title: Millbrook Bridge stays shut after fire\nOutlet: Lisvale Voice\nDate: 2025-02-04\n\n"
        "The Millbrook Bridge will stay closed for six weeks after Monday's fire, the city said.\n",
    })
    answer = bot.ask("What was the cause of the Millbrook Bridge fire?")
    assert not answer.abstained and "electrical junction box" in answer.text, answer.text


DESALINATION = (
    "Coastal Water Review\n\nPort to get a desalination unit\n\nOctober 24, 2025\n\n"
    "VALENCIA, Oct. 24 - Households in 31 towns of Alicante province will be limited to 160 litres of water per person "
    "per day from Nov. 3, under emergency drought measures approved on Tuesday by the regional government.\n\n"
    "The regional government has also agreed to pay for a temporary desalination unit to be installed at the port of "
    "Denia by February. The mobile plant, which will cost 9.5 million euros, is expected to produce about 15,000 cubic "
    "metres of drinking water a day, enough for around 90,000 people.\n\n"
    "Growers near the port of Xabia say many farms already use drip irrigation and treated wastewater, and that further cuts "
    "would cost jobs.\n"
)


def test_the_sum_asked_for_in_the_sentence_after_the_one_that_names_the_thing(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"What will the temporary desalination unit at the port of Malaga cost?" was refused as giving
    no sum: the sentences that name the unit give none, and the one after, "The mobile plant,
    which will cost 9.5 million euros, …", was read but not stated (development news)."""
    bot = bot_over(tmp_path, embedder, {"water.txt": DESALINATION})
    answer = bot.ask("What will the temporary desalination unit at the port of Denia cost?")
    assert not answer.abstained, answer.text
    assert "9.5 million euros" in answer.text, answer.text
    assert any("9.5 million euros" in c.quote for c in answer.citations), answer.citations
    # not the sum of another plant: the two sentences name no plant near Xabia
    near = bot.ask("What will the temporary desalination unit at the port of Xabia cost?")
    assert near.abstained, near.text
