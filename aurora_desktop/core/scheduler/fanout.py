"""Several listeners for the scheduler's events (the telemetry, the tray, a log view)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from aurora_desktop.core.scheduler.events import SchedulerEvent

_log = logging.getLogger(__name__)
Listener = Callable[[SchedulerEvent], None]


class SchedulerEvents:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def publish(self, event: SchedulerEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # one broken listener must not silence the others
                _log.exception("a scheduler event listener failed")
