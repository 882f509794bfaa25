"""The audit ledger: an append-only record of what Aurora did on the user's behalf."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aurora_desktop.core.jsonlines import append_record, check_appendable, read_records


class AuditLedger:
    """One JSON line per event (model installs, switches, trust changes, ...)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self._path

    def append(self, event: str, **fields: Any) -> None:
        with self._lock:
            append_record(self._path, {"ts": round(time.time(), 3), "event": event, **fields})

    def check_writable(self) -> None:
        """Raise `ConfigError` now if an event could not be recorded (call before a change)."""
        with self._lock:
            check_appendable(self._path)

    def events(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        for record in read_records(self._path):
            if kind is None or record.get("event") == kind:
                yield record
