"""One `python -m llama_cpp.server` child process: start it, wait until it answers, stop it.

The child runs the same interpreter as Aurora, listens on a free 127.0.0.1 port, writes its
output to a log file (never to Aurora's console) and requires a random per-start API key,
passed through its environment, so no other program on the machine can use or interrupt it.
A crash in the GGUF loader therefore ends the child, not the app. On POSIX the child leads
its own process group so a stop reaches everything it started; on Windows it gets no window.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import httpx
import psutil

from aurora_desktop.core.errors import EngineClosedError, EngineLoadError
from aurora_desktop.core.text import phrase

PORT_ATTEMPTS = 3
POLL_S = 0.1
PROBE_TIMEOUT_S = 1.0
TERM_GRACE_S = 5.0
KILL_WAIT_S = 5.0
LOG_ROTATE_BYTES = 4 * 1024 * 1024
LOG_TAIL_BYTES = 64 * 1024
# Settings llama_cpp.server would read from the environment (HOST, PORT, API_KEY, …) if
# present; Aurora sets every one it needs on the command line or below, so none may leak in.
SERVER_ENV_NAMES = frozenset(
    """config_file host port ssl_keyfile ssl_certfile api_key interrupt_requests
    disable_ping_events root_path model model_alias n_gpu_layers split_mode main_gpu
    tensor_split vocab_only use_mmap use_mlock kv_overrides rpc_servers seed n_ctx n_batch
    n_ubatch n_threads n_threads_batch rope_scaling_type rope_freq_base rope_freq_scale
    yarn_ext_factor yarn_attn_factor yarn_beta_fast yarn_beta_slow yarn_orig_ctx mul_mat_q
    logits_all embedding offload_kqv flash_attn last_n_tokens_size lora_base lora_path numa
    chat_format chat_template_kwargs clip_model_path cache cache_type cache_size
    hf_tokenizer_config_path hf_pretrained_model_name_or_path hf_model_repo_id draft_model
    draft_model_num_pred_tokens type_k type_v verbose""".split()  # noqa: SIM905
)
_START_MARK = "--- Aurora starts llama_cpp.server"
_NOT_MESSAGES = ("Traceback (most recent call last)", _START_MARK)
_BIND_FAILED = ("error while attempting to bind", "address already in use", "errno 10048")
_ERROR_LINE = re.compile(r"\berror\b|\binvalid\b|\bfailed\b|\bcorrupt", re.I)
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception): ")
_LOG_PREFIX = re.compile(r"^(([a-z_][a-z0-9_]*|ERROR|error loading model): *)+")


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerSpec:
    """What to serve and how: everything that goes on the child's command line."""

    model_path: Path
    alias: str
    n_ctx: int
    n_threads: int
    log_path: Path

    def argv(self, port: int) -> list[str]:
        return [
            sys.executable, "-m", "llama_cpp.server", "--model", str(self.model_path),
            "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(self.n_ctx),
            "--n_threads", str(self.n_threads), "--n_threads_batch", str(self.n_threads),
            "--model_alias", self.alias,
        ]  # fmt: skip


class ServerProcess:
    """A running child; `stop` may be called from any thread, any number of times."""

    def __init__(self, popen: subprocess.Popen[bytes], *, port: int, api_key: str,
                 log_path: Path, log_offset: int) -> None:  # fmt: skip
        self.popen = popen
        self.port = port
        self.api_key = api_key
        self.log_path = log_path
        self.log_offset = log_offset  # where this start's output begins in the log file
        self._lock = threading.Lock()

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def wait_exit(self, timeout_s: float) -> bool:
        """True once the process has ended (waiting at most `timeout_s`)."""
        try:
            self.popen.wait(timeout_s)
        except subprocess.TimeoutExpired:
            return False
        return True

    def rss_bytes(self) -> int:
        """Resident memory of the child, 0 once it has ended."""
        if not self.alive:  # not reaped yet, so the pid cannot belong to another process
            return 0
        try:
            return int(psutil.Process(self.pid).memory_info().rss)
        except psutil.Error:
            return 0

    def stop(self) -> bool:
        """Ask the child to end, force it after a bounded wait, and reap it; True if it ended."""
        with self._lock:
            if self.popen.poll() is None:
                self._signal(force=False)
                if self.wait_exit(TERM_GRACE_S):
                    return True
                self._signal(force=True)
            return self.wait_exit(KILL_WAIT_S)

    def kill(self) -> bool:
        """End the child at once (it may be streaming); True if it ended."""
        with self._lock:
            if self.popen.poll() is None:
                self._signal(force=True)
            return self.wait_exit(KILL_WAIT_S)

    def log_tail(self) -> str:
        """This start's output, at most the last 64 KiB of it."""
        try:
            with self.log_path.open("rb") as log:
                size = log.seek(0, os.SEEK_END)
                log.seek(max(self.log_offset, size - LOG_TAIL_BYTES))
                return log.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def _signal(self, *, force: bool) -> None:
        if sys.platform == "win32":
            self.popen.kill() if force else self.popen.terminate()
            return
        sig = signal.SIGKILL if force else signal.SIGTERM
        try:  # still unreaped here, so its process group id cannot have been reused
            os.killpg(self.popen.pid, sig)
        except (ProcessLookupError, PermissionError):
            self.popen.send_signal(sig)


def free_port() -> int:
    """A port on 127.0.0.1 that was free a moment ago (another program may still take it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(spec: ServerSpec, *, ready_timeout_s: float, stopping: threading.Event,
                 pick_port: Callable[[], int] = free_port) -> ServerProcess:  # fmt: skip
    """Start the child and wait until `GET /v1/models` lists its alias.

    A port taken between the probe and the bind is retried on another port (bounded);
    a child that exits during start-up raises `EngineLoadError` with its own error line."""
    deadline = time.monotonic() + ready_timeout_s
    name = spec.model_path.name
    for attempt in range(1, PORT_ATTEMPTS + 1):
        try:
            server = _spawn(spec, pick_port())
        except OSError as exc:  # no interpreter, an unwritable log folder, no free port
            raise EngineLoadError(
                phrase(
                    "The llama.cpp server for {name} could not be started ({exc}); "
                    "check that Aurora's data folder is writable, and reinstall "
                    "Aurora if this repeats.",
                    name=name,
                    exc=exc,
                )
            ) from exc
        try:
            if _wait_ready(server, spec.alias, deadline, stopping):
                return server
        except BaseException:
            server.stop()
            raise
        timed_out = server.alive  # not answering, yet still running: it ran out of time
        server.stop()
        tail = server.log_tail()
        if timed_out:
            raise EngineLoadError(
                phrase(
                    "The llama.cpp server for {name} did not start within "
                    "{ready_timeout_s} s; try again, or choose a smaller model.",
                    name=name,
                    ready_timeout_s=format(ready_timeout_s, "g"),
                )
            )
        if _bind_failed(tail) and attempt < PORT_ATTEMPTS and time.monotonic() < deadline:
            continue
        raise EngineLoadError(
            phrase(
                "llama.cpp server could not load {name}: "
                "{startup_error_tail_server_return}; reinstall the model or "
                "choose another one.",
                name=name,
                startup_error_tail_server_return=startup_error(tail, server.returncode),
            )
        )
    raise AssertionError("unreachable: the last attempt always returns or raises")


def startup_error(log: str, returncode: int | None = None) -> str:
    """The line of a failed start-up log that says best what went wrong, cleaned for a sentence.

    llama.cpp reports a broken file first and most precisely ("invalid magic characters",
    "data is not within the file bounds"); the Python traceback after it only repeats that
    loading failed, so the first error line wins, then the exception line; a child that
    printed neither (a crash in the loader) is described by how it ended.
    """
    plain = [  # indented lines are traceback frames and source, never the message itself
        ln.rstrip() for ln in log.splitlines()
        if ln.strip() and not ln[:1].isspace() and not ln.startswith(_NOT_MESSAGES)
    ]  # fmt: skip
    found = next((ln for ln in plain if _ERROR_LINE.search(ln) and not _EXCEPTION_LINE.match(ln)),
                 None)  # fmt: skip
    found = found or next((ln for ln in reversed(plain) if _EXCEPTION_LINE.match(ln)), None)
    if found is None:
        return _how_it_ended(returncode)
    text = _LOG_PREFIX.sub("", found)
    text = "".join(c if c.isprintable() else "?" for c in text).rstrip(" .;")
    return text[:200] + ("…" if len(text) > 200 else "")


def _how_it_ended(returncode: int | None) -> str:
    if returncode is None:
        return phrase("it stopped without saying why")
    if returncode < 0:  # POSIX: ended by a signal, e.g. a segmentation fault in the loader
        try:
            return phrase(
                "it crashed with {signal_Signals_returncode_name}",
                signal_Signals_returncode_name=signal.Signals(-returncode).name,
            )
        except ValueError:
            return phrase("it crashed with signal {returncode}", returncode=-returncode)
    if returncode >= 0xC0000000:  # Windows: an NTSTATUS such as an access violation
        return phrase("it crashed with code 0x{returncode}", returncode=format(returncode, "08X"))
    return phrase("it exited with code {returncode}", returncode=returncode)


def server_env(base: Mapping[str, str], api_key: str) -> dict[str, str]:
    """The child's environment: Aurora's, minus server settings, plus the per-start key."""
    env = {k: v for k, v in base.items() if k.lower() not in SERVER_ENV_NAMES}
    env["API_KEY"] = api_key
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _spawn(spec: ServerSpec, port: int) -> ServerProcess:
    api_key = secrets.token_urlsafe(24)
    spec.log_path.parent.mkdir(parents=True, exist_ok=True)
    _rotate(spec.log_path)
    with spec.log_path.open("ab") as log:  # the child keeps its own handle; ours closes now
        offset = log.tell()
        log.write(f"{_START_MARK} on port {port}\n".encode())
        log.flush()
        popen = _popen(spec.argv(port), log, server_env(os.environ, api_key))
    return ServerProcess(popen, port=port, api_key=api_key, log_path=spec.log_path,
                         log_offset=offset)  # fmt: skip


def _popen(argv: list[str], log: BinaryIO, env: dict[str, str]) -> subprocess.Popen[bytes]:
    if sys.platform == "win32":  # pythonw.exe has no console; the child must not open one
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, env=env,
                                creationflags=subprocess.CREATE_NO_WINDOW)  # fmt: skip
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)  # fmt: skip


def _rotate(log_path: Path) -> None:
    try:
        if log_path.stat().st_size > LOG_ROTATE_BYTES:
            log_path.replace(log_path.with_name(log_path.name + ".1"))
    except OSError:
        pass  # no log yet, or it cannot be moved: appending to it is still fine


def _wait_ready(server: ServerProcess, alias: str, deadline: float,
                stopping: threading.Event) -> bool:  # fmt: skip
    """True when the server lists `alias`; False if it exited or time ran out."""
    headers = {"Authorization": f"Bearer {server.api_key}"}
    polls = int((deadline - time.monotonic()) / POLL_S) + 2
    with httpx.Client(trust_env=False, headers=headers, timeout=PROBE_TIMEOUT_S) as client:
        for _ in range(max(polls, 2)):
            if not server.alive:
                return False
            if _lists(client, f"{server.base_url}/models", alias):
                return server.alive
            if time.monotonic() >= deadline:
                return False
            if stopping.wait(POLL_S):
                raise EngineClosedError(
                    phrase(
                        "The llama.cpp server was stopped while starting because its "
                        "engine is closing; restart Aurora to use this model again."
                    )
                )
    return False


def _lists(client: httpx.Client, url: str, alias: str) -> bool:
    """Whether the server at `url` answers and serves `alias` (so it is ours, not a stranger)."""
    try:
        reply = client.get(url)
        data = reply.json() if reply.status_code == 200 else {}
    except (httpx.HTTPError, ValueError):
        return False
    models = data.get("data") if isinstance(data, dict) else None
    return isinstance(models, list) and any(
        isinstance(m, dict) and m.get("id") == alias for m in models
    )


def _bind_failed(log: str) -> bool:
    lowered = log.lower()
    return any(marker in lowered for marker in _BIND_FAILED)
