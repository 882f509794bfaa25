"""One way to run UI background work: a named worker thread, results back on the Qt main thread.

A page owns a `TaskRunner` (a child QObject, so it dies with the page) and calls
`run(task, on_done, on_error)`. The task runs on the runner's worker thread; `on_done(result)`
or `on_error(exception)` is called later on the main thread, through a queued signal. Never
call UI routines from a task: return what the UI needs and show it in `on_done`.

Every failure becomes a sentence through `error_sentence`: an `AuroraError` already carries one
(shown in the UI language), anything else fills in the page's "unexpected" sentence.

`shutdown` cancels what has not started, waits a bounded time for the running task and drops
results still on their way; it may be called more than once. A result whose receiver is gone
(the runner, or the QObject whose method `on_done` is) is dropped too.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import queue
import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar, cast

import shiboken6
from PySide6.QtCore import QObject, Signal

from aurora_desktop.core.errors import AuroraError
from aurora_desktop.ui.core_text import core_text

T = TypeVar("T")

SHUTDOWN_TIMEOUT_S = 10.0

_log = logging.getLogger(__name__)


def error_detail(error: BaseException) -> str:
    """`KeyError: 'x'`: what went wrong, for a sentence about an unexpected failure."""
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def error_sentence(
    error: BaseException,
    unexpected: str,
    *,
    render: Callable[[str], str] = core_text,
    **fields: object,
) -> str:
    """The sentence a user reads about `error`.

    An `AuroraError` says what happened and what to do; it is shown through `render` (the
    UI language; `str` keeps the core's English for a view that translates when it shows).
    Anything else fills in `unexpected`, a page's translated sentence: `{error}` becomes
    `error_detail(error)`, other placeholders come from `fields`.
    """
    if isinstance(error, AuroraError):
        return render(str(error))
    return unexpected.format_map({"error": error_detail(error), **fields})


_PENDING, _RUNNING, _FINISHED, _CANCELLED = "pending", "running", "finished", "cancelled"


class Task(Generic[T]):
    """One piece of work handed to a `TaskRunner`; `cancel()` stops it if it has not started."""

    def __init__(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], object] | None,
        on_error: Callable[[Exception], object] | None,
    ) -> None:
        self._work = work
        self.on_done = on_done
        self.on_error = on_error
        self._lock = threading.Lock()
        self._state = _PENDING
        self._ended = threading.Event()
        self.result: T | None = None
        self.error: Exception | None = None

    def cancel(self) -> bool:
        """True if the task will not run (it had not started, or was cancelled already)."""
        with self._lock:
            if self._state == _PENDING:
                self._state = _CANCELLED
                self._ended.set()
            return self._state == _CANCELLED

    @property
    def cancelled(self) -> bool:
        return self._state == _CANCELLED

    def done(self) -> bool:
        """True once it has run (its result may still be on its way) or was cancelled."""
        return self._ended.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until `done()`; for tests and scripts, never on the main thread of a UI."""
        return self._ended.wait(timeout)

    def _execute(self) -> bool:
        """Run on the worker; False if it was cancelled before it could start."""
        with self._lock:
            if self._state != _PENDING:
                return False
            self._state = _RUNNING
        try:
            self.result = self._work()
        except Exception as exc:  # every failure is reported, on the main thread
            self.error = exc
        with self._lock:
            self._state = _FINISHED
        self._ended.set()
        return True


class _Worker:
    """The runner's thread, queue and gate. Plain Python, so the `destroyed` handler can use it
    after the runner's wrapper is gone; it holds the runner only weakly."""

    def __init__(self, name: str, runner: TaskRunner) -> None:
        self.name = name
        self._runner = weakref.ref(runner)
        self._queue: queue.SimpleQueue[Task[object] | None] = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self._gate = threading.Lock()  # held while a result is emitted; see close
        self.open = True

    def put(self, task: Task[object]) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
            self.thread.start()
        self._queue.put(task)

    def close(self, *_destroyed: object) -> None:
        """Cancel what has not started; once this returns no result is emitted any more."""
        with self._gate:
            was_open, self.open = self.open, False
        if not was_open:
            return
        with contextlib.suppress(queue.Empty):
            while (pending := self._queue.get_nowait()) is not None:
                pending.cancel()
        self._queue.put(None)  # the thread ends after the task it is running

    def _loop(self) -> None:
        while (task := self._queue.get()) is not None:
            if not task._execute():
                continue
            with self._gate:
                runner = self._runner()
                if self.open and runner is not None:
                    with contextlib.suppress(RuntimeError):  # its C++ half was deleted
                        runner._finished.emit(task)
                del runner


class TaskRunner(QObject):
    """Runs tasks one at a time, in order, on a worker thread named `name`.

    `run` and `shutdown` are called on the main thread; the worker starts with the first task
    and lives until `shutdown` or until the runner is destroyed (with its parent).
    """

    _finished = Signal(object)  # a Task: emitted on the worker, received on the main thread

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._worker = _Worker(name, self)
        self._finished.connect(self._on_finished)
        self.destroyed.connect(self._worker.close)

    @property
    def name(self) -> str:
        return self._worker.name

    def run(
        self,
        task: Callable[[], T],
        on_done: Callable[[T], object] | None = None,
        on_error: Callable[[Exception], object] | None = None,
    ) -> Task[T]:
        """Queue `task()`; its result goes to `on_done` and an exception to `on_error` (logged
        if there is none), both on the main thread. Raises RuntimeError after `shutdown`."""
        if not self._worker.open:
            raise RuntimeError(f"the {self.name} task runner has shut down")
        handle = Task(task, on_done, on_error)
        self._worker.put(cast("Task[object]", handle))
        return handle

    def shutdown(self, timeout: float = SHUTDOWN_TIMEOUT_S) -> bool:
        """Cancel what has not started, wait up to `timeout` seconds for the running task and
        drop results not yet delivered. True if the worker thread has ended. Safe to repeat."""
        self._worker.close()
        thread = self._worker.thread
        if thread is None:
            return True
        thread.join(max(0.0, timeout))
        return not thread.is_alive()

    def _on_finished(self, task: Task[object]) -> None:
        if not self._worker.open:
            return  # shut down while the result was on its way
        if task.error is not None:
            if task.on_error is None:
                _log.error("a %s task failed", self.name, exc_info=task.error)
            elif _receiver_alive(task.on_error):
                task.on_error(task.error)
        elif task.on_done is not None and _receiver_alive(task.on_done):
            task.on_done(task.result)


def _receiver_alive(callback: Callable[..., object]) -> bool:
    """False if `callback` is a method (perhaps inside a partial) of a deleted QObject."""
    while isinstance(callback, functools.partial):
        callback = callback.func
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


__all__ = ["SHUTDOWN_TIMEOUT_S", "Task", "TaskRunner", "error_detail", "error_sentence"]
