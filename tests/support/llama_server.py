"""A real `python -m llama_cpp.server` on a free 127.0.0.1 port, serving a real GGUF.

    with run_llama_server(gguf_path, log_dir=tmp_path) as server:
        server.base_url   # http://127.0.0.1:PORT/v1, an OpenAI-compatible endpoint
        server.kill()     # SIGKILL, e.g. to cut a stream mid-answer

The process is started with the test's interpreter, waited for until `GET /v1/models`
answers (bounded by `ready_timeout_s`), and always stopped when the block ends.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
MODEL_ALIAS = "smollm2"
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


@dataclass
class LlamaServer:
    process: subprocess.Popen[bytes]
    port: int
    model_path: Path
    log_path: Path
    alias: str

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """End the server at once (SIGKILL), as a crash or a pulled cable would."""
        if self.alive:
            self.process.kill()
        self.process.wait(STOP_TIMEOUT_S)

    def stop(self) -> None:
        """End the server politely, then by force; waits for the process either way."""
        if self.alive:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process.wait(STOP_TIMEOUT_S)

    def log_tail(self, chars: int = 3000) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-chars:]
        return ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def run_llama_server(
    model_path: Path,
    *,
    log_dir: Path,
    n_ctx: int = 2048,
    n_threads: int = 2,
    alias: str = MODEL_ALIAS,
    ready_timeout_s: float = READY_TIMEOUT_S,
    extra_args: Sequence[str] = (),
) -> Iterator[LlamaServer]:
    """Start the server, wait until it answers, yield it, and always stop it afterwards."""
    log_dir.mkdir(parents=True, exist_ok=True)
    server = _start(model_path, log_dir, n_ctx, n_threads, alias, ready_timeout_s, extra_args)
    try:
        yield server
    finally:
        server.stop()


def _start(model_path: Path, log_dir: Path, n_ctx: int, n_threads: int, alias: str,
           ready_timeout_s: float, extra_args: Sequence[str]) -> LlamaServer:  # fmt: skip
    deadline = time.monotonic() + ready_timeout_s
    for attempt in range(3):  # a free port can be taken between the probe and the bind
        port = free_port()
        log_path = log_dir / f"llama-server-{port}.log"
        with log_path.open("wb") as log:
            server = LlamaServer(_spawn(model_path, port, n_ctx, n_threads, alias, extra_args,
                                        log), port, model_path, log_path, alias)  # fmt: skip
        try:
            _wait_ready(server, deadline)
            return server
        except RuntimeError:
            server.stop()
            if attempt == 2 or time.monotonic() > deadline or "address" not in server.log_tail():
                raise
    raise AssertionError("unreachable")


def _spawn(model_path: Path, port: int, n_ctx: int, n_threads: int, alias: str,
           extra_args: Sequence[str], log: IO[bytes]) -> subprocess.Popen[bytes]:  # fmt: skip
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model_path),
        "--model_alias", alias, "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(n_ctx), "--n_threads", str(n_threads),
        "--n_threads_batch", str(n_threads), *extra_args,
    ]  # fmt: skip
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT)  # fmt: skip


def _wait_ready(server: LlamaServer, deadline: float) -> None:
    while True:
        if not server.alive:
            raise RuntimeError(f"llama_cpp.server exited early:\n{server.log_tail()}")
        with (
            contextlib.suppress(urllib.error.URLError, OSError),  # not listening yet
            _DIRECT.open(f"{server.base_url}/models", timeout=2) as reply,
        ):
            if reply.status == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"llama_cpp.server did not answer in time:\n{server.log_tail()}")
        time.sleep(0.2)
