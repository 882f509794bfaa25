"""Settings > Privacy: personal-data masking, banned words, consents and the sent-data ledger."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from aurora_desktop.core.decisions import DecisionLedger
from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.policy.banned_file import BannedWordsFile
from aurora_desktop.core.policy.consent import ConsentStore
from aurora_desktop.core.policy.pii import PRIORITY, PiiMasker
from aurora_desktop.core.settings import SettingsFile
from aurora_desktop.ui.settings.banned_words_box import BannedWordsBox
from aurora_desktop.ui.settings.consents_box import ConsentsBox
from aurora_desktop.ui.settings.ledger_box import LedgerBox

KIND_ORDER = ("EMAIL", "PHONE", "CARD", "RRN", "IP", "SECRET")
assert set(KIND_ORDER) == set(PRIORITY)


def kind_text(kind: str) -> str:
    texts = {
        "EMAIL": QCoreApplication.translate("PrivacyPage", "&Email addresses"),
        "PHONE": QCoreApplication.translate("PrivacyPage", "&Phone numbers"),
        "CARD": QCoreApplication.translate("PrivacyPage", "&Card numbers"),
        "RRN": QCoreApplication.translate("PrivacyPage", "&Resident registration numbers"),
        "IP": QCoreApplication.translate("PrivacyPage", "&IP addresses"),
        "SECRET": QCoreApplication.translate("PrivacyPage", "&Secrets (API keys, passwords)"),
    }
    return texts[kind]


class PrivacyPage(QWidget):
    """Four tabs; every change is applied at once (the masker live) and saved."""

    def __init__(
        self,
        settings: SettingsFile,
        masker: PiiMasker,
        banned: BannedWordsFile,
        consents: ConsentStore,
        ledger: DecisionLedger,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("privacyPage")
        self._settings = settings
        self._masker = masker
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("privacyTabs")

        self.pii_tab = QWidget(self.tabs)
        self.pii_box = QGroupBox(self.pii_tab)
        self.pii_box.setObjectName("piiKinds")
        self.pii_checks: dict[str, QCheckBox] = {}
        box_layout = QVBoxLayout(self.pii_box)
        enabled = settings.current().pii_kinds
        for kind in KIND_ORDER:
            check = QCheckBox(self.pii_box)
            check.setObjectName(f"pii{kind.title()}")
            check.setChecked(kind in enabled)
            check.toggled.connect(self._on_kinds_toggled)
            box_layout.addWidget(check)
            self.pii_checks[kind] = check
        self.pii_note = QLabel(self.pii_tab)
        self.pii_note.setObjectName("piiNote")
        self.pii_note.setWordWrap(True)
        pii_layout = QVBoxLayout(self.pii_tab)
        pii_layout.addWidget(self.pii_box)
        pii_layout.addWidget(self.pii_note)
        pii_layout.addStretch(1)

        self.banned_box = BannedWordsBox(banned, self.tabs)
        self.consents_box = ConsentsBox(consents, self.tabs)
        self.ledger_box = LedgerBox(ledger, self.tabs)
        for tab in (self.pii_tab, self.banned_box, self.consents_box, self.ledger_box):
            self.tabs.addTab(tab, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.retranslate()
        if masker.kinds != enabled:
            masker.configure(enabled)
        self.ledger_box.refresh()

    def title(self) -> str:
        return QCoreApplication.translate("PrivacyPage", "Privacy")

    def enabled_kinds(self) -> frozenset[str]:
        return frozenset(kind for kind, check in self.pii_checks.items() if check.isChecked())

    def _on_kinds_toggled(self, _: bool) -> None:
        kinds = self.enabled_kinds()
        self._masker.configure(kinds)
        try:
            self._settings.update(pii_kinds=kinds)
        except (AuroraError, OSError) as exc:
            self.pii_note.setText(
                QCoreApplication.translate(
                    "PrivacyPage",
                    "The choice is in use but could not be saved ({error}); try again.",
                ).format(error=exc)
            )
            return
        self._show_note()

    def _show_note(self) -> None:
        if self.enabled_kinds():
            text = QCoreApplication.translate(
                "PrivacyPage",
                "The checked kinds are replaced by placeholders before text leaves this computer "
                "and put back in the answer you see.",
            )
        else:
            text = QCoreApplication.translate(
                "PrivacyPage",
                "Nothing is masked: personal data goes to cloud models as you typed it.",
            )
        self.pii_note.setText(text)

    def shutdown(self) -> None:
        self.ledger_box.shutdown()

    def retranslate(self) -> None:
        self.tabs.setTabText(0, QCoreApplication.translate("PrivacyPage", "Personal data"))
        self.tabs.setTabText(1, QCoreApplication.translate("PrivacyPage", "Banned words"))
        self.tabs.setTabText(2, QCoreApplication.translate("PrivacyPage", "Consents"))
        self.tabs.setTabText(3, QCoreApplication.translate("PrivacyPage", "Sent data"))
        self.tabs.setAccessibleName(QCoreApplication.translate("PrivacyPage", "Privacy sections"))
        self.pii_box.setTitle(
            QCoreApplication.translate("PrivacyPage", "Mask before sending to a cloud model")
        )
        for kind, check in self.pii_checks.items():
            check.setText(kind_text(kind))
            check.setAccessibleName(kind_text(kind).replace("&", ""))
        self._show_note()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
