"""Reversible masking of personal data in Korean and English text with stable placeholders."""

from __future__ import annotations

import bisect
import re
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.policy.pii_patterns import DETECTORS
from aurora_desktop.core.text import phrase

EntityKind = Literal["EMAIL", "PHONE", "CARD", "RRN", "IP", "SECRET"]
ALL_KINDS: frozenset[str] = frozenset(get_args(EntityKind))
# When two detectors claim overlapping text, the more specific kind wins (then the longer span).
PRIORITY: tuple[str, ...] = ("SECRET", "RRN", "CARD", "EMAIL", "IP", "PHONE")
PLACEHOLDER = re.compile(r"<(" + "|".join(PRIORITY) + r")_([0-9]+)>")


@dataclass(frozen=True, slots=True)
class Entity:
    kind: str  # one of ALL_KINDS
    start: int  # offsets in the original text
    end: int
    placeholder: str  # e.g. "<EMAIL_1>"


@dataclass(frozen=True, slots=True)
class MaskResult:
    text: str
    entities: tuple[Entity, ...]
    mapping: dict[str, str]  # placeholder -> original, everything masked so far in the vault

    def counts(self) -> dict[str, int]:
        """Kind -> entities masked in this text (a repeated value counts every time)."""
        return dict(Counter(entity.kind for entity in self.entities))


class PlaceholderVault:
    """Keeps placeholders stable across the messages of one conversation: the same value always
    gets the same placeholder, different values get different numbers per kind."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._mapping: dict[str, str] = {}
        self._by_value: dict[tuple[str, str], str] = {}
        self._taken: set[str] = set()  # assigned, or typed literally by the user
        self._last: dict[str, int] = {}

    @property
    def mapping(self) -> dict[str, str]:
        """Placeholder -> original value (a copy)."""
        with self._lock:
            return dict(self._mapping)

    def reserve_literals(self, text: str) -> None:
        """Placeholders the user typed themselves are never handed out for a real value."""
        with self._lock:
            self._taken.update(match.group() for match in PLACEHOLDER.finditer(text))

    def placeholder_for(self, kind: str, value: str) -> str:
        with self._lock:
            known = self._by_value.get((kind, value))
            if known is not None:
                return known
            number = self._last.get(kind, 0)
            while True:
                number += 1
                placeholder = f"<{kind}_{number}>"
                if placeholder not in self._taken:
                    break
            self._last[kind] = number
            self._taken.add(placeholder)
            self._by_value[(kind, value)] = placeholder
            self._mapping[placeholder] = value
            return placeholder


class PiiMasker:
    """Finds personal data, swaps it for placeholders before text leaves, and puts it back."""

    def __init__(self, kinds: frozenset[str] = ALL_KINDS) -> None:
        self._lock = threading.Lock()
        self._kinds = _checked(kinds)

    @property
    def kinds(self) -> frozenset[str]:
        with self._lock:
            return self._kinds

    def configure(self, kinds: frozenset[str]) -> None:
        """Change the kinds masked from now on (safe while other threads mask text)."""
        checked = _checked(kinds)
        with self._lock:
            self._kinds = checked

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """(kind, start, end) of everything to mask: non-overlapping, sorted by start."""
        kinds = self.kinds  # one consistent set for the whole text
        candidates = [
            (kind, start, end)
            for kind in PRIORITY
            if kind in kinds
            for start, end in DETECTORS[kind](text)
            if end > start
        ]
        return resolve_overlaps(candidates)

    def mask(self, text: str, vault: PlaceholderVault | None = None) -> MaskResult:
        vault = PlaceholderVault() if vault is None else vault
        vault.reserve_literals(text)
        pieces: list[str] = []
        entities: list[Entity] = []
        cursor = 0
        for kind, start, end in self.find(text):
            placeholder = vault.placeholder_for(kind, text[start:end])
            entities.append(Entity(kind, start, end, placeholder))
            pieces += [text[cursor:start], placeholder]
            cursor = end
        pieces.append(text[cursor:])
        return MaskResult("".join(pieces), tuple(entities), vault.mapping)

    def restore(self, text: str, vault_or_mapping: PlaceholderVault | Mapping[str, str]) -> str:
        """Every known placeholder back to its original; unknown look-alikes stay as they are."""
        mapping = (
            vault_or_mapping.mapping
            if isinstance(vault_or_mapping, PlaceholderVault)
            else vault_or_mapping
        )
        return PLACEHOLDER.sub(lambda m: mapping.get(m.group(), m.group()), text)


def _checked(kinds: frozenset[str]) -> frozenset[str]:
    unknown = sorted(set(kinds) - ALL_KINDS)
    if unknown:
        raise ConfigError(
            phrase(
                "Unknown kind of personal data {join_unknown}; choose from {join_PRIORITY}.",
                join_unknown=", ".join(unknown),
                join_PRIORITY=", ".join(PRIORITY),
            )
        )
    return frozenset(kinds)


def resolve_overlaps(candidates: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Keep the highest-priority kind, then the longest span, then the earliest; sort by start."""
    rank = {kind: index for index, kind in enumerate(PRIORITY)}
    ordered = sorted(candidates, key=lambda c: (rank[c[0]], -(c[2] - c[1]), c[1]))
    kept: list[tuple[int, int, str]] = []  # sorted by start, never overlapping
    for kind, start, end in ordered:
        at = bisect.bisect_left(kept, (start, end, kind))
        if (at > 0 and kept[at - 1][1] > start) or (at < len(kept) and kept[at][0] < end):
            continue
        kept.insert(at, (start, end, kind))
    return [(kind, start, end) for start, end, kind in kept]
