"""The tray icon: state at a glance, left click opens the chat, right click shows the menu."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRectF, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from aurora_desktop.core.resources import resource_path

ICON_SIZES = (16, 32, 64, 256)
NOTIFY_MS = 8000


class TrayState(Enum):
    IDLE = "idle"
    LOADING = "loading"
    GENERATING = "generating"
    LOCAL_ONLY = "local-only"
    PAUSED = "paused"
    ERROR = "error"


# the dot drawn on the icon's corner; None keeps the plain icon
STATE_COLOURS: dict[TrayState, str | None] = {
    TrayState.IDLE: None,
    TrayState.LOADING: "#f0a020",
    TrayState.GENERATING: "#2f9e44",
    TrayState.LOCAL_ONLY: "#1c7ed6",
    TrayState.PAUSED: "#868e96",
    TrayState.ERROR: "#e03131",
}


@dataclass(frozen=True, slots=True)
class TrayFacts:
    """What the tray knows; `tray_state` turns it into one state."""

    loading: bool = False
    generating: bool = False
    local_only: bool = False
    paused: bool = False
    error: str = ""


def tray_state(facts: TrayFacts) -> TrayState:
    """The most urgent state wins: an error, then work in progress, then the modes."""
    if facts.error:
        return TrayState.ERROR
    if facts.generating:
        return TrayState.GENERATING
    if facts.loading:
        return TrayState.LOADING
    if facts.paused:
        return TrayState.PAUSED
    if facts.local_only:
        return TrayState.LOCAL_ONLY
    return TrayState.IDLE


@dataclass(frozen=True, slots=True)
class ApiFacts:
    """The local API as the tray shows it: wanted on or not, and what the server does."""

    enabled: bool = False
    url: str = ""  # while it listens
    failed: str = ""  # why it is not listening although it should


def api_text(facts: ApiFacts) -> str:
    """The tray item's text: its state at a glance (checked means the API is turned on)."""
    if not facts.enabled:
        return QCoreApplication.translate("TrayController", "Local API (off)")
    if facts.failed:
        return QCoreApplication.translate("TrayController", "Local API (not running)")
    if facts.url:
        return QCoreApplication.translate("TrayController", "Local API on {address}").format(
            address=facts.url.removeprefix("http://")
        )
    return QCoreApplication.translate("TrayController", "Local API (starting…)")


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resource_path(f"aurora-{size}.png")))
    return icon


def state_icon(state: TrayState) -> QIcon:
    """The app icon with a coloured dot in the corner, drawn at every size (crisp on high DPI)."""
    colour = STATE_COLOURS[state]
    if colour is None:
        return app_icon()
    icon = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap(str(resource_path(f"aurora-{size}.png")))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dot = size * 0.42
        rect = QRectF(size - dot, size - dot, dot, dot).adjusted(1, 1, -1, -1)
        painter.setPen(QColor("white"))
        painter.setBrush(QColor(colour))
        painter.drawEllipse(rect)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def state_text(state: TrayState) -> str:
    texts = {
        TrayState.IDLE: QCoreApplication.translate("TrayController", "Ready"),
        TrayState.LOADING: QCoreApplication.translate("TrayController", "Loading a model…"),
        TrayState.GENERATING: QCoreApplication.translate("TrayController", "Answering…"),
        TrayState.LOCAL_ONLY: QCoreApplication.translate(
            "TrayController", "Local only: nothing leaves this device"
        ),
        TrayState.PAUSED: QCoreApplication.translate("TrayController", "Paused"),
        TrayState.ERROR: QCoreApplication.translate("TrayController", "Something needs a look"),
    }
    return texts[state]


class TrayController(QObject):
    """Owns the tray icon and its menu; tells the app what the user asked for."""

    open_chat_requested = Signal()
    dashboard_requested = Signal()
    settings_requested = Signal()
    log_requested = Signal()
    pin_toggled = Signal(str, bool)  # model name, pinned
    local_only_toggled = Signal(bool)
    pause_toggled = Signal(bool)
    api_toggled = Signal(bool)  # the local API on or off
    quit_requested = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        installed: Callable[[], Sequence[str]] = tuple,
    ) -> None:
        super().__init__(parent)
        self._installed = installed  # read when the pin menu opens, not on every refresh
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setObjectName("auroraTray")
        self._facts = TrayFacts()
        self._models: list[str] = []
        self._detail = ""
        self.menu = QMenu()
        self.menu.setObjectName("trayMenu")
        self.open_action = QAction(self.menu)
        self.dashboard_action = QAction(self.menu)
        self.settings_action = QAction(self.menu)
        self.log_action = QAction(self.menu)
        self.pin_menu = QMenu(self.menu)
        self.pin_menu.setObjectName("pinMenu")
        self.local_only_action = QAction(self.menu)
        self.local_only_action.setCheckable(True)
        self.pause_action = QAction(self.menu)
        self.pause_action.setCheckable(True)
        self.api_action = QAction(self.menu)
        self.api_action.setObjectName("apiAction")
        self.api_action.setCheckable(True)
        self._api = ApiFacts()
        self.quit_action = QAction(self.menu)
        for action in (self.open_action, self.dashboard_action, self.settings_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addMenu(self.pin_menu)
        self.menu.addAction(self.local_only_action)
        self.menu.addAction(self.pause_action)
        self.menu.addAction(self.api_action)
        self.menu.addSeparator()
        self.menu.addAction(self.log_action)
        self.menu.addAction(self.quit_action)  # Quit stays last
        self.icon.setContextMenu(self.menu)
        self.open_action.triggered.connect(self.open_chat_requested)
        self.dashboard_action.triggered.connect(self.dashboard_requested)
        self.settings_action.triggered.connect(self.settings_requested)
        self.log_action.triggered.connect(self.log_requested)
        self.local_only_action.toggled.connect(self._on_local_only)
        self.pause_action.toggled.connect(self._on_pause)
        self.api_action.toggled.connect(self.api_toggled)
        self.quit_action.triggered.connect(self.quit_requested)
        self.icon.activated.connect(self._on_activated)
        self.pin_menu.aboutToShow.connect(self._fill_pin_menu)
        self._pinned: set[str] = set()
        self.menu.installEventFilter(self)  # the menu hears of a language change
        self.retranslate()

    @property
    def state(self) -> TrayState:
        return tray_state(self._facts)

    def retranslate(self) -> None:
        self.open_action.setText(QCoreApplication.translate("TrayController", "Open chat"))
        self.dashboard_action.setText(QCoreApplication.translate("TrayController", "Dashboard"))
        self.settings_action.setText(QCoreApplication.translate("TrayController", "Settings"))
        self.log_action.setText(QCoreApplication.translate("TrayController", "Messages…"))
        self.pin_menu.setTitle(
            QCoreApplication.translate("TrayController", "Pin models for this session")
        )
        self.local_only_action.setText(
            QCoreApplication.translate("TrayController", "Local only (no cloud)")
        )
        self.pause_action.setText(QCoreApplication.translate("TrayController", "Pause"))
        self.quit_action.setText(QCoreApplication.translate("TrayController", "Quit"))
        self._refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.menu and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    # -- facts from the app ----------------------------------------------------------------

    def update_facts(self, **changes: object) -> None:
        values = {
            "loading": self._facts.loading,
            "generating": self._facts.generating,
            "local_only": self._facts.local_only,
            "paused": self._facts.paused,
            "error": self._facts.error,
        }
        values.update(changes)
        self._facts = TrayFacts(**values)  # type: ignore[arg-type]
        self._refresh()

    def set_models(self, loaded: Sequence[str], pinned: set[str]) -> None:
        self._models = list(loaded)
        self._pinned = set(pinned)
        self._refresh()

    def set_api(self, facts: ApiFacts) -> None:
        """The local API's state: off, listening (on its URL) or failed (why)."""
        self._api = facts
        self._refresh()

    def set_detail(self, text: str) -> None:
        """A status line from the chat session (download progress, ready…)."""
        self._detail = text
        self._refresh()

    def notify(self, title: str, message: str, critical: bool = False) -> None:
        kind = (
            QSystemTrayIcon.MessageIcon.Critical
            if critical
            else QSystemTrayIcon.MessageIcon.Warning
        )
        self.icon.showMessage(title, message, kind, NOTIFY_MS)

    def _refresh(self) -> None:
        state = self.state
        self.icon.setIcon(state_icon(state))
        if self._models:
            models = QCoreApplication.translate("TrayController", "Loaded: {models}").format(
                models=", ".join(self._models)
            )
        else:
            models = QCoreApplication.translate("TrayController", "No model loaded")
        lines = [f"Aurora — {state_text(state)}", models]
        if self._api.enabled:
            lines.append(api_text(self._api))
        if self._facts.error:
            lines.append(self._facts.error)
        elif self._detail:
            lines.append(self._detail)
        self.icon.setToolTip("\n".join(lines))
        paused = self._facts.paused
        self.pause_action.setText(
            QCoreApplication.translate("TrayController", "Resume")
            if paused
            else QCoreApplication.translate("TrayController", "Pause")
        )
        self.api_action.setText(api_text(self._api))
        for action, checked in (
            (self.local_only_action, self._facts.local_only),
            (self.pause_action, paused),
            (self.api_action, self._api.enabled),
        ):
            if action.isChecked() != checked:
                action.blockSignals(True)
                action.setChecked(checked)
                action.blockSignals(False)

    def _fill_pin_menu(self) -> None:
        self.pin_menu.clear()
        installed = self._installed()
        if not installed:
            empty = self.pin_menu.addAction(
                QCoreApplication.translate("TrayController", "No models installed")
            )
            empty.setEnabled(False)
            return
        for name in installed:
            action = self.pin_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name in self._pinned)
            action.toggled.connect(lambda on, model=name: self.pin_toggled.emit(model, on))

    def _on_local_only(self, on: bool) -> None:
        self.local_only_toggled.emit(on)

    def _on_pause(self, on: bool) -> None:
        self.pause_toggled.emit(on)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_chat_requested.emit()
