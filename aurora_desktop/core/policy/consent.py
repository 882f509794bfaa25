"""Consent: scopes such as `cloud.send:PROVIDER` and `file.read:FOLDER`, asked and remembered.

The core never builds a dialog. It raises a `ConsentRequest` through the `ask` callback it
was given (a GUI dialog, a terminal prompt, or a non-interactive "deny"), then remembers
an "always" answer (optionally until an expiry) in `consents.json`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from aurora_desktop.core.atomic import atomic_write_text
from aurora_desktop.core.errors import ConfigError, ConsentDenied

MAX_PREVIEW = 4000


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
    """Persisted "always" grants, with expiry."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self._path = path
        self._clock = clock
        self._lock = threading.Lock()

    def grants(self) -> list[Grant]:
        now = self._clock()
        return [g for g in self._read() if g.expires_at is None or g.expires_at > now]

    def allowed(self, scope: str) -> Grant | None:
        return next((g for g in self.grants() if g.scope == scope), None)

    def grant(self, scope: str, expires_at: float | None = None) -> Grant:
        grant = Grant(scope, self._clock(), expires_at)
        with self._lock:
            kept = [g for g in self._read() if g.scope != scope]
            self._write([*kept, grant])
        return grant

    def revoke(self, scope: str) -> bool:
        with self._lock:
            current = self._read()
            kept = [g for g in current if g.scope != scope]
            self._write(kept)
        return len(kept) != len(current)

    def _read(self) -> list[Grant]:
        try:
            data: Any = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{self._path} cannot be read ({exc}); fix or delete it.") from exc
        if not isinstance(data, list):
            raise ConfigError(f"{self._path} must hold a list of consents; fix or delete it.")
        return [
            Grant(
                str(g["scope"]),
                float(g["granted_at"]),
                None if g.get("expires_at") is None else float(g["expires_at"]),
            )
            for g in data
            if isinstance(g, dict) and "scope" in g
        ]

    def _write(self, grants: list[Grant]) -> None:
        data = [
            {"scope": g.scope, "granted_at": g.granted_at, "expires_at": g.expires_at}
            for g in grants
        ]
        atomic_write_text(self._path, json.dumps(data, indent=2) + "\n")


class ConsentBroker:
    """Checks a stored grant, else asks; returns how consent was given or raises."""

    def __init__(self, store: ConsentStore, ask: AskCallback = deny_all) -> None:
        self.store = store
        self.ask = ask

    def require(self, request: ConsentRequest) -> str:
        if self.store.allowed(request.scope) is not None:
            return "stored"
        preview = request.preview
        if len(preview) > MAX_PREVIEW:
            preview = preview[:MAX_PREVIEW] + f"… ({len(request.preview) - MAX_PREVIEW:,} more)"
        reply = self.ask(
            ConsentRequest(
                scope=request.scope,
                recipient=request.recipient,
                why=request.why,
                preview=preview,
                bytes_out=request.bytes_out,
            )
        )
        if reply.answer is ConsentAnswer.ALLOW_ALWAYS:
            self.store.grant(request.scope, reply.expires_at)
            return "always"
        if reply.answer is ConsentAnswer.ALLOW_ONCE:
            return "once"
        raise ConsentDenied(
            f"Consent for {request.scope} was not given, so nothing was sent to "
            f"{request.recipient}."
        )
