"""Prompt files in prompts/, checked at load time against the placeholders the code fills."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

from assistant.errors import PromptError
from assistant.shipped import shipped

PROMPTS_DIR = shipped("prompts")

EXPECTED_PLACEHOLDERS = {
    "answer_with_citations": frozenset({"refusal"}),
    "answer_request": frozenset({"passages", "question"}),
    "condense_follow_up": frozenset({"history", "question"}),
    "judge_support": frozenset({"statement", "evidence"}),
}


def placeholders(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name is not None)


@cache
def load_prompt(name: str, folder: Path = PROMPTS_DIR) -> str:
    """The template of prompts/<name>.txt, after checking its placeholders."""
    path = folder / f"{name}.txt"
    try:
        template = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"cannot read prompt file {path}: {exc.strerror or exc}") from exc
    expected = EXPECTED_PLACEHOLDERS.get(name)
    if expected is None:
        raise PromptError(f"no placeholders are declared for prompt {name!r}")
    try:
        found = placeholders(template)
    except ValueError as exc:
        raise PromptError(f"prompt file {path} is not a valid template: {exc}") from exc
    if found != expected:
        missing, extra = sorted(expected - found), sorted(found - expected)
        raise PromptError(
            f"prompt file {path} must use exactly the placeholders {sorted(expected)}; "
            f"missing {missing}, unexpected {extra}"
        )
    return template


def render(name: str, **values: str) -> str:
    return load_prompt(name).format(**values)
