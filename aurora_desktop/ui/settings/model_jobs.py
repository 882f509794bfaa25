"""Background jobs of the Models page: one at a time on a named worker, reported by signals."""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from PySide6.QtCore import QObject, Signal, SignalInstance

from aurora_desktop.core.models.progress import FetchProgress, ProgressCallback
from aurora_desktop.ui.tasks import TaskRunner

EMIT_EVERY_S = 0.05  # progress reaches the UI at most ~20 times a second
RATE_AFTER_S = 0.5  # a rate measured over less time than this is noise

Work = Callable[[ProgressCallback, threading.Event], object]


@dataclass(frozen=True, slots=True)
class JobProgress:
    """One progress report with the byte rate of its step (None until it can be measured)."""

    phase: str
    label: str
    done: int
    total: int | None
    rate: float | None

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, max(0.0, self.done / self.total))


class RateMeter:
    """Turns `FetchProgress` reports into `JobProgress`, timing each (phase, label) step."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._key: tuple[str, str] | None = None
        self._started = 0.0
        self._first_done = 0

    def measure(self, event: FetchProgress) -> JobProgress:
        now = self._clock()
        key = (event.phase, event.label)
        if key != self._key:
            self._key, self._started, self._first_done = key, now, event.done
        elapsed = now - self._started
        moved = event.done - self._first_done
        rate = moved / elapsed if elapsed >= RATE_AFTER_S and moved > 0 else None
        return JobProgress(event.phase, event.label, event.done, event.total, rate)


@dataclass(eq=False)
class ModelJob:
    """One piece of work the page started; `cancel` stops it where the core allows."""

    kind: str
    subject: str
    cancellable: bool
    key: tuple[str, str] | None = None  # the (name, version) it works on, if one
    cancel: threading.Event = field(default_factory=threading.Event)
    number: int = 0


class ModelJobRunner(QObject):
    """Runs model work on the `models-page` worker, one job at a time.

    `job_progressed` is emitted from the worker (Qt queues it to receivers on the main
    thread); the other signals are emitted on the main thread.
    """

    job_started = Signal(object)  # ModelJob
    job_progressed = Signal(object, object)  # ModelJob, JobProgress
    job_succeeded = Signal(object, object)  # ModelJob, the work's result
    job_failed = Signal(object, object)  # ModelJob, the exception

    def __init__(self, parent: QObject | None = None, clock: Callable[[], float] = time.monotonic):
        super().__init__(parent)
        self.setObjectName("modelJobRunner")
        self._clock = clock
        self._tasks = TaskRunner("models-page", self)
        self._numbers = itertools.count(1)
        self._current: ModelJob | None = None  # read and written on the main thread only
        self._closed = False

    @property
    def current(self) -> ModelJob | None:
        return self._current

    @property
    def busy(self) -> bool:
        return self.current is not None

    def start(
        self,
        kind: str,
        subject: str,
        work: Work,
        *,
        cancellable: bool = False,
        key: tuple[str, str] | None = None,
    ) -> ModelJob:
        """Queue `work(progress, cancel)`; the caller keeps the UI from starting a second job."""
        if self._closed:
            raise RuntimeError("the models page has shut down")
        job = ModelJob(kind, subject, cancellable, key, number=next(self._numbers))
        self._current = job
        self.job_started.emit(job)
        self._tasks.run(
            partial(self._run, job, work),
            partial(self._on_succeeded, job),
            partial(self._on_failed, job),
        )
        return job

    def cancel(self) -> None:
        job = self.current
        if job is not None and job.cancellable:
            job.cancel.set()

    def shutdown(self) -> None:
        """Cancel the running job and wait (bounded) for the worker to end."""
        self._closed = True
        if self._current is not None:
            self._current.cancel.set()
        if self._tasks.shutdown():
            self._current = None  # its result is dropped, not reported

    def _run(self, job: ModelJob, work: Work) -> object:
        """On the worker: `work` with its progress throttled to ~20 reports a second."""
        meter = RateMeter(self._clock)
        last: list[float] = [0.0]
        step: list[tuple[str, str] | None] = [None]

        def progress(event: FetchProgress) -> None:
            now = self._clock()
            report = meter.measure(event)
            new_step = (event.phase, event.label) != step[0]
            finished = event.total is not None and event.done >= event.total
            if new_step or finished or now - last[0] >= EMIT_EVERY_S:
                step[0], last[0] = (event.phase, event.label), now
                self._emit(self.job_progressed, job, report)

        return work(progress, job.cancel)

    def _on_succeeded(self, job: ModelJob, result: object) -> None:
        self._finish(job)
        self.job_succeeded.emit(job, result)

    def _on_failed(self, job: ModelJob, error: Exception) -> None:
        self._finish(job)
        self.job_failed.emit(job, error)

    def _finish(self, job: ModelJob) -> None:
        if self._current is job:
            self._current = None

    def _emit(self, signal: SignalInstance, *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # the page was deleted while the job ran
            signal.emit(*args)
