"""Limits on what one request may cost: requests at once per app and in total, and the body.

They run after the key check, the count first: a request beyond the limit is refused (429,
`Retry-After`) before its body is read, so at most `max_concurrent` bodies are ever held in
memory. Reads (GET, HEAD, OPTIONS) are not counted: they list models and cost nothing. A
body must arrive within `body_timeout_s` (408), be at most `max_body_bytes` (413; a larger
body is read to its end and dropped, up to DRAIN_LIMIT, so the client gets the answer
instead of a reset), be UTF-8 JSON nested at most 64 levels with finite numbers (400);
a POST needs one, other methods may send none. The parsed JSON is left on
`request.state.body_json` and the body is handed on unchanged to the endpoint, whose later
`receive` calls still hear the client disconnect.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import anyio
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.watched import parse_json_bytes
from aurora_desktop.server.errors import api_error

READS = frozenset({"GET", "HEAD", "OPTIONS"})
PARSE_IN_THREAD_BYTES = 256_000  # larger bodies are parsed off the event loop
RETRY_AFTER_S = 1
DRAIN_LIMIT = 64_000_000  # a body over the limit is read and dropped up to this size


class ConcurrencyLimit:
    """At most `per_key` requests of one app and `total` of all apps are answered at once."""

    def __init__(self, app: ASGIApp, *, total: int, per_key: int) -> None:
        self.app = app
        self.total = total
        self.per_key = per_key
        self.running: Counter[str] = Counter()  # key id -> requests being answered

    @property
    def in_flight(self) -> int:
        return self.running.total()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READS:
            await self.app(scope, receive, send)
            return
        client = scope.get("state", {}).get("client")
        key = getattr(client, "key_id", "")
        refusal = None
        if self.in_flight >= self.total:
            refusal = (
                f"Aurora is already answering {self.total} requests, its limit for all apps; "
                f"retry in {RETRY_AFTER_S} second."
            )
        elif self.running[key] >= self.per_key:
            refusal = (
                f"Aurora is already answering {self.per_key} requests for this app, its limit "
                f"for one key; retry in {RETRY_AFTER_S} second."
            )
        if refusal is not None:
            headers = {"Retry-After": str(RETRY_AFTER_S)}
            await api_error(scope["path"], 429, refusal, headers=headers)(scope, receive, send)
            return
        self.running[key] += 1  # one event loop: no other task runs between check and count
        try:
            await self.app(scope, receive, send)
        finally:
            self.running[key] -= 1
            if self.running[key] <= 0:
                del self.running[key]


class BodyCheck:
    """Reads a request's body within its limits and checks that it is JSON, or refuses it."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, timeout_s: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READS:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and not declared.strip().isdigit():
            refusal = api_error(path, 400, "The Content-Length header is not a number.")
            await refusal(scope, receive, send)
            return
        if declared is not None and int(declared) > DRAIN_LIMIT:  # not worth reading
            await self._too_large(scope, receive, send)
            return
        try:
            with anyio.fail_after(self.timeout_s):
                body, gone = await self._read(receive)
        except TimeoutError:
            message = (
                f"The request body did not arrive within {self.timeout_s:g} seconds; "
                "send it at once."
            )
            refusal = api_error(path, 408, message, headers={"Connection": "close"})
            await refusal(scope, receive, send)
            return
        if gone:  # nobody is left to answer
            return
        if body is None:
            await self._too_large(scope, receive, send)
            return
        if not body.strip() and scope["method"] != "POST":  # DELETE /v1/x: no body needed
            await self.app(scope, _replay(body, receive), send)
            return
        problem, data = await self._parse(body)
        if problem is not None:
            await api_error(path, 400, problem)(scope, receive, send)
            return
        scope.setdefault("state", {})["body_json"] = data
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> tuple[bytes | None, bool]:
        """The whole body (None when it is larger than allowed), and whether the client left.

        A body over the limit is read on and thrown away, up to DRAIN_LIMIT: a client that
        is still sending when the connection closes gets a reset instead of the answer, and
        the `openai` SDK should see its 413."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None, True
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= self.max_bytes:
                chunks.append(chunk)
            elif chunks:
                chunks.clear()  # over the limit: keep nothing
            if not message.get("more_body", False) or size > DRAIN_LIMIT:
                return (b"".join(chunks) if size <= self.max_bytes else None), False

    async def _parse(self, body: bytes) -> tuple[str | None, Any]:
        if not body.strip():
            return "The request has no body; send a JSON object.", None
        try:
            if len(body) > PARSE_IN_THREAD_BYTES:
                return None, await anyio.to_thread.run_sync(_parse_json, body)
            return None, _parse_json(body)
        except ConfigError as exc:
            return str(exc), None

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        megabytes = self.max_bytes / 1_000_000
        size = f"{megabytes:g} MB" if megabytes >= 1 else f"{self.max_bytes:,} bytes"
        message = f"The request body is larger than {size}, the API's limit; send less text."
        # the connection closes after this answer: the body may not have been read to its end
        await api_error(scope["path"], 413, message, headers={"Connection": "close"})(
            scope, receive, send
        )


def _parse_json(body: bytes) -> Any:
    """JSON, or a one-sentence ConfigError (not UTF-8, nested deeper than MAX_DEPTH, NaN, ...)."""
    return parse_json_bytes(body, "The request body")


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the body read already, then whatever the client sends next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
