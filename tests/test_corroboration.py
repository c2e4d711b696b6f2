"""Corroboration by meaning: other outlets' sentences that report a statement in other words are
cited with it, and two different claims on one topic never merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answer.corroboration import SentenceVectors, disagreement
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import CORPUS, open_assistant

KORRESPONDENT = "003_a48c90cbe8e4b05f.txt"
XINHUA = "001_660320b987047e91.txt"
FT_STYLE = "004_7f08c28d9be3bdfc.txt"


@pytest.fixture(scope="module")
def meaning_bot(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Assistant:
    bot = open_assistant(tmp_path_factory.mktemp("corroboration-index"), embedder, corroborate_by_meaning=True)
    bot.ingest([CORPUS])
    return bot


def _files(answer_citations: object, markers: tuple[int, ...]) -> set[str]:
    by_marker = {c.marker: Path(c.path).name for c in answer_citations}  # type: ignore[attr-defined]
    return {by_marker[m] for m in markers}


def test_the_indivisibility_statement_cites_the_outlets_that_report_it(meaning_bot: Assistant) -> None:
    answer = meaning_bot.ask("What did Putin say NATO ignored?")
    first = answer.statements[0]
    assert "indivisibility of security" in first.text
    # Korrespondent.net's sentence, and the FT-style report's "Another key question, which was
    # also ignored ..." that shares few of its words.
    assert _files(answer.citations, first.markers) == {KORRESPONDENT, FT_STYLE}
    # Korrespondent.net says it twice (its lead, again in the body): one statement, not two.
    assert [s for s in answer.statements if KORRESPONDENT in _files(answer.citations, s.markers)] == [first]
    for citation in answer.citations:
        text = Path(citation.path).read_text(encoding="utf-8")
        assert text[citation.char_start : citation.char_end] == citation.quote


def test_every_outlet_reporting_the_principle_is_cited(meaning_bot: Assistant) -> None:
    answer = meaning_bot.ask("What key principle did Putin say the US and NATO responses ignored?")
    about = [s for s in answer.statements if "indivisibility" in s.text]
    assert about, answer.text
    assert all(len(_files(answer.citations, s.markers)) >= 2 for s in about), answer.text
    assert set().union(*(_files(answer.citations, s.markers) for s in about)) == {XINHUA, KORRESPONDENT, FT_STYLE}


def test_without_meaning_the_reworded_report_is_not_merged(sample_bot: Assistant) -> None:
    answer = sample_bot.ask("What did Putin say NATO ignored?")
    first = answer.statements[0]
    assert "indivisibility of security" in first.text
    assert _files(answer.citations, first.markers) == {KORRESPONDENT}


NEWS = {
    "rose.txt": "Nordbank results\nDaily Ledger\n\nShares of Nordbank rose 5% on Monday after the lender "
    "reported record quarterly profits.\n\nAnalysts had expected weaker results.\n",
    "fell.txt": "Nordbank results\nMarket Wire\n\nShares of Nordbank fell 5% on Monday after the lender "
    "reported record quarterly profits.\n\nTraders cited fears about bad loans.\n",
    "seven.txt": "Nordbank results\nCity Post\n\nShares of Nordbank rose 7% on Monday after the lender "
    "reported record quarterly profits.\n\nThe bank's chief executive declined to comment.\n",
}


def test_two_different_claims_on_one_topic_are_not_merged(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in NEWS.items():
        (folder / name).write_text(text, encoding="utf-8")
    bot = open_assistant(tmp_path / "index", embedder, corroborate_by_meaning=True)
    bot.ingest([folder])
    answer = bot.ask("What happened to Nordbank shares on Monday?")
    assert not answer.abstained
    assert len(_files(answer.citations, tuple(c.marker for c in answer.citations))) >= 2, answer.text
    for statement in answer.statements:
        # "rose 5%", "fell 5%" and "rose 7%" share almost every word (the word rule alone merged
        # them) and are close in meaning; no statement may cite two of them.
        assert len(_files(answer.citations, statement.markers)) == 1, answer.text


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        ("The bank raised its key rate by 0.25 points.", "The bank raised its key rate by 0.5 points.", "numbers differ"),
        ("Shares rose 4% in early trading.", "Shares fell 4% in early trading.", "opposite directions"),
        ("The union said it would strike.", "The union said it would not strike.", "one is negative"),
        ("Talks resume on Tuesday in Geneva.", "Talks resume on Friday in Geneva.", "weekdays differ"),
        ("Christine Lagarde said inflation stays high.", "Joachim Nagel said inflation stays high.", "another name in the same place"),
        (
            "Putin told Macron that the United States and NATO, in their responses to Russia, ignored the issue "
            "of the principle of indivisibility of security.",
            "In addition, a key concept was also ignored in the responses, namely the “indivisibility of security” "
            "or the principle that no state should strengthen its own security at the expense of the security "
            "of others, Putin said.",
            None,
        ),
        ("It agreed to continue the Russian-French dialogue.", "They agreed to continue the French-Russian dialogue.", None),
    ],
)
def test_what_two_sentences_state_against_each_other(a: str, b: str, why: str | None) -> None:
    assert disagreement(a, b) == why
    assert disagreement(b, a) == why


def test_sentence_vectors_are_embedded_once(embedder: MiniLMEmbedder) -> None:
    calls: list[int] = []

    def embed(texts: object) -> object:
        calls.append(len(texts))  # type: ignore[arg-type]
        return embedder.embed(texts)  # type: ignore[arg-type]

    vectors = SentenceVectors(embed, size=2)  # type: ignore[arg-type]
    first = vectors.vectors(["Prices rose.", "Prices fell."])
    again = vectors.vectors(["Prices rose.", "Rates fell."])
    assert calls == [2, 1]
    assert (first["Prices rose."] == again["Prices rose."]).all()
    assert abs(float(first["Prices rose."] @ first["Prices rose."]) - 1.0) < 1e-5
