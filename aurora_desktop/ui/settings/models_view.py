"""Pieces of the Models page: its action buttons and the progress panel of the running job."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QStyle, QWidget

from aurora_desktop.core.models.progress import human_bytes
from aurora_desktop.ui.settings.model_jobs import JobProgress, ModelJob

BAR_STEPS = 1000  # the bar counts permille: byte counts overflow a QProgressBar's int
translate = QCoreApplication.translate


def _button(parent: QWidget, name: str, icon: QStyle.StandardPixmap | None = None) -> QPushButton:
    button = QPushButton(parent)
    button.setObjectName(name)
    if icon is not None:
        button.setIcon(parent.style().standardIcon(icon))
    return button


class ModelsButtons:
    """The page's buttons; two of them change their text with the selection (Roll back, Unpin)."""

    def __init__(self, parent: QWidget) -> None:
        pixmap = QStyle.StandardPixmap
        self.switch = _button(parent, "switchButton")
        self.verify = _button(parent, "verifyButton", pixmap.SP_DialogApplyButton)
        self.pin = _button(parent, "pinButton")
        self.unload = _button(parent, "unloadButton")
        self.remove = _button(parent, "removeButton", pixmap.SP_TrashIcon)
        self.install = _button(parent, "installButton", pixmap.SP_ArrowDown)
        self.import_file = _button(parent, "importButton", pixmap.SP_DialogOpenButton)
        self._rollback = False
        self._unpin = False

    def installed_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for button in (self.verify, self.pin, self.unload):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.remove)
        return row

    def catalog_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.install)
        row.addStretch(1)
        row.addWidget(self.import_file)
        return row

    def show_switch_as_rollback(self, rollback: bool) -> None:
        self._rollback = rollback
        if rollback:
            self.switch.setText(translate("ModelsButtons", "Roll &back…"))
            self.switch.setAccessibleName(translate("ModelsButtons", "Roll back"))
        else:
            self.switch.setText(translate("ModelsButtons", "S&witch version"))
            self.switch.setAccessibleName(translate("ModelsButtons", "Switch version"))

    def show_pin_as_unpin(self, unpin: bool) -> None:
        self._unpin = unpin
        if unpin:
            self.pin.setText(translate("ModelsButtons", "Un&pin"))
            self.pin.setAccessibleName(translate("ModelsButtons", "Unpin"))
        else:
            self.pin.setText(translate("ModelsButtons", "&Pin"))
            self.pin.setAccessibleName(translate("ModelsButtons", "Pin"))

    def retranslate(self) -> None:
        self.show_switch_as_rollback(self._rollback)
        self.show_pin_as_unpin(self._unpin)
        texts = (
            (
                self.verify,
                translate("ModelsButtons", "&Verify"),
                translate("ModelsButtons", "Verify"),
            ),
            (
                self.unload,
                translate("ModelsButtons", "&Unload"),
                translate("ModelsButtons", "Unload"),
            ),
            (
                self.remove,
                translate("ModelsButtons", "&Remove…"),
                translate("ModelsButtons", "Remove"),
            ),
            (
                self.install,
                translate("ModelsButtons", "&Install"),
                translate("ModelsButtons", "Install"),
            ),
            (
                self.import_file,
                translate("ModelsButtons", "I&mport a file…"),
                translate("ModelsButtons", "Import a file"),
            ),
        )
        for button, text, accessible in texts:
            button.setText(text)
            button.setAccessibleName(accessible)
        self.verify.setToolTip(
            translate("ModelsButtons", "Re-hash the files and check the signature.")
        )
        self.pin.setToolTip(translate("ModelsButtons", "Keep the model loaded until you unpin it."))
        self.install.setToolTip(
            translate("ModelsButtons", "Download, verify and install the selected catalog model.")
        )
        self.import_file.setToolTip(
            translate("ModelsButtons", "Add a model file you trust, signed by this computer's key.")
        )


class JobPanel(QWidget):
    """What the running job is doing: a line of text, a progress bar and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobPanel")
        self.label = QLabel(self)
        self.label.setObjectName("jobLabel")
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("jobProgress")
        self.bar.setTextVisible(True)
        self.cancel = _button(self, "cancelButton", QStyle.StandardPixmap.SP_DialogCancelButton)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addLayout(row, 2)
        self._job: ModelJob | None = None
        self._report: JobProgress | None = None
        self.retranslate()
        self.setVisible(False)

    def begin(self, job: ModelJob) -> None:
        self._job, self._report = job, None
        self.bar.setRange(0, 0)  # busy until the first byte count arrives
        self.bar.setFormat("")
        self.cancel.setVisible(job.cancellable)
        self.cancel.setEnabled(job.cancellable)
        self._show_texts()
        self.setVisible(True)

    def show_progress(self, job: ModelJob, report: JobProgress) -> None:
        if job is not self._job:
            return
        self._report = report
        self._show_texts()

    def end(self) -> None:
        self._job = self._report = None
        self.setVisible(False)

    def retranslate(self) -> None:
        self.cancel.setText(translate("JobPanel", "&Cancel"))
        self.cancel.setAccessibleName(translate("JobPanel", "Cancel"))
        self.bar.setAccessibleName(translate("JobPanel", "Progress"))
        self._show_texts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_texts(self) -> None:
        job, report = self._job, self._report
        if job is None:
            return
        self.label.setText(self._title(job, report))
        fraction = report.fraction if report is not None else None
        if report is None or fraction is None:
            self.bar.setRange(0, 0)
            self.bar.setFormat("")
            return
        self.bar.setRange(0, BAR_STEPS)
        self.bar.setValue(round(fraction * BAR_STEPS))
        done, total = human_bytes(report.done), human_bytes(report.total or 0)
        if report.rate is not None:
            text = translate("JobPanel", "{done} of {total} · {rate}/s").format(
                done=done, total=total, rate=human_bytes(report.rate)
            )
        else:
            text = translate("JobPanel", "{done} of {total}").format(done=done, total=total)
        self.bar.setFormat(text)

    @staticmethod
    def _title(job: ModelJob, report: JobProgress | None) -> str:
        what = job.subject
        if report is not None and report.phase in ("download", "extract", "verify"):
            step = {
                "download": translate("JobPanel", "Downloading {file}…"),
                "extract": translate("JobPanel", "Unpacking {file}…"),
                "verify": translate("JobPanel", "Checking {file}…"),
            }[report.phase]
            return step.format(file=report.label)
        return {
            "install": translate("JobPanel", "Installing {what}…"),
            "import": translate("JobPanel", "Importing {what}…"),
            "verify": translate("JobPanel", "Verifying {what}…"),
            "switch": translate("JobPanel", "Checking and activating {what}…"),
            "remove": translate("JobPanel", "Removing {what}…"),
            "pin": translate("JobPanel", "Loading and pinning {what}…"),
            "unpin": translate("JobPanel", "Unpinning {what}…"),
            "unload": translate("JobPanel", "Unloading {what}…"),
        }.get(job.kind, "{what}").format(what=what)
