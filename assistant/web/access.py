"""Who may use the page and what they may change: readers ask, editors also upload and remove.

Credentials come from the settings (`auth`, `editor_auth`, `auth_file`; `assistant serve
--auth/--editor/--auth-file`). Without any, the page is open, and only safe on loopback.
"""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings
from assistant.errors import ConfigError

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class Access:
    """The page's credentials and whether it may change the corpus at all."""

    readers: dict[str, str] = field(default_factory=dict, repr=False)
    editors: dict[str, str] = field(default_factory=dict, repr=False)
    read_only: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Access:
        readers = parse_credentials(settings.auth, "auth")
        editors = parse_credentials(settings.editor_auth, "editor_auth")
        if settings.auth_file is not None:
            more_readers, more_editors = read_credentials_file(settings.auth_file)
            readers.update(more_readers)
            editors.update(more_editors)
        both = sorted(set(readers) & set(editors))
        if both:
            raise ConfigError(f"user(s) {', '.join(both)} are both readers and editors; give each one role")
        return cls(readers, editors, settings.read_only)

    @property
    def required(self) -> bool:
        """Whether the page asks for a user name and password."""
        return bool(self.readers or self.editors)

    @property
    def writes_mounted(self) -> bool:
        """Whether the page has upload and remove handlers at all: not read-only, and either open
        (no credentials) or with at least one editor."""
        return not self.read_only and (not self.required or bool(self.editors))

    def login(self, username: str, password: str) -> bool:
        """Gradio's auth callback: a known user with the right password (compared in constant time)."""
        expected = self.editors.get(username, self.readers.get(username))
        return expected is not None and hmac.compare_digest(expected.encode(), password.encode())

    def can_edit(self, username: str | None) -> bool:
        if not self.writes_mounted:
            return False
        return not self.required or (username is not None and username in self.editors)


def parse_credentials(text: str | None, setting: str) -> dict[str, str]:
    """USER:PASSWORD pairs, separated by commas or new lines."""
    found: dict[str, str] = {}
    for item in (text or "").replace("\n", ",").split(","):
        item = item.strip()
        if not item:
            continue
        user, sep, password = item.partition(":")
        if not sep or not user.strip() or not password:
            lacks = "no colon" if not sep else "no user name" if not user.strip() else "no password"
            raise ConfigError(
                f"{setting}: each credential must look like USER:PASSWORD, with a non-empty name and "
                f"password; one of them has {lacks}"
            )
        found[user.strip()] = password
    return found


def read_credentials_file(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Lines 'reader USER:PASSWORD' or 'editor USER:PASSWORD'; '#' starts a comment line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read the credentials file {path}: {exc.strerror or exc}") from None
    readers: dict[str, str] = {}
    editors: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        role, _, credential = line.partition(" ")
        if role not in ("reader", "editor"):
            raise ConfigError(
                f"{path}, line {number}: begin the line with 'reader' or 'editor', then USER:PASSWORD"
            )
        target = editors if role == "editor" else readers
        target.update(parse_credentials(credential.strip(), f"{path}, line {number}"))
    return readers, editors


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, access: Access, public: bool) -> None:
    """Refuse to serve an open page beyond this machine unless `public` says so explicitly."""
    if is_loopback(host) or access.required or public:
        return
    raise ConfigError(
        f"refusing to serve the page on {host} without a password: anyone who can reach it could "
        "ask questions, upload files and remove articles. Give credentials (--auth USER:PASSWORD, "
        "--editor USER:PASSWORD or --auth-file), serve it on 127.0.0.1 behind a proxy that "
        "authenticates (see SECURITY.md), or pass --public if an open page is really meant"
    )
