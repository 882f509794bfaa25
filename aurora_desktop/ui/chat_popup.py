"""The small chat window that opens from the tray: task and risk, prompt, streamed replies."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.contract import REQUEST_TASKS, RISKS, Response
from aurora_desktop.ui.chat_choices import (
    DEFAULT_RISK,
    DEFAULT_TASK,
    NEEDS_MORE_INPUT,
    risk_hint,
    risk_name,
    task_hint,
    task_name,
)
from aurora_desktop.ui.chat_message import MessageView
from aurora_desktop.ui.chat_session import ChatSession
from aurora_desktop.ui.route_text import describe_route

__all__ = ["ChatPopup", "MessageView", "describe_route"]

WINDOW_TITLE = "Aurora chat"  # the English title; desktop tests find the window by it
POPUP_SIZE = (420, 560)
FOCUS_PROMPT_KEYS = "Ctrl+L"


class ChatPopup(QWidget):
    """Tray popup: conversation above, prompt below; Enter sends, Shift+Enter is a newline,
    Esc hides (the conversation stays until New chat)."""

    def __init__(self, session: ChatSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("chatPopup")
        self.resize(*POPUP_SIZE)
        self._current: MessageView | None = None
        self._views: list[MessageView] = []
        self._status_key = "starting"
        self._at_bottom = True

        self.status = QLabel(self)
        self.status.setObjectName("statusLine")
        self.status.setWordWrap(True)

        self._list = QWidget(self)
        self._list.setObjectName("conversationList")
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.addStretch(1)
        self.conversation = QScrollArea(self)
        self.conversation.setObjectName("conversation")
        self.conversation.setWidgetResizable(True)
        self.conversation.setWidget(self._list)
        bar = self.conversation.verticalScrollBar()
        bar.rangeChanged.connect(self._on_scroll_range)
        bar.valueChanged.connect(self._on_scroll_value)

        self.task_label = QLabel(self)
        self.task_combo = QComboBox(self)
        self.task_combo.setObjectName("taskSelector")
        for task in REQUEST_TASKS:
            self.task_combo.addItem(task, task)
        model = self.task_combo.model()
        assert isinstance(model, QStandardItemModel)
        for index, task in enumerate(REQUEST_TASKS):
            if task in NEEDS_MORE_INPUT:
                item = model.item(index)
                item.setEnabled(False)
        self.task_combo.setCurrentIndex(REQUEST_TASKS.index(DEFAULT_TASK))
        self.task_label.setBuddy(self.task_combo)
        self.risk_label = QLabel(self)
        self.risk_combo = QComboBox(self)
        self.risk_combo.setObjectName("riskSelector")
        for risk in RISKS:
            self.risk_combo.addItem(risk, risk)
        self.risk_combo.setCurrentIndex(RISKS.index(DEFAULT_RISK))
        self.risk_label.setBuddy(self.risk_combo)
        self.new_chat_button = QPushButton(self)
        self.new_chat_button.setObjectName("newChatButton")

        self.prompt = QPlainTextEdit(self)
        self.prompt.setObjectName("promptInput")
        self.prompt.setFixedHeight(72)
        self.prompt.setTabChangesFocus(True)
        self.prompt.installEventFilter(self)
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(True)
        self.stop_button = QPushButton(self)
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setEnabled(False)
        self.focus_prompt_shortcut = QShortcut(QKeySequence(FOCUS_PROMPT_KEYS), self)
        self.focus_prompt_shortcut.setObjectName("focusPromptShortcut")
        self.focus_prompt_shortcut.activated.connect(self.focus_prompt)

        options = QHBoxLayout()
        options.addWidget(self.task_label)
        options.addWidget(self.task_combo, 1)
        options.addWidget(self.risk_label)
        options.addWidget(self.risk_combo, 1)
        options.addWidget(self.new_chat_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.conversation, 1)
        layout.addLayout(options)
        layout.addWidget(self.prompt)
        layout.addLayout(buttons)
        # prompt → send → stop → task → risk → new chat → the replies (added later, after these)
        chain = [
            self.prompt,
            self.send_button,
            self.stop_button,
            self.task_combo,
            self.risk_combo,
            self.new_chat_button,
            self.conversation,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

        self.send_button.clicked.connect(self._on_send_clicked)
        self.stop_button.clicked.connect(session.stop)
        self.new_chat_button.clicked.connect(session.new_chat)
        session.busy_changed.connect(self._on_busy_changed)
        session.status_changed.connect(self._on_session_status)
        session.reply_started.connect(self._on_reply_started)
        session.reply_text.connect(self._on_reply_text)
        session.reply_finished.connect(self._on_reply_finished)
        session.reply_failed.connect(self._on_reply_failed)
        session.reply_stopped.connect(self._on_reply_stopped)
        session.conversation_reset.connect(self._on_conversation_reset)
        session.paused_changed.connect(self._on_paused_changed)
        self.retranslate()

    @property
    def messages(self) -> list[MessageView]:
        return list(self._views)

    def last_reply(self) -> MessageView | None:
        replies = [m for m in self._views if m.role != "user"]
        return replies[-1] if replies else None

    def task(self) -> str:
        return str(self.task_combo.currentData())

    def risk(self) -> str:
        return str(self.risk_combo.currentData())

    def focus_prompt(self) -> None:
        self.prompt.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.prompt.selectAll()

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

    def retranslate(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("ChatPopup", "Aurora chat"))
        self.prompt.setPlaceholderText(
            QCoreApplication.translate(
                "ChatPopup", "Ask Aurora… (Enter to send, Shift+Enter for a new line)"
            )
        )
        self.prompt.setAccessibleName(QCoreApplication.translate("ChatPopup", "Your question"))
        self.prompt.setToolTip(
            QCoreApplication.translate("ChatPopup", "Ctrl+L puts the cursor here.")
        )
        self.send_button.setText(QCoreApplication.translate("ChatPopup", "&Send"))
        self.send_button.setAccessibleName(QCoreApplication.translate("ChatPopup", "Send"))
        self.stop_button.setText(QCoreApplication.translate("ChatPopup", "S&top"))
        self.stop_button.setAccessibleName(
            QCoreApplication.translate("ChatPopup", "Stop answering")
        )
        self.new_chat_button.setText(QCoreApplication.translate("ChatPopup", "&New chat"))
        self.new_chat_button.setAccessibleName(QCoreApplication.translate("ChatPopup", "New chat"))
        self.new_chat_button.setToolTip(
            QCoreApplication.translate("ChatPopup", "Forget this conversation and start again.")
        )
        self.task_label.setText(QCoreApplication.translate("ChatPopup", "T&ask:"))
        self.task_combo.setAccessibleName(QCoreApplication.translate("ChatPopup", "Task"))
        for index, task in enumerate(REQUEST_TASKS):
            self.task_combo.setItemText(index, task_name(task))
            self.task_combo.setItemData(index, task_hint(task), Qt.ItemDataRole.ToolTipRole)
        self.risk_label.setText(QCoreApplication.translate("ChatPopup", "&Risk:"))
        self.risk_combo.setAccessibleName(QCoreApplication.translate("ChatPopup", "Risk"))
        for index, risk in enumerate(RISKS):
            self.risk_combo.setItemText(index, risk_name(risk))
            self.risk_combo.setItemData(index, risk_hint(risk), Qt.ItemDataRole.ToolTipRole)
        self.conversation.setAccessibleName(QCoreApplication.translate("ChatPopup", "Conversation"))
        self.status.setAccessibleName(QCoreApplication.translate("ChatPopup", "Status"))
        if self._status_key:
            self._set_status(self._status_key)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

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

    # -- status ----------------------------------------------------------------------------

    def _set_status(self, key: str) -> None:
        """A status the popup owns, kept by key so a language switch can re-say it."""
        texts = {
            "starting": QCoreApplication.translate("ChatPopup", "Starting…"),
            "ready": QCoreApplication.translate("ChatPopup", "Ready"),
            "stopped": QCoreApplication.translate("ChatPopup", "Stopped."),
            "answering": QCoreApplication.translate("ChatPopup", "Answering…"),
            "empty": QCoreApplication.translate("ChatPopup", "Type a question first."),
            "busy": QCoreApplication.translate(
                "ChatPopup", "Aurora is still answering; press Stop first."
            ),
            "copied": QCoreApplication.translate("ChatPopup", "The reply is on the clipboard."),
            "paused": QCoreApplication.translate(
                "ChatPopup", "Paused: resume Aurora from the tray menu to ask again."
            ),
            "new_chat": QCoreApplication.translate(
                "ChatPopup", "New chat: Aurora has forgotten the earlier messages."
            ),
        }
        self._status_key = key
        self.status.setText(texts[key])

    def _on_session_status(self, text: str) -> None:
        self._status_key = ""
        self.status.setText(text)

    # -- conversation ----------------------------------------------------------------------

    def _add(self, view: MessageView) -> None:
        self._views.append(view)
        self._list_layout.addWidget(view)
        view.copied.connect(lambda _text: self._set_status("copied"))
        view.badge.toggled.connect(lambda _open: self.conversation.ensureWidgetVisible(view))

    def _on_scroll_value(self, value: int) -> None:
        self._at_bottom = value >= self.conversation.verticalScrollBar().maximum() - 4

    def _on_scroll_range(self, _low: int, high: int) -> None:
        # follow a reply as it grows, unless the person scrolled up to read
        if self._at_bottom or self._current is not None:
            self.conversation.verticalScrollBar().setValue(high)

    def _on_send_clicked(self) -> None:
        text = self.prompt.toPlainText().strip()
        if not text:
            self._set_status("empty")
            return
        if self.session.busy:
            self._set_status("busy")
            return
        if self.session.paused:
            self._set_status("paused")
            return
        self._add(MessageView("user", text, self._list))
        self.prompt.clear()
        self._at_bottom = True
        self.session.send(text, task=self.task(), risk=self.risk())

    def _on_reply_started(self) -> None:
        self._current = MessageView("assistant", "", self._list)
        self._current.show_thinking()
        self._add(self._current)
        self._set_status("answering")

    def _on_reply_text(self, piece: str) -> None:
        if self._current is not None:
            self._current.append(piece)

    def _on_reply_finished(self, response: Response) -> None:
        if self._current is None:  # the conversation was reset while this reply was written
            return
        self._current.show_response(response)
        self._current = None
        self._set_status("stopped" if response.finish_reason == "cancelled" else "ready")

    def _on_reply_failed(self, message: str) -> None:
        if self._current is not None:
            self._current.show_failed(message)
        self._current = None

    def _on_reply_stopped(self) -> None:
        if self._current is not None:
            self._current.show_stopped()
        self._current = None

    def _on_conversation_reset(self) -> None:
        self._current = None
        for view in self._views:
            self._list_layout.removeWidget(view)
            view.hide()
            view.deleteLater()
        self._views = []
        self._set_status("new_chat")
        self.prompt.setFocus()

    def _on_busy_changed(self, busy: bool) -> None:
        self.stop_button.setEnabled(busy)
        self.send_button.setEnabled(not busy and not self.session.paused)

    def _on_paused_changed(self, paused: bool) -> None:
        self.send_button.setEnabled(not paused and not self.session.busy)
        self._set_status("paused" if paused else "ready")
