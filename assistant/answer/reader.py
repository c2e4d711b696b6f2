"""The learned reader: gradient-boosted trees that score "this sentence answers the question"
and "this answer is right", evaluated with numpy from a JSON file that holds only numbers.

The model file (assistant/answer/models/reader.json) is written by training/train_reader.py
from SQuAD v1.1 (CC BY-SA 4.0; see training/README.md); its sha256 is checked on load, so a
file that is not the one trained and measured never answers. Loading runs no code from it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from assistant.answer.features import ANSWER_FEATURES, SENTENCE_FEATURES, VERIFIER_FEATURES
from assistant.errors import AssistantError

T = TypeVar("T")

MODEL_PATH = Path(__file__).resolve().parent / "models" / "reader.json"
MODEL_SHA256 = "b57414e500be6241051d51daf731a61ae431e9efe72fb4f1a6aa39bcf6107cd5"


class ReaderModelError(AssistantError):
    """The reader's model file is missing or is not the one shipped."""


@dataclass(frozen=True)
class Forest:
    """Binary gradient-boosted trees, all padded to one node count so that every tree of a
    forest steps down one level at once."""

    baseline: float
    feature: np.ndarray  # (trees, nodes) int
    threshold: np.ndarray  # (trees, nodes) float: go left when x <= threshold
    left: np.ndarray  # (trees, nodes) int
    right: np.ndarray  # (trees, nodes) int
    leaf: np.ndarray  # (trees, nodes) bool
    value: np.ndarray  # (trees, nodes) float
    depth: int
    features: tuple[str, ...]  # what the trees were trained on, in the file's order

    @classmethod
    def from_dict(cls, data: dict[str, Any], computed: tuple[str, ...]) -> Forest:
        """The trees of `data`, reading rows of the `computed` features: a model trained on
        some of them (named in its file) has its feature numbers turned into their columns."""
        features = tuple(data["features"])
        unknown = [name for name in features if name not in computed]
        if unknown:
            raise ReaderModelError(
                f"the reader model reads features assistant/answer/features.py does not compute "
                f"({', '.join(unknown)}); train it again with `python training/train_reader.py`"
            )
        column = np.array([computed.index(name) for name in features], dtype=np.int64)
        trees = data["trees"]
        width = max(len(t["feature"]) for t in trees)

        def padded(key: str, fill: float, dtype: type) -> np.ndarray:
            return np.array([t[key] + [fill] * (width - len(t[key])) for t in trees], dtype=dtype)

        return cls(
            baseline=float(data["baseline"]),
            feature=column[padded("feature", 0, np.int64)],
            threshold=padded("threshold", 0.0, np.float64),
            left=padded("left", 0, np.int64),
            right=padded("right", 0, np.int64),
            leaf=padded("leaf", True, np.bool_),
            value=padded("value", 0.0, np.float64),
            depth=int(data["depth"]),
            features=features,
        )

    def raw(self, rows: np.ndarray) -> np.ndarray:
        """The summed tree outputs (log-odds) of each row."""
        n, trees = rows.shape[0], self.feature.shape[0]
        node = np.zeros((n, trees), dtype=np.int64)
        tree = np.arange(trees)[None, :]
        for _ in range(self.depth):
            feature = self.feature[tree, node]
            x = np.take_along_axis(rows, feature, axis=1)
            step = np.where(x <= self.threshold[tree, node], self.left[tree, node], self.right[tree, node])
            node = np.where(self.leaf[tree, node], node, step)
        return self.baseline + self.value[tree, node].sum(axis=1)

    def probability(self, rows: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.raw(rows)))


@dataclass(frozen=True)
class ReaderModel:
    sentence: Forest  # P(sentence holds the answer)
    answer: Forest  # log-odds that the answer is right, before calibration
    calibration_slope: float  # Platt scaling: confidence = sigmoid(slope * logit(p) + intercept)
    calibration_intercept: float
    abstain_below: float  # the one abstention setting: answer only at this confidence or more
    info: dict[str, Any]

    @property
    def reads_verifier(self) -> bool:
        """Whether its trees read the answer verifier's log-odds (then it must run)."""
        return any(f in VERIFIER_FEATURES for f in (*self.sentence.features, *self.answer.features))

    @property
    def verifier_sha256(self) -> str:
        """The sha256 of the verifier it was trained with ("" when it reads none)."""
        return str(self.info.get("verifier_sha256", ""))

    def sentence_probabilities(self, rows: list[list[float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        return self.sentence.probability(np.asarray(rows, dtype=np.float64))

    def confidence(self, row: list[float]) -> float:
        """Calibrated: of answers given with confidence about p, about p are right."""
        raw = float(self.answer.raw(np.asarray([row], dtype=np.float64))[0])
        return float(1.0 / (1.0 + np.exp(-(self.calibration_slope * raw + self.calibration_intercept))))


def model_from_dict(data: dict[str, Any]) -> ReaderModel:
    sentence = Forest.from_dict(data["sentence"], SENTENCE_FEATURES)
    answer = Forest.from_dict(data["answer"], ANSWER_FEATURES)
    return ReaderModel(
        sentence=sentence,
        answer=answer,
        calibration_slope=float(data["calibration"]["slope"]),
        calibration_intercept=float(data["calibration"]["intercept"]),
        abstain_below=float(data["abstain_below"]),
        info=dict(data.get("info", {})),
    )


def read_model_file(
    path: Path, sha256: str | None, name: str, script: str, parse: Callable[[Any], T], hint: str = ""
) -> T:
    """A model file the assistant ships (`name`: "reader model", say), checked against its sha256
    (None: unchecked, a user's own file), its JSON read by `parse`; every problem is a
    ReaderModelError that names the file. `script` trains one; `hint` adds another way out when
    the file is missing."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReaderModelError(
            f"the {name} {path} is missing; reinstall the package, train one with `python {script}`{hint}"
        ) from None
    except OSError as exc:
        raise ReaderModelError(f"the {name} {path} cannot be read ({exc.strerror})") from None
    if sha256 is not None and hashlib.sha256(raw).hexdigest() != sha256:
        raise ReaderModelError(
            f"the {name} {path} is not the one shipped (its sha256 differs from the MODEL_SHA256 "
            "of the module that loads it); restore it from the repository"
        )
    try:
        return parse(json.loads(raw))
    except ReaderModelError:
        raise
    except (ValueError, KeyError, TypeError, IndexError) as exc:  # not JSON, or JSON of another shape
        raise ReaderModelError(
            f"{path} is not a {name} written by {script} ({exc.__class__.__name__}: {exc})"
        ) from None


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH, sha256: str | None = MODEL_SHA256) -> ReaderModel:
    """The shipped model, checked against its sha256 (None: unchecked, for training)."""
    return read_model_file(
        path,
        sha256,
        "reader model",
        "training/train_reader.py",
        model_from_dict,
        ", or set ASSISTANT_READER_FILE to its file",
    )
