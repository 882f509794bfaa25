"""ModelScheduler: owns the local engines, loads one at a time and unloads what nobody holds."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from aurora_desktop.core.engines.base import Engine
from aurora_desktop.core.errors import AuroraError, EngineClosedError
from aurora_desktop.core.scheduler import failures
from aurora_desktop.core.scheduler.events import ModelState, SchedulerEvent
from aurora_desktop.core.scheduler.lease import Lease
from aurora_desktop.core.scheduler.lifecycle import Lifecycle
from aurora_desktop.core.scheduler.loading import Loader
from aurora_desktop.core.scheduler.state import LoadTicket, Slot
from aurora_desktop.core.text import phrase

_log = logging.getLogger(__name__)


def _ignore(_: SchedulerEvent) -> None:
    return None


class ModelScheduler:
    """Loads local models on demand, one load at a time; admits them by free memory; keeps
    them while leased, pinned or warm; unloads them when idle past their TTL.

    Eviction for room takes idle non-warm models least recently used first, then idle warm
    ones; a leased or pinned model is never unloaded (see `eviction.py`).
    """

    def __init__(
        self,
        *,
        factory: Callable[[str], Engine],
        ram_needed: Callable[[str], int],
        free_memory: Callable[[], int],
        clock: Callable[[], float] = time.monotonic,
        default_ttl_s: float = 600.0,
        warm: Iterable[str] = (),
        on_event: Callable[[SchedulerEvent], None] = _ignore,
        load_timeout_s: float = 120.0,
        unload_timeout_s: float = 30.0,
        close_timeout_s: float = 10.0,
    ) -> None:
        self._warm = tuple(dict.fromkeys(warm))
        self._life = Lifecycle(
            clock=clock,
            on_event=on_event,
            default_ttl_s=default_ttl_s,
            warm=self._warm,
            unload_timeout_s=unload_timeout_s,
            close_timeout_s=close_timeout_s,
        )
        self._loader = Loader(
            self._life,
            factory=factory,
            ram_needed=ram_needed,
            free_memory=free_memory,
            load_timeout_s=load_timeout_s,
        )
        self._timer: threading.Thread | None = None
        self._timer_stop = threading.Event()

    # -- requests ----------------------------------------------------------------------------

    def acquire(self, name: str, *, keep_alive_s: float | None = None) -> Lease:
        """Hold `name` loaded for one request, loading it first if needed; use the lease as a
        context manager.

        `keep_alive_s` replaces the model's idle TTL from now on (like Ollama's keep_alive):
        0 unloads it as soon as it is idle; a negative value never expires it (it can still be
        evicted for room).
        """
        slot = self._life.join(name, keep_alive_s)
        try:
            engine, generation = self._hold(slot)
        except BaseException:
            self._life.leave(slot)
            raise
        return Lease(
            name=name,
            engine=engine,
            generation=generation,
            release=self._release,
            report=lambda n, exc, e: self.report_failure(n, exc, engine=e),
        )

    def report_failure(
        self, name: str, exc: BaseException, *, engine: Engine | None = None
    ) -> bool:
        """A generation on `name` raised or hung: close that engine, so the next acquire builds
        a fresh one. With `engine`, only that very engine is dropped. True if one was dropped."""
        life = self._life
        broken = life.drop_broken(name, failures.cause_text(exc), engine)
        if broken is None:
            return False
        life.emit(
            "failed",
            name,
            phrase(
                "{name} failed while answering ({failures_cause_text_exc}); "
                "Aurora unloaded it and will load it afresh for the next request.",
                name=name,
                failures_cause_text_exc=failures.cause_text(exc),
            ),
        )
        life.close_engine(broken)
        life.emit("unloaded", name, phrase("{name} was unloaded after a failure.", name=name))
        return True

    def pin(self, name: str) -> None:
        """Keep `name` loaded (loading it now if needed) until unpin(); neither its TTL nor
        memory pressure unloads a pinned model. A pin whose load fails is undone."""
        slot, was_pinned = self._life.pin(name)
        try:
            self.acquire(name).release()
        except BaseException:
            self._life.set_pinned(slot, was_pinned)
            raise

    def unpin(self, name: str) -> None:
        """Let `name` go again; its idle TTL starts counting now."""
        self._life.unload_batch(self._life.unpin(name))

    def unload(self, name: str) -> bool:
        """Unpin `name` and unload it now (the user asked, e.g. from Settings → Models).

        Returns False, leaving it loaded, while a request still holds it: the idle TTL then
        unloads it as usual once the request is done."""
        unloaded, batch = self._life.claim_unload(name)
        self._life.unload_batch(batch, why=phrase("because it was asked to"))
        return unloaded

    def configure(self, *, default_ttl_s: float, warm: Iterable[str]) -> None:
        """Apply changed settings while running: every model without a keep-alive of its own
        takes the new idle TTL (one already idle past it unloads at the next tick), and the
        warm set is replaced (a model leaving it may expire from now on; call start_warm() to
        load the ones that joined it)."""
        new_warm = tuple(dict.fromkeys(warm))
        with self._life.cond:
            self._life.configure(default_ttl_s=default_ttl_s, warm=new_warm)
            self._warm = new_warm

    def start_warm(self) -> tuple[str, ...]:
        """Load the warm set (at app start, or after configure()); returns the models that
        could not be loaded, whose reasons were already published as `failed` or `warning`
        events. A warm model already loaded costs nothing."""
        with self._life.cond:
            warm = self._warm
        missed: list[str] = []
        for name in warm:
            try:
                self.acquire(name).release()
            except EngineClosedError:
                raise
            except AuroraError:
                missed.append(name)
        return tuple(missed)

    # -- idle expiry -------------------------------------------------------------------------

    def tick(self) -> tuple[str, ...]:
        """Unload every model idle past its TTL; returns their names, oldest first."""
        life = self._life
        with life.cond:
            batch = life.mark_expired(list(life.slots.values()), life.clock())
        life.unload_batch(batch)
        return tuple(slot.name for slot, _ in batch)

    def run_timer(self, interval_s: float) -> None:
        """Call tick() every `interval_s` seconds on the `scheduler-ttl` thread until stop()."""
        with self._life.cond:
            self._life.check_open()
            if self._timer is not None:
                return
            self._timer_stop = threading.Event()
            self._timer = threading.Thread(
                target=self._tick_every,
                args=(interval_s, self._timer_stop),
                name="scheduler-ttl",
                daemon=True,
            )
            self._timer.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop the timer thread; True if it has ended (or never ran)."""
        with self._life.cond:
            timer, self._timer = self._timer, None
            self._timer_stop.set()
        if timer is None or timer is threading.current_thread():
            return True
        timer.join(timeout)
        return not timer.is_alive()

    def _tick_every(self, interval_s: float, stop: threading.Event) -> None:
        while not stop.wait(interval_s):
            try:
                self.tick()
            except Exception:
                _log.exception("Unloading idle models failed; the timer will try again.")

    # -- views and shutdown ------------------------------------------------------------------

    def snapshot(self) -> list[ModelState]:
        """Every model the scheduler knows, by name, for the tray tooltip and the dashboard."""
        return self._life.snapshot()

    def close(self, timeout: float = 10.0) -> bool:
        """Stop the timer, refuse new requests, unload and close every engine; True if every
        engine thread and the timer ended within `timeout`."""
        life = self._life
        deadline = time.monotonic() + timeout
        stopped = self.stop(timeout)
        held = life.close()
        closed = stopped
        for name, engine, state in held:
            left = max(0.0, deadline - time.monotonic())
            closed = life.close_engine(engine, left) and closed
            if state == "loaded":
                life.emit(
                    "unloaded",
                    name,
                    phrase("{name} was unloaded because Aurora is closing.", name=name),
                )
        return closed

    # -- leases ------------------------------------------------------------------------------

    def _hold(self, slot: Slot) -> tuple[Engine, int]:
        """Wait out other loads and unloads of `slot` (or load it), then count one more lease."""
        while True:
            held = self._life.hold(slot)
            if not isinstance(held, LoadTicket):
                return held
            self._loader.load(slot, held)

    def _release(self, lease: Lease) -> None:
        self._life.unload_batch(self._life.release(lease.name, lease.generation))
