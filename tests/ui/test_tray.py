"""The tray's state, menu and tooltip; the message log; the Settings window shell."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from aurora_desktop.core.text import phrase
from aurora_desktop.ui.i18n import LanguageManager
from aurora_desktop.ui.log_view import LogBook, LogView
from aurora_desktop.ui.settings.window import SettingsWindow
from aurora_desktop.ui.tray import TrayController, TrayFacts, TrayState, state_icon, tray_state


@pytest.mark.parametrize(
    ("facts", "state"),
    [
        (TrayFacts(), TrayState.IDLE),
        (TrayFacts(loading=True), TrayState.LOADING),
        (TrayFacts(loading=True, generating=True), TrayState.GENERATING),
        (TrayFacts(local_only=True), TrayState.LOCAL_ONLY),
        (TrayFacts(local_only=True, paused=True), TrayState.PAUSED),
        (TrayFacts(generating=True, error="model failed"), TrayState.ERROR),
    ],
)
def test_the_most_urgent_state_wins(facts: TrayFacts, state: TrayState) -> None:
    assert tray_state(facts) is state


@pytest.fixture
def korean_then_english(qapp: QApplication) -> Iterator[LanguageManager]:
    manager = LanguageManager(qapp)
    yield manager
    manager.apply("en")


def test_menu_entries_and_toggles(qtbot: QtBot) -> None:
    tray = TrayController(installed=lambda: ["SmolLM2", "gemma"])
    texts = [a.text() for a in tray.menu.actions() if not a.isSeparator()]
    assert texts == [
        "Open chat", "Dashboard", "Settings", "Pin models for this session",
        "Local only (no cloud)", "Pause", "Local API (off)", "Messages…", "Quit",
    ]  # fmt: skip
    with qtbot.waitSignal(tray.local_only_toggled) as toggled:
        tray.local_only_action.trigger()
    assert toggled.args == [True]
    tray.update_facts(local_only=True)
    assert tray.state is TrayState.LOCAL_ONLY
    with qtbot.waitSignal(tray.pause_toggled) as paused:
        tray.pause_action.trigger()
    assert paused.args == [True]
    tray.update_facts(paused=True)
    assert tray.pause_action.text() == "Resume"
    tray.set_models(["SmolLM2"], {"gemma"})
    assert "Loaded: SmolLM2" in tray.icon.toolTip()
    tray.pin_menu.aboutToShow.emit()
    pins = {a.text(): a.isChecked() for a in tray.pin_menu.actions()}
    assert pins == {"SmolLM2": False, "gemma": True}
    with qtbot.waitSignal(tray.pin_toggled) as pinned:
        tray.pin_menu.actions()[0].trigger()
    assert pinned.args == ["SmolLM2", True]
    tray.update_facts(error="SmolLM2 failed verification")
    assert "SmolLM2 failed verification" in tray.icon.toolTip()
    tray.menu.deleteLater()


def test_state_icons_are_drawn_at_every_size(qapp: QApplication) -> None:
    for state in TrayState:
        sizes = state_icon(state).availableSizes()
        assert {s.width() for s in sizes} >= {16, 32, 64, 256}


def test_tray_menu_speaks_korean(qtbot: QtBot, korean_then_english: LanguageManager) -> None:
    tray = TrayController()
    korean_then_english.apply("ko")
    QApplication.processEvents()
    assert tray.open_action.text() == "채팅 열기"
    assert tray.quit_action.text() == "종료"
    korean_then_english.apply("en")
    QApplication.processEvents()
    assert tray.open_action.text() == "Open chat"
    tray.menu.deleteLater()


def test_log_view_lists_newest_first_and_copies(qtbot: QtBot) -> None:
    book = LogBook()
    book.add("warning", "scheduler", "Out of memory while loading gemma; unloaded SmolLM2.")
    view = LogView(book)
    qtbot.addWidget(view)
    book.add("error", "models", "SmolLM2 does not match its signed sha256.")
    assert view.table.rowCount() == 2
    assert view.table.item(0, 1).text() == "Error"
    assert "sha256" in view.table.item(0, 3).text()
    view.copy_all()
    assert "Out of memory" in QGuiApplication.clipboard().text()
    qtbot.mouseClick(view.clear_button, Qt.MouseButton.LeftButton)
    assert view.table.rowCount() == 0 and book.entries == []


def test_log_view_shows_core_sentences_in_korean(
    qtbot: QtBot, korean_then_english: LanguageManager
) -> None:
    korean_then_english.apply("ko")
    book = LogBook()
    view = LogView(book)
    qtbot.addWidget(view)
    loaded = phrase("{slot_name} is loaded.", slot_name="smollm2")  # as the scheduler writes it
    book.add("info", "smollm2", loaded)
    assert view.table.item(0, 3).text() == "smollm2을(를) 로드했습니다."
    assert book.entries[0].message == "smollm2 is loaded."  # the log keeps the core's words


class _Page(QLabel):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name
        self.stopped = False

    def title(self) -> str:
        return self.name

    def shutdown(self) -> None:
        self.stopped = True


def test_settings_window_switches_pages(qtbot: QtBot, korean_then_english: LanguageManager) -> None:
    window = SettingsWindow()
    qtbot.addWidget(window)
    pages = [_Page("Routing"), _Page("Models")]
    for page in pages:
        window.add_page(page.name.lower(), page)
    window.show_page("models")
    assert window.stack.currentWidget() is pages[1]
    qtbot.keyClick(window.pages_list, Qt.Key.Key_Up)  # the keyboard moves between pages
    assert window.stack.currentWidget() is pages[0]
    korean_then_english.apply("ko")
    QApplication.processEvents()
    assert window.windowTitle() == "Aurora — 설정"
    close = window.buttons.button(QDialogButtonBox.StandardButton.Close)
    assert close.text() == "닫기"  # Qt's own texts are translated too
    window.shutdown()
    assert all(page.stopped for page in pages)
