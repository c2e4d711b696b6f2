"""The signed-in page in a real browser (Playwright driving Debian's Chromium): nothing before
signing in, readers without upload and remove, editors with them, a read-only page without them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from playwright.sync_api import Browser, Page, expect, sync_playwright

from assistant.search.embedding import MiniLMEmbedder
from assistant.web.access import Access
from assistant.web.page import build_app, launch
from tests.conftest import CORPUS, free_port, open_assistant
from tests.test_app_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, ask, shoot

pytestmark = pytest.mark.slow

READER = ("ann", "reader-secret")
EDITOR = ("bob", "editor-secret")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is missing: apt-get install -y chromium (make browser does it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> Iterator[dict[str, str]]:
    index = tmp_path_factory.mktemp("browser-secure-index")
    bot = open_assistant(index, embedder)
    bot.ingest([CORPUS])
    guarded_access = Access(readers=dict([READER]), editors=dict([EDITOR]))
    guarded = build_app(bot, access=guarded_access)
    read_only = build_app(open_assistant(index, embedder, read_only=True), access=Access(read_only=True))
    urls = {
        "guarded": launch(guarded, port=free_port(), block=False, access=guarded_access),
        "read_only": launch(read_only, port=free_port(), block=False, access=Access(read_only=True)),
    }
    yield urls
    guarded.close()
    read_only.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def sign_in(page: Page, url: str, user: tuple[str, str]) -> None:
    page.goto(url)
    page.get_by_label("username").fill(user[0])
    page.get_by_label("password").fill(user[1])
    page.get_by_role("button", name="Login").click()


def test_nothing_before_signing_in(page: Page, servers: dict[str, str]) -> None:
    page.goto(servers["guarded"])
    expect(page.get_by_role("button", name="Login")).to_be_visible()
    expect(page.locator("#question")).to_have_count(0)
    assert "indivisibility" not in page.content()
    sign_in(page, servers["guarded"], (READER[0], "wrong"))
    expect(page.get_by_text("Incorrect Credentials")).to_be_visible()
    expect(page.locator("#question")).to_have_count(0)
    shoot(page, "sign-in-refused")


def test_a_reader_asks_but_sees_no_upload_or_remove(page: Page, servers: dict[str, str]) -> None:
    sign_in(page, servers["guarded"], READER)
    answer = ask(page, "What did Putin say NATO ignored?")
    expect(answer.locator(".answer-text")).to_contain_text("indivisibility")
    expect(answer.locator(".cite-file").first).not_to_contain_text("/")
    page.get_by_role("tab", name="Corpus").click()
    expect(page.locator("#articles")).to_contain_text("Putin")
    expect(page.locator("#upload")).to_be_hidden()
    expect(page.locator("#upload-results")).to_be_hidden()  # an empty table of uploads it cannot make
    expect(page.locator("#remove")).to_be_hidden()
    shoot(page, "reader-corpus")


def test_an_editor_sees_upload_and_remove(page: Page, servers: dict[str, str]) -> None:
    sign_in(page, servers["guarded"], EDITOR)
    expect(page.locator("#question textarea")).to_be_visible()
    page.get_by_role("tab", name="Corpus").click()
    expect(page.locator("#upload")).to_be_visible()
    expect(page.locator("#remove")).to_be_visible()
    expect(page.locator("#upload-results")).to_be_visible()


def test_a_read_only_page_has_no_upload_or_remove(
    page: Page, servers: dict[str, str], tmp_path: Path
) -> None:
    page.goto(servers["read_only"])
    answer = ask(page, "What did Zelensky say about panic?")
    expect(answer.locator(".answer-text")).to_contain_text("panic")
    page.get_by_role("tab", name="Corpus").click()
    expect(page.locator("#articles")).to_contain_text("Putin")
    expect(page.get_by_text("This page is read-only")).to_be_visible()
    # The articles table keeps a file input of its own (Gradio's CSV paste), with no handler behind it.
    uploads = page.evaluate(
        "[...document.querySelectorAll('input[type=file]')].filter(e => !e.closest('#articles')).length"
    )
    assert uploads == 0
    assert page.locator("#upload, #remove, #remove-choice").count() == 0
    shoot(page, "read-only-corpus")
