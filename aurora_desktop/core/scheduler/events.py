"""What the scheduler tells the outside world: lifecycle events and per-model snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EventKind = Literal["loading", "loaded", "unloading", "unloaded", "failed", "warning"]
ModelStateName = Literal["unloaded", "loading", "loaded", "unloading", "failed"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SchedulerEvent:
    """Something that happened to a model; `detail` is a sentence fit for a tray message."""

    kind: EventKind
    model: str
    detail: str
    at: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelState:
    """One model as the UI shows it (tooltip, dashboard, settings)."""

    name: str
    state: ModelStateName
    refs: int
    pinned: bool
    warm: bool
    last_used: float
    ttl_s: float  # negative: never expires while idle
    memory_bytes: int
    error: str = ""  # why the last load or generation failed, while `state` is "failed"
