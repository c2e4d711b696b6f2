"""The reader's cross-encoder: the real model `assistant setup` built from the shipped delta."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.answer.cross_encoder import (
    CROSS_DELTA_PATH,
    CROSS_FILE,
    CROSS_MANIFEST,
    CrossEncoder,
    check_delta,
    cross_encoder_ready,
    load_cross_encoder,
)
from assistant.errors import ModelNotFoundError
from assistant.search.embedding import default_model_dir
from assistant.search.model_setup import model_ready

# Invented news: for each question, a sentence that says the answer and one from the same story
# that only circles the topic (the same names and words, another fact).
PAIRS = [
    (
        "Which show did Netflix renew for a second season?",
        "Netflix has renewed Squid Game for a second season, the streaming company said on Sunday.",
        "Netflix said the second season of its most-watched shows would be announced on Sunday.",
    ),
    (
        "When did the new bridge over the river open?",
        "The new bridge over the river opened to traffic on 4 March 2019.",
        "Engineers have inspected the new bridge over the river after complaints about noise.",
    ),
    (
        "How many people were evacuated after the flood?",
        "About 12,000 people were evacuated from villages along the river after the flood.",
        "People who were evacuated after the flood criticised the regional government.",
    ),
    (
        "Who was appointed chief executive of the airline?",
        "The airline appointed Maria Okafor, its finance director, as chief executive on Tuesday.",
        "The airline's chief executive is expected to present the annual results next month.",
    ),
]


@pytest.mark.parametrize(("question", "answers", "circles"), PAIRS)
def test_the_sentence_that_holds_the_answer_scores_above_the_one_that_circles_it(
    question: str, answers: str, circles: str
) -> None:
    scores = load_cross_encoder().scores(question, [answers, circles])
    assert scores.shape == (2,) and np.isfinite(scores).all()
    assert scores[0] > scores[1], scores


def test_scores_do_not_depend_on_the_batch() -> None:
    model = load_cross_encoder()
    question, answers, circles = PAIRS[0]
    together = model.scores(question, [answers, circles, "A long sentence about nothing. " * 40])
    alone = [float(model.scores(question, [s])[0]) for s in (answers, circles)]
    assert np.allclose(together[:2], alone, atol=1e-3)
    assert model.scores(question, []).shape == (0,)


def test_the_installed_model_is_the_one_built_from_the_shipped_delta() -> None:
    assert check_delta() == CROSS_DELTA_PATH
    assert cross_encoder_ready(default_model_dir())
    assert model_ready(default_model_dir())


def test_the_checksums_are_enforced(tmp_path: Path) -> None:
    changed = tmp_path / "cross_encoder.npz"
    data = bytearray(CROSS_DELTA_PATH.read_bytes())
    data[-100] ^= 1
    changed.write_bytes(bytes(data))
    with pytest.raises(ModelNotFoundError, match="not the ones shipped"):
        check_delta(changed)
    with pytest.raises(ModelNotFoundError, match="missing"):
        check_delta(tmp_path / "absent.npz")
    # A model folder whose cross-encoder was built from other weights, or changed since, is refused.
    folder = tmp_path / "model"
    folder.mkdir()
    for name in (CROSS_FILE, CROSS_MANIFEST, "tokenizer.json"):
        shutil.copyfile(default_model_dir() / name, folder / name)
    assert cross_encoder_ready(folder)
    manifest = json.loads((folder / CROSS_MANIFEST).read_text(encoding="utf-8"))
    (folder / CROSS_MANIFEST).write_text(json.dumps({**manifest, "delta_sha256": "0" * 64}), encoding="utf-8")
    assert not cross_encoder_ready(folder)
    with pytest.raises(ModelNotFoundError, match="assistant setup"):
        CrossEncoder(folder)
    (folder / CROSS_MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with (folder / CROSS_FILE).open("ab") as handle:
        handle.write(b"\0")
    assert not cross_encoder_ready(folder)


@pytest.mark.slow
def test_setup_builds_the_cross_encoder_from_the_base_weights_and_the_delta(tmp_path: Path) -> None:
    from assistant.answer import cross_encoder_export

    target = tmp_path / "model"
    assert cross_encoder_export.main(["--target", str(target)]) == 0
    assert cross_encoder_ready(target) and (target / "tokenizer.json").is_file()
    question, answers, circles = PAIRS[0]
    built = CrossEncoder(target).scores(question, [answers, circles])
    assert np.allclose(built, load_cross_encoder().scores(question, [answers, circles]), atol=1e-4)
    assert cross_encoder_export.main(["--target", str(target)]) == 0  # up to date: nothing rebuilt
