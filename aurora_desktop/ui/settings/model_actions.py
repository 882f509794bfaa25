"""What the Models page's jobs do on the worker: plain calls into the core, no Qt."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.models.importer import import_model
from aurora_desktop.core.models.local_key import LocalSigner
from aurora_desktop.core.models.manifest import ModelEntry
from aurora_desktop.core.models.progress import ProgressCallback
from aurora_desktop.core.models.store import InstalledVersion, InstallResult, ModelStore
from aurora_desktop.core.scheduler.events import ModelState
from aurora_desktop.core.scheduler.scheduler import ModelScheduler


@dataclass(frozen=True, slots=True)
class Installed:
    """An install or import, and the version active after it."""

    result: InstallResult
    active_version: str | None


@dataclass(frozen=True, slots=True)
class Switched:
    installed: InstalledVersion
    previous: str | None


@dataclass(frozen=True, slots=True)
class Unloaded:
    name: str
    state: str  # the scheduler state afterwards ("unloaded", or "loaded" while still in use)


def model_state(scheduler: ModelScheduler, name: str) -> ModelState | None:
    return next((s for s in scheduler.snapshot() if s.name == name), None)


def install_entry(
    store: ModelStore, entry: ModelEntry, progress: ProgressCallback, cancel: threading.Event
) -> Installed:
    result = store.install(entry, progress=progress, cancel=cancel)
    active = store.active(entry.name)
    return Installed(result, active.version if active is not None else None)


def import_file(
    store: ModelStore,
    signer: Callable[[], LocalSigner],
    ledger: AuditLedger,
    path: Path,
    *,
    name: str,
    version: str,
    kind: str,
    progress: ProgressCallback,
    cancel: threading.Event,
) -> Installed:
    """Import as `aurora models import` does, the user having confirmed the trust question."""
    result = import_model(
        store, signer(), path, name=name, version=version, kind=kind,
        progress=progress, cancel=cancel,
    )  # fmt: skip
    key_id = result.installed.entry.record["key_id"]
    ledger.append("model.import", model=name, version=version, file=path.name, key_id=key_id)
    active = store.active(name)
    return Installed(result, active.version if active is not None else None)


def switch_version(store: ModelStore, name: str, version: str) -> Switched:
    """Activate `version` (forward or back); the store verifies it first and logs the switch."""
    previous = store.active(name)
    installed = store.switch(name, version)
    return Switched(installed, previous.version if previous is not None else None)


def remove_version(
    store: ModelStore, scheduler: ModelScheduler, name: str, version: str
) -> InstalledVersion:
    def in_use(model: str) -> bool:
        state = model_state(scheduler, model)
        return state is not None and state.state in ("loading", "loaded") and state.refs > 0

    return store.remove(name, version, in_use=in_use)


def unload_model(scheduler: ModelScheduler, name: str) -> Unloaded:
    """Unpin `name` and unload it now, or as soon as the request holding it is done."""
    scheduler.unload(name)
    state = model_state(scheduler, name)
    return Unloaded(name, state.state if state is not None else "unloaded")
