"""The dashboard's History tab: stored request figures for 1 hour, 24 hours or 7 days."""

from __future__ import annotations

import time
from functools import partial

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.live_stats import by_series, group_requests, window_stats
from aurora_desktop.core.telemetry import RequestSample, Telemetry
from aurora_desktop.ui.dashboard_plots import (
    SeriesCurves,
    StatsTable,
    series_name,
    series_pen,
    set_title,
    themed_plot,
)
from aurora_desktop.ui.tasks import Task, TaskRunner, error_sentence

RANGES_S = (3600.0, 86_400.0, 7 * 86_400.0)
HISTORY_LIMIT = 10_000


class HistoryView(QWidget):
    """Reads `metrics.history` on a worker thread and draws it when it comes back."""

    loaded = Signal(object, float)  # list[RequestSample], the range start
    load_failed = Signal(str)

    def __init__(self, metrics: Telemetry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardHistory")
        self._metrics = metrics
        self._tasks = TaskRunner("dashboard-history", self)
        self._pending: Task[list[RequestSample]] | None = None
        self.samples: list[RequestSample] = []
        self.range_label = QLabel(self)
        self.range = QComboBox(self)
        self.range.setObjectName("dashboardRange")
        self.range_label.setBuddy(self.range)
        self.reload = QPushButton(self)
        self.reload.setObjectName("dashboardReload")
        self.status = QLabel(self)
        self.status.setObjectName("dashboardHistoryStatus")
        self.speed_plot = themed_plot("dashboardHistorySpeed", self, dates=True)
        self.latency_plot = themed_plot("dashboardHistoryLatency", self, dates=True)
        self.stats = StatsTable("dashboardHistoryStats", self)
        self.speed = SeriesCurves(self.speed_plot)
        self.latency = SeriesCurves(self.latency_plot)
        top = QHBoxLayout()
        top.addWidget(self.range_label)
        top.addWidget(self.range)
        top.addWidget(self.reload)
        top.addWidget(self.status, 1)
        grid = QGridLayout()
        grid.addWidget(self.speed_plot, 0, 0)
        grid.addWidget(self.latency_plot, 0, 1)
        grid.addWidget(self.stats, 1, 0, 1, 2)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        self.loaded.connect(self._on_loaded)
        self.load_failed.connect(self._on_load_failed)
        self.retranslate()
        self.range.currentIndexChanged.connect(lambda _index: self.load())
        self.reload.clicked.connect(self.load)

    def retranslate(self) -> None:
        self.range_label.setText(QCoreApplication.translate("HistoryView", "&Range:"))
        self.range.setAccessibleName(QCoreApplication.translate("HistoryView", "History range"))
        index = max(0, self.range.currentIndex())
        self.range.blockSignals(True)
        self.range.clear()
        self.range.addItems(
            [
                QCoreApplication.translate("HistoryView", "Last hour"),
                QCoreApplication.translate("HistoryView", "Last 24 hours"),
                QCoreApplication.translate("HistoryView", "Last 7 days"),
            ]
        )
        self.range.setCurrentIndex(index)
        self.range.blockSignals(False)
        self.reload.setText(QCoreApplication.translate("HistoryView", "R&eload"))
        self.reload.setAccessibleName(
            QCoreApplication.translate("HistoryView", "Reload the history")
        )
        set_title(
            self.speed_plot,
            QCoreApplication.translate("HistoryView", "Decode speed"),
            QCoreApplication.translate("HistoryView", "tok/s"),
            QCoreApplication.translate("HistoryView", "Time"),
        )
        set_title(
            self.latency_plot,
            QCoreApplication.translate(
                "HistoryView", "First token (dashed) and end-to-end latency"
            ),
            QCoreApplication.translate("HistoryView", "ms"),
            QCoreApplication.translate("HistoryView", "Time"),
        )
        self.speed_plot.setAccessibleName(
            QCoreApplication.translate("HistoryView", "Decode speed history chart")
        )
        self.latency_plot.setAccessibleName(
            QCoreApplication.translate("HistoryView", "Latency history chart")
        )
        self.stats.retranslate()
        self._draw()
        self._show_count()

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def since(self) -> float:
        return time.time() - RANGES_S[max(0, self.range.currentIndex())]

    def load(self) -> None:
        """Read the chosen range on the worker (SQLite never runs on the UI thread)."""
        if self._pending is not None and not self._pending.done():
            return
        self.status.setText(QCoreApplication.translate("HistoryView", "Loading…"))
        since = self.since()
        self._pending = self._tasks.run(
            partial(self._metrics.history, since=since, limit=HISTORY_LIMIT),
            lambda rows: self.loaded.emit(rows, since),
            self._on_read_failed,
        )

    def _on_read_failed(self, error: Exception) -> None:
        self.load_failed.emit(
            error_sentence(
                error,
                "The metrics history could not be read ({error}); try again or remove metrics.db.",
            )
        )

    def _on_loaded(self, rows: list[RequestSample], _since: float) -> None:
        self.samples = sorted(rows, key=lambda s: s.ts)
        self._draw()
        self._show_count()

    def _on_load_failed(self, message: str) -> None:
        self.status.setText(message)

    def _show_count(self) -> None:
        groups = group_requests(self.samples)
        self.status.setText(
            QCoreApplication.translate(
                "HistoryView", "{requests} requests, {calls} model calls ({internal} internal)"
            ).format(
                requests=len(groups),
                calls=len(self.samples),
                internal=sum(g.internal for g in groups),
            )
        )

    def _draw(self) -> None:
        self.speed.clear()
        self.latency.clear()
        for index, ((engine, target), rows) in enumerate(by_series(self.samples).items(), 1):
            name = series_name(engine, target)
            decoded = [(s.ts, s.decode_tok_s) for s in rows if s.decode_tok_s]
            if decoded:
                self.speed.draw(name, *zip(*decoded, strict=True), pen=series_pen(index))
            x = [s.ts for s in rows]
            first = QCoreApplication.translate("HistoryView", "first token · {series}").format(
                series=name
            )
            total = QCoreApplication.translate("HistoryView", "end to end · {series}").format(
                series=name
            )
            self.latency.draw(
                first, x, [s.ttft_ms for s in rows], pen=series_pen(index, dashed=True)
            )
            self.latency.draw(total, x, [s.latency_ms for s in rows], pen=series_pen(index))
        self.stats.show_stats(window_stats(self.samples))

    def shutdown(self) -> None:
        """Wait (bounded) for a read in progress and end the worker."""
        self._tasks.shutdown()
