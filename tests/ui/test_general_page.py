"""Settings > General: idle minutes, warm models, start at login and the language, saved at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from aurora_desktop.core.autostart import Autostart
from aurora_desktop.core.settings import IDLE_UNLOAD_RANGE, SettingsFile
from aurora_desktop.core.threads import ThreadChoice
from aurora_desktop.ui.i18n import LanguageManager
from aurora_desktop.ui.settings.general_page import GeneralPage


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder


@pytest.fixture
def languages_asked() -> list[str]:
    return []


@pytest.fixture
def page(
    qtbot: QtBot, tmp_path: Path, config_home: Path, languages_asked: list[str]
) -> Iterator[GeneralPage]:
    widget = GeneralPage(
        SettingsFile(tmp_path / "settings.json"),
        installed_models=lambda: ["smollm2-360m", "qwen-0.5b"],
        on_language=languages_asked.append,
        autostart=Autostart(["/usr/bin/aurora", "app"], platform="linux"),
    )
    qtbot.addWidget(widget)
    yield widget


def saved(tmp_path: Path) -> SettingsFile:
    return SettingsFile(tmp_path / "settings.json")


def test_defaults_are_shown(page: GeneralPage) -> None:
    assert page.idle_spin.value() == 10
    assert (page.idle_spin.minimum(), page.idle_spin.maximum()) == IDLE_UNLOAD_RANGE
    assert not page.autostart_check.isChecked()  # opt-in only
    assert page.language_combo.currentData() == "system"
    assert page.warm_models() == ()


def test_idle_minutes_are_saved(page: GeneralPage, tmp_path: Path) -> None:
    page.idle_spin.setValue(25)
    assert saved(tmp_path).current().idle_unload_min == 25
    page.idle_spin.setValue(0)  # below the range: clamped, never invalid
    assert saved(tmp_path).current().idle_unload_min == IDLE_UNLOAD_RANGE[0]


def test_warm_models_are_saved(page: GeneralPage, tmp_path: Path) -> None:
    page.warm_list.item(1).setCheckState(Qt.CheckState.Checked)
    assert saved(tmp_path).current().warm_models == ("qwen-0.5b",)
    page.warm_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert saved(tmp_path).current().warm_models == ()


def test_start_at_login_writes_and_removes_the_desktop_file(
    page: GeneralPage, tmp_path: Path, config_home: Path
) -> None:
    entry = config_home / "autostart" / "aurora.desktop"
    page.autostart_check.setChecked(True)
    assert entry.is_file() and "Exec=/usr/bin/aurora app" in entry.read_text(encoding="utf-8")
    assert saved(tmp_path).current().start_at_login is True
    page.autostart_check.setChecked(False)
    assert not entry.exists()
    assert saved(tmp_path).current().start_at_login is False


def test_a_failing_autostart_is_undone_with_a_sentence(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    widget = GeneralPage(SettingsFile(tmp_path / "settings.json"), list, lambda _: None,
                         Autostart(["aurora", "app"], platform="linux"))  # fmt: skip
    qtbot.addWidget(widget)
    widget.autostart_check.setChecked(True)
    assert not widget.autostart_check.isChecked()
    assert "Start at login could not be turned on" in widget.status.text()


def test_language_combo_switches_at_once(
    page: GeneralPage, tmp_path: Path, languages_asked: list[str]
) -> None:
    page.language_combo.setCurrentIndex(page.language_combo.findData("ko"))
    assert languages_asked == ["ko"]
    assert saved(tmp_path).current().language == "ko"
    assert page.language_combo.currentText() == "한국어"


def test_korean_and_english(qtbot: QtBot, qapp: object, page: GeneralPage) -> None:
    languages = LanguageManager(qapp)  # type: ignore[arg-type]
    try:
        languages.apply("ko")
        qtbot.waitUntil(
            lambda: page.language_combo.itemText(0) == "시스템 설정", timeout=3000
        )  # LanguageChange is posted
        assert page.title() == "일반"
        assert page.language_combo.itemText(0) == "시스템 설정"
        assert page.autostart_check.text() == "로그인할 때 Aurora 시작"
    finally:
        languages.apply("en")
    qtbot.waitUntil(lambda: page.language_combo.itemText(0) == "System", timeout=3000)
    assert page.title() == "General"
    assert page.language_combo.itemText(0) == "System"


def test_threads_default_to_automatic_and_show_the_choice_in_force(
    qtbot: QtBot, tmp_path: Path, config_home: Path
) -> None:
    in_force = [ThreadChoice(2, 2, None)]
    widget = GeneralPage(
        SettingsFile(tmp_path / "settings.json"), list, lambda _: None,
        Autostart(["/usr/bin/aurora", "app"], platform="linux"),
        threads_in_force=lambda: in_force[0], cores=2,
    )  # fmt: skip
    qtbot.addWidget(widget)
    assert widget.threads_spin.value() == 0 and widget.threads_spin.text() == "Automatic"
    assert widget.threads_now.text().startswith("Automatic, now 2: one per core until the load")
    in_force[0] = ThreadChoice(1, 1, 1.8)
    widget.show_threads()
    assert widget.threads_now.text() == (
        "Automatic, now 1: other programs keep about 1.8 cores busy."
    )
    widget.threads_spin.setValue(3)
    assert saved(tmp_path).current().threads == 3
    assert widget.threads_now.text() == "Fixed at 3 for answers and prompts."
    widget.threads_spin.setValue(0)
    assert saved(tmp_path).current().threads == 0
