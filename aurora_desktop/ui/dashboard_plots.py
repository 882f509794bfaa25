"""What the dashboard's tabs share: palette-aware plots, curves per series, the p50/p95 table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from aurora_desktop.core.live_stats import WindowStats

HUES = 7


def series_name(engine: str, target: str) -> str:
    return f"{engine or target} · {target}"


def series_pen(index: int, *, dashed: bool = False) -> QPen:
    pen: QPen = pg.mkPen(pg.intColor(index * 3, hues=HUES, values=1, maxValue=210), width=2)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def themed_plot(name: str, parent: QWidget | None = None, *, dates: bool = False) -> pg.PlotWidget:
    """A plot drawn in the window's palette roles, so it reads in light and dark themes."""
    axes = {"bottom": pg.DateAxisItem(orientation="bottom")} if dates else None
    plot = pg.PlotWidget(parent, axisItems=axes)
    plot.setObjectName(name)
    palette = plot.palette()
    text = palette.color(QPalette.ColorRole.Text)
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setPen(text)
        axis.setTextPen(text)
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    legend = plot.addLegend(offset=(6, 4), labelTextSize="8pt", labelTextColor=text)
    legend.setBrush(pg.mkBrush(palette.color(QPalette.ColorRole.Base)))
    plot.setMinimumSize(200, 140)
    return plot


def set_title(plot: pg.PlotWidget, title: str, left: str, bottom: str) -> None:
    color = plot.palette().color(QPalette.ColorRole.Text)
    plot.setTitle(title, color=color, size="9pt")
    plot.setLabel("left", left, color=color)
    plot.setLabel("bottom", bottom, color=color)


class SeriesCurves:
    """The PlotDataItems of one plot by series name, created on first use, then setData."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self.plot = plot
        self.items: dict[str, pg.PlotDataItem] = {}

    def draw(
        self,
        name: str,
        x: Sequence[float],
        y: Sequence[float],
        *,
        pen: QPen,
        symbol: bool = True,
        label: str | None = None,
    ) -> pg.PlotDataItem:
        """Draw series `name` (its legend shows `label`, or the name)."""
        item = self.items.get(name)
        if item is None:
            options = {"symbol": "o", "symbolSize": 5, "symbolBrush": pen.color()} if symbol else {}
            item = self.plot.plot(name=label or name, pen=pen, connect="finite", **options)
            self.items[name] = item
        item.setData(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return item

    def keep_only(self, names: set[str]) -> None:
        for name in [n for n in self.items if n not in names]:
            self.plot.removeItem(self.items.pop(name))

    def clear(self) -> None:
        """Forget every curve (their legend names change with the language)."""
        self.keep_only(set())


class StatsTable(QTableWidget):
    """p50/p95 per (engine, target): one column per series, one row per figure."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(7, 0, parent)
        self.setObjectName(name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._stats: list[WindowStats] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(QCoreApplication.translate("StatsTable", "Percentiles per engine"))
        self.setVerticalHeaderLabels(
            [
                QCoreApplication.translate("StatsTable", "Calls"),
                QCoreApplication.translate("StatsTable", "tok/s p50"),
                QCoreApplication.translate("StatsTable", "tok/s p95"),
                QCoreApplication.translate("StatsTable", "First token p50 (ms)"),
                QCoreApplication.translate("StatsTable", "First token p95 (ms)"),
                QCoreApplication.translate("StatsTable", "Latency p50 (ms)"),
                QCoreApplication.translate("StatsTable", "Latency p95 (ms)"),
            ]
        )

    def show_stats(self, stats: list[WindowStats]) -> None:
        if stats == self._stats:
            return
        self._stats = stats
        self.setColumnCount(len(stats))
        self.setHorizontalHeaderLabels([series_name(s.engine, s.target) for s in stats])
        for column, s in enumerate(stats):
            values = (
                s.calls,
                s.tok_s_p50,
                s.tok_s_p95,
                s.ttft_p50,
                s.ttft_p95,
                s.latency_p50,
                s.latency_p95,
            )
            for row, value in enumerate(values):
                text = (
                    f"{value:,}" if isinstance(value, int) else (f"{value:,.1f}" if value else "-")
                )
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, column, item)
