"""`ApiServer`: uvicorn on its own named thread with its own event loop, never the Qt thread.

`start` binds the port itself first, so a port another program holds is one clear sentence
at once (and, on Windows, the socket is exclusive: no other program can bind the same port
beside it); it then waits, bounded, until uvicorn serves. `stop` asks uvicorn to finish the
requests in flight (bounded), then closes. `state` says off, listening on URL, or failed.
"""

from __future__ import annotations

import errno
import socket
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from aurora_desktop.app.wiring import Core
from aurora_desktop.core import notices
from aurora_desktop.core.api_keys import ApiKeyStore
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.text import phrase
from aurora_desktop.server.options import ApiOptions

if TYPE_CHECKING:  # uvicorn and FastAPI load when the server starts, not with the app
    import uvicorn
    from fastapi import FastAPI

THREAD_NAME = "aurora-api"
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0
GRACE_S = 2  # seconds requests in flight get to finish when the server stops
MAX_CONNECTIONS = 256  # open connections and requests at once, the last-resort bound


@dataclass(frozen=True, slots=True)
class ApiState:
    """What the server is doing now, for the tray and the CLI."""

    kind: Literal["off", "listening", "failed"]
    url: str = ""
    reason: str = ""

    def __str__(self) -> str:
        if self.kind == "listening":
            return f"listening on {self.url}"
        if self.kind == "failed":
            return f"failed: {self.reason}"
        return "off"


class ApiServer:
    """One API server for one core; `start` and `stop` may be called again and again."""

    def __init__(self, core: Core, keys: ApiKeyStore, options: ApiOptions) -> None:
        self.core = core
        self.keys = keys
        self.options = options
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._state = ApiState("off")
        self._app: FastAPI | None = None

    @property
    def state(self) -> ApiState:
        with self._lock:
            thread, state = self._thread, self._state
        if state.kind == "listening" and (thread is None or not thread.is_alive()):
            return ApiState("failed", reason="the API server stopped unexpectedly")
        return state

    @property
    def app(self) -> FastAPI | None:
        """The app being served (tests add routes to it before `start`)."""
        return self._app

    def prepare(self) -> FastAPI:
        """Build the app now (start builds it otherwise); returns it."""
        if self._app is None:
            from aurora_desktop.server.app import build_api

            self._app = build_api(self.core, keys=self.keys, options=self.options)
        return self._app

    def start(self, timeout: float = START_TIMEOUT_S) -> str:
        """Serve; returns the URL once requests are answered, else raises ConfigError."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return self.options.url
        try:
            sock = listen(self.options.bind, self.options.port)
        except ConfigError as exc:
            self._set(ApiState("failed", reason=str(exc)))
            raise
        import uvicorn

        config = uvicorn.Config(
            self.prepare(),
            loop="asyncio",
            http="h11",
            ws="none",
            lifespan="off",
            log_config=None,
            access_log=False,
            server_header=False,
            proxy_headers=False,  # no proxy in front: X-Forwarded-* from a caller mean nothing
            limit_concurrency=MAX_CONNECTIONS,  # beyond it uvicorn answers 503 by itself
            timeout_keep_alive=5,
            timeout_graceful_shutdown=GRACE_S,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=self._serve, args=(server, sock), name=THREAD_NAME, daemon=True
        )
        with self._lock:
            self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        if not server.started:
            self.stop()
            reason = phrase(
                "the API server did not start within {timeout} seconds",
                timeout=format(timeout, "g"),
            )
            self._set(ApiState("failed", reason=reason))
            raise ConfigError(
                phrase("The API could not start: {reason}; see Aurora's log.", reason=reason)
            )
        self._set(ApiState("listening", url=self.options.url))
        return self.options.url

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> bool:
        """Stop serving; True when the server's thread ended within `timeout`."""
        with self._lock:
            server, thread = self._server, self._thread
        if server is None or thread is None:
            return True
        failed = self.state if self.state.kind == "failed" else None  # kept: it says why
        server.should_exit = True
        thread.join(max(0.0, timeout - 1.0))
        if thread.is_alive():
            server.force_exit = True
            thread.join(1.0)
        stopped = not thread.is_alive()
        with self._lock:
            if stopped:
                self._server = self._thread = None
            if stopped:
                self._state = failed or ApiState("off")
        return stopped

    def _serve(self, server: uvicorn.Server, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # the thread must say why it ended, not just end
            self._set(ApiState("failed", reason=f"the API server stopped ({exc!r})"))
            notices.tell(f"Aurora's API stopped after an error ({type(exc).__name__}).")
        finally:
            sock.close()

    def _set(self, state: ApiState) -> None:
        with self._lock:
            self._state = state


def listen(bind: str, port: int) -> socket.socket:
    """A socket listening on `bind`:`port`, or ConfigError saying why it cannot be had."""
    family = socket.AF_INET6 if ":" in bind else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle's algorithm off only on sockets it knows are
    # TCP, and with it on every small answer waited ~40 ms for the client's delayed ACK
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):  # Windows: no one may bind beside us
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:  # POSIX: reuse a port in TIME_WAIT, never one that is listening
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((bind, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)) or (
            getattr(exc, "winerror", None) in (10013, 10048)
        ):
            raise ConfigError(
                phrase(
                    "Port {port} on {bind} is already in use by another program; "
                    "choose another port for the API in Aurora's settings (or 'aurora "
                    "serve --port N').",
                    port=port,
                    bind=bind,
                )
            ) from exc
        raise ConfigError(
            phrase(
                "The API cannot listen on {bind}:{port} ({exc_strerror_or_exc}); "
                "check the address and port in Aurora's settings.",
                bind=bind,
                port=port,
                exc_strerror_or_exc=exc.strerror or exc,
            )
        ) from exc
    sock.setblocking(False)
    return sock
