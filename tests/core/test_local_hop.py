"""The local hop: a hung or failing engine is reported to the scheduler and replaced."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future
from types import SimpleNamespace

import pytest

from aurora_desktop.core.contract import Request
from aurora_desktop.core.engines.base import GenerationResult
from aurora_desktop.core.errors import EngineError
from aurora_desktop.core.local_hop import LocalHop
from tests.core.test_scheduler_kit import FakeEngine, Lab


class HangingEngine(FakeEngine):
    """Never finishes a generation until it is told to stop."""

    release = threading.Event()

    def generate(self, messages, **kwargs):
        return self._worker.submit(self._hang)

    def _hang(self) -> GenerationResult:
        self.release.wait(10)
        raise EngineError("stopped")


class CrashingEngine(FakeEngine):
    def generate(self, messages, **kwargs):
        future: Future[GenerationResult] = Future()
        future.set_exception(EngineError("the engine crashed mid-answer"))
        return future


class Store:
    def active(self, name: str) -> object:
        return SimpleNamespace(entry=SimpleNamespace(ram_gb=0.1))


@pytest.fixture
def lab() -> Iterator[Lab]:
    made = Lab(ram_gb={"m": 0.1})
    yield made
    HangingEngine.release.set()
    assert made.scheduler.close(10)
    HangingEngine.release.clear()


def assistant(lab: Lab, engine_class: type[FakeEngine]) -> LocalHop:
    def build(name: str) -> FakeEngine:
        engine = engine_class(lab, name, len(lab.engines[name]) + 1, None)
        lab.engines[name].append(engine)
        return engine

    lab.build = build  # type: ignore[method-assign]
    lab.scheduler._loader._factory = build  # the Lab wired its own factory at construction
    catalog = SimpleNamespace(default_llm="m")
    helper = LocalHop(store=Store(), catalog=lambda: catalog, scheduler=lab.scheduler)  # type: ignore[arg-type]
    return helper


def test_a_hung_generation_times_out_and_the_engine_is_replaced(lab: Lab) -> None:
    helper = assistant(lab, HangingEngine)
    helper.generation_timeout_s = 0.3
    with pytest.raises(EngineError, match=r"did not finish within 0\.3 s and was restarted"):
        helper.run(Request.from_prompt("hi"))
    HangingEngine.release.set()
    assert lab.kinds("m").count("failed:m") == 1
    first = lab.engines["m"][0]
    assert first.closes >= 1  # its memory is released
    with pytest.raises(EngineError):
        helper.run(Request.from_prompt("again"))
    assert len(lab.engines["m"]) == 2  # a fresh engine for the next request


def test_an_engine_error_is_reported_and_the_next_request_gets_a_new_engine(lab: Lab) -> None:
    helper = assistant(lab, CrashingEngine)
    for _ in range(2):
        with pytest.raises(EngineError, match="crashed mid-answer"):
            helper.run(Request.from_prompt("hi"))
    assert len(lab.engines["m"]) == 2
    assert lab.kinds("m").count("failed:m") == 2


def test_keep_alive_zero_unloads_right_after_the_request(lab: Lab) -> None:
    helper = assistant(lab, FakeEngine)
    response = helper.run(Request.from_dict({"prompt": "hi", "keep_alive_s": 0}))
    assert response.text == "ok"
    assert lab.state("m") == "unloaded"
    helper.run(Request.from_prompt("hi"))  # the next request loads it again, and keeps it
    assert lab.state("m") == "loaded"
