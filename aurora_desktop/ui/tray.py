"""The tray icon: left click opens the chat popup, right click shows the menu."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from aurora_desktop.core.resources import resource_path


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 64, 256):
        icon.addFile(str(resource_path(f"aurora-{size}.png")))
    return icon


class TrayController(QObject):
    """Owns the tray icon and its menu; asks the app to open the chat or to quit."""

    open_chat_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setObjectName("auroraTray")
        self.icon.setToolTip("Aurora")
        self.menu = QMenu()
        self.open_action = QAction("Open chat", self.menu)
        self.quit_action = QAction("Quit", self.menu)
        self.menu.addAction(self.open_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon.setContextMenu(self.menu)
        self.open_action.triggered.connect(self.open_chat_requested)
        self.quit_action.triggered.connect(self.quit_requested)
        self.icon.activated.connect(self._on_activated)

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def set_status(self, text: str) -> None:
        self.icon.setToolTip(f"Aurora — {text}")

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_chat_requested.emit()
