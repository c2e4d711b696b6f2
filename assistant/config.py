"""The one settings object, built once at the edge (CLI, app, evals) and passed down.

Precedence: explicit arguments > environment variables > config file > defaults.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from assistant.errors import ConfigError

DEFAULT_CONFIG_FILE = "assistant.toml"


@dataclass(frozen=True)
class Settings:
    """Every knob of the assistant. Field docs are shown by `assistant config`."""

    index_dir: Path = field(
        default=Path("index"),
        metadata={"env": "ASSISTANT_INDEX_DIR", "doc": "Where the embedded Chroma store lives."},
    )
    chroma_url: str | None = field(
        default=None,
        metadata={
            "env": "ASSISTANT_CHROMA_URL",
            "doc": "Use a Chroma server (e.g. http://127.0.0.1:8000) instead of the embedded store.",
        },
    )
    chroma_timeout_s: float = field(
        default=120.0,
        metadata={
            "env": "ASSISTANT_CHROMA_TIMEOUT",
            "doc": "Seconds before one request to the Chroma server gives up (a server that hangs "
            "is reported, not waited on for ever).",
        },
    )
    collection: str = field(
        default="articles", metadata={"env": "ASSISTANT_COLLECTION", "doc": "Chroma collection name."}
    )
    model_dir: Path | None = field(
        default=None,
        metadata={
            "env": "ASSISTANT_MODEL_DIR",
            "doc": "Folder of the exported ONNX embedding model (default: inside the virtualenv).",
        },
    )
    encoder: str = field(
        default="fp32",
        metadata={
            "env": "ASSISTANT_ENCODER",
            "doc": "fp32, or int8 (about 1.8x faster to ingest on CPU, slightly less exact; an index "
            "is searched with the encoder that built it).",
        },
    )
    reader_file: Path | None = field(
        default=None,
        metadata={
            "env": "ASSISTANT_READER_FILE",
            "doc": "A reader model file trained with training/train_reader.py, say on your own news "
            "(default: the shipped one, checked against its sha256).",
        },
    )
    verifier_file: Path | None = field(
        default=None,
        metadata={
            "env": "ASSISTANT_VERIFIER_FILE",
            "doc": "The answer verifier (a cross-encoder, ONNX) trained with training/train_verifier.py, "
            "for a reader file trained with it (`train_reader.py --verifier`); none is shipped.",
        },
    )
    chunk_tokens: int = field(
        default=128, metadata={"env": "ASSISTANT_CHUNK_TOKENS", "doc": "Largest chunk, in cl100k tokens."}
    )
    chunk_overlap: int = field(
        default=32,
        metadata={
            "env": "ASSISTANT_CHUNK_OVERLAP",
            "doc": "Tokens of whole sentences repeated between chunks.",
        },
    )
    top_k: int = field(
        default=6, metadata={"env": "ASSISTANT_TOP_K", "doc": "Passages handed to the answer step."}
    )
    candidates: int = field(
        default=30,
        metadata={
            "env": "ASSISTANT_CANDIDATES",
            "doc": "Passages each retriever (vector, BM25) proposes before fusion.",
        },
    )
    ingest_batch_chunks: int = field(
        default=512,
        metadata={
            "env": "ASSISTANT_INGEST_BATCH",
            "doc": "Chunks embedded and written together; a killed ingest loses at most one batch.",
        },
    )
    sync_interval_s: float = field(
        default=2.0,
        metadata={
            "env": "ASSISTANT_SYNC_INTERVAL",
            "doc": "Seconds between checks for changes other processes made to the index.",
        },
    )
    openai_api_key: str | None = field(
        default=None,
        repr=False,
        metadata={"env": "OPENAI_API_KEY", "doc": "Key for OpenAI or a compatible server.", "secret": True},
    )
    openai_base_url: str | None = field(
        default=None,
        metadata={
            "env": "OPENAI_BASE_URL",
            "doc": "OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1.",
        },
    )
    llm_model: str = field(
        default="gpt-4o-mini",
        metadata={"env": "ASSISTANT_LLM_MODEL", "doc": "Model name sent to the LLM server."},
    )
    llm_timeout_s: float = field(
        default=60.0,
        metadata={"env": "ASSISTANT_LLM_TIMEOUT", "doc": "Seconds before one LLM request gives up."},
    )
    llm_max_retries: int = field(
        default=2, metadata={"env": "ASSISTANT_LLM_RETRIES", "doc": "Retries on timeouts, 429 and 5xx."}
    )
    llm_context_tokens: int = field(
        default=4096,
        metadata={"env": "ASSISTANT_LLM_CONTEXT", "doc": "The model's context window, in tokens."},
    )
    llm_passages: int = field(
        default=6,
        metadata={
            "env": "ASSISTANT_LLM_PASSAGES",
            "doc": "Most passages the LLM reads (fewer: a CPU model answers sooner).",
        },
    )
    llm_rewrite_follow_ups: bool = field(
        default=True,
        metadata={
            "env": "ASSISTANT_LLM_REWRITE_FOLLOW_UPS",
            "doc": "The LLM rewrites a follow-up to stand alone before the search (one more request; "
            "off: the follow-up is read without it).",
        },
    )
    llm_evidence_tokens: int = field(
        default=0,
        metadata={
            "env": "ASSISTANT_LLM_EVIDENCE_TOKENS",
            "doc": "The LLM reads only the passages' best sentences, this many tokens (0: whole passages).",
        },
    )

    corroborate_by_meaning: bool = field(
        default=False,
        metadata={
            "env": "ASSISTANT_CORROBORATE_BY_MEANING",
            "doc": "Other outlets' sentences that report a statement in other words join it and are cited "
            "with it (MiniLM sentence embeddings, computed when asked and cached; see "
            "benchmarks/corroboration.py for its measured precision). Off: only near-identical wording merges.",
        },
    )

    max_question_chars: int = field(
        default=2000,
        metadata={"env": "ASSISTANT_MAX_QUESTION_CHARS", "doc": "Longest question, in characters."},
    )
    max_history_turns: int = field(
        default=20,
        metadata={
            "env": "ASSISTANT_MAX_HISTORY_TURNS",
            "doc": "Most earlier [question, answer] turns a question may come with (the page keeps the last ones).",
        },
    )
    max_history_chars: int = field(
        default=20000,
        metadata={
            "env": "ASSISTANT_MAX_HISTORY_CHARS",
            "doc": "Most characters of all earlier questions and answers together.",
        },
    )
    upload_max_files: int = field(
        default=20,
        metadata={"env": "ASSISTANT_UPLOAD_MAX_FILES", "doc": "Most files one upload on the page may hold."},
    )
    upload_max_file_bytes: int = field(
        default=5 * 1024 * 1024,
        metadata={"env": "ASSISTANT_UPLOAD_MAX_FILE_BYTES", "doc": "Largest uploaded file, in bytes."},
    )
    upload_max_bytes: int = field(
        default=20 * 1024 * 1024,
        metadata={
            "env": "ASSISTANT_UPLOAD_MAX_BYTES",
            "doc": "Most bytes of all the files of one upload together.",
        },
    )
    max_concurrent_ingests: int = field(
        default=1,
        metadata={
            "env": "ASSISTANT_MAX_CONCURRENT_INGESTS",
            "doc": "Uploads the page adds at the same time; more are refused with a message.",
        },
    )
    ask_rate_per_minute: int = field(
        default=30,
        metadata={
            "env": "ASSISTANT_ASK_RATE",
            "doc": "Questions one client (user name, else address) may ask the page per minute; 0: no limit.",
        },
    )
    ingest_rate_per_minute: int = field(
        default=6,
        metadata={
            "env": "ASSISTANT_INGEST_RATE",
            "doc": "Uploads one client may make per minute; 0: no limit.",
        },
    )
    auth: str | None = field(
        default=None,
        repr=False,
        metadata={
            "env": "ASSISTANT_AUTH",
            "doc": "Readers of the page: USER:PASSWORD, several separated by commas (serve --auth).",
            "secret": True,
        },
    )
    editor_auth: str | None = field(
        default=None,
        repr=False,
        metadata={
            "env": "ASSISTANT_EDITOR_AUTH",
            "doc": "Editors, who may also upload and remove articles: USER:PASSWORD, comma-separated "
            "(serve --editor).",
            "secret": True,
        },
    )
    auth_file: Path | None = field(
        default=None,
        metadata={
            "env": "ASSISTANT_AUTH_FILE",
            "doc": "A file of credentials, one a line: 'reader USER:PASSWORD' or 'editor USER:PASSWORD'.",
        },
    )
    read_only: bool = field(
        default=False,
        metadata={
            "env": "ASSISTANT_READ_ONLY",
            "doc": "Serve the page without upload and remove: their handlers are not mounted at all.",
        },
    )

    public: bool = field(
        default=False,
        metadata={
            "env": "ASSISTANT_PUBLIC",
            "doc": "Allow serving the page without credentials on an address other than loopback.",
        },
    )

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    def validate(self) -> Settings:
        if self.chunk_tokens < 16 or self.chunk_tokens > 2048:
            raise ConfigError(f"chunk_tokens must be between 16 and 2048, not {self.chunk_tokens}")
        if not 0 <= self.chunk_overlap < self.chunk_tokens:
            raise ConfigError(
                f"chunk_overlap must be at least 0 and below chunk_tokens ({self.chunk_tokens}), "
                f"not {self.chunk_overlap}"
            )
        if not 1 <= self.top_k <= 50:
            raise ConfigError(f"top_k must be between 1 and 50, not {self.top_k}")
        if self.llm_passages < 1:
            raise ConfigError(f"llm_passages must be at least 1, not {self.llm_passages}")
        if self.llm_evidence_tokens < 0:
            raise ConfigError(
                f"llm_evidence_tokens must be 0 (whole passages) or more, not {self.llm_evidence_tokens}"
            )
        for name in (
            "max_question_chars",
            "max_history_chars",
            "upload_max_files",
            "upload_max_file_bytes",
            "upload_max_bytes",
            "max_concurrent_ingests",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, not {getattr(self, name)}")
        for name in ("max_history_turns", "ask_rate_per_minute", "ingest_rate_per_minute"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must be 0 or more, not {getattr(self, name)}")
        if self.encoder not in ("fp32", "int8"):
            raise ConfigError(f"encoder must be fp32 or int8, not {self.encoder!r}")
        if not 1 <= self.ingest_batch_chunks <= 100_000:
            raise ConfigError(
                f"ingest_batch_chunks must be between 1 and 100000, not {self.ingest_batch_chunks}"
            )
        if self.chroma_timeout_s <= 0:
            raise ConfigError(f"chroma_timeout_s must be more than 0, not {self.chroma_timeout_s}")
        if self.sync_interval_s < 0:
            raise ConfigError(f"sync_interval_s must be 0 or more, not {self.sync_interval_s}")
        if self.candidates < self.top_k:
            raise ConfigError(f"candidates ({self.candidates}) must be at least top_k ({self.top_k})")
        for name in ("chroma_url", "openai_base_url"):
            url = getattr(self, name)
            if url is not None:
                parsed = urlparse(url)
                if parsed.scheme not in ("http", "https") or not parsed.netloc:
                    raise ConfigError(
                        f"{name} must be an http(s) URL such as http://127.0.0.1:8000, not {url!r}"
                    )
        return self

    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        config_file: Path | None = None,
        **overrides: Any,
    ) -> Settings:
        """Settings from a TOML file, then the environment, then `overrides`."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        path = config_file or (Path(environ["ASSISTANT_CONFIG"]) if "ASSISTANT_CONFIG" in environ else None)
        if path is None and Path(DEFAULT_CONFIG_FILE).is_file():
            path = Path(DEFAULT_CONFIG_FILE)
        if path is not None:
            values.update(_read_toml(path))
        for f in fields(cls):
            env_name = f.metadata["env"]
            if environ.get(env_name):
                values[f.name] = environ[env_name]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.from_mapping(values)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Settings:
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(unknown)}; known: {', '.join(known)}")
        converted = {
            name: _convert(known[name].name, known[name].default, value) for name, value in values.items()
        }
        return replace(cls(), **converted).validate()

    def as_json(self) -> dict[str, Any]:
        """Each setting's value (JSON types; secrets shown as "(set)" or null), variable and doc."""
        shown: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.metadata.get("secret") and value:
                value = "(set)"
            elif isinstance(value, Path):
                value = str(value)
            shown[f.name] = {"value": value, "env": f.metadata["env"], "doc": f.metadata["doc"]}
        return shown

    def described(self) -> list[tuple[str, str, str, str]]:
        """(setting, environment variable, value, description) rows, secrets masked."""
        rows = []
        for f in fields(self):
            value = getattr(self, f.name)
            shown = "(set)" if f.metadata.get("secret") and value else str(value)
            rows.append((f.name, f.metadata["env"], shown, f.metadata["doc"]))
        return rows


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def _convert(name: str, default: Any, value: Any) -> Any:
    if value is None:
        return None
    kind = type(default) if default is not None else str
    if name.endswith(("_dir", "_file")):
        kind = Path
    if kind is bool:
        return _boolean(name, value)
    try:
        if kind is int and not isinstance(value, bool):
            whole = float(value) if isinstance(value, float) else int(value)
            if whole != int(whole):  # 4.5 is not 4
                raise ValueError(value)
            return int(whole)
        if kind is float:
            return float(value)
        if kind is Path:
            return Path(value).expanduser()
        return str(value)
    except (TypeError, ValueError, OverflowError):
        raise ConfigError(f"setting {name} must be {_KIND_NAMES.get(kind, kind.__name__)}, not {value!r}") from None


_KIND_NAMES = {int: "a whole number", float: "a number", Path: "a path", str: "text"}


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"setting {name} must be true or false (1/0, yes/no, on/off), not {value!r}")
