"""The cross-encoder: reads a question and one sentence together and scores "this sentence
contains the answer".

It is the first CROSS_LAYERS layers of all-MiniLM-L6-v2 (the embedding model's own weights),
the last of them fine-tuned on SQuAD with a linear head on the [CLS] token
(training/train_cross_encoder.py). Only what training changed is shipped: CROSS_DELTA_PATH, an
fp16 .npz of a few MB whose sha256 must equal CROSS_DELTA_SHA256. `assistant setup` builds the
ONNX file from the base weights and that delta (assistant/answer/cross_encoder_export.py, with
torch, once) and quantizes it to int8; answering runs it with onnxruntime, never torch.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from assistant.errors import ModelNotFoundError

CROSS_LAYERS = 3  # of the base model's 6
TRAINED_LAYERS = (2,)  # fine-tuned; the layers below and the embeddings are the base model's
MAX_PAIR_TOKENS = 64  # question and sentence together; a longer sentence is cut at its end
CROSS_DELTA_PATH = Path(__file__).resolve().parent / "models" / "cross_encoder.npz"
CROSS_DELTA_SHA256 = "f4a066367075a3cacdbe6e9807528a29f6ea83420dc2a364e18d03b25f02bb95"
CROSS_FILE = "cross-encoder-int8.onnx"
CROSS_FP32_FILE = "cross-encoder.onnx"
CROSS_MANIFEST = "cross-encoder.json"
SETUP_HINT = "run `assistant setup` once (`make model` in a checkout) to build it"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_delta(path: Path = CROSS_DELTA_PATH, sha256: str = CROSS_DELTA_SHA256) -> Path:
    """The shipped fine-tuned weights, refused unless they are the ones trained and measured."""
    if not path.is_file():
        raise ModelNotFoundError(f"the cross-encoder weights {path} are missing; reinstall the package")
    if file_sha256(path) != sha256:
        raise ModelNotFoundError(
            f"the cross-encoder weights {path} are not the ones shipped (their sha256 differs from "
            "assistant/answer/cross_encoder.py's CROSS_DELTA_SHA256); restore them from the repository"
        )
    return path


def cross_encoder_ready(target: Path, delta_sha256: str = CROSS_DELTA_SHA256) -> bool:
    """The model folder holds a cross-encoder built from the shipped delta, unchanged since."""
    try:
        manifest = json.loads((target / CROSS_MANIFEST).read_text(encoding="utf-8"))
        return bool(
            manifest.get("delta_sha256") == delta_sha256
            and manifest.get("onnx_sha256") == file_sha256(target / CROSS_FILE)
        )
    except (OSError, ValueError, AttributeError):
        return False


def pair_tokenizer(tokenizer_path: Path) -> Tokenizer:
    """The base model's word pieces, a question and a sentence as one pair ([CLS] q [SEP] s [SEP]),
    cut to MAX_PAIR_TOKENS from the sentence's end; training tokenizes with this same function."""
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_PAIR_TOKENS, strategy="only_second")
    return tokenizer


def encode_pairs(tokenizer: Tokenizer, question: str, sentences: Sequence[str]) -> dict[str, np.ndarray]:
    """input_ids, attention_mask and token_type_ids for one question against each sentence,
    padded to the longest pair."""
    encodings = tokenizer.encode_batch([(question, s) for s in sentences])
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for row, encoding in enumerate(encodings):
        n = len(encoding.ids)
        ids[row, :n], mask[row, :n], types[row, :n] = encoding.ids, 1, encoding.type_ids
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


class PairScorer(Protocol):
    def scores(self, question: str, sentences: Sequence[str]) -> np.ndarray: ...


class CrossEncoder:
    """Scores (question, sentence) pairs: the log-odds that the sentence contains the answer."""

    def __init__(
        self,
        model_dir: Path | None = None,
        threads: int | None = None,
        file: str = CROSS_FILE,
        delta_sha256: str = CROSS_DELTA_SHA256,
    ) -> None:
        """The int8 file built from the delta with `delta_sha256` (the shipped one unless
        training says otherwise); any other `file` (the fp32 one, while building) unchecked."""
        from assistant.search.embedding import default_model_dir

        self.model_dir = Path(model_dir) if model_dir is not None else default_model_dir()
        path = self.model_dir / file
        if file == CROSS_FILE and not cross_encoder_ready(self.model_dir, delta_sha256):
            raise ModelNotFoundError(
                f"the cross-encoder {path} is missing or was built from other weights than the "
                f"shipped ones; {SETUP_HINT}"
            )
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
        self._tokenizer = pair_tokenizer(self.model_dir / "tokenizer.json")

    def scores(self, question: str, sentences: Sequence[str]) -> np.ndarray:
        """One log-odds per sentence, in order."""
        if not sentences:
            return np.zeros(0)
        feeds = encode_pairs(self._tokenizer, question, sentences)
        (logits,) = self._session.run(["logit"], feeds)
        return np.asarray(logits, dtype=np.float64).reshape(-1)


@lru_cache(maxsize=4)
def load_cross_encoder(model_dir: Path | None = None) -> CrossEncoder:
    """One session per model folder, shared by every answer."""
    return CrossEncoder(model_dir)
