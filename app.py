"""The chat page, the way Gradio apps start: `python app.py`, or `gradio app.py` to reload it
while editing; `assistant serve` serves the same page.

Wiring only: the settings come from the environment and `assistant.toml` (see README), the
page is built by `assistant.web`, and the index is opened when the page is first used
(`python app.py` opens it before serving, adding the sample articles to an empty index).
`python app.py` honours GRADIO_SERVER_NAME and GRADIO_SERVER_PORT (default 127.0.0.1:7860).
"""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.web.access import Access
from assistant.web.address import bound_port
from assistant.web.opening import OpenOnFirstUse

try:
    settings = Settings.load()
    access = Access.from_settings(settings)
    bound_port(None)  # $GRADIO_SERVER_PORT, read before Gradio's import fails on a malformed one
except AssistantError as exc:
    sys.exit(f"app.py: configuration error: {exc}")

from assistant.web.page import build_app, run  # imports Gradio

bot = OpenOnFirstUse(settings, sample_corpus=Path(__file__).resolve().parent / "corpus")
demo = build_app(bot, access=access)

if __name__ == "__main__":
    try:
        run(demo, bot, host=None, port=None, access=access)
    except AssistantError as exc:
        sys.exit(f"app.py: {exc}")
