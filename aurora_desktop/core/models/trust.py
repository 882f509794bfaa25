"""Which keys Aurora trusts: shipped publisher keys, keys the user added, the local key.

Publisher keys live in `aurora_desktop/resources/keys/`; they can be distrusted (recorded in
`AURORA_HOME/trust/revoked.json`) but never edited. User keys are copies in
`AURORA_HOME/trust/`. The user's own local key signs models they import; its private half
lives only in the OS keyring (`LocalSigner`).

Which user keys are trusted and which publisher keys are distrusted is also sealed
(`seal.py`): a key file dropped into `trust/` by hand, or a hand edit of `revoked.json`, does
not count; the key is listed as refused and the refusal is written to the ledger.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from aurora_desktop.core.atomic import atomic_write_text
from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.errors import ConfigError, SignatureError
from aurora_desktop.core.models.keys import KEY_SUFFIX, PublicKeyFile, read_key_file
from aurora_desktop.core.models.seal import Seal, Section
from aurora_desktop.core.text import phrase
from aurora_desktop.core.userfile import read_user_bytes
from aurora_desktop.core.userinput import load_json

Origin = Literal["publisher", "user", "local"]
REVOKED_FILE = "revoked.json"
LOCAL_PREFIX = "local-"
MAX_REVOKED_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class TrustedKey:
    key: PublicKeyFile
    origin: Origin
    path: Path

    @property
    def key_id(self) -> str:
        return self.key.key_id


class TrustStore:
    """The set of keys whose signatures Aurora accepts."""

    def __init__(
        self,
        publisher_dir: Path,
        user_dir: Path,
        *,
        account: str = "",
        ledger: AuditLedger | None = None,
    ) -> None:
        self._publisher_dir = publisher_dir
        self._user_dir = user_dir
        self._ledger = ledger
        self.seal = Seal(user_dir, account, ledger)
        self._logged: set[tuple[str, str]] = set()

    @property
    def user_dir(self) -> Path:
        return self._user_dir

    @property
    def sealed_in_keyring(self) -> bool:
        """False when no OS keyring is usable and the seal's key lives in the data folder."""
        return self.seal.in_keyring

    def keys(self) -> dict[str, TrustedKey]:
        return self._scan()[0]

    def refused(self) -> dict[Path, str]:
        """Key files in the data folder that were not added through Aurora, with the reason."""
        return self._scan()[1]

    def _scan(self) -> tuple[dict[str, TrustedKey], dict[Path, str]]:
        sealed = self._sealed()
        revoked = set(sealed.get("revoked", []))
        allowed: dict[str, str] = dict(sealed.get("user", {}))
        found: dict[str, TrustedKey] = {}
        refused: dict[Path, str] = {}
        for path in sorted(self._publisher_dir.glob(f"*{KEY_SUFFIX}")):
            key = read_key_file(path)
            if key.key_id not in revoked:
                found[key.key_id] = TrustedKey(key, "publisher", path)
        for path in sorted(self._user_dir.glob(f"*{KEY_SUFFIX}")):
            try:
                key = read_key_file(path)
            except SignatureError as exc:
                refused[path] = str(exc)
                continue
            if allowed.get(key.key_id) != key.to_dict()["public_key"]:
                refused[path] = phrase(
                    "{path_name} was not added through Aurora, so key {key_key_id} is "
                    "not trusted; to trust a key run 'aurora models trust add FILE'.",
                    path_name=path.name,
                    key_key_id=key.key_id,
                )
                self._log_once("trust.refused", path, key.key_id)
                continue
            origin: Origin = "local" if path.name.startswith(LOCAL_PREFIX) else "user"
            found.setdefault(key.key_id, TrustedKey(key, origin, path))
        return found, refused

    def public_keys(self) -> Mapping[str, Ed25519PublicKey]:
        return {key_id: t.key.public for key_id, t in self.keys().items()}

    def add(self, path: Path) -> TrustedKey:
        """Trust the key in `path` (copied into the data folder)."""
        key = read_key_file(path)
        revoked = self._revoked()
        if key.key_id in revoked:
            self._write_revoked(revoked - {key.key_id})
        dest = self._user_dir / f"{key.key_id}{KEY_SUFFIX}"
        self._user_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_text(dest, key.to_json())
        self._seal_key(key)
        return TrustedKey(key, "user", dest)

    def add_local(self, key: PublicKeyFile) -> TrustedKey:
        dest = self._user_dir / f"{LOCAL_PREFIX}{key.key_id}{KEY_SUFFIX}"
        self._user_dir.mkdir(parents=True, exist_ok=True)
        if self._sealed().get("user", {}).get(key.key_id) != key.to_dict()["public_key"]:
            self._seal_key(key)
        if not dest.is_file() or read_key_file(dest).key_id != key.key_id:
            atomic_write_text(dest, key.to_json())
        return TrustedKey(key, "local", dest)

    def remove(self, key_id: str) -> TrustedKey:
        """Stop trusting a key: user keys are deleted, publisher keys are revoked."""
        current = self.keys()
        trusted = current.get(key_id) or next(
            (t for k, t in current.items() if k.startswith(key_id) and len(key_id) >= 6), None
        )
        if trusted is None:
            raise SignatureError(
                phrase(
                    "No trusted key has the id {key_id}; see 'aurora models trust list'.",
                    key_id=key_id,
                )
            )
        if trusted.origin == "publisher":
            self._write_revoked(self._revoked() | {trusted.key_id})
        else:
            self.seal.update(
                "keys", lambda s: s.get("user", {}).pop(trusted.key_id, None), self._adopt
            )
            trusted.path.unlink()
        return trusted

    def _revoked(self) -> set[str]:
        return {str(k) for k in self._sealed().get("revoked", [])}

    # -- the sealed record -----------------------------------------------------------------

    def _sealed(self) -> Section:
        return self.seal.section("keys", self._adopt)

    def _adopt(self) -> Section:
        """What the folder holds when the seal is first made: its key files and revocations."""
        user: dict[str, str] = {}
        for path in sorted(self._user_dir.glob(f"*{KEY_SUFFIX}")):
            try:
                key = read_key_file(path)
            except SignatureError:
                continue
            user[key.key_id] = key.to_dict()["public_key"]
        try:
            revoked = sorted(self._revoked_file())
        except SignatureError:
            revoked = []
        return {"user": user, "revoked": revoked}

    def _seal_key(self, key: PublicKeyFile) -> None:
        def change(section: Section) -> None:
            section["user"] = {**section.get("user", {}), key.key_id: key.to_dict()["public_key"]}
            section["revoked"] = [k for k in section.get("revoked", []) if k != key.key_id]

        self.seal.update("keys", change, self._adopt)

    def _log_once(self, event: str, path: Path, key_id: str) -> None:
        if self._ledger is None or (str(path), key_id) in self._logged:
            return
        self._logged.add((str(path), key_id))
        self._ledger.append(event, path=str(path), key_id=key_id, reason="not added through Aurora")

    def _revoked_file(self) -> set[str]:
        path = self._user_dir / REVOKED_FILE
        try:
            raw = read_user_bytes(path, limit=MAX_REVOKED_BYTES, what=str(path))
            data: Any = [] if raw is None else load_json(raw, what=str(path))
        except ConfigError as exc:
            raise SignatureError(
                phrase("{path} cannot be read ({exc}); fix or delete it.", path=path, exc=exc)
            ) from exc
        if not isinstance(data, list):
            raise SignatureError(phrase("{path} must be a JSON list of key ids.", path=path))
        return {str(k) for k in data}

    def _write_revoked(self, revoked: set[str]) -> None:
        self._user_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self._user_dir / REVOKED_FILE, json.dumps(sorted(revoked)) + "\n")

        def change(section: Section) -> None:
            section["revoked"] = sorted(revoked)

        self.seal.update("keys", change, self._adopt)
