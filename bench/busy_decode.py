"""B11: decode speed while two CPU-bound processes run beside Aurora, against a quiet machine.

Aurora's engine chooses its threads by the load (`core/threads.py`); for comparison the bare
llama-cpp-python loop keeps one thread per physical core, as Aurora did before.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import PROMPT, REPS, bare_llama, bare_stream, median

from aurora_desktop.app.wiring import Core
from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine

TOKENS = 128
SPIN = "import time\nend = time.monotonic() + {s}\nwhile time.monotonic() < end: pass\n"


def _decode(engine: LlamaCppEngine, rep: int) -> tuple[float, int]:
    messages = (Message("user", f"Question {rep + 1}. {PROMPT}"),)
    result = engine.generate(messages, max_tokens=TOKENS, temperature=0.0).result()
    return result.decode_tok_s, result.threads


def b11_busy_decode(core: Core, model_path: Path) -> dict[str, Any]:
    engine = LlamaCppEngine(model_path, model_name="bench-busy", threads=core.threads)
    bare = bare_llama(model_path)
    children: list[subprocess.Popen[bytes]] = []
    try:
        engine.load().result()
        _decode(engine, -1)
        quiet = [_decode(engine, rep) for rep in range(REPS)]
        bare_quiet = [bare_stream(bare, PROMPT, TOKENS).decode_tok_s for _ in range(3)]
        children = [subprocess.Popen([sys.executable, "-c", SPIN.format(s=300)]) for _ in range(2)]
        time.sleep(2.5)  # the load has been there a while when the request comes
        busy = [_decode(engine, rep) for rep in range(REPS)]
        bare_busy = [bare_stream(bare, PROMPT, TOKENS).decode_tok_s for _ in range(3)]
    finally:
        for child in children:
            child.kill()
            child.wait(timeout=10)
        bare.close()
        engine.close()
    q, b = median([s for s, _ in quiet]), median([s for s, _ in busy])
    bq, bb = median(bare_quiet), median(bare_busy)
    return {
        "verdicts": {"B11": b / q if q else 0.0},
        "B11": {
            "quiet_tok_s": round(q, 1),
            "busy_tok_s": round(b, 1),
            "threads_quiet": [t for _, t in quiet],
            "threads_busy": [t for _, t in busy],
            "bare_all_cores_quiet_tok_s": round(bq, 1),
            "bare_all_cores_busy_tok_s": round(bb, 1),
            "bare_ratio": round(bb / bq, 3) if bq else 0.0,
        },
    }
