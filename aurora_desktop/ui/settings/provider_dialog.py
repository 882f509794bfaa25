"""The Add / Edit cloud provider dialog: name, base URL, model and an API key typed unseen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.providers.registry import ProviderConfig
from aurora_desktop.ui.core_text import core_text


@dataclass(frozen=True, slots=True)
class ProviderForm:
    """What the user typed; `api_key` is "" when the key field was left empty."""

    name: str
    base_url: str
    model: str
    api_key: str


class ProviderDialog(QDialog):
    """Asks for one provider; `save` is called on OK and its AuroraError is shown here."""

    def __init__(
        self,
        save: Callable[[ProviderForm], None],
        existing: ProviderConfig | None = None,
        *,
        has_key: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("providerDialog")
        self._save = save
        self._editing = existing is not None
        self._has_key = has_key
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("providerName")
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("providerBaseUrl")
        self.model_edit = QLineEdit(self)
        self.model_edit.setObjectName("providerModel")
        self.key_edit = QLineEdit(self)
        self.key_edit.setObjectName("providerKey")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        if existing is not None:
            self.name_edit.setText(existing.name)
            self.name_edit.setReadOnly(True)  # the name is the key in the keyring
            self.url_edit.setText(existing.base_url)
            self.model_edit.setText(existing.model)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("providerDialogError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("providerDialogButtons")
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)

        self.form = QFormLayout()
        self._labels = [QLabel(self) for _ in range(4)]
        for label, edit in zip(
            self._labels,
            (self.name_edit, self.url_edit, self.model_edit, self.key_edit),
            strict=True,
        ):
            label.setBuddy(edit)
            self.form.addRow(label, edit)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.name_edit, self.url_edit)
        self.setTabOrder(self.url_edit, self.model_edit)
        self.setTabOrder(self.model_edit, self.key_edit)
        self.retranslate()

    def form_values(self) -> ProviderForm:
        return ProviderForm(
            name=self.name_edit.text().strip(),
            base_url=self.url_edit.text().strip(),
            model=self.model_edit.text().strip(),
            api_key=self.key_edit.text().strip(),
        )

    def _on_ok(self) -> None:
        try:
            self._save(self.form_values())
        except AuroraError as exc:
            self.error_label.setText(core_text(str(exc)))
            self.error_label.show()
            return
        self.key_edit.clear()
        self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(
            QCoreApplication.translate("ProviderDialog", "Edit cloud provider")
            if self._editing
            else QCoreApplication.translate("ProviderDialog", "Add cloud provider")
        )
        texts = (
            QCoreApplication.translate("ProviderDialog", "&Name:"),
            QCoreApplication.translate("ProviderDialog", "&Base URL:"),
            QCoreApplication.translate("ProviderDialog", "&Model:"),
            QCoreApplication.translate("ProviderDialog", "API &key:"),
        )
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.name_edit.setAccessibleName(
            QCoreApplication.translate("ProviderDialog", "Provider name")
        )
        self.name_edit.setPlaceholderText(
            QCoreApplication.translate("ProviderDialog", "e.g. openai")
        )
        self.url_edit.setAccessibleName(QCoreApplication.translate("ProviderDialog", "Base URL"))
        self.url_edit.setPlaceholderText("https://api.example.com/v1")
        self.model_edit.setAccessibleName(
            QCoreApplication.translate("ProviderDialog", "Model name")
        )
        self.key_edit.setAccessibleName(QCoreApplication.translate("ProviderDialog", "API key"))
        self.key_edit.setPlaceholderText(
            QCoreApplication.translate("ProviderDialog", "Leave empty to keep the stored key")
            if self._editing and self._has_key
            else QCoreApplication.translate(
                "ProviderDialog", "Leave empty if the server needs no key"
            )
        )
        self.error_label.setAccessibleName(QCoreApplication.translate("ProviderDialog", "Problem"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
