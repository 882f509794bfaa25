"""The Settings window: a list of pages on the left, the chosen page on the right."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

WINDOW_SIZE = (980, 640)


class SettingsWindow(QWidget):
    """Hosts the pages; Ctrl+PgUp/PgDown or the list moves between them, Esc closes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsWindow")
        self.resize(*WINDOW_SIZE)
        self.pages_list = QListWidget(self)
        self.pages_list.setObjectName("settingsPages")
        self.pages_list.setFixedWidth(180)
        self.stack = QStackedWidget(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.hide)
        body = QHBoxLayout()
        body.addWidget(self.pages_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self.pages_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self._keys: list[str] = []
        QShortcut(QKeySequence("Ctrl+PgDown"), self, lambda: self._step(1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self, lambda: self._step(-1))
        self.retranslate()

    def add_page(self, key: str, page: QWidget) -> None:
        self._keys.append(key)
        self.stack.addWidget(page)
        item = QListWidgetItem(self._title(page))
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.pages_list.addItem(item)
        if self.pages_list.currentRow() < 0:
            self.pages_list.setCurrentRow(0)

    def page(self, key: str) -> QWidget:
        page = self.stack.widget(self._keys.index(key))
        assert page is not None
        return page

    def show_page(self, key: str) -> None:
        self.pages_list.setCurrentRow(self._keys.index(key))
        self.show()
        self.raise_()
        self.activateWindow()

    def retranslate(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("SettingsWindow", "Aurora — settings"))
        self.pages_list.setAccessibleName(
            QCoreApplication.translate("SettingsWindow", "Settings pages")
        )
        for row in range(self.pages_list.count()):
            page = self.stack.widget(row)
            if page is not None:
                self.pages_list.item(row).setText(self._title(page))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)

    def shutdown(self) -> None:
        for row in range(self.stack.count()):
            stop = getattr(self.stack.widget(row), "shutdown", None)
            if callable(stop):
                stop()

    def _step(self, delta: int) -> None:
        count = self.pages_list.count()
        if count:
            self.pages_list.setCurrentRow((self.pages_list.currentRow() + delta) % count)

    @staticmethod
    def _title(page: QWidget) -> str:
        title = getattr(page, "title", None)
        return str(title()) if callable(title) else page.objectName()
