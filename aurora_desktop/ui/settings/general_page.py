"""Settings > General: idle unload time, warm models, CPU threads, start at login, language."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.settings import (
    IDLE_UNLOAD_RANGE,
    MAX_WARM_MODELS,
    THREADS_RANGE,
    SettingsFile,
)
from aurora_desktop.core.threads import ThreadChoice
from aurora_desktop.ui.core_text import core_text
from aurora_desktop.ui.i18n import LANGUAGE_NAMES

LANGUAGE_CODES = ("system", "en", "ko")
THREADS_REFRESH_MS = 2000  # how often the page shows the thread count in force


class AutostartControl(Protocol):
    """core.autostart.Autostart, or a stand-in in tests."""

    def enabled(self) -> bool: ...

    def set_enabled(self, on: bool) -> None: ...


class GeneralPage(QWidget):
    """Every change is saved at once; widget ranges make invalid values impossible."""

    def __init__(
        self,
        settings: SettingsFile,
        installed_models: Callable[[], list[str]],
        on_language: Callable[[str], None],
        autostart: AutostartControl,
        parent: QWidget | None = None,
        *,
        threads_in_force: Callable[[], ThreadChoice] | None = None,
        cores: int = 0,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("generalPage")
        self._threads_in_force = threads_in_force
        self._settings = settings
        self._installed_models = installed_models
        self._on_language = on_language
        self._autostart = autostart
        current = settings.current()

        self.idle_spin = QSpinBox(self)
        self.idle_spin.setObjectName("idleUnloadMinutes")
        self.idle_spin.setRange(*IDLE_UNLOAD_RANGE)
        self.idle_spin.setKeyboardTracking(False)  # save when typing is done, not per digit
        self.idle_spin.setValue(current.idle_unload_min)
        self.idle_spin.valueChanged.connect(self._on_idle_changed)
        self.threads_spin = QSpinBox(self)
        self.threads_spin.setObjectName("cpuThreads")
        self.threads_spin.setRange(THREADS_RANGE[0], max(1, cores * 2) if cores else 64)
        self.threads_spin.setKeyboardTracking(False)
        self.threads_spin.setValue(current.threads)
        self.threads_spin.valueChanged.connect(self._on_threads_changed)
        self.threads_now = QLabel(self)
        self.threads_now.setObjectName("threadsInForce")
        self.threads_now.setWordWrap(True)
        self._threads_timer = QTimer(self)
        self._threads_timer.setInterval(THREADS_REFRESH_MS)
        self._threads_timer.timeout.connect(self.show_threads)
        self.warm_list = QListWidget(self)
        self.warm_list.setObjectName("warmModels")
        self.warm_list.itemChanged.connect(self._on_warm_changed)
        self.autostart_check = QCheckBox(self)
        self.autostart_check.setObjectName("startAtLogin")
        self.autostart_check.setChecked(self._autostart_on(current.start_at_login))
        self.autostart_check.toggled.connect(self._on_autostart_toggled)
        self.language_combo = QComboBox(self)
        self.language_combo.setObjectName("languageCombo")
        for code in LANGUAGE_CODES:
            self.language_combo.addItem(LANGUAGE_NAMES.get(code, ""), code)
        index = self.language_combo.findData(current.language)
        self.language_combo.setCurrentIndex(max(index, 0))
        self.language_combo.currentIndexChanged.connect(self._on_language_changed)
        self.note = QLabel(self)
        self.note.setObjectName("generalNote")
        self.note.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("generalStatus")
        self.status.setWordWrap(True)
        if settings.problem is not None:
            self.status.setText(core_text(str(settings.problem)))

        self._labels = [QLabel(self) for _ in range(5)]
        threads_box = QVBoxLayout()
        threads_box.addWidget(self.threads_spin)
        threads_box.addWidget(self.threads_now)
        form = QFormLayout()
        fields = (
            self.idle_spin,
            self.warm_list,
            self.threads_spin,
            self.autostart_check,
            self.language_combo,
        )
        for label, field in zip(self._labels, fields, strict=True):
            label.setBuddy(field)
            form.addRow(label, threads_box if field is self.threads_spin else field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        layout.addStretch(1)
        chain = [
            self.idle_spin,
            self.warm_list,
            self.threads_spin,
            self.autostart_check,
            self.language_combo,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.refresh_models()
        self.retranslate()

    def title(self) -> str:
        return QCoreApplication.translate("GeneralPage", "General")

    def _autostart_on(self, saved: bool) -> bool:
        try:
            return self._autostart.enabled()
        except (AuroraError, OSError):
            return saved

    # -- warm set ----------------------------------------------------------------------------

    def refresh_models(self) -> None:
        """Installed models (a small manifest read) plus any warm one no longer installed."""
        try:
            installed = list(self._installed_models())
        except AuroraError as exc:
            installed = []
            self.status.setText(core_text(str(exc)))
        warm = self._settings.current().warm_models
        names = installed + [name for name in warm if name not in installed]
        self.warm_list.blockSignals(True)
        self.warm_list.clear()
        for name in names:
            item = QListWidgetItem(name, self.warm_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in warm else Qt.CheckState.Unchecked)
        self.warm_list.blockSignals(False)

    def warm_models(self) -> tuple[str, ...]:
        items = (self.warm_list.item(row) for row in range(self.warm_list.count()))
        return tuple(i.text() for i in items if i.checkState() == Qt.CheckState.Checked)

    # -- saving ------------------------------------------------------------------------------

    def _save(self, **changes: object) -> bool:
        try:
            self._settings.update(**changes)
        except (AuroraError, OSError) as exc:
            self.status.setText(
                core_text(str(exc)) if isinstance(exc, AuroraError) else self._not_saved(exc)
            )
            return False
        self.status.clear()
        return True

    @staticmethod
    def _not_saved(exc: OSError) -> str:
        return QCoreApplication.translate(
            "GeneralPage", "The settings could not be saved ({error}); check the data folder."
        ).format(error=exc.strerror or exc)

    def _on_idle_changed(self, minutes: int) -> None:
        self._save(idle_unload_min=minutes)

    def _on_threads_changed(self, threads: int) -> None:
        if self._save(threads=threads):
            self.show_threads()

    # -- threads in force --------------------------------------------------------------------

    def show_threads(self) -> None:
        """What the local models use now: the fixed count, or what the load made Aurora pick."""
        if self._threads_in_force is None:
            self.threads_now.clear()
            return
        choice = self._threads_in_force()
        if self.threads_spin.value() > 0:
            text = QCoreApplication.translate(
                "GeneralPage", "Fixed at {n} for answers and prompts."
            )
        elif choice.busy_elsewhere is None:
            text = QCoreApplication.translate(
                "GeneralPage", "Automatic, now {n}: one per core until the load is measured."
            )
        elif choice.busy_elsewhere < 0.5:
            text = QCoreApplication.translate(
                "GeneralPage", "Automatic, now {n}: the machine is quiet."
            )
        else:
            text = QCoreApplication.translate(
                "GeneralPage",
                "Automatic, now {n}: other programs keep about {busy} cores busy.",
            ).replace("{busy}", f"{choice.busy_elsewhere:.1f}")
        n = self.threads_spin.value() or choice.decode
        self.threads_now.setText(text.replace("{n}", str(n)))

    def showEvent(self, event: QShowEvent) -> None:
        self.show_threads()
        self._threads_timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._threads_timer.stop()
        super().hideEvent(event)

    def _on_warm_changed(self, item: QListWidgetItem) -> None:
        warm = self.warm_models()
        if len(warm) > MAX_WARM_MODELS:
            self.warm_list.blockSignals(True)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.warm_list.blockSignals(False)
            return
        self._save(warm_models=warm)

    def _on_autostart_toggled(self, on: bool) -> None:
        try:
            self._autostart.set_enabled(on)
        except AuroraError as exc:
            self.autostart_check.blockSignals(True)
            self.autostart_check.setChecked(not on)
            self.autostart_check.blockSignals(False)
            self.status.setText(core_text(str(exc)))
            return
        self._save(start_at_login=on)

    def _on_language_changed(self, _: int) -> None:
        code = str(self.language_combo.currentData())
        if self._save(language=code):
            self._on_language(code)

    # -- language ----------------------------------------------------------------------------

    def retranslate(self) -> None:
        texts = (
            QCoreApplication.translate("GeneralPage", "&Unload idle models after:"),
            QCoreApplication.translate("GeneralPage", "&Keep warm:"),
            QCoreApplication.translate("GeneralPage", "CPU &threads:"),
            QCoreApplication.translate("GeneralPage", "Start at lo&gin:"),
            QCoreApplication.translate("GeneralPage", "&Language:"),
        )
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.idle_spin.setSuffix(QCoreApplication.translate("GeneralPage", " min"))
        self.idle_spin.setAccessibleName(
            QCoreApplication.translate("GeneralPage", "Minutes before an idle model is unloaded")
        )
        self.threads_spin.setSpecialValueText(
            QCoreApplication.translate("GeneralPage", "Automatic")
        )
        self.threads_spin.setAccessibleName(
            QCoreApplication.translate(
                "GeneralPage", "CPU threads for local models; Automatic follows the load"
            )
        )
        self.show_threads()
        self.warm_list.setAccessibleName(
            QCoreApplication.translate("GeneralPage", "Models loaded at start and kept loaded")
        )
        self.autostart_check.setText(
            QCoreApplication.translate("GeneralPage", "Start Aurora when I log in")
        )
        self.autostart_check.setAccessibleName(
            QCoreApplication.translate("GeneralPage", "Start at login")
        )
        self.language_combo.setItemText(0, QCoreApplication.translate("GeneralPage", "System"))
        self.language_combo.setAccessibleName(QCoreApplication.translate("GeneralPage", "Language"))
        self.note.setText(
            QCoreApplication.translate(
                "GeneralPage",
                "Changes apply at once: models added to Keep warm are loaded now, and a model "
                "taken out of it is unloaded once it has been idle for the time above.",
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
