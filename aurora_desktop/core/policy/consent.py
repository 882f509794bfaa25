"""Consent: scopes such as `cloud.send:PROVIDER` and `file.read:FOLDER`, asked and remembered.

The core never builds a dialog. It raises a `ConsentRequest` through the `ask` callback it
was given (a GUI dialog, a terminal prompt, or a non-interactive "deny"), then remembers
an "always" answer (optionally until an expiry) in `consents.json`.
"""

from __future__ import annotations

import json
import math
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

from aurora_desktop.core.errors import ConfigError, ConsentDenied
from aurora_desktop.core.text import phrase
from aurora_desktop.core.userfile import locked_update, read_user_bytes

MAX_PREVIEW = 4000
MAX_DAYS = 3650  # the longest a consent can last (ten years)
MAX_SCOPE_CHARS = 4096
MAX_FILE_BYTES = 4_000_000
SCOPE_KINDS = ("cloud.send", "file.read")


class ConsentAnswer(Enum):
    ALLOW_ONCE = "once"
    ALLOW_ALWAYS = "always"
    DENY = "deny"


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsentRequest:
    """What would happen if the user says yes: the scope, who receives it, why, and what."""

    scope: str
    recipient: str
    why: str
    preview: str  # exactly what would be sent (already masked)
    bytes_out: int = 0
    app: str | None = None  # the app that asked through the local API; None: the user here


@dataclass(frozen=True, slots=True)
class ConsentReply:
    answer: ConsentAnswer
    expires_at: float | None = None  # for ALLOW_ALWAYS; None means until revoked


@dataclass(frozen=True, slots=True)
class Grant:
    scope: str
    granted_at: float
    expires_at: float | None


AskCallback = Callable[[ConsentRequest], ConsentReply]


def deny_all(_: ConsentRequest) -> ConsentReply:
    """The answer when nobody can be asked (a non-interactive run)."""
    return ConsentReply(ConsentAnswer.DENY)


class ConsentStore:
    """Persisted "always" grants, with expiry; every change is locked across processes."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self._path = path
        self._clock = clock
        self._lock = threading.Lock()
        self.skipped = 0  # entries of the file ignored at the last read (not valid)

    @property
    def path(self) -> Path:
        return self._path

    def grants(self) -> list[Grant]:
        now = self._clock()
        return [g for g in self._read() if g.expires_at is None or g.expires_at > now]

    def allowed(self, scope: str) -> Grant | None:
        return next((g for g in self.grants() if g.scope == scope), None)

    def grant(self, scope: str, expires_at: float | None = None) -> Grant:
        now = self._clock()
        grant = Grant(check_scope(scope), now, _check_expiry(expires_at, now))
        row = {"scope": grant.scope, "granted_at": grant.granted_at, "expires_at": grant.expires_at}

        def change(rows: list[Any]) -> list[Any]:
            return [*(r for r in rows if _scope_of(r) != grant.scope), row]

        self._update(change)
        return grant

    def revoke(self, scope: str) -> bool:
        """Forget `scope`; False when no consent for it was stored (nothing changed)."""
        found = False

        def change(rows: list[Any]) -> list[Any]:
            nonlocal found
            kept = [r for r in rows if _scope_of(r) != scope]
            found = len(kept) != len(rows)
            return kept

        self._update(change)
        return found

    def _update(self, change: Callable[[list[Any]], list[Any]]) -> None:
        with self._lock:
            locked_update(
                self._path,
                change,
                load=self._rows,
                dump=lambda rows: json.dumps(rows, indent=2) + "\n",  # ASCII: any str fits
                limit=MAX_FILE_BYTES,
                what=self._path.name,
            )

    def _rows(self, raw: bytes | None) -> list[Any]:
        """The file's entries as stored (entries Aurora cannot use are kept, not dropped)."""
        if raw is None:
            return []
        try:
            data: Any = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise ConfigError(
                phrase(
                    "{path} is damaged ({reason_exc}); fix it or delete it to start over.",
                    path=self._path,
                    reason_exc=_reason(exc),
                )
            ) from exc
        if not isinstance(data, list):
            raise ConfigError(
                phrase(
                    "{path} must hold a list of consents; fix it or delete it to start over.",
                    path=self._path,
                )
            )
        if data and all(_grant_of(row, 0.0) is None for row in data):
            raise ConfigError(
                phrase(
                    "{path} is damaged (none of its entries is a consent Aurora "
                    "wrote); fix it or delete it to start over.",
                    path=self._path,
                )
            )
        return data

    def _read(self) -> list[Grant]:
        rows = self._rows(read_user_bytes(self._path, limit=MAX_FILE_BYTES, what=self._path.name))
        now = self._clock()
        grants = [g for g in (_grant_of(r, now) for r in rows) if g is not None]
        self.skipped = len(rows) - len(grants)
        return grants


def check_scope(scope: object) -> str:
    """`scope` if it is one Aurora asks for (`cloud.send:NAME`, `file.read:FOLDER`); else refuse."""
    hint = phrase("give one like cloud.send:PROVIDER or file.read:/path.")
    if not isinstance(scope, str) or not scope.strip():
        raise ConfigError(phrase("The consent scope is empty; {hint}", hint=hint))
    kind, sep, target = scope.partition(":")
    if (
        not sep
        or kind not in SCOPE_KINDS
        or not target.strip()
        or target != target.strip()
        or len(scope) > MAX_SCOPE_CHARS
        or any(unicodedata.category(c) in ("Cc", "Cs") for c in scope)
    ):
        shown = repr(scope) if len(scope) <= 60 else repr(scope[:57]) + "…"
        raise ConfigError(
            phrase("{shown} is not a consent scope Aurora asks for; {hint}", shown=shown, hint=hint)
        )
    return scope


def expiry_after(days: float, now: float | None = None) -> float:
    """The expiry `days` from `now`; refused unless 0 < days <= MAX_DAYS."""
    if isinstance(days, bool) or not (math.isfinite(days) and 0 < days <= MAX_DAYS):
        raise ConfigError(
            phrase(
                "A consent can last more than 0 and at most {MAX_DAYS} days (ten "
                "years), not {days}.",
                MAX_DAYS=format(MAX_DAYS, ","),
                days=repr(days),
            )
        )
    return (time.time() if now is None else now) + days * 86_400


def _check_expiry(expires_at: float | None, now: float) -> float | None:
    if expires_at is None:
        return None
    if (
        isinstance(expires_at, bool)
        or not isinstance(expires_at, int | float)
        or not math.isfinite(expires_at)
        or not (now < expires_at <= now + MAX_DAYS * 86_400 + 60)
    ):
        raise ConfigError(
            phrase(
                "A consent can last at most {MAX_DAYS} days (ten years) and must "
                "end in the future.",
                MAX_DAYS=format(MAX_DAYS, ","),
            )
        )
    return float(expires_at)


def _scope_of(row: Any) -> Any:
    return row.get("scope") if isinstance(row, dict) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _grant_of(row: Any, now: float) -> Grant | None:
    """The grant in one stored entry, or None when the entry is not valid (it is ignored)."""
    if not isinstance(row, dict):
        return None
    try:
        scope = check_scope(row.get("scope"))
    except ConfigError:
        return None
    granted_at = _number(row.get("granted_at"))
    raw_expiry = row.get("expires_at")
    expires_at = None if raw_expiry is None else _number(raw_expiry)
    if granted_at is None or (raw_expiry is not None and expires_at is None):
        return None
    if expires_at is not None and expires_at > max(now, granted_at) + MAX_DAYS * 86_400 + 60:
        return None  # longer than Aurora ever grants: not written by Aurora
    return Grant(scope, granted_at, expires_at)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return phrase("it is not UTF-8 text")
    if isinstance(exc, RecursionError):
        return phrase("it is nested too deeply")
    return str(exc.args[0] if exc.args else exc).rstrip(".")


class ConsentBroker:
    """Checks a stored grant, else asks; returns how consent was given or raises."""

    def __init__(self, store: ConsentStore, ask: AskCallback = deny_all) -> None:
        self.store = store
        self.ask = ask

    def require(self, request: ConsentRequest) -> str:
        try:
            stored = self.store.allowed(request.scope)
        except ConfigError as exc:  # a damaged store grants nothing, and says why
            raise ConsentDenied(str(exc)) from exc
        if stored is not None:
            return "stored"
        preview = request.preview
        if len(preview) > MAX_PREVIEW:
            preview = preview[:MAX_PREVIEW] + f"… ({len(request.preview) - MAX_PREVIEW:,} more)"
        reply = self.ask(replace(request, preview=preview))
        if reply.answer is ConsentAnswer.ALLOW_ALWAYS:
            self.store.grant(request.scope, reply.expires_at)
            return "always"
        if reply.answer is ConsentAnswer.ALLOW_ONCE:
            return "once"
        raise ConsentDenied(
            phrase(
                "Consent for {request_scope} was not given, so nothing was sent "
                "to {request_recipient}.",
                request_scope=request.scope,
                request_recipient=request.recipient,
            )
        )
