"""B5's probe, run in a fresh process: resident memory around one load/unload cycle."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import psutil


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 1e6


def main(model: str) -> None:
    import llama_cpp  # noqa: F401  (count the library itself as "before")

    from aurora_desktop.core.contract import Message
    from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine

    before = rss_mb()
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
    engine.unload().result()
    time.sleep(0.2)
    after = rss_mb()
    engine.close()
    print(
        json.dumps(
            {
                "before_mb": round(before, 1),
                "loaded_mb": round(loaded, 1),
                "after_unload_mb": round(after, 1),
                "cold_load_to_first_token_ms": round((first[0] - started) * 1000.0, 1)
                if first
                else None,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
