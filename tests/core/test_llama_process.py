"""The model-process engine against the real SmolLM2 model: the same answers as llama.cpp
in-process, streaming, cancel, errors carried across, a killed process restarted, and an
unload that ends the process so its memory goes back."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import Constraint
from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine
from aurora_desktop.core.engines.llama_process import LlamaProcessEngine
from aurora_desktop.core.errors import EngineError, EngineLoadError, RequestError
from aurora_desktop.core.threads import ThreadPolicy

pytestmark = pytest.mark.model
QUESTION = (Message("user", "Write three sentences about the sea."),)


@pytest.fixture
def engine(default_llm_file: Path) -> Iterator[LlamaProcessEngine]:
    engine = LlamaProcessEngine(default_llm_file, model_name="SmolLM2-135M-Instruct", n_ctx=512)
    engine.load().result(timeout=120)
    yield engine
    assert engine.close(timeout=30)


def test_answers_as_llama_cpp_in_process_does(
    engine: LlamaProcessEngine, default_llm_file: Path
) -> None:
    pieces: list[str] = []
    grammar = Constraint(grammar='root ::= "yes" | "no"')
    here = LlamaCppEngine(default_llm_file, model_name="SmolLM2-135M-Instruct", n_ctx=512)
    try:
        for constraint in (Constraint(), grammar, Constraint(lookup=True)):
            pieces.clear()
            there = engine.generate(
                QUESTION, max_tokens=30, temperature=0.0, on_token=pieces.append,
                constraint=constraint,
            ).result(timeout=60)  # fmt: skip
            local = here.generate(
                QUESTION, max_tokens=30, temperature=0.0, constraint=constraint
            ).result(timeout=60)
            assert there.text == local.text and there.tokens_out == local.tokens_out
            assert "".join(pieces).strip() == there.text.strip()
        assert engine.count_tokens("hello world").result(timeout=30) == (
            here.count_tokens("hello world").result(timeout=30)
        )
    finally:
        assert here.close(timeout=30)
    assert there.threads >= 1


def test_the_app_process_never_holds_the_model(engine: LlamaProcessEngine) -> None:
    assert engine.loaded and engine.pid is not None and engine.pid != os.getpid()
    child = psutil.Process(engine.pid)
    assert child.memory_info().rss > 50e6  # the weights and the KV cache live there
    assert engine.memory_bytes() > engine_file_size(engine)
    engine.unload().result(timeout=30)
    assert not engine.loaded and engine.memory_bytes() == 0
    assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE


def engine_file_size(engine: LlamaProcessEngine) -> int:
    return engine.model_path.stat().st_size


def test_callback_returning_false_stops_and_the_next_answer_is_whole(
    engine: LlamaProcessEngine,
) -> None:
    seen: list[str] = []

    def stop_at_three(piece: str) -> bool | None:
        seen.append(piece)
        return False if len(seen) >= 3 else None

    stopped = engine.generate(
        QUESTION, max_tokens=60, temperature=0.0, on_token=stop_at_three
    ).result(timeout=60)
    assert stopped.finish_reason == "cancelled" and len(seen) == 3
    assert stopped.tokens_out <= 5  # the child stops within a token or two of being told
    whole = engine.generate(QUESTION, max_tokens=20, temperature=0.0).result(timeout=60)
    assert whole.finish_reason in ("stop", "length") and whole.tokens_out > 3


def test_cancel_event_stops_a_generation(engine: LlamaProcessEngine) -> None:
    cancel = threading.Event()
    pieces: list[str] = []

    def on_token(piece: str) -> None:
        pieces.append(piece)
        if len(pieces) == 2:
            cancel.set()

    result = engine.generate(
        QUESTION, max_tokens=200, temperature=0.0, on_token=on_token, cancel=cancel
    ).result(timeout=60)
    assert result.finish_reason == "cancelled"
    assert result.tokens_out < 20


def test_errors_of_the_model_process_reach_the_caller(engine: LlamaProcessEngine) -> None:
    too_long = (Message("user", "word " * 2000),)
    with pytest.raises(RequestError, match="reads at most 512"):
        engine.generate(too_long, max_tokens=5, temperature=0.0).result(timeout=60)
    assert engine.loaded  # a bad request does not end the process


def test_a_model_process_killed_mid_answer_is_one_sentence_then_restarted(
    engine: LlamaProcessEngine,
) -> None:
    first = engine.pid
    assert first is not None

    def kill_at_first_piece(_piece: str) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(first, signal.SIGKILL)

    with pytest.raises(EngineError, match="ended unexpectedly"):
        engine.generate(
            QUESTION, max_tokens=200, temperature=0.0, on_token=kill_at_first_piece
        ).result(timeout=60)
    again = engine.generate(QUESTION, max_tokens=5, temperature=0.0).result(timeout=60)
    assert again.tokens_out == 5 and engine.pid not in (None, first)


def test_a_model_process_that_died_while_idle_is_replaced_at_the_next_request(
    engine: LlamaProcessEngine,
) -> None:
    first = engine.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while engine.health().ok and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not engine.health().ok and not engine.loaded
    assert "next request" in engine.health().detail
    assert engine.memory_bytes() == 0
    again = engine.generate(QUESTION, max_tokens=5, temperature=0.0).result(timeout=60)
    assert again.tokens_out == 5 and engine.pid not in (None, first)
    assert engine.health().ok


def test_a_file_llama_cpp_cannot_load_is_a_load_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\x00" * 64)
    engine = LlamaProcessEngine(broken, model_name="Broken")
    try:
        with pytest.raises(EngineLoadError, match=r"could not load broken\.gguf"):
            engine.load().result(timeout=120)
        assert not engine.loaded
    finally:
        assert engine.close(timeout=30)


def test_the_fixed_thread_setting_reaches_the_model_process(default_llm_file: Path) -> None:
    setting = [1]
    engine = LlamaProcessEngine(
        default_llm_file,
        model_name="SmolLM2-135M-Instruct",
        n_ctx=512,
        threads=ThreadPolicy(fixed=lambda: setting[0]),
    )
    try:
        one = engine.generate(QUESTION, max_tokens=5, temperature=0.0).result(timeout=120)
        setting[0] = 2
        two = engine.generate(QUESTION, max_tokens=5, temperature=0.0).result(timeout=60)
        assert (one.threads, two.threads) == (1, 2)
    finally:
        assert engine.close(timeout=30)
