"""The answer verifier: a cross-encoder that reads a question and one sentence together and says
whether the sentence answers it, where the reader's features only count shared words.

all-MiniLM-L6-v2 (the embedding model's weights) fine-tuned on question/sentence pairs of SQuAD
v1.1 dev part 1 and the constructed news by training/train_verifier.py, exported to ONNX and
quantised to int8 (one scale per output channel). It reads `[CLS] question [SEP] sentence
[SEP]`, at most MAX_PIECES word pieces, one pair per run: onnxruntime's dynamic int8 quantisation
scales a batch by its own range, so a sentence scored in a batch would score differently beside
other sentences. It reads the VERIFY_TOP sentences the hand-weighted prior ranks first
(`to_verify`); a reader trained with it (`train_reader.py --verifier`) reads its log-odds
(features.VERIFIER_FEATURES).

None is shipped: measured, it did not keep the sample news's gates (training/README.md, "An
answer verifier trained on the news too" and "The verifier on a machine with a GPU"). A reader
model that reads no verifier feature, the shipped one, never loads it; one that does names the
verifier it was trained with (its sha256), given with the `verifier_file` setting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np
from tokenizers import Encoding, Tokenizer

from assistant.answer.features import NOT_VERIFIED
from assistant.answer.reader import ReaderModelError

MAX_PIECES = 128
VERIFY_TOP = 8


def pair_tokenizer(path: Path) -> Tokenizer:
    """The embedding model's tokenizer (`path`: its tokenizer.json) as the verifier reads a pair:
    truncated to MAX_PIECES, unpadded (one pair a run; training pads its batches itself)."""
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(MAX_PIECES)
    tokenizer.no_padding()
    return tokenizer


def to_verify(prior_scores: Sequence[float]) -> list[int]:
    """The sentences the verifier reads: the VERIFY_TOP best by the hand-weighted prior (its
    order does not depend on the verifier, so training and answering choose the same ones)."""
    order = sorted(range(len(prior_scores)), key=lambda i: -prior_scores[i])
    return order[:VERIFY_TOP]


class Verifier:
    """Scores question/sentence pairs with the exported cross-encoder."""

    def __init__(self, model: Path, tokenizer: Path, threads: int = 2) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # pairs run side by side instead, `threads` at a time
        options.inter_op_num_threads = 1
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="verifier") if threads > 1 else None
        self._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = pair_tokenizer(tokenizer)

    def logits(self, question: str, sentences: Sequence[str]) -> np.ndarray:
        """The log-odds that each sentence answers the question."""
        encodings = self._tokenizer.encode_batch([(question, sentence) for sentence in sentences])
        if self._pool is None or len(encodings) < 2:
            return np.array([self._one(e) for e in encodings])
        return np.array(list(self._pool.map(self._one, encodings)))

    def _one(self, encoding: Encoding) -> float:
        feed = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
        }
        return float(self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0][0])


def verified_logits(verifier: Verifier, question: str, texts: Sequence[str], prior_scores: Sequence[float]) -> list[float]:
    """One log-odds per sentence: the verifier's for those `to_verify` chooses, NOT_VERIFIED for
    the others."""
    chosen = to_verify(prior_scores)
    found = [NOT_VERIFIED] * len(texts)
    for i, logit in zip(chosen, verifier.logits(question, [texts[i] for i in chosen])):
        found[i] = float(logit)
    return found


@lru_cache(maxsize=2)
def load_verifier(path: Path | None, sha256: str, tokenizer: Path) -> Verifier:
    """The verifier a reader model was trained with: `path` (the `verifier_file` setting), whose
    sha256 must be the one the reader file names, with the embedding model's `tokenizer` (the
    word pieces it was trained on)."""
    if path is None:
        raise ReaderModelError(
            "the reader model reads the answer verifier's scores: set ASSISTANT_VERIFIER_FILE to the "
            "verifier it was trained with (training/train_verifier.py)"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReaderModelError(
            f"the answer verifier {path} cannot be read ({exc.strerror}); train one with "
            "`python training/train_verifier.py`"
        ) from None
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise ReaderModelError(
            f"the answer verifier {path} is not the one the reader model was trained with (its sha256 "
            f"differs from the {sha256[:12]}… the reader file names)"
        )
    if not tokenizer.is_file():
        raise ReaderModelError(f"the embedding model's tokenizer {tokenizer} is missing: run `assistant setup`")
    return Verifier(path, tokenizer)
