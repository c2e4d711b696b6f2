"""Errors a user can cause. Each message says what went wrong and what to do."""

from __future__ import annotations

from collections.abc import Sequence


class AssistantError(Exception):
    """Base of every error meant to be shown to the user as it is."""


class ConfigError(AssistantError):
    """Settings are missing, malformed or contradictory."""


class UsageError(ConfigError):
    """A command-line option's value cannot be used (`--since 2022-02-30`, an empty `--outlet`)."""


class ModelNotFoundError(AssistantError):
    """The local embedding model is not installed where it is expected."""


class IndexMismatchError(AssistantError):
    """The index was built with other embedding or chunking settings."""


class EmptyIndexError(AssistantError):
    """A question was asked of an index that holds no articles."""


class StoreUnavailableError(AssistantError):
    """The Chroma store cannot be opened or reached."""


class ServerUnreachableError(StoreUnavailableError):
    """No Chroma server answers at the address at all (nothing listens, no route, no reply in
    time): one that may be starting still."""


class DiskFullError(AssistantError):
    """The disk holding the index has no room left for what is being written."""


class QuestionError(AssistantError):
    """The question cannot be answered as asked (empty, too long)."""


class LLMUnavailableError(AssistantError):
    """The configured language model could not be reached."""


class PromptError(AssistantError):
    """A prompt file is missing or its placeholders are not the expected ones."""


class FetchError(AssistantError):
    """A web page or feed could not be fetched, or is not an article page or a feed."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status, when the server answered


class UnexpectedError(AssistantError):
    """Something failed that nothing the user did explains; its traceback is logged under `error_id`."""

    def __init__(self, message: str, error_id: str) -> None:
        super().__init__(message)
        self.error_id = error_id


class AccessError(AssistantError):
    """The page refuses the request: a reader asked to change the corpus, a limit was reached,
    or an upload holds no files."""


def listed(names: Sequence[str], shown: int) -> str:
    """The first `shown` names, then how many more: "a, b, c and 12 more"."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more:,} more" if more > 0 else "")


def unexpected(action: str, error: BaseException) -> UnexpectedError:
    """Log an exception that is not the project's own (a bug, a store changed under us) with its
    traceback and a short id, and return the error to show instead: the id, never the details."""
    import logging
    import secrets

    error_id = secrets.token_hex(4)
    logging.getLogger("assistant").error(
        "error %s while %s: %s: %s", error_id, action, type(error).__name__, error, exc_info=error
    )
    return UnexpectedError(
        f"something went wrong while {action} (error {error_id}); it has been logged for whoever "
        "runs this assistant. Please try again; if it happens again, quote the error id",
        error_id,
    )


class PortInUseError(AssistantError):
    """The page cannot be served on the port asked for: another program listens there."""


class IngestBusyError(AssistantError):
    """Another ingest is writing to the same index."""


class RebuildError(AssistantError):
    """A rebuild was not made the index in use: it could not read what it was given."""
