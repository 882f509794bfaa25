"""The Qt binding must not drop references to None/True/False: on Python 3.11 (where None is
not immortal) such a bug kills the app after a few thousand dashboard repaints
("Fatal Python error: none_dealloc"), as PySide6 6.12's QGraphicsItem.parentItem() did."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QGraphicsScene, QWidget

CALLS = 2000


def _drift(call: Callable[[], object]) -> dict[str, int]:
    before = {name: sys.getrefcount(value) for name, value in _SINGLETONS.items()}
    for _ in range(CALLS):
        call()
    return {name: sys.getrefcount(v) - before[name] for name, v in _SINGLETONS.items()}


_SINGLETONS = {"None": None, "True": True, "False": False}


@pytest.mark.parametrize(
    "what",
    ["parentItem", "scene", "parentObject", "parentWidget", "activeWindow", "inverted", "map"],
)
def test_calls_returning_none_keep_its_reference(qapp: QApplication, what: str) -> None:
    item = QGraphicsRectItem(0, 0, 10, 10)
    widget = QWidget()
    transform = QTransform()
    calls: dict[str, Callable[[], object]] = {
        "parentItem": item.parentItem,
        "scene": item.scene,
        "parentObject": item.parentObject,
        "parentWidget": widget.parentWidget,
        "activeWindow": QApplication.activeWindow,
        "inverted": transform.inverted,
        "map": lambda: transform.map(QPointF(1, 2)),
    }
    drift = _drift(calls[what])
    # a few references may come and go with the interpreter's own bookkeeping; a binding bug
    # loses one per call
    assert all(abs(d) < CALLS // 10 for d in drift.values()), drift
    del widget


def test_a_scene_item_in_use(qapp: QApplication) -> None:
    scene = QGraphicsScene()
    item = QGraphicsRectItem(0, 0, 10, 10)
    scene.addItem(item)
    drift = _drift(lambda: (item.parentItem(), item.scene(), item.boundingRect()))
    assert all(abs(d) < CALLS // 10 for d in drift.values()), drift
