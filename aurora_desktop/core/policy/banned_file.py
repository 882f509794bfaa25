"""The user's banned-word list (`banned_words.json`), re-read when it changes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aurora_desktop.core.atomic import atomic_write_text
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.policy.banned import BannedWord, BannedWords

MAX_BYTES = 1_000_000


class BannedWordsFile:
    """`[{"word": "…", "action": "block" | "mask"}, …]`; no file means no banned words."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._words = BannedWords([])

    def __call__(self) -> BannedWords:
        with self._lock:
            try:
                stat = self._path.stat()
            except FileNotFoundError:
                self._stamp, self._words = None, BannedWords([])
                return self._words
            stamp = (stat.st_mtime_ns, stat.st_size)
            if stamp != self._stamp:
                self._words = BannedWords(self._read(stat.st_size))
                self._stamp = stamp
            return self._words

    @property
    def path(self) -> Path:
        return self._path

    def save(self, words: Iterable[BannedWord]) -> BannedWords:
        """Replace the list (atomically, in the same format); returns the list now in force."""
        compiled = BannedWords(words)
        data = [{"word": item.word, "action": item.action} for item in compiled.words]
        with self._lock:
            atomic_write_text(self._path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
            stat = self._path.stat()
            self._stamp, self._words = (stat.st_mtime_ns, stat.st_size), compiled
        return compiled

    def _read(self, size: int) -> list[BannedWord]:
        if size > MAX_BYTES:
            raise ConfigError(f"{self._path} is larger than 1 MB; shorten the banned-word list.")
        try:
            data: Any = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{self._path} cannot be read ({exc}); fix or delete it.") from exc
        if not isinstance(data, list):
            raise ConfigError(f"{self._path} must be a JSON list of {{word, action}} objects.")
        words = []
        for item in data:
            if not isinstance(item, dict) or not str(item.get("word", "")).strip():
                raise ConfigError(f"{self._path}: every entry needs a non-empty word.")
            action = item.get("action", "block")
            if action not in ("block", "mask"):
                raise ConfigError(f"{self._path}: action must be block or mask, not {action!r}.")
            words.append(BannedWord(str(item["word"]).strip(), action))
        return words
