"""The route badge under a reply: one line about where it ran, expanding to the whole decision."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QStyle,
    QStyleOptionFocusRect,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.contract import Response
from aurora_desktop.ui.route_text import describe_route, route_details

COLLAPSED = "▸"
EXPANDED = "▾"
ACTIVATE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)


def _smaller(widget: QWidget) -> None:
    font = widget.font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 0.9)
        widget.setFont(font)


class BadgeHeader(QLabel):
    """The compact line; a click, Enter or Space on it asks to expand or collapse."""

    activated = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        _smaller(self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.activated.emit()
            event.accept()
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ACTIVATE_KEYS:
            self.activated.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():
            option = QStyleOptionFocusRect()
            option.initFrom(self)
            option.backgroundColor = self.palette().color(QPalette.ColorRole.Window)
            painter = QPainter(self)
            self.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, option, painter)
            painter.end()


class RouteBadge(QFrame):
    """Shows a note ("Thinking…") or a finished reply's route; expands to its details."""

    toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("routeBadge")
        self._response: Response | None = None
        self._note = ""
        self.header = BadgeHeader(self)
        self.header.setObjectName("replyMeta")
        self.details = QLabel(self)
        self.details.setObjectName("routeDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setFrameShape(QFrame.Shape.StyledPanel)
        self.details.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.details.setAutoFillBackground(True)
        self.details.setMargin(6)
        _smaller(self.details)
        self.details.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.details)
        self.header.activated.connect(self.toggle)
        self.retranslate()

    @property
    def response(self) -> Response | None:
        return self._response

    @property
    def expanded(self) -> bool:
        return not self.details.isHidden()

    def set_note(self, note: str) -> None:
        """A line without details, e.g. while the reply is written or after it failed."""
        self._response = None
        self._note = note
        self.set_expanded(False)
        self.retranslate()

    def set_response(self, response: Response) -> None:
        self._response = response
        self._note = ""
        self.retranslate()

    def toggle(self) -> None:
        self.set_expanded(not self.expanded)

    def set_expanded(self, expanded: bool) -> None:
        expanded = expanded and self._response is not None
        if expanded == self.expanded:
            return
        self.details.setVisible(expanded)
        self._set_header()
        self.toggled.emit(expanded)

    def summary(self) -> str:
        """The one-line route without the expand arrow."""
        return describe_route(self._response) if self._response is not None else self._note

    def retranslate(self) -> None:
        self.header.setAccessibleName(
            QCoreApplication.translate("RouteBadge", "How this reply was made")
        )
        if self._response is not None:
            self.details.setText(route_details(self._response))
            self.header.setToolTip(
                QCoreApplication.translate(
                    "RouteBadge", "Click or press Enter to show or hide the full decision."
                )
            )
        else:
            self.details.clear()
            self.header.setToolTip("")
        self.details.setAccessibleName(QCoreApplication.translate("RouteBadge", "Route details"))
        self._set_header()

    def _set_header(self) -> None:
        summary = self.summary()
        if self._response is None:
            self.header.setText(summary)
        else:
            self.header.setText(f"{EXPANDED if self.expanded else COLLAPSED} {summary}")
        self.header.setAccessibleDescription(summary)
        cursor = Qt.CursorShape.PointingHandCursor if self._response else Qt.CursorShape.ArrowCursor
        self.header.setCursor(cursor)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
