"""Errors a user can cause. Each message says what went wrong and what to do."""


class AssistantError(Exception):
    """Base of every error meant to be shown to the user as it is."""


class ConfigError(AssistantError):
    """Settings are missing, malformed or contradictory."""


class ModelNotFoundError(AssistantError):
    """The local embedding model is not installed where it is expected."""


class IndexMismatchError(AssistantError):
    """The index was built with other embedding or chunking settings."""


class EmptyIndexError(AssistantError):
    """A question was asked of an index that holds no articles."""


class StoreUnavailableError(AssistantError):
    """The Chroma store cannot be opened or reached."""


class QuestionError(AssistantError):
    """The question cannot be answered as asked (empty, too long)."""


class LLMUnavailableError(AssistantError):
    """The configured language model could not be reached."""


class PromptError(AssistantError):
    """A prompt file is missing or its placeholders are not the expected ones."""


class IngestBusyError(AssistantError):
    """Another ingest is writing to the same index."""
