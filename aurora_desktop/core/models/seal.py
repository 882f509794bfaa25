"""The data folder's seal: what only Aurora may decide, kept so a hand edit can be told apart.

The user keys Aurora trusts, the publisher keys it was told to distrust, and the active and
highest-seen version of every model are recorded in `trust/seal.json` together with an
HMAC-SHA256 over them. The HMAC key is a random secret held in the OS keyring (one per data
folder), so a file edited or dropped in by hand — by a careless user, a sync tool or a
script — no longer matches what Aurora wrote, and is refused. Where no OS keyring is usable
the secret is kept in `trust/.seal-key` (mode 0600) instead; hand edits are still caught,
but anyone who can read that file could forge the seal, and `aurora models trust list` says so.

Sections start "pending adoption" when the seal is first made (a data folder from before the
seal, or a new one): the first reader records what it finds then, and the ledger says so.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aurora_desktop.core.atomic import atomic_write_text
from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.errors import ConfigError, KeyringError
from aurora_desktop.core.filelock import FileLock
from aurora_desktop.core.text import phrase
from aurora_desktop.core.userfile import lock_path, read_user_bytes

KEYRING_SERVICE = "Aurora data folder seal"
SEAL_FILE = "seal.json"
FALLBACK_SECRET = ".seal-key"
FORMAT = "aurora-seal/1"
SECTIONS = ("keys", "models")
MAX_SEAL_BYTES = 1_000_000

Section = dict[str, Any]


class Seal:
    """Reads and writes the sealed state; every write recomputes the HMAC under a file lock."""

    def __init__(self, folder: Path, account: str, ledger: AuditLedger | None = None) -> None:
        self._folder = folder
        # one secret per data folder: the folder's resolved path, as AuroraHome.instance_key
        self._account = account or str(folder.parent.resolve())
        self._ledger = ledger
        self._secret: bytes | None = None
        self._in_keyring = True
        self._lock = threading.RLock()

    @property
    def path(self) -> Path:
        return self._folder / SEAL_FILE

    @property
    def in_keyring(self) -> bool:
        """False when the secret had to be kept in the data folder (no usable OS keyring)."""
        self._key()
        return self._in_keyring

    def section(self, name: str, adopt: Callable[[], Section]) -> Section:
        """The sealed section `name`; adopted from `adopt()` if the seal is new."""
        with self._lock, self._locked():
            found = self._adopted(self._read(), name, adopt).get(name)
        return dict(found) if isinstance(found, dict) else {}

    def update(
        self, name: str, change: Callable[[Section], None], adopt: Callable[[], Section]
    ) -> None:
        """Apply `change` to section `name` and re-seal, under the lock."""
        with self._lock, self._locked():
            state = self._adopted(self._read(), name, adopt)
            current = dict(state.get(name) or {})
            change(current)
            state[name] = current
            self._write(state)

    def _adopted(
        self, state: dict[str, Any], name: str, adopt: Callable[[], Section]
    ) -> dict[str, Any]:
        """Record what is there now for a section still pending adoption (a new seal)."""
        pending = state.get("pending")
        if isinstance(pending, list) and name in pending:
            state = {**state, name: adopt(), "pending": [s for s in pending if s != name]}
            self._write(state)
            if any(state[name].values()):  # a new, empty data folder has nothing to report
                self._log("seal.adopted", section=name, state=state[name])
        return state

    # -- the file ------------------------------------------------------------------------

    def _locked(self) -> FileLock:
        return FileLock(lock_path(self.path), timeout=30.0, what="the trust seal")

    def _read(self) -> dict[str, Any]:
        """The verified state ({} if it does not verify); the caller holds the file lock."""
        raw = read_user_bytes(self.path, limit=MAX_SEAL_BYTES, what=str(self.path))
        key, fresh = self._key_and_fresh(seal_exists=raw is not None)
        if fresh:
            if raw is not None:
                self._log("seal.reset", reason="its key is not in this computer's keyring")
            state: dict[str, Any] = {"pending": list(SECTIONS)}
            self._write(state)
            return state
        if raw is None:
            self._log("seal.missing", path=str(self.path))
            return {}  # the seal was deleted: nothing sealed counts until Aurora records it again
        try:
            data = json.loads(raw)
            state = data["state"]
            mac = str(data["mac"])
            if data.get("format") != FORMAT or not isinstance(state, dict):
                raise ValueError("unknown format")
        except (ValueError, KeyError, TypeError, RecursionError):
            self._log("seal.damaged", path=str(self.path))
            return {}
        if not hmac.compare_digest(mac, _mac(key, state)):
            self._log("seal.mismatch", path=str(self.path))
            return {}
        return state

    def _write(self, state: dict[str, Any]) -> None:
        key = self._key_and_fresh(seal_exists=True)[0]
        body = {"format": FORMAT, "state": state, "mac": _mac(key, state)}
        atomic_write_text(self.path, json.dumps(body, indent=2, sort_keys=True) + "\n")
        _private(self.path)

    # -- the secret ----------------------------------------------------------------------

    def _key(self) -> bytes:
        return self._key_and_fresh(seal_exists=self.path.exists())[0]

    def _key_and_fresh(self, *, seal_exists: bool) -> tuple[bytes, bool]:
        """The HMAC key, and whether it was made just now (a new seal)."""
        if self._secret is not None:
            return self._secret, False
        import keyring.errors  # slow to import: only when the key is first needed

        fallback = self._folder / FALLBACK_SECRET
        stored: str | None
        try:
            stored = keyring.get_password(KEYRING_SERVICE, self._account)
        except keyring.errors.KeyringError as exc:
            self._in_keyring = False
            stored = _read_secret(fallback)
            if stored is None and seal_exists:
                raise KeyringError(
                    phrase(
                        "The OS keyring cannot be read, so Aurora cannot check which keys "
                        "and model versions it approved ({exc}); unlock the keyring and "
                        "retry.",
                        exc=exc,
                    )
                ) from exc
        fresh = stored is None
        if stored is None:
            stored = secrets.token_hex(32)
            if self._in_keyring:
                try:
                    keyring.set_password(KEYRING_SERVICE, self._account, stored)
                except keyring.errors.KeyringError:
                    self._in_keyring = False
            if not self._in_keyring:
                atomic_write_text(fallback, stored + "\n")
                _private(fallback)
                self._log("seal.secret_in_folder", path=str(fallback))
        try:
            self._secret = bytes.fromhex(stored)
        except ValueError:
            self._secret = stored.encode("utf-8", "replace")
        return self._secret, fresh

    def _log(self, event: str, **fields: Any) -> None:
        if self._ledger is not None:
            with contextlib.suppress(OSError, ConfigError):
                self._ledger.append(event, **fields)


def _read_secret(path: Path) -> str | None:
    try:
        raw = read_user_bytes(path, limit=200, what=str(path))
    except ConfigError:
        return None
    return None if raw is None else raw.decode("ascii", "replace").strip() or None


def _mac(key: bytes, state: dict[str, Any]) -> str:
    canonical = json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(key, canonical.encode("ascii"), hashlib.sha256).hexdigest()


def _private(path: Path) -> None:
    if os.name != "nt":
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
