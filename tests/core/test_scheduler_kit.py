"""Fakes the scheduler tests share (it holds no tests; the test_ prefix keeps it beside them):
engines that load on real worker threads, a fake clock, and a memory budget that shrinks as
models load."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from typing import Any

from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import (
    NO_CONSTRAINT,
    Constraint,
    EngineHealth,
    GenerationResult,
    TokenCallback,
)
from aurora_desktop.core.engines.worker import EngineWorker
from aurora_desktop.core.scheduler.events import SchedulerEvent
from aurora_desktop.core.scheduler.scheduler import ModelScheduler

GB = 10**9
WAIT_S = 5.0  # the longest any test waits for another thread


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeEngine:
    """Loads and unloads on its own worker thread, like LlamaCppEngine; the lab can hold a
    load or an unload at a gate, or script the load to fail."""

    engine_name = "fake"

    def __init__(self, lab: Lab, name: str, serial: int, fail_with: BaseException | None):
        self.model_name = name
        self.serial = serial
        self.fail_with = fail_with
        self.loads = self.unloads = self.closes = 0
        self.load_started = threading.Event()
        self.unload_started = threading.Event()
        self.unloading = False
        self._lab = lab
        self._loaded = False
        self._aborted = threading.Event()
        self._worker = EngineWorker(name=f"engine-fake-{name}-{serial}")

    @property
    def loaded(self) -> bool:
        return self._loaded

    @property
    def thread(self) -> threading.Thread:
        return self._worker.thread

    def health(self) -> EngineHealth:
        return EngineHealth(self._worker.thread.is_alive())

    def memory_bytes(self) -> int:
        return self._lab.need(self.model_name) if self._loaded else 0

    def load(self) -> Future[float]:
        return self._worker.submit(self._load)

    def unload(self) -> Future[None]:
        return self._worker.submit(self._unload)

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
        result = GenerationResult(
            text="ok", tokens_in=1, tokens_out=1, ttft_ms=1.0, decode_ms=1.0, finish_reason="stop"
        )
        return self._worker.submit(lambda: result)

    def close(self, timeout: float = 10.0) -> bool:
        self.closes += 1
        self._aborted.set()  # a held load gives up, as a real engine's would on shutdown
        self._loaded = False
        return self._worker.close(timeout)

    def _load(self) -> float:
        self.load_started.set()
        with self._lab.lock:
            self._lab.loading += 1
            self._lab.max_loading = max(self._lab.max_loading, self._lab.loading)
        try:
            self._pass(self._lab.load_gates.get(self.model_name))
            if self._aborted.is_set():
                raise RuntimeError("the load was abandoned because the engine closed")
            time.sleep(self._lab.load_s)
            if self.fail_with is not None:
                raise self.fail_with
            self.loads += 1
            self._loaded = True
        finally:
            with self._lab.lock:
                self._lab.loading -= 1
        return 1.0

    def _unload(self) -> None:
        self.unloading = True
        self.unload_started.set()
        self._pass(self._lab.unload_gates.get(self.model_name))
        failure = self._lab.unload_failures.get(self.model_name)
        if failure is not None:
            self.unloading = False
            raise failure
        self.unloads += 1
        self._loaded = False
        self.unloading = False

    def _pass(self, gate: threading.Event | None) -> None:
        deadline = time.monotonic() + WAIT_S
        while gate is not None and not gate.is_set() and not self._aborted.is_set():
            assert time.monotonic() < deadline, "a gate was never opened"
            gate.wait(0.01)


class Lab:
    """A scheduler wired to fakes: every engine it built, every event, the loads in flight."""

    def __init__(self, *, total_gb: float = 16.0, ram_gb: dict[str, float] | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        self.clock = FakeClock()
        self.total = int(total_gb * GB)
        self.ram = {name: int(gb * GB) for name, gb in (ram_gb or {}).items()}
        self.engines: dict[str, list[FakeEngine]] = defaultdict(list)
        self.failures: dict[str, list[BaseException | None]] = {}
        self.load_gates: dict[str, threading.Event] = {}
        self.unload_gates: dict[str, threading.Event] = {}
        self.unload_failures: dict[str, BaseException] = {}
        self.factory_errors: dict[str, BaseException] = {}
        self.events: list[SchedulerEvent] = []
        self.lock = threading.Lock()
        self.loading = self.max_loading = 0
        self.load_s = 0.0
        self.listener: Callable[[SchedulerEvent], None] = lambda e: None
        self.scheduler = ModelScheduler(
            factory=self.build,
            ram_needed=self.need,
            free_memory=self.free,
            clock=self.clock,
            on_event=self._on_event,
            **kwargs,
        )

    def build(self, name: str) -> FakeEngine:
        if name in self.factory_errors:
            raise self.factory_errors[name]
        script = self.failures.get(name)
        fail_with = script.pop(0) if script else None
        with self.lock:
            engine = FakeEngine(self, name, len(self.engines[name]) + 1, fail_with)
            self.engines[name].append(engine)
        return engine

    def need(self, name: str) -> int:
        return self.ram.get(name, GB)

    def free(self) -> int:
        with self.lock:
            engines = [e for built in self.engines.values() for e in built]
        return self.total - sum(e.memory_bytes() for e in engines)

    def engine(self, name: str) -> FakeEngine:
        return self.engines[name][-1]

    def loaded(self) -> list[str]:
        return sorted(s.name for s in self.scheduler.snapshot() if s.state == "loaded")

    def state(self, name: str) -> str:
        return next(s.state for s in self.scheduler.snapshot() if s.name == name)

    def waiting(self, name: str) -> int:
        """Requests blocked in acquire(name); peeks at private state, for tests only."""
        life = self.scheduler._life
        with life.cond:
            slot = life.slots.get(name)
            return slot.waiting if slot is not None else 0

    def kinds(self, model: str | None = None) -> list[str]:
        return [f"{e.kind}:{e.model}" for e in self.events if model in (None, e.model)]

    def use(self, *names: str, keep_alive_s: float | None = None) -> None:
        """One short request per model, one second apart on the fake clock."""
        for name in names:
            self.clock.advance(1)
            with self.scheduler.acquire(name, keep_alive_s=keep_alive_s):
                pass

    def _on_event(self, event: SchedulerEvent) -> None:
        self.events.append(event)
        self.listener(event)


def wait_for(condition: Callable[[], object], what: str) -> None:
    """Poll until `condition()` is true, failing the test after WAIT_S."""
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting until {what}"
        time.sleep(0.005)


@contextlib.contextmanager
def lab_factory() -> Iterator[Callable[..., Lab]]:
    """Makes labs; on the way out closes each and checks that no engine is loaded or running."""
    labs: list[Lab] = []

    def make(**kwargs: Any) -> Lab:
        labs.append(Lab(**kwargs))
        return labs[-1]

    yield make
    for lab in labs:
        assert lab.scheduler.close(WAIT_S)
        for built in lab.engines.values():
            assert all(not e.loaded and not e.thread.is_alive() for e in built)
