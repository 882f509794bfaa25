"""The dashboard: live curves from a real generation, history from SQLite, export, languages."""

from __future__ import annotations

import csv
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from aurora_desktop.app.wiring import Core
from aurora_desktop.core.contract import Request, Response
from aurora_desktop.core.scheduler.events import ModelState
from aurora_desktop.core.telemetry import Telemetry
from aurora_desktop.ui.dashboard import POLL_MS, Dashboard
from aurora_desktop.ui.dashboard_live import LIVE_KEY
from aurora_desktop.ui.i18n import LanguageManager

REPLY_TIMEOUT_MS = 120_000


def response(n: int, target: str = "local", request_id: str | None = None) -> Response:
    return Response(
        request_id=request_id or f"r{n}", text="", target=target,  # type: ignore[arg-type]
        engine="llama.cpp" if target == "local" else "openai", model="m", rule=None, why="",
        tokens_in=20, tokens_out=40, ttft_ms=50.0 + n, latency_ms=800.0 + n, tok_s=40.0 + n,
        load_ms=0.0, finish_reason="stop",
    )  # fmt: skip


def loaded_model() -> list[ModelState]:
    return [ModelState(name="tiny", state="loaded", refs=0, pinned=False, warm=False,
                       last_used=0.0, ttl_s=600.0, memory_bytes=300_000_000)]  # fmt: skip


@pytest.fixture
def telemetry(tmp_path: Path) -> Telemetry:
    metrics = Telemetry(tmp_path / "metrics.db")
    for n in range(6):
        metrics.record(response(n, "cloud" if n == 5 else "local"))
    metrics.record(response(9, request_id="r1-plan"))
    return metrics


@pytest.fixture
def dashboard(qtbot: QtBot, telemetry: Telemetry) -> Iterator[Dashboard]:
    widget = Dashboard(telemetry, loaded_model)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()


def lengths(curves: dict[str, object]) -> dict[str, int]:
    return {name: len(item.getData()[0] if item.getData()[0] is not None else [])  # type: ignore[attr-defined]
            for name, item in curves.items()}  # fmt: skip


def test_timer_polls_at_least_twice_a_second(dashboard: Dashboard) -> None:
    assert dashboard.timer.objectName() == "dashboard-poll-timer"
    assert dashboard.timer.interval() <= 500 == POLL_MS
    assert dashboard.timer.isActive()
    dashboard.hide()
    assert not dashboard.timer.isActive()  # hidden: no polling at all


def test_live_tab_draws_the_ring_the_memory_and_the_share(dashboard: Dashboard) -> None:
    dashboard.poll()
    live = dashboard.live
    assert lengths(live.speed.items) == {"llama.cpp · local": 6, "openai · cloud": 1}
    assert all(n > 0 for n in lengths(live.latency.items).values())
    assert [s.calls for s in live.stats._stats] == [6, 1]
    assert list(live.memory_bars.opts["height"]) == [300.0]
    assert "5 local (83%) · 1 cloud (17%)" in live.share_label.text()  # r1-plan joins r1
    assert live.share.value() == 83


def test_in_flight_generation_gets_a_live_point(dashboard: Dashboard, telemetry: Telemetry) -> None:
    ticket = telemetry.live.begin("x", target="local", model="tiny")
    for _ in range(5):
        ticket.tick()
        time.sleep(0.005)
    dashboard.poll()
    assert lengths(dashboard.live.speed.items)[LIVE_KEY] == 1
    assert "5 tokens" in dashboard.live.in_flight.text()
    ticket.end()
    dashboard.poll()
    assert "Nothing is generating" in dashboard.live.in_flight.text()


def test_history_tab_loads_rows_from_the_database(qtbot: QtBot, tmp_path: Path) -> None:
    writer = Telemetry(tmp_path / "history.db")
    for n in range(12):
        writer.record(response(n))
    reader = Telemetry(tmp_path / "history.db")  # a fresh object: its ring is empty
    widget = Dashboard(reader, list)
    qtbot.addWidget(widget)
    widget.show()
    try:
        with qtbot.waitSignal(widget.history.loaded, timeout=10_000):
            widget.tabs.setCurrentWidget(widget.history)
        assert len(widget.history.samples) == 12
        assert lengths(widget.history.speed.items) == {"llama.cpp · local": 12}
        assert "12 requests" in widget.history.status.text()
        with qtbot.waitSignal(widget.history.loaded, timeout=10_000):
            widget.history.range.setCurrentIndex(2)
        path = tmp_path / "history.csv"
        widget.export_csv(path)
        with path.open(encoding="utf-8") as handle:
            assert len(list(csv.DictReader(handle))) == 12
    finally:
        widget.shutdown()


def test_export_png_and_csv(dashboard: Dashboard, tmp_path: Path) -> None:
    dashboard.poll()
    png, table = tmp_path / "d.png", tmp_path / "d.csv"
    dashboard.export_png(png)
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 1000
    dashboard.export_csv(table)
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["request_id"] for r in rows] == [f"r{n}" for n in range(6)] + ["r1-plan"]
    assert rows[-1]["parent_id"] == "r1"


def test_korean_and_english(qapp: QApplication, dashboard: Dashboard) -> None:
    languages = LanguageManager(qapp)
    try:
        languages.apply("ko")
        qapp.processEvents()
        assert dashboard.export_png_button.text() == "PNG 내보내기(&P)…"
        assert dashboard.tabs.tabText(1) == "기록(&H)"
        assert "요청" in dashboard.live.share_label.text()
        languages.apply("en")
        qapp.processEvents()
        assert dashboard.export_png_button.text() == "Export &PNG…"
        assert dashboard.tabs.tabText(1) == "&History"
    finally:
        languages.apply("en")


@pytest.mark.model
def test_a_real_generation_feeds_the_live_and_finished_curves(qtbot: QtBot, core: Core) -> None:
    widget = Dashboard(core.metrics, core.scheduler.snapshot)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    done: list[Response | BaseException] = []
    request = Request.from_prompt(
        "Write a long story about a lighthouse keeper.",
        model="local://" + core.local.model_name, max_tokens=200, temperature=0.0,
    )  # fmt: skip

    def run() -> None:
        try:
            done.append(core.pipeline.run(request))
        except BaseException as exc:  # shown by the assertion below
            done.append(exc)

    worker = threading.Thread(target=run, name="dashboard-test-generation")
    worker.start()
    try:
        qtbot.waitUntil(
            lambda: lengths(widget.live.speed.items).get(LIVE_KEY, 0) > 0, timeout=REPLY_TIMEOUT_MS
        )
        assert "tok/s" in widget.live.in_flight.text()
        qtbot.waitUntil(lambda: bool(done), timeout=REPLY_TIMEOUT_MS)
    finally:
        worker.join(REPLY_TIMEOUT_MS / 1000)
        widget.shutdown()
    assert isinstance(done[0], Response), done[0]
    widget.poll()
    speed = lengths(widget.live.speed.items)
    assert speed[LIVE_KEY] > 0
    assert speed[f"{done[0].engine} · local"] == 1
    assert all(n > 0 for n in lengths(widget.live.latency.items).values())
    assert max(widget.live.memory_bars.opts["height"]) > 0
