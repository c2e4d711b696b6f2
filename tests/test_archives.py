"""News archives (JSON Lines, a JSON list, CSV) ingested as one article a record, against real
Chroma and the real embedding model; the CLI as a real subprocess."""

from __future__ import annotations

import csv
import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from assistant.ingest.archives import unpack
from assistant.ingest.documents import build_article
from assistant.ingest.loading import MAX_FILE_BYTES, read_text
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import open_assistant
from tests.test_cli import run

STRIKE = (
    "Dockworkers at the Port of Eastbay voted on Wednesday to accept a new contract, ending a "
    "six-week strike that had stranded hundreds of containers.\n\n"
    "The agreement raises wages by 14 percent over three years, union leader Maria Okafor said."
)
WIND = (
    "Regulators gave final approval on Friday to the Blue Reef offshore wind farm, which will "
    "power 400,000 homes when it opens in 2027."
)
LANES = (
    "---\nThe Eastbay city council approved 12 miles of protected bike lanes on Thursday by a vote "
    "of 7 to 2.\nThe lanes will be built by 2026, the mayor said."
)
FERRY = (
    "The harbor ferry resumed service on Monday after a two-week repair of its engines, the city "
    "transit agency said. Boats will again run every 20 minutes between the two piers."
)
# As NewsAPI hands articles over: the outlet an object, the date a time stamp.
NEWSAPI = [
    {
        "source": {"id": None, "name": "Harbor Gazette"},
        "author": "Ana Ruiz",
        "title": "Port strike ends after six weeks",
        "url": "https://harborgazette.example/port-strike",
        "publishedAt": "2024-03-14T08:00:00Z",
        "content": STRIKE,
    },
    {
        "source": {"name": "Coastal Ledger"},
        "title": "Wind farm gets final approval",
        "url": "https://coastalledger.example/wind",
        "publishedAt": "2024-03-16",
        "content": WIND,
    },
]


def _jsonl(path: Path, records: list[object], extra_lines: tuple[str, ...] = ()) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + "".join(extra_lines), encoding="utf-8")
    return path


def _csv(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        table = csv.writer(out)
        table.writerow(["id", "title", "publication", "author", "date", "url", "content"])
        table.writerow(["17", "Council approves bike lanes", "Eastbay Times", "J. Lee", "2024-03-15", "", LANES])
    return path


def test_an_archive_is_ingested_one_article_a_record_and_cited_from_the_record_text(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    folder = tmp_path / "dumps"
    folder.mkdir()
    news = _jsonl(
        folder / "news.jsonl",
        [*NEWSAPI, {"title": "A teaser", "url": "https://x.example/t"}, {"title": "A count", "content": 42}],
        extra_lines=("{not json\n",),
    )
    table = _csv(folder / "atn.csv")
    listed = folder / "top.json"  # a NewsAPI response: the list under "articles"
    listed.write_text(json.dumps({"status": "ok", "articles": [NEWSAPI[1]]}), encoding="utf-8")
    bot = open_assistant(tmp_path / "index", embedder)

    told: list[str] = []
    report = bot.ingest([folder], progress=lambda state: told.append(state.describe()))
    assert sorted(report.added) == [f"{table}#1", f"{news}#1", f"{news}#2"]
    # the progress counts records: "3 of 3 files read" of a folder of 3 archives read as "of 5"
    assert told and all(" articles, " in line and "files" not in line for line in told), told
    skipped = {r.path: r.reason or "" for r in report.skipped}
    assert "no article text" in skipped[f"{news}#3"] and "title, url" in skipped[f"{news}#3"]
    assert skipped[f"{news}#4"] == "no article text: its 'content' field is a number, not text"
    assert "line 5 is not JSON" in skipped[f"{news}#5"]
    assert skipped[f"{listed}#1"] == f"same text as {news}#2, read first in this run"  # the wind farm again

    answer = bot.ask("How many homes will the wind farm power?")
    assert answer.text.startswith("400,000")
    citation = answer.citations[0]
    assert (citation.title, citation.outlet, citation.published) == (
        "Wind farm gets final approval",
        "Coastal Ledger",
        "2024-03-16",
    )
    assert citation.url == "https://coastalledger.example/wind"
    assert read_text(Path(citation.path))[citation.char_start : citation.char_end] == citation.quote
    assert citation.quote in WIND

    # The CSV's text begins with a "---" line of its own: it stays text, the record's fields describe it.
    lanes = bot.ask("How many miles of bike lanes did the council approve?")
    assert lanes.citations and lanes.citations[0].outlet == "Eastbay Times"
    assert lanes.citations[0].title == "Council approves bike lanes"

    again = bot.ingest([folder])
    assert sorted(again.unchanged) == sorted(report.added) and not again.added and not again.updated

    # One record edited, one dropped: the first updates its article; the second is forgotten with --prune.
    edited = {**NEWSAPI[0], "content": STRIKE.replace("14 percent", "15 percent")}
    _jsonl(news, [edited])
    listed.unlink()
    changed = bot.ingest([folder], prune=True)
    assert changed.updated == [f"{news}#1"]
    assert len(changed.removed) == 1
    assert {a.title for a in bot.articles()} == {"Port strike ends after six weeks", "Council approves bike lanes"}
    assert "15 percent" in bot.ask("By how much does the agreement raise wages?").text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.json", "{not json", "it is not JSON"),
        ("config.json", '{"name": "settings", "debug": true}', "without a list of articles (it has: debug, name)"),
        ("people.csv", "name,age\nAna,41\n", "names no text column"),
        ("lines.jsonl", '[{"text": "a"},\n{"text": "b"}]\n', "a JSON list written over several lines"),
        ("empty.jsonl", "\n\n", "it holds no records"),
        ("cut.jsonl.gz", "not gzip at all", "cannot read it: Not a gzipped file"),
        ("photo.jsonl", "\x89PNG\r\n" + "\x1a\x00IHDR\n" * 40, "none of its first 20 records is one (#1: line 1 is not JSON"),
        # A list of questions (an eval dataset) beside the articles: one line, not one a record.
        (
            "questions.jsonl",
            '{"id": "q1", "question": "Who won?", "answerable": true}\n{"id": "q2", "question": "When?"}\n',
            "no archive of articles: none of its first 2 records is one (#1: no article text",
        ),
    ],
)
def test_a_file_that_is_no_archive_of_articles_says_why_and_fails_the_command(
    tmp_path: Path, name: str, content: str, reason: str
) -> None:
    archive = tmp_path / name
    archive.write_text(content, encoding="utf-8")
    result = run("ingest", str(archive), index=tmp_path / "index")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"skipped {archive}: " in result.stdout and reason in result.stdout
    assert "could not be ingested" in result.stderr


def test_a_record_holding_its_article_as_html_is_read_as_a_page_with_the_records_fields(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    # As news-please writes articles: the outlet a domain, the date seconds since 1970.
    body = "".join(f"<p>{paragraph}</p>" for paragraph in STRIKE.split("\n\n"))
    record = {
        "title": "Port strike ends after six weeks",
        "source_domain": "harborgazette.example",
        "authors": ["Ana Ruiz"],
        "date_publish": 1710403200,
        "url": "https://harborgazette.example/port-strike",
        "maintext": body + "<div class='promo'>Subscribe now for unlimited access to all articles</div>",
    }
    archive = _jsonl(tmp_path / "crawl.jsonl", [record])
    bot = open_assistant(tmp_path / "index", embedder)
    assert bot.ingest([archive]).added == [f"{archive}#1"]
    answer = bot.ask("By how much does the agreement raise wages?")
    citation = answer.citations[0]
    assert (citation.title, citation.outlet, citation.published, citation.url) == (
        "Port strike ends after six weeks",
        "harborgazette.example",
        "2024-03-14",
        "https://harborgazette.example/port-strike",
    )
    assert citation.path.endswith(".html")
    assert read_text(Path(citation.path))[citation.char_start : citation.char_end] == citation.quote
    assert "14 percent" in citation.quote and "<p>" not in citation.quote
    assert "Subscribe" not in " ".join(c.quote for c in answer.citations)


def test_a_gzip_compressed_archive_is_read_as_it_is(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    archive = tmp_path / "news.jsonl.gz"
    with gzip.open(archive, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(record) + "\n" for record in NEWSAPI)
    (tmp_path / "table.csv.gz").write_bytes(gzip.compress(_csv(tmp_path / "plain.csv").read_bytes()))
    (tmp_path / "plain.csv").unlink()
    bot = open_assistant(tmp_path / "index", embedder)
    report = bot.ingest([tmp_path])
    assert sorted(report.added) == [f"{archive}#1", f"{archive}#2", f"{tmp_path / 'table.csv.gz'}#1"]
    assert bot.ask("How many homes will the wind farm power?").text.startswith("400,000")


def test_a_full_disk_while_an_archive_is_read_stops_the_ingest_with_a_clear_message(
    tmp_path: Path, small_disk: Path
) -> None:
    """Each record becomes a file in the index folder: a disk that fills up while they are
    written is named as the cause (not "cannot read" the archive), and no half-written file stays."""
    records = [{"id": n, "title": f"Report {n}", "text": f"{WIND} Report number {n}.\n" * 3} for n in range(1_500)]
    archive = _jsonl(tmp_path / "big.jsonl", records)
    index = small_disk / "index"
    result = run("ingest", str(archive), index=index)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"the disk holding the index {index} is full" in result.stderr, result.stderr
    assert "cannot read" not in result.stdout + result.stderr and "Traceback" not in result.stderr
    assert not list((index / "archives").rglob("*.partial")), "no half-written record file"


def test_a_moved_or_renamed_archive_keeps_its_articles_and_an_edit_replaces_the_old_version(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    first = tmp_path / "a" / "news.jsonl"
    first.parent.mkdir()
    _jsonl(first, NEWSAPI)
    bot = open_assistant(tmp_path / "index", embedder)
    assert len(bot.ingest([first]).added) == 2
    # Moved to another folder, the same name: its articles are followed, not read again.
    moved = tmp_path / "b" / "news.jsonl"
    moved.parent.mkdir()
    first.rename(moved)
    report = bot.ingest([moved])
    assert sorted(report.moved) == [f"{moved}#1", f"{moved}#2"] and not report.added and not report.skipped
    # Renamed, and edited: with --prune, the gone archive's folder goes; nothing is indexed twice.
    renamed = tmp_path / "b" / "march.jsonl"
    moved.rename(renamed)
    _jsonl(renamed, [{**NEWSAPI[0], "content": STRIKE.replace("14 percent", "15 percent")}, NEWSAPI[1]])
    report = bot.ingest([renamed], prune=True)
    assert report.moved == [f"{renamed}#2"] and report.added == [f"{renamed}#1"] and len(report.removed) == 1
    assert len(bot.articles()) == 2
    answer = bot.ask("By how much does the agreement raise wages?")
    assert "15 percent" in answer.text and "14 percent" not in answer.text
    # Deleted: an ingest with --prune forgets its articles, whatever it was given.
    renamed.unlink()
    other = tmp_path / "c"
    other.mkdir()
    (other / "note.txt").write_text(WIND + "\n", encoding="utf-8")
    report = bot.ingest([other], prune=True)
    assert len(report.removed) == 2 and report.added == [str((other / "note.txt").resolve())]
    assert [a.path for a in bot.articles()] == [str((other / "note.txt").resolve())]


def test_an_archive_renamed_in_place_is_followed_without_prune(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """news.jsonl renamed march.jsonl, and ingested without --prune: its articles are followed as
    moved (not skipped as copies of the gone archive's files, which kept the old name's folder and
    its versions indexed); an edit of the renamed archive then replaces the only version there is."""
    first = tmp_path / "a" / "news.jsonl"
    first.parent.mkdir()
    _jsonl(first, NEWSAPI)
    bot = open_assistant(tmp_path / "index", embedder)
    assert len(bot.ingest([first]).added) == 2
    renamed = first.with_name("march.jsonl")
    first.rename(renamed)
    report = bot.ingest([renamed])
    assert sorted(report.moved) == [f"{renamed}#1", f"{renamed}#2"], report.summary()
    assert not report.added and not report.skipped, report.summary()
    homes = sorted(p.name for p in (tmp_path / "index" / "archives").iterdir())
    assert len(homes) == 1 and homes[0].startswith("march-"), homes  # the old name's folder is gone
    assert len(bot.articles()) == 2 and all("/march-" in a.path for a in bot.articles())
    _jsonl(renamed, [{**NEWSAPI[0], "content": STRIKE.replace("14 percent", "15 percent")}, NEWSAPI[1]])
    report = bot.ingest([renamed])
    assert report.updated == [f"{renamed}#1"] and report.unchanged == [f"{renamed}#2"], report.summary()
    assert len(bot.articles()) == 2
    answer = bot.ask("By how much does the agreement raise wages?")
    assert "15 percent" in answer.text and "14 percent" not in answer.text, answer.text


def test_an_api_answer_saved_as_json_is_read_with_its_nested_fields(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    # As the Guardian's content API answers: the list one level down, the text among "fields".
    answer = {
        "response": {
            "status": "ok",
            "results": [
                {
                    "id": "business/2024/mar/16/wind-farm",
                    "webTitle": "Wind farm gets final approval",
                    "webUrl": "https://coastalledger.example/wind",
                    "webPublicationDate": "2024-03-16T09:00:00Z",
                    "fields": {"bodyText": WIND, "byline": "Ana Ruiz"},
                }
            ],
        }
    }
    saved = tmp_path / "search.json"
    saved.write_text(json.dumps(answer), encoding="utf-8")
    bot = open_assistant(tmp_path / "index", embedder)
    assert bot.ingest([saved]).added == [f"{saved}#1"]
    citation = bot.ask("How many homes will the wind farm power?").citations[0]
    assert (citation.title, citation.published, citation.url) == (
        "Wind farm gets final approval",
        "2024-03-16",
        "https://coastalledger.example/wind",
    )


def test_the_date_and_headline_keys_of_common_archives_are_read(tmp_path: Path) -> None:
    """`published_date` (Kaggle sets, the New York Times), `created_at`, a time stamp, and the New
    York Times API's headline object {"main": …}."""
    records = [
        {"title": "Port strike ends", "source": "Harbor Gazette", "published_date": "2024-03-14", "text": STRIKE},
        {"headline": {"main": "Wind farm gets final approval", "kicker": "Energy"}, "created_at": "2024-03-16T09:00:00Z", "text": WIND},
        {"title": "Ferry resumes service", "timestamp": 1710576000, "text": FERRY},
    ]
    found = unpack([_jsonl(tmp_path / "news.jsonl", records)], tmp_path / "out")
    articles = sorted((build_article(path, 128, 32) for path in found.files), key=lambda a: a.title)
    assert [(a.title, a.published) for a in articles] == [
        ("Ferry resumes service", date(2024, 3, 16)),
        ("Port strike ends", date(2024, 3, 14)),
        ("Wind farm gets final approval", date(2024, 3, 16)),
    ]


def test_a_record_with_a_huge_number_or_nested_too_deeply_is_skipped_and_the_rest_ingested(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """A date of 400 digits (no float holds it) and a line of arrays 200,000 deep (json.loads runs
    out of stack) once stopped the whole run: now the deep line, and a .json file that is one such
    document, are skipped as JSON that cannot be read; the dates are no time stamp; all else is read."""
    folder = tmp_path / "dumps"
    folder.mkdir()
    deep = "[" * 200_000 + "]" * 200_000
    news = _jsonl(
        folder / "news.jsonl",
        [
            NEWSAPI[0],
            {"title": "Council approves bike lanes", "date": "1" * 400, "text": LANES.removeprefix("---\n")},
            {"title": "Wind farm gets final approval", "date_publish": 10**400, "content": WIND},
        ],
        extra_lines=(deep + "\n", json.dumps({"title": "Ferry back", "text": FERRY}) + "\n"),
    )
    (folder / "deep.json").write_text(deep, encoding="utf-8")
    bot = open_assistant(tmp_path / "index", embedder)
    report = bot.ingest([folder])
    assert sorted(report.added) == [f"{news}#{n}" for n in (1, 2, 3, 5)], report.summary()
    skipped = {r.path: r.reason or "" for r in report.skipped}
    assert skipped == {
        f"{news}#4": "line 4 is not JSON (nested too deeply to be read)",
        # 200,000 arrays in 0.4 MB: no list of articles, told before json.loads runs out of stack
        str(folder / "deep.json"): (
            "it holds 200,000 JSON objects or lists in 0.4 MB, a few bytes each: no archive of articles, "
            "whose records take hundreds (read whole, so many would take far more memory than the file's size)"
        ),
    }, skipped
    assert "400,000" in bot.ask("How many homes will the wind farm power?").text


def test_a_record_over_the_file_size_limit_is_skipped_before_anything_is_written(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """A compressed archive of a few kilobytes may unpack to a line of gigabytes: a line (JSON
    Lines, CSV) or a text (a JSON list) over the limit on one file is skipped, read past in pieces
    rather than held or written; the records around it are read."""
    huge, limit_mb = "a" * (MAX_FILE_BYTES + 1), MAX_FILE_BYTES // 2**20
    folder = tmp_path / "dumps"
    folder.mkdir()
    bomb = folder / "bomb.jsonl.gz"
    bomb.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in (NEWSAPI[0], {"text": huge}, NEWSAPI[1])).encode()))
    table = folder / "table.csv.gz"
    rows = f'title,text\nQuoted,"{huge}\nstill the same field"\nBare,{huge}\nLanes,"{LANES}"\n'
    table.write_bytes(gzip.compress(rows.encode()))
    listed = folder / "list.json.gz"
    listed.write_bytes(gzip.compress(json.dumps([{"title": "Huge", "text": huge}, {"text": FERRY}]).encode()))
    bot = open_assistant(tmp_path / "index", embedder)
    report = bot.ingest([folder])
    assert sorted(report.added) == [f"{bomb}#1", f"{bomb}#3", f"{listed}#2", f"{table}#3"], report.summary()
    skipped = {r.path: r.reason or "" for r in report.skipped}
    assert skipped == {
        f"{bomb}#2": f"line 2 is more than {limit_mb} MB, the limit for one article",
        f"{table}#1": f"line 2 is more than {limit_mb} MB, the limit for one article",
        f"{table}#2": f"line 4 is more than {limit_mb} MB, the limit for one article",
        f"{listed}#1": f"its text is more than {limit_mb} MB, the limit for one article",
    }, skipped
    written = [p for p in (tmp_path / "index" / "archives").rglob("*") if p.is_file()]
    assert written and max(p.stat().st_size for p in written) < 2**20


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("news.tsv", "utf-16-le"), ("news.jsonl", "utf-16-be"), ("news.csv", "utf-32-le"), ("news.csv.gz", "utf-8")],
)
def test_an_archive_with_a_byte_order_mark_is_decoded_by_it(
    tmp_path: Path, embedder: MiniLMEmbedder, name: str, encoding: str
) -> None:
    """UTF-16 read line by line as UTF-8 gave field names full of NULs and a line of NULs as a record."""
    if name.endswith(".jsonl"):
        records = [{"title": "Café strike ends", "text": STRIKE}, {"title": "Wind farm", "text": WIND}]
        content = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    else:
        delimiter = "\t" if name.endswith(".tsv") else ","
        content = f"title{delimiter}text\nCafé strike ends{delimiter}\"{STRIKE}\"\nWind farm{delimiter}{WIND.replace(',', '')}\n"
    data = ("\ufeff" + content).encode(encoding)
    archive = tmp_path / name
    archive.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    bot = open_assistant(tmp_path / "index", embedder)
    report = bot.ingest([archive])
    assert sorted(report.added) == [f"{archive}#1", f"{archive}#2"] and not report.skipped, report.summary()
    assert {a.title for a in bot.articles()} == {"Café strike ends", "Wind farm"}
    assert "14 percent" in bot.ask("By how much does the agreement raise wages?").text


def test_a_lone_surrogate_in_a_record_is_written_as_a_replacement_character(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """"\\ud83d" alone in JSON is no character: written as it was ("surrogatepass"), the article's
    file could not be read as text, and in a title it stopped the run; now it is U+FFFD."""
    archive = _jsonl(
        tmp_path / "news.jsonl",
        [
            {**NEWSAPI[0], "content": STRIKE.replace("six-week", "six-week \ud83d")},
            {**NEWSAPI[1], "title": "Wind farm \ud83d gets final approval", "source": {"name": "Coastal \udc00 Ledger"}},
        ],
    )
    assert "\\ud83d" in archive.read_text(encoding="utf-8")
    bot = open_assistant(tmp_path / "index", embedder)
    report = bot.ingest([archive])
    assert sorted(report.added) == [f"{archive}#1", f"{archive}#2"] and not report.skipped, report.summary()
    wages = bot.ask("By how much does the agreement raise wages?")
    assert "14 percent" in wages.text
    assert "six-week \ufffd strike" in read_text(Path(wages.citations[0].path))
    wind = bot.ask("How many homes will the wind farm power?").citations[0]
    assert (wind.title, wind.outlet) == ("Wind farm \ufffd gets final approval", "Coastal \ufffd Ledger")


def test_a_compressed_archive_made_to_fill_memory_or_time_is_refused_early(tmp_path: Path) -> None:
    """32 KB of gzip that unpacks to 32 MB of "[{},{},…]" held 1.6 GB while read (an upload to
    the page within every limit); 51 KB of compressed newlines kept the page's one upload slot
    busy for a minute; 400 KB that unpacks past a hundred times its size was read to the end.
    Each is refused with its reason, the real archive beside them read."""
    empty_objects = tmp_path / "bomb.json.gz"
    empty_objects.write_bytes(gzip.compress(b"[" + b"{}," * (11 * 2**20) + b"{}]"))
    newlines = tmp_path / "blank.jsonl.gz"
    newlines.write_bytes(gzip.compress(b"\n" * (50 * 2**20)))
    table = tmp_path / "blank.csv.gz"
    table.write_bytes(gzip.compress(b"id,title,content\r\n" + b"\r\n" * (25 * 2**20)))
    record = json.dumps({"title": "Filler", "content": "word " * 200}).encode() + b"\n"
    repeated = tmp_path / "repeated.jsonl.gz"
    repeated.write_bytes(gzip.compress(record * (80 * 2**20 // len(record))))
    real = _jsonl(tmp_path / "news.jsonl", NEWSAPI)
    found = unpack([empty_objects, newlines, table, repeated, real], tmp_path / "out")
    reasons = {r.path: r.reason or "" for r in found.skipped}
    assert "JSON objects or lists" in reasons[str(empty_objects)] and "far more memory" in reasons[str(empty_objects)]
    assert "blank lines in a row" in reasons[str(newlines)] and "blank lines in a row" in reasons[str(table)]
    assert "more than 100 times its compressed size" in reasons[str(repeated)], reasons
    assert {f"{real}#1", f"{real}#2"} <= set(found.files.values())  # the records before the limit stay read


def test_newsapis_count_of_what_it_left_out_is_no_text_of_the_article(tmp_path: Path) -> None:
    """NewsAPI cuts `content` short and says how much it left out ("… [+1520 chars]"): the count
    was indexed and quoted as the article's last words."""
    cut = {**NEWSAPI[1], "content": WIND[:120] + "… [+1520 chars]"}
    found = unpack([_jsonl(tmp_path / "top.jsonl", [cut])], tmp_path / "out")
    [written] = found.files
    text = read_text(written)
    assert WIND[:120] + "…" in text and "chars]" not in text
