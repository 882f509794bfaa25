"""B8: prefill tok/s of a ~1,000-token prompt through Aurora's engine ÷ bare llama-cpp-python."""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

from build_compare import SENTENCES  # the same text the build comparison prefills
from common import REPS, bare_llama, median

from aurora_desktop.app.wiring import Core
from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine
from aurora_desktop.core.hardware import physical_cores

GEMMA = "gemma-3-270m"
PROMPT_TOKENS = 1000


def b8_prefill(core: Core, model_path: Path) -> dict[str, Any]:
    """SmolLM2 (the verdict) and, if installed in the data folder, Gemma 3 270M (reported)."""
    figures = {"smollm2": _measure(model_path)}
    if core.store.active(GEMMA) is not None:
        figures["gemma"] = _measure(core.store.ready_for_load(GEMMA).main_path)
    figures["build"] = build_info()
    return {"verdicts": {"B8": figures["smollm2"]["ratio"]}, "B8": figures}


def _measure(path: Path) -> dict[str, Any]:
    """Interleaved repetitions, each with a fresh prefix (no KV reuse) on both sides."""
    engine = LlamaCppEngine(path, model_name="bench-prefill", n_ctx=2048)
    try:
        engine.load().result()
        body = _body(engine)
        bare = bare_llama(path)  # the plain way: one thread per physical core
        try:
            # The first pair warms both up; the order alternates so neither side always
            # runs right after the other has left the caches (or the CPU) busy.
            rows = [_once(engine, bare, body, bare_first=rep % 2 == 1) for rep in range(REPS + 1)]
            rows = rows[1:]
        finally:
            bare.close()
    finally:
        engine.close()
    aurora = median([r["aurora_tok_s"] for r in rows])
    plain = median([r["bare_tok_s"] for r in rows])
    return {
        # paired: each repetition's ratio, then the median (a busy moment hits both sides)
        "ratio": median([r["aurora_tok_s"] / r["bare_tok_s"] for r in rows]),
        "aurora_tok_s": round(aurora, 1),
        "bare_tok_s": round(plain, 1),
        "prompt_tokens": int(median([r["tokens"] for r in rows])),
        "bare_threads": physical_cores(),
        "aurora_threads": _threads_in_use(engine),
        "model": path.name,
        "runs": rows,
    }


def _body(engine: LlamaCppEngine) -> str:
    """About PROMPT_TOKENS tokens of varied text (the engine's tokenizer counts)."""
    text, index = "", 0
    while engine.count_tokens(text).result() < PROMPT_TOKENS - 40:
        text += f"{index + 1}. {SENTENCES[index % len(SENTENCES)]} "
        index += 1
    return text


def _threads_in_use(engine: LlamaCppEngine) -> list[int] | None:
    """(decode, batch) threads the engine's context ran with last, if it says."""
    in_use = getattr(engine, "_in_use", None)
    return list(in_use) if isinstance(in_use, tuple) else None


def _once(engine: LlamaCppEngine, bare: Any, body: str, bare_first: bool) -> dict[str, Any]:
    """One new prompt (nothing of it cached) through the engine and through the bare loop."""
    nonce = secrets.token_hex(4)
    messages = (
        Message(role="system", content=f"Notes {nonce}. {body}"),
        Message(role="user", content="Which sentence mentions fog?"),
    )
    tokens = engine._worker.submit(lambda: engine._prompt_tokens(messages)[0]).result()

    def bare_prefill() -> float:
        started = time.perf_counter()
        for _token in bare.generate(tokens, temp=0.0, top_k=40, top_p=0.95, repeat_penalty=1.1):
            break
        return time.perf_counter() - started

    bare_s = bare_prefill() if bare_first else 0.0
    result = engine.generate(messages, max_tokens=1, temperature=0.0).result()
    if not bare_first:
        bare_s = bare_prefill()
    return {
        "tokens": result.tokens_in,
        "aurora_tok_s": round(result.tokens_in / (result.ttft_ms / 1000.0), 1),
        "bare_tok_s": round(len(tokens) / bare_s, 1),
    }


def build_info() -> dict[str, Any]:
    """The installed llama-cpp-python: version, CPU backend file in use, features it reports."""
    import llama_cpp

    backends = sorted(
        {
            Path(line.split()[-1]).name
            for line in Path("/proc/self/maps").read_text().splitlines()
            if "libggml-cpu" in line
        }
        if Path("/proc/self/maps").is_file()
        else set()
    )
    return {
        "llama_cpp_python": llama_cpp.__version__,
        "cpu_backend": backends,
        "system_info": llama_cpp.llama_print_system_info().decode(errors="replace").strip(),
    }
