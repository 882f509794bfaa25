"""A request's hold on a loaded model: while any lease is held, the model is never unloaded."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from aurora_desktop.core.engines.base import Engine

ReleaseFn = Callable[["Lease"], None]
ReportFn = Callable[[str, BaseException, Engine], bool]


class Lease:
    """Use as `with scheduler.acquire(name) as lease: lease.engine.generate(...)`.

    Leaving the block (or `release()`, which is idempotent) lets the model go idle; `fail(exc)`
    tells the scheduler this engine broke, so the next request gets a freshly built one.
    """

    __slots__ = ("_engine", "_generation", "_name", "_release", "_released", "_report")

    def __init__(
        self,
        *,
        name: str,
        engine: Engine,
        generation: int,
        release: ReleaseFn,
        report: ReportFn,
    ) -> None:
        self._name = name
        self._engine = engine
        self._generation = generation
        self._release = release
        self._report = report
        self._released = False

    @property
    def name(self) -> str:
        return self._name

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def released(self) -> bool:
        return self._released

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._release(self)

    def fail(self, exc: BaseException) -> bool:
        """Report that a generation on this engine raised or hung; True if it was discarded."""
        return self._report(self._name, exc, self._engine)

    def __enter__(self) -> Lease:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
