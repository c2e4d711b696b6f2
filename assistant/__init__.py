"""Grounded question answering over news articles, with verbatim citations.

Names are imported on first use, so `python -m assistant.search.export_model` or a
script that needs only the types does not pay for LlamaIndex and Chroma.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"  # the one place; pyproject.toml reads it

if TYPE_CHECKING:
    from assistant.answer.draft import NOT_IN_ARTICLES
    from assistant.assistant import Assistant
    from assistant.config import Settings
    from assistant.errors import AssistantError, IngestBusyError, QuestionError, RebuildError
    from assistant.search.retrieval import Filters
    from assistant.types import Answer, ArticleInfo, Citation, FileResult, IngestReport, Statement

_HOMES = {
    "Assistant": "assistant.assistant",
    "Settings": "assistant.config",
    "AssistantError": "assistant.errors",
    "IngestBusyError": "assistant.errors",
    "QuestionError": "assistant.errors",
    "RebuildError": "assistant.errors",
    "Filters": "assistant.search.retrieval",
    "NOT_IN_ARTICLES": "assistant.answer.draft",
    "Answer": "assistant.types",
    "ArticleInfo": "assistant.types",
    "Citation": "assistant.types",
    "FileResult": "assistant.types",
    "IngestReport": "assistant.types",
    "Statement": "assistant.types",
}

__all__ = [
    "NOT_IN_ARTICLES",
    "Answer",
    "ArticleInfo",
    "Assistant",
    "AssistantError",
    "Citation",
    "FileResult",
    "Filters",
    "IngestBusyError",
    "IngestReport",
    "QuestionError",
    "RebuildError",
    "Settings",
    "Statement",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
