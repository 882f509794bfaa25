"""The consents the user granted ("always"), each with when it expires, and Revoke."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.policy.consent import ConsentStore, Grant
from aurora_desktop.ui.core_text import core_text


def _when(stamp: float) -> str:
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")


class ConsentsBox(QWidget):
    """Lists the stored grants (consents.json is small: read on the main thread)."""

    def __init__(self, store: ConsentStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentsBox")
        self._store = store
        self._grants: list[Grant] = []
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("consentsTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.revoke_button = QPushButton(self)
        self.revoke_button.setObjectName("revokeConsent")
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("refreshConsents")
        self.refresh_button.clicked.connect(self.refresh)
        self.status = QLabel(self)
        self.status.setObjectName("consentsStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.revoke_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.table, self.refresh_button)
        QWidget.setTabOrder(self.refresh_button, self.revoke_button)
        self.retranslate()
        self.refresh()

    def refresh(self) -> None:
        try:
            self._grants = self._store.grants()
        except AuroraError as exc:
            self._grants = []
            self.status.setText(core_text(str(exc)))
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self._grants))
        never = QCoreApplication.translate("ConsentsBox", "Until revoked")
        for row, grant in enumerate(self._grants):
            expires = never if grant.expires_at is None else _when(grant.expires_at)
            for column, text in enumerate((grant.scope, _when(grant.granted_at), expires)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._update_buttons()

    def selected_scope(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.text() if item is not None else None

    def select(self, scope: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.text() == scope:
                self.table.selectRow(row)

    def revoke_selected(self) -> None:
        scope = self.selected_scope()
        if scope is None:
            return
        try:
            self._store.revoke(scope)
        except AuroraError as exc:
            self.status.setText(core_text(str(exc)))
            return
        self.refresh()
        self.status.setText(
            QCoreApplication.translate(
                "ConsentsBox", "Revoked {scope}; Aurora will ask again next time."
            ).format(scope=scope)
        )

    def _update_buttons(self) -> None:
        self.revoke_button.setEnabled(self.selected_scope() is not None)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("ConsentsBox", "Scope"),
                QCoreApplication.translate("ConsentsBox", "Granted"),
                QCoreApplication.translate("ConsentsBox", "Expires"),
            ]
        )
        self.table.setAccessibleName(QCoreApplication.translate("ConsentsBox", "Consents granted"))
        self.revoke_button.setText(QCoreApplication.translate("ConsentsBox", "Re&voke"))
        self.revoke_button.setAccessibleName(
            QCoreApplication.translate("ConsentsBox", "Revoke the selected consent")
        )
        self.refresh_button.setText(QCoreApplication.translate("ConsentsBox", "R&eload"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
