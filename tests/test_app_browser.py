"""The chat page in a real browser: Playwright driving Debian's Chromium.

Screenshots go to test-artifacts/. With ASSISTANT_UPDATE_SCREENSHOT=1, the
answer-with-evidence view is also saved as docs/screenshot.png for the README.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from assistant import Assistant
from assistant.ingest.loading import read_text
from tests.conftest import REPO

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO / "test-artifacts"
TIMEOUT_MS = 20_000
# Assertions wait as long as actions do (Playwright's own default, 5 s, is short for a page
# loading on two busy cores).
expect.set_options(timeout=TIMEOUT_MS)
FESTIVAL = """Wexford Courier

Glorp festival draws record crowds

The Glorp festival in Wexford drew twelve thousand visitors on Sunday, organisers said.

The festival's giant puffin parade was led by Orla Brennick, the town's oldest fisherwoman.
"""
HOSTILE = """<script>window.__pwned=1</script> Hostile Herald

Hostile Herald

The Snarvel bridge in Tolk <img src=x onerror="window.__pwned=2"> reopened on Monday \
<script>window.__pwned=1</script> after four years of repairs.
"""


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


@pytest.fixture()
def page(browser: Browser, app_server: tuple[str, Assistant]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(app_server[0])
    expect(page.locator("#question textarea")).to_be_visible()
    yield page
    context.close()


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def ask(page: Page, question: str) -> Locator:
    """Ask in the chat; the finished answer (its sources list shown)."""
    answers = page.locator("#chat .answer")
    before = answers.count()
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    expect(answers).to_have_count(before + 1)
    answer = answers.nth(before)
    expect(answer.locator(".answer-meta")).to_be_visible()
    return answer


def upload(page: Page, file: Path) -> None:
    page.get_by_role("tab", name="Corpus").click()
    page.locator("#upload input[type=file]").set_input_files(str(file))
    expect(page.locator("#upload-results")).to_contain_text(file.name)


def remove(page: Page, title: str) -> None:
    page.get_by_role("tab", name="Corpus").click()
    page.locator("#remove-choice input").click()
    page.get_by_role("option", name=title).click()
    page.locator("#remove").click()
    expect(page.locator("#articles")).not_to_contain_text(title)
    expect(page.get_by_test_id("toast-text").last).to_contain_text(title)


def test_answer_streams_in_with_clickable_citations(page: Page, app_server: tuple[str, Assistant]) -> None:
    question = "What did Zelensky tell a news conference?"
    expected = app_server[1].ask(question)
    expect(page.locator("#mode-label")).to_have_text("offline (extractive)")
    # Record every length the answer text passes through while it streams in.
    page.evaluate(
        """() => {
        window.__lengths = [];
        new MutationObserver(() => {
            const texts = document.querySelectorAll('#chat .answer-text');
            if (texts.length) { window.__lengths.push(texts[texts.length - 1].textContent.length); }
        }).observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true});
    }"""
    )
    answer = ask(page, question)
    lengths: list[int] = page.evaluate("window.__lengths")
    steps = sorted(set(lengths))
    assert len(steps) >= 4, f"the answer should appear in steps, saw lengths {steps}"
    expect(answer.locator(".answer-text")).to_contain_text(expected.statements[0].text)
    expect(answer.locator(".sources li")).not_to_have_count(0)
    # what the articles wrote stays isolated for direction in the page (<bdi> survives the chat's sanitizer)
    expect(answer.locator(".answer-text bdi")).to_have_count(len(expected.statements))
    expect(answer.locator(".sources li bdi").first).to_have_text(expected.citations[0].title)

    first = expected.citations[0]
    evidence = answer.locator("details.cite").first
    expect(evidence).not_to_have_attribute("open", "")
    answer.locator(".answer-text a.cite-ref").first.click()
    expect(evidence).to_have_attribute("open", "")
    expect(evidence.locator(".cite-title")).to_have_text(first.title)
    expect(evidence.locator("mark")).to_have_text(first.quote)
    source = read_text(Path(first.path))
    paragraph = source[source.rfind("\n", 0, first.char_start) + 1 : source.find("\n", first.char_end)]
    assert len(paragraph) > len(first.quote), "pick a question whose first quote has context around it"
    expect(evidence.locator(".cite-para")).to_have_text(paragraph)

    page.get_by_text("Copy the last answer as Markdown").click()
    expect(page.locator("#answer-markdown")).to_contain_text(f"[1] {first.title}")
    shoot(page, "answer-with-evidence")
    if os.environ.get("ASSISTANT_UPDATE_SCREENSHOT") == "1":
        page.get_by_text("Copy the last answer as Markdown").click()
        evidence.scroll_into_view_if_needed()
        page.wait_for_timeout(1600)  # the opened evidence's outline fades
        page.screenshot(path=str(REPO / "docs" / "screenshot.png"))


def test_follow_up_and_new_chat(page: Page) -> None:
    ask(page, "What did Putin and Macron discuss on January 28?")
    follow_up = ask(page, "Did they also talk about nuclear energy?")
    expect(follow_up.locator(".answer-text")).to_contain_text("nuclear energy")
    shoot(page, "follow-up")
    page.locator("#new-chat").click()
    expect(page.locator("#chat .answer")).to_have_count(0)
    example = page.get_by_text("Who initiated the February 12 call?")
    expect(example).to_be_visible()
    example.click()
    expect(page.locator("#chat .answer .answer-text")).to_contain_text("initiative of the French side")


def test_upload_then_ask_then_remove(page: Page, tmp_path: Path) -> None:
    article = tmp_path / "glorp_festival.md"
    article.write_text(FESTIVAL, encoding="utf-8")
    upload(page, article)
    expect(page.locator("#upload-results")).to_contain_text("added")
    expect(page.locator("#articles")).to_contain_text("Glorp festival draws record crowds")
    shoot(page, "corpus-after-upload")

    page.get_by_role("tab", name="Chat").click()
    answer = ask(page, "Who led the giant puffin parade?")
    expect(answer.locator(".answer-text")).to_contain_text("Orla Brennick")
    expect(answer.locator(".sources")).to_contain_text("Glorp festival draws record crowds")

    remove(page, "Glorp festival draws record crowds")


def test_uploaded_markup_shows_as_text(page: Page, tmp_path: Path, app_server: tuple[str, Assistant]) -> None:
    article = tmp_path / "hostile.txt"
    article.write_text(HOSTILE, encoding="utf-8")
    upload(page, article)
    expect(page.locator("#upload-results")).to_contain_text("added")
    title = next(a.title for a in app_server[1].articles() if Path(a.path).name == "hostile.txt")
    expect(page.locator("#articles")).to_contain_text(title)

    page.get_by_role("tab", name="Chat").click()
    answer = ask(page, "When did the Snarvel bridge reopen?")
    expect(answer.locator(".answer-text")).to_contain_text('<img src=x onerror="window.__pwned=2">')
    expect(answer.locator(".answer-text")).to_contain_text("<script>window.__pwned=1</script>")
    answer.locator(".answer-text a.cite-ref").first.click()
    expect(answer.locator("details.cite mark").first).to_contain_text("<img src=x")
    expect(answer.locator(".sources")).to_contain_text(title)
    assert page.locator("#chat img[src='x']").count() == 0
    assert page.locator("#chat script").count() == 0
    shoot(page, "markup-as-text")
    remove(page, title)  # the title, markup and all, shows as text in the notice too
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_a_question_typed_while_answering_is_kept(page: Page) -> None:
    box = page.locator("#question textarea")
    box.fill("What did Putin say NATO ignored?")
    page.locator("#ask").click()
    expect(box).to_have_value("")  # taken: the box is emptied once
    expect(page.locator("#chat .answer-text.streaming")).to_have_count(1)
    box.fill("What did Zelensky say about panic?")  # the next question, typed while this one streams in
    expect(page.locator("#chat .answer")).to_have_count(1)
    expect(page.locator("#chat .answer .answer-meta")).to_be_visible()
    page.wait_for_timeout(300)
    expect(box).to_have_value("What did Zelensky say about panic?")


def test_a_question_asked_while_another_is_answered_waits_its_turn(page: Page) -> None:
    box = page.locator("#question textarea")
    box.fill("What did Putin say NATO ignored?")
    box.press("Enter")
    expect(page.locator("#chat .answer-text.streaming")).to_have_count(1)
    box.fill("What did Zelensky say about panic?")
    page.locator("#ask").click()  # while the first is still being answered
    answers = page.locator("#chat .answer")
    expect(answers).to_have_count(2)
    expect(answers.nth(0).locator(".answer-text")).to_contain_text("indivisibility")
    expect(answers.nth(1).locator(".answer-text")).to_contain_text("panic")
    # The second was answered after the first, in the conversation the first left: its evidence
    # is numbered as the second turn's, and both questions stand in the chat.
    expect(answers.nth(1).locator("details.cite").first).to_have_attribute("id", re.compile(r"^cite-1-"))
    chat = page.locator("#chat")
    expect(chat).to_contain_text("What did Putin say NATO ignored?")
    expect(chat).to_contain_text("What did Zelensky say about panic?")


def test_the_page_box_shows_the_page_shown(page: Page, app_server: tuple[str, Assistant]) -> None:
    page.get_by_role("tab", name="Corpus").click()
    count = page.locator("#articles-count")
    expect(count).to_contain_text("page 1 of 1")
    number = page.locator("#articles-page input")
    number.fill("99")
    number.press("Enter")
    expect(number).to_have_value("1")
    expect(count).to_contain_text("page 1 of 1")
    expect(page.locator("#articles")).to_contain_text(app_server[1].articles()[0].title)
    number.fill("0")  # was refused by the box itself: every part of the view an "Error" badge
    number.press("Enter")
    expect(number).to_have_value("1")
    expect(count).to_contain_text("page 1 of 1")
    expect(page.locator("#articles")).to_contain_text(app_server[1].articles()[0].title)
    expect(page.get_by_text("less than minimum")).to_have_count(0)


def test_the_article_list_shows_what_a_terminal_ingest_adds(
    page: Page, tmp_path: Path, app_server: tuple[str, Assistant]
) -> None:
    """Another process's ingest (the terminal beside the page) shows in an open article list
    within seconds, as questions see it; before, only when the tab was chosen again."""
    page.get_by_role("tab", name="Corpus").click()
    expect(page.locator("#articles-count")).to_contain_text("of 5 ")
    article = tmp_path / "glorp_regatta.md"
    article.write_text(FESTIVAL.replace("Glorp festival draws", "Glorp regatta draws"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "assistant.cli", "--index-dir", str(app_server[1].settings.index_dir), "ingest", str(article)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    expect(page.locator("#articles")).to_contain_text("Glorp regatta draws record crowds", timeout=30_000)
    remove(page, "Glorp regatta draws record crowds")


def test_a_refused_upload_leaves_the_box_empty_for_the_next(page: Page, tmp_path: Path) -> None:
    """An upload over the limits is refused with why; its files left the box (they joined the
    next pick, and every later upload was refused as too many files)."""
    many = []
    for n in range(21):  # upload_max_files is 20
        note = tmp_path / f"note{n}.txt"
        note.write_text(f"Note {n}\n\nA short note.\n", encoding="utf-8")
        many.append(str(note))
    page.get_by_role("tab", name="Corpus").click()
    page.locator("#upload input[type=file]").set_input_files(many)
    expect(page.get_by_test_id("toast-text").last).to_contain_text("21 files in one upload; add at most 20")
    expect(page.locator("#upload")).not_to_contain_text("note0.txt")
    article = tmp_path / "glorp_parade.md"
    article.write_text(FESTIVAL.replace("Glorp festival draws", "Glorp parade draws"), encoding="utf-8")
    upload(page, article)
    expect(page.locator("#upload-results")).to_contain_text("added")
    remove(page, "Glorp parade draws record crowds")


def test_an_upload_shows_its_progress_and_the_box_waits_for_it(
    page: Page, tmp_path: Path, app_server: tuple[str, Assistant]
) -> None:
    """The progress shows on the results table while the upload is added (it was shown on a
    hidden part, so never), and moves while its one long article is embedded (it stood still
    until the article was stored); the box takes no file meanwhile (Gradio dropped one added
    then)."""
    squad = json.loads((REPO / "evals" / "data" / "squad-dev-v1.1-part1.json").read_text(encoding="utf-8"))
    long_read = tmp_path / "long_read.txt"
    paragraphs = [p["context"] for a in squad["data"][:2] for p in a["paragraphs"]][:80]
    long_read.write_text("Super Bowl notes\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    page.get_by_role("tab", name="Corpus").click()
    page.locator("#upload input[type=file]").set_input_files(str(long_read))
    expect(page.locator("#upload-results")).to_contain_text("Adding articles")
    # one file is one article, embedded as one group: its passages are counted as they go
    expect(page.locator("#upload-results")).to_contain_text(re.compile(r"[1-9][\d,]* of [\d,]+ passages embedded"))
    expect(page.locator("#upload input[type=file]")).to_have_count(0)  # no file input while it runs
    expect(page.locator("#upload-results")).to_contain_text("added", timeout=120_000)
    expect(page.locator("#upload input[type=file]")).to_have_count(1)
    title = next(a.title for a in app_server[1].articles() if Path(a.path).name == "long_read.txt")
    remove(page, title)


def test_a_long_title_wraps_and_leaves_every_column_on_the_page(
    page: Page, tmp_path: Path, app_server: tuple[str, Assistant]
) -> None:
    """A long headline took the table's whole width: outlet, date and chunks were pushed off
    the page (at 1280 px too)."""
    words = "Extraordinarily-hyphenated-harbour-headline-words " * 5
    article = tmp_path / "long_headline.txt"
    article.write_text(
        f"Title: {words.strip()}\nSource: The Metropolitan Evening Chronicle and Gazette\nDate: 2022-01-28\n\n"
        "The harbour at Cape Vorn reopened on Monday after the storm.\n",
        encoding="utf-8",
    )
    upload(page, article)
    table = page.locator("#articles")
    expect(table).to_contain_text("Metropolitan Evening Chronicle")
    right = page.viewport_size["width"] if page.viewport_size else 1280
    for header in ("Title", "Outlet", "Date", "Chunks"):
        box = table.get_by_text(header, exact=True).first.bounding_box()
        assert box is not None and box["x"] + box["width"] <= right, (header, box)
    title = next(a.title for a in app_server[1].articles() if Path(a.path).name == "long_headline.txt")
    remove(page, title)


def test_a_question_longer_than_the_limit_is_told_not_cut(page: Page, app_server: tuple[str, Assistant]) -> None:
    """Told before it is shown: a question of a megabyte was copied into the conversation (sent
    back to the browser), then refused, and stayed in the chat for the rest of the session. The
    box keeps it, to be cut short."""
    limit = app_server[1].settings.max_question_chars
    question = "Why did the Zanzibar ferry stop? " * (limit // 30)
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    expect(page.get_by_test_id("toast-text").last).to_contain_text(f"characters long; keep it to {limit:,} or fewer")
    expect(page.locator("#chat")).not_to_contain_text("Zanzibar")
    expect(page.locator("#question textarea")).to_have_value(question)
