"""Shows the sentences the core writes (errors, reasons, checks, scheduler warnings) in the
user's language.

The core makes each such sentence with `core.text.phrase(template, **args)`: a `Message`
that is English text and keeps its template and arguments. Here the template is looked up
in Qt's translator (lupdate collects the templates from the core's source, see
installer/translations.py) and filled in with the arguments, each shown the same way (a
cause is often a sentence of its own). Nothing is parsed: text that is not a Message (a
provider's own words, a path, a sentence read back from an old record) is looked up as a
whole and otherwise shown as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from aurora_desktop.core.text import Message, message_of

CONTEXT = ""  # lupdate's context for phrase() templates (installer/translations.py)
_MAX_DEPTH = 6  # a sentence inside a sentence inside …; deeper parts are shown in English


def core_text(text: object) -> str:
    """`text` written by the core, in the current UI language (unchanged if unknown); an
    error is shown by the message it was raised with."""
    return _shown(text, 0)


def _shown(value: object, depth: int) -> str:
    if isinstance(value, BaseException):
        value = message_of(value)
    if isinstance(value, Message):
        if depth > _MAX_DEPTH:
            return str.__str__(value)
        parts = {name: _shown(arg, depth + 1) for name, arg in value.args.items()}
        translated = QCoreApplication.translate(CONTEXT, value.template)
        try:
            return translated.format_map(parts)
        except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder
            return value.template.format_map(parts)
    text = str.__str__(value) if isinstance(value, str) else str(value)
    if not text.strip() or "{" in text or "}" in text:
        return text
    return QCoreApplication.translate(CONTEXT, text)  # a sentence without arguments
