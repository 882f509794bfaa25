"""Several `aurora` commands started at the same instant, each in its own process."""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import traceback
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from tests.support.keyring_backend import FILE_ENV


def _cli(env: dict[str, str], argv: list[str], barrier: Barrier, results: Any) -> None:
    """One `aurora ARGV` in a fresh process, started with the others at the barrier."""
    os.environ.update(env)
    from aurora_desktop.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    barrier.wait(timeout=60)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except BaseException:  # reported to the test, which fails on it
        code = -1
        err.write(traceback.format_exc())
    results.put((tuple(argv), code, out.getvalue(), err.getvalue()))


def race(home: Path, commands: list[list[str]]) -> dict[tuple[str, ...], tuple[int, str, str]]:
    """Run `commands` at the same instant, each in its own process; their exit codes and output."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["aurora_desktop.cli.main"])
    barrier = ctx.Barrier(len(commands))
    results = ctx.Queue()
    env = {k: v for k, v in os.environ.items() if k.startswith(("AURORA_", "PYTHON_KEYRING"))}
    env.update({FILE_ENV: os.environ[FILE_ENV], "AURORA_HOME": str(home)})
    workers = [ctx.Process(target=_cli, args=(env, argv, barrier, results)) for argv in commands]
    for worker in workers:
        worker.start()
    got = {}
    for _ in workers:
        argv, code, out, err = results.get(timeout=120)
        got[argv] = (code, out, err)
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    return got
