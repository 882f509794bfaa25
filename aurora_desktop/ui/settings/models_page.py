"""The Models page of Settings: installed versions and the catalog, and what to do with them."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.errors import AuroraError, CancelledError, ModelError
from aurora_desktop.core.models.catalog import Catalog
from aurora_desktop.core.models.local_key import LocalSigner
from aurora_desktop.core.models.manifest import ModelEntry, version_key
from aurora_desktop.core.models.progress import ProgressCallback
from aurora_desktop.core.models.store import InstalledVersion, ModelStore
from aurora_desktop.core.scheduler.scheduler import ModelScheduler
from aurora_desktop.ui.core_text import core_text
from aurora_desktop.ui.settings import model_actions as actions
from aurora_desktop.ui.settings.import_dialog import ImportDialog
from aurora_desktop.ui.settings.model_jobs import JobProgress, ModelJob, ModelJobRunner, Work
from aurora_desktop.ui.settings.models_tables import CatalogTable, Check, InstalledTable, Key
from aurora_desktop.ui.settings.models_view import JobPanel, ModelsButtons
from aurora_desktop.ui.tasks import error_detail, error_sentence

STATE_REFRESH_MS = 1000
translate = QCoreApplication.translate


class ModelsPage(QWidget):
    """Installs, verifies, switches, pins and removes local models; slow work runs on a worker."""

    models_changed = Signal()  # a version was installed, imported, switched or removed

    def __init__(
        self,
        store: ModelStore,
        catalog: Callable[[], Catalog],
        scheduler: ModelScheduler,
        signer: Callable[[], LocalSigner],
        ledger: AuditLedger,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("modelsPage")
        self._store, self._catalog, self._scheduler = store, catalog, scheduler
        self._signer, self._ledger = signer, ledger
        self._checks: dict[Key, Check] = {}
        self._catalog_error: str = ""
        self.jobs = ModelJobRunner(self)
        queued = Qt.ConnectionType.QueuedConnection
        self.jobs.job_progressed.connect(self._on_job_progress, queued)
        self.jobs.job_succeeded.connect(self._on_job_succeeded, queued)
        self.jobs.job_failed.connect(self._on_job_failed, queued)

        self.installed_group = QGroupBox(self)
        self.installed = InstalledTable(self.installed_group)
        self.version_label = QLabel(self.installed_group)
        self.version_combo = QComboBox(self.installed_group)
        self.version_combo.setObjectName("versionCombo")
        self.version_label.setBuddy(self.version_combo)
        self.buttons = ModelsButtons(self)
        self.catalog_group = QGroupBox(self)
        self.catalog_table = CatalogTable(self.catalog_group)
        self.catalog_status = QLabel(self.catalog_group)
        self.catalog_status.setObjectName("catalogStatus")
        self.catalog_status.setWordWrap(True)
        self.panel = JobPanel(self)
        self.status_line = QLabel(self)
        self.status_line.setObjectName("statusLine")
        self.status_line.setWordWrap(True)
        self.status_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_icon = QLabel(self)
        self.status_icon.setObjectName("statusIcon")
        self.status_icon.setVisible(False)
        self._layout()

        self.installed.itemSelectionChanged.connect(self._on_installed_selected)
        self.version_combo.currentIndexChanged.connect(self._update_buttons)
        self.catalog_table.itemSelectionChanged.connect(self._update_buttons)
        b = self.buttons
        b.switch.clicked.connect(self._on_switch_clicked)
        b.verify.clicked.connect(self._on_verify_clicked)
        b.pin.clicked.connect(self._on_pin_clicked)
        b.unload.clicked.connect(self._on_unload_clicked)
        b.remove.clicked.connect(self._on_remove_clicked)
        b.install.clicked.connect(self._on_install_clicked)
        b.import_file.clicked.connect(self._on_import_clicked)
        self.panel.cancel.clicked.connect(self.jobs.cancel)

        self._state_timer = QTimer(self)
        self._state_timer.setObjectName("modelsStateTimer")
        self._state_timer.setInterval(STATE_REFRESH_MS)
        self._state_timer.timeout.connect(self._refresh_states)
        self.retranslate()
        self.refresh()

    def _layout(self) -> None:
        versions = QHBoxLayout()
        versions.addWidget(self.version_label)
        versions.addWidget(self.version_combo, 1)
        versions.addWidget(self.buttons.switch)
        installed = QVBoxLayout(self.installed_group)
        installed.addWidget(self.installed, 1)
        installed.addLayout(versions)
        installed.addLayout(self.buttons.installed_row())
        catalog = QVBoxLayout(self.catalog_group)
        catalog.addWidget(self.catalog_table, 1)
        catalog.addWidget(self.catalog_status)
        catalog.addLayout(self.buttons.catalog_row())
        layout = QVBoxLayout(self)
        layout.addWidget(self.installed_group, 3)
        layout.addWidget(self.catalog_group, 2)
        layout.addWidget(self.panel)
        status = QHBoxLayout()
        status.addWidget(self.status_icon, 0, Qt.AlignmentFlag.AlignTop)
        status.addWidget(self.status_line, 1)
        layout.addLayout(status)
        b = self.buttons
        chain = [
            self.installed, self.version_combo, b.switch, b.verify, b.pin, b.unload, b.remove,
            self.catalog_table, b.install, b.import_file, self.panel.cancel,
        ]  # fmt: skip
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- public ------------------------------------------------------------------------------

    def title(self) -> str:
        return translate("ModelsPage", "Models")

    def refresh(self) -> None:
        """Re-read the store manifest and the catalog (both small local files)."""
        versions = self._store.all_versions()
        self.installed.fill(versions, self._checks)
        installed = {(iv.name, iv.version): iv.active for iv in versions}
        try:
            entries = self._catalog().entries
            self._catalog_error = ""
        except AuroraError as exc:
            entries, self._catalog_error = (), core_text(str(exc))
        self.catalog_table.fill(entries, installed)
        self._show_catalog_status()
        self._refresh_states()
        self._on_installed_selected()

    def shutdown(self) -> None:
        """Stop the timer, cancel a running job and wait for the worker to end."""
        self._state_timer.stop()
        self.jobs.shutdown()

    def retranslate(self) -> None:
        self.installed_group.setTitle(translate("ModelsPage", "Installed models"))
        self.catalog_group.setTitle(translate("ModelsPage", "Catalog"))
        self.version_label.setText(translate("ModelsPage", "Versio&n:"))
        self.version_combo.setAccessibleName(translate("ModelsPage", "Version to activate"))
        self.status_line.setAccessibleName(translate("ModelsPage", "Status"))
        self.catalog_status.setAccessibleName(translate("ModelsPage", "Catalog status"))
        self.buttons.retranslate()
        self._show_catalog_status()
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self._refresh_states()
        self._state_timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._state_timer.stop()
        super().hideEvent(event)

    # -- selection and buttons ---------------------------------------------------------------

    def _selected(self) -> InstalledVersion | None:
        return self.installed.version(self.installed.selected_key())

    def _on_installed_selected(self) -> None:
        selected = self._selected()
        self.version_combo.blockSignals(True)
        self.version_combo.clear()
        if selected is not None:
            for iv in self._store_versions(selected.name):
                self.version_combo.addItem(iv.version)
            self.version_combo.setCurrentText(selected.version)
        self.version_combo.blockSignals(False)
        self._update_buttons()

    def _store_versions(self, name: str) -> list[InstalledVersion]:
        return [iv for iv in self.installed.versions if iv.name == name]

    def _active_version(self, name: str) -> str | None:
        return next((iv.version for iv in self._store_versions(name) if iv.active), None)

    def _is_rollback(self) -> bool:
        selected, chosen = self._selected(), self.version_combo.currentText()
        active = self._active_version(selected.name) if selected is not None else None
        return bool(active and chosen) and version_key(chosen) < version_key(str(active))

    def _update_buttons(self) -> None:
        idle = not self.jobs.busy
        selected = self._selected()
        chosen = self.version_combo.currentText()
        state = self.installed.model_state(selected.name) if selected is not None else None
        b = self.buttons
        active = self._active_version(selected.name) if selected is not None else None
        b.show_switch_as_rollback(self._is_rollback())
        b.switch.setEnabled(idle and selected is not None and bool(chosen) and chosen != active)
        b.verify.setEnabled(idle and selected is not None)
        runs = selected is not None and selected.active and selected.entry.kind == "llm"
        pinned = state is not None and state.pinned
        b.show_pin_as_unpin(pinned)
        b.pin.setEnabled(idle and runs)
        b.unload.setEnabled(
            idle and runs and state is not None and (pinned or state.state == "loaded")
        )
        b.remove.setEnabled(idle and selected is not None and not selected.active)
        b.remove.setToolTip(
            translate("ModelsPage", "Switch to another version before removing the active one.")
            if selected is not None and selected.active
            else ""
        )
        b.install.setEnabled(idle and self._catalog_choice() is not None)
        b.import_file.setEnabled(idle)

    def _catalog_choice(self) -> ModelEntry | None:
        return self.catalog_table.entry(self.catalog_table.selected_key())

    def _refresh_states(self) -> None:
        self.installed.set_states(self._scheduler.snapshot())
        self._update_buttons()

    def _show_catalog_status(self) -> None:
        if self._catalog_error:
            text = translate("ModelsPage", "The model catalog is unavailable: {reason}").format(
                reason=self._catalog_error
            )
        elif not self.catalog_table.rowCount():
            text = translate("ModelsPage", "The catalog offers no models.")
        else:
            text = ""
        self.catalog_status.setText(text)
        self.catalog_status.setVisible(bool(text))

    # -- actions -----------------------------------------------------------------------------

    def _start(
        self, kind: str, subject: str, work: Work, *, cancellable: bool = False,
        key: Key | None = None,
    ) -> None:  # fmt: skip
        self._show_status("", error=False)
        job = self.jobs.start(kind, subject, work, cancellable=cancellable, key=key)
        self.panel.begin(job)
        self._update_buttons()

    def _on_install_clicked(self) -> None:
        entry = self._catalog_choice()
        if entry is None:
            return

        def work(progress: ProgressCallback, cancel: threading.Event) -> object:
            return actions.install_entry(self._store, entry, progress, cancel)

        key = (entry.name, entry.version)
        self._start("install", entry.label, work, cancellable=True, key=key)

    def _on_verify_clicked(self) -> None:
        iv = self._selected()
        if iv is None:
            return
        name, version = iv.name, iv.version

        def work(progress: ProgressCallback, _: threading.Event) -> object:
            return self._store.verify(name, version, progress)

        self._start("verify", iv.entry.label, work, key=(name, version))

    def _on_switch_clicked(self) -> None:
        iv, version = self._selected(), self.version_combo.currentText()
        if iv is None or not version:
            return
        run = partial(self._start_switch, iv.name, version)
        if not self._is_rollback():
            run()
            return
        active = self._active_version(iv.name) or ""
        self._confirm(
            "rollbackConfirm",
            translate("ModelsPage", "Roll back {name}").format(name=iv.name),
            translate(
                "ModelsPage",
                "Roll back {name} from {active} to the older version {version}? Aurora checks "
                "{version} before it becomes active, and the rollback is recorded in the audit "
                "log.",
            ).format(name=iv.name, active=active, version=version),
            translate("ModelsPage", "Roll &back"),
            run,
        )

    def _start_switch(self, name: str, version: str) -> None:
        def work(_: ProgressCallback, __: threading.Event) -> object:
            return actions.switch_version(self._store, name, version)

        self._start("switch", f"{name} {version}", work, key=(name, version))

    def _on_remove_clicked(self) -> None:
        iv = self._selected()
        if iv is None:
            return
        name, version, label = iv.name, iv.version, iv.entry.label

        def work(_: ProgressCallback, __: threading.Event) -> object:
            return actions.remove_version(self._store, self._scheduler, name, version)

        self._confirm(
            "removeConfirm",
            translate("ModelsPage", "Remove {label}").format(label=label),
            translate(
                "ModelsPage",
                "Remove {label}? Its files are deleted from this computer; you can install it "
                "again later.",
            ).format(label=label),
            translate("ModelsPage", "&Remove"),
            lambda: self._start("remove", label, work, key=(name, version)),
        )

    def _on_pin_clicked(self) -> None:
        iv = self._selected()
        if iv is None:
            return
        name, state = iv.name, self.installed.model_state(iv.name)
        pinned = state is not None and state.pinned

        def work(_: ProgressCallback, __: threading.Event) -> object:
            if pinned:
                self._scheduler.unpin(name)
            else:
                self._scheduler.pin(name)
            return None

        self._start("unpin" if pinned else "pin", name, work)

    def _on_unload_clicked(self) -> None:
        iv = self._selected()
        if iv is None:
            return
        name = iv.name

        def work(_: ProgressCallback, __: threading.Event) -> object:
            return actions.unload_model(self._scheduler, name)

        self._start("unload", name, work)

    def _on_import_clicked(self) -> None:
        path = self._choose_import_file()
        if path is None:
            return
        dialog = ImportDialog(path, self)
        dialog.accepted.connect(partial(self._start_import, dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _choose_import_file(self) -> Path | None:
        """Ask for a model file (tests replace this with a fixed path)."""
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            translate("ModelsPage", "Import a model file"),
            "",
            translate("ModelsPage", "Model files (*.gguf *.onnx *.safetensors)"),
        )
        return Path(chosen) if chosen else None

    def _start_import(self, dialog: ImportDialog) -> None:
        if self.jobs.busy:
            return
        path, name, version, kind = dialog.path, dialog.model_name, dialog.version, dialog.kind

        def work(progress: ProgressCallback, cancel: threading.Event) -> object:
            return actions.import_file(
                self._store, self._signer, self._ledger, path, name=name, version=version,
                kind=kind, progress=progress, cancel=cancel,
            )  # fmt: skip

        self._start("import", f"{name} {version}", work, cancellable=True, key=(name, version))

    def _confirm(
        self, name: str, title: str, text: str, yes: str, on_yes: Callable[[], None]
    ) -> None:
        """Ask a yes/no question without blocking; `on_yes` runs only on an explicit yes."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        box.setObjectName(name)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        yes_button.setObjectName("confirmYes")
        no_button = box.addButton(
            translate("ModelsPage", "Cancel"), QMessageBox.ButtonRole.RejectRole
        )
        no_button.setObjectName("confirmNo")
        box.setDefaultButton(no_button)
        box.setEscapeButton(no_button)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def done(_: int) -> None:
            if box.clickedButton() is yes_button and not self.jobs.busy:
                on_yes()
            box.deleteLater()

        box.finished.connect(done)
        box.open()

    # -- job results -------------------------------------------------------------------------

    def _on_job_progress(self, job: ModelJob, report: JobProgress) -> None:
        self.panel.show_progress(job, report)

    def _on_job_succeeded(self, job: ModelJob, result: object) -> None:
        self.panel.end()
        if job.key is not None and job.kind in ("install", "import", "verify", "switch"):
            self._checks[job.key] = Check(True)  # each of these checked every byte
        if job.key is not None and job.kind == "remove":
            self._checks.pop(job.key, None)
        self._show_status(self._success_message(job, result), error=False)
        self.refresh()
        if job.kind in ("install", "import", "switch", "remove"):
            self.models_changed.emit()

    def _success_message(self, job: ModelJob, result: object) -> str:
        what = job.subject
        if isinstance(result, actions.Installed):
            return self._installed_message(result)
        if isinstance(result, actions.Switched):
            return translate(
                "ModelsPage", "{name}: the active version is now {version} (was {previous})."
            ).format(
                name=result.installed.name,
                version=result.installed.version,
                previous=result.previous or translate("ModelsPage", "none"),
            )
        if isinstance(result, actions.Unloaded) and result.state == "loaded":
            return translate(
                "ModelsPage", "{name} will unload as soon as its current request ends."
            ).format(name=result.name)
        return {
            "verify": translate("ModelsPage", "{what}: OK (signature and sha256)."),
            "remove": translate("ModelsPage", "Removed {what}."),
            "unload": translate("ModelsPage", "{what} was unloaded."),
            "pin": translate(
                "ModelsPage", "{what} is loaded and pinned: it stays loaded until you unpin it."
            ),
            "unpin": translate(
                "ModelsPage", "{what} is no longer pinned and unloads after it has been idle."
            ),
        }.get(job.kind, "").format(what=what)

    def _installed_message(self, done: actions.Installed) -> str:
        installed = done.result.installed
        label = installed.entry.label
        if done.result.activated:
            return translate("ModelsPage", "{label} is installed and active.").format(label=label)
        if done.active_version == installed.version:
            return translate("ModelsPage", "{label} is already installed and active.").format(
                label=label
            )
        return translate(
            "ModelsPage",
            "{label} was installed but not activated, because a newer version was installed "
            "before; to roll back, select it, choose {version} under Version and press Roll "
            "back.",
        ).format(label=label, version=installed.version)

    def _on_job_failed(self, job: ModelJob, exc: BaseException) -> None:
        self.panel.end()
        if isinstance(exc, CancelledError):
            message = translate(
                "ModelsPage",
                "{what} was cancelled; start it again when you are ready (a download resumes "
                "where it stopped).",
            ).format(what=job.subject)
        else:
            message = error_sentence(
                exc,
                translate(
                    "ModelsPage",
                    "{what} failed unexpectedly ({detail}); try again, and if it repeats, "
                    "restart Aurora.",
                ),
                what=job.subject,
                detail=error_detail(exc),
            )
        if job.kind in ("verify", "switch") and job.key and isinstance(exc, ModelError):
            self._checks[job.key] = Check(False, core_text(str(exc)))
        self._show_status(message, error=True)
        self.refresh()

    def _show_status(self, message: str, *, error: bool) -> None:
        self.status_line.setText(message)
        self.status_line.setProperty("error", error)
        pixmap = QStyle.StandardPixmap
        icon = pixmap.SP_MessageBoxWarning if error else pixmap.SP_MessageBoxInformation
        size = self.status_line.fontMetrics().height()
        self.status_icon.setPixmap(self.style().standardIcon(icon).pixmap(size, size))
        self.status_icon.setVisible(bool(message))
