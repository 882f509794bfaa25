"""With AURORA_STARTUP_TRACE=1 the tray app prints when each start-up moment is reached.

Each moment is one stderr line, `aurora-startup EVENT SECONDS`, where SECONDS is
`time.monotonic()`: the system-wide monotonic clock on Linux and Windows, so the program that
launched Aurora can subtract its own reading taken before the launch (bench/cold_start.py).
"""

from __future__ import annotations

import os
import sys
import time

TRACE_ENV = "AURORA_STARTUP_TRACE"
PREFIX = "aurora-startup"


def tracing() -> bool:
    return os.environ.get(TRACE_ENV) == "1"


def mark(event: str) -> None:
    """Print one moment when tracing is on; a windowless start (no stderr) prints nothing."""
    if tracing() and sys.stderr is not None:
        sys.stderr.write(f"{PREFIX} {event} {time.monotonic():.6f}\n")
        sys.stderr.flush()
