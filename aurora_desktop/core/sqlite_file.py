"""A SQLite file in the data folder that always opens: a damaged one is moved aside and redone.

A truncated file, garbage, something that is not a database, or a folder or link in the
file's place is renamed to `NAME.damaged-<UTC time>` (with its `-wal`/`-shm`/`-journal`
companions), a fresh database with the schema takes its place, and `report` is called once
with one sentence saying so. The history in it is lost to Aurora but kept on disk for the user.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import TypeVar

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.filelock import FileLock
from aurora_desktop.core.text import phrase

T = TypeVar("T")
Report = Callable[[str, Path, Path], None]  # (sentence, the file, where it was moved)

DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
COMPANIONS = ("-wal", "-shm", "-journal")
BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
BUSY_WAIT_S = 10.0


def primary_code(exc: BaseException | None) -> int | None:
    """SQLite's primary result code of `exc` (the extended code's low byte), if it has one."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(exc: BaseException | None) -> bool:
    """True for SQLite's "malformed" and "not a database" errors (not for a busy lock)."""
    return isinstance(exc, sqlite3.DatabaseError) and primary_code(exc) in DAMAGE_CODES


class SqliteFile:
    """Opens `path` with `schema` applied; `run(work)` recovers once from damage found later."""

    def __init__(
        self,
        path: Path,
        schema: str,
        *,
        what: str,
        pragmas: Sequence[str] = (),
        report: Report | None = None,
    ) -> None:
        self.path = path
        self.what = what
        self.moved: Path | None = None  # where the last damaged file went
        self._schema = schema
        self._pragmas = tuple(pragmas)
        self._report = report
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._create()
            damaged = not self._healthy()  # also damage no query of this run would reach
        except (sqlite3.DatabaseError, OSError) as exc:
            if not self._damaged(exc):
                raise self._unusable(exc) from exc
            damaged = True
        if damaged:
            self._recover()

    def connect(self) -> sqlite3.Connection:
        if not self._regular_or_missing():
            raise sqlite3.DatabaseError(f"{self.path} is not a regular file")
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        for pragma in self._pragmas:
            db.execute(pragma)
        return db

    def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work` on a fresh connection; on damage the file is moved aside and `work` retried."""
        try:
            with closing(self.connect()) as db:
                return work(db)
        except (sqlite3.DatabaseError, OSError) as exc:
            if not self._damaged(exc):
                raise self._unusable(exc) from exc
        self._recover()
        try:
            with closing(self.connect()) as db:
                return work(db)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise self._unusable(exc) from exc

    def _unusable(self, exc: BaseException) -> ConfigError:
        """A database that is not damaged but cannot be used now (permissions, a long lock)."""
        reason = str(exc.strerror if isinstance(exc, OSError) else exc).rstrip(".")
        return ConfigError(
            phrase(
                "{path} ({what}) cannot be used ({reason}); check that Aurora may "
                "read and write it, and retry.",
                path=self.path,
                what=self.what,
                reason=reason,
            )
        )

    # -- damage ------------------------------------------------------------------------------

    def _create(self) -> None:
        """Apply WAL mode and the schema; another process doing the same is waited for
        (switching to WAL can report "locked" without waiting)."""
        deadline = time.monotonic() + BUSY_WAIT_S
        while True:
            try:
                with closing(self.connect()) as db:
                    if db.execute("PRAGMA journal_mode").fetchone() != ("wal",):
                        db.execute("PRAGMA journal_mode=WAL")
                    db.executescript(self._schema)
                return
            except sqlite3.OperationalError as exc:
                busy = primary_code(exc) in BUSY_CODES
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _regular_or_missing(self) -> bool:
        try:
            return stat.S_ISREG(os.lstat(self.path).st_mode)
        except FileNotFoundError:
            return True

    def _damaged(self, exc: BaseException) -> bool:
        return is_damage(exc) or not self._regular_or_missing()

    def _healthy(self) -> bool:
        if not self._regular_or_missing():
            return False
        try:
            with closing(self.connect()) as db:
                return bool(db.execute("PRAGMA quick_check(1)").fetchone() == ("ok",))
        except sqlite3.DatabaseError as exc:
            if is_damage(exc):
                return False
            raise

    def _recover(self) -> None:
        """Move the damaged file aside (once, across processes) and create a fresh one."""
        lock = self.path.parent / f".{self.path.name}.lock"
        with FileLock(lock, timeout=30.0, what=self.what):
            if self._healthy():  # another process got here first
                self._create()
                return
            try:
                moved = set_aside(self.path)
            except OSError as exc:
                raise ConfigError(
                    phrase(
                        "{path} is damaged and cannot be moved aside ({exc}); close the "
                        "other programs using it, or move it away yourself, and retry.",
                        path=self.path,
                        exc=exc.strerror,
                    )
                ) from exc
            self._create()
        self.moved = moved
        sentence = phrase(
            "{path_name} ({what}) was damaged, so Aurora moved it aside as "
            "{moved_name} and started a new one.",
            path_name=self.path.name,
            what=self.what,
            moved_name=moved.name,
        )
        if self._report is not None:
            self._report(sentence, self.path, moved)


def set_aside(path: Path, companions: Sequence[str] = COMPANIONS) -> Path:
    """Rename `path` (a file or folder) to `NAME.damaged-<UTC time>`, with its companions."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    base = path.with_name(f"{path.name}.damaged-{stamp}")
    moved, n = base, 1
    while os.path.lexists(moved):
        moved, n = base.with_name(f"{base.name}-{n}"), n + 1
    os.replace(path, moved)
    for suffix in companions:
        with contextlib.suppress(FileNotFoundError):
            os.replace(f"{path}{suffix}", f"{moved}{suffix}")
    return moved
