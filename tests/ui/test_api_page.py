"""Settings > Local API: the server's settings are saved at once; app keys are made, shown
once, listed and revoked through the real key store; the tray item mirrors the state."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from aurora_desktop.core.api_keys import ApiKeyStore
from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.settings import SettingsFile
from aurora_desktop.ui.settings.api_page import ApiPage
from aurora_desktop.ui.tray import ApiFacts, TrayController


@pytest.fixture
def keys(tmp_path: Path) -> ApiKeyStore:
    return ApiKeyStore(tmp_path / "api_keys.json", AuditLedger(tmp_path / "ledger.jsonl"))


@pytest.fixture
def facts() -> list[ApiFacts]:
    return [ApiFacts()]


@pytest.fixture
def page(
    qtbot: QtBot, tmp_path: Path, keys: ApiKeyStore, facts: list[ApiFacts]
) -> Iterator[ApiPage]:
    widget = ApiPage(SettingsFile(tmp_path / "settings.json"), keys, lambda: facts[-1])
    qtbot.addWidget(widget)
    widget.show()
    yield widget


def saved(tmp_path: Path) -> dict[str, object]:
    return dict(json.loads((tmp_path / "settings.json").read_text(encoding="utf-8")))


def test_server_settings_are_saved_at_once(page: ApiPage, tmp_path: Path) -> None:
    assert not page.enabled_check.isChecked() and page.key_check.isChecked()
    page.enabled_check.setChecked(True)
    page.port_spin.setValue(12001)
    assert saved(tmp_path)["api_enabled"] is True
    assert saved(tmp_path)["api_port"] == 12001
    assert not page.warning.text()
    page.key_check.setChecked(False)
    assert saved(tmp_path)["api_require_key"] is False
    assert "any program" in page.warning.text()


def test_a_bad_origin_is_refused_with_a_sentence_and_not_saved(
    page: ApiPage, tmp_path: Path
) -> None:
    page.origins_edit.setText("http://localhost:3000, not an origin")
    page.origins_edit.editingFinished.emit()
    assert page.status.text()
    assert not (tmp_path / "settings.json").exists() or not saved(tmp_path).get("api_origins")
    page.origins_edit.setText("http://localhost:3000,  https://notes.example")
    page.origins_edit.editingFinished.emit()
    assert not page.status.text()
    assert saved(tmp_path)["api_origins"] == ["http://localhost:3000", "https://notes.example"]


def test_a_new_key_is_shown_once_works_and_can_be_revoked(page: ApiPage, keys: ApiKeyStore) -> None:
    page.name_edit.setText("Obsidian")
    page.scope_checks["admin"].setChecked(False)
    page.create_key()
    token = page.token_edit.text()
    assert token.startswith("aurora_") and page.token_row.isVisible()
    assert "Obsidian" in page.token_note.text()
    key = keys.verify(token)
    assert key is not None and key.name == "Obsidian"
    assert key.scopes == frozenset({"chat", "embeddings", "models"})
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "Obsidian"
    assert token not in json.dumps([k.name for k in keys.list()])
    page.hide()
    page.show()  # the next visit does not show the key again
    assert not page.token_edit.text() and not page.token_row.isVisible()
    page.table.selectRow(0)
    page.revoke_selected()
    assert keys.verify(token) is None
    assert page.table.item(0, 4).text() == "revoked"


def test_a_key_needs_a_name_and_a_revoke_needs_a_choice(page: ApiPage, keys: ApiKeyStore) -> None:
    page.name_edit.setText("   ")
    page.create_key()
    assert page.status.text() and not keys.list() and not page.token_edit.text()
    page.revoke_selected()
    assert page.status.text()


def test_the_state_line_follows_the_server(page: ApiPage, facts: list[ApiFacts]) -> None:
    assert "off" in page.state_label.text()
    facts.append(ApiFacts(enabled=True, url="http://127.0.0.1:11470"))
    page.show_state()
    assert "http://127.0.0.1:11470" in page.state_label.text()
    facts.append(ApiFacts(enabled=True, failed="Port 11470 is in use by another program."))
    page.show_state()
    assert "Port 11470 is in use" in page.state_label.text()


def test_the_tray_item_shows_the_api_and_asks_to_switch_it(qtbot: QtBot) -> None:
    tray = TrayController()
    asked: list[bool] = []
    tray.api_toggled.connect(asked.append)
    assert not tray.api_action.isChecked() and "off" in tray.api_action.text()
    tray.set_api(ApiFacts(enabled=True, url="http://127.0.0.1:11470"))
    assert tray.api_action.isChecked() and "127.0.0.1:11470" in tray.api_action.text()
    assert "127.0.0.1:11470" in tray.icon.toolTip()
    assert not asked  # showing the state is not a request to change it
    tray.api_action.trigger()
    assert asked == [False]
    tray.set_api(ApiFacts(enabled=True, failed="no"))
    assert "not running" in tray.api_action.text()
    tray.hide()
    tray.deleteLater()


def test_keys_table_lists_scopes_in_words(page: ApiPage, keys: ApiKeyStore) -> None:
    keys.create("Script", ["chat"])
    page.reload_keys()
    assert page.table.item(0, 1).text() == "Chat and completions"
    assert page.table.item(0, 0).data(Qt.ItemDataRole.UserRole) == keys.list()[0].key_id


def test_a_key_carries_the_risk_its_apps_requests_default_to(
    page: ApiPage, keys: ApiKeyStore
) -> None:
    page.name_edit.setText("Diary")
    page.risk_combo.setCurrentIndex(page.risk_combo.findData("high"))
    page.create_key()
    key = keys.verify(page.token_edit.text())
    assert key is not None and key.risk == "high"
    assert "High risk" in page.table.item(0, 2).text()
