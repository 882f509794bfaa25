"""The scheduler's private bookkeeping for one model name, guarded by the scheduler's lock."""

from __future__ import annotations

from dataclasses import dataclass

from aurora_desktop.core.engines.base import Engine
from aurora_desktop.core.scheduler.events import ModelState, ModelStateName
from aurora_desktop.core.scheduler.eviction import Resident


@dataclass(slots=True, eq=False)
class LoadTicket:
    """One load in flight; every request for the same model waits on it instead of loading."""

    done: bool = False
    error: BaseException | None = None


@dataclass(slots=True, eq=False)
class Slot:
    """Everything the scheduler knows about one model; the engine object is kept across
    unloads and replaced only after a failure."""

    name: str
    ttl_s: float
    warm: bool = False
    kept_alive: bool = False  # ttl_s came from a request's keep_alive_s, not the settings
    state: ModelStateName = "unloaded"
    engine: Engine | None = None
    refs: int = 0  # leases not yet released
    waiting: int = 0  # acquire() calls waiting for a load or an unload to finish
    pinned: bool = False
    last_used: float = 0.0
    ram_bytes: int = 0  # what the loaded engine holds (its own figure, else the manifest's)
    generation: int = 0  # bumped per loaded engine, so a stale lease cannot release a new one
    ticket: LoadTicket | None = None
    error: str = ""

    def resident(self) -> Resident:
        """How the eviction choice sees this model; a waiting request counts as in flight."""
        return Resident(
            name=self.name,
            ram_bytes=self.ram_bytes,
            refs=self.refs + self.waiting,
            pinned=self.pinned,
            warm=self.warm,
            last_used=self.last_used,
        )

    def view(self) -> ModelState:
        return ModelState(
            name=self.name,
            state=self.state,
            refs=self.refs,
            pinned=self.pinned,
            warm=self.warm,
            last_used=self.last_used,
            ttl_s=self.ttl_s,
            memory_bytes=self.ram_bytes if self.state == "loaded" else 0,
            error=self.error if self.state == "failed" else "",
        )
