"""The robustness harness's shared parts: the fork server, the sandbox, and the run summary."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.robustness.cli_runner import ForkServer, Outcome, Sandbox, describe, shown

SUMMARY_FILE = "robustness-summary.json"


class Tally:
    """Every case the robustness tests ran, for the summary at the end of the session."""

    def __init__(self) -> None:
        self.by_suite: dict[str, list[Outcome]] = {}

    def add(self, suite: str, outcomes: list[Outcome]) -> None:
        self.by_suite.setdefault(suite, []).extend(outcomes)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for suite, outcomes in self.by_suite.items():
            failed = [o for o in outcomes if o.problems]
            out[suite] = {
                "cases": len(outcomes),
                "failed": len(failed),
                "tracebacks": sum(1 for o in outcomes if o.traceback_line),
                "hangs": sum(1 for o in outcomes if o.timed_out),
                "signals": sum(1 for o in outcomes if o.signal),
                "seconds": round(sum(o.seconds for o in outcomes), 1),
                "causes": dict(Counter(o.cause for o in failed).most_common()),
                "failures": [describe(o) for o in failed],
                "failed_cases": [
                    {
                        "label": o.label,
                        "argv": shown(o.argv, limit=400),
                        "cause": o.cause,
                        "problems": o.problems,
                        "exit": o.exit,
                        "last_stderr_line": o.traceback_line or _last_line(o),
                    }
                    for o in failed
                ],
            }
        return out


def _last_line(outcome: Outcome) -> str:
    lines = outcome.stderr.decode("utf-8", "replace").strip().split("\n")
    return lines[-1][:400]


TALLY = Tally()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "robustness: hostile CLI input and damaged data folders (tests/robustness)"
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    summary = TALLY.summary()
    if not summary:
        return
    terminalreporter.section("robustness")
    for suite, s in summary.items():
        terminalreporter.write_line(
            f"{suite}: {s['cases']} cases, {s['failed']} failed "
            f"({s['tracebacks']} tracebacks, {s['hangs']} hangs, {s['signals']} signals), "
            f"{s['seconds']} s of child run time"
        )
        for cause, n in s["causes"].items():
            terminalreporter.write_line(f"    {n:>4} x {cause}")
    out = os.environ.get("AURORA_TEST_OUTPUT")
    if out:
        path = Path(out) / SUMMARY_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        terminalreporter.write_line(f"details: {path}")


@pytest.fixture(scope="session")
def fork_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForkServer]:
    log = tmp_path_factory.mktemp("fork-server") / "server.log"
    server = ForkServer(log)
    yield server
    server.close()


@pytest.fixture(scope="session")
def tally() -> Tally:
    return TALLY


@pytest.fixture(scope="session")
def base_sandbox() -> Iterator[Sandbox]:
    box = Sandbox.create()
    yield box
    box.remove()
