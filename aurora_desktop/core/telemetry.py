"""Per-request metrics kept in the data folder; never the prompt or the answer."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aurora_desktop.core.contract import Response

MAX_LINE = 16_384


class MetricsLog:
    """An append-only JSON-lines file; a torn last line after a crash is skipped on read."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self._path

    def record(self, response: Response, *, outcome: str = "ok") -> None:
        entry = {
            "ts": round(time.time(), 3),
            "request_id": response.request_id,
            "outcome": outcome,
            "target": response.target,
            "engine": response.engine,
            "model": response.model,
            "tokens_in": response.tokens_in,
            "tokens_out": response.tokens_out,
            "ttft_ms": round(response.ttft_ms, 1),
            "latency_ms": round(response.latency_ms, 1),
            "tok_s": round(response.tok_s, 2),
            "finish_reason": response.finish_reason,
        }
        line = (json.dumps(entry, separators=(",", ":")) + "\n").encode("utf-8")
        with self._lock:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)

    def entries(self) -> Iterator[dict[str, Any]]:
        try:
            handle = self._path.open("r", encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return
        with handle:
            for line in handle:
                if len(line) > MAX_LINE:
                    continue
                try:
                    value = json.loads(line)
                except ValueError:
                    continue
                if isinstance(value, dict):
                    yield value
