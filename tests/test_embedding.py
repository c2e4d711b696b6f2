"""The exported all-MiniLM-L6-v2 ONNX model (run `make model` first)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import ModelNotFoundError
from assistant.search import export_model
from assistant.search.embedding import MiniLMEmbedder, default_model_dir
from assistant.search.llama_embedding import LlamaIndexMiniLM

os.environ["HF_HUB_OFFLINE"] = "1"

MIN_COSINE = 0.9999


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a, b = np.atleast_2d(a), np.atleast_2d(b)
    result: np.ndarray = (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return result


def test_matches_torch_reference(embedder: MiniLMEmbedder) -> None:
    manifest = json.loads((default_model_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model_name"] == embedder.name == "all-MiniLM-L6-v2"
    assert manifest["dim"] == embedder.dim == 384
    assert manifest["max_seq_length"] == embedder.max_tokens == 256
    texts = [r["text"] for r in manifest["reference"]]
    expected = np.array([r["embedding"] for r in manifest["reference"]], dtype=np.float32)
    got = embedder.embed(texts)
    assert got.dtype == np.float32 and got.shape == (len(texts), 384)
    assert cosines(got, expected).min() >= MIN_COSINE
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_paraphrase_scores_higher_than_unrelated(embedder: MiniLMEmbedder) -> None:
    a, b, c = embedder.embed(
        [
            "The central bank raised interest rates by a quarter point.",
            "The Fed increased borrowing costs by 0.25 percentage points.",
            "The striker scored twice in the second half of the cup final.",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.2


def test_batch_equals_one_by_one(embedder: MiniLMEmbedder) -> None:
    texts = [
        "Short.",
        "A considerably longer sentence about the election results in three states. " * 5,
        "Medium length text about a storm hitting the coast.",
        "",
        "Another short one.",
        "Markets rallied on Friday. " * 20,
        "Ünïcödé café in 東京.",
    ]
    batched = embedder.embed(texts, batch_size=3)
    single = np.stack([embedder.embed_query(t) for t in texts])
    assert batched.shape == (len(texts), 384)
    assert cosines(batched, single).min() >= MIN_COSINE


def test_sessions_side_by_side_give_the_vectors_of_one(embedder: MiniLMEmbedder) -> None:
    texts = [f"Item {i}: " + "the council voted on the budget again " * (i % 9) for i in range(70)]
    two = MiniLMEmbedder(threads=2)  # two one-thread sessions take batches from one queue
    one = MiniLMEmbedder(threads=1)
    assert np.abs(two.embed(texts) - one.embed(texts)).max() < 1e-5


def test_groups_stream_through_the_sessions_in_order() -> None:
    groups = [[f"Group {g} text {i}: " + "the storm reached the coast " * ((g + i) % 7) for i in range(g * 9)] for g in range(6)]
    two = MiniLMEmbedder(threads=2)
    streamed = list(two.embed_groups(iter(groups)))
    assert [len(v) for v in streamed] == [len(g) for g in groups]
    for vectors, texts in zip(streamed, groups, strict=True):
        if texts:
            assert np.abs(vectors - MiniLMEmbedder(threads=1).embed(texts)).max() < 1e-5


def test_every_batch_embedded_is_told_and_a_failing_listener_is_raised() -> None:
    """`on_batch` hears of each batch as the sessions finish it, so one group of hundreds of
    texts (one long article) shows progress before its vectors are yielded."""
    two = MiniLMEmbedder(threads=2)
    told: list[int] = []
    lock = threading.Lock()

    def heard(count: int) -> None:
        with lock:
            told.append(count)

    groups = [["the storm reached the coast " * (i % 5 + 1) for i in range(100)], ["a text"] * 3]
    stream = two.embed_groups(iter(groups), batch_size=8, on_batch=heard)
    first = next(stream)
    assert len(first) == 100 and sum(told) >= 100 and len(told) >= 13  # 100 texts in batches of 8
    assert len(next(stream)) == 3
    assert sum(told) == 103 and max(told) == 8

    def broken(count: int) -> None:
        raise RuntimeError("the listener broke")

    with pytest.raises(RuntimeError, match="listener broke"):
        list(two.embed_groups(iter(groups), on_batch=broken))


def test_a_failing_feed_is_raised_and_a_stopped_stream_ends_its_workers() -> None:
    two = MiniLMEmbedder(threads=2)

    def feed() -> Iterator[list[str]]:
        yield ["one text " * 10] * 40
        raise OSError("the reader broke")

    stream = two.embed_groups(feed())
    with pytest.raises(OSError, match="reader broke"):
        list(stream)
    before = threading.active_count()
    stream = two.embed_groups(iter([["a text"] * 64] * 10))
    next(stream)
    stream.close()  # the consumer stops early: nothing is left running
    assert threading.active_count() <= before


def test_empty_input(embedder: MiniLMEmbedder) -> None:
    out = embedder.embed([])
    assert out.shape == (0, 384) and out.dtype == np.float32


def test_long_text_is_truncated(embedder: MiniLMEmbedder) -> None:
    text = " ".join(f"word{i % 50} news" for i in range(1000))
    assert len(text.split()) == 2000
    assert embedder.count_tokens(text) > embedder.max_tokens
    vector = embedder.embed_query(text)
    assert vector.shape == (384,) and np.isfinite(vector).all()
    # Words past the 256th word piece do not change the vector.
    assert cosines(vector, embedder.embed_query(text + " completely different ending"))[0] > 0.99999


def test_count_tokens_includes_special_tokens(embedder: MiniLMEmbedder) -> None:
    assert embedder.count_tokens("") == 2
    assert embedder.count_tokens("hello world") == 4


def test_missing_model_dir(tmp_path: Path) -> None:
    missing = tmp_path / "no-model-here"
    with pytest.raises(ModelNotFoundError) as info:
        MiniLMEmbedder(missing)
    message = str(info.value)
    assert str(missing) in message and "assistant setup" in message


def test_llama_index_adapter_returns_same_vectors(embedder: MiniLMEmbedder) -> None:
    from llama_index.core import Settings

    before = Settings._embed_model
    adapter = LlamaIndexMiniLM(embedder)
    assert adapter.model_name == "all-MiniLM-L6-v2"
    texts = ["Flooding closed the highway.", "Shares fell after the forecast cut."]
    expected = embedder.embed(texts)
    query = adapter.get_query_embedding(texts[0])
    assert isinstance(query, list) and len(query) == 384 and isinstance(query[0], float)
    assert cosines(np.array(query), expected[0])[0] >= MIN_COSINE
    assert cosines(np.array(adapter.get_text_embedding(texts[1])), expected[1])[0] >= MIN_COSINE
    assert cosines(np.array(adapter.get_text_embedding_batch(texts)), expected).min() >= MIN_COSINE
    assert Settings._embed_model is before


def test_export_is_idempotent(capsys: pytest.CaptureFixture[str]) -> None:
    had_torch = "torch" in sys.modules
    assert export_model.main(["--target", str(default_model_dir())]) == 0
    assert "up to date" in capsys.readouterr().out
    assert ("torch" in sys.modules) == had_torch


def test_changed_model_is_not_up_to_date(tmp_path: Path) -> None:
    for name in ("manifest.json", "tokenizer.json"):
        shutil.copyfile(default_model_dir() / name, tmp_path / name)
    (tmp_path / "model.onnx").write_bytes(b"not the exported model")
    assert not export_model.is_up_to_date(tmp_path)


def test_int8_encoder_is_close_to_fp32_and_named_apart(embedder: MiniLMEmbedder) -> None:
    int8 = MiniLMEmbedder(precision="int8")
    assert int8.name == "all-MiniLM-L6-v2-int8" != embedder.name
    manifest = json.loads((default_model_dir() / "manifest.json").read_text(encoding="utf-8"))
    texts = [r["text"] for r in manifest["reference"]]
    similarity = cosines(int8.embed(texts), embedder.embed(texts))
    assert similarity.min() > 0.85, similarity
    paraphrase = int8.embed(
        [
            "Putin told Macron NATO ignored Russia's concerns.",
            "Russia's worries were ignored by NATO, Putin said to Macron.",
            "The recipe needs two eggs and a cup of flour.",
        ]
    )
    assert cosines(paraphrase[0], paraphrase[1])[0] > cosines(paraphrase[0], paraphrase[2])[0] + 0.3


def test_an_index_is_searched_with_the_encoder_that_built_it(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    from assistant import Assistant, Settings
    from assistant.errors import IndexMismatchError
    from tests.conftest import CORPUS

    bot = Assistant(Settings.from_mapping({"index_dir": tmp_path}), embedder=embedder)
    bot.ingest([next(CORPUS.glob("003_*.txt"))])
    with pytest.raises(IndexMismatchError, match=r"all-MiniLM-L6-v2-int8.*--rebuild"):
        Assistant(Settings.from_mapping({"index_dir": tmp_path, "encoder": "int8"}))
