"""Progress reports shared by every step that fetches, unpacks or checks a model file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FetchProgress:
    """One progress report: which step, how many bytes of how many (None if unknown)."""

    phase: str
    label: str
    done: int
    total: int | None


ProgressCallback = Callable[[FetchProgress], None]


def no_progress(_: FetchProgress) -> None:
    return None
