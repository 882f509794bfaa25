"""One turn of the chat: the text and, for replies, the route badge and a Copy button."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from aurora_desktop.core.contract import Response
from aurora_desktop.ui.route_badge import RouteBadge


class MessageView(QFrame):
    """A user message or a reply; replies carry a RouteBadge (`meta` is its line)."""

    copied = Signal(str)

    def __init__(self, role: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self._state = ""  # "", "thinking", "stopped" or "failed"
        self._failure = ""
        self.setObjectName("userMessage" if role == "user" else "replyMessage")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # palette roles, so a dark theme reads as well as a light one
        user = role == "user"
        self.setBackgroundRole(
            QPalette.ColorRole.AlternateBase if user else QPalette.ColorRole.Base
        )
        self.setAutoFillBackground(True)
        self.text = QLabel(text, self)
        self.text.setObjectName("messageText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.badge = RouteBadge(self)
        self.badge.setVisible(not user)
        self.meta = self.badge.header
        self.copy_button = QToolButton(self)
        self.copy_button.setObjectName("copyButton")
        self.copy_button.setIcon(QIcon.fromTheme("edit-copy"))
        self.copy_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.copy_button.setAutoRaise(True)
        self.copy_button.setVisible(not user)
        self.copy_button.clicked.connect(self.copy_text)

        footer = QHBoxLayout()
        footer.setContentsMargins(0, 0, 0, 0)
        footer.addWidget(self.badge, 1)
        footer.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.text)
        layout.addLayout(footer)
        self.retranslate()

    def append(self, piece: str) -> None:
        self.text.setText(self.text.text() + piece)

    def show_thinking(self) -> None:
        self._state = "thinking"
        self.retranslate()

    def show_failed(self, message: str) -> None:
        self._state, self._failure = "failed", message
        self.retranslate()

    def show_stopped(self) -> None:
        """Stop came before any answer was written (e.g. while the task was being picked)."""
        self._state = "stopped"
        self.retranslate()

    def show_response(self, response: Response) -> None:
        """The final text is authoritative: placeholders restored, banned words masked."""
        self._state = ""
        self.text.setText(response.text)
        self.badge.set_response(response)

    def copy_text(self) -> None:
        text = self.text.text()
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(text)
        self.copied.emit(text)

    def retranslate(self) -> None:
        self.copy_button.setText(QCoreApplication.translate("MessageView", "Copy"))
        self.copy_button.setToolTip(
            QCoreApplication.translate("MessageView", "Copy this reply to the clipboard")
        )
        self.copy_button.setAccessibleName(QCoreApplication.translate("MessageView", "Copy reply"))
        self.text.setAccessibleName(
            QCoreApplication.translate("MessageView", "Your message")
            if self.role == "user"
            else QCoreApplication.translate("MessageView", "Aurora's reply")
        )
        if self._state == "thinking":
            self.badge.set_note(QCoreApplication.translate("MessageView", "Thinking…"))
        elif self._state == "stopped":
            self.badge.set_note(
                QCoreApplication.translate("MessageView", "Stopped before an answer was written.")
            )
        elif self._state == "failed":
            self.badge.set_note(
                QCoreApplication.translate("MessageView", "Failed: {message}").format(
                    message=self._failure
                )
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
