"""A name the question asks about that no article the answer would cite mentions: a near miss
("the review meeting in Hanoi", of articles about the signing in Vientiane), refused and named;
a name the article writes otherwise (Vietnam, EU, U.S., SkyDrive, Centre) is found."""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answer.as_typed import as_asked, spelt_as_indexed, without_chat
from assistant.answer.draft import NOT_IN_ARTICLES
from assistant.answer.features import QuestionView, unknown_terms
from assistant.answer.named import (
    ArticleWords,
    asked_names,
    asked_numbers,
    asked_roles,
    recased,
    unmentioned,
    unmentioned_numbers,
    unmentioned_roles,
)
from assistant.answer.near_misses import (
    UNMENTIONED_CONFIDENCE,
    UNMENTIONED_NUMBER_CONFIDENCE,
    UNSTATED_CONFIDENCE,
)
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.lexical import TextVocabulary
from tests.conftest import CORPUS, bot_over, open_assistant

ACCORD = """Title: Four nations sign Mekong water accord
Source: Delta Wire
Date: 2025-05-13

VIENTIANE, May 13 - Laos, Cambodia, Thailand and Vietnam signed an accord on Tuesday that sets a legally binding minimum flow for the Mekong River during the dry season.

The accord guarantees a minimum dry-season flow of 1,500 cubic meters per second at Kratie, the negotiators said after 19 months of talks.

Laos agreed to release water from its reservoirs whenever the flow at Kratie falls below that level.
"""

METRO = """Title: Hanoi opens its second metro line
Source: City Desk
Date: 2025-05-20

The city of Hanoi opened its second metro line on Tuesday, eight years later than planned.

The line runs for 12 kilometres from the railway station to the western suburbs.
"""


@pytest.fixture()
def accord_bot(tmp_path: Path, embedder: MiniLMEmbedder) -> Assistant:
    """The sample corpus, the accord, and an article that names Hanoi."""
    folder = tmp_path / "articles"
    shutil.copytree(CORPUS, folder)
    (folder / "accord.txt").write_text(ACCORD, encoding="utf-8")
    (folder / "metro.txt").write_text(METRO, encoding="utf-8")
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([folder])
    return bot


def test_a_question_about_what_no_cited_article_names_is_refused_saying_so(accord_bot: Assistant) -> None:
    asked = accord_bot.ask("What will Laos release when the flow at Kratie falls?")
    assert not asked.abstained and "release water from its reservoirs" in asked.text
    # The same story, another fact: the accord's article never mentions Hanoi (another one does).
    drifted = accord_bot.ask("What will Laos release when the flow at Kratie falls, as agreed in Hanoi?")
    assert drifted.abstained and not drifted.citations
    assert drifted.text == f"{NOT_IN_ARTICLES} The articles nearest the question never mention Hanoi."
    assert drifted.confidence is not None


def _missing(question: str, text: str, *also: str) -> list[str]:
    return unmentioned(asked_names(question), [ArticleWords(text)])


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("Which Vietnamese official signed?", "Vietnam's deputy minister signed it."),  # a people's adjective
        ("Who signed for Vietnam's government?", "The Vietnamese deputy minister signed it."),
        ("What did the EU decide?", "The European Union decided to wait."),
        ("What did the European Union decide?", "The EU decided to wait."),
        ("What does Kestrel's CFO expect?", "Kestrel's chief financial officer expects a margin of 40%."),
        ("What is the usual speed in the United States?", "In the U.S. it is 3,600 rpm."),
        ("What is the usual speed in the United States?", "Typical speeds are 3600 RPM in the USA."),
        ("What did Microsoft rename Sky Drive Pro to?", "Microsoft renamed SkyDrive Pro to OneDrive."),
        ("When did the Sackler Center open?", "The Sackler Centre opened in 2008."),
        ("What did Meridia's pilots want?", "The pilots of Meridia wanted higher pay."),
        ("What happened on Tuesday in May?", "Nothing happened that day."),  # days and months: elsewhere
        # a country by its people's word, where neither begins the other
        ("Did France agree to the plan?", "The French side agreed to the plan."),
        ("What did the Netherlands propose?", "Dutch officials proposed a delay."),
        ("Why did Poland object?", "Polish farmers objected to the imports."),
        # a title before a name is how the asker addresses the person
        ("Did Prince Andrew fly helicopters in the war?", "Andrew said he flew Royal Navy helicopters then."),
        ("What did President Marlow say about the budget?", "Marlow said the budget would not grow."),
        # an acronym whose letters spell a common word is a name all the same, found as one
        ("What did the US say about the talks?", "The United States said the talks would go on."),
        ("When did WHO declare a pandemic?", "The World Health Organization declared a pandemic."),
        # a body named "<word> of <name>", whole, the other way round or by its initials
        ("What did the Bank of Canada say about rates?", "The Bank of  Canada held its key rate."),
        ("What did the Ministry of Defence announce?", "The Defence Ministry announced new frigates."),
        ("What did the Ministry of Defence announce?", "The MoD announced new frigates."),
        ("Where will the Chamber of Deputies' committee meet?", "The Chamber of Deputies' committee meets in Valparaiso."),
    ],
)
def test_a_name_the_article_writes_otherwise_is_found(question: str, text: str) -> None:
    assert _missing(question, text, question) == []


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        ("Why did Poland object?", "Farmers objected to the polish on the floor.", ["Poland"]),  # a word, not a people
        ("What did Austria decide?", "The Australian government decided to wait.", ["Austria"]),
        ("What did France decide?", "Germany decided to wait.", ["France"]),
    ],
)
def test_a_country_is_not_mentioned_by_another_word(question: str, text: str, missing: list[str]) -> None:
    assert _missing(question, text) == missing


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        # "Bank" and "Canada" are both written, of other things: the body is not
        (
            "What did the Bank of Canada say about Northgate's takeover of Halvern?",
            "Northgate Bancorp, Canada's seventh-largest lender, agreed to buy Halvern Savings Bank.",
            ["Bank of Canada"],
        ),
        ("How did Luther describe the University of Erfurt?", "Luther studied at the university in Erfurt.", ["University of Erfurt"]),
        # only the body is said missing, not its words apart
        ("Did the Port of Saint John review its contracts?", "The dredging firm was fined.", ["Port of Saint John"]),
        # an acronym that is also a word ("cites") is a name
        ("What did the CITES secretariat say about the seizure?", "Pangolins are protected from commercial international trade.", ["CITES"]),
    ],
)
def test_a_body_or_acronym_is_not_mentioned_by_words_of_other_things(question: str, text: str, missing: list[str]) -> None:
    assert _missing(question, text) == missing


TAKEOVER = """Canadian Market Wire

Northgate to buy Halvern Savings Bank

November 4, 2024

TORONTO, Nov. 4 - Northgate Bancorp, Canada's seventh-largest lender by assets, said on Monday it had agreed to buy Winnipeg-based Halvern Savings Bank for 4.8 billion Canadian dollars. The takeover needs the approval of Halvern shareholders, the Competition Bureau and the federal finance minister.
"""


def test_a_question_about_a_body_no_article_names_whole_is_refused(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"What did the Bank of Canada say about Northgate's takeover of Halvern?" was answered at
    0.87 from articles that write "Halvern Savings Bank" and "Canada's" but never the Bank of
    Canada (a development-news near miss)."""
    bot = bot_over(tmp_path, embedder, {"takeover.txt": TAKEOVER})
    question = "What did the Bank of Canada say about Northgate's takeover of Halvern?"
    refused = bot.ask(question)
    assert refused.abstained and refused.text.startswith(
        f"{NOT_IN_ARTICLES} The articles nearest the question never mention Bank of Canada."
    ), refused.text
    said = TAKEOVER.replace(
        "federal finance minister.",
        "federal finance minister. The Bank of Canada said Northgate's takeover of Halvern posed no risk to the "
        "stability of the financial system.",
    )
    (tmp_path / "articles" / "takeover.txt").write_text(said, encoding="utf-8")
    bot.ingest([tmp_path / "articles"])
    answered = bot.ask(question)
    assert not answered.abstained and "posed no risk" in answered.text, answered.text


def test_an_office_the_question_names_a_person_by_is_looked_for_in_its_words() -> None:
    """"What did Chile's president say about the dam breach?" of articles on the breach that
    quote no president is a near miss (13 on the development news, none of its right answers)."""
    assert asked_roles("What did Chile's president say about the Cordillera Azul dam breach?") == ["president"]
    assert asked_roles("What did Orbweave's chief executive say?") == ["chief executive"]
    assert asked_roles("Who was president of the jury in Split?") == []  # a body's head: "a jury led by"
    assert asked_roles("What did the President of the United States say?") == ["President"]  # a country's
    # office words that name things (found by a review)
    for thing in ("How many coach passengers were hurt?", "What does the executive order ban?", "Who runs the premier film festival?"):
        assert asked_roles(thing) == [], thing
    breach = [ArticleWords("A dam gave way on Saturday, the mine's owner said. The government executed its plan.")]
    assert unmentioned_roles(["president", "spokesman", "governor", "chief executive"], breach) == [
        "president", "spokesman", "governor", "chief executive",  # not "government", "executed"
    ]
    quoted = [ArticleWords("Chief executive Ana Lind said jobs were safe; a company spokeswoman declined to comment.")]
    assert unmentioned_roles(["chief executive", "spokesman"], quoted) == []
    assert unmentioned_roles(["CEO"], quoted) == []  # another word for the same office
    # as news writes offices otherwise (found by a review)
    for role, text in [
        ("minister", "Marland's PM, Alan Brooke, said so."), ("premier", "Norland's head of government said so."),
        ("senator", "Sen. Ruth Calloway said so."), ("governor", "Gov. Tina Marsh said so."),
        ("prosecutor", "District Attorney Maria Lopez said so."), ("spokesman", "Ministry spokesmen said so."),
        ("spokeswoman", "Press secretary Dana Whitcombe said so."), ("mayor", "City Hall said so."),
    ]:
        assert unmentioned_roles([role], [ArticleWords(text)]) == [], role
    # "CEO" is an office, not a name that needs "chief executive officer" spelt out
    assert [n.word for n in asked_names("Why does Meridia's CEO reject the demand?")] == ["Meridia"]


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        # a thing named after a people, a language, a first name: no mention (found by a review)
        ("Did France sell food at the festival?", "Stalls sold French fries and Swiss cheese.", ["France"]),
        ("Did England publish the report?", "The report was published in English.", ["England"]),
        ("Did Finland send troops?", "Huckleberry Finn sent nothing.", ["Finland"]),
        # a country's other names' people (found by a review)
        ("What did the UK foreign secretary say?", "The British foreign secretary said nothing.", []),
        ("How many soldiers will the United States send?", "American officials said 3,000.", []),
        ("How many soldiers will the US send?", "American officials said 3,000.", []),
        ("Did the Czech Republic agree?", "Czech officials agreed.", []),
    ],
)
def test_a_country_by_its_peoples_word_only_as_a_people(question: str, text: str, missing: list[str]) -> None:
    assert _missing(question, text) == missing


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Who initiated the Feb 12 call between Putin and Macron?", ["Putin", "Macron"]),
        ("What happened on 26 Jan?", []),
        ("What did Russia submit on Dec. 17?", ["Russia"]),
        ("Did NATO and the EU meet in Feb?", ["NATO", "EU"]),
        ("Did Jan Smith win?", ["Jan", "Smith"]),  # no day beside it: a name
        ("WHAT DID PUTIN SAY NATO IGNORED?", []),  # all in capitals: no word tells a name
        ("Did NATO and the EU meet?", ["NATO", "EU"]),
    ],
)
def test_a_month_written_short_is_a_date_and_a_shouted_question_names_nothing(question: str, names: list[str]) -> None:
    assert [n.word for n in asked_names(question)] == names


def test_a_question_as_typed_is_read_as_if_written_out() -> None:
    """Chat words around it go; a typo of a common word the index holds is written as it, in
    the question everything reads; a name, a word of English the index lacks, a short word, and
    any word of a question without capitals of its own stay as typed."""
    vocabulary = TextVocabulary(["NATO ignored the university's offer, the Kremlin said.", "Zelensky spoke."])
    assert without_chat("hey, Roughly how many were there? thanks!") == "Roughly how many were there?"
    assert without_chat("Hi! pls what did NATO say? thx") == "what did NATO say?"
    assert without_chat("thanks") == "thanks"  # nothing else: as it is
    # a clause that speaks only of the asking goes; one that says something stays
    assert without_chat("Sorry if this is a dumb question but who won?") == "who won?"
    assert without_chat("Apologies for the basic question, when is the vote?") == "when is the vote?"
    assert without_chat("What did he say, who was there?") == "What did he say, who was there?"
    assert without_chat("My uncle works at Vantor, how many jobs go?") == "My uncle works at Vantor, how many jobs go?"
    # a request put as an order is asked as the question it is
    assert without_chat("Give me the number of jobs Vantor is cutting") == "how many jobs Vantor is cutting"
    assert without_chat("Please provide the date of the Nordland election") == "when the Nordland election"
    assert without_chat("Can you give me the figure for Vantor's net loss?") == "what is Vantor's net loss?"
    assert without_chat("List the countries that signed") == "what are the countries that signed"
    assert without_chat("Give me the name of the Bank governor") == "what is the name of the Bank governor"
    assert without_chat("Give me a break") == "Give me a break"
    assert spelt_as_indexed("What did Putin say NATO ingored?", vocabulary) == "What did Putin say NATO ignored?"
    assert spelt_as_indexed("What did NATO say of the univresity?", vocabulary) == "What did NATO say of the university?"
    assert spelt_as_indexed("What did Zelenska say to NATO?", vocabulary) == "What did Zelenska say to NATO?"  # a name
    assert spelt_as_indexed("What did NATO say about the tower?", vocabulary) == "What did NATO say about the tower?"
    # no capitals: a slip of the fingers is mended (two letters swapped, one left out), but no
    # other edit: "zelenska", a name the articles lack, is not their "zelensky"
    assert spelt_as_indexed("what did nato say it ingored?", vocabulary) == "what did nato say it ignored?"
    assert spelt_as_indexed("WHAT DID NATO SAY IT INGORED?", vocabulary) == "WHAT DID NATO SAY IT IGNORED?"
    assert spelt_as_indexed("why was it ignred?", vocabulary) == "why was it ignored?"
    assert spelt_as_indexed("what did zelenska say?", vocabulary) == "what did zelenska say?"
    # a word that begins with the stem of one the index holds is a form of it, no typo
    baltic = TextVocabulary(["The Baltic states met."])
    assert spelt_as_indexed("what is the rail baltica project?", baltic) == "what is the rail baltica project?"
    assert spelt_as_indexed("Why was the offer ingored?", vocabulary) == "Why was the offer ignored?"  # no name: written
    long = "ingored" * 3  # over 20 letters: not looked up
    assert spelt_as_indexed(f"What did NATO say {long}?", vocabulary) == f"What did NATO say {long}?"


def test_an_office_no_article_names_so_is_read_as_the_word_they_use() -> None:
    """ "Who is Vantor's CEO?" of an article that says "Its chief executive, Martin Hale" was
    refused: "No article uses the word CEO" (a review of questions as people type them). An
    office of `named.ROLES` the index lacks is read as its other word that the index holds."""
    vocabulary = TextVocabulary(["Its chief executive, Martin Hale, said the closure was painful.", "Prime Minister Brandt won."])
    assert spelt_as_indexed("Who is Vantor's CEO?", vocabulary) == "Who is Vantor's chief executive?"
    assert spelt_as_indexed("who is vantor's ceo", vocabulary) == "who is vantor's chief executive"
    assert spelt_as_indexed("WHO IS VANTOR'S CEO", vocabulary) == "WHO IS VANTOR'S CHIEF EXECUTIVE"
    assert spelt_as_indexed("Who is the PM?", vocabulary) == "Who is the prime minister?"
    assert spelt_as_indexed("What did the Chancellor say?", vocabulary) == "What did the Chancellor say?"  # another office
    held = TextVocabulary(["The CEO, Martin Hale, said so."])
    assert spelt_as_indexed("Who is Vantor's CEO?", held) == "Who is Vantor's CEO?"  # written so: as it is


def test_a_word_with_an_accent_is_read_whole_not_corrected_in_pieces() -> None:
    """ "dernière" was cut at the accent into "derni" and "re", and "derni", no word, was
    "corrected": the question read "la denière déclaration", and the refusal named that word,
    which the user never typed; "Süddeutsche" was read as "Südeutsche"."""
    vocabulary = TextVocabulary(
        ["Le Kremlin a publié une déclaration mardi pour denier les faits.", "Die Deutsche Bahn streikt, berichtete die Süddeutsche Zeitung."]
    )
    for question in ("Quelle est la dernière déclaration du Kremlin ?", "Was berichtete die Süddeutsche Zeitung?"):
        assert spelt_as_indexed(question, vocabulary) == question


def test_a_country_no_article_names_is_read_as_the_people_word_they_use() -> None:
    """ "What did the Kremlin say about Iran?" of articles that write "the Iranian nuclear
    program" was refused ("No article uses the word Iran"): a name no article uses is read as its
    country's or people's word that they do use, either way; a name they use stays as it is."""
    vocabulary = TextVocabulary(["The Iranian nuclear program and the Ukrainian economy were discussed.", "Israel and French officials replied."])
    assert spelt_as_indexed("What did the Kremlin say about Iran?", vocabulary) == "What did the Kremlin say about Iranian?"
    assert spelt_as_indexed("What did Putin say about Ukraine?", vocabulary) == "What did Putin say about Ukrainian?"
    assert spelt_as_indexed("What did Israeli officials say?", vocabulary) == "What did Israel officials say?"
    assert spelt_as_indexed("What did France say?", vocabulary) == "What did French say?"  # named.PEOPLE_OF
    assert spelt_as_indexed("What did Israel say?", vocabulary) == "What did Israel say?"  # used: as written
    assert spelt_as_indexed("What did Brazil say?", vocabulary) == "What did Brazil say?"  # no form used either
    # a word of a longer name is no country ("Coppa Italia" is not "Coppa Italian")
    italian = TextVocabulary(["Italian clubs and Serie A.", "The Celje castli."])
    assert spelt_as_indexed("Will it show Coppa Italia matches?", italian) == "Will it show Coppa Italia matches?"
    assert spelt_as_indexed("Did Celje Castle flood?", italian) == "Did Celje Castle flood?"
    # a refusal names it as the question wrote it
    asked, read = "Did Cyprus send aircraft?", "Did Cypriot send aircraft?"
    said = "The articles don't say. The articles nearest the question never mention Cypriot."
    assert as_asked(said, asked, read) == "The articles don't say. The articles nearest the question never mention Cyprus."


def test_a_question_without_capitals_has_its_names_written_as_the_articles_write_them() -> None:
    texts = [
        "The call came after Olaf Scholz spoke to NATO about the Space Race. Macron said so.\n"
        "Putin And Macron Discussed The Call",
        "Later, Macron called again; the call lasted an hour.",
    ]
    assert recased("did macron speak with scholz about nato?", texts) == "did Macron speak with Scholz about NATO?"
    assert recased("DID MACRON SPEAK WITH SCHOLZ?", texts) == "did Macron speak with Scholz?"
    assert recased("Did macron call?", texts) == "Did macron call?"  # written with capitals: as written
    assert recased("did macron call and discussed it?", texts) == "did Macron call and discussed it?"  # not a headline's word
    assert recased("did macron talk about space?", texts) == "did Macron talk about space?"  # a common word of English
    assert recased("Did Macron speak with scholz?", texts) == "Did Macron speak with scholz?"  # capitals of its own
    # a country's name is a name whatever the passages write, also in several words or possessive
    assert recased("did portugal's pilots strike in sri lanka or turkey?", texts) == (
        "did Portugal's pilots strike in Sri Lanka or Turkey?"
    )
    assert recased("what did the united states, the uk and côte d’ivoire agree?", texts) == (
        "what did the United States, the UK and Côte d’Ivoire agree?"
    )
    assert recased("portugal won?", texts) == "portugal won?"  # the first word: as a name's it is read nowhere
    assert recased("what did scientists measure in sweden.", texts) == "what did scientists measure in Sweden."
    # not a word the passages write in lower case, nor a word of a country's longer name (found by a review)
    dinner = ["A Christmas dinner with turkey cost 31 pounds, and his new jersey number is 30."]
    assert recased("how much did a dinner with turkey cost?", dinner) == "how much did a dinner with turkey cost?"
    assert recased("what jersey number will he wear?", dinner) == "what jersey number will he wear?"
    assert recased("which islands did the storm hit?", texts) == "which islands did the storm hit?"


def test_a_measure_asked_with_how_and_another_name_of_the_same_thing_are_no_unknown_words() -> None:
    """"How large are the rebates?" of articles that give the rebates without "large" was refused
    with "No article uses the word large" (found by a review); "USA" of articles that write "US"."""
    vocabulary = TextVocabulary(["Landscapers get rebates of up to 500 dollars, the US said."])
    for question, unknown in [
        ("How large are the rebates for landscapers?", []),
        ("Are the rebates large?", ["larg"]),  # not asked with "how": a word the articles lack
        ("What did the USA say about the rebates?", []),
        ("What did the UK say about the rebates?", ["uk"]),
    ]:
        weights = QuestionView.of(question, vocabulary).weights
        assert unknown_terms(weights, vocabulary, frozenset(), frozenset(), question) == unknown, question


def test_a_name_the_articles_do_not_hold_is_missing_as_the_question_writes_it() -> None:
    text = "The accord was signed in Vientiane by the four ministers."
    elsewhere = "The World Bank opened an office in Hanoi."
    assert _missing("What was agreed at the review in Hanoi?", text, elsewhere) == ["Hanoi"]
    assert _missing("How much did the World Bank pledge?", text, elsewhere) == ["World Bank"]
    assert _missing("What did NATO say about it?", text, "NATO met in May.") == ["NATO"]
    # the name after a title is still looked for; a title alone is a name ("Prince", the singer)
    assert _missing("What did President Marlow say?", text, "Marlow met the press.") == ["President Marlow"]
    assert _missing("What did Prince sing?", text, "Prince sang it.") == ["Prince"]


def test_a_name_no_article_uses_is_missing() -> None:
    text = "In 1862, the Tesla family moved to Gospić, where his father worked as a pastor."
    # a name no article uses at all: a near miss, or a spelling the asker is told to change
    assert _missing("What did UNESCO say about the move?", text) == ["UNESCO"]
    assert _missing("What was agreed in Kyiv?", "The accord was signed in Kiev.") == []  # NAME_VARIANTS
    assert _missing("What will the UK require of students?", "Britain will require a deposit.") == []
    assert _missing("How many homes did the Washington fire destroy?", "The fire came for us.") == ["Washington"]
    assert _missing("What did London decide?", "The British government decided to wait.") == ["London"]
    assert _missing("What was agreed in Lviv?", "The accord was signed in Lvov.") == ["Lviv"]


def test_a_name_no_article_uses_is_looked_for_as_a_misspelling() -> None:
    text = "Luther's father owned a copper mine in Mansfeld, where the family moved in 1484."
    names = asked_names("When did Luther's family move to Mnafeld?")
    assert unmentioned(names, [ArticleWords(text)]) == ["Mnafeld"]  # as any name: too far
    assert unmentioned(names, [ArticleWords(text)], TextVocabulary([text])) == []  # no article uses it
    # but a name some article uses is the name it is
    assert unmentioned(names, [ArticleWords(text)], TextVocabulary([text, "Mnafeld is a town."])) == ["Mnafeld"]
    assert _missing("How many MVPs did he win?", "He was twice named the Most Valuable Player.") == []
    assert _missing("How many MVPs did he win?", "He won five MVPs.") == []
    assert _missing("Who was the MVP?", "Both were MVPs once.") == []


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("Why did Orsted cut its outlook?", "Ørsted cut its profit outlook on Thursday."),
        ("What did Daehlie win?", "Bjørn Dæhlie won eight gold medals."),
        ("What happened in Lodz?", "A tram line opened in Łódź."),
        ("When did the family move to Gospic?", "In 1862 the Tesla family moved to Gospić."),
    ],
)
def test_letters_are_compared_without_their_accents(question: str, text: str) -> None:
    assert _missing(question, text) == []


def test_an_assistant_let_go_is_freed_at_once(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """The names check keeps articles' words until the index changes; nothing it hands the index
    may hold the assistant (and its encoder's sessions) alive after its last use."""
    gc.disable()
    try:
        bot = open_assistant(tmp_path / "index", embedder)
        bot.ingest([CORPUS])
        bot.ask("What did Putin say NATO ignored at the meeting in Kyiv?")
        let_go = weakref.ref(bot)
        del bot
        assert let_go() is None
    finally:
        gc.enable()


SLUICES = """Title: Laos to flush sediment from Xayaburi dam
Source: River Desk
Date: 2025-06-02

VIENTIANE, June 2 - Laos will open the sluices of the Xayaburi dam for three days in June to flush sediment downstream, the Mekong River Commission said on Monday.

Fishermen downstream welcomed the release, which the commission said would follow the start of the rainy season.

The dam, which began generating power in 2019, sells most of its electricity across the border, and its operator has been criticised by river communities for holding back silt that farmers further south once relied on to fertilise their rice fields each year.

Engineers have studied several ways of moving the sediment past the dam, including dredging the reservoir and building bypass channels, but each would take years and cost far more than opening the gates for a few days at the right time of the year.

Tourism operators in Luang Prabang expect a busy season, with river cruises fully booked from October and several new guesthouses opening along the old town's waterfront.

Rice prices in the region have risen for a third month, traders said, as exporters waited for the monsoon harvest and buyers in the Philippines and Indonesia increased their orders.

Officials in Thailand, which buys the power, said they had not been consulted.
"""


@pytest.fixture()
def sluices_bot(tmp_path: Path, embedder: MiniLMEmbedder) -> Assistant:
    """The sample corpus and an article on the Xayaburi dam."""
    folder = tmp_path / "articles"
    shutil.copytree(CORPUS, folder)
    (folder / "sluices.txt").write_text(SLUICES, encoding="utf-8")
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([folder])
    return bot


def test_a_yes_or_no_question_is_refused_when_its_sentences_never_mention_a_name_it_asks_about(
    sluices_bot: Assistant,
) -> None:
    asked = sluices_bot.ask("Will Laos open the sluices of the Xayaburi dam?")
    assert not asked.abstained and "open the sluices" in asked.text
    # The claim asked about is Thailand's: sentences about what Laos will do neither confirm nor
    # deny it.
    drifted = sluices_bot.ask("Will Thailand open the sluices of the Xayaburi dam?")
    assert drifted.abstained and not drifted.citations, drifted.text
    assert drifted.text == f"{NOT_IN_ARTICLES} The sentences nearest the question never mention Thailand."
    assert drifted.confidence is not None and drifted.confidence <= UNSTATED_CONFIDENCE
    # A name counts where the citation shows it: in the outlet, in the title ("Putin and Macron
    # discussed Ukraine and security") or in the passage read around the sentence ("the heads of
    # state ...", "... were discussed").
    assert not sluices_bot.ask("Will Laos open the sluices of the Xayaburi dam, according to River Desk?").abstained
    answered = sluices_bot.ask("Did Putin and Macron discuss nuclear energy?")
    assert not answered.abstained and "nuclear energy" in answered.text, answered.text



def test_a_question_about_a_name_no_article_uses_is_refused_saying_so(accord_bot: Assistant) -> None:
    drifted = accord_bot.ask("What minimum dry-season flow does the Mekong accord guarantee, according to UNESCO?")
    assert drifted.abstained and not drifted.citations, drifted.text
    assert drifted.text == f"{NOT_IN_ARTICLES} The articles nearest the question never mention UNESCO."
    assert drifted.confidence is not None and drifted.confidence <= UNMENTIONED_CONFIDENCE


def test_a_name_only_a_text_files_lines_before_its_story_hold_is_mentioned(sample_bot: Assistant) -> None:
    # "Moscow, SANA- Russian President ..." stands above the story (a standfirst), never cited,
    # and SANA is nowhere in the story: the article still mentions it.
    asked = sample_bot.ask("Which outlet did SANA cite for the Kremlin statement on the February 12 call?")
    assert not asked.abstained and "Russia Today" in asked.text, asked.text


def test_a_number_the_question_writes_is_looked_for_as_articles_write_numbers() -> None:
    text = "Super Bowl LI was played in 2017. The 1973–74 missions used three crews. Phase II cost $250,000."
    found = [ArticleWords(text)]
    assert asked_numbers("How much did Phase 2 of the 1973-1974 missions cost, at $250,000 or 3 crews?") == [
        "2",
        "1973",
        "1974",
        "250000",
        "3",
    ]
    assert unmentioned_numbers(["51", "2017", "1974", "3", "2", "250000"], found) == []
    assert unmentioned_numbers(["2038", "52", "4"], found) == ["2038", "52", "4"]
    # a year is not written by its last two digits alone: "27" of a date, "COVID-19"
    assert unmentioned_numbers(["2027", "2019"], [ArticleWords("On 2022-05-27 COVID-19 cases fell.")]) == [
        "2027",
        "2019",
    ]
    # as news writes numbers: decimals, words, ordinals, scales, months, ranges
    text = (
        "Twenty-five people died and one hundred were hurt in the third quarter of the 2024-25 season, "
        "on February 12, 2022, after a cut of 0.25 points; 2.5 million fled; $1.2bn; 5.0 per cent."
    )
    found = [ArticleWords(text)]
    asked = "Did 25 of 100 die in Q3 of 2024/25, on 12/02/2022, after a 0.25 cut, as 2,500,000 fled, $1,200,000,000, 5%?"
    assert unmentioned_numbers(asked_numbers(asked), found) == []
    assert asked_numbers("Who won in 1999-00?") == ["1999", "2000"]
    assert unmentioned_numbers(["2000"], [ArticleWords("The 1999–00 season ended in May.")]) == []
    # a month is a name: "may" and "march" as words write no 5 or 3
    assert unmentioned_numbers(["5", "3"], [ArticleWords("Officials may join the march.")]) == ["5", "3"]
    assert unmentioned_numbers(["5", "3"], [ArticleWords("Between May and MARCH, nothing.")]) == []
    assert unmentioned_numbers(["5"], [ArticleWords('"May the talks succeed," he said.')]) == ["5"]  # a wish
    assert unmentioned_numbers(["9", "3"], [ArticleWords("It began on sept. 5 (2022/march/05).")]) == []
    # numbers of the asking, not of the news
    assert asked_numbers("Give me 4 details of the last 48 hours in the 90s, in 2 sentences.") == []
    # a single letter is a Roman numeral only after a name: "Grade I", not "I said"
    assert unmentioned_numbers(["1"], [ArticleWords("It was listed as Grade I in 1954.")]) == []
    assert unmentioned_numbers(["1"], [ArticleWords("Then I said it was listed in 1954.")]) == ["1"]


def test_a_question_about_a_number_no_cited_article_writes_is_refused_saying_so(accord_bot: Assistant) -> None:
    # 2025 is the accord article's date, written nowhere in its text: mentioned
    asked = accord_bot.ask("What minimum dry-season flow does the 2025 Mekong accord guarantee?")
    assert not asked.abstained and "1,500 cubic meters" in asked.text, asked.text
    drifted = accord_bot.ask("What minimum dry-season flow does the 2031 Mekong accord guarantee?")
    assert drifted.abstained and not drifted.citations, drifted.text
    assert drifted.text == f"{NOT_IN_ARTICLES} The articles nearest the question never mention 2031."
    assert drifted.confidence is not None and drifted.confidence <= UNMENTIONED_NUMBER_CONFIDENCE
