"""The store of verified models under `AURORA_HOME/models`, one folder per version.

Install: the entry's signature is checked before any byte is fetched; files are fetched
into `models/.staging/NAME-VERSION/`, each checked for size and sha256, and the finished
folder is renamed into `models/KIND/NAME/VERSION/` in one step. Only then is the version
recorded in `model_manifest.json` (atomic replace). A kill at any instant leaves the
manifest readable and the active version either the old or the new verified one.
"""

from __future__ import annotations

import contextlib
import copy
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aurora_desktop.core.atomic import fsync_dir
from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.errors import ModelError, ModelInUseError, SignatureError
from aurora_desktop.core.filelock import FileLock
from aurora_desktop.core.models.activation import decide_activation
from aurora_desktop.core.models.fetch import ProgressCallback, sha256_file
from aurora_desktop.core.models.integrity import check_folder, file_stat
from aurora_desktop.core.models.manifest import (
    ModelEntry,
    parse_entry,
    parse_store_manifest,
    read_manifest_bytes,
    update_store_manifest,
    version_key,
)
from aurora_desktop.core.models.progress import no_progress
from aurora_desktop.core.models.signing import verify_entry
from aurora_desktop.core.models.sources import fetch_file
from aurora_desktop.core.models.trust import TrustStore
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.text import phrase

MANIFEST_NAME = "model_manifest.json"


@dataclass(frozen=True, slots=True)
class InstalledVersion:
    """A recorded version; `name`/`version` are where the store filed it (the manifest keys)."""

    name: str
    version: str
    entry: ModelEntry
    folder: Path
    active: bool
    origin: str
    verified_at: float | None

    @property
    def main_path(self) -> Path:
        return self.folder / self.entry.main_file.path


@dataclass(frozen=True, slots=True)
class InstallResult:
    installed: InstalledVersion
    activated: bool
    fetched: bool
    note: str


class ModelStore:
    """Installs, verifies, switches and removes model versions; the only writer of the manifest."""

    def __init__(
        self,
        home: AuroraHome,
        trust: TrustStore,
        ledger: AuditLedger,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._home = home
        self._trust = trust
        self._ledger = ledger
        self._clock = clock
        self._thread_lock = threading.RLock()
        # the last manifest read: its bytes and what they parse to (the schema check costs
        # milliseconds, and the API's /v1/models and every load read the manifest)
        self._parsed: tuple[bytes | None, dict[str, Any]] | None = None
        self._listed: dict[str, list[InstalledVersion]] = {}  # versions() of that manifest

    @property
    def manifest_path(self) -> Path:
        return self._home.models / MANIFEST_NAME

    @property
    def trust(self) -> TrustStore:
        return self._trust

    # -- reading ---------------------------------------------------------------------------

    def read_manifest(self) -> dict[str, Any]:
        """The manifest as on disk now: read every time, parsed and checked only when its
        bytes changed; the caller gets its own copy to change."""
        return copy.deepcopy(self._current()[1])

    def _current(self) -> tuple[bytes | None, dict[str, Any]]:
        raw = read_manifest_bytes(self.manifest_path)
        parsed = self._parsed
        if parsed is None or parsed[0] != raw:
            parsed = (raw, parse_store_manifest(raw, self.manifest_path))
            self._parsed, self._listed = parsed, {}
        return parsed

    def versions(self, name: str) -> list[InstalledVersion]:
        _raw, manifest = self._current()
        listed = self._listed  # InstalledVersion values are frozen: shared while unchanged
        if name not in listed:
            record = manifest["models"].get(name)
            found = [] if record is None else [
                self._installed(name, v, raw, record["active"])
                for v, raw in record["versions"].items()
            ]  # fmt: skip
            listed[name] = sorted(found, key=lambda iv: version_key(iv.version))
        return list(listed[name])

    def all_versions(self) -> list[InstalledVersion]:
        return [iv for name in sorted(self.read_manifest()["models"]) for iv in self.versions(name)]

    def active(self, name: str) -> InstalledVersion | None:
        return next((iv for iv in self.versions(name) if iv.active), None)

    # -- installing ------------------------------------------------------------------------

    def install(
        self,
        entry: ModelEntry,
        *,
        origin: str = "catalog",
        progress: ProgressCallback = no_progress,
        cancel: threading.Event | None = None,
    ) -> InstallResult:
        """Fetch, verify and record `entry`; its signature is checked before any byte moves."""
        verify_entry(entry.record, self._trust.public_keys())
        folder = self._home.model_dir(entry.kind, entry.name, entry.version)
        shutil.rmtree(self._home.models / ".trash", ignore_errors=True)  # an interrupted removal
        with self._thread_lock, self._staging_lock(entry):
            existing = self._recorded(entry)
            if existing is not None and existing.entry.record == entry.record:
                check_folder(existing.folder, entry, progress, cancel)
                return InstallResult(
                    existing,
                    False,
                    False,
                    phrase("{entry_label} is already installed.", entry_label=entry.label),
                )
            fetched = self._place(entry, folder, progress, cancel)
            outcome: dict[str, Any] = {}

            def change(manifest: dict[str, Any]) -> None:
                record = manifest["models"].setdefault(
                    entry.name, {"active": None, "highest_seen": None, "versions": {}}
                )
                before = record["active"]
                sealed = self._sealed_models().get(entry.name, {})
                if sealed.get("active") is not None and sealed["active"] in record["versions"]:
                    record["active"] = sealed["active"]  # a hand edit of "active" does not count
                record["highest_seen"] = _newest(record["highest_seen"], sealed.get("highest_seen"))
                decision = decide_activation(
                    name=entry.name,
                    active=record["active"],
                    highest_seen=record["highest_seen"],
                    new=entry.version,
                )
                record["versions"][entry.version] = {
                    "entry": entry.record,
                    "installed_at": self._clock(),
                    "origin": origin,
                    "verified": self._stat_record(folder, entry),
                }
                if decision.activate:
                    record["active"] = entry.version
                seen = record["highest_seen"]
                if seen is None or version_key(entry.version) > version_key(seen):
                    record["highest_seen"] = entry.version
                self._seal_model(entry.name, record["active"], record["highest_seen"], before)
                outcome.update(decision=decision, record=record)

            self._change_manifest(change)
            decision, record = outcome["decision"], outcome["record"]
            self._seal_model(entry.name, record["active"], record["highest_seen"])
            self._ledger.append(
                "model.install",
                model=entry.name,
                version=entry.version,
                origin=origin,
                activated=decision.activate,
                key_id=entry.record["key_id"],
            )
            installed = self._installed(
                entry.name, entry.version, record["versions"][entry.version], record["active"]
            )
            return InstallResult(installed, decision.activate, fetched, decision.reason)

    def _place(
        self,
        entry: ModelEntry,
        folder: Path,
        progress: ProgressCallback,
        cancel: threading.Event | None,
    ) -> bool:
        """Make `folder` hold exactly the verified files of `entry`; True if bytes were fetched."""
        if folder.is_dir():
            try:
                check_folder(folder, entry, progress, cancel)
                return False
            except ModelError:
                self._discard(folder)  # a leftover from a crash or a tampered copy
        staging = self._staging_dir(entry)
        staging.mkdir(parents=True, exist_ok=True)
        for file in entry.files:
            dest = staging / file.path
            if _already_fetched(dest, file.size, file.sha256, cancel):
                continue  # placed by an earlier, interrupted run
            dest.unlink(missing_ok=True)
            if file.source is None:
                raise ModelError(
                    phrase(
                        "{entry_label} has no source for {file_path}.",
                        entry_label=entry.label,
                        file_path=file.path,
                    )
                )
            fetch_file(
                file.source,
                dest,
                size=file.size,
                sha256=file.sha256,
                cache_dir=self._home.cache,
                progress=progress,
                cancel=cancel,
            )
        for stray in staging.iterdir():
            if stray.name not in {f.path for f in entry.files}:
                _remove_path(stray)
        check_folder(staging, entry, progress, cancel, contents=False)
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging.replace(folder)
        fsync_dir(folder.parent)
        return True

    # -- verifying -------------------------------------------------------------------------

    def verify(
        self,
        name: str,
        version: str | None = None,
        progress: ProgressCallback = no_progress,
        *,
        remember: bool = True,
    ) -> InstalledVersion:
        """Full check: signature, exactly the listed files, every size and sha256.

        `remember` writes the files' stat to the manifest (only for reporting next time)."""
        installed = self._pick(name, version)
        try:
            if version is None:
                self._check_active(name)
            self._check_record(installed)
            check_folder(installed.folder, installed.entry, progress)
        except ModelError as exc:
            self._ledger.append(
                "model.verify_failed", model=name, version=installed.version, reason=str(exc)
            )
            raise
        if remember:
            self._remember_verified(installed)
        return installed

    def checked(self, name: str) -> InstalledVersion:
        """The active version with its record checked (seal, signature, files present, sizes),
        without reading the files: for what needs to know the model, not to open it."""
        installed = self._check_active(name)
        self._check_record(installed)
        check_folder(installed.folder, installed.entry, contents=False)
        return installed

    def ready_for_load(
        self, name: str, progress: ProgressCallback = no_progress
    ) -> InstalledVersion:
        """The active version, checked in full right before an engine opens it.

        Every load re-hashes every file: reading the files once, front to back, is also what
        warms the page cache the loader reads next. The record of the last full check only
        decides how that is reported: silently when nothing changed since (size, mtime and
        inode equal), with visible "verify" progress otherwise.
        """
        installed = self._check_active(name)
        record = self.read_manifest()["models"][name]["versions"][installed.version]
        cached = record.get("verified", {}).get("stat", {})
        unchanged = all(
            cached.get(f.path) == list(_stat_or_none(installed.folder / f.path))
            for f in installed.entry.files
        )
        if unchanged:  # the same hash, silently, and nothing new to write down
            return self.verify(name, installed.version, remember=False)
        return self.verify(name, installed.version, progress)

    # -- switching and removing ------------------------------------------------------------

    def switch(self, name: str, version: str) -> InstalledVersion:
        """Activate any installed version that verifies now (forward or back); logged."""
        target = self._pick(name, version)
        self.verify(name, version)
        outcome: dict[str, Any] = {}

        def change(manifest: dict[str, Any]) -> None:
            record = manifest["models"][name]
            sealed = self._sealed_models().get(name, {})
            outcome["previous"] = sealed.get("active", record["active"])
            before = record["active"]
            record["active"] = version
            record["highest_seen"] = _newest(record["highest_seen"], sealed.get("highest_seen"))
            outcome["highest_seen"] = record["highest_seen"]
            self._seal_model(name, version, record["highest_seen"], before)

        self._change_manifest(change)
        self._seal_model(name, version, outcome["highest_seen"])
        previous = outcome["previous"]
        self._ledger.append("model.switch", model=name, from_version=previous, to_version=version)
        return InstalledVersion(
            name, version, target.entry, target.folder, True, target.origin, self._clock()
        )

    def remove(
        self, name: str, version: str, *, in_use: Callable[[str], bool] = lambda _: False
    ) -> InstalledVersion:
        target = self._pick(name, version)
        if target.active or self._sealed_models().get(name, {}).get("active") == version:
            state = phrase("loaded and in use") if in_use(name) else phrase("the active version")
            raise ModelInUseError(
                phrase(
                    "{target_entry_label} is {state}; switch {name} to another version first.",
                    target_entry_label=target.entry.label,
                    state=state,
                    name=name,
                )
            )

        def change(manifest: dict[str, Any]) -> None:
            del manifest["models"][name]["versions"][version]
            if not manifest["models"][name]["versions"]:
                del manifest["models"][name]
                self._trust.seal.update("models", lambda m: m.pop(name, None), self._adopt_models)

        self._change_manifest(change)
        self._discard(target.folder)
        self._ledger.append("model.remove", model=name, version=version)
        return target

    # -- helpers ---------------------------------------------------------------------------

    def _pick(self, name: str, version: str | None) -> InstalledVersion:
        versions = self.versions(name)
        if not versions:
            raise ModelError(
                phrase("No version of {name} is installed; see 'aurora models list'.", name=name)
            )
        if version is None:
            return next((v for v in versions if v.active), versions[-1])
        for candidate in versions:
            if candidate.version == version:
                return candidate
        have = ", ".join(v.version for v in versions)
        raise ModelError(
            phrase(
                "{name} {version} is not installed; installed versions: {have}.",
                name=name,
                version=version,
                have=have,
            )
        )

    def _recorded(self, entry: ModelEntry) -> InstalledVersion | None:
        return next((v for v in self.versions(entry.name) if v.version == entry.version), None)

    def _installed(
        self, name: str, version: str, raw: dict[str, Any], active: str | None
    ) -> InstalledVersion:
        entry = parse_entry(raw["entry"], where=str(self.manifest_path), with_source=False)
        folder = self._home.model_dir(entry.kind, name, version)
        verified = raw.get("verified")
        at = float(verified["at"]) if isinstance(verified, dict) else None
        return InstalledVersion(
            name, version, entry, folder, version == active, str(raw["origin"]), at
        )

    def _check_active(self, name: str) -> InstalledVersion:
        """The active version, if the manifest's `active` is the one Aurora set (sealed)."""
        record = self.read_manifest()["models"].get(name)
        if record is None or record["active"] is None:
            raise ModelError(
                phrase(
                    "No version of {name} is installed; run 'aurora models fetch {name}'.",
                    name=name,
                )
            )
        found = str(record["active"])
        sealed = self._sealed_models().get(name, {}).get("active")
        if found not in record["versions"]:
            reason = phrase(
                "model_manifest.json names {found} as the active version of "
                "{name}, but that version is not installed; run 'aurora models "
                "switch {name} --version V' with an installed version (see "
                "'aurora models list').",
                found=found,
                name=name,
            )
        elif found in (sealed, self._sealed_models().get(name, {}).get("changing_from")):
            return self._installed(name, found, record["versions"][found], found)
        elif sealed is None:
            reason = phrase(
                "Aurora has no record of making {name} {found} active "
                "(model_manifest.json was edited by hand, or the seal was "
                "removed); to use it run 'aurora models switch {name} --version "
                "{found}'.",
                name=name,
                found=found,
            )
        else:
            reason = phrase(
                "model_manifest.json was edited by hand to make {name} {found} "
                "active instead of {sealed}, so it is not used; to roll back run "
                "'aurora models switch {name} --version {found}'.",
                name=name,
                found=found,
                sealed=sealed,
            )
        self._ledger.append("model.refused", model=name, version=found, reason=reason)
        raise SignatureError(reason)

    def _sealed_models(self) -> dict[str, Any]:
        return self._trust.seal.section("models", self._adopt_models)

    def _adopt_models(self) -> dict[str, Any]:
        """The active and highest-seen versions in the manifest when the seal is first made."""
        models = self.read_manifest()["models"]
        return {
            name: {"active": r["active"], "highest_seen": r["highest_seen"]}
            for name, r in models.items()
        }

    def _seal_model(
        self,
        name: str,
        active: str | None,
        highest_seen: str | None,
        during_change_from: str | None = None,
    ) -> None:
        """Seal the active version; while a change is being written the manifest may still
        hold the version it replaces (`during_change_from`), so a kill between the two
        writes leaves a state that checks."""

        def change(models: dict[str, Any]) -> None:
            models[name] = {"active": active, "highest_seen": highest_seen}
            if during_change_from is not None and during_change_from != active:
                models[name]["changing_from"] = during_change_from

        self._trust.seal.update("models", change, self._adopt_models)

    def _check_record(self, installed: InstalledVersion) -> None:
        """The signature verifies and the signed entry is the one filed under this name."""
        verify_entry(installed.entry.record, self._trust.public_keys())
        if (installed.entry.name, installed.entry.version) != (installed.name, installed.version):
            raise SignatureError(
                phrase(
                    "{installed_name} {installed_version} holds the signed entry of "
                    "{installed_entry_label}; the manifest was edited. Reinstall the "
                    "model.",
                    installed_name=installed.name,
                    installed_version=installed.version,
                    installed_entry_label=installed.entry.label,
                )
            )

    def _stat_record(self, folder: Path, entry: ModelEntry) -> dict[str, Any]:
        stat = {f.path: list(file_stat(folder / f.path)) for f in entry.files}
        return {"at": self._clock(), "stat": stat}

    def _remember_verified(self, installed: InstalledVersion) -> None:
        def change(manifest: dict[str, Any]) -> None:
            versions = manifest["models"].get(installed.name, {}).get("versions", {})
            record = versions.get(installed.version)
            if record is not None and record["entry"] == installed.entry.record:
                record["verified"] = self._stat_record(installed.folder, installed.entry)

        self._change_manifest(change)

    def _staging_dir(self, entry: ModelEntry) -> Path:
        return self._home.models / ".staging" / f"{entry.kind}-{entry.name}-{entry.version}"

    @contextlib.contextmanager
    def _staging_lock(self, entry: ModelEntry) -> Iterator[None]:
        lock = self._home.models / ".locks" / f"{entry.kind}-{entry.name}-{entry.version}.lock"
        with FileLock(lock, timeout=3600, what=f"{entry.label}"):
            yield

    def _change_manifest(self, change: Callable[[dict[str, Any]], None]) -> None:
        """Every manifest change: the one locked read-modify-write path for user files."""
        with self._thread_lock:
            update_store_manifest(self.manifest_path, change)

    def _discard(self, folder: Path) -> None:
        trash = self._home.models / ".trash" / uuid.uuid4().hex
        trash.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            folder.replace(trash)
        shutil.rmtree(trash, ignore_errors=True)


def _newest(a: str | None, b: object) -> str | None:
    if not isinstance(b, str):
        return a
    if a is None:
        return b
    return max(a, b, key=version_key)


def _stat_or_none(path: Path) -> tuple[int, int, int] | tuple[()]:
    try:
        return file_stat(path)
    except OSError:
        return ()


def _already_fetched(path: Path, size: int, sha256: str, cancel: threading.Event | None) -> bool:
    return path.is_file() and path.stat().st_size == size and sha256_file(path, cancel) == sha256


def _remove_path(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
