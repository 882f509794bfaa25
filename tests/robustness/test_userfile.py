"""The one locked read-modify-write path for user files: no lost update, no link, no FIFO."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.userfile import locked_update, read_user_bytes


def _load(raw: bytes | None) -> list[int]:
    return [] if raw is None else list(json.loads(raw))


def _append(path: str, value: int) -> None:
    locked_update(Path(path), lambda xs: [*xs, value], load=_load, dump=json.dumps)


def test_parallel_updates_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_append, args=(str(path), i)) for i in range(16)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert sorted(json.loads(path.read_text())) == list(range(16))


def test_a_link_in_place_of_the_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    target.write_text("[1]")
    link = tmp_path / "list.json"
    link.symlink_to(target)
    with pytest.raises(ConfigError, match="is a link"):
        _append(str(link), 2)
    assert target.read_text() == "[1]"


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "list.json"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="not a regular file"):
        read_user_bytes(fifo)


def test_the_byte_limit_holds_whatever_st_size_says(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="larger than 1,000 bytes"):
        read_user_bytes(_big(tmp_path), limit=1000)


def _big(tmp_path: Path) -> Path:
    path = tmp_path / "big.json"
    path.write_bytes(b"x" * 5000)
    return path


def test_a_missing_file_reads_as_none(tmp_path: Path) -> None:
    assert read_user_bytes(tmp_path / "nothing.json") is None
