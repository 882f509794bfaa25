"""Per-request metrics kept in the data folder; never the prompt or the answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aurora_desktop.core.contract import Response
from aurora_desktop.core.jsonlines import append_record, read_records


class MetricsLog:
    """One JSON line per request with its figures."""

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
        with self._lock:
            append_record(self._path, entry)

    def entries(self) -> Iterator[dict[str, Any]]:
        return read_records(self._path)
