"""The pure choice of which loaded models to unload, for room or because they sat idle.

No clock, no logging, no engines: the scheduler passes in what it knows and acts on the answer.
Order of sacrifice: idle non-warm models, least recently used first; then idle warm models,
least recently used first. A model with requests in flight (`refs > 0`) or a pin is never chosen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Resident:
    """A loaded model as the eviction choice sees it."""

    name: str
    ram_bytes: int
    refs: int  # requests in flight or waiting for this model
    pinned: bool
    warm: bool  # kept loaded at start and never expired; evicted only after every non-warm one
    last_used: float


def evictable(resident: Resident) -> bool:
    """Idle and not pinned: unloading it hurts no request in flight and breaks no promise."""
    return resident.refs == 0 and not resident.pinned


def eviction_order(residents: Sequence[Resident]) -> tuple[Resident, ...]:
    """Every evictable resident, the first to go first (names break ties, so it is stable)."""
    return tuple(
        sorted(
            (r for r in residents if evictable(r)),
            key=lambda r: (r.warm, r.last_used, r.name),
        )
    )


def choose_evictions(
    residents: Sequence[Resident], *, need_bytes: int, free_bytes: int
) -> tuple[str, ...] | None:
    """The models to unload, in order, so that `free_bytes` plus what they free covers `need_bytes`.

    `()` when it already fits; `None` when even unloading every evictable model is not enough.
    Models that hold no memory are skipped: unloading them frees nothing.
    """
    if need_bytes <= free_bytes:
        return ()
    chosen: list[str] = []
    room = free_bytes
    for resident in eviction_order(residents):
        if resident.ram_bytes <= 0:
            continue
        chosen.append(resident.name)
        room += resident.ram_bytes
        if room >= need_bytes:
            return tuple(chosen)
    return None


def expired(
    residents: Sequence[Resident], *, now: float, ttl_s: Mapping[str, float]
) -> tuple[str, ...]:
    """Idle, unpinned, non-warm models whose idle time reached their TTL, oldest first.

    A negative TTL never expires; a TTL of 0 expires as soon as the model is idle; a model
    missing from `ttl_s` never expires.
    """
    due = [
        r
        for r in residents
        if evictable(r)
        and not r.warm
        and (ttl := ttl_s.get(r.name, -1.0)) >= 0
        and r.last_used + ttl <= now
    ]
    return tuple(r.name for r in sorted(due, key=lambda r: (r.last_used, r.name)))


def idle_bytes(residents: Sequence[Resident]) -> int:
    """What unloading every evictable resident would free."""
    return sum(max(r.ram_bytes, 0) for r in residents if evictable(r))
