"""`aurora stats`: recent request figures and their percentiles, from the metrics history."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import datetime
from typing import Any

from aurora_desktop.app.wiring import build_core
from aurora_desktop.cli.numbers import whole
from aurora_desktop.cli.policy_cmd import parse_since
from aurora_desktop.core.telemetry import summarize


def add_stats_parser(commands: Any) -> None:
    stats = commands.add_parser("stats", help="recent speed and latency figures")
    stats.add_argument("--json", action="store_true")
    stats.add_argument("--since", help="e.g. 30m, 2h, 7d or 2026-11-24")
    stats.add_argument(
        "--last", type=whole(1, 1_000_000), default=10, metavar="N", help="requests to list"
    )


def run_stats(args: argparse.Namespace) -> int:
    core = build_core()
    since = parse_since(args.since)
    try:
        history = core.metrics.history(since=since)
        checked = core.metrics.verification_counts(since=since)
    finally:
        core.close()
    summary = summarize(history)
    if args.json:
        out = {
            "summary": summary,
            "verification": checked,
            "recent": [asdict(s) for s in history[: args.last]],
        }
        sys.stdout.write(json.dumps(out, indent=2) + "\n")
        return 0
    if not history:
        sys.stdout.write("No requests recorded yet; ask something first.\n")
        return 0
    sys.stdout.write(f"{summary['requests']} requests ({summary['by_target']})\n")
    for name, unit in (("ttft_ms", "ms"), ("latency_ms", "ms"), ("decode_tok_s", "tok/s"),
                       ("prompt_tok_s", "tok/s")):  # fmt: skip
        p = summary[name]
        sys.stdout.write(
            f"  {name:<13} p50 {p['p50']:>9} p90 {p['p90']:>9} p99 {p['p99']:>9} {unit}\n"
        )
    sys.stdout.write(
        f"  verifier      {checked['passed']} of {checked['checked']} tries passed; "
        f"{checked['retried_requests']} requests needed a retry\n"
    )
    sys.stdout.write("recent:\n")
    for s in history[: args.last]:
        when = datetime.fromtimestamp(s.ts).strftime("%H:%M:%S")
        sys.stdout.write(
            f"  {when} {s.target:<5} {s.model:<26} in {s.tokens_in:>5} out {s.tokens_out:>5} "
            f"ttft {s.ttft_ms:>7.1f} ms  {s.decode_tok_s:>6.1f} tok/s  {s.outcome}\n"
        )
    return 0
