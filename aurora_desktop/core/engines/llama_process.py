"""llama.cpp in a model process of its own: unloading ends the process, so every byte the
model, llama.cpp and its CPU backend took goes back to the system.

In-process, about 7.5 MB stay behind after an unload (code pages of libllama and ggml, the
CPU backend's tables, one block llama.cpp keeps for the process: bench/README.md, B5).
Here the app process never imports llama_cpp; a child started with `multiprocessing`'s
spawn method (the same on Linux and Windows) hosts a `LlamaCppEngine` and answers over a
pipe. The parent verifies the model (`resolve`) before the child opens it, as in-process.

The pipe carries tuples. Parent → child: ("generate", …), ("count", text), ("cancel",),
("stop",). Child → parent: ("loaded", memory_bytes), ("piece", text), ("done", result),
("value", n), ("error", exception). A cancel that arrives after its generation ended is
ignored. If the parent goes away, the child's next read or write fails and it exits. If the
child dies during a call, that call raises an `EngineError`; if it died while idle, the next
call starts a new one first.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import (
    NO_CONSTRAINT,
    Constraint,
    EngineHealth,
    GenerationResult,
    TokenCallback,
)
from aurora_desktop.core.engines.threaded import ThreadedEngine
from aurora_desktop.core.errors import AuroraError, EngineError, EngineLoadError
from aurora_desktop.core.text import phrase
from aurora_desktop.core.threads import (
    AUTOMATIC,
    MODEL_PROCESSES,
    CpuGauge,
    OwnProcesses,
    ThreadPolicy,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

DEFAULT_CONTEXT = 2048
START_TIMEOUT_S = 120.0  # start, import and load; a load that takes longer is a hung one
STOP_TIMEOUT_S = 10.0  # an unload waits this long for the process to end, then kills it
POLL_S = 0.05  # how often a waiting call checks cancel and whether the process still runs


class LlamaProcessEngine(ThreadedEngine):
    """A GGUF model served by llama.cpp in a process that lives only while it is loaded."""

    engine_name = "llama.cpp"

    def __init__(
        self,
        model_path: Path,
        *,
        model_name: str,
        n_ctx: int = DEFAULT_CONTEXT,
        threads: ThreadPolicy | None = None,
        seed: int = 0,
        resolve: Callable[[], Path] | None = None,
    ) -> None:
        super().__init__(model_name=model_name, thread_name=f"engine-{model_name}")
        self.model_path = model_path
        self._resolve = resolve
        self.n_ctx = n_ctx
        self.threads = threads or ThreadPolicy()
        self._seed = seed
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._memory = 0

    @property
    def n_threads(self) -> int:
        return self.threads.cores

    @property
    def loaded(self) -> bool:
        """True while the model process runs (one that died idle is replaced on next use)."""
        process = self._process
        return process is not None and process.is_alive()

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None else None

    def memory_bytes(self) -> int:
        return self._memory if self.loaded else 0

    def count_tokens(self, text: str) -> Future[int]:
        return self._worker.submit(lambda: int(self._ask(("count", text))))

    def _health(self) -> EngineHealth:
        if self._process is not None and not self.loaded:
            return EngineHealth(
                False,
                phrase(
                    "The {model_name} model process has stopped; the next request restarts it.",
                    model_name=self.model_name,
                ),
            )
        return super()._health()

    # -- everything below runs on the worker thread --------------------------------------

    def _open(self) -> None:
        self._stop(kill=True)  # a process that died while idle: reap it, start anew
        if self._resolve is not None:
            self.model_path = self._resolve()
        process, conn = start_model_process(
            self.model_path,
            model_name=self.model_name,
            n_ctx=self.n_ctx,
            seed=self._seed,
            fixed=self.threads.fixed_count(),
        )
        if process.pid is not None:
            MODEL_PROCESSES.add(process.pid)  # its CPU time is Aurora's, not other programs'
        self._process, self._conn = process, conn
        try:
            self._memory = int(self._reply(timeout=START_TIMEOUT_S, expect="loaded"))
        except BaseException:
            self._stop(kill=True)
            raise

    def _unload(self) -> None:
        self._stop(kill=False)

    def _close_stuck(self) -> bool:
        self._stop(kill=True)
        return False

    def _generate(
        self,
        messages: tuple[Message, ...],
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        constraint: Constraint = NO_CONSTRAINT,
    ) -> GenerationResult:
        self._load()
        self.threads.choose()  # keeps the choice Settings shows current
        fixed = self.threads.fixed_count()
        self._send(("generate", messages, max_tokens, temperature, constraint, fixed))
        told = False  # the child was asked to stop
        while True:
            if cancel.is_set() and not told:
                self._send(("cancel",))
                told = True
            kind, value = self._next()
            if kind == "piece":
                if told or on_token is None:
                    continue
                if on_token(value) is False:
                    self._send(("cancel",))
                    told = True
            elif kind == "done":
                result: GenerationResult = value
                return result
            elif kind is not None:
                raise _unexpected(kind)

    # -- the pipe ------------------------------------------------------------------------

    def _ask(self, request: tuple[Any, ...]) -> Any:
        self._load()
        self._send(request)
        return self._reply(timeout=None, expect="value")

    def _send(self, message: tuple[Any, ...]) -> None:
        conn = self._conn
        if conn is None:
            raise self._died()
        try:
            conn.send(message)
        except (OSError, ValueError) as exc:
            raise self._died() from exc

    def _reply(self, *, timeout: float | None, expect: str) -> Any:
        """The value of the next message of kind `expect` (an error message raises it)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            kind, value = self._next()
            if kind == expect:
                return value
            if kind is not None:
                raise _unexpected(kind)
            if deadline is not None and time.monotonic() > deadline:
                raise EngineLoadError(
                    phrase(
                        "{model_name} did not load within {seconds} s; try again, or choose "
                        "a smaller model.",
                        model_name=self.model_name,
                        seconds=format(timeout, "g"),
                    )
                )

    def _next(self) -> tuple[str | None, Any]:
        """The next message, or (None, None) after `POLL_S` without one; raises the child's
        error, or an `EngineError` when the child has ended."""
        conn, process = self._conn, self._process
        if conn is None or process is None:
            raise self._died()
        try:
            if not conn.poll(POLL_S):
                if not process.is_alive() and not conn.poll(0):
                    raise self._died()
                return None, None
            kind, value = conn.recv()
        except (EOFError, OSError) as exc:
            raise self._died() from exc
        if kind == "error":
            raise value
        return kind, value

    def _died(self) -> EngineError:
        process = self._process
        code = process.exitcode if process is not None else None
        self._stop(kill=True)
        return EngineError(
            phrase(
                "The {model_name} model process ended unexpectedly (exit code {code}); "
                "the next request starts it again.",
                model_name=self.model_name,
                code=str(code),
            )
        )

    def _stop(self, *, kill: bool) -> None:
        process, conn = self._process, self._conn
        self._process, self._conn, self._memory = None, None, 0
        if process is None:
            return
        if process.pid is not None:
            MODEL_PROCESSES.remove(process.pid)
        if conn is not None and not kill:
            with contextlib.suppress(OSError, ValueError):
                conn.send(("stop",))
            process.join(STOP_TIMEOUT_S)
        if process.is_alive():
            process.kill()
            process.join(STOP_TIMEOUT_S)
        if conn is not None:
            conn.close()
        with contextlib.suppress(ValueError):
            process.close()


def _unexpected(kind: str) -> EngineError:
    return EngineError(phrase("The model process sent an unexpected message ({kind}).", kind=kind))


# -- the model process -----------------------------------------------------------------------


def start_model_process(
    model_path: Path, *, model_name: str, n_ctx: int, seed: int, fixed: int
) -> tuple[BaseProcess, Connection]:
    """Start the process that opens `model_path` (the parser's door: the file must have
    been checked before this); the process and the app's end of its pipe."""
    import multiprocessing  # with the first load, not at start-up

    _python_for_children()
    context = multiprocessing.get_context("spawn")
    mine, theirs = context.Pipe(duplex=True)
    process = context.Process(
        target=serve,
        args=(theirs, str(model_path), model_name, n_ctx, seed),
        kwargs={"parent": os.getpid(), "fixed": fixed},
        name=f"aurora-model-{model_name}",
        daemon=True,
    )
    process.start()
    theirs.close()  # the child holds its end: EOF here means the child is gone
    return process, mine


def _python_for_children() -> None:
    """On Windows, Aurora's launchers (Aurora.exe, bin\\aurora.exe) name the bundled
    python.exe as `sys.executable` the way a venv's python.exe does, so `sys._base_executable`
    is the launcher. multiprocessing then takes the app for a venv and starts its "base
    Python", the launcher, which runs the CLI with the spawn arguments (and exits 2). The
    bundled python.exe is a base Python itself: name it as the base too."""
    if sys.platform != "win32":
        return
    base = Path(getattr(sys, "_base_executable", "") or sys.executable)
    if base.stem.lower() not in ("python", "pythonw"):
        sys._base_executable = sys.executable


def serve(
    conn: Connection,
    model_path: str,
    model_name: str,
    n_ctx: int,
    seed: int,
    *,
    parent: int,
    fixed: int = AUTOMATIC,
) -> None:
    """The model process: load, then answer requests until told to stop or the app is gone."""
    import signal

    from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine

    # Ctrl+C in a terminal reaches the whole process group: the app decides what stops
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    setting = [fixed]
    app = OwnProcesses()
    app.add(parent)  # the app's CPU time is Aurora's own, not another program's
    policy = ThreadPolicy(fixed=lambda: setting[0], gauge=CpuGauge(own=app))
    engine = LlamaCppEngine(
        Path(model_path), model_name=model_name, n_ctx=n_ctx, threads=policy, seed=seed
    )
    try:
        try:
            engine.load().result()
        except Exception as exc:  # the parent shows it
            conn.send(("error", _portable(exc)))
            return
        conn.send(("loaded", engine.memory_bytes()))
        while True:
            request = conn.recv()
            kind = request[0]
            if kind == "stop":
                return
            try:
                if kind == "generate":
                    setting[0] = request[5]
                    conn.send(("done", _generate(conn, engine, *request[1:5])))
                elif kind == "count":
                    conn.send(("value", engine.count_tokens(request[1]).result()))
            except Exception as exc:  # the parent shows it
                conn.send(("error", _portable(exc)))
    except (EOFError, OSError):
        return  # the app has gone away
    finally:
        engine.close()


def _generate(
    conn: Connection,
    engine: Any,
    messages: tuple[Message, ...],
    max_tokens: int,
    temperature: float,
    constraint: Constraint,
) -> GenerationResult:
    cancel = threading.Event()

    def on_token(piece: str) -> bool | None:
        conn.send(("piece", piece))
        while conn.poll():  # during a generation the parent only ever sends "cancel"
            if conn.recv()[0] == "cancel":
                cancel.set()
        return False if cancel.is_set() else None

    future = engine.generate(
        messages,
        max_tokens=max_tokens,
        temperature=temperature,
        on_token=on_token,
        cancel=cancel,
        constraint=constraint,
    )
    result: GenerationResult = future.result()
    return result


def _portable(exc: BaseException) -> BaseException:
    """The error as the parent can raise it: Aurora's own as they are, anything else as an
    `EngineError` naming it."""
    if isinstance(exc, AuroraError):
        return exc
    return EngineError(
        phrase(
            "The model process failed: {exc}; the next request starts it again.",
            exc=f"{type(exc).__name__}: {exc}",
        )
    )
