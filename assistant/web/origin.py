"""The page answers its own pages only: a request a browser sends from another site (its
`Origin` is not the address the page is served at) is refused, and no other site may frame it.

Gradio answers any origin's cross-origin requests, with credentials, as soon as the page is
reached by a name other than localhost (behind a reverse proxy, as README "On a network" sets
it up): a page on any site a signed-in editor visits could then read answers, list and remove
articles, or upload files with the editor's cookie, and could frame the page to have a click
land on "Remove". Scripts (gradio_client, curl) send no `Origin` and are not concerned.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No other site may show the page in a frame (clickjacking); the page's own frames may.
FRAME_HEADERS = {"X-Frame-Options": "SAMEORIGIN", "Content-Security-Policy": "frame-ancestors 'self'"}


def _host_name(netloc: str) -> str:
    """The host name of "host[:port]", lowercase."""
    return (urlsplit(f"//{netloc}").hostname or "").lower()


def same_origin(origin: str, headers: Headers) -> bool:
    """Whether `origin` (a request's Origin header) names the host the request was sent to, its
    Host (which a browser's script cannot set; a reverse proxy passes it on: SECURITY.md). Not
    X-Forwarded-Host: another site's script may send that one. Ports are not compared: a proxy's
    `$host` drops the one the browser used."""
    parts = urlsplit(origin)
    if not parts.scheme or not parts.netloc:
        return False  # "null": a sandboxed frame, a file:// page
    host = _host_name(headers.get("host", "").strip())
    return bool(host) and host == _host_name(parts.netloc)


class SameOriginOnly:
    """ASGI middleware: requests whose Origin is another site's are answered 403; every response
    forbids framing by other sites (FRAME_HEADERS)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is not None and not same_origin(origin, headers):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            refused = PlainTextResponse(
                "This page answers only its own pages: requests from another site are refused.", status_code=403
            )
            await refused(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return

        async def framed(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in FRAME_HEADERS.items():
                    response_headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, framed)
