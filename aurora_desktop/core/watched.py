"""A user-owned JSON file, re-read when it changes, with its last valid version kept beside it.

`WatchedFile` is the one change model of the files a user may edit by hand (the router
policy, the banned words, the label sets, the settings). Reads are bounded and refuse links,
FIFOs and devices (`userfile.read_user_bytes`); every valid version read or saved is copied to
`NAME.last-good` beside the file; when the file is invalid, even in a process that never saw
it valid, the last valid version stays in force (the `.last-good` copy, checked again) and
`warning` says, in one sentence, what is wrong and what is used instead. Saves go through
`userfile.locked_update`: validated before anything is written, under an inter-process lock.
"""

from __future__ import annotations

import contextlib
import glob
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from aurora_desktop.core.atomic import atomic_write_bytes
from aurora_desktop.core.errors import AuroraError, ConfigError
from aurora_desktop.core.filelock import FileLock
from aurora_desktop.core.text import phrase
from aurora_desktop.core.userfile import lock_path, locked_update, read_user_bytes
from aurora_desktop.core.userinput import MAX_JSON_DEPTH, load_json

T = TypeVar("T")

LAST_GOOD_SUFFIX = ".last-good"
MAX_DEPTH = MAX_JSON_DEPTH  # nesting of arrays and objects; Aurora's own files use at most 6
LOCK_TIMEOUT_S = 10.0

Stamp = tuple[int, int, int, int]


def last_good_path(path: Path) -> Path:
    """Where the last valid version of `path` is kept (beside it)."""
    return path.with_name(path.name + LAST_GOOD_SUFFIX)


def encode_text(text: str, what: str) -> bytes:
    """`text` as UTF-8; text that cannot be encoded (a lone surrogate) is a `ConfigError`."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ConfigError(
            phrase(
                "{what} holds a character that is not valid Unicode (at position {exc_start}).",
                what=what,
                exc_start=exc.start,
            )
        ) from None


def parse_json_bytes(raw: bytes, what: str) -> Any:
    """JSON from `raw` (`userinput.load_json`: UTF-8, nesting at most `MAX_DEPTH`, finite
    numbers), or a one-sentence `ConfigError`; strings must also be valid Unicode (a
    `\\ud800` escape is refused), so a valid file can always be written back."""
    data = load_json(raw, what=what, max_depth=MAX_DEPTH)
    stack: list[Any] = [data]
    while stack:  # no recursion: the depth was checked, but stay safe whatever the parser did
        node = stack.pop()
        if isinstance(node, str):
            encode_text(node, what)
        elif isinstance(node, dict):
            for key, value in node.items():
                encode_text(key, what)
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return data


@dataclass(frozen=True, slots=True)
class _Version(Generic[T]):
    value: T
    raw: bytes | None  # None: not from the file (missing, invalid, or a fallback)


class WatchedFile(Generic[T]):
    """The value of the JSON file at `path` now in force.

    `parse` turns the file's bytes into a value or raises `ConfigError` with a sentence;
    `default` is the value while the file does not exist (unless `seed` gives the bytes to
    create it with) and, when `default_when_invalid`, the value when the file is invalid and
    no valid version was ever kept. `kept` and `defaulted` make the warning sentence from
    the reason (a sentence without its full stop): `phrase(f"{reason}; the last valid
    routing policy stays in force until the file is fixed.")`, one template per file so the
    UI can translate it.
    """

    def __init__(
        self,
        path: Path,
        *,
        parse: Callable[[bytes], T],
        default: Callable[[], T],
        limit: int,
        kept: Callable[[str], str],
        defaulted: Callable[[str], str],
        seed: Callable[[], bytes] | None = None,
        default_when_invalid: bool = True,
        what: str = "",
    ) -> None:
        self.path = path
        self.what = what or path.name
        self._parse = parse
        self._default = default
        self._seed = seed
        self._limit = limit
        self._kept = kept
        self._defaulted = defaulted
        self._default_when_invalid = default_when_invalid
        self._lock = threading.Lock()
        self._stamp: Stamp | None = None
        self._checked = False
        self._value: T | None = None
        self._valid: T | None = None  # the last valid value this process read or saved
        self.last_error: str | None = None

    @property
    def warning(self) -> str | None:
        """One sentence while the file is invalid: why, and what is in force instead."""
        return self.last_error

    @property
    def last_good(self) -> Path:
        return last_good_path(self.path)

    def current(self) -> T:
        """The value in force, re-reading the file when its stamp changed; raises
        `ConfigError` only when the file is invalid and there is nothing to fall back to."""
        with self._lock:
            stamp = self._stat()
            if stamp is None and self._seed is not None:
                self._create()
                stamp = self._stat()
            if not self._checked or stamp != self._stamp:
                self._stamp, self._checked = stamp, True
                self._load(stamp is None)
            if self._value is None:
                assert self.last_error is not None
                raise ConfigError(self.last_error)
            return self._value

    def refresh(self) -> T:
        """Read the file again even if its stamp did not change."""
        with self._lock:
            self._checked = False
        return self.current()

    def update(self, change: Callable[[T], bytes]) -> T:
        """Under the file's inter-process lock: apply `change` to the value in force now (the
        file's, or its fallback when it is invalid or missing) and write the bytes it returns;
        they are validated first, and an invalid result raises and writes nothing."""

        def load(raw: bytes | None) -> _Version[T]:
            if raw is not None:
                with contextlib.suppress(ConfigError, RecursionError):  # invalid: fall back
                    return _Version(self._parse(raw), raw)
            return _Version(self._fallback_value(raw is None), None)

        def apply(current: _Version[T]) -> _Version[T]:
            raw = change(current.value)
            version = _Version(self._parse_or_explain(raw), raw)
            self._sweep()
            return version

        def dump(version: _Version[T]) -> str:
            assert version.raw is not None
            return version.raw.decode("utf-8")  # valid UTF-8: `parse` accepted it

        with self._lock:
            saved = locked_update(
                self.path, apply, load=load, dump=dump, limit=self._limit, what=self.what
            )
            assert saved.raw is not None
            self._accept(saved.value, saved.raw)
            self._checked = False  # the next `current` looks at the file again (cheaply)
            return saved.value

    def replace(self, raw: bytes) -> T:
        """Write `raw` as the whole file (validated first; an invalid file raises)."""
        return self.update(lambda _current: raw)

    def validate(self, raw: bytes) -> T:
        """The value `raw` would give, or `ConfigError`; writes nothing."""
        return self._parse_or_explain(raw)

    # -- internals (called with self._lock held) ---------------------------------------------

    def _stat(self) -> Stamp | None:
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return None
        except OSError:
            return (-1, -1, -1, -1)  # unreadable: `_load` says why
        return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def _create(self) -> None:
        assert self._seed is not None
        # a read-only folder: the default stays in force, as if seeded
        with (
            contextlib.suppress(AuroraError, OSError),
            FileLock(lock_path(self.path), timeout=LOCK_TIMEOUT_S, what=self.what),
        ):
            if not os.path.lexists(self.path):
                atomic_write_bytes(self.path, self._seed())

    def _parse_or_explain(self, raw: bytes) -> T:
        try:
            return self._parse(raw)
        except RecursionError:
            raise ConfigError(
                phrase(
                    "{what} nests deeper than {MAX_DEPTH} levels.",
                    what=self.what,
                    MAX_DEPTH=MAX_DEPTH,
                )
            ) from None

    def _load(self, missing: bool) -> None:
        if missing:
            self._value, self.last_error = self._missing_value(), None
            return
        try:
            raw = read_user_bytes(self.path, limit=self._limit, what=self.what)
            if raw is None:
                self._value, self.last_error = self._missing_value(), None
                return
            value = self._parse_or_explain(raw)
        except ConfigError as exc:
            self._fall_back(str(exc))
            return
        self._accept(value, raw)

    def _missing_value(self) -> T:
        if self._seed is not None:
            return self._parse_or_explain(self._seed())
        return self._default()

    def _accept(self, value: T, raw: bytes) -> None:
        self._value = self._valid = value
        self.last_error = None
        self._keep(raw)

    def _keep(self, raw: bytes) -> None:
        """Copy the valid `raw` to `.last-good` unless it holds it already; under the file's
        lock and only while the file still holds `raw`, so an older reader never overwrites a
        newer copy. Best effort: the valid file itself is in force either way."""
        with contextlib.suppress(AuroraError, OSError):
            if self._read_last_good_bytes() == raw:
                return
            with FileLock(lock_path(self.path), timeout=LOCK_TIMEOUT_S, what=self.what):
                self._sweep()
                if read_user_bytes(self.path, limit=self._limit, what=self.what) == raw:
                    atomic_write_bytes(self.last_good, raw)

    def _sweep(self) -> None:
        """Remove the temp files a killed writer left (`.NAME.*.part`, also of `.last-good`);
        called under the file's lock, which every writer of these files holds."""
        for stale in self.path.parent.glob(f".{glob.escape(self.path.name)}.*.part"):
            with contextlib.suppress(OSError):
                stale.unlink()

    def _read_last_good_bytes(self) -> bytes | None:
        try:
            return read_user_bytes(self.last_good, limit=self._limit, what=self.last_good.name)
        except ConfigError:
            return None

    def _read_last_good(self) -> T | None:
        raw = self._read_last_good_bytes()
        if raw is None:
            return None
        try:
            return self._parse_or_explain(raw)
        except ConfigError:
            return None

    def _fallback_value(self, missing: bool) -> T:
        """The value an update starts from when the file is missing or invalid."""
        if missing:
            return self._missing_value()
        kept = self._read_last_good()
        if kept is not None:
            return kept
        if self._valid is not None:
            return self._valid
        return self._default()

    def _fall_back(self, reason: str) -> None:
        reason = reason.strip().rstrip(".")
        kept = self._read_last_good()
        if kept is None:
            kept = self._valid
        if kept is not None:
            self._value = kept
            self.last_error = self._kept(reason)
        else:
            self._value = self._default() if self._default_when_invalid else None
            self.last_error = self._defaulted(reason)


class WatchedUser(Generic[T]):
    """Base of the classes built on one `WatchedFile` (`self._file`): its path, why the file
    on disk is not what is in force (None while it is valid), and the warning to show."""

    _file: WatchedFile[T]

    @property
    def path(self) -> Path:
        return self._file.path

    @property
    def last_error(self) -> str | None:
        return self._file.last_error

    @property
    def warning(self) -> str | None:
        return self._file.warning
