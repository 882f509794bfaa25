"""The in-process llama.cpp engine against the real SmolLM2 model: streaming and cancel."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine
from aurora_desktop.core.errors import EngineLoadError, RequestError
from aurora_desktop.core.hardware import physical_cores
from aurora_desktop.core.paths import AuroraHome

pytestmark = pytest.mark.model
QUESTION = (Message("user", "Write three sentences about the sea."),)


@pytest.fixture
def engine(model_home: AuroraHome) -> Iterator[LlamaCppEngine]:
    core = build_core()
    installed = core.store.ready_for_load(core.catalog().default_llm)
    engine = LlamaCppEngine(installed.main_path, model_name="SmolLM2-135M-Instruct", n_ctx=512)
    engine.load().result(timeout=60)
    yield engine
    assert engine.close(timeout=30)


def test_streams_tokens_from_its_own_thread(engine: LlamaCppEngine) -> None:
    pieces: list[str] = []
    threads: set[str] = set()

    def on_token(piece: str) -> None:
        pieces.append(piece)
        threads.add(threading.current_thread().name)

    result = engine.generate(QUESTION, max_tokens=40, temperature=0.0, on_token=on_token).result(
        timeout=60
    )
    assert result.tokens_out > 0
    assert result.text.strip()
    assert "".join(pieces).strip() == result.text.strip()
    assert len(pieces) > 1  # streamed, not delivered whole
    assert threads == {engine.thread.name} and engine.thread is not threading.main_thread()
    assert result.tokens_in > len(QUESTION[0].content.split())
    assert result.decode_tok_s > 0
    assert result.finish_reason in ("stop", "length")


def test_token_limit_is_respected(engine: LlamaCppEngine) -> None:
    result = engine.generate(QUESTION, max_tokens=5, temperature=0.0).result(timeout=60)
    assert result.tokens_out == 5
    assert result.finish_reason == "length"


def test_callback_returning_false_stops_within_one_token(engine: LlamaCppEngine) -> None:
    seen: list[str] = []

    def stop_after_three(piece: str) -> bool:
        seen.append(piece)
        return len(seen) < 3

    result = engine.generate(
        QUESTION, max_tokens=200, temperature=0.0, on_token=stop_after_three
    ).result(timeout=60)
    assert result.finish_reason == "cancelled"
    assert len(seen) == 3
    assert result.tokens_out <= 4


def test_cancel_event_from_another_thread_stops_generation(engine: LlamaCppEngine) -> None:
    cancel = threading.Event()
    first = threading.Event()

    def on_token(piece: str) -> None:
        first.set()

    future = engine.generate(
        QUESTION, max_tokens=400, temperature=0.8, on_token=on_token, cancel=cancel
    )
    assert first.wait(60)
    cancel.set()
    result = future.result(timeout=60)
    assert result.finish_reason == "cancelled"
    assert result.tokens_out < 400


def test_same_conversation_gives_the_same_greedy_answer(engine: LlamaCppEngine) -> None:
    """The reused KV cache must not change what the model says."""
    first = engine.generate(QUESTION, max_tokens=20, temperature=0.0).result(timeout=60)
    second = engine.generate(QUESTION, max_tokens=20, temperature=0.0).result(timeout=60)
    assert first.text == second.text


def test_prompt_longer_than_the_context_is_refused(engine: LlamaCppEngine) -> None:
    long = (Message("user", "word " * 2000),)
    with pytest.raises(RequestError, match="reads at most 512"):
        engine.generate(long, max_tokens=10, temperature=0.0).result(timeout=60)


def test_uses_one_thread_per_physical_core(engine: LlamaCppEngine) -> None:
    assert engine.n_threads == physical_cores() >= 1


def test_corrupt_file_fails_with_a_load_error(tmp_path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 64)
    engine = LlamaCppEngine(bad, model_name="bad")
    try:
        with pytest.raises(EngineLoadError, match=r"could not load bad\.gguf"):
            engine.load().result(timeout=60)
    finally:
        assert engine.close(timeout=10)
