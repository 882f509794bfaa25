"""A scriptable OpenAI-compatible "cloud" on 127.0.0.1 that records every request it gets.

    with serve_openai_stub(StubReply.error(429, headers={"Retry-After": "1"}),
                           StubReply.sse("Hello", " there")) as stub:
        ...  # point a provider at stub.base_url
        assert stub.chat_count == 2
        assert "secret" not in stub.requests[-1].text

Replies are consumed one per chat request, in order; when the queue is empty `default`
answers (a short streamed "OK"), or, with `upstream=` set, the request is forwarded to a
real server (e.g. `python -m llama_cpp.server`) and its answer streamed back, so a test can
see exactly what reached the real model. `GET /v1/models` is answered and recorded too.
Every handler thread is joined when the `with` block ends; a hanging reply is released then.
"""

from __future__ import annotations

import http.client
import http.server
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

HANG_LIMIT_S = 60.0  # a hanging reply never outlives this, even if the stub is not stopped


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    at: float  # time.monotonic() when the body had been read

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True, slots=True, kw_only=True)
class StubReply:
    """One scripted answer. Build with `sse`, `error`, `json_body`, `hanging` or `forwarded`."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    chunks: tuple[str, ...] = ()  # content pieces, each sent as one SSE event
    finish_reason: str | None = "stop"
    usage: tuple[int, int] | None = None  # (prompt_tokens, completion_tokens) chunk at the end
    body: bytes | None = None  # a raw body instead of an event stream
    delay_s: float = 0.0  # before the status line
    chunk_delay_s: float = 0.0  # between events
    drop_after: int | None = None  # close the connection after this many content events
    hang: bool = False  # read the request, then never answer (until the stub stops)
    forward: bool = False  # pass the request to `upstream` and stream its answer back

    @classmethod
    def sse(cls, *chunks: str, **options: Any) -> StubReply:
        return cls(chunks=chunks, **options)

    @classmethod
    def error(cls, status: int, message: str = "stub error", **options: Any) -> StubReply:
        body = json.dumps({"error": {"message": message, "type": "stub"}}).encode()
        return cls(status=status, body=body, **options)

    @classmethod
    def json_body(cls, data: Any, status: int = 200, **options: Any) -> StubReply:
        return cls(status=status, body=json.dumps(data).encode(), **options)

    @classmethod
    def hanging(cls) -> StubReply:
        return cls(hang=True)

    @classmethod
    def forwarded(cls) -> StubReply:
        return cls(forward=True)


@dataclass
class OpenAIStub:
    """The running stub: its address, its script, and what it received."""

    base_url: str = ""
    default: StubReply = field(default_factory=lambda: StubReply.sse("O", "K"))
    upstream: str | None = None  # e.g. "http://127.0.0.1:PORT" (no /v1)
    requests: list[RecordedRequest] = field(default_factory=list)
    _script: list[StubReply] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _arrived: threading.Condition = field(init=False)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._arrived = threading.Condition(self._lock)

    def enqueue(self, *replies: StubReply) -> None:
        with self._lock:
            self._script.extend(replies)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    @property
    def chat_count(self) -> int:
        return len(self.chat_requests)

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> bool:
        """Block until `count` requests of any kind have arrived (or `timeout` passes)."""
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self.requests) >= count, timeout)

    def _record(self, request: RecordedRequest, chat: bool) -> StubReply | None:
        with self._arrived:
            self.requests.append(request)
            self._arrived.notify_all()
            if not chat:
                return None
            if self._script:
                return self._script.pop(0)
            return StubReply.forwarded() if self.upstream else self.default


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"  # one request per connection; bodies end when it closes

    def log_message(self, *args: object) -> None:
        return None

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        stub = self.server.stub
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        chat = self.command == "POST" and self.path.endswith("/chat/completions")
        reply = stub._record(
            RecordedRequest(self.command, self.path, headers, body, time.monotonic()), chat
        )
        try:
            if reply is None:
                models = {"object": "list", "data": [{"id": "stub-model", "object": "model"}]}
                self._send(StubReply.json_body(models))
            elif reply.forward:
                self._forward(stub, body, headers)
            else:
                self._send(reply)
        except OSError:
            pass  # the client went away (cancel, timeout); that is what some tests want

    def _send(self, reply: StubReply) -> None:
        stop = self.server.stub.stop
        if reply.hang:
            stop.wait(HANG_LIMIT_S)
            return
        if reply.delay_s and stop.wait(reply.delay_s):
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.body is not None:
            if "content-type" not in {name.lower() for name in reply.headers}:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
            return
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for index, piece in enumerate(reply.chunks):
            if reply.drop_after is not None and index >= reply.drop_after:
                return  # the connection closes without [DONE]
            if index and reply.chunk_delay_s and stop.wait(reply.chunk_delay_s):
                return
            self._event({"choices": [{"index": 0, "delta": {"content": piece}}]})
        if reply.drop_after is not None and reply.drop_after <= len(reply.chunks):
            return
        self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": reply.finish_reason}]})
        if reply.usage is not None:
            prompt, completion = reply.usage
            self._event({"choices": [], "usage": {"prompt_tokens": prompt,
                                                  "completion_tokens": completion}})  # fmt: skip
        self.wfile.write(b"data: [DONE]\n\n")

    def _event(self, data: dict[str, Any]) -> None:
        data = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", **data}
        self.wfile.write(b"data: " + json.dumps(data).encode() + b"\n\n")
        self.wfile.flush()

    def _forward(self, stub: OpenAIStub, body: bytes, headers: dict[str, str]) -> None:
        assert stub.upstream, "forward needs OpenAIStub.upstream"
        target = urlsplit(stub.upstream)
        conn = http.client.HTTPConnection(
            target.hostname or "127.0.0.1", target.port, timeout=HANG_LIMIT_S
        )
        try:
            keep = {k: v for k, v in headers.items() if k not in ("host", "connection")}
            conn.request(self.command, self.path, body=body, headers=keep)
            answer = conn.getresponse()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.end_headers()
            while not stub.stop.is_set() and (data := answer.read1(64 * 1024)):
                self.wfile.write(data)
                self.wfile.flush()
        finally:
            conn.close()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every handler thread
    block_on_close = True

    def __init__(self, stub: OpenAIStub) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stub = stub


@contextmanager
def serve_openai_stub(
    *replies: StubReply, default: StubReply | None = None, upstream: str | None = None
) -> Iterator[OpenAIStub]:
    """Run the stub until the block ends; `stub.base_url` ends in /v1 like a real provider."""
    stub = OpenAIStub(upstream=upstream)
    if default is not None:
        stub.default = default
    stub.enqueue(*replies)
    server = _Server(stub)
    stub.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="test-openai-stub", daemon=True
    )
    thread.start()
    try:
        yield stub
    finally:
        stub.stop.set()  # releases hanging and delayed replies at once
        server.shutdown()
        server.server_close()
        thread.join(5)
