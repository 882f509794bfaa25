"""Settings, Routing page: edit model_router.json as a rule table or raw JSON, save live, try it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QKeySequence,
    QPalette,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.contract import Request
from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.routing.policy_file import PolicyFile
from aurora_desktop.core.routing.router import RoutingDecision
from aurora_desktop.ui.core_text import core_text
from aurora_desktop.ui.settings.rule_table import RuleTable
from aurora_desktop.ui.settings.try_request import TryRequestBox

WATCH_INTERVAL_MS = 1000


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def error_colour(palette: QPalette) -> QColor:
    """A red that stands out from the palette's window colour, light theme or dark."""
    dark_theme = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QColor.fromHsl(0, 200, 170 if dark_theme else 80)


class RoutingPage(QWidget):
    """The routing policy editor; every save goes through `PolicyFile.save` and applies at once."""

    policy_saved = Signal()
    unsaved_changed = Signal(bool)

    def __init__(
        self,
        policy_file: PolicyFile,
        decide: Callable[[Request], RoutingDecision],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("routingPage")
        self._policy_file = policy_file
        self._saved_text = ""
        self._stamp: tuple[int, int] | None = None
        self._pending_stamp: tuple[int, int] | None = None
        self._syncing = False
        self._valid = True
        self._error: str | None = None
        self._status: tuple[str, str] = ("", "")  # (kind, detail) shown in the status line
        self._unsaved = False

        self.notice = QFrame(self)
        self.notice.setObjectName("fileChangedNotice")
        self.notice.setFrameShape(QFrame.Shape.StyledPanel)
        self.notice_label = QLabel(self.notice)
        self.reload_button = QPushButton(self.notice)
        self.reload_button.setObjectName("reloadButton")
        self.reload_button.clicked.connect(self.reload_from_disk)
        self.keep_button = QPushButton(self.notice)
        self.keep_button.setObjectName("keepMineButton")
        self.keep_button.clicked.connect(self._on_keep_mine)
        notice_row = QHBoxLayout(self.notice)
        notice_row.setContentsMargins(6, 2, 6, 2)
        notice_row.addWidget(self.notice_label, 1)
        notice_row.addWidget(self.reload_button)
        notice_row.addWidget(self.keep_button)
        self.notice.hide()

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("routingTabs")
        rules_tab = QWidget(self.tabs)
        self.rule_table = RuleTable(rules_tab)
        self.rule_table.setObjectName("ruleEditor")
        self.rule_table.edited.connect(self._on_table_edited)
        self.rules_blocked = QLabel(rules_tab)
        self.rules_blocked.setObjectName("rulesBlockedNotice")
        self.rules_blocked.setWordWrap(True)
        self.rules_blocked.hide()
        rules_layout = QVBoxLayout(rules_tab)
        rules_layout.addWidget(self.rules_blocked)
        rules_layout.addWidget(self.rule_table, 1)

        json_tab = QWidget(self.tabs)
        self.json_edit = QPlainTextEdit(json_tab)
        self.json_edit.setObjectName("jsonEditor")
        self.json_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.json_edit.setTabChangesFocus(True)
        self.json_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.json_edit.textChanged.connect(self._on_json_changed)
        self.error_icon = QLabel(json_tab)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.error_icon.setPixmap(warning.pixmap(16, 16))
        self.json_error = QLabel(json_tab)
        self.json_error.setObjectName("jsonError")
        self.json_error.setWordWrap(True)
        self.json_error.setTextFormat(Qt.TextFormat.PlainText)
        self.json_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        error_row = QHBoxLayout()
        error_row.addWidget(self.error_icon, 0, Qt.AlignmentFlag.AlignTop)
        error_row.addWidget(self.json_error, 1)
        json_layout = QVBoxLayout(json_tab)
        json_layout.addWidget(self.json_edit, 1)
        json_layout.addLayout(error_row)
        self.tabs.addTab(rules_tab, "")
        self.tabs.addTab(json_tab, "")

        self.status = QLabel(self)
        self.status.setObjectName("routingStatus")
        self.status.setWordWrap(True)
        self.revert_button = QPushButton(self)
        self.revert_button.setObjectName("revertButton")
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton)
        )
        self.save_button.clicked.connect(self.save)
        save_row = QHBoxLayout()
        save_row.addWidget(self.status, 1)
        save_row.addWidget(self.revert_button)
        save_row.addWidget(self.save_button)

        self.try_box = TryRequestBox(decide, self)
        self.try_box.decided.connect(self._on_decided)

        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(save_row)
        layout.addWidget(self.try_box)

        self._save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        self._save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._save_shortcut.activated.connect(self.save)

        self._watch = QTimer(self)
        self._watch.setObjectName("routing-policy-watch")
        self._watch.setInterval(WATCH_INTERVAL_MS)
        self._watch.timeout.connect(self.check_file)

        self._apply_error_style()
        self.reload_from_disk()
        self.retranslate()
        self._watch.start()

    # -- public ----------------------------------------------------------------------------

    def title(self) -> str:
        return QCoreApplication.translate("RoutingPage", "Routing")

    def has_unsaved_changes(self) -> bool:
        return _with_newline(self.json_edit.toPlainText()) != self._saved_text

    def save(self) -> bool:
        """Write the editor's policy through `PolicyFile.save`; refused while it is invalid."""
        if not self._valid or not self.has_unsaved_changes():
            return False
        text = _with_newline(self.json_edit.toPlainText())
        try:
            self._policy_file.save(text)
            self._saved_text = text
            self._stamp = self._file_stamp()
            self._policy_file.current()  # the live policy switches now
        except (AuroraError, OSError) as exc:
            self._set_status("failed", core_text(str(exc)))
            return False
        self.notice.hide()
        self._set_status("saved")
        self._refresh()
        self.policy_saved.emit()
        return True

    def revert(self) -> None:
        """Throw away unsaved edits: show the file as last loaded or saved."""
        self._replace_text(self._saved_text)
        self._set_status("")

    def reload_from_disk(self) -> None:
        """Show the file as it is on disk now (the core re-reads it too)."""
        self._policy_file.current()  # creates the file with the built-in policy if missing
        try:
            text = self._policy_file.disk_text()
        except (AuroraError, OSError) as exc:
            self._set_status("failed", core_text(str(exc)))
            return
        self._stamp = self._file_stamp()
        self._pending_stamp = None
        self._saved_text = _with_newline(text)
        self.notice.hide()
        self._replace_text(self._saved_text)
        problem = self._policy_file.last_error
        if problem:
            self._set_status("disk-error", problem)
        else:
            self._set_status("")

    def check_file(self) -> None:
        """Called by the watch timer: pick up changes made to the file outside this page."""
        stamp = self._file_stamp()
        if stamp is None or stamp in (self._stamp, self._pending_stamp):
            return
        if not self.has_unsaved_changes():
            self.reload_from_disk()
            if not self._policy_file.last_error:
                self._set_status("reloaded")
            return
        self._pending_stamp = stamp
        self._policy_file.current()  # the core follows the file; the editor keeps the edits
        self.notice.show()

    def shutdown(self) -> None:
        """Stop watching the file and stop the Try worker thread."""
        self._watch.stop()
        self.try_box.shutdown()

    # -- editor sync -----------------------------------------------------------------------

    def _replace_text(self, text: str) -> None:
        """Replace the JSON text as one undoable edit (textChanged then re-validates)."""
        if self.json_edit.toPlainText() == text:
            self._on_json_changed()
            return
        cursor = QTextCursor(self.json_edit.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)

    def _on_table_edited(self) -> None:
        text = json.dumps(self.rule_table.policy(), indent=2, ensure_ascii=False) + "\n"
        self._syncing = True
        try:
            self._replace_text(text)
        finally:
            self._syncing = False
        self._check(text)
        self._set_status("")

    def _on_json_changed(self) -> None:
        if self._syncing:
            return
        data = self._check(self.json_edit.toPlainText())
        if data is not None:
            self.rule_table.set_policy(data)
        self._refresh()

    def _check(self, text: str) -> dict[str, Any] | None:
        """Validate `text` like the core does; returns the parsed policy when it is valid."""
        self.json_edit.setExtraSelections([])
        try:
            self._policy_file.validate(text)
        except AuroraError as exc:
            self._valid, self._error = False, core_text(str(exc))
            self._mark_error_position(text)
            self._refresh()
            return None
        self._valid, self._error = True, None
        self._refresh()
        data: dict[str, Any] = json.loads(text)
        return data

    def _mark_error_position(self, text: str) -> None:
        try:
            json.loads(text)
        except RecursionError:  # nested too deeply to point at; the sentence says so
            return
        except json.JSONDecodeError as exc:
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(error_colour(self.palette()))
            selection.format = fmt
            cursor = QTextCursor(self.json_edit.document())
            cursor.setPosition(min(exc.pos, max(0, len(text) - 1)))
            cursor.movePosition(
                QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor
            )
            selection.cursor = cursor
            self.json_edit.setExtraSelections([selection])
        except ValueError:
            pass

    def _refresh(self) -> None:
        unsaved = self.has_unsaved_changes()
        self.save_button.setEnabled(self._valid and unsaved)
        self.revert_button.setEnabled(unsaved)
        self.rule_table.setEnabled(self._valid)
        self.rules_blocked.setVisible(not self._valid)
        self.json_error.setVisible(not self._valid)
        self.error_icon.setVisible(not self._valid)
        self._show_error()
        if unsaved != self._unsaved:
            self._unsaved = unsaved
            self.unsaved_changed.emit(unsaved)

    # -- notices ---------------------------------------------------------------------------

    def _on_keep_mine(self) -> None:
        self._stamp, self._pending_stamp = self._pending_stamp, None
        try:
            self._saved_text = _with_newline(self._policy_file.disk_text())
        except (AuroraError, OSError):
            self._saved_text = ""
        self.notice.hide()
        self._refresh()

    def _on_decided(self, decision: RoutingDecision) -> None:
        if decision.rule is not None and not self.has_unsaved_changes():
            self.rule_table.select_rule(decision.rule)

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self._policy_file.path.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def _set_status(self, kind: str, detail: str | None = None) -> None:
        self._status = (kind, detail or "")
        self._show_status()

    def _show_status(self) -> None:
        translate = QCoreApplication.translate
        kind, detail = self._status
        texts = {
            "saved": translate("RoutingPage", "Saved; the new rules are in force now."),
            "reloaded": translate(
                "RoutingPage", "Loaded the changes made to the file outside Aurora."
            ),
            "failed": translate("RoutingPage", "Could not save: {error}").format(error=detail),
            "disk-error": detail,
        }
        self.status.setText(texts.get(kind, ""))

    def _show_error(self) -> None:
        if self._error is None:
            self.json_error.clear()
            return
        hint = QCoreApplication.translate(
            "RoutingPage", "Saving is off until this is fixed; the saved policy stays in force."
        )
        self.json_error.setText(f"{self._error} {hint}")

    def _apply_error_style(self) -> None:
        palette = self.json_error.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_colour(self.palette()))
        self.json_error.setPalette(palette)
        self.rules_blocked.setPalette(palette)

    # -- language and theme ----------------------------------------------------------------

    def retranslate(self) -> None:
        translate = QCoreApplication.translate
        self.tabs.setTabText(0, translate("RoutingPage", "Rules"))
        self.tabs.setTabText(1, translate("RoutingPage", "JSON"))
        self.tabs.setAccessibleName(translate("RoutingPage", "Routing policy editor"))
        self.json_edit.setAccessibleName(translate("RoutingPage", "model_router.json text"))
        self.json_error.setAccessibleName(translate("RoutingPage", "JSON error"))
        self.rules_blocked.setText(
            translate(
                "RoutingPage",
                "The JSON has an error; fix it on the JSON tab to edit the rules here.",
            )
        )
        self.notice_label.setText(translate("RoutingPage", "The file changed on disk."))
        self.reload_button.setText(translate("RoutingPage", "Re&load"))
        self.keep_button.setText(translate("RoutingPage", "&Keep mine"))
        self.revert_button.setText(translate("RoutingPage", "Re&vert"))
        self.revert_button.setToolTip(translate("RoutingPage", "Discard the unsaved edits"))
        self.save_button.setText(translate("RoutingPage", "&Save"))
        self.save_button.setToolTip(translate("RoutingPage", "Save and apply now (Ctrl+S)"))
        for button in (self.reload_button, self.keep_button, self.revert_button, self.save_button):
            button.setAccessibleName(button.text().replace("&", ""))
        self._show_status()
        self._show_error()

    def changeEvent(self, event: QEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.LanguageChange:
            self.retranslate()
        elif kind in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._apply_error_style()
        super().changeEvent(event)
