"""One chat conversation: sends requests to the core off the UI thread and streams replies."""

from __future__ import annotations

import threading
from functools import partial
from typing import Protocol, cast

from PySide6.QtCore import QCoreApplication, QObject, Signal

from aurora_desktop.core.cognition.conductor import Conductor
from aurora_desktop.core.contract import Message, Request, Response, Risk
from aurora_desktop.core.engines.base import Engine
from aurora_desktop.core.errors import AuroraError, CancelledError
from aurora_desktop.core.models.fetch import FetchProgress, ProgressCallback
from aurora_desktop.ui.bridge import CoreSignals, TokenBatcher
from aurora_desktop.ui.chat_choices import DEFAULT_RISK, DEFAULT_TASK
from aurora_desktop.ui.core_text import core_text
from aurora_desktop.ui.tasks import Task, TaskRunner, error_sentence

HISTORY_CHARS = 3000


class LocalModels(Protocol):
    """What the session needs of the local hop: the default model, ready (core/local_hop.py)."""

    def prepare(
        self, progress: ProgressCallback = ..., cancel: threading.Event | None = None
    ) -> Engine: ...


class ChatSession(QObject):
    """Keeps the conversation for the app's lifetime and runs one request at a time on a
    background thread; `new_chat` forgets it (and so does the context sent to the model)."""

    busy_changed = Signal(bool)
    status_changed = Signal(str)
    reply_started = Signal()
    reply_text = Signal(str)
    reply_finished = Signal(object)
    reply_failed = Signal(str)
    model_ready = Signal(str)
    prepare_failed = Signal(str)  # installing, verifying or loading the model failed
    reply_stopped = Signal()  # Stop came before anything was written
    conversation_reset = Signal()
    paused_changed = Signal(bool)

    def __init__(
        self, conductor: Conductor, local: LocalModels, parent: QObject | None = None
    ) -> None:
        """`conductor` answers; `local` installs, verifies and loads the default model."""
        super().__init__(parent)
        self._conductor = conductor
        self._local = local
        self._history: list[Message] = []
        self._tasks = TaskRunner("aurora-request", self)
        self._cancel = threading.Event()
        self._closing = threading.Event()
        self._busy = False
        self._paused = False
        self._dropping = False  # the reply in progress belongs to a forgotten conversation
        self._signals = CoreSignals(self)
        self._batcher = TokenBatcher(self)
        self._batcher.text_ready.connect(self.reply_text)
        self._signals.progress.connect(self._on_progress)
        self._pending_prompt: str | None = None

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def paused(self) -> bool:
        return self._paused

    def set_paused(self, on: bool) -> None:
        """While paused no new request starts; a reply already being written finishes."""
        if on == self._paused:
            return
        self._paused = on
        self.paused_changed.emit(on)

    @property
    def history(self) -> tuple[Message, ...]:
        return tuple(self._history)

    def prepare(self) -> Task[str]:
        """Install/verify/load the default model in the background, reporting progress."""
        return self._tasks.run(self._prepare_model, self._on_model_ready, self._on_prepare_error)

    def send(self, prompt: str, *, task: str = DEFAULT_TASK, risk: str = DEFAULT_RISK) -> bool:
        """Start answering `prompt` as `task` at `risk`; False (with a status message) if it
        cannot start."""
        if self._busy:
            self.status_changed.emit(
                QCoreApplication.translate(
                    "ChatSession", "Aurora is still answering; press Stop first."
                )
            )
            return False
        if self._paused:
            self.status_changed.emit(
                QCoreApplication.translate(
                    "ChatSession", "Aurora is paused; resume it from the tray menu to ask."
                )
            )
            return False
        try:
            request = Request(
                messages=(*self._context(), Message("user", prompt)),
                task=task,
                risk=cast(Risk, risk),
            )
        except AuroraError as exc:
            self.status_changed.emit(core_text(str(exc)))
            return False
        self._pending_prompt = prompt
        self._cancel = threading.Event()
        self._dropping = False
        self._set_busy(True)
        self._batcher.start()
        self.reply_started.emit()
        self._tasks.run(
            partial(self._answer, request, self._cancel),
            self._on_reply_finished,
            self._on_reply_error,
        )
        return True

    def stop(self) -> None:
        self._cancel.set()

    def new_chat(self) -> None:
        """Forget the conversation; a reply still being written is stopped and dropped."""
        self._cancel.set()
        self._dropping = self._busy
        self._pending_prompt = None
        self._history = []
        self.conversation_reset.emit()

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Stop the request in progress; False if it outlived `timeout`. The core's services
        are closed by their owner (Core.close), not here."""
        self._closing.set()
        self._cancel.set()
        self._batcher.stop()
        return self._tasks.shutdown(timeout)

    def _context(self) -> list[Message]:
        kept: list[Message] = []
        used = 0
        for message in reversed(self._history):
            used += len(message.content)
            if used > HISTORY_CHARS:
                break
            kept.insert(0, message)
        return kept

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_changed.emit(busy)

    # -- worker thread ---------------------------------------------------------------------

    def _report(self, event: FetchProgress) -> None:
        self._signals.progress.emit(event.phase, event.label, event.done, event.total or 0)

    def _prepare_model(self) -> str:
        return self._local.prepare(self._report, self._closing).model_name

    def _answer(self, request: Request, cancel: threading.Event) -> Response:
        def on_token(piece: str) -> bool:
            self._batcher.push(piece)
            return not cancel.is_set()

        return self._conductor.answer(
            request, on_token=on_token, cancel=cancel, progress=self._report
        )

    # -- main thread -----------------------------------------------------------------------

    def _on_progress(self, phase: str, label: str, done: int, total: int) -> None:
        words = {
            "download": QCoreApplication.translate("ChatSession", "Downloading {label}…"),
            "extract": QCoreApplication.translate("ChatSession", "Installing {label}…"),
            "verify": QCoreApplication.translate("ChatSession", "Verifying {label}…"),
            "load": QCoreApplication.translate("ChatSession", "Loading {label}…"),
        }
        if phase not in words:
            return
        percent = f" {done * 100 // total}%" if total else ""
        self.status_changed.emit(words[phase].format(label=label) + percent)

    def _on_model_ready(self, model: str) -> None:
        self.status_changed.emit(
            QCoreApplication.translate("ChatSession", "Ready · {model} on this device").format(
                model=model
            )
        )
        self.model_ready.emit(model)

    def _on_prepare_error(self, error: Exception) -> None:
        if isinstance(error, CancelledError):
            return  # the app is closing
        message = error_sentence(
            error,
            QCoreApplication.translate(
                "ChatSession", "Preparing the model failed unexpectedly ({error})."
            ),
        )
        self.status_changed.emit(message)
        self.prepare_failed.emit(message)

    def _on_reply_error(self, error: Exception) -> None:
        if isinstance(error, CancelledError):
            self._on_reply_stopped()
            return
        self._on_reply_failed(
            error_sentence(
                error,
                QCoreApplication.translate(
                    "ChatSession", "The request failed unexpectedly ({error}); try again."
                ),
            )
        )

    def _on_reply_finished(self, response: Response) -> None:
        self._batcher.stop()
        if self._pending_prompt is not None:
            self._history += [
                Message("user", self._pending_prompt),
                Message("assistant", response.text),
            ]
        self._pending_prompt = None
        self._dropping = False
        self._set_busy(False)
        self.reply_finished.emit(response)

    def _on_reply_failed(self, message: str) -> None:
        self._batcher.stop()
        self._pending_prompt = None
        self._set_busy(False)
        if not self._dropping:
            self.status_changed.emit(message)
        self._dropping = False
        self.reply_failed.emit(message)

    def _on_reply_stopped(self) -> None:
        self._batcher.stop()
        self._pending_prompt = None
        self._set_busy(False)
        if not self._dropping:
            self.status_changed.emit(QCoreApplication.translate("ChatSession", "Stopped."))
        self._dropping = False
        self.reply_stopped.emit()
