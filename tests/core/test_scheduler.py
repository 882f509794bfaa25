"""ModelScheduler on fake engines, a fake clock and a fake memory budget: leases, TTLs and
keep_alive, pins, the warm set, eviction, failures, events, snapshot and close."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from aurora_desktop.core.errors import EngineClosedError, EngineError, EngineLoadError, ModelError
from aurora_desktop.core.scheduler.events import SchedulerEvent
from tests.core.test_scheduler_kit import GB, WAIT_S, Lab, lab_factory


@pytest.fixture
def make_lab() -> Iterator[Callable[..., Lab]]:
    with lab_factory() as make:
        yield make


# -- leases and refcounts ----------------------------------------------------------------------


def test_the_first_request_loads_and_later_ones_reuse_the_engine(
    make_lab: Callable[..., Lab],
) -> None:
    lab = make_lab()
    with lab.scheduler.acquire("m") as lease:
        assert lease.engine is lab.engine("m") and lease.engine.loaded
        assert [(s.refs, s.state) for s in lab.scheduler.snapshot()] == [(1, "loaded")]
        with lab.scheduler.acquire("m") as second:
            assert second.engine is lease.engine
            assert lab.scheduler.snapshot()[0].refs == 2
    assert lab.scheduler.snapshot()[0].refs == 0
    lab.use("m")
    assert len(lab.engines["m"]) == 1 and lab.engine("m").loads == 1


def test_release_is_idempotent_and_stamps_last_use(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab()
    lease = lab.scheduler.acquire("m")
    lab.clock.advance(42)
    lease.release()
    lease.release()
    (state,) = lab.scheduler.snapshot()
    assert (state.refs, state.last_used) == (0, lab.clock.now)


def test_a_model_in_use_is_never_unloaded_by_tick_or_eviction(
    make_lab: Callable[..., Lab],
) -> None:
    lab = make_lab(total_gb=2.5, ram_gb={"busy": 1.5, "other": 1.5})
    with lab.scheduler.acquire("busy", keep_alive_s=0):
        lab.clock.advance(10**6)
        assert lab.scheduler.tick() == ()
        with pytest.raises(EngineLoadError, match="every loaded model is in use or pinned"):
            lab.scheduler.acquire("other")
        assert lab.loaded() == ["busy"] and lab.engine("busy").unloads == 0
    assert lab.loaded() == []  # keep_alive 0: unloaded as soon as the last lease went


# -- idle TTL and keep_alive -------------------------------------------------------------------

# (id, keep_alive_s, seconds idle, unloaded by tick)
TTLS: list[tuple[str, float | None, float, bool]] = [
    ("default TTL, not yet", None, 599, False),
    ("default TTL reached", None, 600, True),
    ("keep_alive shortens it, not yet", 30, 29, False),
    ("keep_alive shortens it, reached", 30, 30, True),
    ("keep_alive lengthens it", 3600, 3599, False),
    ("negative keep_alive never expires", -1, 10**7, False),
]


@pytest.mark.parametrize(
    ("keep_alive", "idle", "unloaded"), [c[1:] for c in TTLS], ids=[c[0] for c in TTLS]
)
def test_idle_ttl(
    make_lab: Callable[..., Lab], keep_alive: float | None, idle: float, unloaded: bool
) -> None:
    lab = make_lab()
    lab.use("m", keep_alive_s=keep_alive)
    lab.clock.advance(idle)
    assert lab.scheduler.tick() == (("m",) if unloaded else ())
    assert lab.loaded() == ([] if unloaded else ["m"])
    assert lab.engine("m").loaded is not unloaded


def test_keep_alive_zero_unloads_when_the_last_lease_goes(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab()
    outer = lab.scheduler.acquire("m", keep_alive_s=0)
    lab.use("m")
    assert lab.loaded() == ["m"]
    outer.release()
    assert lab.loaded() == [] and lab.engine("m").unloads == 1


def test_keep_alive_holds_from_then_on(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab()
    lab.use("m", keep_alive_s=30)
    lab.use("m")  # no keep_alive: the 30 s set before still applies
    assert lab.scheduler.snapshot()[0].ttl_s == 30
    lab.clock.advance(30)
    assert lab.scheduler.tick() == ("m",)


def test_tick_unloads_only_the_expired_models_oldest_first(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab(default_ttl_s=100)
    lab.use("a", "b", "c")
    lab.use("c", keep_alive_s=-1)
    lab.clock.advance(97)
    assert lab.scheduler.tick() == ("a",)
    lab.clock.advance(1)
    assert lab.scheduler.tick() == ("b",)
    assert lab.loaded() == ["c"]


def test_events_for_a_load_and_unload_cycle(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab(default_ttl_s=60)
    lab.use("m")
    loaded_at = lab.clock.now
    lab.clock.advance(60)
    lab.scheduler.tick()
    assert lab.kinds() == ["loading:m", "loaded:m", "unloading:m", "unloaded:m"]
    assert [e.at for e in lab.events] == [loaded_at] * 2 + [loaded_at + 60] * 2
    assert lab.events[2].detail == "Unloading m after 60 s idle."


# -- pins and the warm set ---------------------------------------------------------------------


def test_a_pinned_model_stays_until_unpinned(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab(total_gb=2.5, ram_gb={"p": 1.5, "other": 1.5}, default_ttl_s=600)
    lab.scheduler.pin("p")
    assert lab.loaded() == ["p"] and lab.scheduler.snapshot()[0].pinned
    lab.clock.advance(10**6)
    assert lab.scheduler.tick() == ()
    with pytest.raises(EngineLoadError, match="unpin a model"):
        lab.scheduler.acquire("other")
    assert lab.loaded() == ["p"]
    lab.scheduler.unpin("p")
    lab.clock.advance(599)
    assert lab.scheduler.tick() == ()  # the TTL counts from the unpin
    lab.clock.advance(1)
    assert lab.scheduler.tick() == ("p",)


def test_unload_on_request_unpins_and_waits_for_requests_in_flight(
    make_lab: Callable[..., Lab],
) -> None:
    lab = make_lab(total_gb=4, ram_gb={"p": 1.5}, default_ttl_s=600)
    lab.scheduler.pin("p")
    lease = lab.scheduler.acquire("p")
    assert lab.scheduler.unload("p") is False  # a request still holds it
    assert lab.loaded() == ["p"] and not lab.scheduler.snapshot()[0].pinned
    lease.release()
    assert lab.scheduler.unload("p") is True
    assert lab.loaded() == []
    assert lab.events[-2].detail == "Unloading p because it was asked to."
    assert lab.scheduler.unload("never-loaded") is True


def test_pinning_a_model_that_fails_to_load_leaves_it_unpinned(
    make_lab: Callable[..., Lab],
) -> None:
    lab = make_lab()
    lab.failures["p"] = [EngineLoadError("bad file"), EngineLoadError("bad file")]
    with pytest.raises(EngineLoadError):
        lab.scheduler.pin("p")
    assert not lab.scheduler.snapshot()[0].pinned


def test_the_warm_set_loads_at_start_and_does_not_expire(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab(warm=("w1", "w2"), default_ttl_s=10)
    assert [(s.name, s.state, s.warm) for s in lab.scheduler.snapshot()] == [
        ("w1", "unloaded", True),
        ("w2", "unloaded", True),
    ]
    assert lab.scheduler.start_warm() == ()
    lab.use("cold")
    lab.clock.advance(10**6)
    assert lab.scheduler.tick() == ("cold",)
    assert lab.loaded() == ["w1", "w2"]


def test_start_warm_reports_the_models_it_could_not_load(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab(warm=("ok", "huge"), ram_gb={"huge": 64})
    assert lab.scheduler.start_warm() == ("huge",)
    assert lab.loaded() == ["ok"]
    assert lab.kinds("huge") == ["warning:huge"]


# -- settings changed while running ------------------------------------------------------------


def test_a_new_idle_time_applies_to_loaded_models_but_not_to_a_keep_alive(
    make_lab: Callable[..., Lab],
) -> None:
    lab = make_lab(default_ttl_s=600)
    lab.use("a")
    lab.use("kept", keep_alive_s=30)
    lab.clock.advance(20)
    lab.scheduler.configure(default_ttl_s=60, warm=())
    assert {s.name: s.ttl_s for s in lab.scheduler.snapshot()} == {"a": 60, "kept": 30}
    lab.use("later")  # a model first used after the change gets the new time too
    assert lab.scheduler.snapshot()[-1].ttl_s == 60
    lab.clock.advance(10)  # "kept" idle 30 s: its own keep_alive ran out
    assert lab.scheduler.tick() == ("kept",)
    lab.clock.advance(30)  # "a" idle 60 s: the new idle time ran out (not the old 600 s)
    assert lab.scheduler.tick() == ("a",)
    assert lab.loaded() == ["later"]


def test_models_join_and_leave_the_warm_set_while_running(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab(warm=("w1",), default_ttl_s=10)
    assert lab.scheduler.start_warm() == ()
    lab.scheduler.configure(default_ttl_s=10, warm=("w2",))
    assert [(s.name, s.warm) for s in lab.scheduler.snapshot()] == [("w1", False), ("w2", True)]
    assert lab.loaded() == ["w1"]  # joining does not load by itself
    assert lab.scheduler.start_warm() == ()
    assert lab.loaded() == ["w1", "w2"] and lab.engine("w1").loads == 1
    lab.clock.advance(10**6)
    assert lab.scheduler.tick() == ("w1",)  # it left the warm set, so it may expire now
    assert lab.loaded() == ["w2"]


# -- admission by memory -----------------------------------------------------------------------


def test_lru_eviction_under_a_memory_budget(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab(total_gb=4, ram_gb={"a": 1.5, "b": 1.5, "c": 1.5})
    lab.use("a", "b")
    lab.use("c")  # 1 GB free: a, the least recently used, makes room
    assert lab.loaded() == ["b", "c"]
    assert lab.events[-4].detail == "Unloading a to make room for c."
    lab.use("b", "a")  # now c is the least recently used
    assert lab.loaded() == ["a", "b"]
    assert (lab.engine("a").loads, lab.engine("a").unloads, len(lab.engines["a"])) == (2, 1, 1)


def test_warm_models_are_evicted_only_after_the_others(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab(total_gb=4, ram_gb={"w": 1.5, "a": 1.5, "b": 1.5}, warm=("w",))
    lab.scheduler.start_warm()
    lab.use("a", "b")  # the warm w is older than a, yet a goes
    assert lab.loaded() == ["b", "w"]
    lab.use("big")
    assert lab.loaded() == ["b", "big", "w"]
    lab.scheduler.pin("b")
    with lab.scheduler.acquire("big"):
        lab.use("a")  # b is pinned and big in use: only the warm model is left to evict
        assert lab.loaded() == ["a", "b", "big"]


def test_refusal_says_how_much_is_needed_and_free(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab(total_gb=2, ram_gb={"a": 1.6, "b": 1.2})
    with lab.scheduler.acquire("a"), pytest.raises(EngineLoadError) as caught:
        lab.scheduler.acquire("b")
    assert str(caught.value) == (
        "Loading b needs 1.2 GB but only 0.4 GB is free, and every loaded model is in use "
        "or pinned; close other programs or unpin a model."
    )
    assert "b" not in lab.engines  # nothing was built, so nothing can linger in memory
    assert lab.state("b") == "unloaded"
    assert lab.events[-1].kind == "warning" and lab.events[-1].detail == str(caught.value)


def test_refusal_when_unloading_idle_models_would_not_be_enough(
    make_lab: Callable[..., Lab],
) -> None:
    lab = make_lab(total_gb=3, ram_gb={"a": 1, "big": 3.5})
    lab.use("a")
    with pytest.raises(EngineLoadError, match=r"would free just 1\.0 GB more"):
        lab.scheduler.acquire("big")
    assert lab.loaded() == ["a"]  # nothing is unloaded for a load that cannot happen anyway


# -- failures ----------------------------------------------------------------------------------


def test_a_failed_load_is_retried_once_with_a_fresh_engine(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab()
    lab.failures["m"] = [EngineLoadError("The file is damaged.")]
    with lab.scheduler.acquire("m") as lease:
        first, second = lab.engines["m"]
        assert lease.engine is second and second.loaded
    assert first.closes == 1 and not first.loaded
    assert lab.kinds() == ["loading:m", "failed:m", "loading:m", "loaded:m"]


def test_a_load_failing_twice_raises_and_leaves_nothing_loaded(
    make_lab: Callable[..., Lab],
) -> None:
    lab = make_lab()
    lab.failures["m"] = [EngineLoadError("bad magic."), EngineLoadError("bad magic.")]
    with pytest.raises(EngineLoadError) as caught:
        lab.scheduler.acquire("m")
    assert str(caught.value) == (
        "m could not be loaded, even on a second try (bad magic); "
        "reinstall the model or choose another one."
    )
    assert [(e.loaded, e.closes) for e in lab.engines["m"]] == [(False, 1), (False, 1)]
    assert lab.kinds() == ["loading:m", "failed:m", "loading:m", "failed:m"]
    (state,) = lab.scheduler.snapshot()
    assert (state.state, state.error, state.refs, state.memory_bytes) == (
        "failed",
        "bad magic",
        0,
        0,
    )
    lab.use("m")  # the next request tries again from scratch
    assert len(lab.engines["m"]) == 3 and lab.loaded() == ["m"]


def test_a_load_that_hangs_times_out_and_is_closed(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab(load_timeout_s=0.1)
    lab.load_gates["m"] = threading.Event()  # never opened
    with pytest.raises(EngineLoadError, match=r"loading took longer than 0\.1 s\); close") as e:
        lab.scheduler.acquire("m")
    assert str(e.value).endswith("close other programs or choose a smaller model.")
    assert [e.closes for e in lab.engines["m"]] == [1, 1]
    assert not any(e.thread.is_alive() for e in lab.engines["m"])


@pytest.mark.parametrize(
    "error",
    [MemoryError(), EngineLoadError("llama.cpp could not allocate memory for the KV cache.")],
    ids=["MemoryError", "message"],
)
def test_a_load_out_of_memory_evicts_every_idle_model_retries_and_warns(
    make_lab: Callable[..., Lab], error: BaseException
) -> None:
    lab = make_lab(warm=("w",))
    lab.scheduler.start_warm()
    lab.use("a", "b")
    lab.scheduler.pin("p")
    lab.failures["x"] = [error]
    with lab.scheduler.acquire("busy"), lab.scheduler.acquire("x"):
        assert lab.loaded() == ["busy", "p", "x"]
    assert lab.kinds("x") == ["loading:x", "failed:x", "loading:x", "loaded:x", "warning:x"]
    assert lab.events[-1].detail == (
        "x ran out of memory while loading, so Aurora unloaded a, b, w and loaded it on a "
        "second try; close other programs to keep it from happening again."
    )


def test_a_load_out_of_memory_twice_warns_and_raises(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab()
    lab.use("a")
    lab.failures["x"] = [MemoryError(), MemoryError()]
    with pytest.raises(EngineLoadError, match="x could not be loaded") as caught:
        lab.scheduler.acquire("x")
    assert str(caught.value).endswith("close other programs or choose a smaller model.")
    assert lab.loaded() == []
    assert lab.kinds()[-2:] == ["failed:x", "warning:x"]
    assert "tried again without success" in lab.events[-1].detail


def test_a_factory_error_is_not_retried(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab()
    lab.factory_errors["m"] = ModelError("m is not installed; install it from Settings.")
    with pytest.raises(ModelError, match="not installed"):
        lab.scheduler.acquire("m")
    assert lab.kinds() == ["failed:m"] and lab.state("m") == "failed"
    assert "m" not in lab.engines


def test_an_engine_that_fails_to_unload_is_closed_and_replaced(
    make_lab: Callable[..., Lab],
) -> None:
    lab = make_lab(default_ttl_s=1)
    lab.use("m")
    broken = lab.engine("m")
    lab.unload_failures["m"] = EngineError("The engine thread crashed.")
    lab.clock.advance(1)
    assert lab.scheduler.tick() == ("m",)
    assert broken.closes == 1 and lab.state("m") == "failed"
    assert lab.kinds()[-2:] == ["unloading:m", "failed:m"]
    del lab.unload_failures["m"]
    lab.use("m")
    assert lab.engine("m") is not broken and lab.loaded() == ["m"]


def test_report_failure_drops_the_engine_and_the_next_request_builds_a_fresh_one(
    make_lab: Callable[..., Lab],
) -> None:
    lab = make_lab()
    with lab.scheduler.acquire("m") as lease:
        broken = lease.engine
        assert lease.fail(RuntimeError("decode hung."))
        assert not lease.fail(RuntimeError("again"))  # already dropped
    assert lab.engines["m"] == [broken] and broken.closes == 1 and not broken.loaded
    (state,) = lab.scheduler.snapshot()
    assert (state.state, state.refs, state.error) == ("failed", 0, "decode hung")
    assert lab.kinds()[-2:] == ["failed:m", "unloaded:m"]
    with lab.scheduler.acquire("m") as lease:
        assert lease.engine is not broken and lease.engine.loaded
    assert lab.scheduler.snapshot()[0].refs == 0


def test_report_failure_about_an_engine_already_replaced_is_ignored(
    make_lab: Callable[..., Lab],
) -> None:
    lab = make_lab()
    stale = lab.scheduler.acquire("m")
    assert lab.scheduler.report_failure("m", RuntimeError("boom"))
    lab.use("m")
    assert not stale.fail(RuntimeError("late report"))
    stale.release()  # a lease of the dropped engine does not touch the new one's count
    assert lab.loaded() == ["m"] and lab.scheduler.snapshot()[0].refs == 0
    assert not lab.scheduler.report_failure("unknown", RuntimeError("boom"))


# -- events, snapshot, close -------------------------------------------------------------------


def test_events_are_published_with_no_lock_held(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab(default_ttl_s=1)
    blocked: list[bool] = []

    def look_from_another_thread(_: SchedulerEvent) -> None:
        reader = threading.Thread(target=lab.scheduler.snapshot, name="test-reader")
        reader.start()
        reader.join(WAIT_S)
        blocked.append(reader.is_alive())

    lab.listener = look_from_another_thread
    lab.use("m")
    lab.clock.advance(1)
    lab.scheduler.tick()
    assert blocked == [False] * 4


def test_a_failing_listener_does_not_break_the_scheduler(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab()

    def explode(_: SchedulerEvent) -> None:
        raise RuntimeError("listener bug")

    lab.listener = explode
    lab.use("m")
    assert lab.loaded() == ["m"] and lab.scheduler.snapshot()[0].refs == 0


def test_snapshot_describes_every_model(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab(warm=("w",), ram_gb={"m": 2})
    lease = lab.scheduler.acquire("m", keep_alive_s=30)
    lab.scheduler.pin("m")
    (m, w) = lab.scheduler.snapshot()
    assert (m.name, m.state, m.refs, m.pinned, m.warm, m.ttl_s, m.memory_bytes) == (
        "m", "loaded", 1, True, False, 30, 2 * GB
    )  # fmt: skip
    assert (w.name, w.state, w.warm, w.ttl_s, w.memory_bytes) == ("w", "unloaded", True, 600, 0)
    lease.release()


def test_close_unloads_everything_and_refuses_new_requests(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab()
    lab.use("a", "b")
    held = lab.scheduler.acquire("a")
    assert lab.scheduler.close(WAIT_S)
    assert all(e.closes == 1 and not e.loaded for e in lab.engines["a"] + lab.engines["b"])
    assert lab.kinds()[-2:] == ["unloaded:a", "unloaded:b"]
    held.release()
    for call in (lambda: lab.scheduler.acquire("a"), lambda: lab.scheduler.pin("b")):
        with pytest.raises(EngineClosedError, match="restart Aurora"):
            call()
    assert lab.scheduler.tick() == () and lab.loaded() == []
