"""A real HTTP server on 127.0.0.1 serving one payload with Range support, told how to misbehave."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

PATH = "/model.bin"
_RANGE = re.compile(r"^bytes=(\d+)-$")


@dataclass
class PayloadServer:
    """What to serve at `url` and how to misbehave; counts what the client asked for.

    Per-request lists (`cuts`, `statuses`, `stalls_s`) are consumed one item per request,
    so "cut the first request" is `cuts=[K]` and "500 twice" is `statuses=[500, 500]`.
    """

    payload: bytes
    url: str = ""
    extra: bytes = b""  # sent after the payload, as if the file were longer
    length: Literal["honest", "payload", "none"] = (
        "honest"  # Content-Length of body / payload / none
    )
    ignore_range: bool = False
    always_status: int | None = None
    cuts: list[int] = field(default_factory=list)  # close after this many body bytes
    statuses: list[int] = field(default_factory=list)
    stalls_s: list[float] = field(default_factory=list)  # wait before the body
    requests: int = 0
    ranges: list[str | None] = field(default_factory=list)
    body_bytes: list[int] = field(default_factory=list)  # body bytes written per request
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def file(self) -> bytes:
        return self.payload + self.extra

    def next_plan(self, range_header: str | None) -> tuple[int | None, int | None, float]:
        """Record one request; return (status override, cut point, stall) for it."""
        with self.lock:
            self.requests += 1
            self.ranges.append(range_header)
            status = self.statuses.pop(0) if self.statuses else self.always_status
            cut = self.cuts.pop(0) if self.cuts else None
            stall = self.stalls_s.pop(0) if self.stalls_s else 0.0
        return status, cut, stall


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: object) -> None:
        return None

    def do_GET(self) -> None:
        state = self.server.state
        range_header = self.headers.get("Range")
        status, cut, stall = state.next_plan(range_header)
        if self.path != PATH:
            self._plain(404, b"not found")
        elif status is not None:
            self._plain(status, b"server trouble")
        else:
            self._serve(state, range_header, cut, stall)

    def _serve(self, state: PayloadServer, range_header: str | None, cut: int | None,
               stall: float) -> None:  # fmt: skip
        data = state.file
        match = _RANGE.match(range_header or "")
        start = int(match[1]) if match and not state.ignore_range else 0
        if start >= len(data) and start > 0:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(data)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = data[start:]
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        if state.length == "honest":
            self.send_header("Content-Length", str(len(body)))
        elif state.length == "payload":
            self.send_header("Content-Length", str(max(0, len(state.payload) - start)))
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        if stall and state.stop.wait(stall):
            return
        self._body(state, body if cut is None else body[:cut])

    def _body(self, state: PayloadServer, body: bytes) -> None:
        sent = 0
        try:
            for offset in range(0, len(body), 16 * 1024):
                self.wfile.write(body[offset : offset + 16 * 1024])
                sent += len(body[offset : offset + 16 * 1024])
        except OSError:
            pass  # the client went away (cancel, or it refused the rest)
        with state.lock:
            state.body_bytes.append(sent)
        self.close_connection = True

    def _plain(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every handler thread
    block_on_close = True

    def __init__(self, state: PayloadServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


@contextmanager
def serve_payload(payload: bytes) -> Iterator[PayloadServer]:
    """Serve `payload` at `state.url` until the block ends; every thread is joined after."""
    state = PayloadServer(payload=payload)
    server = _Server(state)
    state.url = f"http://127.0.0.1:{server.server_address[1]}{PATH}"
    thread = threading.Thread(target=server.serve_forever, name="test-payload-http", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stop.set()  # ends any stall at once
        server.shutdown()
        server.server_close()
        thread.join(5)
