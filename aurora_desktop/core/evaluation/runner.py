"""Runs the sets of an `EvalData` through given front doors (classify, detect, search)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, Protocol, TypeVar

from aurora_desktop.core.cognition.labelsets import LabelSet
from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.evaluation.datasets import EvalData, IntentSet, PiiSet, RagSet
from aurora_desktop.core.evaluation.intent_score import Prediction, score_intent
from aurora_desktop.core.evaluation.pii_score import Detection, score_pii
from aurora_desktop.core.evaluation.rag_score import CUTOFFS, score_rag
from aurora_desktop.core.evaluation.report import Report, Row, intent_row, pii_rows, rag_rows

ERROR_STAGE = "error"  # a line the classifier failed on counts as wrong, under this stage
RAG_DEPTH = max(CUTOFFS)
P = ParamSpec("P")
R = TypeVar("R")


class Verdict(Protocol):
    """What `aurora eval` reads of a classification."""

    @property
    def label(self) -> str: ...

    @property
    def stage(self) -> str: ...


Classify = Callable[[str, LabelSet], Verdict]
Detect = Callable[[str], Sequence[Detection]]
Scored = Sequence[tuple[str, float]]  # (document name, score), best first
Search = Callable[[str, int], Scored]
OpenIndex = Callable[[RagSet], AbstractContextManager[Search]]
Say = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class FrontDoors:
    """The stages to measure; a missing one skips its sets."""

    classify: Classify | None = None
    detect: Detect | None = None
    open_index: OpenIndex | None = None


def evaluate(
    data: EvalData, doors: FrontDoors, *, limit: int | None = None, say: Say = lambda _: None
) -> Report:
    """Every set of `data` through `doors`; the first `limit` lines of each file only."""
    started = time.perf_counter()
    rows: list[Row] = []
    if doors.classify is not None:
        for intent_set in data.intents:
            rows += intent_rows(intent_set, doors.classify, limit, say)
    if doors.detect is not None:
        for pii_set in data.pii:
            rows += pii_set_rows(pii_set, doors.detect, limit, say)
    if doors.open_index is not None:
        for rag_set in data.rag:
            rows += rag_set_rows(rag_set, doors.open_index, limit, say)
    return Report(
        data=str(data.folder),
        verified_files=data.verified,
        seconds=time.perf_counter() - started,
        rows=tuple(rows),
    )


def intent_rows(
    intent_set: IntentSet, classify: Classify, limit: int | None, say: Say
) -> list[Row]:
    """The set zero-shot (label names only), then with its examples file if it has one; one
    untimed call first, so p50/p95 are the steady state (models loaded, examples embedded)."""
    modes: list[tuple[str, Mapping[str, tuple[str, ...]]]] = [
        ("zero-shot", {label: () for label in intent_set.labels})
    ]
    if intent_set.examples is not None:
        shots = max((len(v) for v in intent_set.examples.values()), default=0)
        modes.append((f"{shots}-shot", intent_set.examples))
    out = []
    for mode, examples in modes:
        label_set = LabelSet(intent_set.name, "", examples)
        rows = intent_set.rows[:limit]
        say(f"{intent_set.name} ({mode}): classifying {len(rows)} lines")
        with contextlib.suppress(AuroraError):  # untimed: loads the models, embeds the examples
            classify(rows[0].text, label_set)
        predictions = []
        for row in rows:
            begun = time.perf_counter()
            try:
                verdict = classify(row.text, label_set)
                label, stage = verdict.label, verdict.stage
            except AuroraError:
                label, stage = "", ERROR_STAGE
            ms = (time.perf_counter() - begun) * 1000.0
            predictions.append(Prediction(row.text, row.label, label, stage, ms))
        out.append(intent_row(intent_set.name, mode, score_intent(predictions, intent_set.labels)))
    return out


def pii_set_rows(pii_set: PiiSet, detect: Detect, limit: int | None, say: Say) -> list[Row]:
    """Mask every line; recall, over-masking, and the hard negatives where anything was masked."""
    lines = pii_set.rows[:limit]
    say(f"{pii_set.name}: masking {len(lines)} lines")
    timed, latencies = _timed(detect)
    found: dict[str, Sequence[Detection]] = {}

    def recorded(text: str) -> Sequence[Detection]:
        found[text] = timed(text)
        return found[text]

    score = score_pii(lines, recorded)
    touched = [
        {"id": row.get("id", ""), "masked": [row["text"][s:e] for _, s, e in found[row["text"]]]}
        for row in lines
        if row.get("hard_negative") and found.get(row["text"])
    ]
    return pii_rows(pii_set.name, score, latencies, hard_touched=touched)


def rag_set_rows(rag_set: RagSet, open_index: OpenIndex, limit: int | None, say: Say) -> list[Row]:
    """Ingest the set's folder into a fresh index, then rank each question's gold document."""
    answerable = _limited(rag_set.questions, limit, answered=True)
    unanswerable = _limited(rag_set.questions, limit, answered=False)
    say(f"{rag_set.name}: indexing {rag_set.folder}")
    begun = time.perf_counter()
    with open_index(rag_set) as search:
        ingest_s = time.perf_counter() - begun
        say(f"{rag_set.name}: searching {len(answerable) + len(unanswerable)} questions")
        recorded: dict[str, Scored] = {}
        timed_search, latencies = _timed(search)

        def names(question: str, k: int) -> list[str]:
            found = timed_search(question, k)
            recorded[question] = found
            return [name for name, _ in found]

        score = score_rag(answerable, names, depth=RAG_DEPTH)
        top = [found[0][1] if found else 0.0 for found in recorded.values()]
        missing = [_top_score(timed_search(r["question"], 1)) for r in unanswerable]
    return rag_rows(
        rag_set.name, score, latencies, top_scores=top, unanswerable_top=missing, ingest_s=ingest_s
    )


def _top_score(found: Scored) -> float:
    return found[0][1] if found else 0.0


def _limited(
    questions: Mapping[str, Sequence[Mapping[str, Any]]], limit: int | None, *, answered: bool
) -> list[Mapping[str, Any]]:
    return [
        row
        for rows in questions.values()
        for row in rows[:limit]
        if (row.get("answer") is not None) == answered
    ]


def _timed(call: Callable[P, R]) -> tuple[Callable[P, R], list[float]]:
    latencies: list[float] = []

    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        begun = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            latencies.append((time.perf_counter() - begun) * 1000.0)

    return wrapped, latencies


def relative_name(path: str, folder: Path) -> str:
    """A hit's file as the question files name it: relative to the ingested folder."""
    try:
        return Path(path).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return Path(path).name
