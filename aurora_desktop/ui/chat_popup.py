"""The small chat window that opens from the tray: prompt box, streaming reply, Stop."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.contract import Response
from aurora_desktop.ui.chat_session import ChatSession

WINDOW_TITLE = "Aurora chat"
POPUP_SIZE = (420, 560)


def describe_route(response: Response) -> str:
    """The line under a reply: where it ran, on what, and how fast."""
    where = "Local" if response.target == "local" else "Cloud"
    parts = [f"{where} · {response.engine} · {response.model}"]
    if response.task:
        parts.append(f"{response.task}: {response.label}" if response.label else response.task)
    if response.verified is False:
        parts.append("unverified (best effort)")
    if response.citations:
        parts.append(f"{len(response.citations)} sources")
    parts += [
        f"{response.tokens_out} tokens",
        f"{response.tok_s:.1f} tok/s",
        f"first token {response.ttft_ms:.0f} ms",
    ]
    if response.finish_reason == "cancelled":
        parts.append("stopped")
    elif response.finish_reason == "length":
        parts.append("cut at the token limit")
    return " · ".join(parts)


class MessageView(QFrame):
    """One turn of the conversation: the text and, for replies, a line about the route."""

    def __init__(self, role: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.setObjectName("userMessage" if role == "user" else "replyMessage")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.text = QLabel(text, self)
        self.text.setObjectName("messageText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text)
        self.meta = QLabel("", self)
        self.meta.setObjectName("replyMeta")
        self.meta.setWordWrap(True)
        self.meta.setStyleSheet("color: #5a5a5a; font-size: 11px;")
        self.meta.setVisible(role != "user")
        layout.addWidget(self.meta)
        tint = "#eef3ff" if role == "user" else "#f6f6f6"
        self.setStyleSheet(f"MessageView {{ background: {tint}; border-radius: 6px; }}")

    def append(self, piece: str) -> None:
        self.text.setText(self.text.text() + piece)


class ChatPopup(QWidget):
    """Tray popup: conversation above, prompt below; Enter sends, Shift+Enter is a newline."""

    def __init__(self, session: ChatSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("chatPopup")
        self.setWindowTitle(WINDOW_TITLE)
        self.resize(*POPUP_SIZE)
        self._current: MessageView | None = None

        self.status = QLabel("Starting…", self)
        self.status.setObjectName("statusLine")
        self.status.setWordWrap(True)

        self._list = QWidget(self)
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.addStretch(1)
        self.conversation = QScrollArea(self)
        self.conversation.setWidgetResizable(True)
        self.conversation.setWidget(self._list)
        self.conversation.verticalScrollBar().rangeChanged.connect(self._on_scroll_range)

        self.prompt = QPlainTextEdit(self)
        self.prompt.setObjectName("promptInput")
        self.prompt.setPlaceholderText("Ask Aurora… (Enter to send, Shift+Enter for a new line)")
        self.prompt.setFixedHeight(72)
        self.prompt.installEventFilter(self)
        self.send_button = QPushButton("Send", self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(True)
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setEnabled(False)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.conversation, 1)
        layout.addWidget(self.prompt)
        layout.addLayout(buttons)

        self.send_button.clicked.connect(self._on_send_clicked)
        self.stop_button.clicked.connect(session.stop)
        session.busy_changed.connect(self._on_busy_changed)
        session.status_changed.connect(self.status.setText)
        session.reply_started.connect(self._on_reply_started)
        session.reply_text.connect(self._on_reply_text)
        session.reply_finished.connect(self._on_reply_finished)
        session.reply_failed.connect(self._on_reply_failed)

    @property
    def messages(self) -> list[MessageView]:
        return self._list.findChildren(MessageView)

    def last_reply(self) -> MessageView | None:
        replies = [m for m in self.messages if m.role != "user"]
        return replies[-1] if replies else None

    def show_near(self, anchor: QRect | None) -> None:
        """Show next to the tray icon (or the bottom-right corner) and take focus."""
        screen = QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)
        width, height = self.width(), self.height()
        if anchor is not None and anchor.isValid() and not anchor.isEmpty():
            x = anchor.center().x() - width // 2
            above = anchor.top() > area.center().y()
            y = anchor.top() - height - 8 if above else anchor.bottom() + 8
        else:
            x, y = area.right() - width - 12, area.bottom() - height - 12
        x = max(area.left(), min(x, area.right() - width))
        y = max(area.top(), min(y, area.bottom() - height))
        self.move(QPoint(x, y))
        self.show()
        self.raise_()
        self.activateWindow()
        self.prompt.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.prompt and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self._on_send_clicked()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)

    def _add(self, view: MessageView) -> None:
        self._list_layout.addWidget(view)

    def _on_scroll_range(self, _low: int, high: int) -> None:
        self.conversation.verticalScrollBar().setValue(high)

    def _on_send_clicked(self) -> None:
        text = self.prompt.toPlainText().strip()
        if not text:
            self.status.setText("Type a question first.")
            return
        if self.session.busy:
            self.status.setText("Aurora is still answering; press Stop first.")
            return
        self._add(MessageView("user", text, self._list))
        self.prompt.clear()
        self.session.send(text)

    def _on_reply_started(self) -> None:
        self._current = MessageView("assistant", "", self._list)
        self._current.meta.setText("Thinking…")
        self._add(self._current)
        self.status.setText("Answering…")

    def _on_reply_text(self, piece: str) -> None:
        if self._current is not None:
            self._current.append(piece)

    def _on_reply_finished(self, response: Response) -> None:
        if self._current is not None:
            # the final text is authoritative: placeholders restored, banned words masked
            self._current.text.setText(response.text)
            self._current.meta.setText(describe_route(response))
        self._current = None
        self.status.setText("Stopped." if response.finish_reason == "cancelled" else "Ready")

    def _on_reply_failed(self, message: str) -> None:
        if self._current is not None:
            self._current.meta.setText(f"Failed: {message}")
        self._current = None

    def _on_busy_changed(self, busy: bool) -> None:
        self.stop_button.setEnabled(busy)
        self.send_button.setEnabled(not busy)
