"""The consent `ask` callback for the GUI: a worker thread waits while the main thread asks.

`ConsentBroker` calls `ask` on the request's worker thread and blocks that thread until it
returns. `ConsentAsker.__call__` hands the request to the Qt main thread through a queued
signal, where a non-modal `ConsentDialog` is shown (one per request), and waits on a
`threading.Event` for the answer. No answer by the deadline, a closed window and `shutdown()`
all count as Deny, so neither the worker nor app quit can hang. Called on the main thread
itself it answers Deny at once: the main thread must never block waiting for itself.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Qt, QThread, Signal, SignalInstance
from PySide6.QtWidgets import QWidget

from aurora_desktop.core.policy.consent import ConsentAnswer, ConsentReply, ConsentRequest
from aurora_desktop.ui.consent_dialog import ConsentDialog

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 60.0
WAIT_MARGIN_S = 2.0  # the dialog's own deadline answers first; this only covers a stuck UI
CASCADE_PX = 28
DENY = ConsentReply(ConsentAnswer.DENY)


class PendingConsent:
    """One request in flight: settled exactly once, by the dialog, a timeout or shutdown."""

    def __init__(self, request: ConsentRequest, deadline: float) -> None:
        self.request = request
        self.deadline = deadline  # time.monotonic()
        self._lock = threading.Lock()
        self._event = threading.Event()
        self._reply: ConsentReply | None = None

    @property
    def settled(self) -> bool:
        return self._event.is_set()

    def settle(self, reply: ConsentReply) -> bool:
        """Record `reply` unless an answer is already in; True when this one counted."""
        with self._lock:
            if self._event.is_set():
                return False
            self._reply = reply
            self._event.set()
            return True

    def wait(self, until: float) -> ConsentReply:
        """Block until answered or `until` (monotonic) has passed; then Deny."""
        self._event.wait(max(0.0, until - time.monotonic()))
        self.settle(DENY)
        assert self._reply is not None
        return self._reply


class ConsentAsker(QObject):
    """The GUI's `AskCallback`: call it from any worker thread; it shows a `ConsentDialog`."""

    dialog_shown = Signal(object)  # ConsentDialog, on the main thread
    answered = Signal(str, str)  # scope, "once" | "always" | "deny"
    _asked = Signal(object)  # PendingConsent, worker → main thread
    _withdrawn = Signal(object)  # PendingConsent the worker stopped waiting for

    def __init__(
        self,
        parent_widget: Callable[[], QWidget | None] = lambda: None,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("consentAsker")
        self._parent_widget = parent_widget
        self._timeout_s = float(timeout_s)
        self._lock = threading.Lock()
        self._pending: set[PendingConsent] = set()
        self._dialogs: dict[PendingConsent, ConsentDialog] = {}
        self._closed = False
        queued = Qt.ConnectionType.QueuedConnection
        self._asked.connect(self._on_asked, queued)
        self._withdrawn.connect(self._on_withdrawn, queued)

    @property
    def timeout_s(self) -> float:
        return self._timeout_s

    def show_over(self, parent_widget: Callable[[], QWidget | None]) -> None:
        """Which window a consent dialog opens over (the app's active window)."""
        self._parent_widget = parent_widget

    def set_timeout(self, seconds: float) -> None:
        """How long a request waits for an answer (applies to requests asked from now on)."""
        self._timeout_s = max(1.0, float(seconds))

    def dialogs(self) -> list[ConsentDialog]:
        """The consent windows open now (main thread only)."""
        return list(self._dialogs.values())

    def pending_count(self) -> int:
        with self._lock:
            return len(self._pending)

    def __call__(self, request: ConsentRequest) -> ConsentReply:
        if QThread.currentThread() == self.thread():
            log.warning(
                "consent for %s was asked on the UI thread, which cannot wait for itself; "
                "denied (ask from a worker thread)",
                request.scope,
            )
            return DENY
        pending = PendingConsent(request, time.monotonic() + self._timeout_s)
        with self._lock:
            if self._closed:
                return DENY
            self._pending.add(pending)
        try:
            self._emit(self._asked, pending)
            reply = pending.wait(pending.deadline + WAIT_MARGIN_S)
        finally:
            with self._lock:
                self._pending.discard(pending)
        if reply.answer is ConsentAnswer.DENY:
            self._emit(self._withdrawn, pending)  # closes a dialog the UI may still show
        return reply

    @staticmethod
    def _emit(signal: SignalInstance, pending: PendingConsent) -> None:
        try:
            signal.emit(pending)
        except RuntimeError:  # the asker is gone (app quit): nobody can answer
            pending.settle(DENY)

    def shutdown(self) -> None:
        """Deny every pending request and close every consent window; later asks are denied."""
        with self._lock:
            self._closed = True
            pending = list(self._pending)
        for item in pending:
            item.settle(DENY)
        if QThread.currentThread() == self.thread():
            for dialog in list(self._dialogs.values()):
                dialog.dismiss()

    # -- main thread -------------------------------------------------------------------

    def _on_asked(self, pending: PendingConsent) -> None:
        if pending.settled or self._closed:
            return  # timed out or shut down before the UI got here: nothing to ask
        dialog = ConsentDialog(pending.request, pending.deadline, self._owner())
        self._dialogs[pending] = dialog
        dialog.answered.connect(lambda reply, p=pending: self._on_answered(p, reply))
        dialog.finished.connect(lambda _result, p=pending: self._forget(p))
        dialog.destroyed.connect(lambda _obj=None, p=pending: self._on_destroyed(p))
        offset = CASCADE_PX * (len(self._dialogs) - 1)
        if offset:
            dialog.move(dialog.pos() + QPoint(offset, offset))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.deny_button.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        self.dialog_shown.emit(dialog)

    def _owner(self) -> QWidget | None:
        parent = self._parent_widget()
        # never inside another consent window: answering that one would delete this one
        while isinstance(parent, ConsentDialog):
            parent = parent.parentWidget()
        return parent

    def _on_answered(self, pending: PendingConsent, reply: ConsentReply) -> None:
        if pending.settle(reply):
            self.answered.emit(pending.request.scope, reply.answer.value)

    def _on_withdrawn(self, pending: PendingConsent) -> None:
        dialog = self._dialogs.get(pending)
        if dialog is not None:
            dialog.dismiss()

    def _on_destroyed(self, pending: PendingConsent) -> None:
        pending.settle(DENY)  # e.g. its parent window was deleted before an answer
        self._dialogs.pop(pending, None)

    def _forget(self, pending: PendingConsent) -> None:
        dialog = self._dialogs.pop(pending, None)
        if dialog is not None:
            dialog.deleteLater()
