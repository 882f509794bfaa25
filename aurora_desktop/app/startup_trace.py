"""With AURORA_STARTUP_TRACE=1 the tray app prints when each start-up moment is reached.

Each moment is one stderr line, `aurora-startup EVENT SECONDS`, where SECONDS is
`time.monotonic()`: the system-wide monotonic clock on Linux and Windows, so the program that
launched Aurora can subtract its own reading taken before the launch (bench/cold_start.py).
"""

from __future__ import annotations

import os
import sys
import threading
import time

TRACE_ENV = "AURORA_STARTUP_TRACE"
PREFIX = "aurora-startup"

_lock = threading.Lock()
_out: int | None = None  # a copy of stderr's descriptor, taken at the first moment


def tracing() -> bool:
    return os.environ.get(TRACE_ENV) == "1"


def mark(event: str) -> None:
    """Print one moment when tracing is on; a windowless start (no stderr) prints nothing.

    The line goes to a copy of stderr taken at the first moment: llama-cpp-python points the
    process's stderr at /dev/null while it loads a model, which would swallow a moment
    reached meanwhile (the app loads its model in the background as the chat opens)."""
    global _out
    if not tracing() or sys.stderr is None:
        return
    line = f"{PREFIX} {event} {time.monotonic():.6f}\n".encode()
    with _lock:
        if _out is None:
            sys.stderr.flush()
            _out = os.dup(sys.stderr.fileno())
        os.write(_out, line)
