"""all-MiniLM-L6-v2 sentence embeddings on CPU through onnxruntime (no torch)."""

from __future__ import annotations

import os
import queue
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Encoding, Tokenizer

from assistant.errors import ModelNotFoundError

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
MAX_TOKENS = 256
# Texts per model call, sorted by length. A single-thread session gains nothing from longer
# batches, and a smaller one pads less, most in ingestion's smaller groups: 8 texts ran 3-10 %
# faster than 16, and as fast as 4 or 2 (benchmarks/README.md, "Ingest throughput").
BATCH_SIZE = 8
# The weights' files: fp32 as exported, int8 by onnxruntime's dynamic quantisation of it
# (faster on CPU, a little less exact; an index records which one built it).
MODEL_FILES = {"fp32": "model.onnx", "int8": "model-int8.onnx"}
MAX_SESSIONS = 4  # model copies in memory (~90 MB each in fp32), at most one per core


def default_model_dir() -> Path:
    """Where `assistant setup` (and `make model`) puts the exported model: inside the environment."""
    return Path(sys.prefix) / "share" / "assistant" / f"{MODEL_NAME}-onnx"


def passage_text(title: str, chunk_text: str) -> str:
    """What the model embeds for a chunk: the headline gives a passage its context."""
    return f"{title}\n{chunk_text}"


class MiniLMEmbedder:
    """Embeds texts as L2-normalised 384-d vectors (mean pooling, 256 word pieces max)."""

    def __init__(
        self,
        model_dir: Path | None = None,
        threads: int | None = None,
        precision: str = "fp32",
        sessions: int | None = None,
    ) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else default_model_dir()
        if precision not in MODEL_FILES:
            raise ModelNotFoundError(f"the encoder is fp32 or int8, not {precision!r}")
        self.precision = precision
        onnx_path = self.model_dir / MODEL_FILES[precision]
        tokenizer_path = self.model_dir / "tokenizer.json"
        if not onnx_path.is_file() or not tokenizer_path.is_file():
            raise ModelNotFoundError(
                f"The embedding model {MODEL_NAME} ({precision}) is not installed in {self.model_dir} "
                f"({onnx_path.name} or tokenizer.json missing). Run `assistant setup` once to export it "
                "(`make model` in a checkout), or set ASSISTANT_MODEL_DIR to the folder that holds it."
            )
        # Several sessions, each on its own share of the cores, run batches side by side: a
        # session of one thread is never held up waiting for its other threads, which another
        # busy thread of the process (ingest's reader and writer) would otherwise delay.
        cores = threads or os.cpu_count() or 1
        count = max(1, min(sessions or MAX_SESSIONS, cores))
        self._sessions = [
            _session(onnx_path, cores // count + (1 if i < cores % count else 0)) for i in range(count)
        ]
        self._input_names = {i.name for i in self._sessions[0].get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.no_padding()  # batches are padded by _run, to their longest text
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)

    @property
    def name(self) -> str:
        """The encoder as an index's manifest records it."""
        return MODEL_NAME if self.precision == "fp32" else f"{MODEL_NAME}-{self.precision}"

    @property
    def dim(self) -> int:
        return DIM

    @property
    def max_tokens(self) -> int:
        return MAX_TOKENS

    def embed(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Embed texts; row i is text i. Batches group texts of similar length."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if len(self._sessions) == 1 or len(texts) <= batch_size:
            out = np.empty((len(texts), DIM), dtype=np.float32)
            for rows, encodings in self._batches(texts, batch_size):
                out[rows] = self._run(self._sessions[0], encodings)
            return out
        stream = self.embed_groups([texts], batch_size)
        try:
            return next(stream)
        finally:
            stream.close()  # its workers end now, not whenever the generator is collected

    def embed_groups(
        self,
        groups: Iterable[Sequence[str]],
        batch_size: int = BATCH_SIZE,
        on_batch: Callable[[int], None] | None = None,
    ) -> Generator[np.ndarray, None, None]:
        """Embed groups of texts one after the other, yielding each group's vectors (row i is
        text i) once all are done. The sessions never wait at a group's end: while the last
        batches of one group finish, the idle sessions start on the next group's (one group is
        read ahead). `on_batch(n)` is told of every n texts embedded (from the sessions' threads,
        two at once), so that a group of thousands (one long article) shows its progress before
        it is done."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        work: queue.PriorityQueue[tuple[int, int, _Task | None]] = queue.PriorityQueue()
        changed = threading.Condition()
        left: dict[int, int] = {}  # group -> batches not done
        outs: dict[int, np.ndarray] = {}
        failure: list[BaseException] = []

        def worker(session: ort.InferenceSession) -> None:
            while True:
                group, _, task = work.get()  # the earliest group first, its longest batches first
                if task is None:
                    return
                try:
                    vectors = self._run(session, task.encodings)
                except BaseException as exc:  # raised to the caller by the generator
                    with changed:
                        failure.append(exc)
                        changed.notify_all()
                    continue
                if on_batch is not None:
                    try:
                        on_batch(len(task.rows))
                    except BaseException as exc:  # raised to the caller, as the model's are
                        with changed:
                            failure.append(exc)
                            changed.notify_all()
                        continue
                with changed:
                    outs[group][task.rows] = vectors
                    left[group] -= 1
                    if not left[group]:
                        changed.notify_all()

        workers = [threading.Thread(target=worker, args=(s,), daemon=True) for s in self._sessions]
        for thread in workers:
            thread.start()
        feed = iter(groups)
        submitted = done = 0
        try:
            while True:
                while submitted <= done + 1:  # the group being embedded and the next one
                    texts = next(feed, None)
                    if texts is None:
                        break
                    batches = list(self._batches(texts, batch_size))
                    with changed:
                        outs[submitted] = np.empty((len(texts), DIM), dtype=np.float32)
                        left[submitted] = len(batches)
                    for order, (rows, encodings) in enumerate(reversed(batches)):
                        work.put((submitted, order, _Task(rows, encodings)))
                    submitted += 1
                if done == submitted:
                    return
                with changed:
                    while left[done] and not failure:
                        changed.wait()
                    if failure:
                        raise failure[0]
                    del left[done]
                    out = outs.pop(done)
                yield out
                done += 1
        finally:
            while not work.empty():  # a caller that stopped early: drop what is queued
                work.get_nowait()
            for _ in workers:
                work.put((sys.maxsize, 0, None))
            for thread in workers:
                thread.join()

    def _batches(self, texts: Sequence[str], batch_size: int) -> Iterator[tuple[list[int], list[Encoding]]]:
        """The texts' rows and word pieces in batches of similar length, shortest first."""
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            yield rows, [encodings[i] for i in rows]

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one text; shape (384,)."""
        result: np.ndarray = self._run(self._sessions[0], [self._tokenizer.encode(text)])[0]
        return result

    def count_tokens(self, text: str) -> int:
        """Word pieces in text, [CLS] and [SEP] included, before truncation."""
        return len(self._counter.encode(text).ids)

    @cached_property
    def _counter(self) -> Tokenizer:
        counter = Tokenizer.from_str(self._tokenizer.to_str())
        counter.no_truncation()
        return counter

    def _run(self, session: ort.InferenceSession, encodings: Sequence[Encoding]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: np.ndarray = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return result


@dataclass(frozen=True)
class _Task:
    rows: list[int]
    encodings: list[Encoding]


def _session(onnx_path: Path, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(onnx_path), sess_options=options, providers=["CPUExecutionProvider"])
