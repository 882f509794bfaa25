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


def human_bytes(value: float) -> str:
    """Decimal units, one decimal place: "12.3 MB" (whole bytes below a kilobyte)."""
    if value < 1000:
        return f"{int(value)} B"
    for unit in ("KB", "MB"):
        value /= 1000
        if value < 1000:
            return f"{value:.1f} {unit}"
    return f"{value / 1000:.1f} GB"
