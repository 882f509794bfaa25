"""The league (seed §11): labelled cases over intent, classify, summarize and extract, run
through the whole pipeline, scored per task with latency, tok/s and escalations.

Scoring is pure: exact label match for intent/classify (and for the task picked by auto);
for summaries, the key facts kept, a text shorter than the input, and the verifier's
verdict; for extraction, valid JSON of the schema and the expected fields.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aurora_desktop.core.contract import Request, Response
from aurora_desktop.core.errors import AuroraError, ConfigError
from aurora_desktop.core.telemetry import percentile
from aurora_desktop.core.text import phrase
from aurora_desktop.core.userfile import read_named_bytes
from aurora_desktop.core.userinput import load_json

FACTS_NEEDED = 0.6  # share of a summary case's key facts the summary must keep
TASKS = ("auto", "intent", "classify", "summarize", "extract")
MAX_CASES_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    task: str
    prompt: str
    expect: Any = None  # a label, a task (for auto), or the expected fields (extract)
    labels: tuple[str, ...] | str | None = None  # a list, or the name of a label set
    facts: tuple[str, ...] = ()
    schema: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    passed: bool
    detail: str
    latency_ms: float
    tok_s: float
    escalated: bool
    target: str = "local"
    answer: str = ""


@dataclass
class LeagueTable:
    outcomes: list[Outcome] = field(default_factory=list)

    def by_task(self) -> dict[str, dict[str, Any]]:
        table: dict[str, dict[str, Any]] = {}
        for task in TASKS:
            rows = [o for o in self.outcomes if o.case.task == task]
            if not rows:
                continue
            latencies = [o.latency_ms for o in rows]
            speeds = [o.tok_s for o in rows if o.tok_s > 0]
            table[task] = {
                "cases": len(rows),
                "passed": sum(o.passed for o in rows),
                "accuracy": round(sum(o.passed for o in rows) / len(rows), 3),
                "latency_ms_p50": round(percentile(latencies, 50), 1),
                "latency_ms_p95": round(percentile(latencies, 95), 1),
                "tok_s_p50": round(percentile(speeds, 50), 1) if speeds else 0.0,
                "escalated": [o.case.id for o in rows if o.escalated],
            }
        return table

    def to_dict(self) -> dict[str, Any]:
        return {
            "tasks": self.by_task(),
            "cases": [
                {
                    "id": o.case.id,
                    "task": o.case.task,
                    "passed": o.passed,
                    "detail": o.detail,
                    "latency_ms": round(o.latency_ms, 1),
                    "tok_s": round(o.tok_s, 1),
                    "escalated": o.escalated,
                    "target": o.target,
                    "answer": o.answer[:300],
                }
                for o in self.outcomes
            ],
        }


def load_cases(path: Path) -> list[Case]:
    what = f"The league cases file {path}"
    raw = load_json(read_named_bytes(path, limit=MAX_CASES_BYTES, what=what), what=what)
    if not isinstance(raw, list) or not raw:
        raise ConfigError(phrase("{path} must hold a non-empty JSON list of cases.", path=path))
    cases: list[Case] = []
    for item in raw:
        if not isinstance(item, dict) or item.get("task") not in TASKS or not item.get("prompt"):
            raise ConfigError(
                phrase(
                    "{path}: case {item} needs a task in {TASKS} and a prompt.",
                    path=path,
                    item=format(repr(item), ".60"),
                    TASKS=TASKS,
                )
            )
        labels = item.get("labels")
        cases.append(
            Case(
                id=str(item.get("id", f"case-{len(cases) + 1}")),
                task=item["task"],
                prompt=item["prompt"],
                expect=item.get("expect"),
                labels=tuple(labels) if isinstance(labels, list) else labels,
                facts=tuple(item.get("facts", ())),
                schema=item.get("schema"),
            )
        )
    return cases


def case_request(case: Case, label_sets: Callable[[str], tuple[str, ...]]) -> Request:
    labels = label_sets(case.labels) if isinstance(case.labels, str) else case.labels
    max_tokens = {"summarize": 120, "extract": 160}.get(case.task, 48)
    return Request.from_prompt(
        case.prompt, task=case.task, labels=labels or None, json_schema=case.schema,
        max_tokens=max_tokens, temperature=0.0,
    )  # fmt: skip


def score(case: Case, response: Response) -> tuple[bool, str]:
    """Whether `response` passes `case`, and a short reason."""
    if case.task == "auto":
        ok = response.task == case.expect
        return ok, f"task {response.task} (expected {case.expect})"
    if case.task in ("intent", "classify"):
        got = (response.label or response.text).strip()
        ok = got.casefold() == str(case.expect).casefold()
        return ok, f"label {got} (expected {case.expect})"
    if case.task == "summarize":
        return _score_summary(case, response)
    return _score_extract(case, response)


def _score_summary(case: Case, response: Response) -> tuple[bool, str]:
    text = response.text.casefold()
    kept = [fact for fact in case.facts if fact.casefold() in text]
    share = len(kept) / len(case.facts) if case.facts else 1.0
    shorter = len(response.text.strip()) < len(case.prompt.strip())
    verdict = response.verified is not False
    ok = share >= FACTS_NEEDED and shorter and verdict and bool(response.text.strip())
    return ok, (
        f"facts {len(kept)}/{len(case.facts)}, {len(response.text)} < {len(case.prompt)} chars"
        f"{'' if shorter else ' (NOT shorter)'}, verifier {'ok' if verdict else 'failed'}"
    )


def _score_extract(case: Case, response: Response) -> tuple[bool, str]:
    try:
        value = json.loads(response.text)
    except ValueError:
        return False, "not JSON"
    if response.verified is False:
        return False, "not valid for the schema"
    expected = case.expect if isinstance(case.expect, Mapping) else {}
    found = value if isinstance(value, dict) else {}
    hits = [k for k, v in expected.items() if _same(found.get(k), v)]
    ok = len(hits) == len(expected)
    return ok, f"schema-valid, fields {len(hits)}/{len(expected)}"


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, str) and isinstance(got, str):
        return want.casefold() in got.casefold()
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return abs(float(got) - float(want)) < 1e-6
    return bool(got == want)


def run_league(
    cases: Sequence[Case],
    answer: Callable[[Request], Response],
    label_sets: Callable[[str], tuple[str, ...]],
    on_case: Callable[[Outcome], None] | None = None,
) -> LeagueTable:
    table = LeagueTable()
    for case in cases:
        started = time.perf_counter()
        try:
            response = answer(case_request(case, label_sets))
        except AuroraError as exc:
            outcome = Outcome(case, False, f"error: {exc}", _ms(started), 0.0, False)
        else:
            passed, detail = score(case, response)
            escalated = len(response.attempts) > 1  # retried or escalated by the verifier
            outcome = Outcome(
                case, passed, detail, response.latency_ms, response.tok_s, escalated,
                response.target, response.text,
            )  # fmt: skip
        table.outcomes.append(outcome)
        if on_case is not None:
            on_case(outcome)
    return table


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0
