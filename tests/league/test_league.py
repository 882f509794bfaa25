"""The league (seed §11) in CI: every case through the real pipeline and real models, with
floors the current models meet, so a regression in routing, prompts, grammars, the
classifier or the verifier fails the build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurora_desktop.core.league import load_cases
from aurora_desktop.core.paths import AuroraHome
from tests.support.cli import aurora

pytestmark = [pytest.mark.integration, pytest.mark.model]
CASES = Path(__file__).with_name("cases.json")
# One case below what SmolLM2-135M + MiniLM scored here (auto 6/6, intent 5/6, classify 6/7,
# summarize 4/5, extract 2/3 with every answer schema-valid), so one flaky case passes and a
# real regression does not.
FLOORS = {"auto": 0.83, "intent": 0.66, "classify": 0.71, "summarize": 0.6, "extract": 0.33}


def test_the_cases_cover_every_task() -> None:
    cases = load_cases(CASES)
    assert len(cases) >= 20
    assert {c.task for c in cases} >= {"intent", "classify", "summarize", "extract"}
    assert len({c.id for c in cases}) == len(cases)


def test_league_meets_its_floors(full_home: AuroraHome) -> None:
    proc = aurora("league", "--json", "--cases", str(CASES), timeout=900)
    assert proc.returncode == 0, proc.stderr
    table = json.loads(proc.stdout)
    print(json.dumps(table["tasks"], indent=1))
    for case in table["cases"]:
        print(f"{'pass' if case['passed'] else 'FAIL'} {case['id']}: {case['detail']}")
    for task, floor in FLOORS.items():
        row = table["tasks"][task]
        assert row["accuracy"] >= floor, (task, row)
        assert row["latency_ms_p50"] > 0
    assert all(c["target"] == "local" for c in table["cases"])  # no provider: nothing left
    extracts = [c for c in table["cases"] if c["task"] == "extract"]
    assert all(c["detail"].startswith("schema-valid") for c in extracts), extracts
