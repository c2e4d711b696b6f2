"""app.py the way Gradio apps start: `python app.py` (GRADIO_SERVER_PORT honoured), `gradio app.py`
(reloads on edits), and `import app` for its module-level `demo`; real subprocesses, real HTTP."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from gradio_client import Client

from tests.conftest import REPO, free_port, running_chroma

pytestmark = pytest.mark.slow
GRADIO = Path(sys.executable).parent / "gradio"


def environment(index: Path, port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "GRADIO_SERVER_PORT": str(port),
        "ASSISTANT_INDEX_DIR": str(index),
    }
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_CHROMA_URL", "GRADIO_SERVER_NAME"):
        env.pop(name, None)
    return env


def page_config(url: str) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"{url}/config", timeout=5) as response:
            config: dict[str, object] = json.loads(response.read())
            return config
    except OSError:
        return None


def holds_within(
    check: Callable[[], bool], process: subprocess.Popen[bytes], log: Path, seconds: float
) -> bool:
    """Whether `check` holds within `seconds`; fails at once if the app exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        if process.poll() is not None:
            pytest.fail(f"the app exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        time.sleep(0.5)
    return False


def wait_for(
    check: Callable[[], bool], process: subprocess.Popen[bytes], log: Path, seconds: float = 120
) -> None:
    if not holds_within(check, process, log, seconds):
        pytest.fail(f"the page did not come up in time:\n{log.read_text(errors='replace')}")


@contextmanager
def running(
    command: list[str], cwd: Path, env: dict[str, str]
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """The command in its own process group (`gradio app.py` runs app.py in a child), its output
    in a file; the whole group is stopped at the end."""
    log = cwd / "app.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process, log
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.mark.parametrize(
    "command",
    [[sys.executable, str(REPO / "app.py")], [sys.executable, "-m", "assistant.cli", "serve"]],
    ids=["python app.py", "assistant serve"],
)
def test_the_page_is_served_on_gradio_server_port(tmp_path: Path, command: list[str]) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running(command, tmp_path, environment(tmp_path / "index", port)) as (app, log):
        wait_for(lambda: page_config(url) is not None, app, log)
        config = page_config(url)
        assert config is not None and config["title"] == "News assistant"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200 and "text/html" in response.headers["content-type"]
        # The index was empty: the sample articles were added before serving, and /ask answers.
        answer = Client(url, verbose=False, download_files=False).predict(
            "What did Putin say NATO ignored?", [], api_name="/ask"
        )
        assert "indivisibility" in answer["answer"] and answer["citations"]
    assert (tmp_path / "index" / "chroma.sqlite3").is_file()


def test_the_page_waits_for_a_chroma_server_that_starts_after_it(tmp_path: Path) -> None:
    """`assistant serve` against a Chroma server not yet started (two containers started
    together): it says what it waits for, and serves once the server answers, instead of
    stopping at once (a review of many processes, 2026-12-06)."""
    port, chroma_port = free_port(), free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**environment(tmp_path / "index", port), "ASSISTANT_CHROMA_URL": f"http://127.0.0.1:{chroma_port}"}
    command = [sys.executable, "-m", "assistant.cli", "serve"]
    with running(command, tmp_path, env) as (app, log):
        wait_for(lambda: "Waiting up to 60 s for it to start" in log.read_text(errors="replace"), app, log, 60)
        assert page_config(url) is None  # not served before the index is open
        with running_chroma(tmp_path / "chroma", chroma_port):
            wait_for(lambda: page_config(url) is not None, app, log)
            answer = Client(url, verbose=False, download_files=False).predict(
                "What did Putin say NATO ignored?", [], api_name="/ask"
            )
            assert "indivisibility" in answer["answer"] and answer["citations"]
    assert "The Chroma server answers." in log.read_text(errors="replace")


def test_the_page_does_not_wait_for_a_server_of_another_kind(tmp_path: Path) -> None:
    """Something that answers HTTP at the address, not as Chroma, will not become a Chroma
    server: `assistant serve` stops at once and says what answers there."""
    other = ThreadingHTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        port = free_port()
        env = {**environment(tmp_path / "index", port), "ASSISTANT_CHROMA_URL": f"http://127.0.0.1:{other.server_port}"}
        result = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "serve"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=50
        )
    finally:
        other.shutdown()
    assert result.returncode == 1 and "something else answers on that port" in result.stderr, result.stderr
    assert "Waiting" not in result.stderr


def test_import_app_builds_demo_without_opening_the_index(tmp_path: Path) -> None:
    probe = "import gradio as gr, app\nassert isinstance(app.demo, gr.Blocks)\nprint(app.demo.title)\n"
    index = tmp_path / "index"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**environment(index, free_port()), "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "News assistant"
    assert not index.exists()  # the index is opened when the page is first used, not at import

    (tmp_path / "assistant.toml").write_text("top_k = 0\n", encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=tmp_path,
        env=environment(index, free_port()),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1
    assert "app.py: configuration error: top_k must be between 1 and 50" in bad.stderr
    assert "Traceback" not in bad.stderr

    (tmp_path / "assistant.toml").unlink()
    bad_port = subprocess.run(
        [sys.executable, str(REPO / "app.py")],
        cwd=tmp_path,
        env={**environment(index, free_port()), "GRADIO_SERVER_PORT": "http"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad_port.returncode == 1 and "Traceback" not in bad_port.stderr, bad_port.stderr
    assert "GRADIO_SERVER_PORT must be a port number, not 'http'" in bad_port.stderr
    assert not index.exists()


@pytest.mark.skipif(not GRADIO.exists(), reason="the gradio command is not installed beside this Python")
def test_gradio_app_py_reloads_the_page_when_it_is_edited(tmp_path: Path) -> None:
    app_copy = tmp_path / "app.py"
    shutil.copyfile(REPO / "app.py", app_copy)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running([str(GRADIO), "app.py"], tmp_path, environment(tmp_path / "index", port)) as (app, log):
        wait_for(lambda: page_config(url) is not None, app, log)
        assert page_config(url)["title"] == "News assistant"  # type: ignore[index]
        source = app_copy.read_text(encoding="utf-8") + '\ndemo.title = "News assistant (edited)"\n'
        # gradio's watcher runs app.py once more in its own thread before it first notes the
        # files' times, so on a busy machine an edit can land before that note and never be seen:
        # the edit is written again (a newer file time) every 10 s, 60 s in all as before.
        for attempt in range(6):
            time.sleep(1.0)  # file times have a coarse grain on some file systems
            app_copy.write_text(source + "\n" * attempt, encoding="utf-8")
            if holds_within(
                lambda: (page_config(url) or {}).get("title") == "News assistant (edited)", app, log, 9
            ):
                break
        else:
            pytest.fail(
                f"the page was not reloaded after app.py was edited:\n{log.read_text(errors='replace')}"
            )
