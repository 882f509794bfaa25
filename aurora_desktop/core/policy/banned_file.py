"""The user's banned-word list (`banned_words.json`), re-read when it changes.

An invalid edit keeps the last valid list in force (also in a new process: it is kept in
`banned_words.json.last-good`); with no valid list ever kept, requests are refused until the
file is fixed, so a typo never silently lets a banned word through. See `core.watched`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.policy.banned import BannedWord, BannedWords
from aurora_desktop.core.text import phrase
from aurora_desktop.core.watched import WatchedFile, WatchedUser, encode_text, parse_json_bytes

MAX_BYTES = 1_000_000


def _kept(reason: str) -> str:
    return phrase(
        "{reason}; the last valid banned-word list stays in force until it is fixed.", reason=reason
    )


def _refused(reason: str) -> str:
    return phrase("{reason}; fix or delete it: until then no request is answered.", reason=reason)


class BannedWordsFile(WatchedUser[BannedWords]):
    """`[{"word": "…", "action": "block" | "mask"}, …]`; no file means no banned words."""

    def __init__(self, path: Path) -> None:
        self._file = WatchedFile(
            path,
            parse=self._parse,
            default=lambda: BannedWords([]),
            limit=MAX_BYTES,
            kept=_kept,
            defaulted=_refused,
            default_when_invalid=False,
            what=str(path),
        )

    def __call__(self) -> BannedWords:
        return self._file.current()

    def save(self, words: Iterable[BannedWord]) -> BannedWords:
        """Replace the list (atomically, in the same format); returns the list now in force."""
        compiled = BannedWords(words)
        data = [{"word": item.word, "action": item.action} for item in compiled.words]
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        return self._file.replace(encode_text(text, str(self.path)))

    def _parse(self, raw: bytes) -> BannedWords:
        name = str(self.path)
        data: Any = parse_json_bytes(raw, name)
        if not isinstance(data, list):
            raise ConfigError(
                phrase("{name} must be a JSON list of {{word, action}} objects.", name=name)
            )
        words = []
        for item in data:
            if not isinstance(item, dict) or not str(item.get("word", "")).strip():
                raise ConfigError(phrase("{name}: every entry needs a non-empty word.", name=name))
            action = item.get("action", "block")
            if action not in ("block", "mask"):
                raise ConfigError(
                    phrase(
                        "{name}: action must be block or mask, not {action}.",
                        name=name,
                        action=repr(action),
                    )
                )
            words.append(BannedWord(str(item["word"]).strip(), action))
        return BannedWords(words)
