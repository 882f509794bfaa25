"""A single named thread that owns an engine's model; everything else submits work to it."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from aurora_desktop.core.errors import EngineClosedError
from aurora_desktop.core.text import phrase

T = TypeVar("T")
_STOP = object()


class EngineWorker:
    """Runs submitted callables one at a time, in order, on its own thread."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def thread(self) -> threading.Thread:
        return self._thread

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        if self._closed.is_set():
            raise EngineClosedError(
                phrase("The engine has shut down; restart Aurora to use it again.")
            )
        future: Future[T] = Future()
        self._jobs.put((fn, future))
        return future

    def close(self, timeout: float = 10.0) -> bool:
        """Stop after the queued work; True if the thread ended within `timeout`."""
        if not self._closed.is_set():
            self._closed.set()
            self._jobs.put(_STOP)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is _STOP:
                return
            fn, future = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn()
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(result)
