"""A small news site on 127.0.0.1 for the URL and feed tests: a real HTTP server in a thread.

Pages, an RSS and an Atom feed, a redirect, a 404, a slow and a huge response, an
image, a page with no story, and a robots.txt that disallows /private/. Pages
answer conditional requests (ETag, Last-Modified) with 304. Every request is
counted by path, and routes can be changed while it runs.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = "Tue, 07 Dec 2021 10:00:00 GMT"


def article_page(
    *,
    headline: str,
    paragraphs: list[str],
    head: str = "",
    canonical: str | None = None,
    extra_body: str = "",
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{headline} | Harbour Gazette</title>{link}{head}</head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<header><div class="brand">Harbour Gazette</div></header>
<main><article><h1>{headline}</h1>
{body}
{extra_body}
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Storm closes the coast road again</a></li>
<li><a href="/b">Council approves the new budget</a></li></ul></aside></main>
<footer>Copyright 2021 Harbour Gazette. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>"""


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    etag: str | None = None
    stream_bytes: int = 0  # > 0: send this many bytes in chunks, without a Content-Length


class NewsSite:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.user_agents: set[str] = set()
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, html: str, etag: str | None = None) -> None:
        self.routes[path] = Route(html.encode("utf-8"), etag=etag)


def _handler(site: NewsSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            site.requests[path] += 1
            site.user_agents.add(self.headers.get("User-Agent", ""))
            route = site.routes.get(path)
            if route is None:
                self._send(404, b"<html><body><h1>Not found</h1></body></html>", "text/html")
                return
            if route.delay_s:
                time.sleep(route.delay_s)
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                site.not_modified[path] += 1
                self.send_response(304)
                self.send_header("ETag", route.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.stream_bytes:
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"<p>" + b"filler text " * 5000 + b"</p>\n"
                sent = 0
                try:
                    while sent < route.stream_bytes:
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        sent += len(chunk)
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return
            headers = dict(route.headers)
            if route.etag:
                headers["ETag"] = route.etag
                headers["Last-Modified"] = LAST_MODIFIED
            self._send(route.status, route.body, route.content_type, headers)

        def _send(
            self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    return Handler


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up early (the size limit, a timeout) is expected here


@contextmanager
def serve(site: NewsSite) -> Iterator[NewsSite]:
    server = _Server(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
