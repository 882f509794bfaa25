"""Marks the sentences the core writes for people, so the UI can show them translated.

The core writes English and has no Qt. A sentence a person may read (a reason shown in the
route badge or a consent dialog, a check's result, a scheduler warning, or a piece of such a
sentence) is wrapped in `phrase(...)`; the messages of errors from core/errors.py count as
marked already. `installer/core_phrases.py` collects the marked strings as templates and the
UI (ui/core_text.py) rebuilds each sentence in the user's language. At run time `phrase`
returns its argument unchanged, so the CLI, logs and stored records keep the English.
"""

from __future__ import annotations


def phrase(text: str) -> str:
    """`text`, unchanged; marks it as a sentence (or part of one) the user may read."""
    return text
