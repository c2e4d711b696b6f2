"""What the page may say about files: paths relative to the folder an article came from, never
the server's absolute paths (the Python API and the CLI keep full paths)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# An absolute POSIX path inside a message: "/" and a name, up to whitespace or punctuation that
# ends a clause (a file name's own dots and dashes are kept).
_ABSOLUTE = re.compile(r"(?<![\w.:/])/(?:[^\s/'\"`,;:()<>]+/)*[^\s/'\"`,;:()<>]+")


class PublicPaths:
    """Server paths shown as relative ones: under a known folder, relative to it with the folder's
    label before it ("uploads/3f…/article.txt", "corpus/001.txt"); elsewhere, the file name."""

    def __init__(self, roots: Mapping[Path, str]) -> None:
        # Deepest folder first, so that an uploads folder inside the index is found before it.
        resolved = {root.resolve(): label for root, label in roots.items()}
        self._roots = sorted(resolved.items(), key=lambda item: len(item[0].parts), reverse=True)

    def path(self, path: str) -> str:
        if "://" in path:
            return path  # a URL is public already
        full = Path(path)
        if not full.is_absolute():
            return path
        for root, label in self._roots:
            if full.is_relative_to(root):
                relative = full.relative_to(root).as_posix()
                return f"{label}/{relative}" if label else relative
        return full.name

    def text(self, message: str) -> str:
        """A message with every absolute path in it made public."""
        return _ABSOLUTE.sub(lambda m: self.path(m.group(0)), message)

    def answer(self, answer: dict[str, Any]) -> dict[str, Any]:
        """Answer.to_dict() as the page sends it: citation paths made public."""
        citations = [{**c, "path": self.path(str(c["path"]))} for c in answer.get("citations", [])]
        notice = answer.get("notice")
        return {**answer, "citations": citations, "notice": self.text(notice) if notice else notice}
