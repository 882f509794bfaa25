"""The tray app's local API: the server follows the settings, off the Qt thread.

Settings > Local API and the tray item change `api_*` settings; each change restarts the
server on a background thread (binding and waiting for it to listen take up to seconds),
and `changed` tells the tray and the page what it does now. The server package (FastAPI,
uvicorn) is imported only when the API is first turned on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.settings import Settings, api_bind_warning
from aurora_desktop.core.text import message_of
from aurora_desktop.ui.tasks import TaskRunner
from aurora_desktop.ui.tray import ApiFacts

if TYPE_CHECKING:
    from aurora_desktop.app.wiring import Core
    from aurora_desktop.server.runner import ApiServer

STOP_TIMEOUT_S = 5.0


def _wanted(settings: Settings) -> tuple[object, ...]:
    """The settings the server is built from: a change of any restarts it."""
    return (
        settings.api_enabled,
        settings.api_port,
        settings.api_bind,
        settings.api_require_key,
        settings.api_origins,
    )


class ApiControl(QObject):
    """Starts, restarts and stops the API server as the settings say."""

    changed = Signal()  # the server's state changed (main thread)
    notice = Signal(str, object)  # log level, the core's sentence: not running / reachable

    def __init__(self, core: Core, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._core = core
        self._runner = TaskRunner("aurora-api-control", self)
        self._server: ApiServer | None = None  # touched only on the runner's thread
        self._applied: tuple[object, ...] | None = None
        self._facts = ApiFacts()

    def facts(self) -> ApiFacts:
        return self._facts

    def apply(self, settings: Settings) -> None:
        """Follow `settings`: start, restart or stop the server in the background."""
        wanted = _wanted(settings)
        if wanted == self._applied:
            return
        self._applied = wanted
        self._facts = ApiFacts(enabled=settings.api_enabled)
        self.changed.emit()
        self._runner.run(
            lambda: self._restart(settings), on_done=self._on_started, on_error=self._on_failed
        )

    def _restart(self, settings: Settings) -> str:
        """On the runner's thread: the URL it listens on, or "" when the API is off."""
        if self._server is not None:
            self._server.stop(STOP_TIMEOUT_S)
            self._server = None
        if not settings.api_enabled:
            return ""
        from aurora_desktop.server.options import ApiOptions
        from aurora_desktop.server.runner import ApiServer

        server = ApiServer(self._core, self._core.api_keys, ApiOptions.from_settings(settings))
        self._server = server
        return server.start()

    def _on_started(self, url: str) -> None:
        self._facts = ApiFacts(enabled=bool(url), url=url)
        self.changed.emit()
        warning = api_bind_warning(self._core.settings.current()) if url else None
        if warning is not None:  # other machines can reach it: the user hears it at once
            self.notice.emit("warning", warning)

    def _on_failed(self, error: Exception) -> None:
        reason = message_of(error) if isinstance(error, AuroraError) else repr(error)
        self._facts = ApiFacts(enabled=True, failed=reason)
        self.changed.emit()
        self.notice.emit("error", reason)

    def shutdown(self) -> bool:
        """Stop the server (bounded): a pending restart is dropped, one under way finishes
        first, then the server stops from here (its `stop` may be called from any thread)."""
        ended = self._runner.shutdown(STOP_TIMEOUT_S * 2)
        server, self._server = self._server, None
        return (server.stop(STOP_TIMEOUT_S) if server is not None else True) and ended
