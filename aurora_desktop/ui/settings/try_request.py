"""'Try a request': which routing rule would fire for a sample request, and why (runs nothing)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from aurora_desktop.core.contract import RISKS, TASKS, Request
from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.routing.router import RoutingDecision
from aurora_desktop.ui.core_text import core_text
from aurora_desktop.ui.tasks import TaskRunner, error_sentence

Decide = Callable[[Request], RoutingDecision]
SLO_MAX_MS = 3_600_000


class TryRequestBox(QGroupBox):
    """A sample request in, the routing decision of the saved policy out."""

    decided = Signal(object)  # RoutingDecision, on the main thread

    def __init__(self, decide: Decide, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tryRequestBox")
        self._decide = decide
        self._tasks = TaskRunner("routing-try", self)
        self._attempt = 0

        self.task = QComboBox(self)
        self.task.setObjectName("tryTask")
        for task in TASKS:
            self.task.addItem(task, task)
        self.risk = QComboBox(self)
        self.risk.setObjectName("tryRisk")
        for risk in RISKS:
            self.risk.addItem(risk, risk)
        self.slo = QSpinBox(self)
        self.slo.setObjectName("trySlo")
        self.slo.setRange(0, SLO_MAX_MS)
        self.slo.setSingleStep(100)
        self.slo.setSuffix(" ms")
        self.prompt = QLineEdit(self)
        self.prompt.setObjectName("tryPrompt")
        self.prompt.returnPressed.connect(self.try_request)
        self.try_button = QPushButton(self)
        self.try_button.setObjectName("tryButton")
        self.try_button.clicked.connect(self.try_request)
        self.result = QLabel(self)
        self.result.setObjectName("tryResult")
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        prompt_row = QHBoxLayout()
        prompt_row.addWidget(self.prompt, 1)
        prompt_row.addWidget(self.try_button)
        self._form = QFormLayout(self)
        self._labels: list[QLabel] = []
        for field in (self.task, self.risk, self.slo, self.prompt):
            label = QLabel(self)
            label.setBuddy(field)
            self._labels.append(label)
        self._form.addRow(self._labels[0], self.task)
        self._form.addRow(self._labels[1], self.risk)
        self._form.addRow(self._labels[2], self.slo)
        self._form.addRow(self._labels[3], prompt_row)
        self._form.addRow(self.result)
        self._last: RoutingDecision | None = None
        self._error: str | None = None
        self.retranslate()

    def try_request(self) -> None:
        """Ask `decide` on the worker thread; only the answer to the latest try is shown."""
        try:
            request = Request.from_prompt(
                self.prompt.text(),
                task=self.task.currentData(),
                risk=self.risk.currentData(),
                slo_ms=self.slo.value() or None,
            )
        except AuroraError as exc:
            self._attempt += 1
            self._on_failed(self._attempt, core_text(str(exc)))
            return
        self._attempt += 1
        attempt = self._attempt
        self.result.setText(QCoreApplication.translate("TryRequestBox", "Deciding…"))
        self._tasks.run(
            partial(self._decide, request),
            partial(self._on_decided, attempt),
            partial(self._on_decide_error, attempt),
        )

    def _on_decide_error(self, attempt: int, error: Exception) -> None:
        self._on_failed(attempt, error_sentence(error, "{error}"))

    def _on_decided(self, attempt: int, decision: RoutingDecision) -> None:
        if attempt != self._attempt:
            return
        self._last, self._error = decision, None
        self._show()
        self.decided.emit(decision)

    def _on_failed(self, attempt: int, message: str) -> None:
        if attempt != self._attempt:
            return
        self._last, self._error = None, message
        self._show()

    def _show(self) -> None:
        translate = QCoreApplication.translate
        decision = self._last
        if self._error is not None:
            self.result.setText(
                translate("TryRequestBox", "Could not decide: {error}").format(error=self._error)
            )
            return
        if decision is None:
            self.result.setText(
                translate("TryRequestBox", "Uses the saved policy; unsaved edits count after Save.")
            )
            return
        if decision.rule is None:
            head = translate("TryRequestBox", "No rule matched → {target} (defaults)")
        else:
            head = translate("TryRequestBox", "Rule {number} “{name}” → {target}")
        fallback = decision.fallback or translate("TryRequestBox", "not set")
        lines = [
            head.format(number=decision.rule, name=decision.rule_name, target=decision.target),
            translate("TryRequestBox", "Model: {model} · fallback: {fallback}").format(
                model=decision.model or translate("TryRequestBox", "default"), fallback=fallback
            ),
            translate("TryRequestBox", "Why: {why}").format(why=core_text(decision.why)),
            translate("TryRequestBox", "{count} prompt tokens, counted by {method}").format(
                count=decision.tokens_in, method=decision.tokens_counted_by
            ),
        ]
        self.result.setText("\n".join(lines))

    def shutdown(self) -> None:
        """Stop the worker thread; results still on their way are dropped."""
        self._attempt += 1
        self._tasks.shutdown()

    def retranslate(self) -> None:
        translate = QCoreApplication.translate
        self.setTitle(translate("TryRequestBox", "Try a request"))
        texts = (
            translate("TryRequestBox", "Tas&k:"),
            translate("TryRequestBox", "R&isk:"),
            translate("TryRequestBox", "Late&ncy target:"),
            translate("TryRequestBox", "&Prompt:"),
        )
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.task.setAccessibleName(translate("TryRequestBox", "Task"))
        self.risk.setAccessibleName(translate("TryRequestBox", "Risk"))
        self.slo.setAccessibleName(translate("TryRequestBox", "Latency target in ms"))
        self.prompt.setAccessibleName(translate("TryRequestBox", "Sample prompt"))
        self.prompt.setPlaceholderText(
            translate("TryRequestBox", "A sample prompt (its length counts as tokens_in)")
        )
        self.slo.setSpecialValueText(translate("TryRequestBox", "policy default"))
        self.try_button.setText(translate("TryRequestBox", "&Try"))
        self.try_button.setAccessibleName(translate("TryRequestBox", "Try the request"))
        self.result.setAccessibleName(translate("TryRequestBox", "Routing decision"))
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
