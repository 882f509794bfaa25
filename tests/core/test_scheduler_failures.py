"""How the scheduler classifies a failed load and words what it tells the user."""

from __future__ import annotations

import pytest

from aurora_desktop.core.errors import EngineLoadError
from aurora_desktop.core.scheduler.failures import (
    FREE_MEMORY,
    cause_text,
    gigabytes,
    is_memory_failure,
    load_failure_message,
    memory_warning,
    refusal_message,
    timeout_cause,
)

GB = 10**9

MEMORY: list[tuple[str, BaseException, bool]] = [
    ("MemoryError", MemoryError(), True),
    ("MemoryError with text", MemoryError("cannot allocate"), True),
    ("naming memory", EngineLoadError("cannot allocate memory for the KV cache"), True),
    ("any case", RuntimeError("Out Of Memory"), True),
    ("a corrupt file", EngineLoadError("invalid magic number in model.gguf"), False),
    ("a timeout", TimeoutError(), False),
    ("an OS error", OSError("No such file or directory"), False),
]  # fmt: skip


@pytest.mark.parametrize(("exc", "expected"), [c[1:] for c in MEMORY], ids=[c[0] for c in MEMORY])
def test_is_memory_failure(exc: BaseException, expected: bool) -> None:
    assert is_memory_failure(exc) is expected


GIGABYTES: list[tuple[int, int, tuple[str, str]]] = [
    (int(1.2 * GB), int(0.4 * GB), ("1.2 GB", "0.4 GB")),
    (int(1.04 * GB), int(1.0 * GB), ("1.04 GB", "1.00 GB")),
    (int(1.0004 * GB), int(1.0 * GB), ("1.000 GB", "1.000 GB")),
    (8 * GB, 0, ("8.0 GB", "0.0 GB")),
]


@pytest.mark.parametrize(("need", "free", "expected"), GIGABYTES)
def test_gigabytes_show_a_difference_when_there_is_one(
    need: int, free: int, expected: tuple[str, str]
) -> None:
    assert gigabytes(need, free) == expected


def test_refusal_when_everything_loaded_is_busy_names_both_figures_and_a_way_out() -> None:
    message = refusal_message(
        "qwen", need_bytes=int(1.2 * GB), free_bytes=int(0.4 * GB), idle_bytes=0
    )
    assert message == (
        "Loading qwen needs 1.2 GB but only 0.4 GB is free, and every loaded model is in use "
        "or pinned; close other programs or unpin a model."
    )


def test_refusal_when_idle_models_would_not_free_enough() -> None:
    message = refusal_message(
        "qwen", need_bytes=4 * GB, free_bytes=1 * GB, idle_bytes=int(0.5 * GB)
    )
    assert "needs 4.0 GB but only 1.0 GB is free" in message
    assert "would free just 0.5 GB more" in message
    assert message.endswith("choose a smaller one.")


def test_failure_sentences_name_the_model_and_the_cause() -> None:
    cause = EngineLoadError("llama.cpp could not load m.gguf (bad magic).")
    assert cause_text(cause) == "llama.cpp could not load m.gguf (bad magic)"
    assert cause_text(MemoryError()) == "MemoryError"
    message = load_failure_message("smol", cause)
    assert message == (
        "smol could not be loaded, even on a second try (llama.cpp could not load m.gguf "
        "(bad magic)); reinstall the model or choose another one."
    )
    assert load_failure_message("smol", MemoryError(), advice=FREE_MEMORY) == (
        "smol could not be loaded, even on a second try (MemoryError); "
        "close other programs or choose a smaller model."
    )
    assert timeout_cause(120.0) == "loading took longer than 120 s"


def test_memory_warning_says_what_was_unloaded_and_how_it_ended() -> None:
    loaded = memory_warning("x", evicted=("a", "b"), loaded=True)
    assert "unloaded a, b and loaded it on a second try" in loaded
    failed = memory_warning("x", evicted=(), loaded=False)
    assert "tried again without success" in failed
    assert "unloaded" not in failed
