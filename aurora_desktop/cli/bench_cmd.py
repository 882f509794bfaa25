"""`aurora bench`: runs the benchmark suite in `bench/` (it ships with the source tree only)."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

import aurora_desktop
from aurora_desktop.core.errors import ConfigError

# The suite measures against a bare llama-cpp-python loop with developer tooling around it,
# so it stays out of the wheel: an installed Aurora has no `bench/` beside its package.
CHECKOUT = Path(aurora_desktop.__file__).resolve().parents[1]


def add_bench_parser(commands: Any) -> None:
    bench = commands.add_parser("bench", help="measure Aurora against bare llama.cpp (B1-B12)")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--only", help="comma-separated subset, e.g. B1,B3")


def run_bench(args: argparse.Namespace) -> int:
    suite = CHECKOUT / "bench" / "suite.py"
    if not (CHECKOUT / "pyproject.toml").is_file() or not suite.is_file():
        raise ConfigError(
            "The benchmark suite ships with Aurora's source tree, not the installed app; "
            "run `aurora bench` from a clone."
        )
    spec = importlib.util.spec_from_file_location("aurora_bench_suite", suite)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if args.only is not None:
        _check_only(args.only, sorted(module.GOALS))
    argv = (["--json"] if args.json else []) + (["--only", args.only] if args.only else [])
    return int(module.main(argv))


def _check_only(raw: str, known: list[str]) -> None:
    """Every id in `--only` names a benchmark of the suite (else nothing would run)."""
    wanted = [part.strip().upper() for part in raw.split(",")]
    unknown = [part for part in wanted if part not in known]
    if unknown:
        raise ConfigError(
            f"There is no benchmark {unknown[0][:20]!r}; choose from {', '.join(known)}."
        )
