"""Renders fetch/verify/load progress on a terminal (or as sparse lines when piped)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from aurora_desktop.core.models.fetch import FetchProgress
from aurora_desktop.core.models.progress import human_bytes

PHASES = {
    "download": "Downloading",
    "extract": "Installing",
    "verify": "Verifying",
    "load": "Loading",
    "ready": "Ready:",
}
BYTE_PHASES = {"download", "extract", "verify"}


class TerminalProgress:
    """Call with each `FetchProgress`; redraws one line on a tty, else prints each step."""

    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False) -> None:
        self._stream = stream or sys.stderr
        self._tty = self._stream.isatty()
        # Quiet: only the slow first-use steps (download, install) are worth a line.
        self._shown = set(PHASES) if (self._tty or not quiet) else {"download", "extract"}
        self._key: tuple[str, str] | None = None
        self._started = 0.0
        self._last_draw = 0.0
        self._last_quarter = -1

    def __call__(self, event: FetchProgress) -> None:
        if event.phase not in self._shown:
            return
        now = time.monotonic()
        key = (event.phase, event.label)
        if key != self._key:
            self._finish_line()
            self._key, self._started, self._last_quarter = key, now, -1
        title = f"{PHASES.get(event.phase, event.phase)} {event.label}"
        if event.total and event.phase in BYTE_PHASES:
            fraction = min(1.0, event.done / event.total)
            elapsed = now - self._started
            rate = f"  {human_bytes(event.done / elapsed)}/s" if elapsed > 0.5 else ""
            detail = (
                f"{fraction * 100:5.1f}%  {human_bytes(event.done)} of "
                f"{human_bytes(event.total)}{rate}"
            )
        else:
            fraction, detail = 0.0, ""
        if self._tty:
            if now - self._last_draw >= 0.1 or fraction >= 1.0 or not event.done:
                self._stream.write(f"\r\x1b[2K{title}  {detail}")
                self._stream.flush()
                self._last_draw = now
        elif event.phase in BYTE_PHASES and event.total:
            quarter = int(fraction * 4)
            if quarter != self._last_quarter:
                self._stream.write(f"{title}  {detail}".rstrip() + "\n")
                self._stream.flush()
                self._last_quarter = quarter
        elif not event.done:
            self._stream.write(f"{title}\n")
            self._stream.flush()

    def close(self) -> None:
        self._finish_line()

    def _finish_line(self) -> None:
        if self._tty and self._key is not None:
            self._stream.write("\n")
            self._stream.flush()
        self._key = None
