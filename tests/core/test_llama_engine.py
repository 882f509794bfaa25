"""The in-process llama.cpp engine against the real SmolLM2 model: streaming and cancel."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines import llama_inproc
from aurora_desktop.core.engines.base import Constraint
from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine
from aurora_desktop.core.errors import EngineLoadError, RequestError
from aurora_desktop.core.hardware import physical_cores
from aurora_desktop.core.threads import STEADY_WINDOW_S, Reading, ThreadPolicy

pytestmark = pytest.mark.model
QUESTION = (Message("user", "Write three sentences about the sea."),)


@pytest.fixture
def engine(default_llm_file: Path) -> Iterator[LlamaCppEngine]:
    engine = LlamaCppEngine(default_llm_file, model_name="SmolLM2-135M-Instruct", n_ctx=512)
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


COPY = (
    Message(
        "user",
        "Repeat this sentence exactly, twice: The committee approved the budget for the new "
        "library on Tuesday, and construction starts in the spring of next year.",
    ),
)


def test_prompt_lookup_gives_the_plain_greedy_text(engine: LlamaCppEngine) -> None:
    """Drafting from the prompt changes how many steps decoding takes, never the text."""
    plain = engine.generate(COPY, max_tokens=80, temperature=0.0).result(timeout=60)
    drafted = engine.generate(
        COPY, max_tokens=80, temperature=0.0, constraint=Constraint(lookup=True)
    ).result(timeout=60)
    assert drafted.text == plain.text and drafted.tokens_out == plain.tokens_out
    assert plain.drafted == 0
    profile = engine._worker.submit(lambda: engine._draft_profile(engine._llm)).result(60)
    assert profile.batch_cost > 0
    if profile.exact:  # this build evaluates a batch bit-identically: drafts were tried
        assert drafted.drafted > 0 and 0 <= drafted.drafts_kept <= drafted.drafted
    else:  # a build whose batches round differently never drafts
        assert drafted.drafted == 0
    sampled = engine.generate(
        COPY, max_tokens=20, temperature=0.8, constraint=Constraint(lookup=True)
    ).result(timeout=60)
    assert sampled.drafted == 0  # drafts are checked against greedy choices only


class Scripted:
    """A gauge that reports a quiet machine for `quiet` readings, then a busy one."""

    def __init__(self, quiet: int) -> None:
        self.calls, self.quiet = 0, quiet

    def read(self) -> Reading:
        self.calls += 1
        return Reading(0.0 if self.calls <= self.quiet else 2.0, STEADY_WINDOW_S)


def test_threads_drop_mid_generation_when_the_machine_gets_busy(
    default_llm_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(llama_inproc, "RECHECK_S", 0.0)  # re-read the load after every token
    path = default_llm_file
    gauge = Scripted(quiet=2)  # quiet at load and at the prompt, busy from the next check on
    policy = ThreadPolicy(cores=2, gauge=gauge)  # type: ignore[arg-type]
    engine = LlamaCppEngine(path, model_name="SmolLM2", n_ctx=512, threads=policy)
    fixed = LlamaCppEngine(path, model_name="SmolLM2-fixed", n_ctx=512, n_threads=2)
    try:
        adapted = engine.generate(QUESTION, max_tokens=400, temperature=0.0).result(timeout=120)
        steady = fixed.generate(QUESTION, max_tokens=400, temperature=0.0).result(timeout=120)
    finally:
        assert engine.close(timeout=30) and fixed.close(timeout=30)
    assert gauge.calls > adapted.tokens_out >= 10  # read at load, at the prompt, at each token
    assert adapted.threads == 1 and policy.last.decode == 1
    assert steady.threads == 2
    assert adapted.text == steady.text  # the thread count never changes the answer
