"""The trust confirmation before a local model file is imported and signed by the local key."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.models.schema import NAME_PATTERN, VERSION_PATTERN

KINDS = ("llm", "embedding", "tts", "asr")
translate = QCoreApplication.translate


def suggested_name(path: Path) -> str:
    """A model name the store accepts, from the file name: "My Model.Q4.gguf" -> "my-model.q4"."""
    name = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._")
    return name[:64] or "imported-model"


class ImportDialog(QDialog):
    """Asks the user to vouch for a file: its name and version in Aurora, and the consequence."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setObjectName("importDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.setWindowIcon(icon)

        self.warning = QLabel(self)
        self.warning.setObjectName("importTrustText")
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.name_edit = QLineEdit(suggested_name(path), self)
        self.name_edit.setObjectName("importName")
        self.name_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(NAME_PATTERN), self)
        )
        self.version_edit = QLineEdit("1.0.0", self)
        self.version_edit.setObjectName("importVersion")
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("importKind")
        self.kind_combo.addItems(KINDS)
        self.name_label = QLabel(self)
        self.name_label.setBuddy(self.name_edit)
        self.version_label = QLabel(self)
        self.version_label.setBuddy(self.version_edit)
        self.kind_label = QLabel(self)
        self.kind_label.setBuddy(self.kind_combo)

        self.buttons = QDialogButtonBox(self)
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("importConfirm")
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("importCancel")
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setDefault(True)  # vouching is never the accidental choice
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.name_label, self.name_edit)
        form.addRow(self.version_label, self.version_edit)
        form.addRow(self.kind_label, self.kind_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.name_edit, self.version_edit)
        self.setTabOrder(self.version_edit, self.kind_combo)
        self.setTabOrder(self.kind_combo, self.cancel_button)
        self.setTabOrder(self.cancel_button, self.import_button)

        self.name_edit.textChanged.connect(self._on_edited)
        self.version_edit.textChanged.connect(self._on_edited)
        self.retranslate()
        self._on_edited()

    @property
    def model_name(self) -> str:
        return self.name_edit.text().strip()

    @property
    def version(self) -> str:
        return self.version_edit.text().strip()

    @property
    def kind(self) -> str:
        return self.kind_combo.currentText()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("ImportDialog", "Import a model file"))
        self.warning.setText(
            translate(
                "ImportDialog",
                "{file} is not signed by a publisher Aurora knows. Importing it means you vouch "
                "for it: Aurora will sign it with this computer's local key (kept in the system "
                "keyring) and run it. Import only files from a source you trust.",
            ).format(file=self.path.name)
        )
        self.name_label.setText(translate("ImportDialog", "&Name:"))
        self.version_label.setText(translate("ImportDialog", "&Version:"))
        self.kind_label.setText(translate("ImportDialog", "&Kind:"))
        self.name_edit.setAccessibleName(translate("ImportDialog", "Model name"))
        self.version_edit.setAccessibleName(translate("ImportDialog", "Model version"))
        self.kind_combo.setAccessibleName(translate("ImportDialog", "Model kind"))
        self.import_button.setText(translate("ImportDialog", "Sign and &import"))
        self.import_button.setAccessibleName(translate("ImportDialog", "Sign and import"))
        self.cancel_button.setText(translate("ImportDialog", "Cancel"))
        self.cancel_button.setAccessibleName(translate("ImportDialog", "Cancel"))
        self._on_edited()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_edited(self) -> None:
        name_ok = re.match(NAME_PATTERN, self.model_name) is not None
        version_ok = re.match(VERSION_PATTERN, self.version) is not None
        self.import_button.setEnabled(name_ok and version_ok)
        if not name_ok:
            hint = translate(
                "ImportDialog", "Use lowercase letters, digits, '.', '-' or '_' for the name."
            )
        elif not version_ok:
            hint = translate("ImportDialog", "Use a version number like 1.0.0.")
        else:
            hint = ""
        self.import_button.setToolTip(hint)
