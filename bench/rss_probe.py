"""B5's probe, run in a fresh process: resident memory around one load/unload cycle.

`--engine process` (what the app uses for catalog models: `LlamaProcessEngine`) or
`--engine inproc` (`LlamaCppEngine`, llama.cpp in this process). llama_cpp is imported
before the first reading either way: the app imports it for token counts and grammars
before any model loads.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import psutil


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 1e6


def main(model: str, engine_kind: str) -> None:
    import llama_cpp  # noqa: F401  (count the library itself as "before")

    from aurora_desktop.core.contract import Message
    from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine
    from aurora_desktop.core.engines.llama_process import LlamaProcessEngine
    from aurora_desktop.core.engines.threaded import ThreadedEngine

    before = rss_mb()
    engine: ThreadedEngine
    if engine_kind == "process":
        engine = LlamaProcessEngine(Path(model), model_name="probe")
    else:
        engine = LlamaCppEngine(Path(model), model_name="probe")
    started = time.perf_counter()
    engine.load().result()
    first: list[float] = []
    engine.generate(
        (Message("user", "Hello!"),),
        max_tokens=16,
        temperature=0.0,
        on_token=lambda _p: first.append(time.perf_counter()) and None,
    ).result()
    loaded = rss_mb()
    pid = getattr(engine, "pid", None)
    child = psutil.Process(pid).memory_info().rss / 1e6 if pid else 0.0
    engine.unload().result()
    time.sleep(0.2)
    after = rss_mb()
    engine.close()
    print(
        json.dumps(
            {
                "engine": engine_kind,
                "before_mb": round(before, 1),
                "loaded_mb": round(loaded, 1),
                "model_process_mb": round(child, 1),
                "after_unload_mb": round(after, 1),
                "cold_load_to_first_token_ms": round((first[0] - started) * 1000.0, 1)
                if first
                else None,
            }
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model")
    parser.add_argument("--engine", choices=("process", "inproc"), default="process")
    args = parser.parse_args()
    main(args.model, args.engine)
