"""A question that names an outlet is asked of that outlet's articles (assistant/search/outlets.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant import NOT_IN_ARTICLES, Assistant, Filters
from assistant.errors import QuestionError
from assistant.search.catalog import Catalog, CatalogArticle
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.outlets import filtered_outlet, name_words, named_outlet, named_outlets
from tests.conftest import bot_over

OUTLETS = [
    "The Limited Times",
    "Xinhua",
    "Korrespondent.net",
    "Scandinavian Economic Review",
    "Southern Cone Review",
    "Western Shore Gazette",
    "www.Reuters.com",
]


@pytest.mark.parametrize(
    ("outlet", "words"),
    [
        ("The Limited Times", ["Limited", "Times"]),
        ("Korrespondent.net", ["Korrespondent"]),
        ("www.Reuters.com", ["Reuters"]),
        ("news.co.uk", ["news"]),
        ("The", ["The"]),
    ],
)
def test_an_outlet_is_named_by_its_words_without_domain_or_article(outlet: str, words: list[str]) -> None:
    assert list(name_words(outlet)) == words


@pytest.mark.parametrize(
    ("question", "outlet"),
    [
        ("What did Xinhua say NATO ignored?", "Xinhua"),
        ("What was Xinhua's account of the call?", "Xinhua"),
        ("What did Korrespondent.net report?", "Korrespondent.net"),
        ("What did Reuters report about the talks?", "www.Reuters.com"),
        ("How much did it cost, according to the Southern Cone Review?", "Southern Cone Review"),
        ("Why did the board wait, according to the Gazette?", "Western Shore Gazette"),
        ("The Gazette reported what about the school?", "Western Shore Gazette"),
        ("What did the Limited Times say?", "The Limited Times"),
        # not named as a name: lowercase, or a common word that only starts the question
        ("and what did xinhua say?", None),
        ("What did the review of the school find?", None),
        ("Times of crisis: who said that?", None),
        # not clear which: two Reviews, or two outlets named
        ("Which economist expects a cut, according to the Review?", None),
        ("How did Xinhua and Korrespondent describe the weapons?", None),
    ],
)
def test_the_outlet_a_question_names(question: str, outlet: str | None) -> None:
    assert named_outlet(question, OUTLETS) == outlet


def test_every_outlet_a_question_names() -> None:
    assert named_outlets("How did Xinhua and Korrespondent describe the weapons?", OUTLETS) == ["Xinhua", "Korrespondent.net"]
    assert named_outlets("What did the Limited Times say?", OUTLETS) == ["The Limited Times"]
    # a mention two outlets fit names neither: not a comparison of two Reviews
    assert named_outlets("Which economist expects a cut, according to the Review?", OUTLETS) == []


def test_a_question_comparing_two_outlets_states_each_and_is_not_refused_for_naming_them(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"How did the Harbor Gazette's and the Lisvale Voice's reports on the fire differ?" was
    refused: "The articles nearest the question never mention Lisvale Voice" (an outlet is no name
    its articles write), and "never quote Lisvale Voice" (nor a speaker). A review of questions
    comparing outlets: 5 of 5 refused."""
    bot = bot_over(tmp_path, embedder, {
        "gazette.txt": "Title: Fire shuts Millbrook Bridge\nOutlet: Harbor Gazette\nDate: 2025-02-03\n\n"
        "A fire broke out under the Millbrook Bridge early on Monday, forcing the city to close it. Fire chief Dana "
        "Orlov said the fire appeared to have started in an electrical junction box.\n",
        "voice.txt": "Title: Police treat bridge fire as arson\nOutlet: Lisvale Voice\nDate: 2025-02-04\n\n"
        "Police said on Tuesday they are treating Monday's fire under the Millbrook Bridge as suspected arson. "
        "A fuel canister was found near the bridge, an officer said.\n",
        "skier.txt": "Title: Lind sweeps national ski titles\nOutlet: Eastmark Herald\nDate: 2025-04-06\n\n"
        "Skier Anna Lind won three titles at the national championships in Orrvik this weekend, taking the slalom, "
        "giant slalom and combined. Lind, 24, collected 250,000 crowns in prize money over the three days.\n",
        "library.txt": "Title: Lisvale library reopens after renovation\nOutlet: Lisvale Voice\nDate: 2025-01-20\n\n"
        "Lisvale's central library reopened on Saturday after an eighteen-month renovation. Head librarian Greta "
        "Moberg said more than 2,000 visitors came on the first day.\n",
    })
    # an outlet that never wrote of it is not quoted on another story (a held-out check: the
    # library's visitors were given as the Voice's account of the championship)
    other = bot.ask("Compare the Eastmark Herald's and the Lisvale Voice's coverage of Anna Lind's championship.")
    assert not other.abstained and {c.outlet for c in other.citations} == {"Eastmark Herald"}, other.text
    assert other.text.endswith("(Nothing read from Lisvale Voice is about it.)"), other.text
    for question in (
        "How did the Harbor Gazette's and the Lisvale Voice's accounts of the Millbrook Bridge fire differ?",
        "What did the Lisvale Voice say about the Millbrook Bridge fire that the Harbor Gazette did not?",
    ):
        answer = bot.ask(question)
        assert not answer.abstained, (question, answer.text)
        assert {c.outlet for c in answer.citations} == {"Harbor Gazette", "Lisvale Voice"}, (question, answer.text)


def test_an_outlet_the_catalog_has_in_lowercase_is_named_with_a_capital() -> None:
    outlets = ["reuters.com", "news.com.au"]
    assert named_outlet("What did Reuters say about the vote?", outlets) == "reuters.com"
    assert named_outlet("What did reuters say about the vote?", outlets) is None
    assert named_outlet("What news did the minister announce?", outlets) is None


def test_a_name_inside_a_longer_one_is_the_longer_ones() -> None:
    outlets = ["The Limited Times", "Times"]
    assert named_outlet("What did the Limited Times say?", outlets) == "The Limited Times"
    assert named_outlet("What did the Times say?", outlets) is None  # either of the two


def test_a_question_naming_an_outlet_is_answered_from_it_or_says_it_does_not(sample_bot: Assistant) -> None:
    # Unrestricted, Korrespondent.net's wording of what NATO ignored comes first; Xinhua
    # reports it too ("a key concept was also ignored ... the indivisibility of security").
    assert {c.outlet for c in sample_bot.ask("What did Putin say NATO ignored?").citations} != {"Xinhua"}
    xinhua = sample_bot.ask("What did Xinhua say NATO ignored?")
    assert not xinhua.abstained and {c.outlet for c in xinhua.citations} == {"Xinhua"}
    assert "indivisibility of security" in xinhua.text
    # Only an article without an outlet reports Zelensky's $5 billion: Xinhua does not say.
    money = "How much money did Zelensky want Western supporters to help Kyiv find"
    assert "$ 5 billion" in sample_bot.ask(f"{money}?").text
    refused = sample_bot.ask(f"{money}, according to Xinhua?")
    assert refused.abstained and not refused.citations
    assert refused.text == (
        f"{NOT_IN_ARTICLES} The sentences nearest the question give no amount of money."
        " Only Xinhua's articles were read: the question names it."
    )
    # An outlet given as a filter wins over the one the question names: Korrespondent.net's
    # articles are read, and they do not say what Xinhua said.
    chosen = sample_bot.ask("What did Xinhua say NATO ignored?", filters=Filters(outlet="Korrespondent.net"))
    assert chosen.abstained and chosen.text == NOT_IN_ARTICLES
    named = sample_bot.ask("What did Korrespondent.net say NATO ignored?")
    assert named.citations and {c.outlet for c in named.citations} == {"Korrespondent.net"}


@pytest.mark.parametrize(
    ("given", "outlet"),
    [
        ("Xinhua", "Xinhua"),
        ("xinhua", "Xinhua"),
        ("korrespondent", "Korrespondent.net"),
        ("reuters.com", "www.Reuters.com"),
        ("limited times", "The Limited Times"),
    ],
)
def test_an_outlet_filter_names_the_catalogs_outlet(given: str, outlet: str) -> None:
    assert filtered_outlet(given, OUTLETS) == outlet


def test_an_outlet_filter_written_as_one_of_two_spellings_is_that_one() -> None:
    outlets = ["HARBOR GAZETTE", "Harbor Gazette", "Xinhua"]
    assert filtered_outlet("Harbor Gazette", outlets) == "Harbor Gazette"
    assert filtered_outlet("HARBOR GAZETTE", outlets) == "HARBOR GAZETTE"


@pytest.mark.parametrize(
    ("given", "outlets", "said"),
    [
        ("Xinuha", OUTLETS, "no article in the index is from 'Xinuha' (did you mean Xinhua?); its outlets: The "),
        ("BBC", OUTLETS, "no article in the index is from 'BBC'; its outlets: The Limited Times, Xinhua, "),
        # a word of the outlet's name: offered (it was listed among the others only)
        ("Limited", OUTLETS, "no article in the index is from 'Limited' (did you mean The Limited Times?); its outlets:"),
        ("review.com", [*OUTLETS, "Review", "The Review"], "the outlet 'review.com' fits several: Review, The Review;"),
        ("Xinhua", [], "no article in the index names its outlet, so none is from 'Xinhua'"),
    ],
)
def test_an_outlet_filter_that_fits_no_one_outlet_says_which_there_are(given: str, outlets: list[str], said: str) -> None:
    with pytest.raises(QuestionError) as raised:
        filtered_outlet(given, outlets)
    assert str(raised.value).startswith(said)


def test_an_outlet_filter_reads_that_outlets_articles_however_it_is_written(sample_bot: Assistant) -> None:
    """"korrespondent" is Korrespondent.net: both searches, the vector store's (which compares
    outlets exactly) and the lexical one, read its articles; a misspelt outlet is an error, not
    "the articles don't say" of articles the index holds."""
    question = "What did Putin say NATO ignored?"
    found = {p.metadata.get("outlet") for p in sample_bot.retrieve(question, filters=Filters(outlet="korrespondent"))}
    assert found == {"Korrespondent.net"}
    answer = sample_bot.ask("What did Putin tell Macron?", filters=Filters(outlet="KORRESPONDENT.NET"))
    assert answer.citations and {c.outlet for c in answer.citations} == {"Korrespondent.net"}
    with pytest.raises(QuestionError, match="did you mean Xinhua"):
        sample_bot.ask(question, filters=Filters(outlet="Xinuha"))


def test_a_date_range_that_ends_before_it_starts_is_a_question_error(sample_bot: Assistant) -> None:
    from datetime import date

    backwards = Filters(published_from=date(2022, 2, 12), published_to=date(2022, 2, 1))
    with pytest.raises(QuestionError, match="swap the dates"):
        sample_bot.ask("What did Putin say NATO ignored?", filters=backwards)
    one_day = Filters(published_from=date(2022, 2, 12), published_to=date(2022, 2, 12))
    assert sample_bot.retrieve("What did Putin tell Macron?", filters=one_day)


def _article(doc_id: str, outlet: str | None) -> CatalogArticle:
    return CatalogArticle(doc_id, f"/news/{doc_id}.txt", doc_id, outlet, None, 1)


def test_the_catalog_keeps_its_outlets_as_articles_come_and_go(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    catalog.put([_article("a", "Xinhua"), _article("b", "Xinhua"), _article("c", "Reuters"), _article("d", None)])
    assert catalog.outlets() == ["Reuters", "Xinhua"]
    catalog.put([_article("c", "Reuters")])  # the same article written again
    catalog.remove(["a"])
    assert catalog.outlets() == ["Reuters", "Xinhua"]
    catalog.put([_article("b", "Korrespondent.net")], removed=["c"])  # replaced with another outlet
    assert catalog.outlets() == ["Korrespondent.net"]
    catalog.clear()
    assert catalog.outlets() == []


def test_a_catalog_written_before_outlets_were_kept_counts_them_once_opened(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    catalog = Catalog(path)
    catalog.put([_article("a", "Xinhua"), _article("b", "Reuters"), _article("c", "Xinhua")])
    catalog.close()
    with sqlite3.connect(path) as db:  # the layout before this table and its triggers
        for name in ("outlets_insert", "outlets_delete"):
            db.execute(f"DROP TRIGGER {name}")
        db.execute("DROP TABLE outlets")
    reopened = Catalog(path)
    assert reopened.outlets() == ["Reuters", "Xinhua"]
    reopened.remove(["b"])
    assert reopened.outlets() == ["Xinhua"]


def test_outlets_compared_get_no_one_figure_as_the_answer(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"How long will the bridge stay closed, according to the Gazette and the Voice?" led with the
    Gazette's "six weeks" though the Voice says three months (a held-out check of questions comparing
    outlets): asked of each, each is stated and neither leads."""
    bot = bot_over(tmp_path, embedder, {
        name: f"Title: Millbrook Bridge to stay shut\nOutlet: {outlet}\nDate: 2025-02-05\n\n"
        f"The Millbrook Bridge will stay closed for {closed} while engineers repair the fire damage, the city said.\n"
        for name, outlet, closed in (("gazette.txt", "Harbor Gazette", "six weeks"), ("voice.txt", "Lisvale Voice", "three months"))
    })
    answer = bot.ask("How long will the Millbrook Bridge stay closed, according to the Harbor Gazette and the Lisvale Voice?")
    assert answer.short_answer is None and "six weeks" in answer.text and "three months" in answer.text, answer.text
    assert {c.outlet for c in answer.citations} == {"Harbor Gazette", "Lisvale Voice"}, answer.text


def test_the_words_comparing_outlets_are_not_searched_for(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"How did the Harbor Gazette's and the Lisvale Voice's accounts of the fire differ?" was
    refused where another story wrote "harbour accounts": "accounts" was searched for, and that
    story's passages were read instead (a held-out check of questions comparing outlets)."""
    texts = {
        # another outlet's sentence that holds the question's one word left, in another sense ("call"
        # of "called"), as an archive's encyclopedia paragraph did, is no account of theirs
        "geology.txt": ("Folds", "Earth Notes", "If the rock units within the folds point upwards, they are called anticlines."),
        "gazette.txt": ("Fire shuts Millbrook Bridge", "Harbor Gazette", "A fire broke out under the Millbrook Bridge late on "
                        "Sunday. Fire officials said the blaze was caused by an electrical fault in a junction box."),
        "voice.txt": ("Police treat bridge fire as arson", "Lisvale Voice", "Police said on Tuesday they are treating the fire "
                      "under the Millbrook Bridge as suspected arson. A fuel canister was found near the bridge."),
        "fraud.txt": ("Former harbour official jailed", "Riverside Tribune", "A former finance director moved 3.2 million crowns "
                      "from harbour accounts into a private company. The accounts were audited in March. Auditors said the "
                      "accounts of the harbour authority had been falsified for six years."),
    }
    for i, firm in enumerate(["Norvel", "Kestrel", "Aalto", "Brenner", "Strand", "Moberg"]):  # accounts, another sense
        texts[f"accounts{i}.txt"] = (f"{firm} accounts queried", "Riverside Tribune", f"Auditors queried the accounts of {firm} "
                                     f"for the harbour's insurance. The accounts showed a loss, {firm} said.")
    bot = bot_over(tmp_path, embedder, {
        name: f"Title: {title}\nOutlet: {outlet}\nDate: 2025-02-04\n\n{body}\n" for name, (title, outlet, body) in texts.items()
    })
    answer = bot.ask("How did the Harbor Gazette's and the Lisvale Voice's accounts of the fire differ?")
    assert not answer.abstained and {c.outlet for c in answer.citations} == {"Harbor Gazette", "Lisvale Voice"}, answer.text
    call = bot.ask("How did the Harbor Gazette's and the Lisvale Voice's accounts of the call differ?")
    assert call.abstained and "Nothing read from Harbor Gazette or Lisvale Voice is about it." in call.text, call.text
