"""Shared pieces of the benchmark suite: the model, medians, a bare llama-cpp-python loop."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aurora_desktop.app.wiring import Core
from aurora_desktop.core.hardware import physical_cores

REPS = 5
PROMPT = "Write a detailed paragraph about how lighthouses guided ships before GPS existed."


def median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def ensure_default_model(core: Core) -> Path:
    name = core.catalog().default_llm
    if core.store.active(name) is None:
        core.store.install(core.catalog().get(name))
    return core.store.ready_for_load(name).main_path


def bare_llama(path: Path, n_ctx: int = 2048) -> Any:
    from llama_cpp import Llama

    threads = physical_cores()
    return Llama(
        model_path=str(path),
        n_ctx=n_ctx,
        n_threads=threads,
        n_threads_batch=threads,
        seed=0,
        verbose=False,
    )


@dataclass
class StreamTiming:
    ttft_ms: float
    decode_tok_s: float
    tokens: int


def bare_stream(llm: Any, prompt: str, max_tokens: int) -> StreamTiming:
    """The plain llama-cpp-python way: create_chat_completion(stream=True), same sampling."""
    started = time.perf_counter()
    stamps: list[float] = []
    for chunk in llm.create_chat_completion(
        messages=[{"role": "user", "content": prompt}],
        max_tokens=max_tokens,
        temperature=0.0,
        top_k=40,
        top_p=0.95,
        repeat_penalty=1.1,
        stream=True,
    ):
        if chunk["choices"][0]["delta"].get("content"):
            stamps.append(time.perf_counter())
    return _timing(started, stamps)


def callback_stream(run: Callable[[Callable[[str], None]], Any]) -> StreamTiming:
    """Time a run that streams through a token callback."""
    stamps: list[float] = []
    started = time.perf_counter()
    run(lambda _piece: stamps.append(time.perf_counter()))
    return _timing(started, stamps)


def _timing(started: float, stamps: list[float]) -> StreamTiming:
    if not stamps:
        return StreamTiming(0.0, 0.0, 0)
    decode = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0
    return StreamTiming((stamps[0] - started) * 1000.0, decode, len(stamps))
