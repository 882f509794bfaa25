"""The `aurora eval` table: one row per set and metric, as text or as one JSON object."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aurora_desktop.core.evaluation.intent_score import IntentScore
from aurora_desktop.core.evaluation.pii_score import PiiScore
from aurora_desktop.core.evaluation.rag_score import ALL, RagScore
from aurora_desktop.core.telemetry import percentile

SHARE_METRICS = ("accuracy", "recall", "words masked", "hit@3")


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One line of the table; `details` is what `--json` shows beside the numbers."""

    set: str
    kind: str  # intent | pii | rag
    n: int
    metric: str
    score: float
    detail: str = ""
    ms_p50: float | None = None
    ms_p95: float | None = None
    stages: Mapping[str, int] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": self.set,
            "kind": self.kind,
            "n": self.n,
            "metric": self.metric,
            "score": round(self.score, 4),
            "ms_p50": None if self.ms_p50 is None else round(self.ms_p50, 2),
            "ms_p95": None if self.ms_p95 is None else round(self.ms_p95, 2),
            "stages": dict(self.stages),
            "details": dict(self.details),
            "detail": self.detail,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Row:
        return cls(
            set=str(data["set"]),
            kind=str(data["kind"]),
            n=int(data["n"]),
            metric=str(data["metric"]),
            score=float(data["score"]),
            detail=str(data.get("detail", "")),
            ms_p50=data.get("ms_p50"),
            ms_p95=data.get("ms_p95"),
            stages=dict(data.get("stages", {})),
            details=dict(data.get("details", {})),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    data: str
    verified_files: int
    seconds: float
    rows: tuple[Row, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "data": self.data,
            "verified_files": self.verified_files,
            "seconds": round(self.seconds, 1),
            "rows": [row.to_dict() for row in self.rows],
        }

    def table(self) -> str:
        return render_table(self.rows)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """The report `to_dict` wrote (to print the table of a `--json` run)."""
        return cls(
            data=str(data["data"]),
            verified_files=int(data["verified_files"]),
            seconds=float(data["seconds"]),
            rows=tuple(Row.from_dict(row) for row in data["rows"]),
        )


def intent_row(name: str, mode: str, score: IntentScore) -> Row:
    detail = ", ".join(
        f"{label} {score.label_accuracy(label):.2f}"
        for label, (_, rows) in score.per_label.items()
        if rows
    )
    return Row(
        set=f"{name} ({mode})",
        kind="intent",
        n=score.n,
        metric="accuracy",
        score=score.accuracy,
        detail=detail,
        ms_p50=score.ms_p50,
        ms_p95=score.ms_p95,
        stages=score.stages,
        details={"mode": mode, **score.to_dict()},
    )


def pii_rows(
    name: str,
    score: PiiScore,
    latencies: Sequence[float],
    *,
    hard_touched: Sequence[Mapping[str, Any]] = (),
) -> list[Row]:
    """Recall over the labelled entities, and how much of the lines without any span was masked.

    `hard_touched` lists the hard-negative lines where anything was masked at all, including
    spans the set labels as another kind of data (neither for nor against the score)."""
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    numbers = score.as_json()
    recall = Row(
        set=name,
        kind="pii",
        n=sum(score.total.values()),
        metric="recall",
        score=score.overall_recall,
        detail=", ".join(
            f"{t} {score.found.get(t, 0)}/{n}" for t, n in sorted(score.total.items())
        ),
        ms_p50=p50,
        ms_p95=p95,
        details={
            **numbers,
            "misses": [
                {"id": m.row_id, "type": m.type, "value": m.value, "masked_as": list(m.masked_as)}
                for m in score.misses
            ],
        },
    )
    over = Row(
        set=name,
        kind="pii",
        n=score.empty_words,
        metric="words masked",
        score=score.empty_words_masked_share,
        detail=(
            f"on {score.empty_lines} lines without PII; hard negatives flagged "
            f"{score.hard_negative_lines_over_masked}/{score.hard_negative_lines} "
            f"(any span masked: {len(hard_touched)}); spans outside labels {len(score.over_masks)}"
        ),
        details={
            "empty_lines": score.empty_lines,
            "hard_negative_lines": score.hard_negative_lines,
            "hard_negative_lines_over_masked": score.hard_negative_lines_over_masked,
            "hard_negative_lines_any_masked": len(hard_touched),
            "hard_negatives_masked": list(hard_touched),
            "over_masked_by_kind": score.over_masks_by_kind(),
            "over_masks": [
                {"id": o.row_id, "kind": o.kind, "value": o.value, "hard_negative": o.hard_negative}
                for o in score.over_masks
            ],
        },
    )
    return [recall, over]


def rag_rows(
    name: str,
    score: RagScore,
    latencies: Sequence[float],
    *,
    top_scores: Sequence[float] = (),
    unanswerable_top: Sequence[float] = (),
    ingest_s: float = 0.0,
) -> list[Row]:
    """hit@3 per language (then all), and the top score of the questions with no answer."""
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    rows: list[Row] = []
    ordered = [lang for lang in score.languages if lang != ALL]
    if len(ordered) > 1 or not ordered:
        ordered.append(ALL)
    for lang in ordered:
        language = score.languages[lang]
        ranks = [r for r in score.ranks if lang in (ALL, r.lang)]
        rows.append(
            Row(
                set=f"{name} ({lang})",
                kind="rag",
                n=language.questions,
                metric="hit@3",
                score=language.hit_at(3),
                detail=(
                    f"hit@1 {language.hit_at(1):.2f}, hit@5 {language.hit_at(5):.2f}, "
                    f"mrr {language.mrr:.2f}"
                ),
                ms_p50=p50,
                ms_p95=p95,
                details={
                    **language.to_dict(),
                    "ingest_s": round(ingest_s, 2),
                    "misses": [
                        {"question": r.question, "gold": r.gold, "rank": r.rank, "found": r.found}
                        for r in ranks
                        if r.rank is None or r.rank > 3
                    ],
                },
            )
        )
    if unanswerable_top:
        answered = f"; answerable p50 {percentile(top_scores, 50):.2f}" if top_scores else ""
        rows.append(
            Row(
                set=f"{name} (unanswerable)",
                kind="rag",
                n=len(unanswerable_top),
                metric="top score p50",
                score=percentile(unanswerable_top, 50),
                detail=f"max {max(unanswerable_top):.2f}{answered}",
                details={
                    "top_scores": [round(s, 4) for s in unanswerable_top],
                    "answerable_top_score_p50": round(percentile(top_scores, 50), 4),
                },
            )
        )
    return rows


def render_table(rows: Sequence[Row]) -> str:
    """The rows as aligned text: set, n, metric, score, p50/p95 ms, stages, then the detail."""
    header = ("set", "n", "metric", "score", "p50 ms", "p95 ms", "stages", "detail")
    cells = [
        (
            row.set,
            str(row.n),
            row.metric,
            f"{row.score:.2f}",
            _ms(row.ms_p50),
            _ms(row.ms_p95),
            " ".join(f"{stage}:{count}" for stage, count in row.stages.items()) or "-",
            row.detail or "-",
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header) - 1)]
    right = {1, 3, 4, 5}
    lines = []
    for line in [header, *cells]:
        parts = [
            line[i].rjust(widths[i]) if i in right else line[i].ljust(widths[i])
            for i in range(len(widths))
        ]
        lines.append("  ".join([*parts, line[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def _ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"
