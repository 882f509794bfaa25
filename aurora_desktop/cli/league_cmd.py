"""`aurora league`: run the labelled cases through the whole pipeline and print the table."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.league import LeagueTable, Outcome, load_cases, run_league

REPO_CASES = Path(__file__).resolve().parents[2] / "tests" / "league" / "cases.json"


def add_league_parser(commands: Any) -> None:
    league = commands.add_parser("league", help="score the local models on the labelled cases")
    league.add_argument("--json", action="store_true", help="print one JSON object")
    league.add_argument("--cases", type=Path, help="a JSON list of cases (default: the league)")
    league.add_argument("--only", metavar="TASKS", help="e.g. intent,classify")


def run_league_cmd(args: argparse.Namespace) -> int:
    from aurora_desktop.app.wiring import build_core

    path = args.cases or REPO_CASES
    if not path.is_file():
        raise ConfigError(f"No league cases at {path}; pass --cases FILE.")
    cases = load_cases(path)
    if args.only:
        wanted = {t.strip() for t in args.only.split(",")}
        cases = [c for c in cases if c.task in wanted]
        if not cases:
            raise ConfigError(f"No league case has a task in {sorted(wanted)}.")
    core = build_core()
    try:
        core.embedder.ensure()
        core.multilingual.ensure()  # Korean cases go through the multilingual encoder
        table = run_league(
            cases,
            lambda request: core.conductor.answer(request),
            lambda name: core.label_sets.current().get(name).labels,
            on_case=None if args.json else _print_case,
        )
    finally:
        core.close()
    if args.json:
        sys.stdout.write(json.dumps(table.to_dict(), ensure_ascii=False) + "\n")
    else:
        _print_table(table)
    return 0


def _print_case(outcome: Outcome) -> None:
    mark = "pass" if outcome.passed else "FAIL"
    sys.stderr.write(
        f"{mark} {outcome.case.id:<22} {outcome.latency_ms:8.0f} ms  {outcome.detail}\n"
    )


def _print_table(table: LeagueTable) -> None:
    sys.stdout.write(
        f"{'task':<10} {'cases':>5} {'passed':>6} {'accuracy':>8} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'tok/s':>6}  escalated\n"
    )
    for task, row in table.by_task().items():
        sys.stdout.write(
            f"{task:<10} {row['cases']:>5} {row['passed']:>6} {row['accuracy']:>8.2f} "
            f"{row['latency_ms_p50']:>8.0f} {row['latency_ms_p95']:>8.0f} "
            f"{row['tok_s_p50']:>6.1f}  {', '.join(row['escalated']) or '-'}\n"
        )
