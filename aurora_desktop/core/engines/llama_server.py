"""llama.cpp in its own server process, so a crashing loader or model cannot take Aurora down.

`python -m llama_cpp.server` serves one GGUF on 127.0.0.1 (server_process.py starts and
stops it); this engine talks to it with the OpenAI-compatible streaming client the cloud
engine uses. All work runs on the engine's worker thread, one request at a time, because
the server interrupts a running answer when a second request arrives. A server found dead
when a request arrives is started again, once, before the request is sent; one that dies
while answering fails that request (retrying would repeat text the user already saw), and
the next request starts it again. Nothing is registered globally: the owner calls close().
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import httpx

from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import (
    NO_CONSTRAINT,
    Constraint,
    EngineHealth,
    GenerationResult,
    TokenCallback,
)
from aurora_desktop.core.engines.server_process import ServerProcess, ServerSpec, start_server
from aurora_desktop.core.engines.threaded import ThreadedEngine
from aurora_desktop.core.errors import (
    EngineClosedError,
    EngineError,
    EngineLoadError,
    ProviderError,
    ProviderUnavailableError,
)
from aurora_desktop.core.hardware import physical_cores
from aurora_desktop.core.providers.breaker import CircuitBreaker
from aurora_desktop.core.providers.openai_compat import ChatResult, OpenAICompatClient
from aurora_desktop.core.providers.registry import ProviderConfig
from aurora_desktop.core.text import phrase

DEFAULT_CONTEXT = 2048
CRASH_GRACE_S = 2.0  # a lost connection and the process exit can be a moment apart
COUNT_TIMEOUT_S = 2.0
FORCE_JOIN_S = 5.0
_SLUG = re.compile(r"[^a-z0-9._-]+")
_NOT_LOADED = EngineHealth(
    True, phrase("not loaded; the llama.cpp server starts with the first request")
)


class LlamaServerEngine(ThreadedEngine):
    """A GGUF model served by a separate `llama_cpp.server` process on 127.0.0.1."""

    engine_name = "llama.cpp server"

    def __init__(
        self,
        model_path: Path,
        *,
        model_name: str,
        n_ctx: int = DEFAULT_CONTEXT,
        n_threads: int | None = None,
        ready_timeout_s: float = 60.0,
        request_timeout_s: float = 120.0,
        log_dir: Path | None = None,
        resolve: Callable[[], Path] | None = None,
    ) -> None:
        super().__init__(model_name=model_name, thread_name=f"llama-server-{model_name}")
        self.model_path = model_path
        self._resolve = resolve  # verifies the model and names the file to open, at every start
        self.n_ctx = n_ctx
        self.n_threads = n_threads or physical_cores()
        self.ready_timeout_s = ready_timeout_s
        self.request_timeout_s = request_timeout_s
        self._slug = _SLUG.sub("-", model_name.lower()).strip("._-")[:32] or "model"
        # Built now so a bad timeout is refused at construction; the address comes per start.
        self._config = ProviderConfig(
            name="llama.cpp-server", base_url="http://127.0.0.1:1/v1", model=self._slug,
            timeout_s=request_timeout_s, max_retries=0,
        )  # fmt: skip
        self._log_dir = log_dir
        self._temp_log_dir: Path | None = None
        self._server: ServerProcess | None = None
        self._client: OpenAICompatClient | None = None
        self._status = _NOT_LOADED
        self._stopping = threading.Event()

    @property
    def loaded(self) -> bool:
        """True while the server process runs and its last check was good."""
        server = self._server
        return server is not None and server.alive and self._status.ok

    @property
    def pid(self) -> int | None:
        server = self._server
        return server.pid if server is not None and server.alive else None

    @property
    def log_path(self) -> Path | None:
        """Where the server writes its output (None until it first starts)."""
        server = self._server
        return server.log_path if server is not None else None

    def _health(self) -> EngineHealth:
        """Whether the process is alive, and how its last start or request went (no I/O)."""
        server = self._server
        if server is not None and not server.alive:
            return EngineHealth(
                False,
                phrase(
                    "The llama.cpp server for {model_name} exited (code "
                    "{server_returncode}); it will be restarted for the next request.",
                    model_name=self.model_name,
                    server_returncode=server.returncode,
                ),
            )
        return self._status

    def memory_bytes(self) -> int:
        """Resident memory of the server process; 0 when it is not running."""
        server = self._server
        return server.rss_bytes() if server is not None else 0

    # -- close(): the start in progress gives up; a request still streaming is killed -------

    def _begin_close(self) -> None:
        self._stopping.set()

    def _close_stuck(self) -> bool:
        server = self._server
        if server is not None:
            server.kill()
        return self._worker.close(FORCE_JOIN_S)

    def _release(self) -> None:
        if self._temp_log_dir is not None:
            shutil.rmtree(self._temp_log_dir, ignore_errors=True)
            self._temp_log_dir = None

    # -- everything below runs on the worker thread --------------------------------------

    def _open(self) -> None:
        """Start the server and wait until it answers."""
        self._ensure_running()

    def _unload(self) -> None:
        """Stop the server process (politely, then by force) and wait for it to end."""
        self._stop_server()

    def _ensure_running(self) -> tuple[ServerProcess, OpenAICompatClient]:
        server, client = self._server, self._client
        if server is not None and client is not None and server.alive:
            return server, client
        self._stop_server()  # it died: reap it and drop its connections before a new start
        return self._start()

    def _start(self) -> tuple[ServerProcess, OpenAICompatClient]:
        if self._stopping.is_set():
            raise self._closed()
        if self._resolve is not None:
            self.model_path = self._resolve()  # verified again before every start
        if not self.model_path.is_file():
            self._status = EngineHealth(False, _missing(self.model_path))
            raise EngineLoadError(_missing(self.model_path))
        spec = ServerSpec(
            model_path=self.model_path, alias=f"{self._slug}-{secrets.token_hex(4)}",
            n_ctx=self.n_ctx, n_threads=self.n_threads, log_path=self._log_file(),
        )  # fmt: skip
        try:
            server = start_server(spec, ready_timeout_s=self.ready_timeout_s,
                                  stopping=self._stopping)  # fmt: skip
        except EngineLoadError as exc:
            self._status = EngineHealth(False, str(exc))
            raise
        config = replace(self._config, base_url=server.base_url, model=spec.alias)
        client = OpenAICompatClient(config, server.api_key, breaker=CircuitBreaker(cooldown_s=0))
        self._server, self._client = server, client
        if self._stopping.is_set():  # close() began while it started and may have missed it
            self._stop_server()
            raise self._closed()
        self._status = EngineHealth(
            True,
            phrase(
                "serving {model_name} on 127.0.0.1:{server_port} (pid {server_pid})",
                model_name=self.model_name,
                server_port=server.port,
                server_pid=server.pid,
            ),
        )
        return server, client

    def _closed(self) -> EngineClosedError:
        return EngineClosedError(
            phrase(
                "The {model_name} engine has shut down; restart Aurora to use it again.",
                model_name=self.model_name,
            )
        )

    def _stop_server(self) -> None:
        server, client = self._server, self._client
        self._server, self._client = None, None
        if client is not None:
            client.close()
        if server is not None:
            server.stop()
        self._status = _NOT_LOADED

    def _generate(
        self,
        messages: tuple[Message, ...],
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        constraint: Constraint = NO_CONSTRAINT,
    ) -> GenerationResult:
        if cancel.is_set():
            return GenerationResult(text="", tokens_in=0, tokens_out=0, ttft_ms=0.0,
                                    decode_ms=0.0, finish_reason="cancelled")  # fmt: skip
        server, client = self._ensure_running()
        try:
            chat = client.stream_chat(
                messages, max_tokens=max_tokens, temperature=temperature,
                on_token=on_token, cancel=cancel, deadline_s=self.request_timeout_s,
                grammar=constraint.grammar,
            )  # fmt: skip
        except ProviderError as exc:
            raise self._failure(server, exc) from exc
        self._status = EngineHealth(
            True, phrase("answered on 127.0.0.1:{server_port}", server_port=server.port)
        )
        tokens_in = chat.tokens_in if chat.usage_reported else _count_prompt(server, chat, messages)
        return GenerationResult(
            text=chat.text, tokens_in=tokens_in, tokens_out=chat.tokens_out,
            ttft_ms=chat.ttft_ms, decode_ms=chat.decode_ms, finish_reason=chat.finish_reason,
        )  # fmt: skip

    def _failure(self, server: ServerProcess, exc: ProviderError) -> EngineError:
        """The error for a request that failed; a dead or stuck server is not kept."""
        if not isinstance(exc, ProviderUnavailableError):  # it answered, with a refusal
            return EngineError(str(exc))
        if server.wait_exit(CRASH_GRACE_S):
            message = phrase(
                "The llama.cpp server for {model_name} stopped while answering; "
                "it will be restarted for the next request.",
                model_name=self.model_name,
            )
        else:  # alive, yet it did not answer in time: a stuck server is replaced
            self._stop_server()
            message = phrase(
                "The llama.cpp server for {model_name} stopped answering; it will "
                "be restarted for the next request.",
                model_name=self.model_name,
            )
        self._status = EngineHealth(False, message)
        return EngineError(message)

    def _log_file(self) -> Path:
        folder = self._log_dir
        if folder is None:
            if self._temp_log_dir is None:
                self._temp_log_dir = Path(tempfile.mkdtemp(prefix="aurora-llama-server-"))
            folder = self._temp_log_dir
        return folder / f"llama-server-{self._slug}.log"


def _count_prompt(server: ServerProcess, chat: ChatResult, messages: Sequence[Message]) -> int:
    """Prompt tokens, counted by the server's tokenizer over ChatML framing.

    The server reports no usage while streaming, so this is a close estimate (the model's
    own template may add a few tokens); if the server cannot say, the client's guess stays."""
    text = "".join(f"<|im_start|>{m.role}\n{m.content}<|im_end|>\n" for m in messages)
    try:
        reply = httpx.post(
            f"http://127.0.0.1:{server.port}/extras/tokenize/count",
            json={"input": text + "<|im_start|>assistant\n"},
            headers={"Authorization": f"Bearer {server.api_key}"},
            timeout=COUNT_TIMEOUT_S, trust_env=False,
        )  # fmt: skip
        count = reply.json().get("count") if reply.status_code == 200 else None
    except (httpx.HTTPError, ValueError, AttributeError):
        count = None
    return count if isinstance(count, int) and count > 0 else chat.tokens_in


def _missing(model_path: Path) -> str:
    return phrase(
        "llama.cpp server could not load {model_path_name}: the file is "
        "missing; reinstall the model or choose another one.",
        model_path_name=model_path.name,
    )
