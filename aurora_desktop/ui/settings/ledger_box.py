"""The ledger of what left the machine: filters, a table, and Export CSV."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
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

from aurora_desktop.core.decisions import DecisionLedger
from aurora_desktop.ui.route_text import where_name
from aurora_desktop.ui.settings.ledger_csv import (
    OUTCOME_KINDS,
    OWN,
    LedgerFilter,
    filter_rows,
    masked_text,
    write_csv,
)
from aurora_desktop.ui.settings.ledger_text import consent_text, outcome_text
from aurora_desktop.ui.tasks import TaskRunner, error_sentence

ROW_LIMIT = 1000
Row = Mapping[str, Any]


class LedgerBox(QWidget):
    """Reads the ledger on a worker thread; filters in memory; exports what is shown."""

    def __init__(self, ledger: DecisionLedger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ledgerBox")
        self._ledger = ledger
        self._rows: list[Row] = []
        self._shown: list[Row] = []
        self._tasks = TaskRunner("ledger-load", self)
        self.loading = False

        self.text_filter = QLineEdit(self)
        self.text_filter.setObjectName("ledgerTextFilter")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.textChanged.connect(self.apply_filter)
        self.target_combo = QComboBox(self)
        self.target_combo.setObjectName("ledgerTarget")
        for value in ("", "cloud", "local"):
            self.target_combo.addItem("", value)
        self.target_combo.currentIndexChanged.connect(self.apply_filter)
        self.outcome_combo = QComboBox(self)
        self.outcome_combo.setObjectName("ledgerOutcome")
        for value in ("", *OUTCOME_KINDS):
            self.outcome_combo.addItem("", value)
        self.outcome_combo.currentIndexChanged.connect(self.apply_filter)
        self.app_combo = QComboBox(self)
        self.app_combo.setObjectName("ledgerApp")
        self.app_combo.addItem("", "")
        self.app_combo.addItem("", OWN)
        self.app_combo.currentIndexChanged.connect(self.apply_filter)
        self.since_check = QCheckBox(self)
        self.since_check.setObjectName("ledgerSinceOn")
        self.since_date = QDateEdit(QDate.currentDate().addDays(-30), self)
        self.since_date.setObjectName("ledgerSince")
        self.since_date.setCalendarPopup(True)
        self.since_date.setEnabled(False)
        self.since_check.toggled.connect(self.since_date.setEnabled)
        self.since_check.toggled.connect(lambda _: self.refresh())
        self.since_date.dateChanged.connect(lambda _: self.refresh())
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("ledgerRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("ledgerExport")
        self.export_button.clicked.connect(self._on_export)
        self.table = QTableWidget(0, 9, self)
        self.table.setObjectName("ledgerTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel(self)
        self.status.setObjectName("ledgerStatus")
        self.status.setWordWrap(True)

        filters = QHBoxLayout()
        for widget in (self.text_filter, self.target_combo, self.outcome_combo, self.app_combo,
                       self.since_check, self.since_date):  # fmt: skip
            filters.addWidget(widget)
        filters.setStretch(0, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        actions.addWidget(self.refresh_button)
        actions.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        chain = [self.text_filter, self.target_combo, self.outcome_combo, self.app_combo,
                 self.since_check,
                 self.since_date, self.table, self.refresh_button, self.export_button]  # fmt: skip
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.retranslate()

    # -- loading -----------------------------------------------------------------------------

    def since(self) -> float | None:
        if not self.since_check.isChecked():
            return None
        return self.since_date.date().startOfDay().toSecsSinceEpoch() * 1.0

    def refresh(self) -> None:
        """Read the newest rows again, on the worker thread."""
        self.loading = True
        self._tasks.run(partial(self._read, self.since()), self._on_loaded, self._on_load_failed)

    def _read(self, since: float | None) -> list[Row]:  # worker thread
        return list(self._ledger.entries(since=since, limit=ROW_LIMIT))

    def _on_loaded(self, rows: list[Row]) -> None:
        self.loading = False
        self._rows = rows
        self._list_apps()
        self.apply_filter()

    def _on_load_failed(self, error: Exception) -> None:
        self.loading = False  # shown as a sentence, the page stays usable
        self.status.setText(
            error_sentence(
                error,
                QCoreApplication.translate(
                    "LedgerBox", "The ledger could not be read ({error}); try Refresh again."
                ),
            )
        )

    # -- filtering and the table -------------------------------------------------------------

    def current_filter(self) -> LedgerFilter:
        return LedgerFilter(
            text=self.text_filter.text(),
            target=str(self.target_combo.currentData() or ""),
            outcome=str(self.outcome_combo.currentData() or ""),
            app=str(self.app_combo.currentData() or ""),
        )

    def shown_rows(self) -> list[Row]:
        return list(self._shown)

    def apply_filter(self) -> None:
        self._shown = filter_rows(self._rows, self.current_filter())
        self.table.setRowCount(len(self._shown))
        for index, row in enumerate(self._shown):
            stamp = datetime.fromtimestamp(float(row["ts"])).strftime("%Y-%m-%d %H:%M:%S")
            cells = (
                stamp, where_name(str(row.get("target", ""))), str(row.get("model") or ""),
                f"{int(row.get('bytes_sent') or 0):,}", masked_text(row.get("masked") or {}),
                consent_text(str(row.get("consent") or "")),
                outcome_text(str(row.get("outcome", "")), row.get("reason")),
                str(row.get("task", "")), str(row.get("app") or self._own_text()),
            )  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(index, column, item)
        self._show_count()

    def _list_apps(self) -> None:
        """The app filter offers every API app the rows name (the choice is kept)."""
        apps = sorted({str(r["app"]) for r in self._rows if r.get("app")})
        chosen = self.app_combo.currentData()
        self.app_combo.blockSignals(True)
        while self.app_combo.count() > 2:
            self.app_combo.removeItem(2)
        for app in apps:
            self.app_combo.addItem(app, app)
        found = self.app_combo.findData(chosen)
        self.app_combo.setCurrentIndex(max(found, 0))
        self.app_combo.blockSignals(False)

    @staticmethod
    def _own_text() -> str:
        return QCoreApplication.translate("LedgerBox", "Aurora")

    def _show_count(self) -> None:
        self.status.setText(
            QCoreApplication.translate("LedgerBox", "{shown} of {total} entries shown.").format(
                shown=len(self._shown), total=len(self._rows)
            )
        )

    # -- export ------------------------------------------------------------------------------

    def _on_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("LedgerBox", "Export the ledger"),
            str(Path.home() / "aurora-ledger.csv"),
            QCoreApplication.translate("LedgerBox", "CSV files (*.csv)"),
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        try:
            count = write_csv(path, self._shown)
        except OSError as exc:
            self.status.setText(
                QCoreApplication.translate(
                    "LedgerBox",
                    "The ledger could not be saved to {path} ({error}); choose another place.",
                ).format(path=path, error=exc.strerror or exc)
            )
            return
        self.status.setText(
            QCoreApplication.translate("LedgerBox", "Exported {count} entries to {path}.").format(
                count=count, path=path
            )
        )

    def shutdown(self) -> None:
        self._tasks.shutdown()

    # -- language ----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.text_filter.setPlaceholderText(QCoreApplication.translate("LedgerBox", "Filter…"))
        self.text_filter.setAccessibleName(QCoreApplication.translate("LedgerBox", "Text filter"))
        target_texts = (
            QCoreApplication.translate("LedgerBox", "Any target"),
            QCoreApplication.translate("LedgerBox", "Cloud"),
            QCoreApplication.translate("LedgerBox", "Local"),
        )
        for index, text in enumerate(target_texts):
            self.target_combo.setItemText(index, text)
        self.target_combo.setAccessibleName(QCoreApplication.translate("LedgerBox", "Target"))
        outcome_texts = (
            QCoreApplication.translate("LedgerBox", "Any outcome"),
            QCoreApplication.translate("LedgerBox", "Answered"),
            QCoreApplication.translate("LedgerBox", "Refused"),
            QCoreApplication.translate("LedgerBox", "Failed"),
            QCoreApplication.translate("LedgerBox", "Stopped"),
        )
        for index, text in enumerate(outcome_texts):
            self.outcome_combo.setItemText(index, text)
        self.outcome_combo.setAccessibleName(QCoreApplication.translate("LedgerBox", "Outcome"))
        self.app_combo.setItemText(0, QCoreApplication.translate("LedgerBox", "Any app"))
        self.app_combo.setItemText(
            1, QCoreApplication.translate("LedgerBox", "Aurora's own windows")
        )
        self.app_combo.setAccessibleName(QCoreApplication.translate("LedgerBox", "App"))
        self.since_check.setText(QCoreApplication.translate("LedgerBox", "&Since"))
        self.since_date.setAccessibleName(QCoreApplication.translate("LedgerBox", "Since date"))
        self.refresh_button.setText(QCoreApplication.translate("LedgerBox", "Re&fresh"))
        self.apply_filter()  # the cells hold words of the current language
        self.export_button.setText(QCoreApplication.translate("LedgerBox", "E&xport CSV…"))
        self.table.setAccessibleName(
            QCoreApplication.translate("LedgerBox", "What left this computer")
        )
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("LedgerBox", "Time"),
                QCoreApplication.translate("LedgerBox", "Target"),
                QCoreApplication.translate("LedgerBox", "Model"),
                QCoreApplication.translate("LedgerBox", "Bytes sent"),
                QCoreApplication.translate("LedgerBox", "Masked"),
                QCoreApplication.translate("LedgerBox", "Consent"),
                QCoreApplication.translate("LedgerBox", "Outcome"),
                QCoreApplication.translate("LedgerBox", "Task"),
                QCoreApplication.translate("LedgerBox", "App"),
            ]
        )
        if not self.loading:
            self._show_count()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
