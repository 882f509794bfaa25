"""Editors for one routing condition: a multi-choice list (task, risk) and a number comparison."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QMenu, QSpinBox, QToolButton, QWidget

OPERATORS = ("lt", "lte", "gt", "gte")
SIGNS = {"lt": "<", "lte": "≤", "gt": ">", "gte": "≥", "eq": "="}
SPIN_MAX = 100_000_000


class _StayOpenMenu(QMenu):
    """A menu of check boxes that stays open while the user ticks several of them."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        action = self.activeAction()
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self.activeAction()
        toggles = event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if toggles and action is not None and action.isCheckable():
            action.trigger()
            return
        super().keyPressEvent(event)


class MultiChoiceButton(QToolButton):
    """Pick any number of `choices`; none picked means the condition is not used."""

    changed = Signal()

    def __init__(self, choices: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._menu = _StayOpenMenu(self)
        self._actions: dict[str, QAction] = {}
        for choice in choices:
            action = self._menu.addAction(choice)
            action.setCheckable(True)
            action.toggled.connect(self._on_toggled)
            self._actions[choice] = action
        self.setMenu(self._menu)
        self.retranslate()

    def value(self) -> str | list[str] | None:
        """The condition as the policy file writes it: absent, one value, or a list."""
        picked = self.selected()
        if not picked:
            return None
        return picked[0] if len(picked) == 1 else picked

    def selected(self) -> list[str]:
        return [choice for choice, action in self._actions.items() if action.isChecked()]

    def set_value(self, value: object) -> None:
        wanted = {value} if isinstance(value, str) else set(value or ())  # type: ignore[call-overload]
        for choice, action in self._actions.items():
            action.blockSignals(True)
            action.setChecked(choice in wanted)
            action.blockSignals(False)
        self._show_value()

    def set_checked(self, choice: str, checked: bool) -> None:
        self._actions[choice].setChecked(checked)

    def _on_toggled(self, _checked: bool) -> None:
        self._show_value()
        self.changed.emit()

    def _show_value(self) -> None:
        picked = self.selected()
        text = ", ".join(picked) or QCoreApplication.translate("MultiChoiceButton", "any")
        self.setText(text)
        self.setToolTip(text)

    def retranslate(self) -> None:
        self._show_value()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class RangeEditor(QWidget):
    """A number condition: no condition, or an operator and a bound.

    A range the editor cannot show (two bounds, e.g. > 100 and < 2000) is kept exactly as
    the file has it until the user picks another operator.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._custom: dict[str, Any] | None = None
        self.op = QComboBox(self)
        self.spin = QSpinBox(self)
        self.spin.setRange(0, SPIN_MAX)
        self.spin.setSingleStep(100)
        self.spin.setAccelerated(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.op)
        layout.addWidget(self.spin, 1)
        self.setFocusProxy(self.op)
        self._fill_operators()
        self.op.currentIndexChanged.connect(self._on_operator)
        self.spin.valueChanged.connect(self._on_spin)
        self.retranslate()

    def value(self) -> int | dict[str, Any] | None:
        op = self.op.currentData()
        if op is None:
            return None
        if op == "custom":
            return dict(self._custom or {})
        if op == "eq":
            return self.spin.value()
        return {op: self.spin.value()}

    def set_value(self, value: object) -> None:
        self._custom = None
        op: str | None = None
        bound = 0
        if isinstance(value, bool):
            value = None
        if isinstance(value, int):
            op, bound = "eq", value
        elif isinstance(value, dict) and len(value) == 1:
            ((op, bound),) = value.items()
        elif isinstance(value, dict) and value:
            self._custom = dict(value)
            op = "custom"
        self._fill_operators()
        self.op.blockSignals(True)
        self.spin.blockSignals(True)
        self.op.setCurrentIndex(max(0, self.op.findData(op)))
        self.spin.setValue(int(bound))
        self.op.blockSignals(False)
        self.spin.blockSignals(False)
        self._update_enabled()

    def set_operator(self, op: str | None, bound: int | None = None) -> None:
        """Pick an operator (None: no condition) and optionally the bound, as a user would."""
        if bound is not None:
            self.spin.blockSignals(True)
            self.spin.setValue(bound)
            self.spin.blockSignals(False)
        self.op.setCurrentIndex(self.op.findData(op))

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.op.setAccessibleName(
            QCoreApplication.translate("RangeEditor", "{name}: comparison").format(name=name)
        )
        self.spin.setAccessibleName(
            QCoreApplication.translate("RangeEditor", "{name}: value").format(name=name)
        )

    def _fill_operators(self) -> None:
        current = self.op.currentData()
        self.op.blockSignals(True)
        self.op.clear()
        self.op.addItem(QCoreApplication.translate("RangeEditor", "any"), None)
        for op in (*OPERATORS, "eq"):
            self.op.addItem(SIGNS[op], op)
        if self._custom is not None:
            shown = " and ".join(f"{SIGNS.get(k, k)} {v}" for k, v in self._custom.items())
            label = QCoreApplication.translate("RangeEditor", "{range} (edit in JSON)")
            self.op.addItem(label.format(range=shown), "custom")
            self.op.setItemData(
                self.op.count() - 1, json.dumps(self._custom), Qt.ItemDataRole.ToolTipRole
            )
        self.op.setCurrentIndex(max(0, self.op.findData(current)))
        self.op.blockSignals(False)

    def _on_operator(self, _index: int) -> None:
        if self.op.currentData() != "custom" and self._custom is not None:
            self._custom = None
            self._fill_operators()
        self._update_enabled()
        self.changed.emit()

    def _on_spin(self, _value: int) -> None:
        if self.op.currentData() not in (None, "custom"):
            self.changed.emit()

    def _update_enabled(self) -> None:
        self.spin.setEnabled(self.op.currentData() not in (None, "custom"))

    def retranslate(self) -> None:
        self._fill_operators()
        self.op.setToolTip(QCoreApplication.translate("RangeEditor", "Comparison"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
