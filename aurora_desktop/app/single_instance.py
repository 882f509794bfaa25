"""One Aurora per data folder: a second launch asks the first to show its chat (or to quit)."""

from __future__ import annotations

import hashlib
import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 1500
SHOW_COMMAND = b"show\n"
QUIT_COMMAND = b"quit\n"


def server_name(instance_key: str) -> str:
    user = os.environ.get("USERNAME") or os.environ.get("USER") or "user"
    digest = hashlib.sha256(f"{user}:{instance_key}".encode()).hexdigest()[:16]
    return f"aurora-{digest}"


def notify_running_instance(name: str, command: bytes = SHOW_COMMAND) -> bool:
    """True if another instance answered and was sent `command` (show its chat, or quit)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(command)
    socket.flush()
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later launches; emits `show_requested` or `quit_requested` when one knocks."""

    show_requested = Signal()
    quit_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(name)  # a stale socket left by a crashed instance
        if not self._server.listen(name):
            raise OSError(self._server.errorString())
        self._server.newConnection.connect(self._on_new_connection)

    def close(self) -> None:
        self._server.close()

    def _on_new_connection(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_ready_read(socket)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        command = bytes(socket.readAll().data()).strip()
        if command == SHOW_COMMAND.strip():
            self.show_requested.emit()
        elif command == QUIT_COMMAND.strip():
            self.quit_requested.emit()
