"""Editing a file the way a careful attacker would: in place, with size, mtime and inode kept."""

from __future__ import annotations

import os
from pathlib import Path


def overwrite_in_place(path: Path, offset: int, new: bytes, *, keep_stat: bool = True) -> None:
    """Write `new` at `offset` in the same inode; with keep_stat, restore mtime (`touch -r`)
    and check that size, mtime and inode are what they were."""
    before = path.stat()
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(new)
    if keep_stat:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        after = path.stat()
        assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
            before.st_size,
            before.st_mtime_ns,
            before.st_ino,
        )
