"""Settings > Providers: add, edit, remove and test providers; keys stay in the keyring, masked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from aurora_desktop.core.providers.registry import KEYRING_SERVICE, ProviderRegistry
from aurora_desktop.ui.i18n import LanguageManager
from aurora_desktop.ui.settings.provider_dialog import ProviderForm
from aurora_desktop.ui.settings.providers_page import ProvidersPage
from tests.support.openai_stub import StubReply, serve_openai_stub

KEY = "sk-test-0123456789abcdefWXYZ"


@pytest.fixture
def registry(tmp_path: Path) -> ProviderRegistry:
    return ProviderRegistry(tmp_path / "providers.json")


@pytest.fixture
def page(qtbot: QtBot, registry: ProviderRegistry) -> Iterator[ProvidersPage]:
    widget = ProvidersPage(registry)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def table_texts(page: ProvidersPage) -> list[str]:
    return [
        page.table.item(row, column).text()
        for row in range(page.table.rowCount())
        for column in range(page.table.columnCount())
    ]


def add_through_dialog(page: ProvidersPage, form: ProviderForm, name: str | None = None) -> None:
    dialog = page.open_dialog(name)
    if name is None:
        dialog.name_edit.setText(form.name)
    dialog.url_edit.setText(form.base_url)
    dialog.model_edit.setText(form.model)
    dialog.key_edit.setText(form.api_key)
    dialog.buttons.accepted.emit()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.error_label.text()


def test_add_keeps_the_key_in_the_keyring_and_shows_it_masked(
    page: ProvidersPage, registry: ProviderRegistry
) -> None:
    dialog = page.open_dialog(None)
    assert dialog.key_edit.echoMode() == dialog.key_edit.EchoMode.Password
    add_through_dialog(page, ProviderForm("acme", "https://api.acme.test/v1", "acme-large", KEY))
    assert [c.name for c in registry.list()] == ["acme"]
    assert keyring.get_password(KEYRING_SERVICE, "acme") == KEY
    assert KEY not in registry.path.read_text(encoding="utf-8")
    texts = table_texts(page)
    assert texts == ["acme", "https://api.acme.test/v1", "acme-large", "sk-…WXYZ"]
    assert all(KEY not in text for text in texts)


def test_edit_without_a_key_keeps_the_stored_key(
    page: ProvidersPage, registry: ProviderRegistry
) -> None:
    add_through_dialog(page, ProviderForm("acme", "https://api.acme.test/v1", "acme-large", KEY))
    page.select("acme")
    dialog = page.open_dialog("acme")
    assert dialog.name_edit.isReadOnly() and dialog.key_edit.text() == ""
    add_through_dialog(
        page, ProviderForm("acme", "https://api.acme.test/v2", "acme-small", ""), "acme"
    )
    assert registry.get("acme").model == "acme-small"
    assert registry.api_key("acme") == KEY


def test_an_invalid_form_is_refused_in_the_dialog(page: ProvidersPage) -> None:
    dialog = page.open_dialog(None)
    dialog.name_edit.setText("Bad Name")
    dialog.url_edit.setText("https://api.acme.test/v1")
    dialog.model_edit.setText("m")
    dialog.buttons.accepted.emit()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "provider name" in dialog.error_label.text()


def test_remove_forgets_the_provider_and_its_key(
    page: ProvidersPage, registry: ProviderRegistry
) -> None:
    add_through_dialog(page, ProviderForm("acme", "https://api.acme.test/v1", "acme-large", KEY))
    page.select("acme")
    page.remove_selected(confirm=False)
    assert registry.list() == []
    assert keyring.get_password(KEYRING_SERVICE, "acme") is None
    assert page.table.rowCount() == 0


def test_connection_success_shows_the_latency(
    qtbot: QtBot, page: ProvidersPage, registry: ProviderRegistry
) -> None:
    with serve_openai_stub() as stub:
        add_through_dialog(page, ProviderForm("stub", stub.base_url, "stub-model", KEY))
        page.select("stub")
        page.test_button.click()
        qtbot.waitUntil(lambda: "answered in" in page.result_label.text(), timeout=15000)
        assert stub.chat_count == 1
        assert stub.chat_requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert "stub/stub-model answered in" in page.result_label.text()
    assert page.test_button.isEnabled()


def test_connection_failure_shows_the_error_sentence(
    qtbot: QtBot, page: ProvidersPage, registry: ProviderRegistry
) -> None:
    with serve_openai_stub(StubReply.error(401, "invalid api key")) as stub:
        add_through_dialog(page, ProviderForm("stub", stub.base_url, "stub-model", KEY))
        page.select("stub")
        page.test_button.click()
        qtbot.waitUntil(lambda: page.test_button.isEnabled(), timeout=15000)
    text = page.result_label.text()
    assert "answered" not in text and text.endswith(".")
    assert "401" in text or "key" in text.lower()


def test_korean_and_english(qtbot: QtBot, qapp: object, page: ProvidersPage) -> None:
    languages = LanguageManager(qapp)  # type: ignore[arg-type]
    try:
        languages.apply("ko")
        qtbot.waitUntil(
            lambda: page.add_button.text() == "추가(&A)…", timeout=3000
        )  # LanguageChange is posted
        assert page.title() == "공급자"
        assert page.add_button.text() == "추가(&A)…"
    finally:
        languages.apply("en")
    qtbot.waitUntil(lambda: page.add_button.text() == "&Add…", timeout=3000)
    assert page.title() == "Providers"
    assert page.add_button.text() == "&Add…"
