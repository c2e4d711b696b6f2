"""The one settings object, built once at the edge (CLI, app, evals) and passed down.

Precedence: explicit arguments > environment variables > config file > defaults.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields, replace
from difflib import get_close_matches
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from assistant.errors import ConfigError

INDEX_MARKER = "chroma.sqlite3"  # the file every embedded index folder holds (Chroma's own)

DEFAULT_CONFIG_FILE = "assistant.toml"


@dataclass(frozen=True)
class Settings:
    """Every knob of the assistant. Field docs are shown by `assistant config`."""

    index_dir: Path = field(
        default=Path("index"),
        metadata={
            "env": "ASSISTANT_INDEX_DIR",
            "flag": "--index-dir",
            "doc": "Where the embedded Chroma store lives.",
        },
    )
    chroma_url: str | None = field(
        default=None,
        metadata={
            "env": "ASSISTANT_CHROMA_URL",
            "flag": "--chroma-url",
            "doc": "Use a Chroma server (e.g. http://127.0.0.1:8000) instead of the embedded store.",
        },
    )
    chroma_timeout_s: float = field(
        default=120.0,
        metadata={
            "env": "ASSISTANT_CHROMA_TIMEOUT",
            "above": 0,
            "max": 86400,
            "doc": "Seconds before one request to the Chroma server gives up (a server that hangs "
            "is reported, not waited on for ever).",
        },
    )
    collection: str = field(
        default="articles",
        metadata={
            "env": "ASSISTANT_COLLECTION",
            "doc": "Chroma collection name (3 or more letters, digits, '.', '_' or '-', starting and "
            "ending with a letter or digit).",
        },
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
        default=128,
        metadata={
            "env": "ASSISTANT_CHUNK_TOKENS",
            "min": 16,
            "max": 2048,
            "doc": "Largest chunk, in cl100k tokens.",
        },
    )
    chunk_overlap: int = field(
        default=32,
        metadata={
            "env": "ASSISTANT_CHUNK_OVERLAP",
            "min": 0,
            "doc": "Tokens of whole sentences repeated between chunks.",
        },
    )
    top_k: int = field(
        default=6,
        metadata={"env": "ASSISTANT_TOP_K", "min": 1, "max": 50, "doc": "Passages handed to the answer step."},
    )
    candidates: int = field(
        default=30,
        metadata={
            "env": "ASSISTANT_CANDIDATES",
            "min": 1,
            "max": 10_000,
            "doc": "Passages each retriever (vector, BM25) proposes before fusion.",
        },
    )
    ingest_batch_chunks: int = field(
        default=512,
        metadata={
            "env": "ASSISTANT_INGEST_BATCH",
            "min": 1,
            "max": 100_000,
            "doc": "Chunks embedded and written together; a killed ingest loses at most one batch.",
        },
    )
    sync_interval_s: float = field(
        default=2.0,
        metadata={
            "env": "ASSISTANT_SYNC_INTERVAL",
            "min": 0,
            "max": 86400,
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
        metadata={
            "env": "ASSISTANT_LLM_TIMEOUT",
            "above": 0,
            "max": 86400,
            "doc": "Seconds the LLM server may keep silent before a request gives up (in a stream, between pieces).",
        },
    )
    llm_max_retries: int = field(
        default=2,
        metadata={"env": "ASSISTANT_LLM_RETRIES", "min": 0, "max": 100, "doc": "Retries on timeouts, 429 and 5xx."},
    )
    llm_context_tokens: int = field(
        default=4096,
        metadata={
            "env": "ASSISTANT_LLM_CONTEXT",
            "min": 1024,
            "max": 10_000_000,
            "doc": "The model's context window, in tokens (at least 1024: the prompt and the answer take 700).",
        },
    )
    llm_passages: int = field(
        default=6,
        metadata={
            "env": "ASSISTANT_LLM_PASSAGES",
            "min": 1,
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
            "min": 0,
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
        metadata={"env": "ASSISTANT_MAX_QUESTION_CHARS", "min": 1, "doc": "Longest question, in characters."},
    )
    max_history_turns: int = field(
        default=20,
        metadata={
            "env": "ASSISTANT_MAX_HISTORY_TURNS",
            "min": 0,
            "doc": "Most earlier [question, answer] turns a question may come with (the page keeps the last ones).",
        },
    )
    max_history_chars: int = field(
        default=20000,
        metadata={
            "env": "ASSISTANT_MAX_HISTORY_CHARS",
            "min": 1,
            "doc": "Most characters of all earlier questions and answers together.",
        },
    )
    upload_max_files: int = field(
        default=20,
        metadata={"env": "ASSISTANT_UPLOAD_MAX_FILES", "min": 1, "doc": "Most files one upload on the page may hold."},
    )
    upload_max_file_bytes: int = field(
        default=5 * 1024 * 1024,
        metadata={"env": "ASSISTANT_UPLOAD_MAX_FILE_BYTES", "min": 1, "doc": "Largest uploaded file, in bytes."},
    )
    upload_max_bytes: int = field(
        default=20 * 1024 * 1024,
        metadata={
            "env": "ASSISTANT_UPLOAD_MAX_BYTES",
            "min": 1,
            "doc": "Most bytes of all the files of one upload together.",
        },
    )
    max_concurrent_ingests: int = field(
        default=1,
        metadata={
            "env": "ASSISTANT_MAX_CONCURRENT_INGESTS",
            "min": 1,
            "doc": "Uploads the page adds at the same time; more are refused with a message.",
        },
    )
    ask_rate_per_minute: int = field(
        default=30,
        metadata={
            "env": "ASSISTANT_ASK_RATE",
            "min": 0,
            "doc": "Questions one client (user name, else address) may ask the page per minute; 0: no limit.",
        },
    )
    ingest_rate_per_minute: int = field(
        default=6,
        metadata={
            "env": "ASSISTANT_INGEST_RATE",
            "min": 0,
            "doc": "Uploads one client may make per minute; 0: no limit.",
        },
    )
    auth: str | None = field(
        default=None,
        repr=False,
        metadata={
            "env": "ASSISTANT_AUTH",
            "flag": "--auth",
            "doc": "Readers of the page: USER:PASSWORD, several separated by commas (serve --auth).",
            "secret": True,
        },
    )
    editor_auth: str | None = field(
        default=None,
        repr=False,
        metadata={
            "env": "ASSISTANT_EDITOR_AUTH",
            "flag": "--editor",
            "doc": "Editors, who may also upload and remove articles: USER:PASSWORD, comma-separated "
            "(serve --editor).",
            "secret": True,
        },
    )
    auth_file: Path | None = field(
        default=None,
        metadata={
            "env": "ASSISTANT_AUTH_FILE",
            "flag": "--auth-file",
            "doc": "A file of credentials, one a line: 'reader USER:PASSWORD' or 'editor USER:PASSWORD'.",
        },
    )
    read_only: bool = field(
        default=False,
        metadata={
            "env": "ASSISTANT_READ_ONLY",
            "flag": "--read-only",
            "doc": "Serve the page without upload and remove: their handlers are not mounted at all.",
        },
    )

    public: bool = field(
        default=False,
        metadata={
            "env": "ASSISTANT_PUBLIC",
            "flag": "--public",
            "doc": "Allow serving the page without credentials on an address other than loopback.",
        },
    )

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    def validate(self) -> Settings:
        """Every value of the kind and within the limits its field declares, and the settings
        consistent with one another; a ConfigError says which setting is wrong and why."""
        return self._validate({})

    def _validate(self, origins: Mapping[str, str]) -> Settings:
        for f in fields(self):
            problem = _problem(f, getattr(self, f.name))
            if problem:
                raise ConfigError(f"{problem}{_origin(origins, f.name)}")
        key = self.openai_api_key
        if key and (not key.strip() or key != key.strip()):  # "" is unset, as an empty variable is
            # " " turned the LLM on with no key; a key pasted with a space or newline is refused by every server
            raise ConfigError(
                f"openai_api_key is {'blank' if not key.strip() else 'padded with spaces or line breaks'}"
                f"{_origin(origins, 'openai_api_key')}: give the key alone, or leave it unset for the offline answer"
            )
        if self.chunk_overlap >= self.chunk_tokens:
            raise ConfigError(
                f"chunk_overlap must be below chunk_tokens ({self.chunk_tokens}"
                f"{_within(origins, 'chunk_tokens')}), not {self.chunk_overlap}{_origin(origins, 'chunk_overlap')}"
            )
        if self.candidates < self.top_k:
            raise ConfigError(
                f"candidates ({self.candidates}{_within(origins, 'candidates')}) must be at least "
                f"top_k ({self.top_k}{_within(origins, 'top_k')})"
            )
        object.__setattr__(self, "_origins", dict(origins))  # where each value came from, for `config`
        return self

    def origin(self, name: str) -> str:
        """Where the setting's value came from: "option --index-dir", "environment variable
        ASSISTANT_TOP_K", "config file assistant.toml", or "default"."""
        return getattr(self, "_origins", {}).get(name, "default")

    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        config_file: Path | None = None,
        **overrides: Any,
    ) -> Settings:
        """Settings from a TOML file, then the environment, then `overrides` (the command line's
        options: an error names a value's option, variable or file)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        origins: dict[str, str] = {}
        path, named_by = config_file, ""
        if path is None and environ.get("ASSISTANT_CONFIG"):
            path, named_by = Path(environ["ASSISTANT_CONFIG"]), " (from environment variable ASSISTANT_CONFIG)"
        if path is None and Path(DEFAULT_CONFIG_FILE).is_file():
            path = Path(DEFAULT_CONFIG_FILE)
        if path is not None:
            read = read_toml(path, named_by=named_by)
            values.update(read)
            origins.update({name: f"config file {path}" for name in read})
        for f in fields(cls):
            env_name = f.metadata["env"]
            if environ.get(env_name):
                values[f.name] = environ[env_name]
                origins[f.name] = f"environment variable {env_name}"
        known = {f.name: f for f in fields(cls)}
        for name, value in overrides.items():
            if value is not None:
                values[name] = value
                flag = known[name].metadata.get("flag") if name in known else None
                origins[name] = f"option {flag}" if flag else f"argument {name}"
        return cls.from_mapping(values, origins)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], origins: Mapping[str, str] | None = None) -> Settings:
        """Settings from `values` (text as in the environment, or TOML's or Python's types), the
        rest defaults. `origins` says where a value came from ("config file x.toml"), for errors."""
        origins = origins or {}
        # a copy of another's values (`{**settings.__dict__, ...}`) holds where they came from too
        values = {name: value for name, value in values.items() if name != "_origins"}
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            where = sorted({origins[name] for name in unknown if name in origins})
            meant = [f"{name}: did you mean {close[0]}?" for name in unknown if (close := get_close_matches(name, known, n=1))]
            raise ConfigError(
                f"unknown setting(s): {', '.join(unknown)}{' (from ' + ', '.join(where) + ')' if where else ''}; "
                + (f"{'; '.join(meant)} " if meant else "")
                + f"known: {', '.join(known)}"
            )
        converted = {}
        for name, value in values.items():
            try:
                converted[name] = _convert(known[name], value)
            except ConfigError as exc:
                raise ConfigError(f"{exc}{_origin(origins, name)}") from None
        return replace(cls(), **converted)._validate(origins)

    def as_json(self) -> dict[str, Any]:
        """Each setting's value (JSON types; secrets shown as "(set)" or null), where it came from,
        variable and doc."""
        shown: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.metadata.get("secret") and value:
                value = "(set)"
            elif f.name in _URLS and value:
                value = shown_url(value)
            elif isinstance(value, Path):
                value = str(value)
            shown[f.name] = {
                "value": value,
                "from": self.origin(f.name),
                "env": f.metadata["env"],
                "doc": f.metadata["doc"],
            }
        return shown

    def described(self) -> list[tuple[str, str, str, str, str]]:
        """(setting, environment variable, value, where it came from, description) rows,
        secrets masked."""
        rows = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.metadata.get("secret") and value:
                shown = "(set)"
            else:
                shown = shown_url(value) if f.name in _URLS and value else str(value)
            rows.append((f.name, f.metadata["env"], shown, self.origin(f.name), f.metadata["doc"]))
        return rows


_URLS = ("chroma_url", "openai_base_url")


def shown_url(url: str) -> str:
    """A server's address as messages and `config` show it: a password written into it
    ("http://bob:secret@host") is a secret like the API key, shown as "(set)". Read by pattern,
    so that an address too malformed to parse is masked in the error that says so."""
    return _PASSWORD_IN_URL.sub(r"\1:(set)@", url)


_PASSWORD_IN_URL = re.compile(r"^([A-Za-z][\w+.-]*://[^/?#@:]*):[^/?#]*@")


def read_toml(path: Path, what: str = "config file", named_by: str = "", byte_order_mark: bool = False) -> dict[str, Any]:
    """The tables of a TOML file; `what` names the kind of file and `named_by` where its name
    came from, for errors. With `byte_order_mark`, one saved with a BOM (Windows editors) reads
    the same (the eval's files: a settings file has always been read as plain UTF-8)."""
    try:
        text = path.read_bytes().decode("utf-8-sig" if byte_order_mark else "utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{what} {path}{named_by} does not exist") from None
    except IsADirectoryError:
        raise ConfigError(f"{what} {path}{named_by} is a folder, not a TOML file") from None
    except OSError as exc:
        raise ConfigError(f"{what} {path}{named_by} cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{what} {path}{named_by} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at "
            f"offset {exc.start}): TOML files are UTF-8; save it as such"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{what} {path}{named_by} is not valid TOML: {exc}") from None


def _origin(origins: Mapping[str, str], name: str) -> str:
    """" (from config file x.toml)" for a value whose origin is known, else ""."""
    return f" (from {origins[name]})" if name in origins else ""


def _within(origins: Mapping[str, str], name: str) -> str:
    """", from config file x.toml", to say a value's origin inside parentheses, else ""."""
    return f", from {origins[name]}" if name in origins else ""


def _kind(f: Field[Any]) -> type:
    """The type a field's values are: int, float, bool, str or Path."""
    if f.name.endswith(("_dir", "_file")):
        return Path
    return type(f.default) if f.default is not None else str


_KIND_NAMES = {int: "a whole number", float: "a number", bool: "true or false", Path: "a path", str: "text"}


def _convert(f: Field[Any], value: Any) -> Any:
    """`value` (text from the environment or an option, or a TOML or Python value) as the field's
    type; a ConfigError for a value of another kind (a bool for a number, a list for text)."""
    name, kind = f.name, _kind(f)
    if value is None and f.default is None:
        return None
    if kind is bool:
        return _boolean(name, value)
    wrong = ConfigError(f"{name} must be {_KIND_NAMES[kind]}, not {value!r}")
    if isinstance(value, bool) or value is None:  # True is an int to Python, never a number here
        raise wrong
    if kind is str:
        if not isinstance(value, str):
            raise wrong
        return value
    if kind is Path:
        if not isinstance(value, str | os.PathLike) or not os.fspath(value) or "\0" in str(value):
            raise wrong
        try:
            return Path(value).expanduser()
        except RuntimeError:  # "~nobody/x": no such user
            raise ConfigError(f"{name} must be a path, not {value!r}: it names no user's home folder") from None
    if not isinstance(value, str | int | float):  # a TOML date, list or table
        raise wrong
    try:
        if kind is int:
            whole = float(value) if isinstance(value, float) else int(value)
            if whole != int(whole):  # 4.5 is not 4
                raise ValueError(value)
            return int(whole)
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise wrong from None
    if not math.isfinite(number):
        raise ConfigError(f"{name} must be a finite number, not {value!r}")
    return number


def _problem(f: Field[Any], value: Any) -> str:
    """What is wrong with a field's value (of the wrong type, outside its limits), or ""."""
    name, kind = f.name, _kind(f)
    if value is None:
        return "" if f.default is None else f"{name} must be {_KIND_NAMES[kind]}, not None"
    if kind is bool:
        return "" if isinstance(value, bool) else f"{name} must be true or false, not {value!r}"
    if kind in (int, float):
        accepted = int if kind is int else (int, float)
        if isinstance(value, bool) or not isinstance(value, accepted):
            return f"{name} must be {_KIND_NAMES[kind]}, not {value!r}"
        if not math.isfinite(value):
            return f"{name} must be a finite number, not {value!r}"
        return _out_of_limits(f, value)
    if kind is str and isinstance(value, str):
        return _text_problem(name, value)
    if kind is Path and isinstance(value, Path):
        return ""
    return f"{name} must be {_KIND_NAMES[kind]}, not {value!r}"


def _out_of_limits(f: Field[Any], value: float) -> str:
    """A number outside the limits its field declares ("min", "max", or "above" for a
    lower bound it must exceed), said as such, or ""."""
    name, low, high, above = f.name, f.metadata.get("min"), f.metadata.get("max"), f.metadata.get("above")
    if above is not None and (value <= above or (high is not None and value > high)):
        most = f" and at most {high}" if high is not None else ""
        return f"{name} must be more than {above}{most}, not {value}"
    if low is not None and high is not None and not low <= value <= high:
        return f"{name} must be between {low} and {high}, not {value}"
    if low is not None and value < low:
        return f"{name} must be {low} or more, not {value}" if low == 0 else f"{name} must be at least {low}, not {value}"
    if high is not None and value > high:
        return f"{name} must be at most {high}, not {value}"
    return ""


# Chroma's rule for a collection name, less the room a rebuild's name needs ("<name>__<time_ns>").
_COLLECTION_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{1,489})[A-Za-z0-9]")


def _text_problem(name: str, value: str) -> str:
    """What is wrong with a text setting's value, or ""."""
    if name in ("chroma_url", "openai_base_url"):
        return _url_problem(name, value)
    if name == "encoder" and value not in ("fp32", "int8"):
        return f"encoder must be fp32 or int8, not {value!r}"
    if name == "collection" and (not _COLLECTION_NAME.fullmatch(value) or ".." in value or _is_address(value)):
        return (
            "collection must be 3 to 491 letters, digits, '.', '_' or '-' (no '..', not an IP address), "
            f"starting and ending with a letter or digit, not {value!r}"
        )
    if name == "llm_model" and not value.strip():
        return f"llm_model must be a model name, not {value!r}"
    return ""


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _url_problem(name: str, url: str) -> str:
    """What is wrong with a server's address, or ""."""
    example = f"an http(s) URL such as http://127.0.0.1:{'8000' if name == 'chroma_url' else '8080/v1'}"
    try:
        parsed = urlparse(url)
    except ValueError as exc:  # "http://[::1"
        return f"{name} must be {example}: {exc}, in {shown_url(url)!r}"
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return f"{name} must be {example}, not {shown_url(url)!r}"
    try:
        port = parsed.port
    except ValueError:  # out of range, or not a number
        port = -1
    if port is not None and not 1 <= port <= 65535:
        host_port = parsed.netloc.rpartition("@")[2]
        shown = host_port.rpartition("]")[2].removeprefix(":") if host_port.startswith("[") else host_port.partition(":")[2]
        return f"{name} must be {example}: its port must be a number from 1 to 65535, not {shown!r} in {shown_url(url)!r}"
    if not parsed.hostname:
        return f"{name} must be {example}: it names no host, in {shown_url(url)!r}"
    return ""


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str | int):  # a bool was returned above
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
    raise ConfigError(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}")
