"""Fine-tune the cross-encoder on SQuAD v1.1 dev part 1 and write assistant/answer/models/cross_encoder.npz.

    python training/build_reader_data.py          # once: retrieval of every question, cached
    python training/train_cross_encoder.py        # then: python training/train_reader.py

The cross-encoder reads a question and a sentence together and scores "this sentence contains
the answer". It is the first CROSS_LAYERS layers of all-MiniLM-L6-v2; the embeddings and the
layers below TRAINED_LAYERS stay the base model's, so their output is computed once and cached,
and only the top layer and a linear head on [CLS] are trained (binary cross-entropy, AdamW).

Pairs: for each question of the training articles, read as retrieved and without its paragraph
(the near miss), the sentences the first sentence model puts first (what the cross-encoder reads
when answering, features.preselect; out-of-fold scores) and the gold paragraph's sentences that
hold an accepted answer. A sentence holding an accepted answer is a positive when it is of the
gold paragraph; one that holds the answer's words elsewhere is left out; every other is a negative.

The 16 training articles are split in two halves by article (train_reader.halves): the
cross-encoder is trained on the first half only, and the models that read its scores
(train_reader.py) are trained on the second half, so they learn from scores of questions it
never saw. The validation articles are never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answer.cross_encoder import (
    CROSS_DELTA_PATH,
    TRAINED_LAYERS,
    encode_pairs,
    pair_tokenizer,
)
from assistant.answer.cross_encoder_export import build, build_torch_model
from assistant.config import Settings
from assistant.search.export_model import source_dir

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_reader_data import DEFAULT_OUT, open_index
from train_reader import (
    CROSS_WORK,
    SEED,
    Instance,
    _sentence_matrix,
    halves,
    load_instances,
    preselected,
    preselection_scores,
    split,
)

WORK = CROSS_WORK
EPOCHS = 1
BATCH = 32
LAYER_RATE = 2e-4
HEAD_RATE = 1e-3
WARMUP = 0.06


@dataclass(frozen=True)
class Pair:
    question: str
    sentence: str
    label: int
    article: int


def training_pairs(train: list[Instance], probabilities: np.ndarray, owner: np.ndarray) -> list[Pair]:
    picked = preselected(probabilities, owner, len(train))
    seen: set[tuple[str, str]] = set()
    pairs = []
    for instance, chosen in zip(train, picked, strict=True):
        indices = set(int(i) for i in chosen) | set(int(i) for i in np.flatnonzero(instance.labels))
        for i in sorted(indices):
            if instance.contains[i] and not instance.labels[i]:
                continue
            text = instance.sentences[i].text
            key = (instance.question_id, text)
            if key in seen:
                continue
            seen.add(key)
            pairs.append(Pair(instance.view.text, text, int(instance.labels[i]), instance.article))
    return pairs


def frozen_states(model: Any, tokenizer: Any, pairs: list[Pair]) -> list[tuple[Any, Any]]:
    """Per pair, the output of the layers below the trained one (fp16) and its token types."""
    import torch

    first_trained = TRAINED_LAYERS[0]
    states: list[tuple[Any, Any]] = [None] * len(pairs)  # type: ignore[list-item]
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i].sentence))
    with torch.no_grad():
        for start in range(0, len(order), 128):
            rows = order[start : start + 128]
            feeds = {}
            for row in rows:
                feeds[row] = encode_pairs(tokenizer, pairs[row].question, [pairs[row].sentence])
            width = max(f["input_ids"].shape[1] for f in feeds.values())
            ids = torch.zeros((len(rows), width), dtype=torch.long)
            mask = torch.zeros_like(ids)
            types = torch.zeros_like(ids)
            for n, row in enumerate(rows):
                f = feeds[row]
                k = f["input_ids"].shape[1]
                ids[n, :k] = torch.from_numpy(f["input_ids"][0])
                mask[n, :k] = 1
                types[n, :k] = torch.from_numpy(f["token_type_ids"][0])
            hidden = model.encoder.embeddings(input_ids=ids, token_type_ids=types)
            additive = _additive(mask)
            for layer in model.encoder.encoder.layer[:first_trained]:
                hidden = layer(hidden, attention_mask=additive)
            for n, row in enumerate(rows):
                k = int(mask[n].sum())
                states[row] = hidden[n, :k].to(torch.float16).clone()
    return states


def _additive(mask: Any) -> Any:
    import torch

    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


def _batch(states: list[Any], rows: list[int]) -> tuple[Any, Any]:
    import torch

    width = max(states[r].shape[0] for r in rows)
    hidden = torch.zeros((len(rows), width, states[rows[0]].shape[1]))
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for n, r in enumerate(rows):
        k = states[r].shape[0]
        hidden[n, :k] = states[r].float()
        mask[n, :k] = 1
    return hidden, _additive(mask)


def _top(model: Any, hidden: Any, additive: Any) -> Any:
    for index in TRAINED_LAYERS:
        hidden = model.encoder.encoder.layer[index](hidden, attention_mask=additive)
    return model.head(hidden[:, 0]).squeeze(-1)


def train_half(states: list[Any], labels: np.ndarray, rows: list[int], seed: int) -> dict[str, np.ndarray]:
    """Fine-tune a fresh copy of the model on the given pairs; the trained tensors (fp16)."""
    import torch

    torch.manual_seed(seed)
    model = build_torch_model(source_dir())
    trained = [p for n, p in model.named_parameters() if _is_trained(n)]
    head = list(model.head.parameters())
    layers = [p for p in trained if all(p is not h for h in head)]
    optimizer = torch.optim.AdamW(
        [{"params": layers, "lr": LAYER_RATE}, {"params": head, "lr": HEAD_RATE}], weight_decay=0.01
    )
    rng = np.random.default_rng(seed)
    by_length = sorted(rows, key=lambda r: states[r].shape[0])
    batches = [by_length[i : i + BATCH] for i in range(0, len(by_length), BATCH)]
    steps = EPOCHS * len(batches)
    warmup = max(1, int(WARMUP * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    model.train()
    step = 0
    for epoch in range(EPOCHS):
        total = 0.0
        for b in rng.permutation(len(batches)):
            chosen = batches[b]
            hidden, additive = _batch(states, chosen)
            logits = _top(model, hidden, additive)
            loss = loss_fn(logits, torch.from_numpy(labels[chosen]).float())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss.detach()) * len(chosen)
            step += 1
        print(f"  epoch {epoch + 1}: loss {total / len(rows):.4f}", file=sys.stderr, flush=True)
    return {n: p.detach().numpy().astype(np.float16) for n, p in model.state_dict().items() if _is_trained(n)}


def _is_trained(name: str) -> bool:
    return name.startswith("head.") or any(name.startswith(f"encoder.encoder.layer.{i}.") for i in TRAINED_LAYERS)


def save_delta(delta: dict[str, np.ndarray], path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        np.savez(handle, **dict(sorted(delta.items())))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_half(delta_path: Path, sha256: str, target: Path) -> None:
    """The half's ONNX files, built the way `assistant setup` builds the shipped one."""
    build(target, delta_path, delta_sha256=sha256)


def main(argv: list[str] | None = None) -> int:
    import torch

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--out", type=Path, default=CROSS_DELTA_PATH)
    parser.add_argument("--reuse-features", action="store_true", help="see train_reader.py")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    settings = Settings.load()
    instances = load_instances(args.data, open_index(settings)._vocabulary, settings.top_k, args.reuse_features)
    train, valid = split(instances)
    _, oof, _ = preselection_scores(train, valid)
    owner = _sentence_matrix(train)[3]
    first, _ = halves(train)
    pairs = [p for p in training_pairs(train, oof, owner) if p.article in first]
    labels = np.array([p.label for p in pairs])
    print(
        f"{len(pairs)} pairs ({labels.sum()} positive) from {len(train)} instances in "
        f"{time.perf_counter() - started:.0f} s",
        file=sys.stderr,
        flush=True,
    )
    cached = time.perf_counter()
    base = build_torch_model(source_dir())
    states = frozen_states(base, pair_tokenizer(source_dir() / "tokenizer.json"), pairs)
    tokens = sum(s.shape[0] for s in states)
    print(f"frozen layers: {tokens} tokens in {time.perf_counter() - cached:.0f} s", file=sys.stderr, flush=True)
    began = time.perf_counter()
    delta = train_half(states, labels, list(range(len(pairs))), SEED)
    seconds = time.perf_counter() - began
    sha = save_delta(delta, args.out)
    build_half(args.out, sha, WORK / "a")
    figures = {
        "pairs": len(pairs),
        "positives": int(labels.sum()),
        "tokens": tokens,
        "articles": sorted(first),
        "seconds": {"frozen_layers": round(began - cached), "training": round(seconds)},
    }
    print(f"trained in {seconds:.0f} s; {args.out}: sha256 {sha}", file=sys.stderr, flush=True)
    (WORK / "figures.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=1))
    print(f"in all {time.perf_counter() - started:.0f} s; put the sha256 of {args.out} in CROSS_DELTA_SHA256")
    return 0


if __name__ == "__main__":
    sys.exit(main())
