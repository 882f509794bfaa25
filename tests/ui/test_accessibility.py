"""Every window of the app, built as the app builds it: each control can be named by a screen
reader, and no two controls on one page answer to the same Alt+letter, in English and Korean."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from aurora_desktop.app.windows import WindowFactory
from aurora_desktop.app.wiring import Core, build_core
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.ui.chat_popup import ChatPopup
from aurora_desktop.ui.chat_session import ChatSession
from aurora_desktop.ui.i18n import LanguageManager
from aurora_desktop.ui.log_view import LogBook

MNEMONIC = re.compile(r"&([^&\s])")
INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QAbstractItemView)


@pytest.fixture
def core(aurora_home: AuroraHome) -> Iterator[Core]:
    built = build_core()
    yield built
    built.close()


@pytest.fixture
def language(qapp: QApplication) -> Iterator[LanguageManager]:
    manager = LanguageManager(qapp)
    yield manager
    manager.apply("en")


@pytest.fixture
def windows(qtbot: QtBot, core: Core, language: LanguageManager) -> Iterator[dict[str, QWidget]]:
    factory = WindowFactory(core, LogBook(), language)
    settings = factory.settings()
    session = ChatSession(core.conductor, core.local)
    popup = ChatPopup(session)
    found: dict[str, QWidget] = {"chat": popup, "log": factory.log_view()}
    for key in ("routing", "models", "providers", "privacy", "general"):
        found[key] = settings.page(key)
    for widget in (settings, popup, factory.log_view()):
        qtbot.addWidget(widget)
    yield found
    factory.shutdown()
    session.shutdown(timeout=10)


def _shown_on_page(page: QWidget, widget: QWidget) -> bool:
    """Visible with the page: not hidden itself and not on another tab."""
    node: QWidget | None = widget
    while node is not None and node is not page:
        parent = node.parentWidget()
        if node.isHidden():
            return False
        if parent is not None and isinstance(parent.parentWidget(), QTabWidget):
            tabs = parent.parentWidget()
            assert isinstance(tabs, QTabWidget)
            if tabs.currentWidget() is not node:
                return False
        node = parent
    return True


def _mnemonics(page: QWidget) -> list[str]:
    texts: list[str] = []
    for widget in page.findChildren(QWidget):
        if not _shown_on_page(page, widget):
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            texts.append(widget.text())
        elif isinstance(widget, QAbstractButton | QGroupBox):
            texts.append(widget.text() if isinstance(widget, QAbstractButton) else widget.title())
    for tabs in page.findChildren(QTabWidget):
        if _shown_on_page(page, tabs):
            texts += [tabs.tabText(i) for i in range(tabs.count())]
    return [m.group(1).lower() for t in texts for m in [MNEMONIC.search(t)] if m]


def _inside_a_combo_or_spin(widget: QWidget) -> bool:
    node = widget.parentWidget()
    while node is not None:
        if isinstance(node, QComboBox | QAbstractSpinBox):
            return True
        node = node.parentWidget()
    return False


@pytest.mark.parametrize("code", ["en", "ko"])
def test_no_two_controls_share_an_alt_letter(
    windows: dict[str, QWidget], language: LanguageManager, code: str
) -> None:
    language.apply(code)
    QApplication.processEvents()
    clashes = {}
    for name, page in windows.items():
        repeated = [k for k, n in Counter(_mnemonics(page)).items() if n > 1]
        if repeated:
            clashes[name] = repeated
    assert not clashes, f"Alt+letter used twice ({code}): {clashes}"


def test_every_input_has_a_name_for_screen_readers(windows: dict[str, QWidget]) -> None:
    unnamed = []
    for name, page in windows.items():
        buddies = {id(label.buddy()) for label in page.findChildren(QLabel) if label.buddy()}
        for widget in page.findChildren(QWidget):
            if not isinstance(widget, INPUTS) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
                continue
            if _inside_a_combo_or_spin(widget):
                continue  # the line edit or list of a combo box, the editor of a spin box
            if widget.accessibleName() or id(widget) in buddies:
                continue
            unnamed.append(f"{name}: {widget.metaObject().className()} {widget.objectName()!r}")
    assert not unnamed, "no accessible name:\n" + "\n".join(unnamed)
