"""Per-app keys for Aurora's local API (`api_keys.json`): shown once, stored only as a hash.

A key is `aurora_` followed by 32 random bytes (`secrets.token_urlsafe`). The file keeps its
sha256, never the key: with 256 random bits a slow password hash would add nothing (no one
can guess such a key, however fast each guess), and a fast one keeps checking a request
cheap. Every change is written under the inter-process lock with an atomic replace
(`userfile.locked_update`) and recorded in the audit ledger; `verify` re-reads the file
only when it changed on disk, so a key revoked by another process stops working at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.contract import RISKS
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.text import phrase
from aurora_desktop.core.userfile import locked_update, read_user_bytes
from aurora_desktop.core.userinput import load_json

FILE_NAME = "api_keys.json"
SCOPES = ("chat", "embeddings", "models", "admin")
TOKEN_PREFIX = "aurora_"
MAX_NAME_CHARS = 80
MAX_KEYS = 200
MAX_FILE_BYTES = 1_000_000
MAX_TOKEN_CHARS = 200  # a longer "key" is not one Aurora made; refused before hashing

Stamp = tuple[int, int, int, int]
Rows = list[dict[str, Any]]  # the file's entries as stored


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiKey:
    """One app's key as stored: everything but the key itself."""

    key_id: str
    name: str
    scopes: frozenset[str]
    created_at: float
    revoked: bool = False
    risk: str = "low"  # the risk of this app's requests that name none (high: never leaves)


def check_name(name: object) -> str:
    """`name` stripped, if it can name an app (one line, 1 to 80 characters)."""
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(phrase("An API key needs a name, such as the app that will use it."))
    cleaned = name.strip()
    if len(cleaned) > MAX_NAME_CHARS or any(
        unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in cleaned
    ):
        raise ConfigError(
            phrase(
                "An API key's name is one line of at most {MAX_NAME_CHARS} "
                "characters; choose a shorter or plainer name.",
                MAX_NAME_CHARS=MAX_NAME_CHARS,
            )
        )
    return cleaned


def check_scopes(scopes: Iterable[str]) -> frozenset[str]:
    """`scopes` as a set, if each is one of SCOPES and there is at least one."""
    chosen = frozenset(scopes)
    unknown = sorted(s for s in chosen if s not in SCOPES)
    if unknown or not chosen:
        raise ConfigError(
            phrase(
                "An API key needs one or more of the scopes {join_SCOPES}, not "
                "{join_map_repr_unknown_or_none}.",
                join_SCOPES=", ".join(SCOPES),
                join_map_repr_unknown_or_none=", ".join(map(repr, unknown)) or "none",
            )
        )
    return chosen


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiKeyStore:
    """Creates, checks, lists and revokes the API keys; every change goes to the audit ledger."""

    def __init__(
        self, path: Path, ledger: AuditLedger, clock: Callable[[], float] = time.time
    ) -> None:
        self._path = path
        self._ledger = ledger
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: tuple[Stamp | None, Rows] | None = None

    @classmethod
    def in_home(cls, home: AuroraHome, ledger: AuditLedger) -> ApiKeyStore:
        return cls(home.root / FILE_NAME, ledger)

    @property
    def path(self) -> Path:
        return self._path

    def create(self, name: str, scopes: Iterable[str], risk: str = "low") -> tuple[ApiKey, str]:
        """A new key and its token; the token is returned only here, never stored. `risk` is
        what the app's requests that name no risk are treated as."""
        if risk not in RISKS:
            raise ConfigError(
                phrase("An app's risk is low, medium or high, not {risk}.", risk=repr(risk))
            )
        key = ApiKey(
            key_id=secrets.token_hex(6),
            name=check_name(name),
            scopes=check_scopes(scopes),
            created_at=round(self._clock(), 3),
            risk=risk,
        )
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self._ledger.check_writable()

        def change(rows: Rows) -> Rows:
            if len(rows) >= MAX_KEYS:
                raise ConfigError(
                    phrase(
                        "There are already {MAX_KEYS} API keys; revoke keys no app uses "
                        "before making another.",
                        MAX_KEYS=MAX_KEYS,
                    )
                )
            return [*rows, {**_row_of(key), "sha256": token_hash(token)}]

        self._update(change)
        self._ledger.append(
            "api_key.create",
            key_id=key.key_id,
            name=key.name,
            scopes=sorted(key.scopes),
            risk=key.risk,
        )
        return key, token

    def verify(self, token: str) -> ApiKey | None:
        """The key `token` belongs to, unless it is unknown or revoked (None).

        Every stored hash is compared in constant time, so the time taken says nothing about
        which key, or how much of one, matched. A damaged file accepts no key."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN_CHARS:
            return None
        wanted = token_hash(token)
        try:
            rows = self._rows_now()
        except ConfigError:
            return None
        found = None
        for row in rows:
            if hmac.compare_digest(str(row.get("sha256", "")), wanted):
                found = row
        key = None if found is None else _key_of(found)
        return None if key is None or key.revoked else key

    def revoke(self, key_id: str) -> ApiKey:
        """Mark the key revoked (kept in the list so the ledger's records still name it)."""
        revoked: list[ApiKey] = []
        self._ledger.check_writable()

        def change(rows: Rows) -> Rows:
            out = []
            for row in rows:
                key = _key_of(row)
                if key is not None and key.key_id == key_id and not key.revoked:
                    row = {**row, "revoked": True}
                    revoked.append(_key_of(row) or key)
                out.append(row)
            return out

        self._update(change)
        if not revoked:
            raise ConfigError(
                phrase(
                    "There is no active API key {key_id}; list the keys to see their ids.",
                    key_id=repr(key_id),
                )
            )
        key = revoked[0]
        self._ledger.append("api_key.revoke", key_id=key.key_id, name=key.name)
        return key

    def list(self) -> list[ApiKey]:
        """Every key, oldest first, revoked ones included (raises `ConfigError` if damaged)."""
        return [k for k in (_key_of(r) for r in self._rows_now()) if k is not None]

    # -- the file ------------------------------------------------------------------------------

    def _rows_now(self) -> Rows:
        """The stored rows, re-read only when the file's stamp changed."""
        stamp = _stamp(self._path)
        with self._lock:
            if self._seen is not None and stamp is not None and self._seen[0] == stamp:
                return self._seen[1]
        rows = self._load(read_user_bytes(self._path, limit=MAX_FILE_BYTES, what=FILE_NAME))
        with self._lock:
            self._seen = (stamp, rows)
        return rows

    def _update(self, change: Callable[[Rows], Rows]) -> None:
        with self._lock:
            self._seen = None
        locked_update(
            self._path,
            change,
            load=self._load,
            dump=lambda rows: json.dumps({"version": 1, "keys": rows}, indent=2) + "\n",
            limit=MAX_FILE_BYTES,
            what=FILE_NAME,
        )

    def _load(self, raw: bytes | None) -> Rows:
        if raw is None:
            return []
        data = load_json(raw, what=str(self._path))
        rows = data.get("keys") if isinstance(data, dict) and data.get("version") == 1 else None
        if not isinstance(rows, list) or not all(
            isinstance(r, dict) and _key_of(r) is not None for r in rows
        ):
            raise ConfigError(
                phrase(
                    "{path} is damaged (it is not a list of API keys Aurora wrote); "
                    "restore it or delete it and make new keys.",
                    path=self._path,
                )
            )
        return rows


def _row_of(key: ApiKey) -> dict[str, Any]:
    return {
        "id": key.key_id,
        "name": key.name,
        "scopes": [s for s in SCOPES if s in key.scopes],
        "created_at": key.created_at,
        "revoked": key.revoked,
        "risk": key.risk,
    }


def _key_of(row: dict[str, Any]) -> ApiKey | None:
    """The key a stored row describes, or None if the row is not one Aurora wrote."""
    key_id, name, scopes = row.get("id"), row.get("name"), row.get("scopes")
    created, revoked, digest = row.get("created_at"), row.get("revoked"), row.get("sha256")
    if (
        not isinstance(key_id, str)
        or not isinstance(name, str)
        or not isinstance(scopes, list)
        or not all(isinstance(s, str) and s in SCOPES for s in scopes)
        or isinstance(created, bool)
        or not isinstance(created, int | float)
        or not isinstance(revoked, bool)
        or not isinstance(digest, str)
        or len(digest) != 64
    ):
        return None
    return ApiKey(
        key_id=key_id,
        name=name,
        scopes=frozenset(scopes),
        created_at=float(created),
        revoked=revoked,
        risk=row["risk"] if row.get("risk") in RISKS else "low",  # older files: low
    )


def _stamp(path: Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
