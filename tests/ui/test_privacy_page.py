"""Settings > Privacy: masking kinds live and saved, banned words, consents, the ledger and CSV."""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from aurora_desktop.core.decisions import DecisionLedger, DecisionRecord
from aurora_desktop.core.policy.banned import BannedWord
from aurora_desktop.core.policy.banned_file import BannedWordsFile
from aurora_desktop.core.policy.consent import ConsentStore
from aurora_desktop.core.policy.pii import PiiMasker
from aurora_desktop.core.settings import SettingsFile
from aurora_desktop.core.text import phrase
from aurora_desktop.ui.i18n import LanguageManager
from aurora_desktop.ui.settings.banned_words_box import BannedWordsBox
from aurora_desktop.ui.settings.ledger_csv import LedgerFilter, filter_rows, rows_to_csv
from aurora_desktop.ui.settings.privacy_page import PrivacyPage


def record(ledger: DecisionLedger, id_: str, target: str, outcome: str, **extra: object) -> None:
    ledger.record(
        DecisionRecord(
            id=id_, task="chat", risk="low", target=target, model=f"{target}-model", rule=1,
            why="rule 1", outcome=outcome, prompt_sha256="0" * 64, **extra,  # type: ignore[arg-type]
        )
    )  # fmt: skip


@pytest.fixture
def parts(tmp_path: Path) -> dict[str, object]:
    ledger = DecisionLedger(tmp_path / "decisions.db")
    now = time.time()
    record(ledger, "d-cloud", "cloud", "ok", bytes_sent=1234, masked={"EMAIL": 2},
           consent="always", ts=now - 10)  # fmt: skip
    record(ledger, "d-local", "local", "ok", ts=now - 5)
    reason = phrase(  # as the consent broker writes it (core/policy/consent.py)
        "Consent for {request_scope} was not given, so nothing was sent to {request_recipient}.",
        request_scope="cloud.send:acme",
        request_recipient="acme",
    )
    record(ledger, "d-refused", "cloud", f"refused: {reason}", ts=now - 86400 * 40,
           reason=reason.to_json())  # fmt: skip
    return {
        "settings": SettingsFile(tmp_path / "settings.json"),
        "masker": PiiMasker(),
        "banned": BannedWordsFile(tmp_path / "banned_words.json"),
        "consents": ConsentStore(tmp_path / "consents.json"),
        "ledger": ledger,
    }


@pytest.fixture
def page(qtbot: QtBot, parts: dict[str, object]) -> Iterator[PrivacyPage]:
    widget = PrivacyPage(**parts)  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.ledger_box.table.rowCount() == 3, timeout=5000)
    yield widget
    widget.shutdown()


def test_turning_email_off_stops_masking_and_is_saved(
    page: PrivacyPage, parts: dict[str, object], tmp_path: Path
) -> None:
    masker = parts["masker"]
    assert isinstance(masker, PiiMasker)
    assert "<EMAIL_1>" in masker.mask("write to kim@example.com").text
    page.pii_checks["EMAIL"].setChecked(False)
    assert masker.mask("write to kim@example.com").text == "write to kim@example.com"
    saved = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert "EMAIL" not in saved["pii_kinds"] and "PHONE" in saved["pii_kinds"]
    assert "EMAIL" not in SettingsFile(tmp_path / "settings.json").current().pii_kinds


def test_banned_words_are_added_and_removed_persistently(page: PrivacyPage, tmp_path: Path) -> None:
    box = page.banned_box
    box.word_edit.setText("project  titan")
    box.action_combo.setCurrentIndex(box.action_combo.findData("mask"))
    box.add_button.click()
    box.word_edit.setText("금지어")
    box.action_combo.setCurrentIndex(box.action_combo.findData("block"))
    box.add_button.click()
    path = tmp_path / "banned_words.json"
    assert json.loads(path.read_text(encoding="utf-8")) == [
        {"word": "project titan", "action": "mask"},
        {"word": "금지어", "action": "block"},
    ]
    assert BannedWordsFile(path)().check("about project titan").text == "about [redacted]"
    box.table.selectRow(0)
    box.remove_button.click()
    assert [w.word for w in BannedWordsFile(path)().words] == ["금지어"]
    assert box.table.rowCount() == 1


def test_a_stored_consent_is_listed_and_revoked(qtbot: QtBot, parts: dict[str, object]) -> None:
    store = parts["consents"]
    assert isinstance(store, ConsentStore)
    store.grant("cloud.send:acme")
    store.grant("file.read:/docs", expires_at=time.time() + 3600)
    widget = PrivacyPage(**parts)  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    try:
        box = widget.consents_box
        scopes = [box.table.item(row, 0).text() for row in range(box.table.rowCount())]
        assert scopes == ["cloud.send:acme", "file.read:/docs"]
        assert box.table.item(0, 2).text() == "Until revoked"
        box.select("cloud.send:acme")
        box.revoke_button.click()
        assert store.allowed("cloud.send:acme") is None
        assert store.allowed("file.read:/docs") is not None
        assert box.table.rowCount() == 1
    finally:
        widget.shutdown()


def test_the_ledger_is_listed_filtered_and_exported(
    qtbot: QtBot, page: PrivacyPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = page.ledger_box
    box.target_combo.setCurrentIndex(box.target_combo.findData("cloud"))
    assert [r["id"] for r in box.shown_rows()] == ["d-cloud", "d-refused"]
    box.outcome_combo.setCurrentIndex(box.outcome_combo.findData("refused"))
    assert [r["id"] for r in box.shown_rows()] == ["d-refused"]
    box.outcome_combo.setCurrentIndex(0)
    box.text_filter.setText("email")  # masked counts are searchable
    assert [r["id"] for r in box.shown_rows()] == ["d-cloud"]
    box.text_filter.clear()
    box.since_check.setChecked(True)  # the last 30 days, read again on the worker
    qtbot.waitUntil(lambda: box.table.rowCount() == 1 and not box.loading, timeout=5000)
    assert [r["id"] for r in box.shown_rows()] == ["d-cloud"]

    target = tmp_path / "out" / "ledger.csv"
    monkeypatch.setattr(
        "aurora_desktop.ui.settings.ledger_box.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(target), "CSV files (*.csv)"),
    )
    box.export_button.click()
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 1
    assert rows[0]["id"] == "d-cloud" and rows[0]["target"] == "cloud"
    assert rows[0]["bytes_sent"] == "1234" and rows[0]["masked"] == "EMAIL=2"
    assert rows[0]["consent"] == "always"
    assert "Exported 1 entries" in box.status.text()


def test_csv_round_trip_of_the_pure_functions() -> None:
    rows = [
        {"ts": 0.0, "id": "a", "task": "chat", "risk": "low", "target": "cloud", "model": "m",
         "rule": None, "why": 'says "hi", then, more', "outcome": "failed: boom",
         "bytes_sent": 5, "masked": {}, "consent": None, "fallbacks": ["local"],
         "tokens_in": 1, "tokens_out": None, "latency_ms": 2.5},
    ]  # fmt: skip
    assert filter_rows(rows, LedgerFilter(outcome="failed")) == rows
    assert filter_rows(rows, LedgerFilter(target="local")) == []
    parsed = list(csv.DictReader(rows_to_csv(rows).splitlines()))
    assert parsed[0]["why"] == 'says "hi", then, more'
    assert parsed[0]["rule"] == "" and parsed[0]["fallbacks"] == "local"


def test_korean_and_english(qtbot: QtBot, qapp: object, page: PrivacyPage) -> None:
    languages = LanguageManager(qapp)  # type: ignore[arg-type]
    try:
        languages.apply("ko")
        qtbot.waitUntil(
            lambda: page.tabs.tabText(1) == "금지어", timeout=3000
        )  # LanguageChange is posted
        assert page.title() == "개인정보"
        assert page.tabs.tabText(1) == "금지어"
        assert page.ledger_box.export_button.text() == "CSV 내보내기(&X)…"
        cells = [page.ledger_box.table.item(row, 6).text() for row in range(3)]
        assert cells[0] == "응답함" and cells[2].startswith("거부됨: ")  # ok, refused: …
        assert "cloud.send:acme" in cells[2] and "was not given" not in cells[2]
    finally:
        languages.apply("en")
    qtbot.waitUntil(lambda: page.tabs.tabText(1) == "Banned words", timeout=3000)
    assert page.title() == "Privacy"
    assert page.tabs.tabText(1) == "Banned words"


def test_a_broken_banned_word_file_shows_the_last_valid_list_and_why(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "banned_words.json"
    BannedWordsFile(path).save([BannedWord("project titan", "block")])
    path.write_text('[{"word": "project titan", "action": "blok"}]', encoding="utf-8")
    box = BannedWordsBox(BannedWordsFile(path))  # a new process: only the files on disk
    qtbot.addWidget(box)
    assert [w.word for w in box.words()] == ["project titan"]
    assert "blok" in box.status.text() and "last valid banned-word list" in box.status.text()


def test_the_ledger_filters_by_app(qtbot: QtBot, page: PrivacyPage, tmp_path: Path) -> None:
    """Requests from API apps are told apart from Aurora's own, and each app is a choice."""
    ledger = DecisionLedger(tmp_path / "decisions.db")
    record(ledger, "d-obsidian", "cloud", "ok", app="Obsidian", ts=time.time() - 1)
    box = page.ledger_box
    box.refresh()
    qtbot.waitUntil(lambda: not box.loading, timeout=5000)
    apps = [box.app_combo.itemData(i) for i in range(box.app_combo.count())]
    assert apps[2:] == ["Obsidian"]
    box.app_combo.setCurrentIndex(box.app_combo.findData("Obsidian"))
    assert [r["id"] for r in box.shown_rows()] == ["d-obsidian"]
    assert box.table.item(0, 8).text() == "Obsidian"
    box.app_combo.setCurrentIndex(1)  # Aurora's own windows
    assert "d-obsidian" not in [r["id"] for r in box.shown_rows()]
    assert len(box.shown_rows()) == 3
