"""Loading one model: the single loading turn, admission by free memory, and one retry."""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterator

from aurora_desktop.core.engines.base import Engine
from aurora_desktop.core.errors import EngineClosedError, EngineLoadError
from aurora_desktop.core.scheduler import failures
from aurora_desktop.core.scheduler.eviction import choose_evictions, eviction_order, idle_bytes
from aurora_desktop.core.scheduler.lifecycle import CLOSED, Lifecycle
from aurora_desktop.core.scheduler.state import LoadTicket, Slot
from aurora_desktop.core.text import phrase


class _LoadFailed(Exception):
    def __init__(self, cause: BaseException, *, timed_out: bool) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.timed_out = timed_out


class Loader:
    """Runs loads one at a time across all models, first come first served."""

    def __init__(
        self,
        life: Lifecycle,
        *,
        factory: Callable[[str], Engine],
        ram_needed: Callable[[str], int],
        free_memory: Callable[[], int],
        load_timeout_s: float,
    ) -> None:
        self._life = life
        self._factory = factory
        self._ram_needed = ram_needed
        self._free_memory = free_memory
        self._load_timeout_s = load_timeout_s
        self._turns: deque[object] = deque()

    def load(self, slot: Slot, ticket: LoadTicket) -> None:
        """Load `slot` (already marked `loading` under `ticket`) and settle the ticket; raises
        EngineLoadError when it cannot load, EngineClosedError when the scheduler closed."""
        life = self._life
        try:
            with self._turn():
                self._admit(slot)
                engine, warning = self._load_with_retry(slot)
        except BaseException as exc:
            life.load_abandoned(slot, ticket, exc)
            raise
        with life.cond:
            closed = life.closed
        held = 0 if closed else engine.memory_bytes() or self._ram_needed(slot.name)
        error = life.load_ended(slot, ticket, engine, held)
        if error is not None:
            life.close_engine(engine)
            raise error
        life.emit("loaded", slot.name, phrase("{slot_name} is loaded.", slot_name=slot.name))
        if warning:
            life.emit("warning", slot.name, warning)

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        cond, token = self._life.cond, object()
        with cond:
            self._turns.append(token)
            while self._turns[0] is not token and not self._life.closed:
                cond.wait()
            if self._life.closed:
                self._turns.remove(token)
                cond.notify_all()
                raise EngineClosedError(CLOSED)
        try:
            yield
        finally:
            with cond:
                self._turns.remove(token)
                cond.notify_all()

    def _admit(self, slot: Slot) -> None:
        """Make room for `slot` by unloading idle models, or refuse with the figures."""
        life = self._life
        need, free = self._ram_needed(slot.name), self._free_memory()
        if need <= free:
            return
        with life.cond:
            residents = [s.resident() for s in life.loaded(besides=slot)]
            victims = choose_evictions(residents, need_bytes=need, free_bytes=free)
            batch = life.mark_unloading(victims or ())
        if victims is None:
            message = failures.refusal_message(
                slot.name, need_bytes=need, free_bytes=free, idle_bytes=idle_bytes(residents)
            )
            life.emit("warning", slot.name, message)
            raise EngineLoadError(message)
        life.unload_batch(batch, phrase("to make room for {slot_name}", slot_name=slot.name))

    def _load_with_retry(self, slot: Slot) -> tuple[Engine, str]:
        """Load once; on failure retry once with a fresh engine, after unloading every idle
        model first if the failure was for lack of memory. Returns the engine and the warning
        to publish once it counts as loaded ("" when the first try worked)."""
        life, name = self._life, slot.name
        try:
            return self._load_once(slot, retry=False), ""
        except _LoadFailed as failed:
            memory = failures.is_memory_failure(failed.cause)
        evicted: tuple[str, ...] = ()
        if memory:
            with life.cond:
                others = [s.resident() for s in life.loaded(besides=slot)]
                evicted = tuple(r.name for r in eviction_order(others))
                batch = life.mark_unloading(evicted)
            life.unload_batch(batch, phrase("because {name} ran out of memory", name=name))
        try:
            engine = self._load_once(slot, retry=True)
        except _LoadFailed as failed:
            if memory:
                warning = failures.memory_warning(name, evicted=evicted, loaded=False)
                life.emit("warning", name, warning)
            starved = memory or failed.timed_out or failures.is_memory_failure(failed.cause)
            advice = failures.FREE_MEMORY if starved else failures.REINSTALL
            message = failures.load_failure_message(name, failed.cause, advice=advice)
            raise EngineLoadError(message) from failed.cause
        if memory:
            return engine, failures.memory_warning(name, evicted=evicted, loaded=True)
        return engine, ""

    def _load_once(self, slot: Slot, *, retry: bool) -> Engine:
        life, name = self._life, slot.name
        with life.cond:
            life.check_open()
            engine = None if retry else slot.engine
        if engine is not None and not engine.health().ok:
            life.close_engine(engine)
            engine = None
        if engine is None:
            try:
                engine = self._factory(name)
            except Exception as exc:
                life.build_failed(slot, failures.cause_text(exc))
                life.emit("failed", name, str(exc))
                raise
            life.built(slot, engine)
        life.emit(
            "loading",
            name,
            phrase("Loading {name} again.", name=name)
            if retry
            else phrase("Loading {name}.", name=name),
        )
        try:
            engine.load().result(timeout=self._load_timeout_s)
        except Exception as exc:
            cause: BaseException = exc
            if isinstance(exc, TimeoutError):
                cause = EngineLoadError(failures.timeout_cause(self._load_timeout_s))
            life.load_failed(slot, engine, failures.cause_text(cause))
            life.close_engine(engine)
            life.emit(
                "failed",
                name,
                phrase(
                    "{name} failed to load ({failures_cause_text_cause}).",
                    name=name,
                    failures_cause_text_cause=failures.cause_text(cause),
                ),
            )
            raise _LoadFailed(cause, timed_out=cause is not exc) from exc
        return engine
