"""A script that calls the `/ask` API by plain HTTP may leave off its optional inputs.

Gradio's REST routes (`POST /gradio_api/call/ask`, `{"data": [...]}`) need a value for every
input of the function: `{"data": ["What did Putin say?"]}` without the history and the day was
answered `event: error` with `{"error": null}` and no word of why (gradio_client fills them in
itself). This middleware fills the inputs left off at the end with null, their defaults, and
answers a body that is not `{"data": [...]}` with a 422 that says what to send.
"""

from __future__ import annotations

import json
import re

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ROUTE = re.compile(r"^(?:/gradio_api)?/(?:call|run)/(?P<name>[\w-]+)/?$")
_MOST_BYTES = 4 * 1024 * 1024  # larger than any question and history the page takes; past it, Gradio judges


class TrailingInputsOptional:
    """ASGI middleware: a POST to a named API in `inputs` (name → how many inputs it takes) whose
    `data` holds fewer values gets null for each one left off."""

    def __init__(self, app: ASGIApp, inputs: dict[str, int]) -> None:
        self.app = app
        self.inputs = inputs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = _ROUTE.match(scope.get("path", "")) if scope["type"] == "http" else None
        if route is None or scope.get("method") != "POST" or route["name"] not in self.inputs:
            await self.app(scope, receive, send)
            return
        wanted = self.inputs[route["name"]]
        body, more = b"", True
        while more and len(body) <= _MOST_BYTES:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if not more:
            try:
                payload = json.loads(body) if body else None
            except ValueError:
                payload = None
            data = payload.get("data") if isinstance(payload, dict) else None
            if not isinstance(payload, dict) or not isinstance(data, list):
                usage = (
                    f'Send a JSON object {{"data": [...]}} with the {wanted} inputs of /{route["name"]} '
                    "(see the page's \"Use via API\" link); the ones left off at the end are null."
                )
                await PlainTextResponse(usage, status_code=422)(scope, receive, send)
                return
            if len(data) < wanted:
                body = json.dumps({**payload, "data": data + [None] * (wanted - len(data))}).encode()
                headers = MutableHeaders(scope=scope)
                headers["content-length"] = str(len(body))
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": more}
            return await receive()

        await self.app(scope, replay, send)
