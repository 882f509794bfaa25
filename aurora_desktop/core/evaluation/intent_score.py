"""Scores a classifier's answers on an intent set: accuracy, per label, stages, latency."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aurora_desktop.core.telemetry import percentile


@dataclass(frozen=True, slots=True)
class Prediction:
    text: str
    expected: str
    predicted: str
    stage: str  # which stage of the classifier decided ("embedding", "grammar", ...)
    ms: float


@dataclass(frozen=True, slots=True, kw_only=True)
class IntentScore:
    n: int
    correct: int
    per_label: dict[str, tuple[int, int]]  # label -> (correct, rows)
    stages: dict[str, int]  # stage -> rows it decided
    stage_correct: dict[str, int]
    ms_p50: float
    ms_p95: float
    misses: tuple[Prediction, ...] = field(default=())

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    def label_accuracy(self, label: str) -> float:
        correct, rows = self.per_label[label]
        return correct / rows if rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "per_label": {
                label: {"n": rows, "correct": ok, "accuracy": round(self.label_accuracy(label), 4)}
                for label, (ok, rows) in self.per_label.items()
            },
            "stages": dict(self.stages),
            "stage_accuracy": {
                stage: round(self.stage_correct.get(stage, 0) / count, 4)
                for stage, count in self.stages.items()
            },
            "ms_p50": round(self.ms_p50, 2),
            "ms_p95": round(self.ms_p95, 2),
            "misses": [
                {"text": p.text, "expected": p.expected, "predicted": p.predicted, "stage": p.stage}
                for p in self.misses
            ],
        }


def score_intent(predictions: Iterable[Prediction], labels: Iterable[str] = ()) -> IntentScore:
    """The score of `predictions`; `labels` fixes the order (and lists labels never seen)."""
    rows = list(predictions)
    per_label: dict[str, list[int]] = {label: [0, 0] for label in labels}
    stages: Counter[str] = Counter()
    stage_correct: Counter[str] = Counter()
    for row in rows:
        ok = row.predicted == row.expected
        counts = per_label.setdefault(row.expected, [0, 0])
        counts[0] += ok
        counts[1] += 1
        stages[row.stage] += 1
        stage_correct[row.stage] += ok
    latencies = [row.ms for row in rows]
    return IntentScore(
        n=len(rows),
        correct=sum(row.predicted == row.expected for row in rows),
        per_label={label: (ok, n) for label, (ok, n) in per_label.items()},
        stages=dict(stages.most_common()),
        stage_correct=dict(stage_correct),
        ms_p50=percentile(latencies, 50),
        ms_p95=percentile(latencies, 95),
        misses=tuple(row for row in rows if row.predicted != row.expected),
    )
