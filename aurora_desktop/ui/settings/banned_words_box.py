"""The banned-word list editor: each word blocks a text outright or is masked in it."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.policy.banned import BannedWord
from aurora_desktop.core.policy.banned_file import BannedWordsFile
from aurora_desktop.ui.core_text import core_text

ACTIONS = ("block", "mask")


class BannedWordsBox(QWidget):
    """Add and remove words; every change is saved at once to banned_words.json."""

    def __init__(self, words_file: BannedWordsFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bannedWordsBox")
        self._file = words_file
        self._words: list[BannedWord] = []
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("bannedWordsTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.word_edit = QLineEdit(self)
        self.word_edit.setObjectName("bannedWordInput")
        self.word_edit.setMaxLength(200)
        self.word_edit.returnPressed.connect(self.add_word)
        self.word_edit.textChanged.connect(lambda _: self._update_buttons())
        self.action_combo = QComboBox(self)
        self.action_combo.setObjectName("bannedWordAction")
        for action in ACTIONS:
            self.action_combo.addItem("", action)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addBannedWord")
        self.add_button.clicked.connect(self.add_word)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removeBannedWord")
        self.remove_button.clicked.connect(self.remove_selected)
        self.status = QLabel(self)
        self.status.setObjectName("bannedWordsStatus")
        self.status.setWordWrap(True)
        entry = QHBoxLayout()
        entry.addWidget(self.word_edit, 1)
        entry.addWidget(self.action_combo)
        entry.addWidget(self.add_button)
        entry.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(entry)
        layout.addWidget(self.status)
        chain = [self.table, self.word_edit, self.action_combo, self.add_button, self.remove_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.retranslate()
        self.reload()

    def words(self) -> list[BannedWord]:
        return list(self._words)

    def reload(self) -> None:
        try:
            self._words = list(self._file().words)
            self.status.setText(core_text(self._file.warning or ""))  # a fallback in force
        except AuroraError as exc:
            self._words = []
            self.status.setText(core_text(str(exc)))
        self._fill()

    def add_word(self) -> None:
        word = " ".join(self.word_edit.text().split())
        if not word:
            return
        action = str(self.action_combo.currentData())
        kept = [w for w in self._words if w.word.casefold() != word.casefold()]
        if self._save([*kept, BannedWord(word, "mask" if action == "mask" else "block")]):
            self.word_edit.clear()

    def remove_selected(self) -> None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if rows:
            self._save([w for i, w in enumerate(self._words) if i not in rows])

    def _save(self, words: list[BannedWord]) -> bool:
        try:
            self._words = list(self._file.save(words).words)
        except (AuroraError, OSError) as exc:
            self.status.setText(
                QCoreApplication.translate(
                    "BannedWordsBox",
                    "The banned-word list could not be saved ({error}); try again.",
                ).format(error=exc)
            )
            return False
        self.status.clear()
        self._fill()
        return True

    def _fill(self) -> None:
        self.table.setRowCount(len(self._words))
        for row, item in enumerate(self._words):
            self.table.setItem(row, 0, QTableWidgetItem(item.word))
            self.table.setItem(row, 1, QTableWidgetItem(self._action_text(item.action)))
        self._update_buttons()

    @staticmethod
    def _action_text(action: str) -> str:
        if action == "mask":
            return QCoreApplication.translate("BannedWordsBox", "Mask the word")
        return QCoreApplication.translate("BannedWordsBox", "Block the text")

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(bool(self.word_edit.text().strip()))
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("BannedWordsBox", "Word"),
                QCoreApplication.translate("BannedWordsBox", "When found"),
            ]
        )
        self.table.setAccessibleName(QCoreApplication.translate("BannedWordsBox", "Banned words"))
        self.word_edit.setPlaceholderText(
            QCoreApplication.translate("BannedWordsBox", "A word or phrase")
        )
        self.word_edit.setAccessibleName(QCoreApplication.translate("BannedWordsBox", "New word"))
        for index, action in enumerate(ACTIONS):
            self.action_combo.setItemText(index, self._action_text(action))
        self.action_combo.setAccessibleName(QCoreApplication.translate("BannedWordsBox", "Action"))
        self.add_button.setText(QCoreApplication.translate("BannedWordsBox", "A&dd word"))
        self.remove_button.setText(QCoreApplication.translate("BannedWordsBox", "Re&move word"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
