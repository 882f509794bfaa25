"""Every user-visible string of the UI is translated into Korean, and the compiled .qm files
match their .ts sources (run `python installer/translations.py update|release` after edits)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from aurora_desktop.ui.i18n import LanguageManager, resolve_language, system_language

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("translations", REPO / "installer/translations.py")
assert _spec is not None and _spec.loader is not None
translations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translations)


def test_every_ui_string_has_a_korean_translation(tmp_path: Path) -> None:
    written = translations.update(tmp_path)  # lupdate against the code as it is now
    assert written, "no UI module uses QCoreApplication.translate"
    missing = [line for ts in written for line in translations.unfinished(ts)]
    assert not missing, "untranslated:\n" + "\n".join(missing)


def test_compiled_translations_match_their_sources(tmp_path: Path) -> None:
    committed = sorted(translations.I18N.glob("*.ts"))
    assert committed
    for ts in committed:
        shutil.copyfile(ts, tmp_path / ts.name)
    for qm in translations.release(tmp_path):
        shipped = translations.I18N / qm.name
        assert shipped.exists(), f"{qm.name} is not compiled; run installer/translations.py release"
        assert shipped.read_bytes() == qm.read_bytes(), f"{qm.name} is older than its .ts"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("ko_KR", "ko"), ("en_US", "en"), ("de_DE", "en"), ("ko", "ko")],
)
def test_the_system_language_is_the_default(locale: str, expected: str) -> None:
    assert system_language(QLocale(locale)) == expected
    assert resolve_language("system", QLocale(locale)) == expected
    assert resolve_language("en", QLocale(locale)) == "en"


def test_switching_language_translates_and_back(qapp: QApplication) -> None:
    manager = LanguageManager(qapp)
    try:
        assert manager.apply("ko") == "ko"
        assert QCoreApplication.translate("TrayController", "Open chat") == "채팅 열기"
        assert manager.apply("en") == "en"
        assert QCoreApplication.translate("TrayController", "Open chat") == "Open chat"
    finally:
        manager.apply("en")
