"""The performance dashboard: live tok/s and latency per engine, memory, share; history; export."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtGui import QCloseEvent, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.live_stats import to_csv
from aurora_desktop.core.scheduler.events import ModelState
from aurora_desktop.core.telemetry import RequestSample, Telemetry
from aurora_desktop.ui.dashboard_history import HistoryView
from aurora_desktop.ui.dashboard_live import LiveView

POLL_MS = 500  # at least twice a second; a poll reads two in-memory rings, never SQLite
DASHBOARD_SIZE = (900, 600)


class Dashboard(QWidget):
    """Polls the telemetry ring, the live meter and the scheduler while it is shown."""

    def __init__(
        self,
        metrics: Telemetry,
        models: Callable[[], list[ModelState]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.resize(*DASHBOARD_SIZE)
        self._metrics = metrics
        self._models = models
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("dashboardTabs")
        self.live = LiveView(self.tabs)
        self.history = HistoryView(metrics, self.tabs)
        self.tabs.addTab(self.live, "")
        self.tabs.addTab(self.history, "")
        self.export_png_button = QPushButton(self)
        self.export_png_button.setObjectName("dashboardExportPng")
        self.export_csv_button = QPushButton(self)
        self.export_csv_button.setObjectName("dashboardExportCsv")
        self.message = QLabel(self)
        self.message.setObjectName("dashboardMessage")
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.export_png_button)
        bottom.addWidget(self.export_csv_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.timer = QTimer(self)
        self.timer.setObjectName("dashboard-poll-timer")
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.export_png_button.clicked.connect(self._on_export_png)
        self.export_csv_button.clicked.connect(self._on_export_csv)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._history_loaded = False
        self.setTabOrder(self.tabs, self.export_png_button)
        self.setTabOrder(self.export_png_button, self.export_csv_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("Dashboard", "Aurora — dashboard"))
        self.setAccessibleName(QCoreApplication.translate("Dashboard", "Performance dashboard"))
        self.tabs.setTabText(0, QCoreApplication.translate("Dashboard", "&Live"))
        self.tabs.setTabText(1, QCoreApplication.translate("Dashboard", "&History"))
        self.tabs.setAccessibleName(QCoreApplication.translate("Dashboard", "Dashboard views"))
        self.export_png_button.setText(QCoreApplication.translate("Dashboard", "Export &PNG…"))
        self.export_png_button.setAccessibleName(
            QCoreApplication.translate("Dashboard", "Export the charts as a picture")
        )
        self.export_csv_button.setText(QCoreApplication.translate("Dashboard", "Export &CSV…"))
        self.export_csv_button.setAccessibleName(
            QCoreApplication.translate("Dashboard", "Export the figures shown as CSV")
        )

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- polling (main thread, cheap: two in-memory copies and a scheduler snapshot) -----------

    def poll(self) -> None:
        self.live.update_view(
            time.time(), self._metrics.recent(), self._metrics.live.snapshot(), self._models()
        )

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        self.poll()
        self.timer.start()
        if self.tabs.currentWidget() is self.history:
            self.history.load()

    def hideEvent(self, event: QHideEvent) -> None:  # Qt override
        self.timer.stop()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        self.timer.stop()
        super().closeEvent(event)

    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.history and not self._history_loaded:
            self._history_loaded = True
            self.history.load()

    # -- export ----------------------------------------------------------------------------

    def shown_samples(self) -> list[RequestSample]:
        """The requests behind the tab in front (what the CSV export writes)."""
        return (
            self.history.samples if self.tabs.currentWidget() is self.history else self.live.samples
        )

    def export_png(self, path: Path) -> None:
        """A picture of the tab in front, as it is shown."""
        if not self.tabs.currentWidget().grab().save(str(path), "PNG"):
            raise OSError(f"could not write {path}")

    def export_csv(self, path: Path) -> None:
        path.write_text(to_csv(self.shown_samples()), encoding="utf-8")

    def _on_export_png(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("Dashboard", "Export charts"),
            "aurora-dashboard.png",
            QCoreApplication.translate("Dashboard", "PNG images (*.png)"),
        )
        if name:
            self._export(lambda: self.export_png(Path(name)), name)

    def _on_export_csv(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("Dashboard", "Export figures"),
            "aurora-requests.csv",
            QCoreApplication.translate("Dashboard", "CSV files (*.csv)"),
        )
        if name:
            self._export(lambda: self.export_csv(Path(name)), name)

    def _export(self, write: Callable[[], None], name: str) -> None:
        try:
            write()
        except OSError as exc:
            text = QCoreApplication.translate(
                "Dashboard", "Could not save {path} ({error}); choose another folder."
            )
            self.message.setText(text.format(path=name, error=exc.strerror or exc))
            return
        self.message.setText(
            QCoreApplication.translate("Dashboard", "Saved {path}.").format(path=name)
        )

    def shutdown(self) -> None:
        """Stop polling and end the history worker (call before the core closes)."""
        self.timer.stop()
        self.history.shutdown()
