"""The answer verifier's path through the assistant: a cross-encoder exported to int8 ONNX the
way training/train_verifier.py exports the trained one (here untrained: no trained verifier is
shipped, see training/README.md), run with onnxruntime, its log-odds read by a reader model
trained with it. torch comes with `assistant setup`, which the suite's install runs."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.answer.evidence import evidence_sentences
from assistant.answer.features import NOT_VERIFIED
from assistant.answer.reader import ReaderModelError
from assistant.answer.verifier import VERIFY_TOP, Verifier, pair_tokenizer, to_verify, verified_logits
from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import REPO, open_assistant
from tests.test_reader import SHOW_ARTICLES, _one_split_forest

RENEWAL = "Netflix has renewed Squid Game for a second season, the streaming company said on Sunday."
FILMING = "Filming is expected to begin in Seoul next year."
AWARD = "Lee Jung-jae became the first Korean actor to win a Screen Actors Guild award on Sunday."


@pytest.fixture(scope="module")
def verifier_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An untrained verifier (the MiniLM weights, a head of seeded random weights), exported."""
    torch = pytest.importorskip("torch")
    from transformers import AutoModel

    sys.path.insert(0, str(REPO / "training"))
    from verifier_model import Cross, base_model_dir, example_pairs, export

    torch.manual_seed(0)
    model = Cross(AutoModel.from_pretrained(str(base_model_dir())))
    model.eval()
    out = tmp_path_factory.mktemp("verifier") / "verifier-int8.onnx"
    export(model, out, example_pairs())
    return out


@pytest.fixture(scope="module")
def verifier(verifier_file: Path, embedder: MiniLMEmbedder) -> Verifier:
    return Verifier(verifier_file, embedder.model_dir / "tokenizer.json")


def test_a_sentence_scores_the_same_alone_and_beside_others(verifier: Verifier) -> None:
    """One pair a run: int8 scales a batch by its own range, so batching would move a score."""
    question = "Which show was renewed for a new season?"
    alone = verifier.logits(question, [RENEWAL])[0]
    beside = verifier.logits(question, [FILMING, RENEWAL, AWARD])
    assert alone == beside[1]
    assert len(set(beside.tolist())) == 3  # it reads the sentence: three sentences, three scores


def test_only_the_sentences_the_prior_ranks_first_are_verified(verifier: Verifier) -> None:
    texts = [f"Sentence {n} about the season." for n in range(VERIFY_TOP + 3)]
    prior = [float(n) for n in range(len(texts))]  # the last ones rank first
    logits = verified_logits(verifier, "Which show was renewed?", texts, prior)
    chosen = set(to_verify(prior))
    assert chosen == set(range(3, len(texts)))
    assert all((logit != NOT_VERIFIED) == (n in chosen) for n, logit in enumerate(logits))


def _reader_reading_the_verifier(tmp_path: Path, verifier_sha256: str) -> Path:
    """A reader model whose trees read only the verifier: a verified sentence is likely (+2),
    others not (-2); the answer is as likely as its best verified sentence is verified."""
    threshold = NOT_VERIFIED + 1.0
    sentence = _one_split_forest("verified")
    answer = _one_split_forest("best_verified")
    for forest in (sentence, answer):
        forest["trees"][0]["threshold"][0] = threshold  # type: ignore[index]
    data = {
        "sentence": sentence,
        "answer": answer,
        "calibration": {"slope": 1.0, "intercept": 0.0},
        "abstain_below": 0.5,
        "info": {"verifier_sha256": verifier_sha256},
    }
    path = tmp_path / f"reader-{verifier_sha256[:12]}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_reader_trained_with_the_verifier_answers_with_it_and_names_it(
    tmp_path: Path, verifier_file: Path, embedder: MiniLMEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in SHOW_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    sha = hashlib.sha256(verifier_file.read_bytes()).hexdigest()
    reader = _reader_reading_the_verifier(tmp_path, sha)
    bot = open_assistant(tmp_path / "index", embedder, reader_file=reader, verifier_file=verifier_file)
    bot.ingest([folder])
    answer = bot.ask("Which show did Netflix renew for a second season?")
    assert not answer.abstained, answer.text
    assert answer.confidence == pytest.approx(1 / (1 + math.exp(-2.0))), answer.confidence

    with pytest.raises(ReaderModelError, match="set ASSISTANT_VERIFIER_FILE"):
        open_assistant(tmp_path / "index", embedder, reader_file=reader)
    other = _reader_reading_the_verifier(tmp_path, "0" * 64)
    with pytest.raises(ReaderModelError, match="not the one the reader model was trained with"):
        open_assistant(tmp_path / "index", embedder, reader_file=other, verifier_file=verifier_file)
    with pytest.raises(ReaderModelError, match="cannot be read"):
        open_assistant(tmp_path / "index", embedder, reader_file=reader, verifier_file=tmp_path / "absent.onnx")
    # the shipped reader reads no verifier: one named that is no file is a mistake said, one that
    # is a file is said to be unused (both were passed over without a word)
    with pytest.raises(ReaderModelError, match=r"absent\.onnx .* is no file; the reader model in use reads no verifier"):
        open_assistant(tmp_path / "index", embedder, verifier_file=tmp_path / "absent.onnx")
    with caplog.at_level(logging.WARNING, logger="assistant.assistant"):
        open_assistant(tmp_path / "index", embedder, verifier_file=verifier_file)
    assert "reads no answer verifier" in caplog.text


def test_a_device_run_trains_on_word_pieces_and_sends_back_what_the_assistant_runs(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    """training/verifier_device.py as the GPU machine runs it (here on the CPU, a few pairs, one
    step): it keeps a question's answers and its first negatives, and the int8 file it sends back
    in pieces scores every pair exactly as the assistant's Verifier does."""
    pytest.importorskip("torch")
    sys.path.insert(0, str(REPO / "training"))
    from verifier_model import write_device_folder

    tokenizer = pair_tokenizer(embedder.model_dir / "tokenizer.json")
    question = "Which show was renewed for a new season?"
    texts = [(question, RENEWAL), (question, FILMING), (question, AWARD), ("Where is it filmed?", FILMING)]
    pairs = [(e.ids, e.type_ids) for e in tokenizer.encode_batch(texts)]
    labels, places = [1, 0, 0, 1], [-1, 0, 1, -1]  # AWARD is the question's second negative
    write_device_folder(tmp_path / "device", {"A": (pairs, labels, places), "B": (pairs[::-1], labels[::-1],
                                                                               places[::-1])},
                        {"A": pairs[:3], "B": pairs})
    out = tmp_path / "out"
    subprocess.run(
        [sys.executable, str(REPO / "training" / "verifier_device.py"), "--work", str(tmp_path / "device"),
         "--out", str(out), "--name", "t", "--negatives", "1", "--processes", "2"],
        check=True, timeout=600, env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    report = json.loads((out / "t.json").read_text())
    assert report["pairs_A"] == [3, 2] and report["pairs_B"] == [3, 2]  # AWARD left out of each
    parts = sorted(out.glob("t.A.onnx.part*"))
    assert parts
    model = tmp_path / "verifier-A.onnx"
    model.write_bytes(b"".join(p.read_bytes() for p in parts))
    assert hashlib.sha256(model.read_bytes()).hexdigest() == report["A_sha256"]
    scored = np.load(out / "t.logits.npz")
    assert len(scored["A"]) == 3 and len(scored["B"]) == 4
    verifier = Verifier(model, embedder.model_dir / "tokenizer.json", threads=1)
    for (q, s), logit in zip(texts[:3], scored["A"]):
        assert verifier.logits(q, [s])[0] == pytest.approx(logit, abs=1e-6)


def test_a_follow_up_is_verified_with_the_questions_it_refers_back_to(
    tmp_path: Path, verifier_file: Path, verifier: Verifier, embedder: MiniLMEmbedder
) -> None:
    """"What about Iran?" alone says nothing of what is asked: the verifier reads the earlier
    question with it. The reader's trees here split between the two readings' best log-odds, so
    the confidence says which one the verifier was given."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "renewal.txt").write_text(SHOW_ARTICLES["renewal.txt"], encoding="utf-8")
    earlier, follow_up = "Which show did Netflix renew?", "When did they say so?"
    sha = hashlib.sha256(verifier_file.read_bytes()).hexdigest()
    reader = _reader_reading_the_verifier(tmp_path, sha)
    bot = open_assistant(tmp_path / "index", embedder, reader_file=reader, verifier_file=verifier_file)
    bot.ingest([folder])
    texts = [s.text for s in evidence_sentences(bot.retrieve(follow_up))]
    assert 1 < len(texts) <= VERIFY_TOP  # one article: every sentence is read, whatever the order
    alone = float(verifier.logits(follow_up, texts).max())
    joint = float(verifier.logits(f"{earlier} {follow_up}", texts).max())
    assert alone != joint
    data = json.loads(reader.read_text(encoding="utf-8"))
    data["answer"]["trees"][0]["threshold"][0] = (alone + joint) / 2
    split = tmp_path / "reader-split.json"  # a new file: models are cached by path
    split.write_text(json.dumps(data), encoding="utf-8")
    bot = open_assistant(tmp_path / "index", embedder, reader_file=split, verifier_file=verifier_file)

    answer = bot.ask(follow_up, history=[(earlier, "Squid Game.")])
    expected = 1 / (1 + math.exp(-2.0 if joint > alone else 2.0))
    assert answer.confidence == pytest.approx(expected), (answer.confidence, alone, joint)
