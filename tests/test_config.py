"""The settings loader: every value a user can give is taken as meant, or refused with a
ConfigError that names the setting, where it came from and what is expected."""

from __future__ import annotations

import math
from dataclasses import Field, fields
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.errors import ConfigError

NUMBERS = [f for f in fields(Settings) if type(f.default) in (int, float)]


def load_toml(tmp_path: Path, text: str) -> Settings:
    config = tmp_path / "settings.toml"
    config.write_text(text, encoding="utf-8")
    return Settings.load(environ={}, config_file=config)


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("top_k = true", "top_k must be a whole number, not True"),
        ("chunk_tokens = false", "chunk_tokens must be a whole number, not False"),
        ("llm_timeout_s = true", "llm_timeout_s must be a number, not True"),
        ("chunk_tokens = 2022-01-28", "chunk_tokens must be a whole number"),
        ("chroma_timeout_s = nan", "chroma_timeout_s must be a finite number, not nan"),
        ("chroma_timeout_s = inf", "chroma_timeout_s must be a finite number, not inf"),
        ("sync_interval_s = inf", "sync_interval_s must be a finite number, not inf"),
        ("sync_interval_s = -inf", "sync_interval_s must be a finite number"),
        ('collection = ["x"]', "collection must be text, not ['x']"),
        ("llm_model = 4", "llm_model must be text, not 4"),
        ("[collection]\nname = 'x'", "collection must be text"),
        ('collection = "ab"', "collection must be 3 to 491 letters"),
        ('collection = "a b!"', "collection must be 3 to 491 letters"),
        ("index_dir = 5", "index_dir must be a path, not 5"),
        ('index_dir = ""', "index_dir must be a path, not ''"),
        ('index_dir = "~no-such-user-here/x"', "index_dir must be a path, not '~no-such-user-here/x': it names no user"),
        ('model_dir = "a\\u0000b"', "model_dir must be a path"),
        ("read_only = 2.5", "read_only must be true or false"),
        ("public = [true]", "public must be true or false"),
        ("llm_timeout_s = -5", "llm_timeout_s must be more than 0 and at most 86400, not -5.0"),
        ("chroma_timeout_s = 0", "chroma_timeout_s must be more than 0"),
        ("llm_max_retries = -3", "llm_max_retries must be between 0 and 100, not -3"),
        ("llm_context_tokens = 0", "llm_context_tokens must be between 1024 and 10000000, not 0"),
        ("candidates = 99999999999999", "candidates must be between 1 and 10000"),
        ("top_k = 0", "top_k must be between 1 and 50, not 0"),
        ("topk = 3", "unknown setting(s): topk"),  # and below, the one it was taken for
        ('chroma_url = "http://127.0.0.1:99999"', "its port must be a number from 1 to 65535, not '99999'"),
        ('chroma_url = "http://127.0.0.1:abc"', "its port must be a number from 1 to 65535, not 'abc'"),
        ('chroma_url = "http://127.0.0.1:0"', "its port must be a number from 1 to 65535, not '0'"),
        ('chroma_url = "http://:8000"', "chroma_url must be an http(s) URL such as http://127.0.0.1:8000: it names no host"),
        ('openai_base_url = "http://127.0.0.1:123456/v1"', "openai_base_url must be an http(s) URL"),
        ('openai_base_url = "http://[::1/v1"', "openai_base_url must be an http(s) URL"),
        ('chroma_url = "http://[::1]:8000:9"', "chroma_url must be an http(s) URL"),
    ],
)
def test_a_nonsense_value_in_the_config_file_is_refused_naming_the_file(
    tmp_path: Path, toml: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_toml(tmp_path, toml)
    message = str(caught.value)
    assert expected in message, message
    assert f"(from config file {tmp_path / 'settings.toml'})" in message, message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("ASSISTANT_CHROMA_TIMEOUT", "nan", "chroma_timeout_s must be a finite number, not 'nan'"),
        ("ASSISTANT_CHROMA_TIMEOUT", "1e400", "chroma_timeout_s must be a finite number"),
        ("ASSISTANT_SYNC_INTERVAL", "inf", "sync_interval_s must be a finite number, not 'inf'"),
        ("ASSISTANT_LLM_TIMEOUT", "-5", "llm_timeout_s must be more than 0"),
        ("ASSISTANT_LLM_RETRIES", "-3", "llm_max_retries must be between 0 and 100"),
        ("ASSISTANT_LLM_CONTEXT", "0", "llm_context_tokens must be between 1024"),
        ("ASSISTANT_TOP_K", "99999999999999999999", "top_k must be between 1 and 50"),
        ("ASSISTANT_CHROMA_URL", "http://127.0.0.1:99999", "its port must be a number from 1 to 65535"),
        ("ASSISTANT_COLLECTION", "1.2.3.4", "not an IP address"),
    ],
)
def test_a_nonsense_value_in_the_environment_is_refused_naming_the_variable(
    variable: str, value: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.load(environ={variable: value}, config_file=Path("/dev/null"))
    assert expected in str(caught.value) and f"(from environment variable {variable})" in str(caught.value)


def test_a_mistyped_setting_is_told_the_one_it_was_meant_for(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown setting\(s\): topk .*; topk: did you mean top_k\? known: "):
        load_toml(tmp_path, "topk = 3")


def test_a_nonsense_option_is_refused_naming_the_option() -> None:
    with pytest.raises(ConfigError, match=r"port must be .* \(from option --chroma-url\)$"):
        Settings.load(environ={}, config_file=Path("/dev/null"), chroma_url="http://127.0.0.1:abc")
    with pytest.raises(ConfigError, match=r"must be a path, not '' \(from option --auth-file\)$"):
        Settings.load(environ={}, config_file=Path("/dev/null"), auth_file="")


def test_a_contradiction_names_where_both_values_came_from(tmp_path: Path) -> None:
    config = tmp_path / "x.toml"
    config.write_text("top_k = 8\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Settings.load(environ={"ASSISTANT_CANDIDATES": "3"}, config_file=config)
    assert str(caught.value) == (
        f"candidates (3, from environment variable ASSISTANT_CANDIDATES) must be at least top_k "
        f"(8, from config file {config})"
    )


def test_a_config_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    with pytest.raises(ConfigError, match=rf"^config file {folder} is a folder, not a TOML file$"):
        Settings.load(environ={}, config_file=folder)
    with pytest.raises(ConfigError, match=rf"config file {folder} \(from environment variable ASSISTANT_CONFIG\)"):
        Settings.load(environ={"ASSISTANT_CONFIG": str(folder)})
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('llm_model = "café"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match=rf"^config file {latin1} is not UTF-8 text \(byte 0xe9 at offset 16\)"):
        Settings.load(environ={}, config_file=latin1)
    beneath_a_file = latin1 / "settings.toml"
    with pytest.raises(ConfigError, match=rf"^config file {beneath_a_file} cannot be read: Not a directory$"):
        Settings.load(environ={}, config_file=beneath_a_file)


@pytest.mark.parametrize("f", NUMBERS, ids=lambda f: f.name)
def test_every_number_declares_its_limits_and_refuses_what_is_not_a_number(f: Field[Any]) -> None:
    """A new numeric setting cannot forget its lower limit; no number takes a bool, NaN or infinity."""
    name, metadata = f.name, f.metadata
    assert "min" in metadata or "above" in metadata, f"{name} declares no lower limit"
    for value in (True, "nan", "inf", "-inf", [1], "1e400"):
        with pytest.raises(ConfigError, match=name):
            Settings.from_mapping({name: value})
    low = metadata.get("min", metadata.get("above"))
    with pytest.raises(ConfigError, match=name):
        Settings.from_mapping({name: low - 1})
    if "max" in metadata:
        with pytest.raises(ConfigError, match=name):
            Settings.from_mapping({name: metadata["max"] + 1})


def test_direct_construction_is_checked_too() -> None:
    for wrong in ({"top_k": True}, {"sync_interval_s": math.inf}, {"collection": ["x"]}, {"index_dir": None}):
        with pytest.raises(ConfigError):
            Settings(**wrong).validate()  # type: ignore[arg-type]


def test_sensible_values_are_still_taken(tmp_path: Path) -> None:
    settings = load_toml(
        tmp_path,
        'top_k = 6.0\nllm_timeout_s = 10\nsync_interval_s = 0\nllm_max_retries = 0\npublic = 1\n'
        'chroma_url = "http://[::1]:8000"\ncollection = "news-2024.v2"\nindex_dir = "~/idx"\n',
    )
    assert settings.top_k == 6 and isinstance(settings.top_k, int)
    assert settings.llm_timeout_s == 10.0 and isinstance(settings.llm_timeout_s, float)
    assert settings.sync_interval_s == 0 and settings.llm_max_retries == 0 and settings.public is True
    assert settings.index_dir == Path("~/idx").expanduser() and settings.collection == "news-2024.v2"
    env = {"ASSISTANT_CHROMA_TIMEOUT": "2.5", "ASSISTANT_READ_ONLY": "off", "OPENAI_BASE_URL": "https://x.example/v1"}
    loaded = Settings.load(environ=env, config_file=Path("/dev/null"), index_dir=tmp_path)
    assert loaded.chroma_timeout_s == 2.5 and loaded.read_only is False and loaded.index_dir == tmp_path
    assert Settings.from_mapping(loaded.__dict__) == loaded  # how Assistant.open and the evals copy settings


def test_an_empty_key_is_unset_and_a_blank_one_is_refused() -> None:
    """`openai_api_key = ""` in a file meant the offline answer (or a local server that wants no
    key) and stays so; " " turned the LLM on with no key and is refused."""
    assert not Settings.from_mapping({"openai_api_key": ""}).validate().llm_configured
    with pytest.raises(ConfigError, match="openai_api_key is blank"):
        Settings.from_mapping({"openai_api_key": " "}).validate()
