"""The wrapper every engine shares: one named worker thread owns the model, callers get futures.

`ThreadedEngine` queues `load`, `generate` and `unload` on the engine's `EngineWorker`, so
the model object (a `Llama`, an `og.Model`, a server process and its HTTP client) is only
ever touched by that one thread, and `close` unloads, joins the thread and releases what is
left. A subclass supplies only what is its own: how to open the model (`_open`), generate
(`_generate`) and unload (`_unload`), its `loaded` and `memory_bytes` figures, and, when it
holds more than a model, the close hooks `_begin_close`, `_close_stuck` and `_release`.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence, Sized
from concurrent.futures import Future

from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import (
    NO_CONSTRAINT,
    Constraint,
    EngineHealth,
    GenerationResult,
    TokenCallback,
)
from aurora_desktop.core.engines.worker import EngineWorker
from aurora_desktop.core.errors import EngineClosedError, RequestError
from aurora_desktop.core.memory import release_freed_memory
from aurora_desktop.core.text import phrase


class ThreadedEngine(ABC):
    """An `Engine` whose model lives on its own worker thread (see the module docstring)."""

    engine_name: str

    def __init__(self, *, model_name: str, thread_name: str) -> None:
        self.model_name = model_name
        self._worker = EngineWorker(name=thread_name)
        self._released = False

    @property
    @abstractmethod
    def loaded(self) -> bool: ...

    @abstractmethod
    def memory_bytes(self) -> int:
        """Memory this engine holds for its model now (0 when unloaded or remote)."""

    @property
    def thread(self) -> threading.Thread:
        return self._worker.thread

    def health(self) -> EngineHealth:
        if not self._worker.thread.is_alive():
            return EngineHealth(
                False,
                phrase("The {model_name} engine thread has stopped.", model_name=self.model_name),
            )
        return self._health()

    def load(self) -> Future[float]:
        """Load the model on the worker thread; the future gives the load time in ms."""
        return self._worker.submit(self._load)

    def generate(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        constraint: Constraint = NO_CONSTRAINT,
    ) -> Future[GenerationResult]:
        batch = tuple(messages)
        cancel = cancel or threading.Event()
        return self._worker.submit(
            lambda: self._generate(batch, max_tokens, temperature, on_token, cancel, constraint)
        )

    def unload(self) -> Future[None]:
        return self._worker.submit(self._unload)

    def close(self, timeout: float = 10.0) -> bool:
        """Unload after the queued work, stop the worker and release what the engine holds;
        True if the worker ended within `timeout` (else `_close_stuck` may still end it).
        Safe to call again: the release runs once, the first time the worker has ended."""
        self._begin_close()
        with contextlib.suppress(EngineClosedError):
            self.unload()
        ended = self._worker.close(timeout) or self._close_stuck()
        if ended and not self._released:
            self._released = True
            self._release()
        return ended

    # -- hooks for subclasses; each says which thread runs it -------------------------------

    def _health(self) -> EngineHealth:
        """How a live engine is doing (the thread is known to run)."""
        return EngineHealth(True, phrase("loaded") if self.loaded else phrase("not loaded"))

    def _load(self) -> float:
        """On the worker: open the model unless it is open; the time taken in ms (0.0 if open)."""
        if self.loaded:
            return 0.0
        started = time.perf_counter()
        self._open()
        return (time.perf_counter() - started) * 1000.0

    def _open(self) -> None:
        """On the worker: the slow part of a load (an engine with nothing to open keeps this)."""
        return None

    def _unload(self) -> None:
        """On the worker: let go of the model (an engine with nothing loaded keeps this)."""
        return None

    @abstractmethod
    def _generate(
        self,
        messages: tuple[Message, ...],
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        constraint: Constraint,
    ) -> GenerationResult:
        """On the worker: one generation, streaming pieces to `on_token`."""

    def _begin_close(self) -> None:
        """Off the worker, first thing in close(): e.g. stop a start that is in progress."""
        return None

    def _close_stuck(self) -> bool:
        """Off the worker: the worker did not end in time; True if this made it end."""
        return False

    def _release(self) -> None:
        """Off the worker, once it has ended: release what outlives the model (connections,
        temporary folders)."""
        return None

    # -- helpers for subclasses --------------------------------------------------------------

    def _room(self, tokens: Sized, n_ctx: int) -> int:
        """Tokens left for the answer after the prompt; a prompt that fills the context is a
        request error."""
        room = n_ctx - len(tokens)
        if room < 1:
            raise RequestError(
                phrase(
                    "The conversation is {len_tokens} tokens but {model_name} reads "
                    "at most {n_ctx}; start a new chat or shorten the prompt.",
                    len_tokens=format(len(tokens), ","),
                    model_name=self.model_name,
                    n_ctx=format(n_ctx, ","),
                )
            )
        return room


def free_model_memory() -> None:
    """After the last reference to a model is gone: collect it and hand the pages back."""
    gc.collect()
    release_freed_memory()
