"""The scheduler's shared bookkeeping (one lock, the model slots, events): every change of a
slot's state, and the unload path."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from aurora_desktop.core.engines.base import Engine
from aurora_desktop.core.errors import EngineClosedError
from aurora_desktop.core.scheduler import failures
from aurora_desktop.core.scheduler.events import (
    EventKind,
    ModelState,
    ModelStateName,
    SchedulerEvent,
)
from aurora_desktop.core.scheduler.eviction import expired
from aurora_desktop.core.scheduler.state import LoadTicket, Slot
from aurora_desktop.core.text import phrase

_log = logging.getLogger(__name__)
CLOSED = phrase("The model scheduler has shut down; restart Aurora to load models again.")
Batch = list[tuple[Slot, Engine]]


class Lifecycle:
    """Model slots under one lock, the event sink, and the one way engines are unloaded.

    Every field of every `Slot` (and of a `LoadTicket`) is read with `cond` held and written
    only by a method of this class, which takes `cond` itself (it is re-entrant, so a caller
    already holding it may call one). Engines are loaded, unloaded and closed and events are
    published with `cond` released, so a listener may call `snapshot()` (but must not wait for
    a load: that would wait for itself).
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

    # -- reads, with `cond` held --------------------------------------------------------------

    def loaded(self, *, besides: Slot | None = None) -> list[Slot]:
        return [s for s in self.slots.values() if s.state == "loaded" and s is not besides]

    def check_open(self) -> None:
        if self.closed:
            raise EngineClosedError(CLOSED)

    def snapshot(self) -> list[ModelState]:
        with self.cond:
            return [self.slots[name].view() for name in sorted(self.slots)]

    # -- requests and leases -----------------------------------------------------------------

    def join(self, name: str, keep_alive_s: float | None) -> Slot:
        """A request for `name` arrives: it counts as waiting (a waiting request is never
        evicted under), and its keep-alive, if any, becomes the model's idle TTL."""
        with self.cond:
            self.check_open()
            slot = self._slot(name)
            if keep_alive_s is not None:
                slot.ttl_s, slot.kept_alive = keep_alive_s, True
            slot.waiting += 1
            return slot

    def leave(self, slot: Slot) -> None:
        """A waiting request gave up: its load failed, or the scheduler closed."""
        with self.cond:
            slot.waiting -= 1

    def hold(self, slot: Slot) -> tuple[Engine, int] | LoadTicket:
        """Wait out the loads and unloads of `slot` in flight; then lease it if it is loaded
        (its engine and generation), else mark it `loading` and return the ticket for the
        caller to load it under."""
        with self.cond:
            self._settle(slot)
            if slot.state == "loaded" and slot.engine is not None:
                slot.waiting -= 1
                slot.refs += 1
                slot.last_used = self.clock()
                return slot.engine, slot.generation
            ticket = slot.ticket = LoadTicket()
            slot.state, slot.error = "loading", ""
            return ticket

    def release(self, name: str, generation: int) -> Batch:
        """A lease on `name` ended; returns the slot claimed for unloading if it is now idle
        past its TTL. A lease from before a reload or a failure counts for nothing."""
        with self.cond:
            slot = self.slots.get(name)
            if slot is None or slot.generation != generation or slot.refs <= 0:
                return []
            slot.refs -= 1
            now = slot.last_used = self.clock()
            return self.mark_expired([slot], now)

    def drop_broken(self, name: str, cause: str, engine: Engine | None) -> Engine | None:
        """The loaded engine of `name` (with `engine`, only that very one) failed while
        answering: the slot is failed, its leases void. Returns the engine, for the caller to
        close, or None when there was nothing to drop."""
        with self.cond:
            slot = self.slots.get(name)
            broken = slot.engine if slot is not None and slot.state == "loaded" else None
            if slot is None or broken is None or (engine is not None and engine is not broken):
                return None
            slot.engine, slot.state, slot.error = None, "failed", cause
            slot.refs, slot.ram_bytes = 0, 0
            slot.generation += 1
            self.cond.notify_all()
            return broken

    # -- pins, unloads on request, settings --------------------------------------------------

    def pin(self, name: str) -> tuple[Slot, bool]:
        """Pin `name`; returns its slot and whether it was pinned already."""
        with self.cond:
            self.check_open()
            slot = self._slot(name)
            was_pinned, slot.pinned = slot.pinned, True
            return slot, was_pinned

    def set_pinned(self, slot: Slot, pinned: bool) -> None:
        with self.cond:
            slot.pinned = pinned

    def unpin(self, name: str) -> Batch:
        """Unpin `name`; its idle TTL counts from now. Returns it claimed for unloading if
        that TTL is already over (0)."""
        with self.cond:
            slot = self.slots.get(name)
            if slot is None or not slot.pinned:
                return []
            slot.pinned = False
            now = self.clock()
            if slot.state == "loaded":
                slot.last_used = now
            return self.mark_expired([slot], now)

    def claim_unload(self, name: str) -> tuple[bool, Batch]:
        """Unpin `name` and claim it for unloading now, unless a request holds it (it then
        counts as used now). Returns whether it is unloaded once the claim is carried out,
        and the claim."""
        with self.cond:
            slot = self.slots.get(name)
            if slot is None:
                return True, []
            slot.pinned = False
            if slot.state != "loaded":
                return slot.state == "unloaded", []
            if slot.refs > 0:
                slot.last_used = self.clock()
                return False, []
            return True, self.mark_unloading([name])

    def configure(self, *, default_ttl_s: float, warm: tuple[str, ...]) -> None:
        """A new default TTL for every model without a keep-alive of its own, a new warm set."""
        with self.cond:
            self.default_ttl_s = default_ttl_s
            for name in warm:
                self._slot(name)
            for slot in self.slots.values():
                if not slot.kept_alive:
                    slot.ttl_s = default_ttl_s
                slot.warm = slot.name in warm

    def close(self) -> list[tuple[str, Engine, ModelStateName]]:
        """Refuse requests from now on and forget every engine; returns each engine held (its
        model's name and state then), for the caller to close with `cond` released."""
        with self.cond:
            self.closed = True
            held = [(s.name, s.engine, s.state) for s in self.slots.values() if s.engine]
            for slot in self.slots.values():
                slot.engine, slot.state, slot.refs, slot.ram_bytes = None, "unloaded", 0, 0
                slot.generation += 1
            self.cond.notify_all()
            return held

    # -- loads (the loader runs one at a time, with `cond` released around engine calls) -----

    def built(self, slot: Slot, engine: Engine) -> None:
        """A fresh engine was built for `slot`'s load."""
        with self.cond:
            slot.engine = engine

    def build_failed(self, slot: Slot, cause: str) -> None:
        with self.cond:
            slot.engine, slot.error = None, cause

    def load_failed(self, slot: Slot, engine: Engine, cause: str) -> None:
        """`engine` failed to load; the caller closes it."""
        with self.cond:
            if slot.engine is engine:
                slot.engine = None
            slot.error = cause

    def load_ended(
        self, slot: Slot, ticket: LoadTicket, engine: Engine, ram_bytes: int
    ) -> BaseException | None:
        """The load under `ticket` worked: `slot` holds `engine` from now on, unless the
        scheduler closed meanwhile. Returns the error the waiting requests get (None when it
        counts as loaded)."""
        with self.cond:
            if not self.closed:
                slot.engine, slot.state, slot.error = engine, "loaded", ""
                slot.ram_bytes = ram_bytes
                slot.last_used = self.clock()
                slot.generation += 1
            ticket.done = True
            ticket.error = EngineClosedError(CLOSED) if self.closed else None
            self.cond.notify_all()
            return ticket.error

    def load_abandoned(self, slot: Slot, ticket: LoadTicket, error: BaseException) -> None:
        """The load under `ticket` raised `error`, which the waiting requests get too; the slot
        is failed if a load failure was recorded, else unloaded (the scheduler closed)."""
        with self.cond:
            slot.state = "failed" if slot.error else "unloaded"
            ticket.done, ticket.error = True, error
            self.cond.notify_all()

    # -- claims for unloading ----------------------------------------------------------------

    def mark_expired(self, slots: Iterable[Slot], now: float) -> Batch:
        """Claim every loaded slot among `slots` whose idle TTL has run out."""
        with self.cond:
            loaded = [s for s in slots if s.state == "loaded"]
            names = expired(
                [s.resident() for s in loaded], now=now, ttl_s={s.name: s.ttl_s for s in loaded}
            )
            return self.mark_unloading(names)

    def mark_unloading(self, names: Iterable[str]) -> Batch:
        """Move loaded models to `unloading`, so no request leases them from now on."""
        batch: Batch = []
        with self.cond:
            for name in names:
                slot = self.slots[name]
                if slot.state == "loaded" and slot.engine is not None:
                    slot.state = "unloading"
                    batch.append((slot, slot.engine))
        return batch

    def _slot(self, name: str) -> Slot:
        slot = self.slots.get(name)
        if slot is None:
            slot = self.slots[name] = Slot(name, ttl_s=self.default_ttl_s)
        return slot

    def _settle(self, slot: Slot) -> None:
        """With `cond` held: wait until no load or unload of `slot` is in flight. A request
        that waited for a load which failed gets that load's error (no load per caller)."""
        while True:
            self.check_open()
            if slot.state == "loading" and slot.ticket is not None:
                ticket = slot.ticket
                while not ticket.done and not self.closed:
                    self.cond.wait()
                if ticket.error is not None:
                    raise ticket.error
            elif slot.state == "unloading":
                self.cond.wait()
            else:
                return

    # -- with `cond` released ----------------------------------------------------------------

    def unload_batch(self, batch: Batch, why: str = "") -> None:
        for slot, engine in batch:
            idle = (
                phrase("after {slot_ttl_s} s idle", slot_ttl_s=format(slot.ttl_s, "g"))
                if slot.ttl_s > 0
                else phrase("as soon as it went idle")
            )
            reason = why or idle
            self.unload(
                slot,
                engine,
                phrase("Unloading {slot_name} {reason}.", slot_name=slot.name, reason=reason),
            )

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
                phrase(
                    "{slot_name} failed to unload ({cause}); it was closed.",
                    slot_name=slot.name,
                    cause=cause,
                ),
            )
            return
        with self.cond:
            if slot.engine is engine and slot.state == "unloading":
                slot.state, slot.ram_bytes = "unloaded", 0
            self.cond.notify_all()
        self.emit("unloaded", slot.name, phrase("{slot_name} was unloaded.", slot_name=slot.name))

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
