"""The routing rules as an ordered, editable table, plus the defaults used when no rule matches."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.contract import RISKS, TASKS
from aurora_desktop.ui.settings.condition_widgets import SPIN_MAX, MultiChoiceButton, RangeEditor

TARGETS = ("local", "cloud")
FALLBACKS = ("local", "cloud", "none")
COLUMNS = 8  # name, task, risk, tokens_in, slo_ms, target, model, fallback
NAME_MAX = 80


def _fallback_combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.addItem("", None)  # "not set": its text is set in retranslate
    for value in FALLBACKS:
        combo.addItem(value, value)
    return combo


def _target_combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    for value in TARGETS:
        combo.addItem(value, value)
    return combo


def _select(combo: QComboBox, value: object) -> None:
    combo.blockSignals(True)
    combo.setCurrentIndex(max(0, combo.findData(value)))
    combo.blockSignals(False)


class RuleRow:
    """The editors of one rule; `to_dict` gives the rule as the policy file writes it."""

    def __init__(self, table: QTableWidget, row: int, rule: Mapping[str, Any]) -> None:
        viewport = table.viewport()
        when = rule.get("if", {})
        then = rule.get("then", {})
        self.name = QLineEdit(str(rule.get("name", "")), viewport)
        self.name.setMaxLength(NAME_MAX)
        self.task = MultiChoiceButton(TASKS, viewport)
        self.task.set_value(when.get("task"))
        self.risk = MultiChoiceButton(RISKS, viewport)
        self.risk.set_value(when.get("risk"))
        self.tokens_in = RangeEditor(viewport)
        self.tokens_in.set_value(when.get("tokens_in"))
        self.slo_ms = RangeEditor(viewport)
        self.slo_ms.set_value(when.get("slo_ms"))
        self.target = _target_combo(viewport)
        _select(self.target, then.get("target", "local"))
        self.model = QLineEdit(str(then.get("model", "")), viewport)
        self.fallback = _fallback_combo(viewport)
        _select(self.fallback, then.get("fallback"))
        self.widgets: tuple[QWidget, ...] = (
            self.name, self.task, self.risk, self.tokens_in, self.slo_ms,
            self.target, self.model, self.fallback,
        )  # fmt: skip
        for column, widget in enumerate(self.widgets):
            widget.setObjectName(f"rule{row + 1}_{_COLUMN_KEYS[column]}")
            table.setCellWidget(row, column, widget)
        for editor in (self.tokens_in, self.slo_ms):
            editor.op.setObjectName(f"{editor.objectName()}_op")
            editor.spin.setObjectName(f"{editor.objectName()}_value")
        self.row = row

    def focus_order(self) -> list[QWidget]:
        """The row's editors in the order Tab visits them."""
        order: list[QWidget] = []
        for widget in self.widgets:
            order.extend((widget.op, widget.spin) if isinstance(widget, RangeEditor) else (widget,))
        return order

    def connect_changes(self, slot: Any) -> None:
        self.name.textEdited.connect(slot)
        self.model.textEdited.connect(slot)
        self.task.changed.connect(slot)
        self.risk.changed.connect(slot)
        self.tokens_in.changed.connect(slot)
        self.slo_ms.changed.connect(slot)
        self.target.currentIndexChanged.connect(slot)
        self.fallback.currentIndexChanged.connect(slot)

    def to_dict(self) -> dict[str, Any]:
        when: dict[str, Any] = {}
        for key, editor in (
            ("task", self.task), ("risk", self.risk),
            ("tokens_in", self.tokens_in), ("slo_ms", self.slo_ms),
        ):  # fmt: skip
            value = editor.value()
            if value is not None:
                when[key] = value
        then: dict[str, Any] = {"target": self.target.currentData()}
        if self.model.text().strip():
            then["model"] = self.model.text().strip()
        if self.fallback.currentData() is not None:
            then["fallback"] = self.fallback.currentData()
        rule: dict[str, Any] = {}
        if self.name.text().strip():
            rule["name"] = self.name.text().strip()
        rule["if"] = when
        rule["then"] = then
        return rule


_COLUMN_KEYS = ("name", "task", "risk", "tokens_in", "slo_ms", "target", "model", "fallback")


class RuleTable(QWidget):
    """Edits the `rules` and `defaults` of a policy; `edited` fires on every user change."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RuleRow] = []
        self._version = "1.0"
        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("ruleTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(lambda *_: self._update_buttons())

        self.add_button = self._button(
            "addRuleButton", QStyle.StandardPixmap.SP_FileDialogNewFolder
        )
        self.remove_button = self._button("removeRuleButton", QStyle.StandardPixmap.SP_TrashIcon)
        self.up_button = self._button("moveRuleUpButton", QStyle.StandardPixmap.SP_ArrowUp)
        self.down_button = self._button("moveRuleDownButton", QStyle.StandardPixmap.SP_ArrowDown)
        self.add_button.clicked.connect(self.add_rule)
        self.remove_button.clicked.connect(self.remove_rule)
        self.up_button.clicked.connect(lambda: self.move_rule(-1))
        self.down_button.clicked.connect(lambda: self.move_rule(1))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.defaults_box = QGroupBox(self)
        self.defaults_box.setObjectName("defaultsBox")
        self.default_target = _target_combo(self.defaults_box)
        self.default_target.setObjectName("defaultTarget")
        self.default_model = QLineEdit(self.defaults_box)
        self.default_model.setObjectName("defaultModel")
        self.default_fallback = _fallback_combo(self.defaults_box)
        self.default_fallback.setObjectName("defaultFallback")
        self.default_slo = QSpinBox(self.defaults_box)
        self.default_slo.setObjectName("defaultSlo")
        self.default_slo.setRange(0, SPIN_MAX)
        self.default_slo.setSingleStep(100)
        self.default_slo.setSuffix(" ms")
        self._form = QFormLayout(self.defaults_box)
        self._form_rows: list[tuple[QLabel, QWidget]] = []
        for widget in (
            self.default_target, self.default_model, self.default_fallback, self.default_slo
        ):  # fmt: skip
            label = QLabel(self.defaults_box)
            label.setBuddy(widget)
            self._form.addRow(label, widget)
            self._form_rows.append((label, widget))
        self.default_target.currentIndexChanged.connect(self._on_edited)
        self.default_fallback.currentIndexChanged.connect(self._on_edited)
        self.default_model.textEdited.connect(self._on_edited)
        self.default_slo.valueChanged.connect(self._on_edited)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.defaults_box)
        self.retranslate()

    def _button(self, name: str, icon: QStyle.StandardPixmap) -> QPushButton:
        button = QPushButton(self.style().standardIcon(icon), "", self)
        button.setObjectName(name)
        return button

    # -- the policy in and out -------------------------------------------------------------

    def set_policy(self, data: Mapping[str, Any]) -> None:
        """Show a schema-valid policy (as parsed JSON) without emitting `edited`."""
        self._version = str(data.get("router_version", "1.0"))
        defaults = data.get("defaults", {})
        _select(self.default_target, defaults.get("target", "cloud"))
        _select(self.default_fallback, defaults.get("fallback"))
        self.default_model.setText(str(defaults.get("model", "")))
        self.default_slo.blockSignals(True)
        self.default_slo.setValue(int(defaults.get("slo_ms", 0)))
        self.default_slo.blockSignals(False)
        self._show_rules(list(data.get("rules", [])), self.table.currentRow())

    def policy(self) -> dict[str, Any]:
        """The policy the table shows, in the shape of `model_router.json`."""
        defaults: dict[str, Any] = {"target": self.default_target.currentData()}
        if self.default_model.text().strip():
            defaults["model"] = self.default_model.text().strip()
        if self.default_fallback.currentData() is not None:
            defaults["fallback"] = self.default_fallback.currentData()
        if self.default_slo.value() > 0:
            defaults["slo_ms"] = self.default_slo.value()
        return {
            "router_version": self._version,
            "defaults": defaults,
            "rules": self.rules(),
        }

    def rules(self) -> list[dict[str, Any]]:
        return [row.to_dict() for row in self._rows]

    def row(self, number: int) -> RuleRow:
        """The editors of rule `number` (1-based, as the rules are counted)."""
        return self._rows[number - 1]

    # -- structure edits -------------------------------------------------------------------

    def add_rule(self) -> None:
        rules = self.rules()
        name = QCoreApplication.translate("RuleTable", "New rule")
        rules.append({"name": name, "if": {}, "then": {"target": "local"}})
        self._show_rules(rules, len(rules) - 1)
        self._rows[-1].name.setFocus()
        self._rows[-1].name.selectAll()
        self.edited.emit()

    def remove_rule(self) -> None:
        current = self.table.currentRow()
        if not 0 <= current < len(self._rows):
            return
        rules = self.rules()
        del rules[current]
        self._show_rules(rules, min(current, len(rules) - 1))
        self.table.setFocus()
        self.edited.emit()

    def move_rule(self, step: int) -> None:
        current = self.table.currentRow()
        target = current + step
        if not (0 <= current < len(self._rows) and 0 <= target < len(self._rows)):
            return
        rules = self.rules()
        rules[current], rules[target] = rules[target], rules[current]
        self._show_rules(rules, target)
        self.edited.emit()

    def select_rule(self, number: int) -> None:
        if 1 <= number <= len(self._rows):
            self.table.selectRow(number - 1)

    def _show_rules(self, rules: list[dict[str, Any]], current: int) -> None:
        self.table.setRowCount(0)
        self._rows = []
        self.table.setRowCount(len(rules))
        for index, rule in enumerate(rules):
            row = RuleRow(self.table, index, rule)
            row.connect_changes(self._on_edited)
            for widget in row.widgets:
                widget.installEventFilter(self)
            self._rows.append(row)
        if rules:
            self.table.selectRow(max(0, min(current, len(rules) - 1)))
        chain = [self.table, *(w for row in self._rows for w in row.focus_order()), self.add_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        self._name_rows()
        self._update_buttons()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            for row in self._rows:
                if watched in row.widgets and self.table.currentRow() != row.row:
                    self.table.selectRow(row.row)
                    break
        return super().eventFilter(watched, event)

    def _on_edited(self, *_args: object) -> None:
        self.edited.emit()

    def _update_buttons(self) -> None:
        current = self.table.currentRow()
        has = 0 <= current < len(self._rows)
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and current > 0)
        self.down_button.setEnabled(has and current < len(self._rows) - 1)

    def _name_rows(self) -> None:
        translate = QCoreApplication.translate
        labels = (
            translate("RuleTable", "Rule {number}: name"),
            translate("RuleTable", "Rule {number}: task condition"),
            translate("RuleTable", "Rule {number}: risk condition"),
            translate("RuleTable", "Rule {number}: prompt tokens"),
            translate("RuleTable", "Rule {number}: latency target in ms"),
            translate("RuleTable", "Rule {number}: target"),
            translate("RuleTable", "Rule {number}: model"),
            translate("RuleTable", "Rule {number}: fallback"),
        )
        for row in self._rows:
            for label, widget in zip(labels, row.widgets, strict=True):
                widget.setAccessibleName(label.format(number=row.row + 1))
            row.model.setPlaceholderText(translate("RuleTable", "default model"))
            row.fallback.setItemText(0, translate("RuleTable", "not set"))

    # -- language --------------------------------------------------------------------------

    def retranslate(self) -> None:
        translate = QCoreApplication.translate
        self.table.setHorizontalHeaderLabels(
            [
                translate("RuleTable", "Name"),
                translate("RuleTable", "Task"),
                translate("RuleTable", "Risk"),
                translate("RuleTable", "Prompt tokens"),
                translate("RuleTable", "Latency target (ms)"),
                translate("RuleTable", "Target"),
                translate("RuleTable", "Model"),
                translate("RuleTable", "Fallback"),
            ]
        )
        self.table.setAccessibleName(translate("RuleTable", "Routing rules, first match wins"))
        self.add_button.setText(translate("RuleTable", "&Add rule"))
        self.remove_button.setText(translate("RuleTable", "Re&move"))
        self.up_button.setText(translate("RuleTable", "Move &up"))
        self.down_button.setText(translate("RuleTable", "Move &down"))
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setAccessibleName(button.text().replace("&", ""))
        self.defaults_box.setTitle(translate("RuleTable", "Defaults (when no rule matches)"))
        form_labels = (
            translate("RuleTable", "Ta&rget:"),
            translate("RuleTable", "M&odel:"),
            translate("RuleTable", "&Fallback:"),
            translate("RuleTable", "&Latency target:"),
        )
        for (label, field), text in zip(self._form_rows, form_labels, strict=True):
            label.setText(text)
            field.setAccessibleName(text.replace("&", "").rstrip(":"))
        self.default_model.setPlaceholderText(translate("RuleTable", "not set"))
        self.default_fallback.setItemText(0, translate("RuleTable", "not set"))
        self.default_slo.setSpecialValueText(translate("RuleTable", "not set"))
        self._name_rows()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
