"""The scheduler's shared bookkeeping (one lock, the model slots, events) and its unload path."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from aurora_desktop.core.engines.base import Engine
from aurora_desktop.core.errors import EngineClosedError
from aurora_desktop.core.scheduler import failures
from aurora_desktop.core.scheduler.events import EventKind, SchedulerEvent
from aurora_desktop.core.scheduler.eviction import expired
from aurora_desktop.core.scheduler.state import Slot
from aurora_desktop.core.text import phrase

_log = logging.getLogger(__name__)
CLOSED = phrase("The model scheduler has shut down; restart Aurora to load models again.")
Batch = list[tuple[Slot, Engine]]


class Lifecycle:
    """Model slots under one lock, the event sink, and the one way engines are unloaded.

    Every field of every `Slot` is read and written with `cond` held; engines are loaded,
    unloaded and closed and events are published with it released, so a listener may call
    `snapshot()` (but must not wait for a load: that would wait for itself).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        on_event: Callable[[SchedulerEvent], None],
        default_ttl_s: float,
        warm: Iterable[str],
        unload_timeout_s: float,
        close_timeout_s: float,
    ) -> None:
        self.cond = threading.Condition()
        self.clock = clock
        self.closed = False
        self.default_ttl_s = default_ttl_s
        self.close_timeout_s = close_timeout_s
        self.slots = {n: Slot(n, ttl_s=default_ttl_s, warm=True) for n in warm}
        self._on_event = on_event
        self._unload_timeout_s = unload_timeout_s

    # -- with `cond` held --------------------------------------------------------------------

    def slot(self, name: str) -> Slot:
        slot = self.slots.get(name)
        if slot is None:
            slot = self.slots[name] = Slot(name, ttl_s=self.default_ttl_s)
        return slot

    def loaded(self, *, besides: Slot | None = None) -> list[Slot]:
        return [s for s in self.slots.values() if s.state == "loaded" and s is not besides]

    def check_open(self) -> None:
        if self.closed:
            raise EngineClosedError(CLOSED)

    def mark_expired(self, slots: Iterable[Slot], now: float) -> Batch:
        """Claim every loaded slot among `slots` whose idle TTL has run out."""
        loaded = [s for s in slots if s.state == "loaded"]
        names = expired(
            [s.resident() for s in loaded], now=now, ttl_s={s.name: s.ttl_s for s in loaded}
        )
        return self.mark_unloading(names)

    def mark_unloading(self, names: Iterable[str]) -> Batch:
        """Move loaded models to `unloading`, so no request leases them from now on."""
        batch: Batch = []
        for name in names:
            slot = self.slots[name]
            if slot.state == "loaded" and slot.engine is not None:
                slot.state = "unloading"
                batch.append((slot, slot.engine))
        return batch

    # -- with `cond` released ----------------------------------------------------------------

    def unload_batch(self, batch: Batch, why: str = "") -> None:
        for slot, engine in batch:
            idle = (
                phrase(f"after {slot.ttl_s:g} s idle")
                if slot.ttl_s > 0
                else phrase("as soon as it went idle")
            )
            reason = why or idle
            self.unload(slot, engine, phrase(f"Unloading {slot.name} {reason}."))

    def unload(self, slot: Slot, engine: Engine, detail: str) -> None:
        """Unload a slot claimed by mark_unloading(); an engine that fails to unload is closed
        and dropped, so the next request builds a fresh one."""
        self.emit("unloading", slot.name, detail)
        try:
            engine.unload().result(timeout=self._unload_timeout_s)
        except Exception as exc:
            cause = (
                phrase("timed out") if isinstance(exc, TimeoutError) else failures.cause_text(exc)
            )
            with self.cond:
                if slot.engine is engine:
                    slot.engine, slot.state, slot.error, slot.ram_bytes = None, "failed", cause, 0
                self.cond.notify_all()
            self.close_engine(engine)
            self.emit(
                "failed",
                slot.name,
                phrase(f"{slot.name} failed to unload ({cause}); it was closed."),
            )
            return
        with self.cond:
            if slot.engine is engine and slot.state == "unloading":
                slot.state, slot.ram_bytes = "unloaded", 0
            self.cond.notify_all()
        self.emit("unloaded", slot.name, phrase(f"{slot.name} was unloaded."))

    def close_engine(self, engine: Engine, timeout: float | None = None) -> bool:
        try:
            return engine.close(self.close_timeout_s if timeout is None else timeout)
        except Exception:
            _log.exception("Closing the %s engine failed.", engine.model_name)
            return False

    def emit(self, kind: EventKind, model: str, detail: str) -> None:
        """Publish an event to the listener; a failing listener is logged, never propagated."""
        event = SchedulerEvent(kind=kind, model=model, detail=detail, at=self.clock())
        try:
            self._on_event(event)
        except Exception:
            _log.exception("A scheduler event listener failed on %s for %s.", kind, model)
