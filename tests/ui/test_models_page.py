"""The Models page of Settings against a real store, a signed catalog made at test time, a real HTTP
server on 127.0.0.1 and a scheduler with fake engines; no real model is downloaded."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from aurora_desktop.core.models.catalog import CatalogLoader
from aurora_desktop.core.models.local_key import LocalSigner
from aurora_desktop.core.models.progress import FetchProgress, human_bytes
from aurora_desktop.ui.i18n import LanguageManager
from aurora_desktop.ui.settings.import_dialog import ImportDialog, suggested_name
from aurora_desktop.ui.settings.model_jobs import RateMeter
from aurora_desktop.ui.settings.models_page import ModelsPage
from aurora_desktop.ui.settings.models_tables import InstalledTable
from tests.core.test_scheduler_kit import Lab, lab_factory
from tests.support.http_server import serve_payload
from tests.support.signing import write_catalog
from tests.support.store_kit import StoreKit, make_kit

JOB_TIMEOUT_MS = 20_000
PAYLOAD = os.urandom(3_000_000)
TINY_1 = ("tiny", "1.0.0")
TINY_2 = ("tiny", "2.0.0")
MakePage = Callable[..., ModelsPage]


@pytest.fixture
def kit(tmp_path: Path) -> StoreKit:
    return make_kit(tmp_path)


@pytest.fixture
def lab() -> Iterator[Lab]:
    with lab_factory() as make:
        yield make()


@pytest.fixture
def make_page(qtbot: QtBot, kit: StoreKit, lab: Lab, tmp_path: Path) -> Iterator[MakePage]:
    pages: list[ModelsPage] = []

    def make(records: list[dict[str, Any]] | None = None) -> ModelsPage:
        catalog = write_catalog(tmp_path / "catalog.json", records or [], default="tiny")
        page = ModelsPage(
            kit.store,
            CatalogLoader(catalog, kit.trust),
            lab.scheduler,
            lambda: LocalSigner(kit.trust, account="models-page-test"),
            kit.ledger,
        )
        qtbot.addWidget(page)
        page.resize(900, 700)
        page.show()
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.shutdown()


def finish(qtbot: QtBot, page: ModelsPage) -> None:
    qtbot.waitUntil(lambda: not page.jobs.busy and page.panel.isHidden(), timeout=JOB_TIMEOUT_MS)


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), f"{button.objectName()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer(qtbot: QtBot, page: ModelsPage, box_name: str, choice: str) -> None:
    qtbot.waitUntil(lambda: page.findChild(QMessageBox, box_name) is not None)
    box = page.findChild(QMessageBox, box_name)
    click(qtbot, box.findChild(QPushButton, choice))


def cell(page: ModelsPage, key: tuple[str, str], column: int) -> str:
    return page.installed.text_at(key, column)


# -- install ----------------------------------------------------------------------------------


def url_record(kit: StoreKit, url: str, version: str = "1.0.0") -> dict[str, Any]:
    record = kit.record(version, files={"weights.gguf": PAYLOAD})
    record["files"][0]["source"] = {"type": "url", "url": url}
    return record


def test_install_from_http_shows_progress_and_ends_active_and_verified(
    qtbot: QtBot, kit: StoreKit, make_page: MakePage
) -> None:
    with serve_payload(PAYLOAD) as served:
        served.cuts = [1_000_000, 1_000_000]  # two drops: the download resumes, and takes time
        page = make_page([url_record(kit, served.url)])
        seen: list[tuple[bool, int, int, str]] = []
        bar = page.panel.bar
        bar.valueChanged.connect(
            lambda v: seen.append((bar.isVisible(), v, bar.maximum(), bar.text()))
        )
        page.catalog_table.select_key(TINY_1)
        click(qtbot, page.buttons.install)
        assert bar.isVisible()
        assert page.panel.cancel.isVisible()
        finish(qtbot, page)
    values = [v for visible, v, top, _ in seen if visible and top == 1000]
    assert any(0 < v < 1000 for v in values), seen
    assert values == sorted(values) and values[-1] == 1000
    texts = [text for *_, text in seen]
    assert any(re.fullmatch(r"\d+\.\d MB of 3\.0 MB · \d+(\.\d)? [KMG]?B/s", t) for t in texts), (
        texts
    )
    assert kit.store.active("tiny").version == "1.0.0"
    assert cell(page, TINY_1, InstalledTable.ACTIVE) == "✓"
    assert cell(page, TINY_1, InstalledTable.VERIFIED) == "Verified"
    assert cell(page, TINY_1, InstalledTable.SIZE) == "3.0 MB"
    assert page.catalog_table.text_at(TINY_1, 3) == "Installed, active"
    assert page.status_line.text() == "tiny 1.0.0 is installed and active."
    assert page.panel.isHidden()


def test_cancel_stops_an_install_and_changes_nothing(
    qtbot: QtBot, kit: StoreKit, make_page: MakePage
) -> None:
    with serve_payload(PAYLOAD) as served:
        served.cuts = [300_000, 300_000, 300_000]
        page = make_page([url_record(kit, served.url)])
        page.catalog_table.select_key(TINY_1)
        click(qtbot, page.buttons.install)
        qtbot.waitUntil(lambda: page.panel.bar.maximum() == 1000, timeout=JOB_TIMEOUT_MS)
        click(qtbot, page.panel.cancel)
        finish(qtbot, page)
    assert "was cancelled" in page.status_line.text()
    assert kit.store.active("tiny") is None
    assert page.installed.rowCount() == 0
    assert page.buttons.install.isEnabled()


def test_an_older_catalog_version_is_installed_but_not_activated(
    qtbot: QtBot, kit: StoreKit, make_page: MakePage
) -> None:
    kit.install("2.0.0")
    page = make_page([kit.record("1.0.0")])
    page.catalog_table.select_key(TINY_1)
    click(qtbot, page.buttons.install)
    finish(qtbot, page)
    assert kit.store.active("tiny").version == "2.0.0"
    assert "installed but not activated" in page.status_line.text()
    assert cell(page, TINY_1, InstalledTable.ACTIVE) == ""
    assert cell(page, TINY_2, InstalledTable.ACTIVE) == "✓"


def test_a_broken_catalog_is_one_sentence_and_blocks_nothing_else(
    kit: StoreKit, make_page: MakePage, tmp_path: Path
) -> None:
    kit.install("1.0.0")
    page = make_page()
    (tmp_path / "catalog.json").write_text("{not json")
    page._catalog = CatalogLoader(tmp_path / "catalog.json", kit.trust)
    page.refresh()
    assert page.catalog_status.text().startswith("The model catalog is unavailable: ")
    assert page.installed.rowCount() == 1


# -- switch and roll back ---------------------------------------------------------------------


def test_roll_back_to_an_older_version_after_confirming(
    qtbot: QtBot, kit: StoreKit, make_page: MakePage
) -> None:
    kit.install("1.0.0")
    kit.install("2.0.0")
    page = make_page()
    page.installed.select_key(TINY_2)
    assert page.version_combo.currentText() == "2.0.0"
    assert not page.buttons.switch.isEnabled()  # already active
    page.version_combo.setCurrentText("1.0.0")
    assert page.buttons.switch.text() == "Roll &back…"

    click(qtbot, page.buttons.switch)
    answer(qtbot, page, "rollbackConfirm", "confirmNo")
    assert not page.jobs.busy
    assert kit.store.active("tiny").version == "2.0.0"

    click(qtbot, page.buttons.switch)
    answer(qtbot, page, "rollbackConfirm", "confirmYes")
    finish(qtbot, page)
    assert kit.store.active("tiny").version == "1.0.0"
    assert cell(page, TINY_1, InstalledTable.ACTIVE) == "✓"
    assert cell(page, TINY_2, InstalledTable.ACTIVE) == ""
    assert cell(page, TINY_1, InstalledTable.VERIFIED) == "Verified"
    assert page.status_line.text() == "tiny: the active version is now 1.0.0 (was 2.0.0)."
    switches = list(kit.ledger.events("model.switch"))
    assert [(e["from_version"], e["to_version"]) for e in switches] == [("2.0.0", "1.0.0")]

    page.version_combo.setCurrentText("2.0.0")  # forward again: no question asked
    assert page.buttons.switch.text() == "S&witch version"
    click(qtbot, page.buttons.switch)
    finish(qtbot, page)
    assert kit.store.active("tiny").version == "2.0.0"


# -- verify and remove ------------------------------------------------------------------------


def test_verify_passes_then_shows_the_failure_of_a_tampered_file(
    qtbot: QtBot, kit: StoreKit, make_page: MakePage
) -> None:
    installed = kit.install("1.0.0").installed
    page = make_page()
    page.installed.select_key(TINY_1)
    click(qtbot, page.buttons.verify)
    finish(qtbot, page)
    assert cell(page, TINY_1, InstalledTable.VERIFIED) == "Verified"
    assert page.status_line.text() == "tiny 1.0.0: OK (signature and sha256)."

    weights = installed.folder / "weights.gguf"
    data = bytearray(weights.read_bytes())
    data[100] ^= 0xFF
    weights.write_bytes(bytes(data))
    click(qtbot, page.buttons.verify)
    finish(qtbot, page)
    shown = cell(page, TINY_1, InstalledTable.VERIFIED)
    assert shown.startswith("Failed: ")
    assert "weights.gguf" in shown
    assert page.status_line.text() == shown.removeprefix("Failed: ")
    assert page.status_line.property("error") is True


def test_remove_a_version_that_is_not_active(
    qtbot: QtBot, kit: StoreKit, make_page: MakePage
) -> None:
    kit.install("1.0.0")
    kit.install("2.0.0")
    page = make_page()
    page.installed.select_key(TINY_2)
    assert not page.buttons.remove.isEnabled()  # the active version stays
    page.installed.select_key(TINY_1)
    click(qtbot, page.buttons.remove)
    answer(qtbot, page, "removeConfirm", "confirmYes")
    finish(qtbot, page)
    assert [iv.version for iv in kit.store.versions("tiny")] == ["2.0.0"]
    assert page.installed.row_of(TINY_1) == -1
    assert page.status_line.text() == "Removed tiny 1.0.0."


# -- pin and unload ---------------------------------------------------------------------------


def test_pin_keeps_the_model_loaded_and_unload_frees_it(
    qtbot: QtBot, kit: StoreKit, lab: Lab, make_page: MakePage
) -> None:
    kit.install("1.0.0")
    page = make_page()
    page.installed.select_key(TINY_1)
    assert not page.buttons.unload.isEnabled()
    click(qtbot, page.buttons.pin)
    finish(qtbot, page)
    assert cell(page, TINY_1, InstalledTable.LOADED) == "Loaded, pinned"
    assert cell(page, TINY_1, InstalledTable.MEMORY) == "1.0 GB"
    assert page.buttons.pin.text() == "Un&pin"
    assert lab.state("tiny") == "loaded"

    click(qtbot, page.buttons.unload)
    finish(qtbot, page)
    assert lab.state("tiny") == "unloaded"
    assert cell(page, TINY_1, InstalledTable.LOADED) == "Not loaded"
    assert cell(page, TINY_1, InstalledTable.MEMORY) == "—"
    assert page.status_line.text() == "tiny was unloaded."
    assert page.buttons.pin.text() == "&Pin"


def test_the_timer_shows_loads_made_elsewhere(
    qtbot: QtBot, kit: StoreKit, lab: Lab, make_page: MakePage
) -> None:
    kit.install("1.0.0")
    page = make_page()
    assert page.findChild(type(page._state_timer), "modelsStateTimer").isActive()
    lab.use("tiny", keep_alive_s=-1)
    qtbot.waitUntil(lambda: cell(page, TINY_1, InstalledTable.LOADED) == "Loaded", timeout=3000)


# -- import -----------------------------------------------------------------------------------


def test_import_a_local_file_after_the_trust_confirmation(
    qtbot: QtBot, kit: StoreKit, make_page: MakePage, tmp_path: Path
) -> None:
    file = tmp_path / "My Model.gguf"
    file.write_bytes(b"GGUF" + os.urandom(200_000))
    page = make_page()
    page._choose_import_file = lambda: file  # type: ignore[method-assign]

    click(qtbot, page.buttons.import_file)
    dialog = page.findChild(ImportDialog, "importDialog")
    assert "is not signed by a publisher Aurora knows" in dialog.warning.text()
    click(qtbot, dialog.cancel_button)
    assert not page.jobs.busy and kit.store.all_versions() == []

    click(qtbot, page.buttons.import_file)
    qtbot.waitUntil(lambda: len(page.findChildren(ImportDialog)) == 1)
    dialog = page.findChild(ImportDialog, "importDialog")
    assert dialog.model_name == "my-model"
    dialog.version_edit.setText("not a version")
    assert not dialog.import_button.isEnabled()
    dialog.version_edit.setText("1.2.0")
    click(qtbot, dialog.import_button)
    finish(qtbot, page)
    active = kit.store.active("my-model")
    assert active is not None and active.origin == "import" and active.version == "1.2.0"
    assert cell(page, ("my-model", "1.2.0"), InstalledTable.ACTIVE) == "✓"
    imports = list(kit.ledger.events("model.import"))
    assert [(e["model"], e["file"]) for e in imports] == [("my-model", "My Model.gguf")]


# -- pieces and languages ---------------------------------------------------------------------


def test_byte_rate_and_names() -> None:
    now = [0.0]
    meter = RateMeter(lambda: now[0])
    assert meter.measure(FetchProgress("download", "w", 0, 100)).rate is None
    now[0] = 2.0
    report = meter.measure(FetchProgress("download", "w", 90_000_000, 100_000_000))
    assert report.rate == 45_000_000 and report.fraction == 0.9
    assert human_bytes(12_345_678) == "12.3 MB" and human_bytes(999) == "999 B"
    assert suggested_name(Path("/x/My Model.Q4_K.gguf")) == "my-model.q4_k"


def test_korean_and_back_to_english(
    qtbot: QtBot, qapp: QApplication, kit: StoreKit, make_page: MakePage
) -> None:
    kit.install("1.0.0")
    page = make_page()
    languages = LanguageManager(qapp)
    try:
        assert languages.apply("ko") == "ko"
        assert page.title() == "모델"
        # LanguageChange is posted: wait for the widgets to get it
        qtbot.waitUntil(lambda: page.buttons.install.text() == "설치(&I)", timeout=3000)
        assert page.installed.horizontalHeaderItem(InstalledTable.VERSION).text() == "버전"
        assert cell(page, TINY_1, InstalledTable.ACTIVE) == "✓"
        assert page.panel.cancel.text() == "취소(&C)"
    finally:
        languages.apply("en")
    assert page.title() == "Models"
    qtbot.waitUntil(lambda: page.buttons.install.text() == "&Install", timeout=3000)
    assert page.installed.horizontalHeaderItem(InstalledTable.VERSION).text() == "Version"
