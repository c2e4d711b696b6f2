"""Where the page listens: the address and port the web server will bind, and a check, before
anything slow starts (opening the index, a local LLM), that the port is free. No Gradio here:
Gradio reads $GRADIO_SERVER_PORT when it is imported and fails on a malformed one."""

from __future__ import annotations

import errno
import os
import socket

from assistant.errors import ConfigError, PortInUseError


def bound_host(host: str | None) -> str:
    """The address Gradio will bind: `host`, else $GRADIO_SERVER_NAME as Gradio reads it, else loopback."""
    return host if host is not None else os.environ.get("GRADIO_SERVER_NAME") or "127.0.0.1"


def bound_port(port: int | None) -> int:
    """The port Gradio will listen on: `port`, else $GRADIO_SERVER_PORT, else 7860."""
    if port is not None:
        return port
    value = os.environ.get("GRADIO_SERVER_PORT") or "7860"
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"GRADIO_SERVER_PORT must be a port number, not {value!r}") from None


def port_in_use(host: str, port: int) -> PortInUseError:
    """The error to show when `port` on `host` is taken."""
    return PortInUseError(
        f"port {port} on {host} is in use: another program (another assistant page?) listens there. "
        "Stop it, or serve on another port: --port N or $GRADIO_SERVER_PORT"
    )


def check_port(host: str | None, port: int | None) -> None:
    """Fail now, with what to do, when the page's port is taken, rather than after the index
    and a local LLM have been opened. Binds as the web server will (address reuse on, so a
    connection of a stopped page still closing does not count) and lets go at once. Under
    `gradio app.py` (watch mode: $GRADIO_WATCH_DIRS) Gradio holds the port and runs the app again
    on every edit: nothing to check."""
    if os.environ.get("GRADIO_WATCH_DIRS"):
        return
    where, number = bound_host(host), bound_port(port)
    try:
        family, kind, proto, _, address = socket.getaddrinfo(where, number, type=socket.SOCK_STREAM)[0]
    except (OSError, UnicodeError) as exc:  # "localhst": else Gradio's traceback, then "port in use"
        raise ConfigError(
            f"cannot serve on {where!r}: no such address ({exc}); give --host an address or name of this machine"
        ) from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise port_in_use(where, number) from exc
            raise ConfigError(
                f"cannot serve on {where} port {number}: {exc.strerror or exc} (is it an address of this "
                "machine? a port under 1024 needs root)"
            ) from exc
