"""The app as run_app wires it (without the event loop): core warnings reach the tray and the
message log, the tray's switches reach the core, consent is asked through the dialog."""

from __future__ import annotations

import gc
import json
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from aurora_desktop.app.desktop import AuroraApp
from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.scheduler.events import SchedulerEvent
from aurora_desktop.ui.consent_asker import ConsentAsker
from aurora_desktop.ui.tray import TrayState


@pytest.fixture
def aurora(qtbot: QtBot, qapp: QApplication, aurora_home: AuroraHome) -> Iterator[AuroraApp]:
    asker = ConsentAsker()
    core = build_core(ask=asker)
    running = AuroraApp(qapp, core, use_tray=True, consent=asker)
    yield running
    running.shutdown()
    core.close()
    del running
    gc.collect()  # the app's windows go now, not in the middle of a later test's event loop


def test_a_scheduler_warning_from_a_worker_reaches_the_log(qtbot: QtBot, aurora: AuroraApp) -> None:
    event = SchedulerEvent(
        kind="warning", model="gemma", detail="Out of memory loading gemma.", at=time.time()
    )
    worker = threading.Thread(target=aurora.core.events.publish, args=(event,), name="t-event")
    with qtbot.waitSignal(aurora.log.entry_added, timeout=5000):
        worker.start()
    worker.join()
    entry = aurora.log.entries[-1]
    assert (entry.level, entry.source, entry.message) == (
        "warning", "gemma", "Out of memory loading gemma."
    )  # fmt: skip


def test_a_failed_load_puts_the_tray_in_error_until_a_model_is_ready(aurora: AuroraApp) -> None:
    assert aurora.tray is not None
    message = "SmolLM2 does not match its signed sha256; reinstall the model."
    aurora.session.prepare_failed.emit(message)
    assert aurora.tray.state is TrayState.ERROR
    assert message in aurora.tray.icon.toolTip()
    assert aurora.log.entries[-1].level == "error"
    aurora.session.model_ready.emit("SmolLM2")
    assert aurora.tray.state is TrayState.IDLE


def test_tray_switches_reach_the_core(aurora: AuroraApp) -> None:
    assert aurora.tray is not None
    aurora.tray.local_only_action.trigger()
    assert aurora.core.local_only.is_set()
    assert aurora.tray.state is TrayState.LOCAL_ONLY
    aurora.tray.local_only_action.trigger()
    assert not aurora.core.local_only.is_set()
    aurora.tray.pause_action.trigger()
    assert aurora.session.paused and aurora.tray.state is TrayState.PAUSED
    assert not aurora.session.send("hello")  # nothing starts while paused


def test_consent_is_asked_through_the_dialog_and_settings_follow(aurora: AuroraApp) -> None:
    assert aurora.core.consent.ask is aurora.consent
    aurora.core.settings.update(consent_timeout_s=15)
    QApplication.processEvents()
    assert aurora.consent.timeout_s == 15


def test_windows_open_from_the_tray_menu(qtbot: QtBot, aurora: AuroraApp) -> None:
    assert aurora.tray is not None
    aurora.tray.settings_action.trigger()
    assert aurora.windows.settings().isVisible()
    aurora.tray.dashboard_action.trigger()
    assert aurora.windows.dashboard().isVisible()
    aurora.tray.log_action.trigger()
    assert aurora.windows.log_view().isVisible()


def test_general_settings_reach_the_running_scheduler(qtbot: QtBot, aurora: AuroraApp) -> None:
    scheduler = aurora.core.scheduler
    aurora.core.settings.update(idle_unload_min=3, warm_models=["no-such-model"])
    state = {s.name: s for s in scheduler.snapshot()}["no-such-model"]
    assert state.warm and state.ttl_s == 180
    # the app loads a model that joined the warm set in the background; this one is not
    # installed, so the attempt ends as a sentence in the message log
    qtbot.waitUntil(
        lambda: any(e.source == "no-such-model" for e in aurora.log.entries), timeout=10000
    )
    aurora.core.settings.update(warm_models=[])
    assert not {s.name: s for s in scheduler.snapshot()}["no-such-model"].warm


def test_an_invalid_user_file_is_logged_and_notified_once(
    qtbot: QtBot, aurora: AuroraApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert aurora.tray is not None
    notified: list[str] = []
    monkeypatch.setattr(aurora.tray, "notify", lambda _title, message, _critical=False: (
        notified.append(message)
    ))  # fmt: skip
    router = aurora.core.policy.path
    data = json.loads(router.read_text(encoding="utf-8"))
    data["defaults"]["target"] = "local"
    router.write_text(json.dumps(data), encoding="utf-8")
    aurora.check_files()
    data["defaults"]["fallback"] = "nowhere"
    router.write_text(json.dumps(data), encoding="utf-8")
    qtbot.waitUntil(lambda: any("model_router.json" in m for m in notified), timeout=5000)
    (entry,) = [e for e in aurora.log.entries if "model_router.json" in e.message]
    assert entry.level == "warning" and "last valid routing policy" in entry.message
    assert aurora.core.policy.current().default_target == "local"
    aurora.check_files()
    assert len([e for e in aurora.log.entries if "model_router.json" in e.message]) == 1


def test_a_damaged_database_moved_aside_is_logged_once(
    qtbot: QtBot, aurora: AuroraApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the core tells once outside any request (core/notices.py) reaches the message log."""
    from aurora_desktop.core.decisions import DecisionLedger
    from aurora_desktop.core.sqlite_file import set_aside

    path = aurora.core.home.root / "decisions.db"
    set_aside(path)  # the running app's database is swapped for garbage under it
    path.write_bytes(b"this is not an SQLite database, " * 200)
    ledger = aurora.core.decisions
    assert isinstance(ledger, DecisionLedger)
    ledger.bytes_sent_total()  # the next use finds the damage, moves it aside, tells the user
    aurora.check_files()
    entries = [
        e
        for e in aurora.log.entries
        if "decisions.db (the decision ledger) was damaged" in e.message
    ]
    assert len(entries) == 1 and entries[0].level == "warning"
    aurora.check_files()
    assert (
        len(
            [
                e
                for e in aurora.log.entries
                if "decisions.db (the decision ledger) was damaged" in e.message
            ]
        )
        == 1
    )


def test_the_local_api_follows_the_settings_and_the_tray_shows_it(
    qtbot: QtBot, aurora: AuroraApp
) -> None:
    """Turning the API on in the settings starts the real server (off the Qt thread); an
    app's key works on it; turning it off closes the port; the tray item says so."""
    import httpx

    from tests.support.llama_server import free_port

    assert aurora.tray is not None and not aurora.tray.api_action.isChecked()
    port = free_port()
    _key, token = aurora.core.api_keys.create("Test app", ["models"])
    aurora.core.settings.update(api_enabled=True, api_port=port)
    qtbot.waitUntil(lambda: bool(aurora.api.facts().url), timeout=15_000)
    assert aurora.tray.api_action.isChecked()
    assert f"127.0.0.1:{port}" in aurora.tray.api_action.text()
    url = f"http://127.0.0.1:{port}"
    with httpx.Client(timeout=5) as client:
        assert client.get(f"{url}/v1/models").status_code == 401  # no key, no answer
        listed = client.get(f"{url}/v1/models", headers={"Authorization": f"Bearer {token}"})
        assert listed.status_code == 200
        assert "aurora/auto" in [m["id"] for m in listed.json()["data"]]
    aurora.tray.api_action.trigger()  # the user turns it off from the tray
    assert aurora.core.settings.current().api_enabled is False
    qtbot.waitUntil(lambda: not aurora.api.facts().enabled, timeout=15_000)
    qtbot.waitUntil(lambda: _refused(f"{url}/v1/models"), timeout=15_000)
    assert not aurora.tray.api_action.isChecked()


def _refused(url: str) -> bool:
    import httpx

    try:
        httpx.get(url, timeout=1)
    except httpx.ConnectError:
        return True
    return False
