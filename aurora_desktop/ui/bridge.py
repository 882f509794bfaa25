"""How core callbacks reach the Qt main thread while work runs: queued signals, batched tokens.

Core code calls plain Python callables from its worker threads; `TokenBatcher` collects the
streamed text under a lock and a main-thread timer hands it to the UI about 30 times a
second, so a fast model cannot flood the event loop. The result of the work itself comes back
through `ui/tasks.py`.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal

UI_BATCH_MS = 33


class TokenBatcher(QObject):
    """Thread-safe buffer of streamed text, flushed on the main thread at ~30 Hz."""

    text_ready = Signal(str)

    def __init__(self, parent: QObject | None = None, interval_ms: int = UI_BATCH_MS) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self._timer = QTimer(self)
        self._timer.setObjectName("token-batch-timer")
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)

    def push(self, text: str) -> None:
        """Called from any thread."""
        with self._lock:
            self._pending.append(text)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.flush()

    def flush(self) -> None:
        with self._lock:
            text, self._pending = "".join(self._pending), []
        if text:
            self.text_ready.emit(text)


class CoreSignals(QObject):
    """Signals emitted from worker threads; Qt queues them to receivers on the main thread."""

    progress = Signal(str, str, int, int)  # phase, label, done, total (0 when unknown)


class EventRelay(QObject):
    """Carries core events (scheduler lifecycle, warnings) from any thread to the main thread.

    Pass `relay.publish` to a core callback; connect `arrived` on the main thread."""

    arrived = Signal(object)

    def publish(self, event: object) -> None:
        self.arrived.emit(event)
