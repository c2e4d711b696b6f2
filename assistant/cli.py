"""The `assistant` command. Errors become messages here, at the edge, and nowhere else."""

from __future__ import annotations

import argparse
import codecs
import contextlib
import dataclasses
import errno
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assistant import __version__
from assistant.errors import (
    AssistantError,
    ConfigError,
    IndexMismatchError,
    QuestionError,
    UsageError,
    unexpected,
)

if TYPE_CHECKING:
    from assistant.assistant import Assistant
    from assistant.config import Settings
    from assistant.ingest.pipeline import IngestProgress
    from assistant.search.embedding import MiniLMEmbedder
    from assistant.search.retrieval import Filters
    from assistant.types import Answer, IngestReport

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


def _named(text: str) -> str:
    """A path or address as given; an empty one (`"$DIR"` of an unset variable) is refused, not
    read as the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path (an unset shell variable?): name a file, folder or address")
    return text


def _named_path(text: str) -> Path:
    return Path(_named(text))


def _settings(args: argparse.Namespace) -> Settings:
    from assistant.config import Settings

    serving = {}
    if getattr(args, "command", None) == "serve":
        serving = {
            "auth": "\n".join(args.auth) if args.auth else None,
            "editor_auth": "\n".join(args.editor) if args.editor else None,
            "auth_file": args.auth_file,
            "read_only": True if args.read_only else None,
            "public": True if args.public else None,
        }
    return Settings.load(
        config_file=args.config,
        index_dir=args.index_dir,
        chroma_url=args.chroma_url,
        **serving,
    )


def _open(args: argparse.Namespace, check: bool = True) -> Assistant:
    settings = _settings(args)
    # Loading the embedding model overlaps importing Chroma and LlamaIndex: a faster cold start.
    with ThreadPoolExecutor(max_workers=1) as pool:
        embedder = pool.submit(_load_embedder, settings.model_dir, settings.encoder)
        from assistant.assistant import Assistant

        return Assistant(settings, embedder=embedder.result(), check=check)


def _made(args: argparse.Namespace) -> bool:
    """Whether the index named was ever made: a Chroma server's always is; an embedded one when
    its folder holds Chroma's file (or is no folder: opening it says what it is)."""
    from assistant.config import INDEX_MARKER

    settings = _settings(args)
    folder = Path(settings.index_dir)  # a file there, or a folder of something else: opening says so
    return bool(settings.chroma_url) or (folder / INDEX_MARKER).exists() or (folder.exists() and not folder.is_dir())


def _read(args: argparse.Namespace) -> Assistant:
    """The index to ask or change: opened as `_open` opens it, but one never made is told so,
    not made (a mistyped --index-dir left a new, empty index behind)."""
    from assistant.errors import EmptyIndexError

    if not _made(args):
        settings = _settings(args)
        _load_embedder(settings.model_dir, settings.encoder)  # no model: "run `assistant setup`" first
        folder = settings.index_dir
        raise EmptyIndexError(
            f"no index has been made at {folder} yet, so it holds no articles: add some with `assistant "
            "ingest PATH...` (the sample articles: `assistant ingest corpus`), or name the index's folder "
            "with --index-dir"
        )
    return _open(args)


def _load_embedder(model_dir: Path | None, precision: str = "fp32") -> MiniLMEmbedder:
    from assistant.search.embedding import MiniLMEmbedder

    return MiniLMEmbedder(model_dir, precision=precision)


def _filters(args: argparse.Namespace) -> Filters:
    from assistant.search.retrieval import Filters

    since = _day_option("--since", args.since) if args.since else None
    until = _day_option("--until", args.until) if args.until else None
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}: no article is published in between; swap them")
    if args.outlet is not None and not args.outlet.strip():  # `--outlet "$OUTLET"` of an unset variable
        raise UsageError("--outlet is empty: name an outlet (`assistant articles` lists them), or leave it out")
    return Filters(outlet=args.outlet, published_from=since, published_to=until)


def _as_of_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="the day the question is asked, for 'yesterday', 'last week', 'the latest' (default: today)",
    )


def _as_of(args: argparse.Namespace) -> date | None:
    if args.as_of is None:
        return None
    if not args.as_of.strip():  # `--as-of="$DAY"` of an unset variable: not today without a word
        raise UsageError("--as-of is empty: give the day the question is asked, like 2022-01-28, or leave it out")
    from assistant.relative_time import EARLIEST_DAY, LATEST_DAY

    day = _day_option("--as-of", args.as_of)
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise UsageError(f"--as-of takes a day from {EARLIEST_DAY} to {LATEST_DAY}, not {day}")
    if day > date.today():  # a typo of the year reads "last week" in a week no article is of yet
        print(
            f"assistant: --as-of {day} is after today ({date.today()}): 'yesterday', 'last week' and "
            "'the latest' are read from that day",
            file=sys.stderr,
        )
    return day


def _day_option(flag: str, given: str) -> date:
    """A day given on the command line, written year-month-day ("2022-01-28")."""
    try:
        return date.fromisoformat(given.strip())
    except ValueError as exc:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", given.strip()):  # written so, but no day: 2022-02-30
            raise UsageError(f"{flag} {given.strip()} is no day of the calendar ({exc})") from None
        raise UsageError(f"{flag} takes a day written year-month-day, like 2022-01-28, not {given!r}") from None


def _local_path(given: str) -> str:
    """A path to ingest as given, or a file:// address's path. An address of another scheme is
    refused before anything is read (as a path it lost a slash: "ftp:/host/x")."""
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]+)://", given)  # one letter is a drive: C://x
    if scheme is None or Path(given).exists():  # a folder named "notes:" makes "notes://x" a path
        return given
    if scheme[1].lower() == "file":
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(given)
        if parts.netloc not in ("", "localhost"):
            raise UsageError(f"{given}: a file:// address of another machine ({parts.netloc}) cannot be read here")
        # "#" and "?" begin an address's fragment and query, but a path typed after file://
        # often holds them unescaped ("file:///news/#42.txt"): the whole path, where that is a file
        whole = unquote(given[len(scheme[0]) + len(parts.netloc) :])
        if ("#" in whole or "?" in whole) and Path(whole).exists() and not Path(unquote(parts.path)).is_file():
            return whole
        if not parts.path.strip("/"):
            raise UsageError(f"{given}: a file:// address names no file")
        return unquote(parts.path)
    raise UsageError(f"{given}: only http:// and https:// addresses are fetched; name a file by its path")


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from assistant.types import is_web_address

    urls = [p for p in args.paths if is_web_address(p)]
    named = [_local_path(p) for p in args.paths if not is_web_address(p)]
    if args.feed and named:
        raise UsageError(f"--feed takes feed addresses (http:// or https://), not files: {named[0]}")
    files = [Path(p) for p in named]
    bot = _open(args, check=not args.rebuild)
    if not args.verbose:  # each skip is in the summary at the end: told once, not twice (-v tells it as it happens)
        logging.getLogger("assistant.ingest.pipeline").addFilter(_not_a_skip)
    # The bar is the run's share done (chunks embedded, or files where nothing is embedded), so
    # that it moves while one long article is embedded; its figures are the run's own.
    bar = tqdm(total=1000, disable=not sys.stderr.isatty(), desc="ingesting", bar_format="{percentage:3.0f}%|{bar:24}| {desc}")
    last_report = [time.monotonic()]  # in a log, a line every 30 s; a short run only its summary

    def progress(state: IngestProgress) -> None:
        bar.n = round(state.fraction * 1000)
        bar.set_description_str(f"ingesting: {state.describe()}", refresh=False)
        bar.refresh()
        if bar.disable and time.monotonic() - last_report[0] >= 30:  # a log, not a terminal
            last_report[0] = time.monotonic()
            print(f"ingesting: {state.describe()}", file=sys.stderr, flush=True)

    policy = None
    if urls:
        from assistant.ingest.fetch import FetchPolicy

        policy = FetchPolicy(respect_robots=not args.ignore_robots)
    report = None
    if args.rebuild:
        report = bot.rebuild(files, progress=progress, urls=urls, feed=args.feed, policy=policy)
    elif files:
        report = bot.ingest(files, prune=args.prune, progress=progress)
    if urls and not args.rebuild:
        fetched = bot.ingest_urls(urls, feed=args.feed, policy=policy, progress=progress)
        report = fetched if report is None else replace(report, results=report.results + fetched.results)
    bar.close()
    assert report is not None
    print(terminal_safe(report.summary()))
    if args.rebuild:
        _vacuum_hint(bot.settings)
    return _ingest_status([*urls, *named], report)  # a file:// address as the path it names


def _not_a_skip(record: logging.LogRecord) -> bool:
    """A log filter: every record but the warning that a file was skipped."""
    return not (record.levelno == logging.WARNING and record.getMessage().startswith("skipped "))


def _vacuum_hint(settings: Settings) -> None:
    """After a rebuild of an embedded index, say how much room the old index left inside the
    store's file and how to give it back to the disk (Chroma's own vacuum; it locks the file,
    so it is not run while a page may be answering from it)."""
    import shlex

    from assistant.search.store import INDEX_MARKER, free_bytes

    if settings.chroma_url:
        return
    database = Path(settings.index_dir) / INDEX_MARKER
    free = free_bytes(database.parent)
    if free and free >= database.stat().st_size / 4:
        chroma = Path(sys.executable).with_name("chroma")
        program = str(chroma) if chroma.exists() else "chroma"
        command = shlex.join([program, "vacuum", "--path", str(database.parent), "--force"])
        print(
            f"the old index left {free / (1 << 20):,.1f} MB free in {database}; "
            f"later ingests reuse it. To give it back to the disk, stop what has the index open "
            f"and run: {command}"
        )


def _ingest_status(given: Sequence[str], report: IngestReport) -> int:
    """Exit status of an ingest: a failure when an input named on the command line could not be
    ingested (a missing path, an address or feed that failed, a file of no supported kind) or when
    every file found was skipped, so that a script or a scheduled job notices; what could be
    ingested is ingested either way. Files skipped inside a folder or a feed, and copies of an
    indexed article, are only reported."""
    failed = report.unread(given)
    if failed:
        print(f"assistant: {_count(len(failed), 'input')} could not be ingested (see above)", file=sys.stderr)
        return EXIT_FAILURE
    if report.skipped and not report.stored and not any(r.doc_id for r in report.skipped):
        print("assistant: nothing was ingested: every file found was skipped (see above)", file=sys.stderr)
        return EXIT_FAILURE
    if not report.results:
        from assistant.ingest.loading import INGESTED_SUFFIXES

        print(
            "assistant: no article files found; supported: " + ", ".join(INGESTED_SUFFIXES),
            file=sys.stderr,
        )
    return EXIT_OK


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _print_answer(answer: Answer, as_json: bool, text_shown: str = "") -> None:
    """The answer and its citations; `text_shown` is what streaming already printed: the model's
    reply, printed again only as far as checking it changed it (a sentence flagged, a marker
    renumbered), or the offline answer given instead of a reply that failed."""
    from assistant.answer.llm import what_follows_the_stream

    if as_json:
        print(_as_json(answer.to_dict()))
        return
    print(terminal_safe(what_follows_the_stream(text_shown, answer)))  # nothing to add: the streamed line ends
    if answer.notice:
        print(terminal_safe(f"\n({answer.notice})"))
    for c in answer.citations:
        where = ", ".join(x for x in (c.outlet, c.published) if x)
        print(terminal_safe(f"\n[{c.marker}] {c.title}" + (f" — {where}" if where else "")))
        print(terminal_safe(f"    {c.path}:{c.char_start}-{c.char_end}"))
        if c.url:
            print(terminal_safe(f"    {c.url}"))
        print(terminal_safe(f"    “{c.text}”"))
    confidence = "" if answer.confidence is None else f", confidence {answer.confidence:.2f}"
    print(f"\nmode: {answer.mode}{confidence}")


def _stream_answer(
    bot: Assistant,
    question: str,
    history: list[tuple[str, str]],
    filters: Filters | None,
    as_of: date | None = None,
) -> Answer:
    """Print the answer as it is written, then its citations; return it."""
    shown = ""
    for item in bot.ask_stream(question, history=history, filters=filters, as_of=as_of):
        if isinstance(item, str):
            print(terminal_safe(item), end="", flush=True)
            shown += item
            _stream_line[0] = not item.endswith("\n")
            continue
        _stream_line[0] = False
        _print_answer(item, as_json=False, text_shown=shown)
        return item
    raise AssistantError("the answer ended without a result; please ask again")


def cmd_ask(args: argparse.Namespace) -> int:
    filters, as_of = _filters(args), _as_of(args)  # a bad option is told before the index is opened
    bot = _read(args)
    if args.json:
        _print_answer(bot.ask(args.question, filters=filters, as_of=as_of), as_json=True)
    else:
        _stream_answer(bot, args.question, [], filters, as_of)
    return EXIT_OK


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.answer.conversation import recent_history

    as_of = _as_of(args)
    bot = _read(args)
    bot.warm_up_in_background()
    history: list[tuple[str, str]] = []
    # Typed, an empty line ends; piped (questions from a file or a script), blank lines between
    # questions are skipped (they cut the rest off without a word), the end of the input ends,
    # and a question that failed makes the exit status 1.
    typed = sys.stdin.isatty()
    failed = False
    print("Ask about the articles. " + ("An empty line or Ctrl-D ends" if typed else "The end of the input ends") + "; /new starts over.")
    while True:
        try:
            question = input("\n> ").strip()
        except EOFError:
            print()
            return EXIT_FAILURE if failed else EXIT_OK
        if not question:
            if typed:
                return EXIT_OK
            continue
        if question == "/new":
            history.clear()
            print("(new conversation)")
            continue
        try:
            answer = _stream_answer(bot, question, recent_history(history, bot.settings), None, as_of)
        except AssistantError as exc:
            print(terminal_safe(f"error: {exc}"), file=sys.stderr, flush=True)
            failed = not typed
            continue
        except Exception as exc:  # not ours: logged with an id; the conversation goes on
            lost = _storage_lost(exc, bot.settings, "the question was not answered")
            print(terminal_safe(f"error: {lost or unexpected('answering a question', exc)}"), file=sys.stderr, flush=True)
            failed = not typed
            continue
        history.append((question, answer.text))


# What a CPU model reads: every token costs it time before the first word (benchmarks/llm_bench.py).
LOCAL_LLM_PASSAGES = 3
LOCAL_LLM_EVIDENCE_TOKENS = 100


def cmd_serve(args: argparse.Namespace) -> int:
    from assistant.web.address import bound_port, check_port

    settings = _settings(args)
    port = bound_port(args.port)  # --port is checked as it is parsed; $GRADIO_SERVER_PORT here
    if not 1 <= port <= 65535:
        raise ConfigError(f"GRADIO_SERVER_PORT must be a port number from 1 to 65535, not {port}")
    check_port(args.host, args.port)  # before Gradio is imported and the index (and a local LLM) opened
    from assistant.web.page import serve

    if args.llm != "local":
        serve(settings, host=args.host, port=args.port)
        return EXIT_OK
    from assistant.answer.local_llm import assemble_model, start_server

    print(f"Starting the local LLM (llama.cpp, {args.local_model}) on 127.0.0.1 …", file=sys.stderr)
    with start_server(assemble_model(args.local_model)) as server:
        local = replace(
            settings,
            openai_base_url=server.base_url,
            llm_model=server.model,
            openai_api_key=None,
            llm_passages=min(settings.llm_passages, LOCAL_LLM_PASSAGES),
            llm_evidence_tokens=settings.llm_evidence_tokens or LOCAL_LLM_EVIDENCE_TOKENS,
            llm_rewrite_follow_ups=False,  # a second request would double a follow-up's wait
        )
        serve(local, host=args.host, port=args.port, prime_llm=True)
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    if args.init is not None:
        from assistant.evals.starter import REVIEW_TAG, write_starter

        if args.datasets:
            raise UsageError("--init writes a new dataset; name no datasets with it (use --out FILE)")
        count = write_starter(args.init, args.out, _settings(args))
        print(
            f"wrote {count} draft questions about {args.init} to {args.out}, each tagged "
            f'"{REVIEW_TAG}": read them, fix what is wrong, add questions the articles do not '
            f"answer, then run `assistant eval {args.out}`"
        )
        return EXIT_OK
    from assistant.evals.runner import run_cli

    return run_cli(args, _settings(args))


def cmd_setup(args: argparse.Namespace) -> int:
    from assistant.search.model_setup import prepare

    prepare(args.target or _settings(args).model_dir, install=not args.no_install)
    return EXIT_OK


def cmd_articles(args: argparse.Namespace) -> int:
    """A page of the indexed articles, by published date then title (read from the catalog a page
    at a time, so an archive of any size lists at once). An index never made lists nothing (and
    is not made)."""
    bot = _open(args) if _made(args) else None
    total = bot.article_count() if bot else 0
    page = bot.articles(offset=args.offset, limit=args.limit) if bot else []
    if args.json:
        listed = [dataclasses.asdict(a) for a in page]
        print(_as_json({"total": total, "offset": args.offset, "articles": listed}))
        return EXIT_OK
    if not total:
        print("The index holds no articles yet: add some with `assistant ingest PATH`.")
        return EXIT_OK
    for a in page:
        where = ", ".join(x for x in (a.outlet, a.published) if x)
        print(terminal_safe(f"{a.doc_id}  {a.title}" + (f" — {where}" if where else "") + f" ({_count(a.chunks, 'chunk')})"))
        print(terminal_safe(f"{'':18}{a.path}"))
    end = args.offset + len(page)
    if not page:
        print(f"no articles from number {args.offset + 1} on: the index holds {total}")
    else:
        more = f"; the next ones: --offset {end}" if end < total else ""
        print(f"\narticles {args.offset + 1}-{end} of {total}{more}")
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    """Forget articles, named by their id, their file's path, or a folder or an archive they were
    read from (all of its articles). Their files stay where they are: an ingest of their folder
    adds them again (`ingest --prune` forgets files that are gone)."""
    bot = _read(args)
    unknown = []
    for given in args.articles:
        found = bot.article(given)
        matches = [found] if found is not None else bot.articles_at(str(Path(given).expanduser().resolve()))
        matches = matches or bot.articles_at(given)  # an archive member's path, or one stored as given
        matches = matches or bot.articles_under(given)  # a folder's articles, or an archive's records
        if not matches:
            unknown.append(given)
            continue
        for article in matches:
            if bot.remove(article.doc_id):
                print(terminal_safe(f"removed {article.doc_id}  {article.title}  ({article.path})"))
    if unknown:
        listed = ", ".join(unknown)
        print(terminal_safe(f"assistant: no indexed article has the id or path {listed} (`assistant articles` lists them)"),
              file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK


# The most a count option takes: far beyond any index, and within SQLite's integers.
MOST = 1_000_000_000


def _whole(low: int, high: int = MOST) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`."""

    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be a whole number from {low} to {high}, not {text}")
        return value

    parse.__name__ = "whole number"  # argparse's "invalid whole number value: 'x'"
    return parse


def cmd_config(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.json:
        print(_as_json(settings.as_json()))
        return EXIT_OK
    rows = settings.described()
    widths = [min(max(len(row[i]) for row in rows), cap) for i, cap in enumerate((30, 34, 40, 44))]
    for *columns, doc in rows:
        print(terminal_safe(" ".join(f"{text:{width}}" for text, width in zip(columns, widths)) + f" {doc}"))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Grounded answers from news articles.")
    parser.add_argument(
        "--config", type=_named_path, help="TOML settings file (default: ./assistant.toml if present)"
    )
    parser.add_argument(
        "--index-dir", type=_named_path, help="index folder (default: $ASSISTANT_INDEX_DIR or ./index)"
    )
    parser.add_argument("--chroma-url", help="Chroma server URL (default: $ASSISTANT_CHROMA_URL)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="add article files, folders, web pages or feeds to the index")
    p.add_argument(
        "paths", nargs="+", type=_named, metavar="PATH_OR_URL", help="files, folders, or http(s) addresses of articles"
    )
    p.add_argument("--feed", action="store_true", help="the URLs are RSS or Atom feeds: ingest the articles they list")
    p.add_argument(
        "--ignore-robots", action="store_true", help="fetch pages even where the site's robots.txt disallows it"
    )
    p.add_argument("--prune", action="store_true", help="forget articles whose files are gone")
    p.add_argument(
        "--rebuild",
        action="store_true",
        help="index anew beside the index in use (after changing settings); it switches when complete",
    )
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="answer one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the answer and citations as JSON")
    p.add_argument("--outlet", help="only articles from this outlet")
    p.add_argument("--since", help="only articles published on or after this date (YYYY-MM-DD)")
    p.add_argument("--until", help="only articles published on or before this date (YYYY-MM-DD)")
    _as_of_option(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="a conversation in the terminal")
    _as_of_option(p)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("serve", help="serve the chat page")
    p.add_argument(
        "--host",
        help="address to serve on (default: $GRADIO_SERVER_NAME or 127.0.0.1); anything but loopback "
        "needs credentials or --public (see SECURITY.md)",
    )
    p.add_argument("--port", type=_whole(1, 65535), help="port (default: $GRADIO_SERVER_PORT or 7860)")
    p.add_argument(
        "--auth",
        action="append",
        metavar="USER:PASSWORD",
        help="a reader, who may ask (repeatable; or $ASSISTANT_AUTH, comma-separated)",
    )
    p.add_argument(
        "--editor",
        action="append",
        metavar="USER:PASSWORD",
        help="an editor, who may also upload and remove articles (repeatable; or $ASSISTANT_EDITOR_AUTH)",
    )
    p.add_argument(
        "--auth-file",
        type=_named_path,
        help="credentials, one a line: 'reader USER:PASSWORD' or 'editor USER:PASSWORD'",
    )
    p.add_argument(
        "--read-only", action="store_true", help="no upload or remove: their handlers are not mounted"
    )
    p.add_argument(
        "--public",
        action="store_true",
        help="serve an open page (no credentials) on a non-loopback address anyway",
    )
    p.add_argument(
        "--llm",
        choices=["configured", "local"],
        default="configured",
        help="'local' starts a llama.cpp server with the model of `make llm-local` and answers with it",
    )
    p.add_argument(
        "--local-model",
        choices=["qwen-1.5b", "qwen-0.5b"],
        default="qwen-1.5b",
        help="the model --llm local serves (qwen-0.5b: faster, weaker; `make llm-test-model`)",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("eval", help="run the grounding evals")
    p.add_argument("datasets", nargs="*", type=_named_path, help="JSONL datasets (default: the shipped ones)")
    p.add_argument("--mode", choices=["extractive", "llm"], default="extractive")
    p.add_argument("--judge", choices=["offline", "llm"], default="offline")
    p.add_argument("--report", type=_named_path, default=Path("reports/evals"), help="report folder")
    p.add_argument("--junit", type=_named_path, help="write JUnit XML here")
    p.add_argument("--baseline", type=_named_path, help="an earlier report.json to compare with")
    p.add_argument("--limit", type=int, help="only the first N questions of each dataset")
    p.add_argument(
        "--compare-textbook", action="store_true", help="also run the textbook LlamaIndex pipeline"
    )
    p.add_argument("--thresholds", type=_named_path, help="thresholds TOML (default: the shipped evals/thresholds.toml, whose tables gate the shipped datasets)")
    p.add_argument(
        "--corpus",
        type=_named_path,
        help="the folder of articles the datasets ask about (default: the one each dataset names)",
    )
    p.add_argument(
        "--init", type=_named_path, metavar="DIR", help="write a starter dataset for the articles in DIR, then stop"
    )
    p.add_argument(
        "--out", type=_named_path, default=Path("eval_questions.jsonl"), help="where --init writes its dataset"
    )
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "setup", help="prepare the embedding model, once (installs torch for the export; see README)"
    )
    p.add_argument(
        "--target", type=_named_path, help="model folder (default: model_dir, or inside this environment)"
    )
    p.add_argument(
        "--no-install", action="store_true", help="the export's tools are installed already: export only"
    )
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser("articles", help="list the indexed articles, a page at a time")
    p.add_argument("--offset", type=_whole(0), default=0, help="skip this many first (default 0)")
    p.add_argument("--limit", type=_whole(1), default=50, help="list at most this many (default 50)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_articles)

    p = sub.add_parser("remove", help="forget articles, by id or path (their files stay)")
    p.add_argument("articles", nargs="+", metavar="ID_OR_PATH", help="an article's id or its file's path")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("config", help="show the settings in force and where each comes from")
    p.add_argument("--json", action="store_true", help="as JSON: {setting: {value, from, env, doc}}")
    p.set_defaults(func=cmd_config)
    return parser


# What a terminal would act on rather than show: control characters but the line's own (an
# escape sequence in a file's name recolours or clears the screen) and the marks that reorder
# the text shown after them ("Trojan Source"). Written as Python writes them: \x1b, \u202e.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _as_json(value: object) -> str:
    """JSON for stdout: as written where stdout takes UTF-8, else with every other character
    escaped (a Windows console, a CI job in latin-1), still the same JSON to the script reading it."""
    return json.dumps(value, ensure_ascii=not _takes_utf8(sys.stdout), indent=2)


def _takes_utf8(stream: object) -> bool:
    encoding = getattr(stream, "encoding", None)
    if not isinstance(encoding, str):
        return False
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def _showable_anywhere() -> None:
    """What the terminal's encoding cannot show ("’" on a cp437 console) is written escaped
    ("\\u2019"), not a UnicodeEncodeError that loses the whole answer."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # not a text stream of ours
                reconfigure(errors="backslashreplace")


def terminal_safe(text: str) -> str:
    """Text for the terminal or a log, its control characters written out, not acted on."""
    return _UNSHOWABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


# Whether a streamed answer's line is open on the terminal: a warning logged then (an LLM that
# fails mid-answer) starts a line of its own rather than run on from the answer's last word.
_stream_line = [False]


class _LogFormat(logging.Formatter):
    def __init__(self, tracebacks: bool) -> None:
        super().__init__("%(levelname)s: %(message)s")
        self.tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        if not self.tracebacks and record.exc_info:
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        text = terminal_safe(super().format(record))
        if _stream_line[0]:
            _stream_line[0] = False
            text = "\n" + text
        return text


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _showable_anywhere()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = logging.StreamHandler()
    # A server's log keeps every traceback; a command shows one only with -v (the error's id and
    # kind are always shown).
    handler.setFormatter(_LogFormat(tracebacks=args.verbose or args.command == "serve"))
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, handlers=[handler])
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except UsageError as exc:  # an option's value: no setting of a file or the environment
        print(terminal_safe(f"assistant: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as exc:
        print(terminal_safe(f"assistant: configuration error: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except (QuestionError, IndexMismatchError) as exc:  # an index of other settings: as a setting's error
        print(terminal_safe(f"assistant: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except AssistantError as exc:
        print(terminal_safe(f"assistant: {exc}"), file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:  # Ctrl-C
        kept = ""
        if args.command == "ingest":
            kept = "; the articles stored so far are kept: run the same command again to go on"
        print(f"\nassistant: stopped{kept}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (`assistant ask ... | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # not ours: logged with an id (the traceback with -v), never swallowed
        try:
            settings: Settings | None = _settings(args)
        except Exception:  # the settings were what failed
            settings = None
        known = _storage_lost(exc, settings, f"`assistant {args.command}` stopped") or _file_error(exc)
        print(terminal_safe(f"assistant: {known or unexpected(f'running `assistant {args.command}`', exc)}"), file=sys.stderr)
        return EXIT_FAILURE


def _file_error(error: Exception) -> str | None:
    """A file the command was told to read or write that it cannot ("--out /sys/x.jsonl"), said
    as such; None for anything else."""
    if isinstance(error, OSError) and error.filename and error.strerror:
        return f"{os.fsdecode(error.filename)}: {error.strerror.lower()} (`assistant` could not use that file)"
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT) and error.strerror:
        return f"could not write the output: {error.strerror.lower()}"  # stdout to a full disk
    return None


def _storage_lost(error: Exception, settings: Settings | None, what: str) -> Exception | None:
    """A Chroma server that went away or hangs, an index folder that cannot be written or a full
    disk (an ask after an ingest that filled it), said as such (not as an internal error)."""
    from assistant.search.store import index_error

    if settings is None:
        return None
    return index_error(Path(settings.index_dir), error, what, server=settings.chroma_url)


# Tearing down LlamaIndex and Chroma at exit takes ~0.8 s; these commands write nothing
# that needs it, so the `assistant` command ends them at once after flushing their output.
_READ_ONLY_COMMANDS = frozenset({"ask", "articles", "config"})


def entry_point() -> None:
    """The installed `assistant` command."""
    argv = sys.argv[1:]
    code = main(argv)
    if build_parser().parse_args(argv).command in _READ_ONLY_COMMANDS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry_point()
