"""Friendly, translated names for the request tasks and risks the chat popup offers."""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtCore import QCoreApplication

from aurora_desktop.core.contract import Request

DEFAULT_TASK = "auto"
DEFAULT_RISK: str = next(f.default for f in fields(Request) if f.name == "risk")  # type: ignore[assignment]
# tasks whose requests need input the popup cannot give (labels, a JSON Schema)
NEEDS_MORE_INPUT = ("classify", "extract")


def task_name(task: str) -> str:
    """The name a person sees for a task id; unknown ids are shown as they are."""
    names = {
        "auto": QCoreApplication.translate("ChatChoices", "Auto"),
        "chat": QCoreApplication.translate("ChatChoices", "Chat"),
        "intent": QCoreApplication.translate("ChatChoices", "Intent"),
        "classify": QCoreApplication.translate("ChatChoices", "Classify"),
        "extract": QCoreApplication.translate("ChatChoices", "Extract"),
        "summarize": QCoreApplication.translate("ChatChoices", "Summarize"),
        "short_summarize": QCoreApplication.translate("ChatChoices", "Short summary"),
        "generate_short": QCoreApplication.translate("ChatChoices", "Short text"),
        "generate_long": QCoreApplication.translate("ChatChoices", "Long text"),
        "plan": QCoreApplication.translate("ChatChoices", "Plan"),
        "rag": QCoreApplication.translate("ChatChoices", "Answer from documents"),
    }
    return names.get(task, task)


def task_hint(task: str) -> str:
    """A tooltip for a task in the selector."""
    if task == "auto":
        return QCoreApplication.translate("ChatChoices", "Aurora decides what kind of work it is.")
    if task == "classify":
        return QCoreApplication.translate(
            "ChatChoices", "Needs labels to choose from; use the command line for it."
        )
    if task == "extract":
        return QCoreApplication.translate(
            "ChatChoices", "Needs a JSON Schema for the answer; use the command line for it."
        )
    return ""


def risk_name(risk: str) -> str:
    names = {
        "low": QCoreApplication.translate("ChatChoices", "Low risk"),
        "medium": QCoreApplication.translate("ChatChoices", "Medium risk"),
        "high": QCoreApplication.translate("ChatChoices", "High risk"),
    }
    return names.get(risk, risk)


def risk_hint(risk: str) -> str:
    if risk == "high":
        return QCoreApplication.translate(
            "ChatChoices", "Never leaves this device, even when the local model fails."
        )
    return QCoreApplication.translate(
        "ChatChoices", "The routing rules may send it to a cloud model, with your consent."
    )
