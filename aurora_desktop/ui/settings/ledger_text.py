"""The ledger's stored codes in words: how consent was given and how a request ended
("refused: <the core's reason>" shows the reason in the UI language)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from aurora_desktop.ui.core_text import core_text


def consent_text(consent: str) -> str:
    names = {
        "once": QCoreApplication.translate("LedgerText", "Allowed once"),
        "always": QCoreApplication.translate("LedgerText", "Always allowed"),
        "stored": QCoreApplication.translate("LedgerText", "Allowed earlier"),
    }
    return names.get(consent, consent)


def outcome_text(outcome: str, reason: str | None = None) -> str:
    """ok, cancelled, "refused: …" or "failed: …" (see core/pipeline.py), in words; `reason`
    is the ledger's message value of the part after the colon, when it has one."""
    code, _, said = outcome.partition(": ")
    reason = reason or said
    if code == "ok" and not reason:
        return QCoreApplication.translate("LedgerText", "Answered")
    if code == "cancelled" and not reason:
        return QCoreApplication.translate("LedgerText", "Stopped")
    if code == "refused" and reason:
        return QCoreApplication.translate("LedgerText", "Refused: {reason}").format(
            reason=core_text(reason)
        )
    if code == "failed" and reason:
        return QCoreApplication.translate("LedgerText", "Failed: {reason}").format(
            reason=core_text(reason)
        )
    return core_text(outcome)
