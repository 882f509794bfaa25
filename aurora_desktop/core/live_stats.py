"""Pure figures the dashboard draws from finished requests: sliding-window p50/p95 per
(engine, target), the local/cloud share, the grouping of the classifier's and planner's
internal model calls with their parent request, and the CSV the dashboard exports."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields

from aurora_desktop.core.cognition.intent import CLASSIFY_ID_PREFIX as CLASSIFY_PREFIX
from aurora_desktop.core.telemetry import RequestSample, percentile

_SUFFIX = re.compile(r"-(plan|s\d+)$")  # cognition/planner.py: "<id>-plan", "<id>-s<n>"


def parent_id(request_id: str) -> str:
    """The user request an internal call belongs to ("r1-plan", "r1-s2" → "r1")."""
    return _SUFFIX.sub("", request_id)


def is_internal(request_id: str) -> bool:
    """True for the classifier's and the planner's own model calls."""
    return request_id.startswith(CLASSIFY_PREFIX) or bool(_SUFFIX.search(request_id))


@dataclass(frozen=True, slots=True)
class RequestGroup:
    """One user request with the model calls made for it, oldest first."""

    request_id: str
    samples: tuple[RequestSample, ...]

    @property
    def target(self) -> str:
        """Where the answer was made: the last call's target."""
        return self.samples[-1].target

    @property
    def internal(self) -> int:
        return sum(is_internal(s.request_id) for s in self.samples)


def group_requests(samples: Iterable[RequestSample]) -> list[RequestGroup]:
    """Groups calls by parent request. A classifier call carries no parent id, so it joins
    the next call that finishes after it (the request it classified), oldest group first."""
    groups: dict[str, list[RequestSample]] = {}
    waiting: list[RequestSample] = []
    for sample in sorted(samples, key=lambda s: s.ts):
        if sample.request_id.startswith(CLASSIFY_PREFIX):
            waiting.append(sample)
            continue
        rows = groups.setdefault(parent_id(sample.request_id), [])
        rows.extend(waiting)
        rows.append(sample)
        waiting = []
    out = [RequestGroup(key, tuple(rows)) for key, rows in groups.items()]
    out += [RequestGroup(s.request_id, (s,)) for s in waiting]  # no request followed yet
    return sorted(out, key=lambda g: g.samples[0].ts)


def parents(samples: Iterable[RequestSample]) -> dict[str, str]:
    """request_id → parent request id, as `group_requests` decides it."""
    return {s.request_id: g.request_id for g in group_requests(samples) for s in g.samples}


def in_window(
    samples: Iterable[RequestSample], *, now: float, seconds: float
) -> list[RequestSample]:
    """The samples finished within the last `seconds` before `now`, oldest first."""
    since = now - seconds
    return sorted((s for s in samples if since <= s.ts <= now), key=lambda s: s.ts)


def series_key(sample: RequestSample) -> tuple[str, str]:
    return sample.engine, sample.target


def by_series(samples: Iterable[RequestSample]) -> dict[tuple[str, str], list[RequestSample]]:
    """Samples per (engine, target), keys sorted, each list in time order."""
    out: dict[tuple[str, str], list[RequestSample]] = {}
    for sample in sorted(samples, key=lambda s: s.ts):
        out.setdefault(series_key(sample), []).append(sample)
    return dict(sorted(out.items()))


@dataclass(frozen=True, slots=True)
class WindowStats:
    """p50/p95 of one (engine, target) over a window; 0.0 where nothing was measured."""

    engine: str
    target: str
    calls: int
    tok_s_p50: float
    tok_s_p95: float
    ttft_p50: float
    ttft_p95: float
    latency_p50: float
    latency_p95: float


def _p(values: Sequence[float], q: float) -> float:
    return round(percentile([v for v in values if v > 0], q), 1)


def window_stats(samples: Iterable[RequestSample]) -> list[WindowStats]:
    """Percentiles per (engine, target); a zero (not measured) value is left out."""
    out = []
    for (engine, target), rows in by_series(samples).items():
        tok_s = [r.decode_tok_s for r in rows]
        ttft = [r.ttft_ms for r in rows]
        latency = [r.latency_ms for r in rows]
        out.append(
            WindowStats(
                engine=engine, target=target, calls=len(rows),
                tok_s_p50=_p(tok_s, 50), tok_s_p95=_p(tok_s, 95),
                ttft_p50=_p(ttft, 50), ttft_p95=_p(ttft, 95),
                latency_p50=_p(latency, 50), latency_p95=_p(latency, 95),
            )
        )  # fmt: skip
    return out


@dataclass(frozen=True, slots=True)
class Share:
    """User requests answered on this device and in the cloud."""

    local: int
    cloud: int

    @property
    def total(self) -> int:
        return self.local + self.cloud

    def percent(self, target: str) -> float:
        count = self.local if target == "local" else self.cloud
        return 100.0 * count / self.total if self.total else 0.0


def target_share(samples: Iterable[RequestSample]) -> Share:
    """Counts requests, not model calls: a classifier or planner call joins its request."""
    groups = group_requests(samples)
    cloud = sum(g.target == "cloud" for g in groups)
    return Share(local=len(groups) - cloud, cloud=cloud)


CSV_FIELDS = (*(f.name for f in fields(RequestSample)), "parent_id")


def csv_rows(samples: Iterable[RequestSample]) -> list[dict[str, object]]:
    """One row per model call, oldest first, with the request it was made for."""
    rows = sorted(samples, key=lambda s: s.ts)
    owner = parents(rows)
    return [{**asdict(s), "parent_id": owner[s.request_id]} for s in rows]


def to_csv(samples: Iterable[RequestSample]) -> str:
    """The samples as CSV text with a header row (never a prompt or an answer)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(samples))
    return out.getvalue()
