"""Banned words: block a prompt or reply outright, or redact the word and let the rest through."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from aurora_desktop.core.errors import PolicyDenied
from aurora_desktop.core.text import phrase

REDACTED = "[redacted]"  # fixed width on purpose: "█" per letter would leak the word's length
# A Latin word must not touch another Latin letter or digit ("ass" never hits "class"); a
# Hangul word is matched anywhere, because particles attach to it (금지어를, 금지어는).
LATIN_EDGE = "0-9A-Za-z\u00c0-\u024f"


@dataclass(frozen=True, slots=True)
class BannedWord:
    word: str
    action: Literal["block", "mask"]


@dataclass(frozen=True, slots=True)
class BannedVerdict:
    text: str  # the text with every "mask" word replaced by REDACTED
    blocked_by: str | None  # the first "block" word in the text, or None
    hits: tuple[str, ...]  # every banned word found, once each, in order of appearance


class BannedWords:
    """The user's list, compiled once; `check` is a pure function of the text."""

    def __init__(self, words: Iterable[BannedWord]) -> None:
        actions: dict[str, BannedWord] = {}
        for item in words:
            word = _normalize(item.word.strip())
            key = word.casefold()
            if word and (key not in actions or item.action == "block"):
                actions[key] = BannedWord(word, item.action)  # "block" wins over "mask"
        self._words = tuple(actions.values())
        self._patterns = tuple(_pattern(item.word) for item in self._words)

    @property
    def words(self) -> tuple[BannedWord, ...]:
        return self._words

    def check(self, text: str) -> BannedVerdict:
        text = _normalize(text)
        first_at: dict[BannedWord, int] = {}
        masked: list[tuple[int, int]] = []
        for item, pattern in zip(self._words, self._patterns, strict=True):
            for match in pattern.finditer(text):
                first_at.setdefault(item, match.start())
                if item.action == "mask":
                    masked.append(match.span())
        found = sorted(first_at, key=lambda item: first_at[item])
        blocked = next((item.word for item in found if item.action == "block"), None)
        return BannedVerdict(_redact(text, masked), blocked, tuple(item.word for item in found))

    def enforce(self, text: str, *, where: str) -> str:
        """The text with mask words redacted; PolicyDenied if a block word is present."""
        verdict = self.check(text)
        if verdict.blocked_by is not None:
            raise PolicyDenied(
                phrase(
                    "Aurora stopped {where} because it contains the banned word "
                    '"{verdict_blocked_by}". Rephrase it, or edit the banned-word '
                    "list in Settings.",
                    where=where,
                    verdict_blocked_by=verdict.blocked_by,
                )
            )
        return verdict.text


def _normalize(text: str) -> str:
    """NFC, so Hangul typed as separate jamo (NFD, e.g. pasted from macOS) still matches."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _pattern(word: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(part) for part in word.split())
    left = rf"(?<![{LATIN_EDGE}])" if re.match(rf"[{LATIN_EDGE}]", word) else ""
    right = rf"(?![{LATIN_EDGE}])" if re.search(rf"[{LATIN_EDGE}]$", word) else ""
    return re.compile(left + body + right, re.IGNORECASE)


def _redact(text: str, spans: list[tuple[int, int]]) -> str:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, cursor = [], 0
    for start, end in merged:
        pieces += [text[cursor:start], REDACTED]
        cursor = end
    return "".join(pieces) + text[cursor:]
