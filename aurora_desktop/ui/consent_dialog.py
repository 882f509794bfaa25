"""The consent window: who would receive what, why, and Allow once / Always allow / Deny."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.policy.consent import ConsentAnswer, ConsentReply, ConsentRequest
from aurora_desktop.ui.core_text import core_text
from aurora_desktop.ui.tray import app_icon

TICK_MS = 250  # the countdown text changes once a second; a finer tick keeps the deadline exact
EXPIRY_SECONDS: tuple[int | None, ...] = (None, 3_600, 86_400, 7 * 86_400, 30 * 86_400)
DIALOG_SIZE = (520, 440)


class ConsentDialog(QDialog):
    """One consent request; emits `answered` exactly once (Deny on Esc, close or deadline)."""

    answered = Signal(object)  # ConsentReply

    def __init__(
        self,
        request: ConsentRequest,
        deadline: float,
        parent: QWidget | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.request = request
        self.deadline = deadline  # on the `monotonic` clock
        self.reply: ConsentReply | None = None
        self._monotonic = monotonic
        self._wall_clock = wall_clock
        self.setObjectName("consentDialog")
        self.setModal(False)
        self.setWindowFlags(
            Qt.WindowType.Window
            | Qt.WindowType.WindowTitleHint
            | Qt.WindowType.WindowCloseButtonHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        self.setWindowIcon(app_icon())
        self.resize(*DIALOG_SIZE)

        self.icon = QLabel(self)
        self.icon.setObjectName("consentIcon")
        style_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxQuestion)
        self.icon.setPixmap(style_icon.pixmap(32, 32))
        self.header = QLabel(self)
        self.header.setObjectName("consentHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        font = QFont(self.header.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.header.setFont(font)

        self.scope = self._value_label("consentScope", request.scope)
        self.app = self._value_label("consentApp", request.app or "")
        self.app_caption = QLabel(self)
        self.why = self._value_label("consentWhy", core_text(request.why))
        self.size_label = self._value_label("consentBytes", "")
        self.scope_caption = QLabel(self)
        self.why_caption = QLabel(self)
        self.size_caption = QLabel(self)

        self.preview_caption = QLabel(self)
        self.preview_caption.setObjectName("consentPreviewCaption")
        self.preview_caption.setWordWrap(True)
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("consentPreview")
        self.preview.setReadOnly(True)
        self.preview.setPlainText(request.preview)
        self.preview.setTabChangesFocus(True)
        self.preview_caption.setBuddy(self.preview)

        self.countdown = QLabel(self)
        self.countdown.setObjectName("consentCountdown")
        self.countdown.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint = QLabel(self)
        self.hint.setObjectName("consentHint")
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.always_button = QPushButton(self)
        self.always_button.setObjectName("consentAlways")
        self.expiry = QComboBox(self)
        self.expiry.setObjectName("consentExpiry")
        for seconds in EXPIRY_SECONDS:
            self.expiry.addItem("", seconds)
        self.once_button = QPushButton(self)
        self.once_button.setObjectName("consentAllowOnce")
        self.deny_button = QPushButton(self)
        self.deny_button.setObjectName("consentDeny")
        self.deny_button.setDefault(True)
        self.deny_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogNoButton))

        self._layout()
        self.setTabOrder(self.preview, self.always_button)
        self.setTabOrder(self.always_button, self.expiry)
        self.setTabOrder(self.expiry, self.once_button)
        self.setTabOrder(self.once_button, self.deny_button)

        self.once_button.clicked.connect(self._on_once)
        self.always_button.clicked.connect(self._on_always)
        self.deny_button.clicked.connect(self.reject)

        self.timer = QTimer(self)
        self.timer.setObjectName("consent-countdown-timer")
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._on_tick)
        self.timer.start()
        self.retranslate()
        self.deny_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _value_label(self, name: str, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.header, 1)
        form = QFormLayout()
        if self.request.app:  # asked through the local API: which app wants to send it
            form.addRow(self.app_caption, self.app)
        else:
            self.app_caption.hide()
            self.app.hide()
        form.addRow(self.scope_caption, self.scope)
        form.addRow(self.why_caption, self.why)
        form.addRow(self.size_caption, self.size_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.always_button)
        buttons.addWidget(self.expiry)
        buttons.addStretch(1)
        buttons.addWidget(self.once_button)
        buttons.addWidget(self.deny_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.preview_caption)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.countdown)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("ConsentDialog", "Aurora — consent"))
        self.setAccessibleName(QCoreApplication.translate("ConsentDialog", "Consent request"))
        recipient = core_text(self.request.recipient)
        self.header.setText(
            QCoreApplication.translate(
                "ConsentDialog", "{app} wants to send this to {recipient}."
            ).format(app=self.request.app, recipient=recipient)
            if self.request.app
            else QCoreApplication.translate("ConsentDialog", "Send this to {recipient}?").format(
                recipient=recipient
            )
        )
        self.app_caption.setText(QCoreApplication.translate("ConsentDialog", "App:"))
        self.why.setText(core_text(self.request.why))
        self.scope_caption.setText(QCoreApplication.translate("ConsentDialog", "Scope:"))
        self.why_caption.setText(QCoreApplication.translate("ConsentDialog", "Why:"))
        self.size_caption.setText(QCoreApplication.translate("ConsentDialog", "Size:"))
        self.size_label.setText(
            QCoreApplication.translate("ConsentDialog", "{bytes} bytes").format(
                bytes=f"{self.request.bytes_out:,}"
            )
        )
        self.preview_caption.setText(
            QCoreApplication.translate(
                "ConsentDialog", "&Exactly this would be sent (personal data masked):"
            )
        )
        self.preview.setAccessibleName(
            QCoreApplication.translate("ConsentDialog", "Data that would be sent")
        )
        self.hint.setText(
            QCoreApplication.translate("ConsentDialog", "Nothing is sent unless you allow it.")
        )
        self.always_button.setText(QCoreApplication.translate("ConsentDialog", "&Always allow"))
        self.always_button.setAccessibleName(
            QCoreApplication.translate("ConsentDialog", "Always allow")
        )
        self.expiry.setAccessibleName(
            QCoreApplication.translate("ConsentDialog", "How long Always allow lasts")
        )
        self.expiry.setToolTip(
            QCoreApplication.translate("ConsentDialog", "How long Always allow lasts")
        )
        expiry_texts = (
            QCoreApplication.translate("ConsentDialog", "Until I revoke it"),
            QCoreApplication.translate("ConsentDialog", "1 hour"),
            QCoreApplication.translate("ConsentDialog", "1 day"),
            QCoreApplication.translate("ConsentDialog", "7 days"),
            QCoreApplication.translate("ConsentDialog", "30 days"),
        )
        for index, text in enumerate(expiry_texts):
            self.expiry.setItemText(index, text)
        self.once_button.setText(QCoreApplication.translate("ConsentDialog", "Allow &once"))
        self.once_button.setAccessibleName(
            QCoreApplication.translate("ConsentDialog", "Allow once")
        )
        self.deny_button.setText(QCoreApplication.translate("ConsentDialog", "&Deny"))
        self.deny_button.setAccessibleName(QCoreApplication.translate("ConsentDialog", "Deny"))
        self._show_remaining()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- answering -----------------------------------------------------------------------

    def remaining_s(self) -> int:
        return max(0, math.ceil(self.deadline - self._monotonic()))

    def set_expiry(self, seconds: int | None) -> None:
        """Choose the "Always allow" duration (None: until revoked)."""
        self.expiry.setCurrentIndex(EXPIRY_SECONDS.index(seconds))

    def _show_remaining(self) -> None:
        self.countdown.setText(
            QCoreApplication.translate("ConsentDialog", "Answers Deny in {seconds} s").format(
                seconds=self.remaining_s()
            )
        )

    def _on_tick(self) -> None:
        if self._monotonic() >= self.deadline:
            self.reject()  # a timeout counts as deny
            return
        self._show_remaining()

    def _on_once(self) -> None:
        self._answer(ConsentReply(ConsentAnswer.ALLOW_ONCE))
        self.accept()

    def _on_always(self) -> None:
        seconds = self.expiry.currentData()
        expires = None if seconds is None else self._wall_clock() + float(seconds)
        self._answer(ConsentReply(ConsentAnswer.ALLOW_ALWAYS, expires))
        self.accept()

    def _answer(self, reply: ConsentReply) -> None:
        if self.reply is not None:
            return
        self.reply = reply
        self.timer.stop()
        self.answered.emit(reply)

    def dismiss(self) -> None:
        """Close without asking any more (the request was answered elsewhere): Deny if open."""
        self.reject()

    def reject(self) -> None:  # Deny, Esc, deadline
        self._answer(ConsentReply(ConsentAnswer.DENY))
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # the title bar's close button
        self._answer(ConsentReply(ConsentAnswer.DENY))
        super().closeEvent(event)
