"""ModelScheduler under real concurrency: one load at a time, no double load, requests that
arrive during an unload, shared load failures, close during a load, the TTL timer thread."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator

import pytest

from aurora_desktop.core.errors import EngineClosedError, EngineLoadError
from aurora_desktop.core.scheduler.lease import Lease
from tests.core.test_scheduler_kit import WAIT_S, Lab, lab_factory, wait_for


@pytest.fixture
def make_lab() -> Iterator[Callable[..., Lab]]:
    with lab_factory() as make:
        yield make


def start(target: Callable[[], object], name: str) -> threading.Thread:
    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread


def join_all(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(WAIT_S)
    assert not [t.name for t in threads if t.is_alive()]


def test_eight_requests_for_one_model_load_it_once(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab()
    gate = lab.load_gates["m"] = threading.Event()
    leases: list[Lease] = []
    errors: list[BaseException] = []
    done = threading.Event()
    together = threading.Barrier(8)

    def request() -> None:
        together.wait(WAIT_S)
        try:
            with lab.scheduler.acquire("m") as lease:
                leases.append(lease)
                done.wait(WAIT_S)
        except BaseException as exc:
            errors.append(exc)

    threads = [start(request, f"test-request-{i}") for i in range(8)]
    wait_for(lambda: lab.waiting("m") == 8, "all eight requests wait for the model")
    gate.set()
    wait_for(lambda: len(leases) == 8, "every request holds the model")
    assert lab.scheduler.snapshot()[0].refs == 8
    done.set()
    join_all(threads)
    assert errors == []
    assert len(lab.engines["m"]) == 1 and lab.engine("m").loads == 1
    assert {id(lease.engine) for lease in leases} == {id(lab.engine("m"))}
    assert lab.kinds() == ["loading:m", "loaded:m"]
    assert lab.scheduler.snapshot()[0].refs == 0


def test_a_second_model_waits_for_the_first_to_finish_loading(
    make_lab: Callable[..., Lab],
) -> None:
    lab = make_lab()
    gate = lab.load_gates["a"] = threading.Event()
    first = start(lambda: lab.scheduler.acquire("a").release(), "test-request-a")
    wait_for(lambda: lab.engines["a"] and lab.engine("a").load_started.is_set(), "a loads")
    second = start(lambda: lab.scheduler.acquire("b").release(), "test-request-b")
    wait_for(lambda: lab.waiting("b") == 1, "b is requested")
    second.join(0.2)
    assert second.is_alive() and "b" not in lab.engines  # not even built: no overlap
    gate.set()
    join_all([first, second])
    assert lab.max_loading == 1 and lab.loaded() == ["a", "b"]


def test_many_requests_for_many_models_never_overlap_loads(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab()
    lab.load_s = 0.01
    names = [f"m{i}" for i in range(6)]
    together = threading.Barrier(len(names) * 3)
    errors: list[BaseException] = []

    def request(name: str) -> None:
        together.wait(WAIT_S)
        try:
            with lab.scheduler.acquire(name):
                pass
        except BaseException as exc:
            errors.append(exc)

    threads = [
        start(functools.partial(request, name), f"test-request-{name}-{i}")
        for name in names
        for i in range(3)
    ]
    join_all(threads)
    assert errors == [] and lab.max_loading == 1
    assert [(len(lab.engines[n]), lab.engine(n).loads) for n in names] == [(1, 1)] * len(names)
    assert lab.loaded() == names


def test_a_request_arriving_during_an_unload_waits_and_loads_again(
    make_lab: Callable[..., Lab],
) -> None:
    lab = make_lab(default_ttl_s=10)
    lab.use("m")
    engine = lab.engine("m")
    gate = lab.unload_gates["m"] = threading.Event()
    lab.clock.advance(10)
    ticker = start(lab.scheduler.tick, "test-tick")
    assert engine.unload_started.wait(WAIT_S)
    seen: list[tuple[bool, bool, int]] = []

    def request() -> None:
        with lab.scheduler.acquire("m") as lease:
            seen.append((lease.engine.loaded, engine.unloading, engine.loads))

    late = start(request, "test-request")
    late.join(0.2)
    assert late.is_alive() and lab.state("m") == "unloading" and seen == []
    gate.set()
    join_all([ticker, late])
    assert seen == [(True, False, 2)]  # the same engine, fully unloaded, then loaded again
    assert engine.unloads == 1 and lab.engines["m"] == [engine]
    cycle = ["loading:m", "loaded:m", "unloading:m", "unloaded:m"]
    assert lab.kinds() == [*cycle, "loading:m", "loaded:m"]


def test_requests_waiting_on_a_failing_load_share_its_error(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab()
    lab.failures["m"] = [EngineLoadError("bad magic."), EngineLoadError("bad magic.")]
    gate = lab.load_gates["m"] = threading.Event()
    errors: list[BaseException] = []

    def request() -> None:
        try:
            lab.scheduler.acquire("m").release()
        except BaseException as exc:
            errors.append(exc)

    threads = [start(request, f"test-request-{i}") for i in range(4)]
    wait_for(lambda: lab.waiting("m") == 4, "all four requests wait")
    gate.set()
    join_all(threads)
    assert len(errors) == 4 and all(isinstance(e, EngineLoadError) for e in errors)
    assert len({str(e) for e in errors}) == 1
    assert len(lab.engines["m"]) == 2  # one load and one retry, not two per request


def test_close_during_a_load_ends_every_waiting_request(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab()
    lab.load_gates["m"] = threading.Event()  # never opened: close() abandons the load
    errors: list[BaseException] = []

    def request(name: str) -> None:
        try:
            lab.scheduler.acquire(name).release()
        except BaseException as exc:
            errors.append(exc)

    loading = start(lambda: request("m"), "test-request-m")
    wait_for(lambda: lab.engines["m"] and lab.engine("m").load_started.is_set(), "m loads")
    queued = start(lambda: request("other"), "test-request-other")
    wait_for(lambda: lab.waiting("other") == 1, "other waits for its turn")
    assert lab.scheduler.close(WAIT_S)
    join_all([loading, queued])
    assert [type(e) for e in errors] == [EngineClosedError, EngineClosedError]
    assert "other" not in lab.engines and not lab.engine("m").loaded


def test_the_ttl_timer_unloads_idle_models_and_stops(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab(default_ttl_s=5)
    lab.use("m")
    lab.scheduler.run_timer(0.01)
    lab.scheduler.run_timer(0.01)  # a second call keeps the one timer
    timers = [t for t in threading.enumerate() if t.name == "scheduler-ttl"]
    assert len(timers) == 1 and timers[0].daemon
    lab.clock.advance(5)
    wait_for(lambda: lab.loaded() == [], "the timer unloads the idle model")
    assert lab.scheduler.stop(WAIT_S) and not timers[0].is_alive()
    lab.scheduler.run_timer(0.01)  # it can run again after stop()
    assert lab.scheduler.close(WAIT_S)
    assert not [t for t in threading.enumerate() if t.name == "scheduler-ttl"]
