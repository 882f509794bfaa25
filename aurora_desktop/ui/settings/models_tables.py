"""The two tables of the Models page: installed versions (with load state) and the catalog."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from aurora_desktop.core.models.manifest import ModelEntry
from aurora_desktop.core.models.progress import human_bytes
from aurora_desktop.core.models.store import InstalledVersion
from aurora_desktop.core.scheduler.events import ModelState
from aurora_desktop.ui.core_text import core_text

Key = tuple[str, str]  # (name, version)
KEY_ROLE = Qt.ItemDataRole.UserRole
NONE = "—"
translate = QCoreApplication.translate


@dataclass(frozen=True, slots=True)
class Check:
    """The result of a check made from this page: passed, or failed with the core's reason."""

    ok: bool
    reason: str = ""


def _item(text: str, key: Key | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    if key is not None:
        item.setData(KEY_ROLE, key)
    return item


def _when(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%Y-%m-%d %H:%M")


class _KeyedTable(QTableWidget):
    """A read-only, row-selecting table whose rows carry a (name, version) key."""

    def __init__(self, columns: int, parent: QWidget | None) -> None:
        super().__init__(0, columns, parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.item(row, column)
        assert item is not None, "every cell is filled when the table is"
        return item

    def selected_key(self) -> Key | None:
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        key = self.cell(rows[0].row(), 0).data(KEY_ROLE)
        return (str(key[0]), str(key[1])) if key else None

    def row_of(self, key: Key) -> int:
        for row in range(self.rowCount()):
            found = self.cell(row, 0).data(KEY_ROLE)
            if found and (found[0], found[1]) == key:
                return row
        return -1

    def select_key(self, key: Key | None) -> None:
        row = self.row_of(key) if key is not None else -1
        if row >= 0:
            self.selectRow(row)
        elif self.rowCount():
            self.selectRow(0)

    def text_at(self, key: Key, column: int) -> str:
        row = self.row_of(key)
        return self.cell(row, column).text() if row >= 0 else ""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        raise NotImplementedError


class InstalledTable(_KeyedTable):
    """Every installed version: size, active mark, verified state, load state and memory."""

    NAME, VERSION, SIZE, ACTIVE, VERIFIED, LOADED, MEMORY = range(7)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(7, parent)
        self.setObjectName("installedTable")
        self._versions: list[InstalledVersion] = []
        self._checks: Mapping[Key, Check] = {}
        self._states: dict[str, ModelState] = {}
        self.retranslate()

    @property
    def versions(self) -> list[InstalledVersion]:
        return list(self._versions)

    def version(self, key: Key | None) -> InstalledVersion | None:
        return next((iv for iv in self._versions if (iv.name, iv.version) == key), None)

    def model_state(self, name: str) -> ModelState | None:
        return self._states.get(name)

    def fill(self, versions: list[InstalledVersion], checks: Mapping[Key, Check]) -> None:
        keep = self.selected_key()
        self._versions, self._checks = versions, checks
        self.setRowCount(len(versions))
        for row, iv in enumerate(versions):
            key = (iv.name, iv.version)
            self.setItem(row, self.NAME, _item(iv.entry.display_name, key))
            self.setItem(row, self.VERSION, _item(iv.version))
            self.setItem(row, self.SIZE, _item(human_bytes(iv.entry.size)))
            self.setItem(row, self.ACTIVE, _item("✓" if iv.active else ""))
            self.setItem(row, self.VERIFIED, _item(""))
            self.setItem(row, self.LOADED, _item(NONE))
            self.setItem(row, self.MEMORY, _item(NONE))
        self._show_texts()
        self.select_key(keep)

    def set_states(self, states: Iterable[ModelState]) -> None:
        """Refresh the Loaded and Memory columns from a scheduler snapshot."""
        self._states = {s.name: s for s in states}
        self._show_states()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([
            translate("InstalledTable", "Name"), translate("InstalledTable", "Version"),
            translate("InstalledTable", "Size"), translate("InstalledTable", "Active"),
            translate("InstalledTable", "Verified"), translate("InstalledTable", "Loaded"),
            translate("InstalledTable", "Memory"),
        ])  # fmt: skip
        self.setAccessibleName(translate("InstalledTable", "Installed models"))
        self._show_texts()

    def _show_texts(self) -> None:
        for row, iv in enumerate(self._versions):
            check = self._checks.get((iv.name, iv.version))
            if check is not None and not check.ok:
                text = translate("InstalledTable", "Failed: {reason}").format(reason=check.reason)
            elif check is not None:
                text = translate("InstalledTable", "Verified")
            elif iv.verified_at is not None:
                text = translate("InstalledTable", "Last verified {when}").format(
                    when=_when(iv.verified_at)
                )
            else:
                text = translate("InstalledTable", "Not checked yet")
            item = self.cell(row, self.VERIFIED)
            item.setText(text)
            item.setToolTip(text)
            self.cell(row, self.ACTIVE).setToolTip(
                translate("InstalledTable", "Active version") if iv.active else ""
            )
        self._show_states()

    def _show_states(self) -> None:
        for row, iv in enumerate(self._versions):
            state = self._states.get(iv.name) if iv.active else None
            loaded, memory = NONE, NONE
            if state is not None:
                loaded = self._state_text(state)
                if state.memory_bytes > 0:
                    memory = human_bytes(state.memory_bytes)
            self.cell(row, self.LOADED).setText(loaded)
            self.cell(row, self.LOADED).setToolTip(
                core_text(state.error) if state is not None else ""
            )
            self.cell(row, self.MEMORY).setText(memory)

    @staticmethod
    def _state_text(state: ModelState) -> str:
        text = {
            "loaded": translate("InstalledTable", "Loaded"),
            "loading": translate("InstalledTable", "Loading…"),
            "unloading": translate("InstalledTable", "Unloading…"),
            "unloaded": translate("InstalledTable", "Not loaded"),
            "failed": translate("InstalledTable", "Failed"),
        }.get(state.state, state.state)
        if state.pinned:
            text = translate("InstalledTable", "{state}, pinned").format(state=text)
        return text


class CatalogTable(_KeyedTable):
    """The models the signed catalog offers, and whether each is installed."""

    NAME, VERSION, SIZE, STATUS = range(4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(4, parent)
        self.setObjectName("catalogTable")
        self._entries: list[ModelEntry] = []
        self._installed: dict[Key, bool] = {}
        self.retranslate()

    def entry(self, key: Key | None) -> ModelEntry | None:
        return next((e for e in self._entries if (e.name, e.version) == key), None)

    def fill(self, entries: Iterable[ModelEntry], installed: Mapping[Key, bool]) -> None:
        """`installed` maps each installed (name, version) to whether it is active."""
        keep = self.selected_key()
        self._entries, self._installed = list(entries), dict(installed)
        self.setRowCount(len(self._entries))
        for row, entry in enumerate(self._entries):
            key = (entry.name, entry.version)
            self.setItem(row, self.NAME, _item(entry.display_name, key))
            self.setItem(row, self.VERSION, _item(entry.version))
            self.setItem(row, self.SIZE, _item(human_bytes(entry.size)))
            self.setItem(row, self.STATUS, _item(""))
        self._show_texts()
        self.select_key(keep)

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([
            translate("CatalogTable", "Name"), translate("CatalogTable", "Version"),
            translate("CatalogTable", "Size"), translate("CatalogTable", "Status"),
        ])  # fmt: skip
        self.setAccessibleName(translate("CatalogTable", "Catalog models"))
        self._show_texts()

    def _show_texts(self) -> None:
        for row, entry in enumerate(self._entries):
            active = self._installed.get((entry.name, entry.version))
            if active is None:
                text = translate("CatalogTable", "Available")
            elif active:
                text = translate("CatalogTable", "Installed, active")
            else:
                text = translate("CatalogTable", "Installed")
            self.cell(row, self.STATUS).setText(text)
