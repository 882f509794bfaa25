"""Putting the user's own data back into a reply, also while it streams token by token."""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"<[A-Z]+_[0-9]+>")
LONGEST_PLACEHOLDER = 24


def restore_placeholders(text: str, mapping: Mapping[str, str]) -> str:
    """Replace every known placeholder; unknown ones are left as they are."""
    if not mapping:
        return text
    return PLACEHOLDER.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)


class StreamRestorer:
    """Feeds streamed pieces through, holding back a possible half placeholder (`<EMA`)."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self._mapping = mapping
        self._held = ""

    def feed(self, piece: str) -> str:
        text = self._held + piece
        cut = text.rfind("<")
        if cut != -1 and ">" not in text[cut:] and len(text) - cut < LONGEST_PLACEHOLDER:
            text, self._held = text[:cut], text[cut:]
        else:
            self._held = ""
        return restore_placeholders(text, self._mapping)

    def flush(self) -> str:
        text, self._held = self._held, ""
        return restore_placeholders(text, self._mapping)
