"""The public entry point: open an index, ingest articles, ask questions."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answer.answer_types import DURATION_UNITS
from assistant.answer.as_typed import as_asked, only_chat, spelt_as_indexed, without_chat
from assistant.answer.citations import changed_notice, changed_sources
from assistant.answer.compose import compose_answer
from assistant.answer.conversation import (
    Turn,
    asks_only_for_more,
    check_history,
    checked_question,
    more_of,
    read_turn,
    unreferred,
)
from assistant.answer.corroboration import SentenceVectors
from assistant.answer.draft import NOT_IN_ARTICLES, Draft, DraftStatement
from assistant.answer.evidence import EvidenceSentence, evidence_sentences
from assistant.answer.features import QuestionView
from assistant.answer.llm import (
    LLMClient,
    condense_follow_up,
    focus,
    llm_answer,
    prime_answer_rules,
    stream_llm_answer,
)
from assistant.answer.named import ArticleWords
from assistant.answer.overview import overview, overview_topic
from assistant.answer.reader import ReaderModelError, load_model
from assistant.answer.sources import SourceQuestion, asked_of_sources
from assistant.answer.spans import load_span_model
from assistant.answer.synthesis import MAX_STATEMENTS, draft_answer
from assistant.answer.timeline import OrderQuestion, Placed, asked_order, asked_span, event_day
from assistant.answer.verifier import load_verifier
from assistant.config import Settings
from assistant.dates import given_day, mentioned_date
from assistant.errors import EmptyIndexError, LLMUnavailableError, QuestionError, RebuildError
from assistant.ingest import pipeline as ingesting
from assistant.ingest.cleaning import CLEANER_VERSION, READ_RULES
from assistant.ingest.loading import SNAPSHOT_SIDECAR_SUFFIX
from assistant.relative_time import EARLIEST_DAY, LATEST_DAY, TimeFrame, asked_on, day_asked
from assistant.search.catalog import CatalogArticle
from assistant.search.embedding import MiniLMEmbedder, default_model_dir
from assistant.search.index import ArticleIndex
from assistant.search.lexical import question_terms, stems
from assistant.search.lexical_index import IndexVocabulary
from assistant.search.outlets import (
    filtered_outlet,
    name_words,
    named_outlets,
    possessive,
    without_comparison,
)
from assistant.search.retrieval import Filters, HybridRetriever, Passage, RetrievalResult, published_date
from assistant.search.store import READ_RULES_KEY
from assistant.types import Answer, ArticleInfo, AssumedTime, FileResult, IngestReport

if TYPE_CHECKING:
    from assistant.ingest.fetch import FetchPolicy
    from assistant.ingest.web import Snapshots
    from assistant.llamaindex import AssistantQueryEngine, AssistantRetriever

NOTHING_BEFORE = "There is no answer before this one to say more of: ask about something in the articles."
SNAPSHOTS_FOLDER = "snapshots"  # under the index folder: pages fetched by ingest_urls
NOT_ASKED_NOTICE = (
    "The offline reader found no answer in the passages (its reply says why), so the language model "
    "was not asked."
)
WORDS_PER_PIECE = 8
ARTICLE_WORDS_KEPT = 2_000  # articles whose words are kept for the names check
log = logging.getLogger(__name__)


class Assistant:
    """Grounded answers over a folder of news articles.

    >>> bot = Assistant.open(index_dir="index")
    >>> bot.ingest(["corpus"])
    >>> print(bot.ask("What did Putin say NATO ignored?").text)
    """

    def __init__(
        self, settings: Settings, embedder: MiniLMEmbedder | None = None, check: bool = True
    ) -> None:
        """Open (or create) the index the settings name. Nothing is read in full: opening
        takes the same time whatever the index holds. `check=False` opens an index built with
        other chunking settings, to `rebuild` it."""
        self.settings = settings
        self._embedder = embedder or MiniLMEmbedder(settings.model_dir, precision=settings.encoder)
        self._index = ArticleIndex(settings, self._manifest(), check=check)
        if check and self._index.store.read_by_older_rules():  # not when opened to be rebuilt
            log.warning(
                "the articles in %s were read by older rules (their titles, outlets and dates, or what of a file is story); "
                "`assistant ingest PATH...` of the files it holds reads them again (only an article now "
                "read differently is embedded again; `--rebuild` makes the index anew)",
                self._index.store.where,
            )
        self._retriever = HybridRetriever(self._index, self._embedder, settings.candidates)
        # Sentence embeddings for corroboration by meaning, cached by text.
        self._vectors = SentenceVectors(self._embedder.embed) if settings.corroborate_by_meaning else None
        # Word embeddings for a thing a "how many" question counts that no cited article names.
        self._words = SentenceVectors(self._embedder.embed)
        self._reader = load_model() if settings.reader_file is None else load_model(settings.reader_file, None)
        self._verifier = (
            load_verifier(
                settings.verifier_file,
                self._reader.verifier_sha256,
                getattr(self._embedder, "model_dir", default_model_dir()) / "tokenizer.json",
            )
            if self._reader.reads_verifier
            else None
        )
        if settings.verifier_file is not None and self._verifier is None:  # set, and not read
            if not settings.verifier_file.is_file():
                raise ReaderModelError(
                    f"the answer verifier {settings.verifier_file} (verifier_file, ASSISTANT_VERIFIER_FILE) "
                    "is no file; the reader model in use reads no verifier: leave the setting unset"
                )
            log.warning(
                "the reader model in use reads no answer verifier: %s (verifier_file) is not used",
                settings.verifier_file,
            )
        self._spans = load_span_model()
        self._vocabulary = IndexVocabulary(self._index.lexical)
        # By article id, until the index changes (an article read anew keeps its id).
        self._article_words: dict[str, ArticleWords] = {}
        # How many changes this process has learnt of (its own or another's), for `changes`.
        self._change_count = [0]
        self._listen(self._index)
        self._llm = LLMClient(settings) if settings.llm_configured else None

    def _listen(self, index: ArticleIndex) -> None:
        """What `index` tells of each change it learns of. It holds the vocabulary's, the dict's
        and the counter's own methods, none of this object's: a listener bound to the assistant
        would keep it, its encoder's sessions with it, alive after its last use."""
        index.on_change(partial(_weigh_by, self._vocabulary, index))
        index.on_change(self._article_words.clear)
        index.on_change(partial(_count_change, self._change_count))

    @property
    def mode(self) -> str:
        """What writes the answers: "extractive" or the LLM's model name."""
        return f"llm:{self._llm.model}" if self._llm is not None else "extractive"

    @classmethod
    def open(
        cls,
        index_dir: str | Path | None = None,
        settings: Settings | None = None,
        **overrides: Any,
    ) -> Assistant:
        """Open (or create) an index. Settings come from the environment unless given."""
        settings = settings or Settings.load()
        if index_dir is not None:
            overrides["index_dir"] = Path(index_dir)
        if overrides:
            settings = Settings.from_mapping({**settings.__dict__, **overrides})
        return cls(settings)

    def _manifest(self) -> dict[str, str | int]:
        return {
            "embedding_model": self._embedder.name,
            "chunk_tokens": self.settings.chunk_tokens,
            "chunk_overlap": self.settings.chunk_overlap,
            "cleaner": CLEANER_VERSION,
            READ_RULES_KEY: READ_RULES,
        }

    def ingest(
        self,
        paths: Iterable[str | Path] | str | Path,
        prune: bool = False,
        progress: ingesting.Progress | None = None,
    ) -> IngestReport:
        """Add new and changed articles, follow moved ones; with `prune`, forget those whose
        files are gone. Questions asked meanwhile (from other threads) are answered from the
        articles stored so far; each article appears whole or not at all.

        Only one ingest writes to an index folder at a time: one in another process raises
        IngestBusyError at once; another Assistant of this process on the same folder waits.
        A killed ingest is repaired and resumed by the next one.

        In an index whose articles older title, outlet and date rules read, the files it keeps
        in its own folder (the page's uploads, pages fetched by address) are read again too: no
        path a user gives names them, and the notice of older rules would never end."""
        given = _as_paths(paths)
        if self._index.store.read_by_older_rules():  # the index folder's articles, not every article's path
            home = str(Path(self.settings.index_dir).resolve())
            given += self._kept_in_index_folder(a.path for a in self._index.catalog.articles_under(home))
        return ingesting.ingest(
            given,
            self._index,
            self._embedder,
            self.settings.chunk_tokens,
            self.settings.chunk_overlap,
            prune=prune,
            progress=progress,
            batch_chunks=self.settings.ingest_batch_chunks,
        )

    def rebuild(
        self,
        paths: Iterable[str | Path] | str | Path,
        progress: ingesting.Progress | None = None,
        urls: Sequence[str] = (),
        feed: bool = False,
        policy: FetchPolicy | None = None,
    ) -> IngestReport:
        """Index `paths` (and the pages at `urls`, or every article the feeds at `urls` list,
        with `feed`) anew, with these settings, beside the index in use, and switch every reader
        to it once complete. Until then, and if the rebuild fails or is killed, the old index
        keeps answering.

        The rebuild is dropped, and RebuildError raised, when a path or address given could not
        be read or when it found no article: a typo must not replace an index with less. The
        report lists as removed the articles of the old index that the paths given no longer
        hold; those kept in the index folder itself (uploads, fetched pages) are read again."""
        given = _as_paths(paths)
        urls = _as_addresses(urls)
        found = self._fetch(urls, feed, policy) if urls else None
        # What cannot be read is known before anything is embedded: a missing path, a failed
        # address (folders that exist are walked once, by the ingest).
        missing = ingesting.expand([p for p in given if not p.is_dir()])[1]
        _check_read([*given, *urls], IngestReport(missing + (found.skipped if found else [])))
        with self._index.writing():
            held = self._index.catalog.paths()  # path -> doc id of every article in use
            fresh = self._index.beside()
            try:
                report = ingesting.ingest(
                    [*given, *(found.files if found else ()), *self._kept_in_index_folder(held)],
                    fresh,
                    self._embedder,
                    self.settings.chunk_tokens,
                    self.settings.chunk_overlap,
                    progress=progress,
                    batch_chunks=self.settings.ingest_batch_chunks,
                    lock=False,
                )
                if found is not None:
                    report = _named_by_url(report, found)
                _check_read([*given, *urls], report)
                if not report.stored:
                    raise RebuildError(
                        "the rebuild found no article to index in what it was given, so the index in use "
                        "is unchanged"
                    )
            except BaseException:
                with contextlib.suppress(Exception):  # the error that stopped it is the one to show
                    fresh.discard()
                raise
            now = fresh.catalog.paths()  # an article that changed is at its path under another id
            kept = set(now.values())
            gone = [(d, path) for path, d in held.items() if d not in kept and path not in now]
            fresh.go_live()
        reason = "not among what the rebuild was given"
        report.results += [FileResult(path, "removed", reason, doc_id=d) for d, path in gone]
        self._index = fresh
        self._retriever.use(fresh)
        self._vocabulary.invalidate(fresh.lexical)
        self._article_words.clear()
        _count_change(self._change_count)
        self._listen(fresh)  # the words kept of articles and the count of changes too, as at opening
        return report

    def _kept_in_index_folder(self, held: Iterable[str]) -> list[Path]:
        """Of the `held` articles' files, those that live in the index folder (the page's
        uploads, pages fetched by address): no path a user gives names them, so a rebuild reads
        them again."""
        home = Path(self.settings.index_dir).resolve()
        return sorted(f for f in map(Path, held) if f.is_relative_to(home) and f.is_file())

    def ingest_urls(
        self,
        urls: Iterable[str],
        feed: bool = False,
        policy: FetchPolicy | None = None,
        progress: ingesting.Progress | None = None,
    ) -> IngestReport:
        """Fetch article pages (or, with `feed`, every article an RSS/Atom feed lists) into
        snapshot files under the index folder, and ingest those. Each URL ends as added,
        updated, unchanged or skipped with its reason; results name the URL, not the snapshot.
        """
        found = self._fetch(_as_addresses(urls), feed, policy)
        report = self.ingest(list(found.files), progress=progress)
        self._drop_unread_snapshots(report, {str(Path(f).resolve()) for f in found.files})
        return _named_by_url(report, found)

    def _drop_unread_snapshots(self, report: IngestReport, snapshots: set[str]) -> None:
        """Remove the snapshots the ingest skipped and no article rests on (a page that was an
        image, a PDF, no story, or another address's text): nothing cites them, and a rebuild
        would read them again."""
        for result in report.results:
            if result.outcome == "skipped" and result.path in snapshots and not self.articles_at(result.path):
                snapshot = Path(result.path)
                snapshot.unlink(missing_ok=True)
                snapshot.with_suffix(SNAPSHOT_SIDECAR_SUFFIX).unlink(missing_ok=True)

    def _fetch(self, urls: list[str], feed: bool, policy: FetchPolicy | None) -> Snapshots:
        """The pages at `urls` (or those the feeds there list) as snapshot files under the
        index folder; the index is not touched."""
        from assistant.ingest import web
        from assistant.ingest.fetch import Fetcher

        snapshots_dir = Path(self.settings.index_dir) / SNAPSHOTS_FOLDER
        with Fetcher(policy) as fetcher:
            take = web.snapshot_feeds if feed else web.snapshot_pages
            return take(urls, snapshots_dir, fetcher)

    def sync(self) -> bool:
        """Catch up now with changes other processes made (done before every question, at
        most every `sync_interval_s`); True when something changed."""
        changed = self._index.sync(force=True)
        self._after_sync()
        return changed

    def _after_sync(self) -> None:
        if self._retriever.searching is not self._index:
            self._retriever.use(self._index)
        self._vocabulary.invalidate(self._index.lexical)

    def articles(self, offset: int = 0, limit: int | None = None) -> list[ArticleInfo]:
        """Indexed articles by published date then title; a page of them with `limit`."""
        for name, value in (("offset", offset), ("limit", limit)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError(f"{name} must be a whole number, 0 or more, not {value!r}")
        self._index.sync()
        return [_article_info(a) for a in self._index.catalog.articles(offset, limit)]

    def article(self, doc_id: str) -> ArticleInfo | None:
        """One indexed article by its id; None when no article has it."""
        self._index.sync()
        found = self._index.catalog.article(doc_id)
        return _article_info(found) if found is not None else None

    def articles_at(self, path: str) -> list[ArticleInfo]:
        """The indexed articles read from this file (its path as `articles` lists it)."""
        self._index.sync()
        return [_article_info(a) for a in self._index.catalog.articles_at(path)]

    def articles_under(self, path: str | Path) -> list[ArticleInfo]:
        """The indexed articles read from the files of a folder (at any depth) and from the records
        of the archives in it, or from the records of an archive (.jsonl, .csv, ...: their files
        are the index's own); none for anything else."""
        from assistant.ingest.archives import ARCHIVES_FOLDER, home_of, homes_under, is_archive

        given = Path(path).expanduser()
        archives = Path(self.settings.index_dir) / ARCHIVES_FOLDER
        if given.is_dir():
            folders = [given.resolve(), *(home.resolve() for home in homes_under(archives, given))]
        elif is_archive(given):
            folders = [home_of(archives, given).resolve()]
        else:
            return []
        self._index.sync()
        found = {a.doc_id: a for folder in folders for a in self._index.catalog.articles_under(str(folder))}
        return [_article_info(a) for a in found.values()]

    def article_count(self) -> int:
        self._index.sync()
        return self._index.catalog.article_count()

    def changes(self) -> int:
        """A number that grows whenever the indexed articles change, by this process or another
        (after catching up with the others): a listing shown at one number is current while it holds."""
        self._index.sync()
        return self._change_count[0]

    def remove(self, doc_id: str) -> bool:
        """Forget an article; False when no article has that id. IngestBusyError while another
        process ingests into this index folder (this process's own ingest takes the removal in)."""
        if self._index.catalog.article(doc_id) is None:
            return False
        self._index.remove([doc_id])
        return True

    def warm_up(self) -> None:
        """Read now what the first question would wait for: Chroma's vector index, which an
        embedded store loads at its first query (3-14 s at a million chunks in a fresh process;
        benchmarks/scale.py). The page runs it in the background as it starts; a failure is
        logged, and the question that meets it reports it."""
        started = time.perf_counter()
        try:
            self._index.store.load_vectors(self._embedder.dim)
        except Exception as exc:  # chromadb raises many unrelated types; the next question names it
            log.warning("could not load the vector index ahead of the first question: %s", exc)
            return
        log.info("vector index loaded in %.1f s", time.perf_counter() - started)

    def warm_up_in_background(self) -> threading.Thread:
        """`warm_up` in a thread of its own, while a person types the first question (a question
        asked meanwhile waits for the same read, no longer)."""
        thread = threading.Thread(target=self.warm_up, name="warm-up", daemon=True)
        thread.start()
        return thread

    def prime(self) -> None:
        """Have the LLM read the fixed answer rules now, so that a local server answers the
        first question as soon as the others. Without an LLM, or when it fails, nothing."""
        if self._llm is None:
            return
        try:
            prime_answer_rules(self._llm)
        except LLMUnavailableError as exc:
            log.warning("could not prime the LLM: %s", exc)

    def retrieve(
        self,
        question: str,
        filters: Filters | None = None,
        top_k: int | None = None,
        as_of: date | str | None = None,
    ) -> list[Passage]:
        """The passages the answer step would read for `question` (`top_k`: default the setting),
        best first; none from an empty index. `as_of`: as in `ask`."""
        turn = read_turn(checked_question(question, self.settings.max_question_chars))
        return self._search(turn, filters, day_asked(as_of), top_k).passages

    def as_query_engine(
        self, streaming: bool = False, filters: Filters | None = None, as_of: date | str | None = None
    ) -> AssistantQueryEngine:
        """This assistant as a LlamaIndex query engine (see assistant/llamaindex.py); questions
        are asked as of `as_of` (default today)."""
        from assistant.llamaindex import AssistantQueryEngine

        day = None if as_of is None else day_asked(as_of)  # None: the day each question is asked
        return AssistantQueryEngine(self, streaming=streaming, filters=filters, as_of=day)

    def as_retriever(
        self,
        top_k: int | None = None,
        filters: Filters | None = None,
        as_of: date | str | None = None,
        similarity_top_k: int | None = None,
    ) -> AssistantRetriever:
        """The hybrid retriever as a LlamaIndex retriever (see assistant/llamaindex.py). Its
        nodes' scores are the fused ranks' (reciprocal rank fusion of the vector and the BM25
        ranking, about 0.01–0.03), not cosine similarities: keep the top ones, not those over a
        similarity cutoff. `similarity_top_k`, LlamaIndex's name for `top_k`, is taken too."""
        from assistant.llamaindex import AssistantRetriever

        if similarity_top_k is not None:
            if top_k is not None and top_k != similarity_top_k:
                raise QuestionError(f"top_k={top_k} and similarity_top_k={similarity_top_k} disagree: give one")
            top_k = similarity_top_k
        day = None if as_of is None else day_asked(as_of)
        _check_top_k(top_k)  # told here, not at the first question
        return AssistantRetriever(self, top_k=top_k, filters=filters, as_of=day)

    def ask(
        self,
        question: str,
        history: Sequence[tuple[str, str]] | None = None,
        filters: Filters | None = None,
        as_of: date | str | None = None,
    ) -> Answer:
        """The cited answer to `question`, read after the (question, answer) turns of `history`.

        `as_of`: the day the question is asked (default today). It matters only to questions in
        relative time ("yesterday", "last week", "the latest", "on Monday"; see
        assistant/relative_time.py): a window reads only articles published in it, and says so
        when there are none; "the latest" prefers newer articles and reads none published after
        `as_of`. The answer then ends with a note naming the day assumed, also in `Answer.assumed`.
        A day written as ISO text ("2026-06-13") is taken too.
        """
        history = _as_history(history)
        question, turn = self._read(question, history)
        day = day_asked(as_of)
        if self._llm is None:
            return self._sources_checked(self._offline(question, turn, self._search(turn, filters, day)))
        llm, window = self._llm, self.settings.llm_context_tokens
        *_, answer = self._with_llm(
            question,
            turn,
            history,
            filters,
            day,
            lambda asked, given: iter([llm_answer(asked, given, llm, window)]),
        )
        assert isinstance(answer, Answer), "the LLM path always ends with the Answer"
        return self._sources_checked(answer)

    def ask_stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] | None = None,
        filters: Filters | None = None,
        as_of: date | str | None = None,
    ) -> Iterator[str | Answer]:
        """The answer as it is written: text pieces, then the final Answer, always last.

        With an LLM the pieces are its raw reply (the model's own [n] numbers); the Answer,
        verified from the whole reply, replaces them. When the LLM fails, even mid-answer, the
        last item is the extractive answer with mode "llm-fallback" and a notice, after no
        further pieces. Without an LLM the extractive answer's text comes in a few pieces.
        `as_of`: as in `ask`.
        """
        history = _as_history(history)
        question, turn = self._read(question, history)
        day = day_asked(as_of)
        if self._llm is None:
            answer = self._sources_checked(self._offline(question, turn, self._search(turn, filters, day)))
            yield from _pieces(answer.text)
            yield answer
            return
        llm, window = self._llm, self.settings.llm_context_tokens
        for item in self._with_llm(
            question,
            turn,
            history,
            filters,
            day,
            lambda asked, given: stream_llm_answer(asked, given, llm, window),
        ):
            yield self._sources_checked(item) if isinstance(item, Answer) else item

    def _read(self, question: str, history: Sequence[tuple[str, str]] | None) -> tuple[str, Turn]:
        """The question checked and read in its conversation; an empty index is an error, not
        a refusal: "the articles don't say" would be untrue of articles never added."""
        question = checked_question(question, self.settings.max_question_chars)
        if only_chat(question):
            raise QuestionError(
                f"{question.strip()!r} asks nothing of the articles; ask a question about them "
                '(who, what, when, where, how many …: "Who won the election?")'
            )
        check_history(history, self.settings)
        if self._index.sync():
            self._after_sync()
        if self._index.catalog.is_empty():
            where = self.settings.chroma_url or str(self.settings.index_dir)
            raise EmptyIndexError(
                f"the index at {where} holds no articles yet; add some with "
                "`assistant ingest PATH...` (the sample articles: `assistant ingest corpus`)"
            )
        # Read as if written out: no chat words around it, a typo of a common word as the index spells it.
        written = spelt_as_indexed(without_chat(question), self._vocabulary)
        # "What else did he say?": the question before, less what was answered (offline: an LLM
        # is given the conversation and asked the follow-up as it stands)
        more = more_of(written, history or []) if self._llm is None else None
        return question, more or read_turn(written, history)

    def _with_llm(
        self,
        question: str,
        turn: Turn,
        history: Sequence[tuple[str, str]] | None,
        filters: Filters | None,
        as_of: date,
        write: Callable[[str, list[Passage]], Iterator[str | Answer]],
    ) -> Iterator[str | Answer]:
        """What `write` (the LLM) yields for the follow-up made standalone, the Answer stamped
        with the question and retrieval; the refusal at once, without the model, when the
        offline answer finds nothing to stand on (a small model asked anyway tends to answer
        from the nearest passage); the offline answer with a notice when the LLM fails."""
        result: RetrievalResult | None = None
        offline: Answer | None = None
        try:
            turn = self._standalone(turn, history)
            result = self._search(turn, filters, as_of)
            draft = self._draft(turn, result)
            offline = self._extractive(question, turn, result, draft)
            if offline.abstained:
                yield from _pieces(offline.text)
                yield replace(offline, notice=NOT_ASKED_NOTICE)
                return
            for item in write(_for_the_model(turn), self._llm_passages(result, draft)):
                if isinstance(item, Answer):
                    item = replace(
                        item,
                        question=question,
                        retrieved_doc_ids=tuple(result.ranked_doc_ids),
                        searched_for=_rewritten(question, turn),
                        confidence=offline.confidence,
                        passages=offline.passages,
                    )
                    item = self._in_time(item, result)
                yield item
        except LLMUnavailableError as exc:
            log.warning("LLM unavailable, answering offline: %s", exc)
            if offline is None:
                offline = self._offline(question, turn, result or self._search(turn, filters, as_of))
            yield replace(offline, mode="llm-fallback", notice=_fallback_notice(exc))

    def _standalone(self, turn: Turn, history: Sequence[tuple[str, str]] | None) -> Turn:
        """A follow-up rewritten by the LLM (prompts/condense_follow_up.txt) to stand alone.

        Only questions that refer back are rewritten; an unusable rewrite keeps the turn as
        read without the LLM. Raises LLMUnavailableError like any other LLM call.
        """
        if self._llm is None or not self.settings.llm_rewrite_follow_ups or not history or not turn.context:
            return turn
        rewritten = condense_follow_up(turn.question, history, self._llm)
        if rewritten is None:
            return turn
        log.info("follow-up %r read as %r", turn.question, rewritten)
        return Turn(rewritten, date=mentioned_date(rewritten) or turn.date)

    def _search(self, turn: Turn, filters: Filters | None, as_of: date, top_k: int | None = None) -> RetrievalResult:
        """The passages for `turn`, in the time frame its words (else those of the questions it
        follows) set, as of `as_of`, and of the outlet it names (assistant/search/outlets.py)
        unless `filters` name one. A window's words are not searched for: they are a filter."""
        if filters is not None:
            filters = self._resolved(filters)
        outlets = self._index.catalog.outlets()
        frame = turn.time_frame(as_of, outlets) or asked_on(as_of)
        if frame is not None and frame.kind == "window":
            turn = turn.without_time_words(frame)
        named = named_outlets(turn.question, outlets)
        outlet = named[0] if len(named) == 1 and not (filters and filters.outlet) else None
        if outlet is not None:
            filters = replace(filters or Filters(), outlet=outlet)
        _check_top_k(top_k)
        wanted = self.settings.top_k if top_k is None else top_k
        # a follow-up with a subject of its own is not of the day its earlier questions name
        own_day = bool(turn.earlier) and not turn.earlier_time
        searched = turn.search_text
        if len(named) > 1:  # "accounts" of the outlets is no word to search for
            searched = without_comparison(searched)
        result = self._retriever.retrieve(searched, wanted, filters, turn.date, frame, date_from_query=not own_day)
        return replace(result, outlet=outlet, filters=filters)

    def _sources_checked(self, answer: Answer) -> Answer:
        """The answer with a notice when a cited file changed since it was ingested: its quote is
        no longer at its offsets there (assistant.answer.citations.changed_sources)."""
        changed = changed_sources(answer.citations)
        if not changed:
            return answer
        log.info("cited files changed since they were ingested: %s", ", ".join(changed))
        notice = changed_notice(changed, shared=bool(self.settings.chroma_url))
        return replace(answer, notice=f"{answer.notice} {notice}" if answer.notice else notice)

    def _resolved(self, filters: Filters) -> Filters:
        """`filters` as given by a caller, with the outlet as the catalog writes it; a date range
        that ends before it starts, or an outlet no article is from, is a QuestionError rather
        than "the articles don't say" of articles the index holds. Dates may be given as ISO
        days ("2022-01-28"), as `as_of` may."""
        if not isinstance(filters, Filters):
            raise QuestionError(f"filters must be a Filters, not {type(filters).__name__}")
        start, end = _day(filters.published_from, "published_from"), _day(filters.published_to, "published_to")
        filters = replace(filters, published_from=start, published_to=end)
        if start and end and start > end:
            raise QuestionError(
                f"no article can be published from {start} to {end}: the range ends before it starts; swap the dates"
            )
        if filters.outlet is not None:
            filters = replace(filters, outlet=filtered_outlet(filters.outlet, self._index.catalog.outlets()))
        return filters

    def _offline(self, question: str, turn: Turn, result: RetrievalResult) -> Answer:
        """The extractive answer."""
        return self._extractive(question, turn, result, self._draft(turn, result))

    def _draft(self, turn: Turn, result: RetrievalResult) -> Draft:
        """The offline answer's draft; words of relative time, once they were a filter or a prior
        that changed what was read, are not looked for in the passages."""
        question, context = turn.question, turn.context
        if result.frame is not None and result.frame_mattered:
            question = result.frame.without_words(question)
            context = result.frame.without_words(context)
        outlet = (result.filters or Filters()).outlet
        sources = None if context else asked_of_sources(question, outlet_named=outlet is not None)
        if sources is not None and (sources.about or outlet is not None):  # "When was the Xinhua article published?"
            return self._of_sources(sources, turn, result)
        order = None if context else asked_order(question)
        if order is not None and (placed := self._in_order(order, turn, result)) is not None:
            return placed  # "Which came first, the arrests or the end of the strike?"
        if outlet is not None and not context and result.passages and not _asks_beside(question, outlet):
            return self._reported_by(result)
        drafted = self._drafted(question, context, turn, result)
        # not where it refused but for a span of time no sentence gives ("no duration or length")
        span = None if context or (drafted.abstained and not drafted.lacking) or _a_span(drafted) else asked_span(question)
        if span is not None and (placed := self._in_order(span, turn, result)) is not None:
            return placed  # "How long was the bridge closed?": "49 days, from 2025-02-10 to 2025-03-31"
        return drafted

    def _drafted(self, question: str, context: str, turn: Turn, result: RetrievalResult) -> Draft:
        """The reader's draft of the answer to `question` from the passages found; of a question
        that compares outlets, each outlet's (synthesis.draft_answer, `outlets`)."""
        outlets = named_outlets(question, self._index.catalog.outlets())
        if len(outlets) > 1:  # "How did the Gazette's and the Voice's accounts differ?"
            question = without_comparison(question, outlets)
        draft = draft_answer(
            question,
            result.passages,
            self._vocabulary,
            context,
            result.date,
            model=self._reader,
            verifier=self._verifier,
            vectors=self._vectors,
            words=self._words,
            spans=self._spans,
            readable=_read_in(result.frame, turn.said_before, result.passages),
            latest=result.frame is not None and result.frame.kind == "recent" and result.frame_mattered,
            articles=self._words_of,
            outlets=outlets if len(outlets) > 1 else (),
        )
        pronoun = None if turn.earlier else unreferred(question, [p.text for p in result.passages])
        if pronoun is not None:  # "who did he beat", asked first: of whom? (said also where refused otherwise)
            return replace(draft, statements=[], abstained=True, short=None, unreferred=pronoun, withheld=None)
        topic = overview_topic(question)
        if topic is None:
            return draft
        if draft.abstained:  # what the articles lack is of the topic, not "Give me an update on"
            named = {word.casefold() for word in re.findall(r"[\w'’-]+", topic)}
            return replace(draft, unused=tuple(w for w in draft.unused if w.casefold() in named))
        return overview(draft, self._openings(draft), QuestionView.of(topic, self._vocabulary).weights)

    def _words_of(self, doc_ids: Sequence[str]) -> list[ArticleWords]:
        """The words of these articles (their title, outlet, date, every chunk and a text file's
        lines before its story), for the answer's check that they mention the names and numbers
        the question asks about (assistant/answer/named.py)."""
        kept = self._article_words
        found = {d: words for d in doc_ids if (words := kept.get(d)) is not None}
        wanted = [self._index.catalog.article(d) for d in doc_ids if d not in found]
        parts = {a.doc_id: [a.title, a.outlet or "", a.published or ""] for a in wanted if a is not None}
        ids = [f"{a.doc_id}:{i}" for a in wanted if a is not None for i in range(a.chunks)]
        for chunk in self._index.store.chunks(ids):
            parts[chunk.metadata["doc_id"]].extend([chunk.text, str(chunk.metadata.get("header") or "")])
        if len(kept) + len(parts) > ARTICLE_WORDS_KEPT:
            kept.clear()
        for doc_id, texts in parts.items():
            found[doc_id] = kept[doc_id] = ArticleWords("\n".join(texts))
        return [found[d] for d in doc_ids if d in found]

    def _of_sources(self, asked: SourceQuestion, turn: Turn, result: RetrievalResult) -> Draft:
        """A question about the articles themselves (answer/sources.py): the articles that report
        what it names ("Which outlets reported the quake?"), or the named outlet's newest ones,
        with `Draft.source` set so the answer leads with their outlets, dates or bylines."""
        outlet = (result.filters or Filters()).outlet
        if asked.about and (outlet is None or _asks_beside(asked.about, outlet)):
            found = self._drafted(asked.about, "", turn, result)
        elif result.passages:
            found = self._reported_by(result)
        else:
            found = Draft([], True, 0.0)
        return replace(found, source=asked)

    def _in_order(self, order: OrderQuestion, turn: Turn, result: RetrievalResult) -> Draft | None:
        """Two events placed in time (answer/timeline.py): each read as a question of its own from
        the passages found, on the day its best sentence gives it; None where the reader refuses
        either, both are one sentence, or either sentence gives no one day."""
        drafts = [self._drafted(event, "", turn, result) for event in (order.first, order.second)]
        if any(d.abstained or not d.statements for d in drafts):
            return None
        leads = [d.statements[0].lead for d in drafts]
        if (leads[0].doc_id, leads[0].source_start) == (leads[1].doc_id, leads[1].source_start):
            return None  # one sentence tells both: which its day is of is not read
        days = [event_day(s.text, published_date(s.passage.metadata)) for s in leads]
        if days[0] is None or days[1] is None or not (placed := Placed(order, (days[0], days[1]))).holds:
            return None
        earlier_first = leads if placed.days[0] <= placed.days[1] else leads[::-1]  # [1] the earlier, as the answer tells it
        statements = [DraftStatement(s) for s in earlier_first]
        return Draft(statements, False, min(d.confidence for d in drafts), placed=placed)

    def _reported_by(self, result: RetrievalResult) -> Draft:
        """"What did Xinhua report?": what an outlet's articles read report, newest first, each
        by its opening sentence (the summary news writes first; answer/overview.py). The reader
        refused it: it asks nothing beside the outlet, and its articles need not name it. The
        answer is what they say, so its confidence is whole."""
        articles = list(dict.fromkeys(str(p.metadata["doc_id"]) for p in result.passages))
        catalog = self._index.catalog
        published = {a: (listed.published or "") if (listed := catalog.article(a)) else "" for a in articles}
        newest = sorted(articles, key=lambda a: published[a], reverse=True)[:MAX_STATEMENTS]
        openings = self._openings_of(newest)
        statements = [DraftStatement(openings[a]) for a in newest if a in openings]
        return Draft(statements, not statements, 1.0 if statements else 0.0)

    def _openings(self, draft: Draft) -> dict[str, EvidenceSentence]:
        """The opening sentence of each article the draft states: the first sentence of its
        first chunk, read from the store."""
        return self._openings_of(list(dict.fromkeys(s.doc_id for st in draft.statements for s in st.sentences)))

    def _openings_of(self, articles: Sequence[str]) -> dict[str, EvidenceSentence]:
        """The opening sentence of each of these articles, read from the store."""
        chunks = self._index.store.chunks([f"{doc_id}:0" for doc_id in articles])
        passages = [Passage(c.chunk_id, c.text, c.metadata, fused=0.0, cosine=0.0) for c in chunks]
        openings: dict[str, EvidenceSentence] = {}
        for sentence in evidence_sentences(passages):  # in each passage's order: its first comes first
            openings.setdefault(sentence.doc_id, sentence)
        return openings

    def _extractive(self, question: str, turn: Turn, result: RetrievalResult, draft: Draft) -> Answer:
        answer = replace(
            compose_answer(question, draft, tuple(result.ranked_doc_ids)),
            searched_for=_rewritten(question, turn),
            passages=tuple(p.text for p in result.passages),
        )
        if result.outlet is not None and answer.abstained:
            answer = replace(answer, text=f"{answer.text} Only {possessive(result.outlet)} articles were read: the question names it.")
        if answer.abstained and not answer.citations:  # the refusal names what the question names as the question wrote it
            answer = replace(answer, text=as_asked(answer.text, question, turn.question))
        if turn.said_before and answer.abstained and answer.text == NOT_IN_ARTICLES:
            answer = replace(answer, text=f"Nothing more was found in the articles for “{turn.more_of}” than the answers before gave.")
        elif answer.abstained and not turn.context and asks_only_for_more(turn.question):  # "What else?" first
            answer = replace(answer, text=NOTHING_BEFORE)
        return self._in_time(answer, result)

    def _in_time(self, answer: Answer, result: RetrievalResult) -> Answer:
        """The answer with the day it assumed, when its time frame changed what was read: a note
        at the end of the text, `Answer.assumed`; a window no article was published in is said
        to be empty, with the nearest days that have articles, rather than answered from
        another time."""
        frame = result.frame
        if frame is None or not result.frame_mattered:
            return self._in_range(answer, result)
        first = frame.published_from
        assumed = AssumedTime(
            frame.as_of.isoformat(),
            frame.said,
            None if first is None else first.isoformat(),
            frame.published_to.isoformat(),
        )
        filters = result.filters or Filters()
        if frame.kind == "window" and not result.passages:
            empty = self._empty_window(frame, filters)
            return replace(answer, text=empty, abstained=True, citations=(), statements=(), assumed=assumed)
        if frame.kind in ("recent", "asked") and answer.abstained:
            last_by, first_after = self._index.catalog.published_around(
                (frame.as_of + timedelta(days=1)).isoformat(), frame.as_of.isoformat(), LATEST_DAY.isoformat(), filters.outlet
            )
            if last_by is None:  # no dated article was published by the day asked
                return replace(answer, text=self._nothing_yet(frame, filters, first_after), assumed=assumed)
        return replace(answer, text=f"{answer.text} {frame.note()}", assumed=assumed)

    def _in_range(self, answer: Answer, result: RetrievalResult) -> Answer:
        """A range of days (`Filters.published_from`/`published_to`, `--since`/`--until`) that
        no article the filters let be read was published in is said to be empty, with the
        nearest days that have such articles: a bare "The articles don't say" read as if the
        articles had been read."""
        filters = result.filters or Filters()
        since, until = filters.published_from, filters.published_to
        if not (since or until):
            return answer
        if result.passages:
            return self._undated_left_out(answer, filters)
        read = _articles_of(filters)
        if since and until:
            span = f"on {since}" if since == until else f"from {since} to {until}"
        else:
            span = f"from {since} on" if since else f"up to {until}"
        before, after = self._index.catalog.published_around(
            (since or EARLIEST_DAY).isoformat(), (until or LATEST_DAY).isoformat(), LATEST_DAY.isoformat(), filters.outlet
        )
        text = f"{NOT_IN_ARTICLES} None of {read} was published {span}.{_nearest_days(read, before, after)}"
        text += self._undated_note(filters)
        return replace(answer, text=text, abstained=True, citations=(), statements=())

    def _undated_left_out(self, answer: Answer, filters: Filters) -> Answer:
        """A refusal of articles read within a range of days says how many undated ones the range
        left out: "--since 2000-01-01" read none of them, and the refusal read as if it had."""
        if not answer.abstained:
            return answer
        return replace(answer, text=answer.text + self._undated_note(filters))

    def _undated_note(self, filters: Filters) -> str:
        """' (3 articles state no date and were not read: ...)', or nothing when all are dated."""
        undated = self._index.catalog.undated(filters.outlet)
        if not undated:
            return ""
        said = "article states no date and was" if undated == 1 else "articles state no date and were"
        return f" ({undated} {said} not read: the dates given read only dated ones.)"

    def _empty_window(self, frame: TimeFrame, filters: Filters) -> str:
        """'The articles don't say. None was published ...': what an empty window says, of the
        articles the filters let be read (an outlet, a range of days), and the nearest days they
        have articles on."""
        assert frame.first is not None and frame.last is not None
        start, end = frame.published_from or frame.first, frame.published_to
        span = f"on {start}" if start == end else f"from {start} to {end}"
        if frame.said_of_a_period and end > frame.last:
            what = f'"{frame.said}" and since'
        else:
            what = f'"{frame.said}"' + (" and the day after" if end > frame.last else "")
        since, until = filters.published_from, filters.published_to
        read = _articles_of(filters)
        if since and until:
            read += f" published from {since} to {until}"
        elif since:
            read += f" published from {since} on"
        elif until:
            read += f" published up to {until}"
        subject = "them" if read == "the articles" else read
        text = f"{NOT_IN_ARTICLES} None of {subject} was published {span} ({what}, assuming today is {frame.as_of})."
        # the nearest days of what could be read: before the window (and by `until`), after it
        # up to today (and `until`), from `since` on
        before_day = min(start, until + timedelta(days=1)) if until else start
        until_day = min(frame.as_of, until) if until else frame.as_of
        before, after = self._index.catalog.published_around(
            before_day.isoformat(), end.isoformat(), until_day.isoformat(), filters.outlet, since.isoformat() if since else None
        )
        return text + _nearest_days(read, before, after)

    def _nothing_yet(self, frame: TimeFrame, filters: Filters, after: str | None) -> str:
        """'The articles don't say. None of them was published by ...': a refusal asked as of a
        day before every dated article the filters let be read, the first of them published on
        `after` (it said "newer articles, up to that day, were preferred", of none: a review of
        news time questions)."""
        read = _articles_of(filters)
        subject = "them" if read == "the articles" else read
        text = f"{NOT_IN_ARTICLES} None of {subject} was published by {frame.as_of}, the day taken as today."
        undated = self._index.catalog.undated(filters.outlet)
        if undated:  # read, as undated articles are for "the latest", and they do not say
            text += f" ({undated} {'article states' if undated == 1 else 'articles state'} no date; read, {'it does' if undated == 1 else 'they do'} not say.)"
        return text + _nearest_days(read, None, after)

    def _llm_passages(self, result: RetrievalResult, draft: Draft) -> list[Passage]:
        """What the LLM reads: the best passages whole, or with `llm_evidence_tokens` set, only
        their best sentences as the offline answer ranked them."""
        if self.settings.llm_evidence_tokens:
            return focus(draft.ranked, self.settings.llm_evidence_tokens, self.settings.llm_passages)
        return result.passages[: self.settings.llm_passages]


# Words that ask what an outlet reported, not about what: "What did Xinhua report / say / write /
# publish / cover?", "What is Xinhua's latest news?"
_OUTLET_ASKING = frozenset(stems("say says said write wrote written publish published cover covered news latest story stories".split()))


def _asks_beside(question: str, outlet: str) -> bool:
    """Whether the question asks about anything beside the outlet it names."""
    named = set(stems([w.casefold() for w in name_words(outlet)]))
    return any(term not in named and term not in _OUTLET_ASKING for term in question_terms(question))


def _articles_of(filters: Filters) -> str:
    """The articles the filters' outlet lets be read, as a refusal names them."""
    return f"{possessive(filters.outlet)} articles" if filters.outlet else "the articles"


def _nearest_days(read: str, before: str | None, after: str | None) -> str:
    """" Of the articles, the latest before then on 2022-01-28 and the earliest after then on
    2022-02-12.": where an empty span of days has the nearest articles; "" where it has none."""
    nearest = [f"the latest before then on {before}"] if before else []
    nearest += [f"the earliest after then on {after}"] if after else []
    return f" Of {read}, {' and '.join(nearest)}." if nearest else ""


def _count_change(counter: list[int]) -> None:
    counter[0] += 1


def _weigh_by(vocabulary: IndexVocabulary, index: ArticleIndex) -> None:
    """The word weights read again, from the index's lexical index as it is now: a rebuild
    another process made switches it, whichever way this one hears of the change (a question,
    or an ingest catching up under its lock)."""
    vocabulary.invalidate(index.lexical)


def _day(given: object, name: str) -> date | None:
    """A Filters date: a date, a datetime's day, an ISO day as text ("2022-01-28"), or None;
    one too near the calendar's ends to count on from is the nearest that is not."""
    if given is None:
        return None
    day = given_day(given)
    if day is None:
        raise QuestionError(f"Filters.{name} must be a date or an ISO day such as 2022-01-28, not {given!r}")
    # date.min and date.max say "no bound": read as the calendar's ends that can still be counted
    # from (the day after 9999-12-31, of "yesterday", was an OverflowError).
    return min(max(day, EARLIEST_DAY), LATEST_DAY)


def _as_history(history: Iterable[tuple[str, str]] | None) -> Sequence[tuple[str, str]] | None:
    """The conversation as a list: one given as a generator was read once, by the check."""
    if history is None or isinstance(history, list | tuple) or not isinstance(history, Iterable):
        return history  # type: ignore[return-value]  # not a sequence: the check says what it must be
    return list(history)


def _check_top_k(top_k: object) -> None:
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
        raise QuestionError(f"top_k must be a whole number of passages, 1 or more, not {top_k!r}")


def _as_paths(paths: Iterable[str | Path] | str | Path) -> list[Path]:
    """Files and folders to read: a list of them, or one given alone ("corpus" is one folder, not
    six one-letter paths)."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    if paths is None or not isinstance(paths, Iterable):
        raise TypeError(f"paths must be a file or folder, or a list of them, not {paths!r}")
    given = list(paths)
    for path in given:  # Path("") is ".": the current folder, read whole
        if isinstance(path, str) and not path.strip():
            raise ValueError(f"an empty path ({path!r}) names no file or folder; give the articles' path")
    return [Path(os.path.expanduser(p)) for p in given]  # "~/news" as a shell would read it


def _as_addresses(urls: Iterable[str] | str) -> list[str]:
    """Addresses to fetch: a list of them, or one given alone (not one address a letter)."""
    if isinstance(urls, str):
        return [urls]
    if urls is None or not isinstance(urls, Iterable):
        raise TypeError(f"urls must be an address or a list of them, not {urls!r}")
    return list(urls)


def _named_by_url(report: IngestReport, found: Snapshots) -> IngestReport:
    """An ingest of snapshot files, its results named by the addresses they were fetched from,
    with the addresses that could not be fetched."""
    report.results = [
        replace(result, path=found.files.get(Path(result.path), result.path)) for result in report.results
    ] + found.skipped
    return report


def _check_read(given: Sequence[str | Path], report: IngestReport) -> None:
    """A rebuild goes live only when it read every path and address it was given: a typo or a
    site that is down must not replace an index with less."""
    unread = report.unread(given)
    if unread:
        reasons = "; ".join(f"{r.path}: {r.reason}" for r in unread[:3])
        raise RebuildError(
            f"the rebuild could not read what it was given ({reasons}), so the index in use is "
            "unchanged: check the paths and addresses and run it again"
        )


def _for_the_model(turn: Turn) -> str:
    """The question as the LLM reads it: a follow-up not rewritten to stand alone comes with
    the questions it follows ("How much money did he ask for? (after: What did Zelensky ask?)")."""
    return f"{turn.question} (after: {turn.context})" if turn.context else turn.question


def _rewritten(question: str, turn: Turn) -> str | None:
    return turn.question if turn.question != question else None


def _fallback_notice(error: LLMUnavailableError) -> str:
    return f"The language model was unavailable ({error}); this is the offline extractive answer."


def _pieces(text: str) -> Iterator[str]:
    """`text` a few words at a time; the pieces join back into it exactly."""
    words = re.findall(r"\s*\S+\s*", text) or [text]
    for start in range(0, len(words), WORDS_PER_PIECE):
        yield "".join(words[start : start + WORDS_PER_PIECE])


def _article_info(article: CatalogArticle) -> ArticleInfo:
    return ArticleInfo(
        doc_id=article.doc_id,
        path=article.path,
        title=article.title,
        outlet=article.outlet,
        published=article.published,
        chunks=article.chunks,
    )


_A_SPAN = re.compile(rf"\b(?:{DURATION_UNITS})\b", re.IGNORECASE)


def _a_span(draft: Draft) -> bool:
    """Whether the draft's short answer is a span of time ("12 days"), which a span asked for
    needs no days placed for; a sentence that writes it outright leads."""
    return draft.short is not None and _A_SPAN.search(draft.short.text) is not None


def _read_in(
    frame: TimeFrame | None, said_before: str = "", passages: Sequence[Passage] = ()
) -> Callable[[EvidenceSentence], bool] | None:
    """Which sentences the answer may read: in the question's time frame (`TimeFrame.reads`),
    and none an answer before quoted (`Turn.said_before`: "What else did he say?"). Asked of a
    weekday ("on Monday") with articles of that day among the passages, a sentence that names
    that weekday of another week is not read ("$3.90 on Monday" of a month before was stated
    beside this Monday's price, under a note naming this Monday: a review of news time
    questions)."""
    this_weekday = frame is not None and frame.kind == "weekday" and any(
        frame.reported_on(published_date(p.metadata)) for p in passages
    )
    if frame is None and not said_before:
        return None

    def readable(sentence: EvidenceSentence) -> bool:
        if said_before and sentence.quote in said_before:
            return False
        if frame is None:
            return True
        published = published_date(sentence.passage.metadata)
        if this_weekday and frame.names_another_day(sentence.text, published):
            return False
        if frame.reports_another_month(sentence.passage.text, published):
            return False
        return frame.reads(sentence.text, published)

    return readable
