"""The dashboard's Live tab: tok/s (including the reply being written), latency, memory, share."""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.live import LiveGeneration
from aurora_desktop.core.live_stats import by_series, in_window, target_share, window_stats
from aurora_desktop.core.scheduler.events import ModelState
from aurora_desktop.core.telemetry import RequestSample
from aurora_desktop.ui.dashboard_plots import (
    SeriesCurves,
    StatsTable,
    series_name,
    series_pen,
    set_title,
    themed_plot,
)

WINDOWS_MIN = (5, 15, 60)
LIVE_KEY = "live"


class LiveView(QWidget):
    """Draws what `update` is given; the Dashboard's timer polls and calls it (main thread)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardLive")
        self.samples: list[RequestSample] = []  # the window shown, for the CSV export
        self._live: deque[tuple[float, float]] = deque(maxlen=2 * 60 * max(WINDOWS_MIN))
        self.in_flight = QLabel(self)
        self.in_flight.setObjectName("dashboardInFlight")
        self.window_label = QLabel(self)
        self.window_box = QComboBox(self)
        self.window_box.setObjectName("dashboardWindow")
        self.window_label.setBuddy(self.window_box)
        self.speed_plot = themed_plot("dashboardSpeedPlot", self)
        self.latency_plot = themed_plot("dashboardLatencyPlot", self)
        self.memory_plot = themed_plot("dashboardMemoryPlot", self)
        self.memory_plot.getPlotItem().legend.setVisible(False)
        self.memory_bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush=series_pen(2).color())
        self.memory_plot.addItem(self.memory_bars)
        self.stats = StatsTable("dashboardStats", self)
        self.share_label = QLabel(self)
        self.share_label.setObjectName("dashboardShareText")
        self.share = QProgressBar(self)
        self.share.setObjectName("dashboardShare")
        self.share.setRange(0, 100)
        self.speed = SeriesCurves(self.speed_plot)
        self.latency = SeriesCurves(self.latency_plot)
        self.memory: list[ModelState] = []
        self._layout()
        self.retranslate()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.in_flight, 1)
        top.addWidget(self.window_label)
        top.addWidget(self.window_box)
        right = QVBoxLayout()
        right.addWidget(self.memory_plot, 1)
        right.addWidget(self.share_label)
        right.addWidget(self.share)
        grid = QGridLayout()
        grid.addWidget(self.speed_plot, 0, 0)
        grid.addWidget(self.latency_plot, 0, 1)
        grid.addWidget(self.stats, 1, 0)
        grid.addLayout(right, 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(grid, 1)

    def window_seconds(self) -> float:
        return 60.0 * WINDOWS_MIN[max(0, self.window_box.currentIndex())]

    def retranslate(self) -> None:
        self.window_label.setText(QCoreApplication.translate("LiveView", "&Window:"))
        self.window_box.setAccessibleName(QCoreApplication.translate("LiveView", "Time window"))
        index = max(0, self.window_box.currentIndex())
        self.window_box.clear()
        self.window_box.addItems(
            [
                QCoreApplication.translate("LiveView", "Last 5 minutes"),
                QCoreApplication.translate("LiveView", "Last 15 minutes"),
                QCoreApplication.translate("LiveView", "Last 60 minutes"),
            ]
        )
        self.window_box.setCurrentIndex(index)
        seconds = QCoreApplication.translate("LiveView", "Seconds (0 = now)")
        set_title(
            self.speed_plot,
            QCoreApplication.translate("LiveView", "Decode speed"),
            QCoreApplication.translate("LiveView", "tok/s"),
            seconds,
        )
        set_title(
            self.latency_plot,
            QCoreApplication.translate("LiveView", "First token (dashed) and end-to-end latency"),
            QCoreApplication.translate("LiveView", "ms"),
            seconds,
        )
        set_title(
            self.memory_plot,
            QCoreApplication.translate("LiveView", "Memory per loaded model"),
            QCoreApplication.translate("LiveView", "MB"),
            "",
        )
        self.speed_plot.setAccessibleName(
            QCoreApplication.translate("LiveView", "Decode speed chart")
        )
        self.latency_plot.setAccessibleName(QCoreApplication.translate("LiveView", "Latency chart"))
        self.memory_plot.setAccessibleName(QCoreApplication.translate("LiveView", "Memory chart"))
        self.share.setAccessibleName(
            QCoreApplication.translate("LiveView", "Share of requests answered on this device")
        )
        self.stats.retranslate()
        self.speed.clear()  # legend names are made again in the new language
        self.latency.clear()
        self._show_share()
        self._show_in_flight([])

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- drawing -----------------------------------------------------------------------------

    def update_view(
        self,
        now: float,
        ring: list[RequestSample],
        live: list[LiveGeneration],
        models: list[ModelState],
    ) -> None:
        """One poll's worth: the ring of finished requests, the meter and the loaded models."""
        seconds = self.window_seconds()
        self.samples = in_window(ring, now=now, seconds=seconds)
        self._draw_live(now, live, seconds)
        self._draw_finished(now)
        self.stats.show_stats(window_stats(self.samples))
        self._show_share()
        self._draw_memory(models)
        self._show_in_flight(live)

    def _draw_live(self, now: float, live: list[LiveGeneration], seconds: float) -> None:
        rates = [g.tok_s for g in live if g.tokens > 1]
        if rates:
            self._live.append((now, sum(rates)))
        elif self._live and not math.isnan(self._live[-1][1]):
            self._live.append((now, math.nan))  # a gap between two generations
        while self._live and self._live[0][0] < now - seconds:
            self._live.popleft()
        if not self._live and LIVE_KEY not in self.speed.items:
            return
        x = [t - now for t, _ in self._live]
        y = [r for _, r in self._live]
        label = QCoreApplication.translate("LiveView", "in flight")
        self.speed.draw(LIVE_KEY, x, y, pen=series_pen(0, dashed=True), symbol=False, label=label)

    def _draw_finished(self, now: float) -> None:
        keep_speed, keep_latency = {LIVE_KEY}, set()
        for index, ((engine, target), rows) in enumerate(by_series(self.samples).items(), 1):
            name = series_name(engine, target)
            x = [s.ts - now for s in rows]
            decoded = [(t, s.decode_tok_s) for t, s in zip(x, rows, strict=True) if s.decode_tok_s]
            if decoded:
                self.speed.draw(name, *zip(*decoded, strict=True), pen=series_pen(index))
                keep_speed.add(name)
            first = QCoreApplication.translate("LiveView", "first token · {series}").format(
                series=name
            )
            total = QCoreApplication.translate("LiveView", "end to end · {series}").format(
                series=name
            )
            self.latency.draw(
                first, x, [s.ttft_ms for s in rows], pen=series_pen(index, dashed=True)
            )
            self.latency.draw(total, x, [s.latency_ms for s in rows], pen=series_pen(index))
            keep_latency |= {first, total}
        self.speed.keep_only(keep_speed)
        self.latency.keep_only(keep_latency)
        seconds = self.window_seconds()
        for plot in (self.speed_plot, self.latency_plot):
            plot.setXRange(-seconds, 0, padding=0.02)

    def _draw_memory(self, models: list[ModelState]) -> None:
        loaded = [m for m in models if m.memory_bytes > 0]
        if [(m.name, m.memory_bytes) for m in loaded] == [
            (m.name, m.memory_bytes) for m in self.memory
        ]:
            return
        self.memory = loaded
        heights = np.array([m.memory_bytes / 1e6 for m in loaded], dtype=float)
        self.memory_bars.setOpts(x=np.arange(len(loaded), dtype=float), height=heights)
        ticks = [(float(i), m.name) for i, m in enumerate(loaded)]
        self.memory_plot.getAxis("bottom").setTicks([ticks])
        self.memory_plot.setXRange(-0.6, max(len(loaded), 1) - 0.4, padding=0)

    def _show_share(self) -> None:
        share = target_share(self.samples)
        self.share.setValue(round(share.percent("local")) if share.total else 0)
        self.share.setFormat(
            QCoreApplication.translate("LiveView", "On this device {percent}%").format(
                percent=round(share.percent("local"))
            )
        )
        self.share_label.setText(
            QCoreApplication.translate(
                "LiveView", "Requests: {local} local ({lp}%) · {cloud} cloud ({cp}%)"
            ).format(
                local=share.local,
                cloud=share.cloud,
                lp=round(share.percent("local")),
                cp=round(share.percent("cloud")),
            )
        )

    def _show_in_flight(self, live: list[LiveGeneration]) -> None:
        if not live:
            self.in_flight.setText(
                QCoreApplication.translate("LiveView", "Nothing is generating now.")
            )
            return
        g = live[-1]
        if g.ttft_ms is None:
            text = QCoreApplication.translate(
                "LiveView", "Generating on {model} ({target}): waiting for the first token…"
            )
            self.in_flight.setText(text.format(model=g.model or g.target, target=g.target))
            return
        text = QCoreApplication.translate(
            "LiveView",
            "Generating on {model} ({target}): {tokens} tokens · {rate} tok/s · "
            "first token {ttft} ms",
        )
        self.in_flight.setText(
            text.format(
                model=g.model or g.target,
                target=g.target,
                tokens=g.tokens,
                rate=f"{g.tok_s:.1f}",
                ttft=f"{g.ttft_ms:.0f}",
            )
        )
