"""Text in any script and any common encoding: words, stems, sentences, decoding, answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.dates import find_dates
from assistant.ingest.documents import build_article
from assistant.ingest.loading import UnreadableFileError, decode, load, looks_binary, read_text
from assistant.ingest.sentences import split_sentences
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.lexical import content_terms, question_terms, words
from tests.conftest import open_assistant

ELYSEE = """Le Courrier de Lyon

Élysée confirms a visit by the Bolshoi director

The Élysée said on Monday that Vladimir Urin, director of the Bolshoi, will visit Paris in March.

The visit was agreed during a call between the two culture ministers, officials said.
"""
KREMLIN_RU = """Московский вестник

Песков прокомментировал переговоры

Дмитрий Песков заявил журналистам, что переговоры с Парижем продолжатся в феврале. Он добавил, что Кремль ждёт ответа от Вашингтона.

В Министерстве иностранных дел от комментариев отказались.
"""
ATHENS = """Athens Daily

Κυριάκος Μητσοτάκης visits the port of Piraeus

Greek prime minister Κυριάκος Μητσοτάκης toured the port of Piraeus on Friday, his office said.
"""


def test_words_of_any_script_are_casefolded_and_normalised() -> None:
    assert words("Élysée") == ["élysée"], "not 'lys': accented letters are letters"
    assert words("Путин позвонил Макрону") == ["путин", "позвонил", "макрону"]
    assert words("Αθήνα") == ["αθήνα"]
    assert words("ＫＲＥＭＬＩＮ ﬁrst Straße") == ["kremlin", "first", "strasse"]  # NFKC, casefold
    assert words("Russia's O'Brien don’t") == ["russia", "o", "brien", "don"]
    # French and Italian elision: the word after the apostrophe was dropped, "d" alone was left
    assert words("privés d'électricité, l’entretien, dell'Unione") == [
        "privés", "d", "électricité", "l", "entretien", "dell", "unione"
    ]
    assert words("東京大学") == ["東", "京", "大", "学"], "ideographs are words one by one"
    assert words("snake_case 17th") == ["snake", "case", "17th"]
    # An acronym with dots is one word; "US" is no pronoun ("us" is a stop word)
    assert words("U.K. and UK, the U.N., U.S. and US, e.g.") == ["uk", "and", "uk", "the", "un", "usa", "and", "usa", "e", "g"]
    assert words("6½ miles") == ["6", "1", "2", "miles"], "a fraction is not glued to the number before it"


def test_stems_match_inflected_forms_within_a_script() -> None:
    assert content_terms("Макрону") == content_terms("Макрон")  # Russian dative
    assert content_terms("переговоры") == content_terms("переговорах")
    assert content_terms("Élysée") == content_terms("ÉLYSÉE") == content_terms("E\u0301lyse\u0301e")
    assert question_terms("What did Песков say?") == ["песк"]


def test_sentences_of_any_script_are_split_at_capitals() -> None:
    text = "Песков заявил это. Кремль ждёт ответа. Élysée a confirmé. 3 visits followed. then lower."
    pieces = [text[s.start : s.end] for s in split_sentences(text)]
    assert pieces == [
        "Песков заявил это.",
        "Кремль ждёт ответа.",
        "Élysée a confirmé.",
        "3 visits followed. then lower.",
    ]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Publié le 28 janvier 2022 à 18h34", date(2022, 1, 28)),
        ("le 1er février 2022", date(2022, 2, 1)),
        ("28. Januar 2022, 18:34 Uhr", date(2022, 1, 28)),
        ("Santa Cruz de La Palma, 25 de diciembre de 2021", date(2021, 12, 25)),
        ("Jueves, 3 febrero 2022", date(2022, 2, 3)),
        ("28 января 2022 г., 18:52", date(2022, 1, 28)),
        ("2022年2月4日 21:15", date(2022, 2, 4)),
        ("The Mars rover landed in 2022", None),  # a month's name of another language, alone, is none
    ],
)
def test_dates_written_in_other_languages_are_read(text: str, day: date | None) -> None:
    """Dates written out in French, German, Spanish, Russian or Chinese were never read: the
    articles had no date, and a date range then left them out."""
    assert [f.value for f in find_dates(text)] == ([day] if day else [])


def test_a_french_article_is_dated_by_its_date_line(tmp_path: Path) -> None:
    path = tmp_path / "sncf.txt"
    path.write_text(
        "Grève à la SNCF : SUD-Rail appelle à la mobilisation\nLe Figaro\nPublié le 3 février 2022 à 09h12\n\n"
        "Le syndicat SUD-Rail a appelé jeudi les contrôleurs à cesser le travail le week-end prochain. "
        "La direction de la SNCF dit vouloir négocier avant samedi.\n",
        encoding="utf-8",
    )
    assert build_article(path, 128, 32).published == date(2022, 2, 3)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # a sentence opening with « „ ¿ was joined to the one before
        ("Il l'a dit. « Nous verrons », a-t-il ajouté.", ["Il l'a dit.", "« Nous verrons », a-t-il ajouté."]),
        ("Он сказал: «Мы подумаем». Потом ушёл.", ["Он сказал: «Мы подумаем».", "Потом ушёл."]),
        ("Dijo que sí. ¿Cuándo llegará? No lo sabe.", ["Dijo que sí.", "¿Cuándo llegará?", "No lo sabe."]),
        # a German day is an ordinal: "am 7." ended a sentence and the answer lost "Februar"
        ("Der Kanzler reist am 7. Februar nach Washington. Er trifft Biden.", ["Der Kanzler reist am 7. Februar nach Washington.", "Er trifft Biden."]),
        # Chinese ends sentences with 。！？ and no space: a citation was a whole paragraph
        ("会谈持续了一个小时。双方同意继续对话！下一步呢？", ["会谈持续了一个小时。", "双方同意继续对话！", "下一步呢？"]),
        ("Prices rose in 2022. March was worse. It rose 7. Then it fell.", ["Prices rose in 2022.", "March was worse.", "It rose 7.", "Then it fell."]),
    ],
)
def test_sentences_end_as_other_languages_end_them(text: str, sentences: list[str]) -> None:
    assert [text[s.start : s.end] for s in split_sentences(text)] == sentences


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be", "utf-8-sig"])
def test_files_with_a_byte_order_mark_decode(tmp_path: Path, encoding: str) -> None:
    data = KREMLIN_RU.encode(encoding)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00\x00\xfe\xff")):
        data = "\ufeff".encode(encoding) + data  # the -le/-be codecs write no mark of their own
    path = tmp_path / "kremlin.txt"
    path.write_bytes(data)
    loaded = load(path)
    assert loaded.plain == KREMLIN_RU == read_text(path)
    assert decode(data) == KREMLIN_RU


def test_a_nul_anywhere_makes_a_file_binary(tmp_path: Path) -> None:
    path = tmp_path / "late-nul.txt"
    path.write_bytes(ELYSEE.encode() * 200 + b"\x00" + b"more text\n")
    assert path.stat().st_size > 4096 * 10
    with pytest.raises(UnreadableFileError, match="binary"):
        load(path)
    assert looks_binary("text" * 10 + "\x01\x02\x03\x04\x05")
    assert not looks_binary("a title\n\n\tan indented line\r\n\x0cnext page\x1b[0m")


def test_a_reference_without_semicolon_spans_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "ampersand.html"
    source = (
        "<html><body><p>Tom &amp Jerry met Smith &copy 2022 and &#169 again at &#x41. "
        "Later; much later; they left &apos;quietly&apos;.</p></body></html>"
    )
    path.write_text(source, encoding="utf-8")
    loaded = load(path)
    assert (
        loaded.plain
        == "Tom & Jerry met Smith © 2022 and © again at A. Later; much later; they left 'quietly'."
    )
    spans = {loaded.plain[i]: loaded.source_span(i, i + 1) for i in range(len(loaded.plain))}
    for char, raw in (("&", "&amp"), ("©", "&#169"), ("A", "&#x41"), ("'", "&apos;")):
        start, end = spans[char]
        assert source[start:end] == raw, (char, source[start:end])


@pytest.fixture(scope="module")
def multilingual_bot(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("multilingual")
    (folder / "elysee.txt").write_text(ELYSEE, encoding="utf-8")
    (folder / "kremlin-ru.txt").write_bytes(KREMLIN_RU.encode("utf-16"))
    (folder / "athens.html").write_text(
        "<html><head><title>Athens Daily</title></head><body>"
        + "".join(f"<p>{line}</p>" for line in ATHENS.splitlines() if line)
        + "</body></html>",
        encoding="utf-8",
    )
    bot = open_assistant(tmp_path_factory.mktemp("multilingual-index"), embedder)
    report = bot.ingest([folder])
    assert len(report.added) == 3, report.summary()
    return bot


def assert_cited_verbatim(answer, needle: str) -> None:  # type: ignore[no-untyped-def]
    assert not answer.abstained, answer.text
    assert needle in answer.text, answer.text
    for citation in answer.citations:
        assert read_text(Path(citation.path))[citation.char_start : citation.char_end] == citation.quote


def test_extractive_answer_about_an_accented_name(multilingual_bot) -> None:  # type: ignore[no-untyped-def]
    answer = multilingual_bot.ask("What did the Élysée say about Urin?")
    assert_cited_verbatim(answer, "will visit Paris in March")


@pytest.mark.xfail(
    strict=True,
    reason="known miss: the learned reader (trained on English SQuAD) is not confident enough in a "
    "Russian-only sentence and abstains; retrieval finds it (issue 11: retrain with other languages)",
)
def test_extractive_answer_about_a_cyrillic_name(multilingual_bot) -> None:  # type: ignore[no-untyped-def]
    answer = multilingual_bot.ask("What did Песков say?")
    assert_cited_verbatim(answer, "переговоры с Парижем продолжатся")
    assert all(c.path.endswith("kremlin-ru.txt") for c in answer.citations)


def test_extractive_answer_about_a_greek_name(multilingual_bot) -> None:  # type: ignore[no-untyped-def]
    answer = multilingual_bot.ask("What did Μητσοτάκης do?")
    assert_cited_verbatim(answer, "Piraeus")


def test_a_cyrillic_name_finds_its_article(multilingual_bot) -> None:  # type: ignore[no-untyped-def]
    passages = multilingual_bot.retrieve("What did Песков say?")
    assert passages and "Песков" in passages[0].text
    assert passages[0].bm25 > 0, "found by the word itself, not only by meaning"
