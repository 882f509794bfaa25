"""The small log of what the app warned about (out of memory, failed verification, cooling
providers, fallbacks), kept for the session and shown from the tray menu."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.ui.core_text import core_text

MAX_ENTRIES = 500


@dataclass(frozen=True, slots=True)
class LogEntry:
    at: float
    level: str  # "info", "warning", "error"
    source: str
    message: str


class LogBook(QObject):
    """Bounded, main-thread list of entries; `entry_added` lets views and the tray follow."""

    entry_added = Signal(object)  # LogEntry

    def __init__(self, parent: QObject | None = None, limit: int = MAX_ENTRIES) -> None:
        super().__init__(parent)
        self._entries: deque[LogEntry] = deque(maxlen=limit)

    @property
    def entries(self) -> list[LogEntry]:
        return list(self._entries)

    def add(self, level: str, source: str, message: str) -> LogEntry:
        entry = LogEntry(time.time(), level, source, message)
        self._entries.append(entry)
        self.entry_added.emit(entry)
        return entry

    def clear(self) -> None:
        self._entries.clear()


def level_text(level: str) -> str:
    texts = {
        "info": QCoreApplication.translate("LogView", "Info"),
        "warning": QCoreApplication.translate("LogView", "Warning"),
        "error": QCoreApplication.translate("LogView", "Error"),
    }
    return texts.get(level, level)


class LogView(QWidget):
    """A table of the log, newest first, with Copy and Clear."""

    def __init__(self, book: LogBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.setObjectName("logView")
        self.resize(640, 320)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("logTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.copy_button = QPushButton(self)
        self.copy_button.setObjectName("logCopy")
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName("logClear")
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("logClose")
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.copy_button.clicked.connect(self.copy_all)
        self.clear_button.clicked.connect(self._on_clear)
        self.close_button.clicked.connect(self.hide)
        book.entry_added.connect(self._on_entry)
        for entry in book.entries:
            self._on_entry(entry)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("LogView", "Aurora — messages"))
        headers = [
            QCoreApplication.translate("LogView", "Time"),
            QCoreApplication.translate("LogView", "Level"),
            QCoreApplication.translate("LogView", "From"),
            QCoreApplication.translate("LogView", "Message"),
        ]
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setAccessibleName(
            QCoreApplication.translate("LogView", "Messages from Aurora, newest first")
        )
        self.copy_button.setText(QCoreApplication.translate("LogView", "&Copy all"))
        self.clear_button.setText(QCoreApplication.translate("LogView", "C&lear"))
        self.close_button.setText(QCoreApplication.translate("LogView", "Close"))
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 1)
            if item is not None:
                item.setText(level_text(str(item.data(Qt.ItemDataRole.UserRole))))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)

    def copy_all(self) -> None:
        lines = [
            f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(e.at))}\t{e.level}\t"
            f"{e.source}\t{core_text(e.message)}"
            for e in self.book.entries
        ]
        QGuiApplication.clipboard().setText("\n".join(lines))

    def _on_clear(self) -> None:
        self.book.clear()
        self.table.setRowCount(0)

    def _on_entry(self, entry: LogEntry) -> None:
        self.table.insertRow(0)
        level = QTableWidgetItem(level_text(entry.level))
        level.setData(Qt.ItemDataRole.UserRole, entry.level)
        cells = [
            QTableWidgetItem(time.strftime("%H:%M:%S", time.localtime(entry.at))),
            level,
            QTableWidgetItem(entry.source),
            QTableWidgetItem(core_text(entry.message)),
        ]
        for column, item in enumerate(cells):
            self.table.setItem(0, column, item)
        while self.table.rowCount() > MAX_ENTRIES:
            self.table.removeRow(self.table.rowCount() - 1)
