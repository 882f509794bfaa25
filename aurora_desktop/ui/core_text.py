"""Shows the sentences the core writes (errors, reasons, checks, scheduler warnings) in the
user's language.

The core writes English and has no Qt. installer/core_phrases.py collects the template of
every such sentence into ui/core_phrases.py ("{name} could not be loaded ({cause})."). Here a
sentence is recognised by the most specific template it fits, its parts are translated the
same way (a cause is often a sentence of its own), and the translated template is filled
in. A sentence that fits no template (a provider's own words, a path) is shown as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QCoreApplication

from aurora_desktop.ui.core_phrases import CONTEXT, TEMPLATES

_PIECE = re.compile(r"(\{\{|\}\}|\{[^{}]*\})")
_MAX_DEPTH = 4  # a sentence inside a sentence inside …; deeper parts are shown as they are


@dataclass(frozen=True, slots=True)
class Pattern:
    template: str
    regex: re.Pattern[str]
    literal: int  # characters outside placeholders: the more, the more specific
    anchor: str  # its longest literal piece: a text without it cannot fit (a quick test)


def compile_template(template: str) -> Pattern:
    """A regex that matches exactly the sentences `template` produces, one group per
    placeholder (a name used twice must match the same text both times)."""
    parts: list[str] = []
    seen: set[str] = set()
    literal = 0
    anchor = ""
    for piece in _PIECE.split(template):
        if piece in ("{{", "}}"):
            parts.append(re.escape(piece[0]))
            literal += 1
        elif piece.startswith("{") and piece.endswith("}"):
            name = piece[1:-1]
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
            seen.add(name)
        else:
            parts.append(re.escape(piece))
            literal += len(piece)
            anchor = max(anchor, piece, key=len)
    return Pattern(template, re.compile("".join(parts), re.DOTALL), literal, anchor)


@cache
def patterns() -> tuple[Pattern, ...]:
    """Every core template, most specific first."""
    compiled = (compile_template(t) for t in TEMPLATES)
    return tuple(sorted(compiled, key=lambda p: (-p.literal, p.template)))


def core_text(text: str) -> str:
    """`text` written by the core, in the current UI language (unchanged if unknown)."""
    return _Reader().read(text, 0)[1]


class _Reader:
    """Reads one sentence. Several templates may fit (a generic "{target}: {reason}" and a
    provider's "{name} {what}; {advice}." both fit "local: X needs …; close …"), so each is
    scored by how much of the text it and the templates of its parts account for, and the
    best reading wins."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, int], tuple[int, str]] = {}

    def read(self, text: str, depth: int) -> tuple[int, str]:
        """(characters recognised, the text translated)."""
        if depth > _MAX_DEPTH or not text.strip():
            return 0, text
        key = (text, depth)
        if key not in self._seen:
            self._seen[key] = self._best(text, depth)
        return self._seen[key]

    def _best(self, text: str, depth: int) -> tuple[int, str]:
        best = (0, text)
        for pattern in patterns():
            if pattern.anchor not in text:
                continue
            found = pattern.regex.fullmatch(text)
            if found is None:
                continue
            parts = {name: self.read(value, depth + 1) for name, value in found.groupdict().items()}
            score = pattern.literal + sum(known for known, _ in parts.values())
            if score > best[0]:
                best = (score, _fill(pattern, {name: shown for name, (_, shown) in parts.items()}))
        return best


def _fill(pattern: Pattern, parts: dict[str, str]) -> str:
    translated = QCoreApplication.translate(CONTEXT, pattern.template)
    try:
        return translated.format_map(parts)
    except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder
        return pattern.template.format_map(parts)
