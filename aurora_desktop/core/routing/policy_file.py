"""`model_router.json` on disk: created with the seed's policy, re-read when it changes.

An invalid edit is refused: the last valid policy stays in force (also in a new process: it
is kept in `model_router.json.last-good`) and `last_error` says why, so the UI and the CLI
can show the schema error where the user made it. The change model is `core.watched`.
"""

from __future__ import annotations

from pathlib import Path

from aurora_desktop.core.routing.policy import (
    DEFAULT_POLICY,
    RouterPolicy,
    default_policy_text,
    parse_policy,
)
from aurora_desktop.core.text import phrase
from aurora_desktop.core.userfile import read_user_bytes
from aurora_desktop.core.watched import WatchedFile, WatchedUser, encode_text, parse_json_bytes

MAX_POLICY_BYTES = 1_000_000


def _kept(reason: str) -> str:
    return phrase(
        "{reason}; the last valid routing policy stays in force until it is fixed.", reason=reason
    )


def _defaulted(reason: str) -> str:
    return phrase(
        "{reason}; the built-in routing policy is used until the file is fixed.", reason=reason
    )


class PolicyFile(WatchedUser[RouterPolicy]):
    """The live routing policy, read from `path` whenever the file has changed."""

    def __init__(self, path: Path) -> None:
        self._file = WatchedFile(
            path,
            parse=self._parse,
            default=lambda: parse_policy(DEFAULT_POLICY, source=phrase("the built-in policy")),
            seed=lambda: default_policy_text().encode("utf-8"),
            limit=MAX_POLICY_BYTES,
            kept=_kept,
            defaulted=_defaulted,
        )

    def current(self) -> RouterPolicy:
        """The policy in force: the file's if valid, else the last valid one."""
        return self._file.current()

    def save(self, text: str) -> RouterPolicy:
        """Validate `text` and write it atomically; an invalid policy raises and is not saved."""
        text = text if text.endswith("\n") else text + "\n"
        return self._file.replace(encode_text(text, self.path.name))

    def disk_text(self) -> str:
        """The file as it is on disk now, for an editor: bounded, and a link, FIFO or device in
        its place is refused (`ConfigError`); bytes that are not UTF-8 are shown replaced."""
        raw = read_user_bytes(self.path, limit=MAX_POLICY_BYTES, what=self.path.name)
        return "" if raw is None else raw.decode("utf-8", errors="replace")

    def validate(self, text: str) -> RouterPolicy:
        return self._file.validate(encode_text(text, self.path.name))

    def _parse(self, raw: bytes) -> RouterPolicy:
        name = self.path.name
        return parse_policy(parse_json_bytes(raw, name), source=name)
