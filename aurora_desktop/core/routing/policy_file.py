"""`model_router.json` on disk: created with the seed's policy, re-read when it changes.

An invalid edit is refused: the last good policy stays active and `last_error` says why,
so the UI and the CLI can show the schema error where the user made it.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from aurora_desktop.core.atomic import atomic_write_text
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.routing.policy import (
    DEFAULT_POLICY,
    RouterPolicy,
    default_policy_text,
    parse_policy,
)
from aurora_desktop.core.text import phrase

MAX_POLICY_BYTES = 1_000_000


class PolicyFile:
    """The live routing policy, read from `path` whenever the file has changed."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._policy = parse_policy(DEFAULT_POLICY, source=phrase("the built-in policy"))
        self.last_error: str | None = None

    @property
    def path(self) -> Path:
        return self._path

    def current(self) -> RouterPolicy:
        """The policy in force: the file's if valid, else the last good one."""
        with self._lock:
            if not self._path.exists():
                atomic_write_text(self._path, default_policy_text())
            stat = self._path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            if stamp != self._stamp:
                self._stamp = stamp
                self._reload()
            return self._policy

    def save(self, text: str) -> RouterPolicy:
        """Validate `text` and write it atomically; an invalid policy raises and is not saved."""
        policy = self.validate(text)
        with self._lock:
            atomic_write_text(self._path, text if text.endswith("\n") else text + "\n")
            self._stamp = None
        return policy

    def validate(self, text: str) -> RouterPolicy:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ConfigError(f"{self._path.name} is not valid JSON ({exc}).") from exc
        return parse_policy(data, source=self._path.name)

    def _reload(self) -> None:
        try:
            if self._path.stat().st_size > MAX_POLICY_BYTES:
                raise ConfigError(f"{self._path.name} is larger than 1 MB; it was not loaded.")
            self._policy = self.validate(self._path.read_text(encoding="utf-8"))
            self.last_error = None
        except (ConfigError, OSError, UnicodeDecodeError) as exc:
            self.last_error = phrase(
                f"{exc} The last valid routing policy stays in force until the file is fixed."
            )
