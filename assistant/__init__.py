"""Grounded question answering over news articles, with verbatim citations."""

from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.retrieval import Filters
from assistant.synthesis import NOT_IN_ARTICLES
from assistant.types import Answer, ArticleInfo, Citation, FileResult, IngestReport, Statement

__all__ = [
    "NOT_IN_ARTICLES",
    "Answer",
    "ArticleInfo",
    "Assistant",
    "AssistantError",
    "Citation",
    "FileResult",
    "Filters",
    "IngestReport",
    "Settings",
    "Statement",
]
