"""`python -m assistant ...` is the `assistant` command."""

from assistant.cli import entry_point

entry_point()
