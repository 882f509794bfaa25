"""Settings > Providers: the cloud providers (keys in the OS keyring, shown masked) and a test."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.providers.probe import ConnectionResult, probe_provider
from aurora_desktop.core.providers.registry import ProviderConfig, ProviderRegistry
from aurora_desktop.ui.core_text import core_text
from aurora_desktop.ui.settings.provider_dialog import ProviderDialog, ProviderForm
from aurora_desktop.ui.tasks import Task, TaskRunner, error_sentence

TestConnection = Callable[[str], ConnectionResult]  # blocking; runs on the page's worker


class ProvidersPage(QWidget):
    """Table of providers with Add, Edit, Remove and Test connection (on a worker thread)."""

    def __init__(
        self,
        registry: ProviderRegistry,
        test_connection: TestConnection | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("providersPage")
        self._registry = registry
        self._test = test_connection or (lambda name: probe_provider(registry, name))
        self._tasks = TaskRunner("provider-test", self)
        self._pending: Task[ConnectionResult] | None = None
        self._last: tuple[str, ConnectionResult | Exception] | None = None  # for retranslate

        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("providersTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _: self.edit_selected())
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addProvider")
        self.add_button.clicked.connect(self.add_provider)
        self.edit_button = QPushButton(self)
        self.edit_button.setObjectName("editProvider")
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removeProvider")
        self.remove_button.clicked.connect(self.remove_selected)
        self.test_button = QPushButton(self)
        self.test_button.setObjectName("testProvider")
        self.test_button.clicked.connect(self.test_selected)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("providerTestResult")
        self.result_label.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button, self.test_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result_label)
        self.setTabOrder(self.table, self.add_button)
        self.setTabOrder(self.add_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.remove_button)
        self.setTabOrder(self.remove_button, self.test_button)
        self.retranslate()
        self.refresh()

    def title(self) -> str:
        return QCoreApplication.translate("ProvidersPage", "Providers")

    # -- the table ---------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            configs = self._registry.configured()
        except AuroraError as exc:
            self._show(core_text(str(exc)))
            configs = []
        self.table.setRowCount(0)
        for row, config in enumerate(configs):
            self.table.insertRow(row)
            try:
                key = self._registry.api_key(config.name)
            except AuroraError as exc:
                self._show(core_text(str(exc)))
                key = None
            shown = (
                ProviderRegistry.masked_key(key)
                if key
                else QCoreApplication.translate("ProvidersPage", "no key")
            )
            for column, text in enumerate((config.name, config.base_url, config.model, shown)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._update_buttons()

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.text() if item is not None else None

    def select(self, name: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.text() == name:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        chosen = self.selected_name() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.test_button.setEnabled(chosen and self._pending is None)

    # -- add / edit / remove -----------------------------------------------------------------

    def add_provider(self) -> None:
        self.open_dialog(None).exec()

    def edit_selected(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.open_dialog(name).exec()

    def open_dialog(self, name: str | None) -> ProviderDialog:
        """The dialog for a new provider (None) or an existing one; the caller shows it."""
        existing = self._registry.get(name) if name is not None else None
        has_key = bool(name is not None and self._registry.api_key(name))
        return ProviderDialog(self.save_form, existing, has_key=has_key, parent=self)

    def save_form(self, form: ProviderForm) -> None:
        """Add or replace the provider; an empty key on an existing provider keeps its key."""
        known = {c.name: c for c in self._registry.list()}
        old = known.get(form.name)
        config = ProviderConfig(
            name=form.name,
            base_url=form.base_url,
            model=form.model,
            timeout_s=old.timeout_s if old else 60.0,
            max_retries=old.max_retries if old else 2,
        )
        key: str | None = form.api_key or None
        if key is None and old is not None:
            key = self._registry.api_key(form.name)  # keep the stored one
        self._registry.add(config, key)
        self.refresh()
        self.select(form.name)
        self._show(
            QCoreApplication.translate("ProvidersPage", "Saved {name}.").format(name=form.name)
        )

    def remove_selected(self, *, confirm: bool = True) -> None:
        name = self.selected_name()
        if name is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                QCoreApplication.translate("ProvidersPage", "Remove provider"),
                QCoreApplication.translate(
                    "ProvidersPage", "Remove {name} and delete its API key from the keyring?"
                ).format(name=name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            self._registry.remove(name)
        except AuroraError as exc:
            self._show(core_text(str(exc)))
            return
        self.refresh()
        self._show(
            QCoreApplication.translate("ProvidersPage", "Removed {name} and its API key.").format(
                name=name
            )
        )

    # -- test connection ---------------------------------------------------------------------

    def test_selected(self) -> None:
        name = self.selected_name()
        if name is None or self._pending is not None:
            return
        self._last = None
        self._show(QCoreApplication.translate("ProvidersPage", "Testing {name}…").format(name=name))
        self._pending = self._tasks.run(
            partial(self._test, name),
            partial(self._on_test_finished, name),
            partial(self._on_test_finished, name),
        )
        self._update_buttons()

    def _on_test_finished(self, name: str, outcome: ConnectionResult | Exception) -> None:
        self._pending = None
        self._last = (name, outcome)
        self._show_result()
        self._update_buttons()

    def _show_result(self) -> None:
        if self._last is None:
            return
        name, outcome = self._last
        if isinstance(outcome, ConnectionResult):
            text = QCoreApplication.translate(
                "ProvidersPage", "{model} answered in {total} ms (first token {ttft} ms)."
            ).format(model=outcome.model, total=f"{outcome.total_ms:.0f}",
                     ttft=f"{outcome.ttft_ms:.0f}")  # fmt: skip
        else:
            text = error_sentence(
                outcome,
                QCoreApplication.translate(
                    "ProvidersPage",
                    "The test of {name} failed ({error}); check its settings and retry.",
                ),
                name=name,
            )
        self._show(text)

    def _show(self, text: str) -> None:
        self.result_label.setText(text)

    def shutdown(self) -> None:
        """Waits a bounded time for a running test and stops the worker."""
        self._tasks.shutdown()

    # -- language ----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("ProvidersPage", "Name"),
                QCoreApplication.translate("ProvidersPage", "Base URL"),
                QCoreApplication.translate("ProvidersPage", "Model"),
                QCoreApplication.translate("ProvidersPage", "API key"),
            ]
        )
        self.table.setAccessibleName(QCoreApplication.translate("ProvidersPage", "Cloud providers"))
        self.add_button.setText(QCoreApplication.translate("ProvidersPage", "&Add…"))
        self.add_button.setAccessibleName(
            QCoreApplication.translate("ProvidersPage", "Add a provider")
        )
        self.edit_button.setText(QCoreApplication.translate("ProvidersPage", "&Edit…"))
        self.edit_button.setAccessibleName(
            QCoreApplication.translate("ProvidersPage", "Edit the selected provider")
        )
        self.remove_button.setText(QCoreApplication.translate("ProvidersPage", "&Remove"))
        self.remove_button.setAccessibleName(
            QCoreApplication.translate("ProvidersPage", "Remove the selected provider")
        )
        self.test_button.setText(QCoreApplication.translate("ProvidersPage", "&Test connection"))
        self.test_button.setAccessibleName(
            QCoreApplication.translate("ProvidersPage", "Test the selected provider")
        )
        self.result_label.setAccessibleName(QCoreApplication.translate("ProvidersPage", "Result"))
        self._show_result()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.table.rowCount():
                self.refresh()  # the "no key" cells
        super().changeEvent(event)
