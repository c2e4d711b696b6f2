"""The page on a network: credentials, readers and editors, read-only, limits, rate limits and no
server paths in what it sends, tested against the real server with raw HTTP and gradio_client.

Raw HTTP speaks Gradio's own queue protocol (POST /gradio_api/queue/join, then the event stream
of /gradio_api/queue/data), so that a handler hidden from the API docs is called as an attacker
would call it: by its function index.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from assistant import Assistant
from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.search.embedding import MiniLMEmbedder
from assistant.web.access import Access, check_binding, parse_credentials, read_credentials_file
from assistant.web.page import build_app, launch
from assistant.web.public import PublicPaths
from tests.conftest import CORPUS, REPO, free_port, open_assistant

pytestmark = pytest.mark.slow

READER = ("reader", "read-pw")
ASKER = ("asker", "ask-pw")  # each test that counts requests signs in as its own user
LIMITED = ("limited", "limit-pw")
WATCHER = ("watcher", "watch-pw")
EDITOR = ("editor", "edit-pw")
CROSS = ("cross", "cross-pw")  # an editor whose requests come from other sites' pages
ARTICLE = """Tolk Gazette

Snarvel bridge reopens

The Snarvel bridge in Tolk reopened on Monday after four years of repairs, the mayor said.
"""


class Server:
    """A served page: its URL, the assistant behind it, and the folders a path must never show."""

    def __init__(self, url: str, bot: Assistant, secrets: list[str]) -> None:
        self.url = url.rstrip("/")
        self.bot = bot
        self.secrets = secrets

    def config(self, http: httpx.Client) -> dict[str, Any]:
        response = http.get(f"{self.url}/config")
        response.raise_for_status()
        config: dict[str, Any] = response.json()
        return config


def serve(bot: Assistant, access: Access) -> tuple[Any, str]:
    demo = build_app(bot, access=access)
    url = launch(demo, port=free_port(), block=False, access=access)
    return demo, url


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Path:
    folder = tmp_path_factory.mktemp("secure-index")
    report = open_assistant(folder, embedder).ingest([CORPUS])
    assert len(report.added) == 5
    return folder


@pytest.fixture(scope="module")
def guarded(index_dir: Path, embedder: MiniLMEmbedder) -> Iterator[Server]:
    """Readers and editors, and tight limits: 6 questions a minute, 2 files an upload."""
    bot = open_assistant(index_dir, embedder, ask_rate_per_minute=6, upload_max_files=2, max_history_turns=3)
    access = Access(readers=dict([READER, ASKER, LIMITED, WATCHER]), editors=dict([EDITOR, CROSS]))
    demo, url = serve(bot, access)
    yield Server(url, bot, [str(index_dir), str(REPO), str(Path.cwd())])
    demo.close()


@pytest.fixture(scope="module")
def read_only(index_dir: Path, embedder: MiniLMEmbedder) -> Iterator[Server]:
    bot = open_assistant(index_dir, embedder, read_only=True)
    demo, url = serve(bot, Access(read_only=True))
    yield Server(url, bot, [str(index_dir), str(REPO)])
    demo.close()


def signed_in(server: Server, user: tuple[str, str] | None) -> httpx.Client:
    http = httpx.Client(timeout=60)
    if user is not None:
        response = http.post(f"{server.url}/login", data={"username": user[0], "password": user[1]})
        assert response.status_code == 200, response.text
    return http


def queue_call(
    server: Server, http: httpx.Client, fn_index: int, data: list[Any], session: str | None = None
) -> dict[str, Any]:
    """Run one event by its index through the queue (in `session`, else a new one); the last
    message of its stream."""
    session = session or uuid.uuid4().hex
    joined = http.post(
        f"{server.url}/gradio_api/queue/join",
        json={
            "data": data,
            "fn_index": fn_index,
            "session_hash": session,
            "event_data": None,
            "trigger_id": None,
        },
    )
    if joined.status_code != 200:
        return {"status": joined.status_code, "msg": "refused", "text": joined.text}
    last: dict[str, Any] = {}
    with http.stream(
        "GET", f"{server.url}/gradio_api/queue/data", params={"session_hash": session}
    ) as stream:
        for line in stream.iter_lines():
            if not line.startswith("data:"):
                continue
            last = json.loads(line[5:])
            if last.get("msg") in ("process_completed", "unexpected_error"):
                break
    return last


def uploaded(server: Server, http: httpx.Client, path: Path) -> dict[str, Any]:
    """A file put in Gradio's upload cache, as a FileData payload."""
    with path.open("rb") as handle:
        response = http.post(f"{server.url}/gradio_api/upload", files={"files": (path.name, handle)})
    response.raise_for_status()
    server_path = response.json()[0]
    return {"path": server_path, "orig_name": path.name, "meta": {"_type": "gradio.FileData"}}


def payloads(server: Server, file: dict[str, Any], doc_id: str) -> list[list[Any]]:
    """Inputs that would add a file or remove an article, whatever an event takes."""
    return [[[file]], [doc_id], [file], ["What did Putin say NATO ignored?", [], []]]


def assert_nothing_absolute(server: Server, payload: Any) -> None:
    text = json.dumps(payload)
    for secret in server.secrets:
        assert secret not in text, f"{secret} appears in {text[:500]}"


# ------------------------------------------------------------------ without credentials


@pytest.mark.parametrize(
    ("method", "route"),
    [
        ("GET", "/config"),
        ("GET", "/gradio_api/info"),
        ("GET", "/gradio_api/openapi.json"),
        ("POST", "/gradio_api/queue/join"),
        ("GET", "/gradio_api/queue/data?session_hash=x"),
        ("POST", "/gradio_api/call/ask"),
        ("POST", "/gradio_api/upload"),
        ("GET", f"/gradio_api/file={CORPUS / '000_6ad6e53ae49aa3fe.txt'}"),
    ],
)
def test_without_credentials_nothing_is_answered(guarded: Server, method: str, route: str) -> None:
    response = httpx.request(method, guarded.url + route, json={"data": ["q", []]}, timeout=30)
    assert response.status_code in (401, 403), (route, response.status_code, response.text[:300])
    assert "indivisibility" not in response.text


def test_wrong_password_is_refused(guarded: Server) -> None:
    response = httpx.post(f"{guarded.url}/login", data={"username": READER[0], "password": "guess"})
    assert response.status_code == 400
    assert httpx.get(f"{guarded.url}/config", cookies=response.cookies).status_code == 401


def test_without_credentials_gradio_client_cannot_connect(guarded: Server) -> None:
    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own kinds here
        Client(guarded.url, verbose=False, download_files=False)


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://127.0.0.1.evil.example"])
def test_another_sites_page_cannot_act_with_a_signed_in_editors_cookie(guarded: Server, origin: str) -> None:
    """Gradio answered any origin's requests with credentials (Access-Control-Allow-Origin
    reflected, Allow-Credentials true) once reached by a name other than localhost: a page on
    any site an editor visited could read answers and remove articles with the editor's cookie."""
    http = signed_in(guarded, CROSS)
    body = {"data": ["What did Putin say NATO ignored?", [], None]}
    refused = http.post(f"{guarded.url}/gradio_api/call/ask", json=body, headers={"Origin": origin})
    assert refused.status_code == 403 and "another site" in refused.text
    through = {"Origin": "https://news.example.org", "Host": "evil.example"}
    assert http.post(f"{guarded.url}/gradio_api/call/ask", json=body, headers=through).status_code == 403


def test_the_pages_own_requests_and_scripts_are_answered_and_no_other_site_frames_it(guarded: Server) -> None:
    http = signed_in(guarded, CROSS)
    body = {"data": ["What did Putin say NATO ignored?", [], None]}
    behind_a_proxy = {"Origin": "https://news.example.org", "Host": "news.example.org"}
    on_a_port = {"Origin": "https://news.example.org:8443", "Host": "news.example.org"}  # a proxy's $host
    for same in ({"Origin": guarded.url}, behind_a_proxy, on_a_port, {}):  # the page, through a proxy, a script
        response = http.post(f"{guarded.url}/gradio_api/call/ask", json=body, headers=same)
        assert response.status_code == 200 and "event_id" in response.json(), (same, response.text)
    page = http.get(guarded.url + "/")
    assert page.headers["x-frame-options"] == "SAMEORIGIN"
    assert page.headers["content-security-policy"] == "frame-ancestors 'self'"


# ------------------------------------------------------------------ readers


def test_reader_asks_and_sees_no_server_paths(guarded: Server) -> None:
    client = Client(guarded.url, auth=READER, verbose=False, download_files=False)
    answer = client.predict("What did Putin say NATO ignored?", [], api_name="/ask")
    assert "indivisibility" in answer["answer"]
    assert answer["citations"]
    for citation in answer["citations"]:
        assert not Path(citation["path"]).is_absolute(), citation["path"]
        assert citation["path"].startswith("corpus/"), citation["path"]
        source = (REPO / citation["path"]).read_text(encoding="utf-8")
        assert source[citation["char_start"] : citation["char_end"]] == citation["quote"]
    assert_nothing_absolute(guarded, answer)


def test_reader_cannot_upload_or_remove_by_any_function_index(guarded: Server, tmp_path: Path) -> None:
    before = guarded.bot.articles()
    http = signed_in(guarded, READER)
    config = guarded.config(http)
    article = tmp_path / "snarvel.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    file = uploaded(guarded, http, article)
    refusals = 0
    session = uuid.uuid4().hex  # one visit: the article list it loads makes the doc id a valid choice
    for fn_index in [*range(len(config["dependencies"]))] * 2:
        for data in payloads(guarded, file, before[0].doc_id):
            outcome = queue_call(guarded, http, fn_index, data, session)
            text = json.dumps(outcome)
            assert "Traceback" not in text
            assert_nothing_absolute(guarded, outcome)
            refusals += "only editors may" in text
    assert refusals >= 2, "ingest and remove should both have refused the reader"
    assert guarded.bot.articles() == before, "a reader changed the corpus"
    assert not (guarded.bot.settings.index_dir / "uploads").exists() or not any(
        (guarded.bot.settings.index_dir / "uploads").rglob("snarvel.txt")
    )


def test_reader_is_refused_by_the_named_ingest_endpoint(guarded: Server, tmp_path: Path) -> None:
    article = tmp_path / "snarvel.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    client = Client(guarded.url, auth=READER, verbose=False, download_files=False)
    with pytest.raises(AppError, match="only editors may add articles"):
        client.predict([handle_file(str(article))], api_name="/ingest")


# ------------------------------------------------------------------ editors


def test_editor_adds_an_article_and_sees_relative_paths(guarded: Server, tmp_path: Path) -> None:
    article = tmp_path / "snarvel.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    twin = tmp_path / "snarvel-copy.txt"
    twin.write_text(ARTICLE, encoding="utf-8")
    client = Client(guarded.url, auth=EDITOR, verbose=False, download_files=False)
    results = client.predict([handle_file(str(article))], api_name="/ingest")
    assert [r["outcome"] for r in results] == ["added"]
    try:
        again = client.predict([handle_file(str(twin))], api_name="/ingest")
        assert again[0]["outcome"] == "skipped" and "same text as uploads/" in again[0]["reason"]
        assert_nothing_absolute(guarded, again)
        answer = client.predict("When did the Snarvel bridge reopen?", [], api_name="/ask")
        assert "Monday" in answer["answer"]
        assert answer["citations"][0]["path"].startswith("uploads/")
        assert answer["citations"][0]["path"].endswith("/snarvel.txt")
        assert_nothing_absolute(guarded, answer)
    finally:
        guarded.bot.remove(results[0]["doc_id"])


def test_a_gzip_compressed_archive_is_added_as_the_command_line_adds_it(guarded: Server, tmp_path: Path) -> None:
    """news.jsonl.gz, as dumps are shipped: refused as "Invalid file type" before."""
    import gzip

    archive = tmp_path / "news.jsonl.gz"
    with gzip.open(archive, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"title": "Snarvel bridge reopens", "outlet": "Tolk Times", "text": ARTICLE}) + "\n")
    client = Client(guarded.url, auth=EDITOR, verbose=False, download_files=False)
    results = client.predict([handle_file(str(archive))], api_name="/ingest")
    assert [r["outcome"] for r in results] == ["added"] and results[0]["file"].startswith("news.jsonl.gz")
    guarded.bot.remove(results[0]["doc_id"])


def test_an_index_folder_removed_while_the_page_runs_is_said_to_be_gone(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """Questions, the article list and uploads say the folder is gone (they said "something went
    wrong (error …)", an upload "another IndexWriter is working"), and an upload does not make
    the folder again in part (its lock file and uploads folder)."""
    import shutil

    folder = tmp_path / "index"
    bot = open_assistant(folder, embedder)
    bot.ingest([CORPUS])
    access = Access(editors=dict([EDITOR]))
    demo, url = serve(bot, access)
    try:
        client = Client(url, auth=EDITOR, verbose=False, download_files=False)
        assert "indivisibility" in client.predict("What did Putin say NATO ignored?", [], api_name="/ask")["answer"]
        shutil.rmtree(folder)
        try:  # answered from the files the process holds open, or told: never "error <id>"
            client.predict("What did Putin say NATO ignored?", [], api_name="/ask")
        except AppError as exc:
            assert "the index folder index is gone" in str(exc), exc
        article = tmp_path / "snarvel.txt"
        article.write_text(ARTICLE, encoding="utf-8")
        with pytest.raises(AppError, match="the index folder index is gone"):
            client.predict([handle_file(str(article))], api_name="/ingest")
        assert not folder.exists()
    finally:
        demo.close()


def test_one_upload_holds_at_most_the_configured_files(guarded: Server, tmp_path: Path) -> None:
    files = []
    for n in range(3):
        path = tmp_path / f"a{n}.txt"
        path.write_text(ARTICLE.replace("Monday", f"day {n}"), encoding="utf-8")
        files.append(handle_file(str(path)))
    client = Client(guarded.url, auth=EDITOR, verbose=False, download_files=False)
    with pytest.raises(AppError, match="3 files in one upload; add at most 2"):
        client.predict(files, api_name="/ingest")


# ------------------------------------------------------------------ limits


def test_history_limits_are_clear_errors(guarded: Server) -> None:
    client = Client(guarded.url, auth=ASKER, verbose=False, download_files=False)
    with pytest.raises(AppError, match="4 earlier turns; send at most the last 3"):
        client.predict("And then?", [["q", "a"]] * 4, api_name="/ask")
    with pytest.raises(AppError, match="conversation is 20002 characters long"):
        client.predict("And then?", [["q" * 10001, "a" * 10001]], api_name="/ask")
    with pytest.raises(AppError, match="question is 2001 characters long"):
        client.predict("x" * 2001, [], api_name="/ask")
    with pytest.raises(AppError, match=r"list of \[question, answer\] pairs"):
        client.predict("And then?", [["only one"]], api_name="/ask")


def test_asking_too_often_is_a_429(guarded: Server) -> None:
    client = Client(guarded.url, auth=LIMITED, verbose=False, download_files=False)
    messages = []
    for _ in range(8):
        try:
            client.predict("What did Zelensky say about panic?", [], api_name="/ask")
        except AppError as exc:
            messages.append(str(exc))
    assert messages, "eight questions within a minute should pass a limit of six"
    assert "too many requests (429): at most 6 questions a minute" in messages[-1]


# ------------------------------------------------------------------ read-only


def test_read_only_page_mounts_no_write_handler(read_only: Server, tmp_path: Path) -> None:
    before = read_only.bot.articles()
    http = signed_in(read_only, None)
    config = read_only.config(http)
    names = {d.get("api_name") for d in config["dependencies"]}
    assert "ingest" not in names and "ask" in names
    element_ids = {c.get("props", {}).get("elem_id") for c in config["components"]}
    assert not element_ids & {"upload", "remove", "remove-choice", "upload-results"}
    assert not any(c.get("type") == "file" for c in config["components"])
    article = tmp_path / "snarvel.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with article.open("rb") as handle:
        refused = http.post(f"{read_only.url}/gradio_api/upload", files={"files": (article.name, handle)})
    assert refused.status_code == 413, "a read-only page takes no file into Gradio's cache either"
    file = {"path": str(article), "orig_name": article.name, "meta": {"_type": "gradio.FileData"}}
    for fn_index in range(len(config["dependencies"])):
        for data in payloads(read_only, file, before[0].doc_id):
            outcome = queue_call(read_only, http, fn_index, data)
            assert "Traceback" not in json.dumps(outcome)
    assert read_only.bot.articles() == before


# ------------------------------------------------------------------ starting the server


def test_an_open_page_is_refused_beyond_loopback() -> None:
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        check_binding(host, Access(), public=False)
    with pytest.raises(ConfigError, match=r"refusing to serve the page on 0\.0\.0\.0 without a password"):
        check_binding("0.0.0.0", Access(), public=False)
    check_binding("0.0.0.0", Access(), public=True)
    check_binding("0.0.0.0", Access(readers={"a": "b"}), public=False)


def test_serve_on_all_addresses_without_auth_exits_with_the_reason(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "ASSISTANT_INDEX_DIR": str(tmp_path / "index")}
    run = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "serve", "--host", "0.0.0.0", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 2, run.stderr
    assert "refusing to serve the page on 0.0.0.0" in run.stderr and "--public" in run.stderr
    assert "Traceback" not in run.stderr


def test_credentials_come_from_settings_and_files(tmp_path: Path) -> None:
    assert parse_credentials("ann:pw1, bob:p:w:2\ncat:x", "auth") == {
        "ann": "pw1",
        "bob": "p:w:2",
        "cat": "x",
    }
    with pytest.raises(ConfigError, match="USER:PASSWORD"):
        parse_credentials("ann", "auth")
    with pytest.raises(ConfigError, match="no password"):
        parse_credentials("ann:", "auth")
    with pytest.raises(ConfigError, match="one of them has no user name"):  # was "no password"
        parse_credentials(":pw", "auth")
    file = tmp_path / "users"
    file.write_text("# who may use the page\nreader ann:pw 1\neditor bob:secret\n", encoding="utf-8")
    assert read_credentials_file(file) == ({"ann": "pw 1"}, {"bob": "secret"})
    file.write_text("admin root:x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 1: begin the line with 'reader' or 'editor'"):
        read_credentials_file(file)
    settings = Settings.load(environ={"ASSISTANT_AUTH": "ann:pw", "ASSISTANT_EDITOR_AUTH": "bob:pw2"})
    access = Access.from_settings(settings)
    assert access.login("ann", "pw") and access.login("bob", "pw2") and not access.login("ann", "pw2")
    assert access.can_edit("bob") and not access.can_edit("ann") and not access.can_edit(None)
    assert not Access(readers={"ann": "pw"}).writes_mounted, "readers only: nobody may edit"
    assert "pw" not in repr(settings) and "pw" not in repr(access)


def test_server_paths_become_relative_in_any_message(tmp_path: Path) -> None:
    paths = PublicPaths({tmp_path / "index" / "uploads": "uploads", tmp_path: ""})
    assert paths.path(str(tmp_path / "index" / "uploads" / "ab12" / "x.txt")) == "uploads/ab12/x.txt"
    assert paths.path(str(tmp_path / "corpus" / "a b.txt")) == "corpus/a b.txt"
    assert paths.path("/etc/news/secret-folder/a.txt") == "a.txt"
    assert paths.path("https://example.org/news/a.html") == "https://example.org/news/a.html"
    assert paths.path("corpus/a.txt") == "corpus/a.txt"
    message = (
        f"same text as {tmp_path}/corpus/a.txt, already indexed; the index at /var/lib/news/index "
        "holds none (http://127.0.0.1:8080/v1 unreachable)"
    )
    assert paths.text(message) == (
        "same text as corpus/a.txt, already indexed; the index at index holds none "
        "(http://127.0.0.1:8080/v1 unreachable)"
    )


def test_while_an_upload_is_added_a_second_is_refused_and_questions_answered(
    guarded: Server, tmp_path: Path
) -> None:
    squad = json.loads((REPO / "evals" / "data" / "squad-dev-v1.1-part1.json").read_text(encoding="utf-8"))
    paragraphs = [p["context"] for article in squad["data"][:3] for p in article["paragraphs"]]
    big = tmp_path / "long-read.txt"
    big.write_text("A long read\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    small = tmp_path / "snarvel.txt"
    small.write_text(ARTICLE, encoding="utf-8")
    first, second = (Client(guarded.url, auth=EDITOR, verbose=False, download_files=False) for _ in range(2))
    job = first.submit([handle_file(str(big))], api_name="/ingest")
    deadline = time.monotonic() + 60
    while job.status().code.name != "PROCESSING" and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # well inside the minute of embedding the long read takes
    with pytest.raises(AppError, match=r"1 upload\(s\) are being added already"):
        second.predict([handle_file(str(small))], api_name="/ingest")
    reader = Client(guarded.url, auth=WATCHER, verbose=False, download_files=False)
    answer = reader.predict("What did Putin say NATO ignored?", [], api_name="/ask")
    assert "indivisibility" in answer["answer"]
    assert not job.done(), "the question should be answered while the upload is still being added"
    results = job.result(timeout=600)
    assert [r["outcome"] for r in results] == ["added"]
    guarded.bot.remove(results[0]["doc_id"])
