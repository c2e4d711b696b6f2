"""Shared fixtures: the real embedding model, real Chroma in temporary folders."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from assistant import Assistant, Settings
from assistant.search.embedding import MiniLMEmbedder

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
CITATION_FIELDS = {
    "marker",
    "doc_id",
    "title",
    "outlet",
    "published",
    "path",
    "quote",
    "text",
    "char_start",
    "char_end",
    "url",
}


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def open_assistant(index_dir: Path, embedder: MiniLMEmbedder, **settings: object) -> Assistant:
    return Assistant(Settings.from_mapping({"index_dir": index_dir, **settings}), embedder=embedder)


def bot_over(root: Path, embedder: MiniLMEmbedder, articles: dict[str, str]) -> Assistant:
    """An assistant over a folder of these articles (file name: text), written for a test: the
    folder is `root`/articles, the index `root`/index."""
    folder = root / "articles"
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    bot = open_assistant(root / "index", embedder)
    bot.ingest(folder)
    return bot


@pytest.fixture(scope="session")
def sample_bot(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Iterator[Assistant]:
    """An assistant over the shipped sample corpus; tests must not change it."""
    bot = open_assistant(tmp_path_factory.mktemp("sample-index"), embedder)
    report = bot.ingest([CORPUS])
    assert len(report.added) == 5, report.summary()
    yield bot


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for file in CORPUS.glob("*.txt"):
        (folder / file.name).write_bytes(file.read_bytes())
    return folder


def update_with_a_detained_reporter(folder: Path) -> Path:
    """Change one article of a copy of the sample corpus (Korrespondent's, 002) so that it says
    something no other does: "The Elysee said Macron also raised the fate of a detained
    reporter." Its path."""
    changed = next(folder.glob("002_*.txt"))
    changed.write_text(
        changed.read_text(encoding="utf-8").replace(
            "Our readers are reading too",
            "The Elysee said Macron also raised the fate of a detained reporter.\n\nOur readers are reading too",
        ),
        encoding="utf-8",
    )
    return changed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def app_server(
    tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder
) -> Iterator[tuple[str, Assistant]]:
    """The real chat page over the five sample articles, served on a free local port."""
    from assistant.web.page import build_app, launch

    bot = open_assistant(tmp_path_factory.mktemp("app-index"), embedder)
    report = bot.ingest([CORPUS])
    assert len(report.added) == 5, report.summary()
    demo = build_app(bot)
    url = launch(demo, port=free_port(), block=False)
    yield url, bot
    demo.close()


@contextmanager
def running_chroma(data: Path, port: int | None = None) -> Iterator[str]:
    """A real `chroma run` server over the folder `data`, on `port` (a free one by default); its URL."""
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = port or free_port()
    process = subprocess.Popen(
        [chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            pytest.fail("chroma run did not start within 60 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_chroma(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real file system of 3 MB (tmpfs), where this machine lets the tests mount one (as root,
    as CI runs); the test that needs it is skipped elsewhere."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    mounted = os.geteuid() == 0 and (
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True).returncode
        == 0
    )
    if not mounted:
        pytest.skip("mounting a small file system needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
