"""`aurora bench`: runs the benchmark suite in `bench/` (it ships with the source tree)."""

from __future__ import annotations

import argparse
import importlib.util
from typing import Any

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.resources import resources_dir


def add_bench_parser(commands: Any) -> None:
    bench = commands.add_parser("bench", help="measure Aurora against bare llama.cpp (B1-B7)")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--only", help="comma-separated subset, e.g. B1,B3")


def run_bench(args: argparse.Namespace) -> int:
    suite = resources_dir().parent / "bench" / "suite.py"
    if not suite.is_file():
        raise ConfigError(
            "The benchmark suite ships with Aurora's source tree; run it from a clone."
        )
    spec = importlib.util.spec_from_file_location("aurora_bench_suite", suite)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    argv = (["--json"] if args.json else []) + (["--only", args.only] if args.only else [])
    return int(module.main(argv))
