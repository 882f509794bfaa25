"""The wrapper the engines share: work on one named thread, futures back, close in order."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import Constraint, GenerationResult, TokenCallback
from aurora_desktop.core.engines.threaded import ThreadedEngine
from aurora_desktop.core.errors import EngineClosedError, EngineLoadError, RequestError

WAIT_S = 5.0


class ProbeEngine(ThreadedEngine):
    """Records which thread ran each step; a generation can be held at a gate."""

    engine_name = "probe"

    def __init__(self, *, fail_open: bool = False) -> None:
        super().__init__(model_name="probe-model", thread_name="engine-probe-model")
        self.fail_open = fail_open
        self.steps: list[tuple[str, str]] = []
        self.released = 0
        self.gate: threading.Event | None = None
        self.unstick = False
        self._open_model: object | None = None

    @property
    def loaded(self) -> bool:
        return self._open_model is not None

    def memory_bytes(self) -> int:
        return 1 if self.loaded else 0

    def _open(self) -> None:
        self.steps.append(("open", threading.current_thread().name))
        if self.fail_open:
            raise EngineLoadError("the probe model would not open")
        self._open_model = object()

    def _unload(self) -> None:
        self.steps.append(("unload", threading.current_thread().name))
        self._open_model = None

    def _generate(
        self,
        messages: tuple[Message, ...],
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        constraint: Constraint,
    ) -> GenerationResult:
        self.steps.append(("generate", threading.current_thread().name))
        if self.gate is not None:
            self.gate.wait(WAIT_S)
        text = " ".join(m.content for m in messages)
        if on_token is not None:
            on_token(text)
        return GenerationResult(
            text=text,
            tokens_in=len(messages),
            tokens_out=max_tokens,
            ttft_ms=0.0,
            decode_ms=0.0,
            finish_reason="cancelled" if cancel.is_set() else "stop",
        )

    def _close_stuck(self) -> bool:
        if not self.unstick or self.gate is None:
            return False
        self.gate.set()
        return self._worker.close(WAIT_S)

    def _release(self) -> None:
        self.released += 1


@pytest.fixture
def probe() -> Iterator[ProbeEngine]:
    engine = ProbeEngine()
    yield engine
    if engine.gate is not None:
        engine.gate.set()
    assert engine.close(WAIT_S)


def test_every_step_runs_on_the_engines_own_named_thread(probe: ProbeEngine) -> None:
    pieces: list[str] = []
    assert probe.load().result(WAIT_S) >= 0.0
    result = probe.generate(
        [Message(role="user", content="hello")],
        max_tokens=3,
        temperature=0.0,
        on_token=lambda piece: pieces.append(piece) is None,
    ).result(WAIT_S)
    probe.unload().result(WAIT_S)

    assert result.text == "hello" and result.finish_reason == "stop" and pieces == ["hello"]
    assert probe.thread.name == "engine-probe-model"
    assert probe.steps == [
        ("open", "engine-probe-model"),
        ("generate", "engine-probe-model"),
        ("unload", "engine-probe-model"),
    ]


def test_a_load_opens_the_model_once_and_says_how_long_it_took(probe: ProbeEngine) -> None:
    assert probe.load().result(WAIT_S) > 0.0
    assert probe.load().result(WAIT_S) == 0.0
    assert [step for step, _ in probe.steps] == ["open"]
    assert probe.loaded and probe.health().ok


def test_a_failed_open_reaches_the_caller_and_the_next_load_tries_again() -> None:
    engine = ProbeEngine(fail_open=True)
    try:
        with pytest.raises(EngineLoadError, match="would not open"):
            engine.load().result(WAIT_S)
        assert not engine.loaded
        engine.fail_open = False
        engine.load().result(WAIT_S)
        assert engine.loaded and [step for step, _ in engine.steps] == ["open", "open"]
    finally:
        assert engine.close(WAIT_S)


def test_health_says_whether_the_model_is_loaded_while_the_thread_runs(
    probe: ProbeEngine,
) -> None:
    assert probe.health().ok and probe.health().detail == "not loaded"
    probe.load().result(WAIT_S)
    assert probe.health().ok and probe.health().detail == "loaded"


def test_close_unloads_after_the_queued_work_and_refuses_work_afterwards() -> None:
    engine = ProbeEngine()
    engine.load().result(WAIT_S)
    queued = engine.generate([Message(role="user", content="last")], max_tokens=1, temperature=0)

    assert engine.close(WAIT_S)
    assert queued.result(0).text == "last"
    assert [step for step, _ in engine.steps] == ["open", "generate", "unload"]
    assert not engine.loaded and not engine.thread.is_alive() and engine.released == 1
    health = engine.health()
    assert not health.ok and health.detail == "The probe-model engine thread has stopped."
    with pytest.raises(EngineClosedError):
        engine.load()
    with pytest.raises(EngineClosedError):
        engine.generate([Message(role="user", content="late")], max_tokens=1, temperature=0)


def test_closing_again_is_safe_and_releases_only_once() -> None:
    engine = ProbeEngine()
    assert engine.close(WAIT_S)
    assert engine.close(WAIT_S)
    assert engine.released == 1


def test_a_stuck_worker_keeps_what_it_holds_until_a_later_close_ends_it() -> None:
    engine = ProbeEngine()
    engine.gate = threading.Event()
    held = engine.generate([Message(role="user", content="slow")], max_tokens=1, temperature=0)

    assert not engine.close(0.05)
    assert engine.released == 0 and engine.thread.is_alive()
    engine.gate.set()
    assert engine.close(WAIT_S)
    assert held.result(0).text == "slow" and engine.released == 1


def test_close_may_unstick_a_worker_that_did_not_end_in_time() -> None:
    engine = ProbeEngine()
    engine.gate, engine.unstick = threading.Event(), True
    engine.generate([Message(role="user", content="slow")], max_tokens=1, temperature=0)

    assert engine.close(0.05)
    assert not engine.thread.is_alive() and engine.released == 1


def test_a_prompt_that_fills_the_context_is_a_request_error(probe: ProbeEngine) -> None:
    assert probe._room(range(10), 12) == 2
    with pytest.raises(RequestError) as caught:
        probe._room(range(2_048), 2_048)
    assert str(caught.value) == (
        "The conversation is 2,048 tokens but probe-model reads at most 2,048; "
        "start a new chat or shorten the prompt."
    )
