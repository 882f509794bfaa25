"""Settings > Local API: serve Aurora to the other apps on this computer, and their keys.

The server itself runs in the app (app/desktop.py); this page changes the settings it
follows and manages the per-app keys (core/api_keys.py). A new key is shown once, here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.api_keys import SCOPES, ApiKey
from aurora_desktop.core.contract import RISKS
from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.settings import API_PORT_RANGE, SettingsFile
from aurora_desktop.ui.core_text import core_text
from aurora_desktop.ui.tray import ApiFacts

STATE_REFRESH_MS = 1000  # how often the page shows what the server does while it is shown
DEFAULT_SCOPES = ("chat", "embeddings", "models")  # admin (load/unload) only when asked for


class ApiKeys(Protocol):
    """core.api_keys.ApiKeyStore, or a stand-in in tests."""

    def list(self) -> list[ApiKey]: ...

    def create(self, name: str, scopes: Iterable[str], risk: str = "low") -> tuple[ApiKey, str]: ...

    def revoke(self, key_id: str) -> ApiKey: ...


def scope_text(scope: str) -> str:
    texts = {
        "chat": QCoreApplication.translate("ApiPage", "Chat and completions"),
        "embeddings": QCoreApplication.translate("ApiPage", "Embeddings"),
        "models": QCoreApplication.translate("ApiPage", "List models"),
        "admin": QCoreApplication.translate("ApiPage", "Load and unload models"),
    }
    return texts.get(scope, scope)


def risk_text(risk: str) -> str:
    texts = {
        "low": QCoreApplication.translate("ApiPage", "Low risk"),
        "medium": QCoreApplication.translate("ApiPage", "Medium risk"),
        "high": QCoreApplication.translate("ApiPage", "High risk (stays here)"),
    }
    return texts.get(risk, risk)


def state_sentence(facts: ApiFacts) -> str:
    if not facts.enabled:
        return QCoreApplication.translate("ApiPage", "The local API is off.")
    if facts.failed:
        return QCoreApplication.translate(
            "ApiPage", "The local API is not running: {reason}"
        ).format(reason=core_text(facts.failed))
    if facts.url:
        return QCoreApplication.translate("ApiPage", "Apps on this computer can use {url}").format(
            url=facts.url
        )
    return QCoreApplication.translate("ApiPage", "The local API is starting…")


class ApiPage(QWidget):
    """Every change is saved at once; the server follows the settings by itself."""

    def __init__(
        self,
        settings: SettingsFile,
        keys: ApiKeys,
        state: Callable[[], ApiFacts],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("apiPage")
        self._settings = settings
        self._keys = keys
        self._state = state
        current = settings.current()

        self.server_box = QGroupBox(self)
        self.enabled_check = QCheckBox(self.server_box)
        self.enabled_check.setObjectName("apiEnabled")
        self.enabled_check.setChecked(current.api_enabled)
        self.enabled_check.toggled.connect(lambda on: self._save(api_enabled=on))
        self.port_spin = QSpinBox(self.server_box)
        self.port_spin.setObjectName("apiPort")
        self.port_spin.setRange(*API_PORT_RANGE)
        self.port_spin.setKeyboardTracking(False)
        self.port_spin.setValue(current.api_port)
        self.port_spin.valueChanged.connect(lambda port: self._save(api_port=port))
        self.key_check = QCheckBox(self.server_box)
        self.key_check.setObjectName("apiRequireKey")
        self.key_check.setChecked(current.api_require_key)
        self.key_check.toggled.connect(self._on_require_key)
        self.origins_edit = QLineEdit(self.server_box)
        self.origins_edit.setObjectName("apiOrigins")
        self.origins_edit.setText(", ".join(current.api_origins))
        self.origins_edit.editingFinished.connect(self._on_origins)
        self.state_label = QLabel(self.server_box)
        self.state_label.setObjectName("apiState")
        self.state_label.setWordWrap(True)
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = QLabel(self.server_box)
        self.warning.setObjectName("apiWarning")
        self.warning.setWordWrap(True)
        self._form = QFormLayout(self.server_box)
        self._labels = [QLabel(self.server_box) for _ in range(3)]
        self._form.addRow(self.enabled_check)
        for label, field in zip(
            self._labels, (self.port_spin, self.key_check, self.origins_edit), strict=True
        ):
            label.setBuddy(field)
            self._form.addRow(label, field)
        self._form.addRow(self.state_label)
        self._form.addRow(self.warning)

        self.keys_box = QGroupBox(self)
        self.table = QTableWidget(0, 5, self.keys_box)
        self.table.setObjectName("apiKeys")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.name_edit = QLineEdit(self.keys_box)
        self.name_edit.setObjectName("apiKeyName")
        self.name_edit.setMaxLength(80)
        self.scope_checks: dict[str, QCheckBox] = {}
        scopes_row = QHBoxLayout()
        for scope in SCOPES:
            check = QCheckBox(self.keys_box)
            check.setObjectName(f"apiScope_{scope}")
            check.setChecked(scope in DEFAULT_SCOPES)
            self.scope_checks[scope] = check
            scopes_row.addWidget(check)
        self.risk_combo = QComboBox(self.keys_box)
        self.risk_combo.setObjectName("apiKeyRisk")
        for risk in RISKS:
            self.risk_combo.addItem("", risk)
        self.create_button = QPushButton(self.keys_box)
        self.create_button.setObjectName("apiCreateKey")
        self.create_button.clicked.connect(self.create_key)
        self.revoke_button = QPushButton(self.keys_box)
        self.revoke_button.setObjectName("apiRevokeKey")
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.token_edit = QLineEdit(self.keys_box)
        self.token_edit.setObjectName("apiNewToken")
        self.token_edit.setReadOnly(True)
        self.copy_button = QPushButton(self.keys_box)
        self.copy_button.setObjectName("apiCopyToken")
        self.copy_button.clicked.connect(self._copy_token)
        self.token_note = QLabel(self.keys_box)
        self.token_note.setWordWrap(True)
        self.token_row = QWidget(self.keys_box)
        token_layout = QHBoxLayout(self.token_row)
        token_layout.setContentsMargins(0, 0, 0, 0)
        token_layout.addWidget(self.token_edit, 1)
        token_layout.addWidget(self.copy_button)
        self.token_row.hide()
        self.token_note.hide()
        self.name_label = QLabel(self.keys_box)
        self.name_label.setBuddy(self.name_edit)
        new_row = QHBoxLayout()
        new_row.addWidget(self.name_label)
        new_row.addWidget(self.name_edit, 1)
        new_row.addWidget(self.risk_combo)
        new_row.addWidget(self.create_button)
        keys_layout = QVBoxLayout(self.keys_box)
        keys_layout.addWidget(self.table, 1)
        keys_layout.addWidget(self.revoke_button, 0, Qt.AlignmentFlag.AlignRight)
        keys_layout.addLayout(new_row)
        keys_layout.addLayout(scopes_row)
        keys_layout.addWidget(self.token_row)
        keys_layout.addWidget(self.token_note)

        self.status = QLabel(self)
        self.status.setObjectName("apiStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.server_box)
        layout.addWidget(self.keys_box, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setInterval(STATE_REFRESH_MS)
        self._timer.timeout.connect(self.show_state)
        self.retranslate()
        self.reload_keys()

    def title(self) -> str:
        return QCoreApplication.translate("ApiPage", "Local API")

    # -- the server's settings ---------------------------------------------------------------

    def _save(self, **changes: object) -> bool:
        try:
            self._settings.update(**changes)
        except (AuroraError, OSError) as exc:
            self.status.setText(
                core_text(str(exc)) if isinstance(exc, AuroraError) else self._not_saved(exc)
            )
            return False
        self.status.clear()
        self._show_warning()
        self.show_state()
        return True

    @staticmethod
    def _not_saved(exc: OSError) -> str:
        return QCoreApplication.translate(
            "ApiPage", "The settings could not be saved ({error}); check the data folder."
        ).format(error=exc.strerror or exc)

    def _on_require_key(self, on: bool) -> None:
        if not self._save(api_require_key=on):
            self.key_check.blockSignals(True)
            self.key_check.setChecked(self._settings.current().api_require_key)
            self.key_check.blockSignals(False)

    def _on_origins(self) -> None:
        origins = tuple(o.strip() for o in self.origins_edit.text().split(",") if o.strip())
        if origins != self._settings.current().api_origins:
            self._save(api_origins=origins)

    def _show_warning(self) -> None:
        if self._settings.current().api_require_key:
            self.warning.clear()
            return
        self.warning.setText(
            QCoreApplication.translate(
                "ApiPage",
                "Without keys, any program on this computer can use the API and what it "
                'sends is recorded as from "local app".',
            )
        )

    def show_state(self) -> None:
        self.state_label.setText(state_sentence(self._state()))

    # -- keys --------------------------------------------------------------------------------

    def reload_keys(self) -> None:
        try:
            keys = self._keys.list()
        except AuroraError as exc:
            self.status.setText(core_text(str(exc)))
            keys = []
        self.table.setRowCount(len(keys))
        for row, key in enumerate(keys):
            created = time.strftime("%Y-%m-%d %H:%M", time.localtime(key.created_at))
            status = (
                QCoreApplication.translate("ApiPage", "revoked")
                if key.revoked
                else QCoreApplication.translate("ApiPage", "active")
            )
            scopes = ", ".join(scope_text(s) for s in SCOPES if s in key.scopes)
            cells = (key.name, scopes, risk_text(key.risk), created, status)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, key.key_id)
                self.table.setItem(row, column, item)

    def create_key(self) -> None:
        scopes = [s for s, check in self.scope_checks.items() if check.isChecked()]
        try:
            risk = str(self.risk_combo.currentData())
            key, token = self._keys.create(self.name_edit.text(), scopes, risk)
        except AuroraError as exc:
            self.status.setText(core_text(str(exc)))
            return
        self.status.clear()
        self.name_edit.clear()
        self.token_edit.setText(token)
        self.token_row.show()
        self.token_note.setText(
            QCoreApplication.translate(
                "ApiPage",
                "The key for {name} is shown only now: copy it into the app. Aurora keeps "
                "only a fingerprint of it.",
            ).format(name=key.name)
        )
        self.token_note.show()
        self.reload_keys()

    def revoke_selected(self) -> None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is None:
            self.status.setText(QCoreApplication.translate("ApiPage", "Choose a key to revoke."))
            return
        try:
            self._keys.revoke(str(item.data(Qt.ItemDataRole.UserRole)))
        except AuroraError as exc:
            self.status.setText(core_text(str(exc)))
            return
        self.status.clear()
        self.reload_keys()

    def _copy_token(self) -> None:
        QGuiApplication.clipboard().setText(self.token_edit.text())

    # -- showing -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        self.token_edit.clear()  # a key shown once is not shown again on the next visit
        self.token_row.hide()
        self.token_note.hide()
        self.show_state()
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def retranslate(self) -> None:
        self.server_box.setTitle(QCoreApplication.translate("ApiPage", "Server"))
        self.enabled_check.setText(
            QCoreApplication.translate(
                "ApiPage", "&Serve Aurora to other apps (OpenAI- and Ollama-compatible API)"
            )
        )
        texts = (
            QCoreApplication.translate("ApiPage", "&Port:"),
            QCoreApplication.translate("ApiPage", "&Keys:"),
            QCoreApplication.translate("ApiPage", "Browser &origins:"),
        )
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.key_check.setText(
            QCoreApplication.translate("ApiPage", "Every request must carry an app's key")
        )
        self.origins_edit.setPlaceholderText(
            QCoreApplication.translate("ApiPage", "none (e.g. http://localhost:3000)")
        )
        self.keys_box.setTitle(QCoreApplication.translate("ApiPage", "App keys"))
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("ApiPage", "App"),
                QCoreApplication.translate("ApiPage", "Can use"),
                QCoreApplication.translate("ApiPage", "Risk"),
                QCoreApplication.translate("ApiPage", "Created"),
                QCoreApplication.translate("ApiPage", "Status"),
            ]
        )
        self.table.setAccessibleName(QCoreApplication.translate("ApiPage", "App keys"))
        self.name_label.setText(QCoreApplication.translate("ApiPage", "&New key for:"))
        self.name_edit.setPlaceholderText(
            QCoreApplication.translate("ApiPage", "the app's name, e.g. Obsidian")
        )
        for scope, check in self.scope_checks.items():
            check.setText(scope_text(scope))
        for index, risk in enumerate(RISKS):
            self.risk_combo.setItemText(index, risk_text(risk))
        self.risk_combo.setAccessibleName(
            QCoreApplication.translate("ApiPage", "Risk of the app's requests that name none")
        )
        self.risk_combo.setToolTip(self.risk_combo.accessibleName())
        self.create_button.setText(QCoreApplication.translate("ApiPage", "&Create key"))
        self.revoke_button.setText(QCoreApplication.translate("ApiPage", "&Revoke"))
        self.copy_button.setText(QCoreApplication.translate("ApiPage", "Co&py"))
        self.token_edit.setAccessibleName(QCoreApplication.translate("ApiPage", "The new key"))
        self._show_warning()
        self.show_state()
        self.reload_keys()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
