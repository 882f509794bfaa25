"""Aurora's benchmark suite (B1-B15): every figure a ratio or difference measured in one run.

    .venv/bin/aurora bench [--json] [--only B1,B4]      or      python bench/suite.py

Medians of 5 repetitions after a warm-up; the machine is described in the output.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPS, ensure_default_model
from machine import describe

from aurora_desktop.app.wiring import build_core

GOALS = {
    "B1": ("decode tok/s, Aurora's full path ÷ bare llama-cpp-python", ">=", 0.97),
    "B2": ("TTFT added by Aurora over the bare loop (ms)", "<=", 5.0),
    "B3": ("routing + policy + masking per request, p99 (ms)", "<=", 1.0),
    "B4": ("TTFT without prefix reuse ÷ with reuse (1,000-token system prompt)", ">=", 10.0),
    "B5": ("resident memory after idle unload, above before-load (%)", "<=", 10.0),
    "B6": ("Qt event-loop latency p99 while streaming (ms)", "<=", 50.0),
    "B7": ("decode tok/s as a fraction of memory bandwidth ÷ model bytes", None, None),
    "B8": ("prefill tok/s through Aurora ÷ a bare prefill with the same build", ">=", 0.9),
    "B9": ("decode tok/s with prompt lookup ÷ without, on extraction (same text)", ">=", 1.5),
    "B10": ("cold start to the tray icon (s)", "<=", 1.5),
    "B10i": ("cold start to the chat accepting input (s)", "<=", 2.0),
    "B10m": ("idle resident memory, no model loaded (MB)", "<=", 150.0),
    "B11": ("decode tok/s beside two CPU-bound processes ÷ quiet decode", ">=", 0.25),
    "B12": ("cold load-to-first-token, hashed at every load ÷ unchecked (worst model)", "<=", 1.3),
    "B13": ("decode tok/s through the local API (openai client) ÷ llama_cpp.server", ">=", 1.0),
    "B14": ("first-token latency the local API adds over the in-process path (ms)", "<=", 10.0),
    "B15": ("GET /v1/models p99 with 50 clients at once (ms)", None, None),
}

MEASURED_BY = {
    "B2": "B1",
    "B10i": "B10",
    "B10m": "B10",
    "B14": "B13",
    "B15": "B13",
}  # figures another benchmark measures


def verdict(key: str, value: float) -> dict[str, Any]:
    what, op, goal = GOALS[key]
    met = None if op is None else (value >= goal if op == ">=" else value <= goal)
    return {
        "what": what,
        "value": round(value, 4),
        "goal": f"{op} {goal}" if op else None,
        "met": met,
    }


def run(only: set[str] | None = None, progress: Callable[[str], None] = print) -> dict[str, Any]:
    import benchmarks as b

    def lazy(module: str, function: str, *args: Any) -> Callable[[], dict[str, Any]]:
        return lambda: getattr(importlib.import_module(module), function)(*args)

    started = time.monotonic()
    core = build_core()
    model_path = ensure_default_model(core)
    results: dict[str, Any] = {}
    plan: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("B1", lambda: b.b1_b2_decode_and_ttft(core, model_path)),
        ("B3", lambda: b.b3_routing_overhead(core)),
        ("B4", lambda: b.b4_prefix_reuse(model_path)),
        ("B5", lambda: b.b5_memory(model_path)),
        ("B6", lambda: b.b6_qt_latency(core)),
        ("B7", lambda: b.b7_bandwidth(model_path, results)),
        ("B8", lazy("prefill", "b8_prefill", core, model_path)),
        ("B9", lazy("lookup_bench", "b9_prompt_lookup", core, model_path)),
        ("B10", lazy("cold_start", "b10_cold_start")),
        ("B11", lazy("busy_decode", "b11_busy_decode", core, model_path)),
        ("B12", lazy("load_check", "b12_verify_cost", core)),
        ("B13", lazy("api_bench", "b13_b15_api", core, model_path)),
    ]
    try:
        for key, bench in plan:
            if only and not {key, *(k for k, g in MEASURED_BY.items() if g == key)} & only:
                continue
            progress(f"{key}: {GOALS[key][0]} …")
            measured = bench()
            for name, value in measured.pop("verdicts", {}).items():
                results[name] = {**verdict(name, value), **measured.get(name, {})}
            results.setdefault(key, {}).update(measured.get(key, {}))
    finally:
        core.close()
    return {
        "machine": describe(),
        "model": model_path.name,
        "repetitions": REPS,
        "results": results,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="aurora bench", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--only", help="comma-separated subset, e.g. B1,B3")
    args = parser.parse_args(argv)
    only = {k.strip().upper() for k in args.only.split(",")} if args.only else None
    report = run(only, progress=(lambda m: print(m, file=sys.stderr)))
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    m = report["machine"]
    print(f"{m['cpu']}, {m['physical_cores']} cores, {m['memory_gb']} GB; {report['model']}")
    for key, row in sorted(report["results"].items()):
        mark = {True: "met", False: "NOT met", None: "-"}[row.get("met")]
        print(
            f"{key}  {row.get('value')!s:>10}  goal {row.get('goal')!s:<8} {mark:<8} {row['what']}"
        )
    print(f"elapsed {report['elapsed_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
